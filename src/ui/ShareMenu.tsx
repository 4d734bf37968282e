import { useState } from 'react';
import { HIDEABLE, privacyHideRefusal, type Hideable } from '../config/urlCodec';
import { shareLink } from '../client/urlSync';
import { usePlayground, usePlaygroundStore } from './storeContext';

const LABELS: Record<Hideable, string> = {
  data: 'Data',
  model: 'Model',
  training: 'Training',
  privacy: 'Privacy (all)',
  clipping: 'Clipping',
  noise: 'Noise / ε',
  accountant: 'Accountant',
  compare: 'Compare button',
};

/** Share the configuration as a link; a teacher can hide controls in it (classroom mode). */
export function ShareMenu() {
  const store = usePlaygroundStore();
  const hiddenNow = usePlayground((s) => s.hidden);
  const setHidden = usePlayground((s) => s.setHidden);
  const [open, setOpen] = useState(false);
  const [hide, setHide] = useState<Hideable[]>(hiddenNow);
  const [copied, setCopied] = useState(false);
  const [confirmShowAll, setConfirmShowAll] = useState(false);
  const refusal = usePlayground((s) => privacyHideRefusal(s.draft));
  const link = open ? shareLink(store, hide) : '';
  return (
    <div className="share">
      <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}>
        Share
      </button>
      {hiddenNow.length > 0 && !confirmShowAll && (
        <button type="button" className="linklike" onClick={() => setConfirmShowAll(true)} title="Show every control again">
          Classroom view · show all
        </button>
      )}
      {hiddenNow.length > 0 && confirmShowAll && (
        // Two deliberate clicks: a student exploring the page should not undo the teacher's classroom view by accident.
        <span role="group" aria-label="Show the hidden controls?" data-testid="classroom-confirm">
          Your link hides {hiddenNow.map((h) => LABELS[h].toLowerCase()).join(', ')} on purpose.{' '}
          <button
            type="button"
            onClick={() => {
              setHidden([]);
              setConfirmShowAll(false);
            }}
          >
            Show them (teacher)
          </button>{' '}
          <button type="button" onClick={() => setConfirmShowAll(false)}>
            Keep hidden
          </button>
        </span>
      )}
      {open && (
        <div className="share-panel" role="dialog" aria-label="Share this configuration">
          <p>The link reproduces these settings (seed included). Imported datasets stay on this device and are not part of it.</p>
          <fieldset>
            <legend>Classroom: hide in the shared link</legend>
            {HIDEABLE.map((h) => {
              const locked = h === 'privacy' && refusal !== null;
              return (
                <label key={h}>
                  <input
                    type="checkbox"
                    checked={hide.includes(h) && !locked}
                    disabled={locked}
                    data-testid={`share-hide-${h}`}
                    onChange={(e) => setHide(e.target.checked ? [...hide, h] : hide.filter((x) => x !== h))}
                  />{' '}
                  {LABELS[h]}
                </label>
              );
            })}
            {refusal && (
              <p className="warning" data-testid="share-privacy-locked">
                The privacy section cannot be hidden: {refusal}.
              </p>
            )}
          </fieldset>
          <input readOnly value={link} aria-label="Shareable link" data-testid="share-link" onFocus={(e) => e.target.select()} />
          <button
            type="button"
            onClick={() => {
              void navigator.clipboard?.writeText(link).then(() => setCopied(true));
            }}
          >
            {copied ? 'Copied' : 'Copy link'}
          </button>
        </div>
      )}
    </div>
  );
}
