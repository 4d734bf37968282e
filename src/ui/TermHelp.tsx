import { useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

/** Room kept between the help bubble and the window's edges, in px. */
const EDGE = 8;

/**
 * A term with its explanation, for glossaries and labels: the term is a button (reachable by Tab,
 * named by its own text), its explanation a tooltip shown on hover and on focus, tied to it with
 * aria-describedby so screen readers read it, closed by Escape; a tap (a phone) opens it and a second tap closes it. The bubble is placed in the window
 * (position: fixed, kept inside the edges), so no chart or panel edge cuts it off.
 *
 *   <TermHelp term="σ" help="Noise multiplier: the noise std is σ times the sensitivity." />
 */
export function TermHelp(props: { term: ReactNode; help: ReactNode; testId?: string }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const bubble = useRef<HTMLSpanElement>(null);
  const [place, setPlace] = useState<{ left: number; top: number } | null>(null);
  // Whether the help was open when the pointer went down. A tap emulates hover and focus before its
  // click, which open the help, so the click must toggle from the state before the tap, not after.
  const openAtPress = useRef<boolean | null>(null);

  useLayoutEffect(() => {
    if (!open || !trigger.current || !bubble.current) return;
    const t = trigger.current.getBoundingClientRect();
    const b = bubble.current.getBoundingClientRect();
    const maxLeft = window.innerWidth - b.width - EDGE;
    const left = Math.max(EDGE, Math.min(t.left, maxLeft));
    // Below the term, or above it when the window has no room below.
    const below = t.bottom + 4;
    const top = below + b.height + EDGE <= window.innerHeight ? below : Math.max(EDGE, t.top - b.height - 4);
    setPlace({ left, top });
  }, [open]);

  const show = () => setOpen(true);
  const hide = () => {
    setOpen(false);
    setPlace(null);
  };
  return (
    // Hover is a mouse's: after a tap the browser sends the emulated mouse away again, which must not close the help the tap opened.
    <span
      className="term"
      onPointerEnter={(e) => {
        if (e.pointerType === 'mouse') show();
      }}
      onPointerLeave={(e) => {
        if (e.pointerType === 'mouse') hide();
      }}
    >
      <button
        ref={trigger}
        type="button"
        className="term-trigger"
        aria-describedby={id}
        data-testid={props.testId}
        onFocus={show}
        onBlur={hide}
        onPointerDown={() => {
          openAtPress.current = open;
        }}
        onClick={() => {
          const wasOpen = openAtPress.current ?? open; // a keyboard click has no pointer press
          openAtPress.current = null;
          if (wasOpen) hide();
          else show();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') hide();
        }}
      >
        {props.term}
      </button>
      <span
        ref={bubble}
        id={id}
        role="tooltip"
        className="term-tip"
        hidden={!open}
        // Measured at the window's left edge first, so its width is its own and not what is left right of the term.
        style={place ? { left: place.left, top: place.top } : { visibility: 'hidden', left: 0, top: 0 }}
      >
        {props.help}
      </span>
    </span>
  );
}
