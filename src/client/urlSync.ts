import { allowedHidden, decodeUrlState, encodeUrlState, type UrlState } from '../config/urlCodec';
import type { PlaygroundStore } from '../store/playgroundStore';

/**
 * Reads the page's fragment; a bad link is reported and ignored (the defaults apply). A link applied
 * with a part set aside (a hide that is not allowed) comes with its notice as the message to show.
 */
export function readUrlState(): { state?: UrlState; error?: string } {
  const hash = window.location.hash.slice(1);
  if (!hash) return {};
  const r = decodeUrlState(hash);
  if (r.ok) return r.state.notice ? { state: r.state, error: r.state.notice } : { state: r.state };
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
    if (r.state)
      store.setState({
        draft: r.state.config,
        hidden: r.state.hidden,
        ...(r.state.sweep ? { sweepGrid: r.state.sweep } : {}),
        globalError: r.error ?? null,
      });
    else if (r.error) store.setState({ globalError: r.error });
  };
  window.addEventListener('hashchange', onHashChange);
  return () => {
    unsubscribe();
    window.removeEventListener('hashchange', onHashChange);
  };
}

/** The shareable link for the current draft, with chosen controls hidden (classroom mode) where allowed. */
export function shareLink(store: PlaygroundStore, hidden: UrlState['hidden']): string {
  const { draft, sweepGrid } = store.getState();
  const fragment = encodeUrlState({ config: draft, hidden: allowedHidden(draft, hidden), sweep: sweepGrid });
  return `${window.location.origin}${window.location.pathname}#${fragment}`;
}
