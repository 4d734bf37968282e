import { useId, useState, type ReactNode } from 'react';
import { GLOSSARY, type GlossaryKey } from '../../lessons/glossary';

/**
 * A DP term with its glossary definition as hover and keyboard-focus help: the term is focusable,
 * the definition is a role="tooltip" element it is described by, and Escape hides it.
 */
export function Term({ k, children }: { k: GlossaryKey; children?: ReactNode }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const entry = GLOSSARY[k];
  return (
    <span
      className="term"
      tabIndex={0}
      aria-describedby={id}
      data-testid={`term-${k}`}
      onMouseEnter={() => setOpen(true)}
      onMouseLeave={() => setOpen(false)}
      onFocus={() => setOpen(true)}
      onBlur={() => setOpen(false)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') setOpen(false);
      }}
    >
      {children ?? entry.term}
      <span id={id} role="tooltip" className="term-tip" hidden={!open}>
        <strong>{entry.term}.</strong> {entry.text}
      </span>
    </span>
  );
}

/** The whole glossary as a list (the welcome screen's "Words used here"). */
export function GlossaryList() {
  return (
    <dl className="glossary" data-testid="glossary">
      {Object.entries(GLOSSARY).map(([k, e]) => (
        <div key={k}>
          <dt>{e.term}</dt>
          <dd>{e.text}</dd>
        </div>
      ))}
    </dl>
  );
}
