import { decodeUrlState, encodeUrlState, type UrlState } from '../config/urlCodec';
import type { PlaygroundStore } from '../store/playgroundStore';

/** Reads the page's fragment; a bad link is reported and ignored (the defaults apply). */
export function readUrlState(): { state?: UrlState; error?: string } {
  const hash = window.location.hash.slice(1);
  if (!hash) return {};
  const r = decodeUrlState(hash);
  if (r.ok) return { state: r.state };
  return { error: `The link's settings were not applied: ${r.errors.join('; ')}` };
}

/** Keeps the fragment equal to the draft config (replaceState: no history entry per keystroke). */
export function syncUrlWithStore(store: PlaygroundStore): () => void {
  let last = '';
  const write = () => {
    const s = store.getState();
    const fragment = encodeUrlState({ config: s.draft, hidden: s.hidden, sweep: s.sweepGrid });
    if (fragment === last) return;
    last = fragment;
    history.replaceState(null, '', `${window.location.pathname}${window.location.search}#${fragment}`);
  };
  write();
  const unsubscribe = store.subscribe(write);
  // A link pasted or edited in the address bar of an open page arrives as a hashchange.
  const onHashChange = () => {
    const r = readUrlState();
    if (r.error) store.setState({ globalError: r.error });
    else if (r.state) store.setState({ draft: r.state.config, hidden: r.state.hidden, ...(r.state.sweep ? { sweepGrid: r.state.sweep } : {}), globalError: null });
  };
  window.addEventListener('hashchange', onHashChange);
  return () => {
    unsubscribe();
    window.removeEventListener('hashchange', onHashChange);
  };
}

/** The shareable link for the current draft, with chosen controls hidden (classroom mode). */
export function shareLink(store: PlaygroundStore, hidden: UrlState['hidden']): string {
  const fragment = encodeUrlState({ config: store.getState().draft, hidden, sweep: store.getState().sweepGrid });
  return `${window.location.origin}${window.location.pathname}#${fragment}`;
}
