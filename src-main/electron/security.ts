// Everything that locks the window down: CSP, navigation, new windows, permissions, webviews.
import { shell, type Session, type WebContents } from 'electron';

/**
 * The renderer's Content Security Policy. Sent as a response header for every document the session loads; the
 * renderer's index.html carries the same policy in a <meta http-equiv> tag as a fallback (a meta tag cannot express
 * frame-ancestors, which the header covers).
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The policy for `electron-vite dev` only: Vite's dev server needs its websocket for hot reload and the React
 * refresh preamble is an inline script. Never used for the built app.
 */
export function devCsp(devServerUrl: string): string {
  const origin = new URL(devServerUrl).origin;
  const ws = origin.replace(/^http/, 'ws');
  return CSP.replace("script-src 'self'", `script-src 'self' 'unsafe-inline' ${origin}`).replace(
    "connect-src 'self'",
    `connect-src 'self' ${origin} ${ws}`,
  );
}

/** Drops the fragment, which does not change the document. */
function withoutHash(url: string): string {
  const u = new URL(url);
  u.hash = '';
  return u.href;
}

/**
 * May the window navigate to `target`? Only to the page it was opened on: the built renderer's index.html (same
 * file URL, any fragment), or in dev any page of the dev server's origin.
 */
export function isAllowedNavigation(target: string, rendererUrl: string): boolean {
  let t: URL;
  let r: URL;
  try {
    t = new URL(target);
    r = new URL(rendererUrl);
  } catch {
    return false;
  }
  if (r.protocol === 'file:') return t.protocol === 'file:' && withoutHash(t.href) === withoutHash(r.href);
  return t.origin === r.origin;
}

/** Session-wide rules: CSP header on every response, every permission denied. */
export function hardenSession(ses: Session, policy: string): void {
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...(details.responseHeaders ?? {}) };
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === 'content-security-policy') delete headers[key];
    }
    headers['Content-Security-Policy'] = [policy];
    callback({ responseHeaders: headers });
  });
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}

/**
 * Rules for one web contents (applied to every web contents the app creates): no navigation away from the
 * renderer, no new windows (https links open in the user's browser instead), no <webview>.
 */
export function hardenContents(contents: WebContents, rendererUrl: () => string | undefined): void {
  const guard = (event: { preventDefault(): void }, url: string): void => {
    const allowed = rendererUrl();
    if (!allowed || !isAllowedNavigation(url, allowed)) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** Links the app hands to the user's browser: https only. */
export function isExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
