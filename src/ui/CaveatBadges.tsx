import { CAVEAT_LABELS, caveatSentences, privacyCaveats, type PrivacyCaveats } from '../config/privacyCaveats';
import type { RunConfig } from '../config/runConfig';

/**
 * The structured privacy caveats of a run (shuffled batches not covered by the accountant, seeded
 * randomness) as small badges beside its ε, with the full sentence on hover and for screen readers.
 */
export function CaveatBadges({ config }: { config: RunConfig }) {
  const caveats = privacyCaveats(config);
  const keys = (Object.keys(CAVEAT_LABELS) as (keyof PrivacyCaveats)[]).filter((k) => caveats[k]);
  if (keys.length === 0) return null;
  const sentences = caveatSentences(caveats);
  return (
    <span className="caveats" data-testid="privacy-caveats" title={sentences.join(' ')}>
      {keys.map((k) => (
        <span key={k} className="caveat" data-caveat={k}>
          ⚠ {CAVEAT_LABELS[k]}
        </span>
      ))}
    </span>
  );
}
