import type { ReactNode } from 'react';
import { GLOSSARY, type GlossaryKey } from '../../lessons/glossary';
import { TermHelp } from '../TermHelp';

/**
 * A DP term with its glossary definition as hover and keyboard-focus help (src/ui/TermHelp.tsx:
 * focusable, described by a tooltip kept inside the window, closed by Escape). `detail` adds what the
 * term is in the place it stands (e.g. the selected run's σ), after the one definition.
 */
export function Term({ k, children, detail }: { k: GlossaryKey; children?: ReactNode; detail?: ReactNode }) {
  const entry = GLOSSARY[k];
  return (
    <TermHelp
      term={children ?? entry.term}
      testId={`term-${k}`}
      help={
        <>
          <strong>{entry.term}.</strong> {entry.text}
          {detail !== undefined && <> {detail}</>}
        </>
      }
    />
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
