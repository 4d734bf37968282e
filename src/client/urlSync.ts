import { allowedHidden, decodeUrlState, encodeUrlState, type UrlState } from '../config/urlCodec';
import { LESSONS, lessonByName } from '../lessons';
import type { PlaygroundStore } from '../store/playgroundStore';

/** `lesson=NAME` opens a lesson; it travels in front of the config's parameters, which it does not touch. */
const LESSON_PARAM = /^lesson=([^&]*)&?/;

function splitLesson(hash: string): { lesson?: string; rest: string } {
  const m = LESSON_PARAM.exec(hash);
  return m ? { lesson: decodeURIComponent(m[1]), rest: hash.slice(m[0].length) } : { rest: hash };
}

/** The lesson a link names, or the reason it cannot be opened. */
function lessonFromLink(name: string | undefined): { lesson?: string; error?: string } {
  if (name === undefined) return {};
  if (lessonByName(name)) return { lesson: name };
  return { error: `The link's lesson '${name}' does not exist (lessons: ${LESSONS.map((l) => l.name).join(', ')})` };
}

/**
 * Reads the page's fragment; a bad link is reported and ignored (the defaults apply). A link applied
 * with a part set aside (a hide that is not allowed) comes with its notice as the message to show.
 */
export function readUrlState(): { state?: UrlState; error?: string; lesson?: string } {
  const { lesson: named, rest: hash } = splitLesson(window.location.hash.slice(1));
  const { lesson, error: lessonError } = lessonFromLink(named);
  if (lessonError) return { error: lessonError };
  if (!hash) return { lesson };
  const r = decodeUrlState(hash);
  if (r.ok) return r.state.notice ? { state: r.state, error: r.state.notice, lesson } : { state: r.state, lesson };
  return { error: `The link's settings were not applied: ${r.errors.join('; ')}`, lesson };
}

/** Keeps the fragment equal to the draft config (replaceState: no history entry per keystroke). */
export function syncUrlWithStore(store: PlaygroundStore): () => void {
  let last = '';
  const write = () => {
    const s = store.getState();
    const config = encodeUrlState({ config: s.draft, hidden: s.hidden, sweep: s.sweepGrid });
    const fragment = s.lesson ? `lesson=${encodeURIComponent(s.lesson.name)}&${config}` : config;
    if (fragment === last) return;
    last = fragment;
    history.replaceState(null, '', `${window.location.pathname}${window.location.search}#${fragment}`);
  };
  write();
  const unsubscribe = store.subscribe(write);
  // A link pasted or edited in the address bar of an open page arrives as a hashchange.
  const onHashChange = () => {
    const r = readUrlState();
    if (r.lesson && r.lesson !== store.getState().lesson?.name) store.getState().openLesson(r.lesson);
    else if (r.state)
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
