// The view on screen mirrored in the address bar's hash (url-state.ts), so it can be bookmarked and reloaded. The
// hash is read once a workspace is open (its defaults are what a hash leaves out), then rewritten as the state changes
// (replaceState: no history entry per click). A hash typed or pasted later applies too. Harmless in Electron.
import { useEffect } from 'react';
import { useApp } from './app-store';
import { useExplore } from './explore-store';
import { applyDefinition, currentDefinition } from './saved-views';
import { decodeUrlState, encodeUrlState, isEmptyUrlState, mergeUrlState } from './url-state';

// Typing a date or clicking through values changes the state many times a second; the address bar needs the last one.
const WRITE_DELAY_MS = 250;

function readHash(): void {
  const u = decodeUrlState(window.location.hash);
  if (!isEmptyUrlState(u)) applyDefinition(mergeUrlState(currentDefinition(), u));
}

function writeHash(): void {
  const hash = encodeUrlState(currentDefinition());
  if (window.location.hash === hash) return;
  // pathname + search only: the access token already left the search (api/token.ts) and must not come back
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}${hash}`);
}

export function useUrlState(): void {
  useEffect(() => {
    let started = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = () => {
      if (!started) return;
      clearTimeout(timer);
      timer = setTimeout(writeHash, WRITE_DELAY_MS);
    };
    const start = () => {
      if (started || !useApp.getState().workspace) return;
      // first: applying the hash changes the stores, whose listeners (below) call start() again
      started = true;
      readHash();
      schedule();
    };
    start();
    const stopApp = useApp.subscribe((s, prev) => {
      if (!started) start();
      else if (s.view !== prev.view || s.workspace !== prev.workspace) schedule();
    });
    const stopExplore = useExplore.subscribe(schedule);
    const onHashChange = () => {
      if (started) readHash();
    };
    window.addEventListener('hashchange', onHashChange);
    return () => {
      stopApp();
      stopExplore();
      window.removeEventListener('hashchange', onHashChange);
      clearTimeout(timer);
    };
  }, []);
}
