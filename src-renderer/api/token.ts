// The access token of the loopback HTTP host: arrives once in the URL (?token=…), then lives in memory and
// sessionStorage (so a reload keeps working) and is removed from the visible URL.

export const TOKEN_STORAGE_KEY = 'meterbook.token';

export interface TokenLookup {
  token: string | null;
  /** The query string without the token ("" when nothing is left), or null when the URL had no token. */
  cleanedSearch: string | null;
}

/** Pure: find the token in a query string, else fall back to the stored one. */
export function readToken(search: string, stored: string | null): TokenLookup {
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    params.delete('token');
    const rest = params.toString();
    return { token: fromUrl, cleanedSearch: rest ? `?${rest}` : '' };
  }
  return { token: stored && stored.length > 0 ? stored : null, cleanedSearch: null };
}

/** The parts of `window` the token handling touches. */
export interface TokenWindow {
  location: { search: string; pathname: string; hash: string };
  history: { state: unknown; replaceState(data: unknown, unused: string, url?: string): void };
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
}

/** Browser side effects: read, remember and hide the token. Safe when storage is unavailable. */
export function takeTokenFromLocation(win: TokenWindow): string | null {
  let stored: string | null = null;
  try {
    stored = win.sessionStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    // storage disabled: keep the token in memory only
  }
  const { token, cleanedSearch } = readToken(win.location.search, stored);
  if (cleanedSearch !== null && token) {
    try {
      win.sessionStorage.setItem(TOKEN_STORAGE_KEY, token);
    } catch {
      // ignore
    }
    const url = `${win.location.pathname}${cleanedSearch}${win.location.hash}`;
    win.history.replaceState(win.history.state, '', url);
  }
  return token;
}
