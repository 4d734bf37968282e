import { caveatSentences, hasCaveat, type PrivacyCaveats } from '../src/config/privacyCaveats';

/** Human-readable durations for progress lines and summaries. */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  if (seconds < 5400) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** The one stderr line a run with a privacy caveat always gets (with --quiet too), or null. */
export function caveatWarning(command: string, caveats: PrivacyCaveats): string | null {
  return hasCaveat(caveats) ? `${command}: warning: ${caveatSentences(caveats).join(' ')}` : null;
}
