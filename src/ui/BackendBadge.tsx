import type { BackendInfo, BackendName } from '../domain/backend';
import { usePlayground } from './storeContext';

const SHORT_NAMES: Record<BackendName, string> = { webgpu: 'WebGPU', wasm: 'WebAssembly', webgl: 'WebGL', cpu: 'CPU' };

export function backendLabel(info: BackendInfo): string {
  const name =
    info.name === 'webgpu'
      ? `WebGPU · ${info.adapter ?? 'unknown adapter'}`
      : info.name === 'wasm'
        ? 'WebAssembly'
        : info.name === 'webgl'
          ? 'WebGL'
          : 'CPU (slow)';
  return info.chosenBy === 'user' ? `${name} (your choice)` : name + measuredMargin(info);
}

/**
 * After a choice by measurement, how much faster the winner trained than each other backend that
 * ran, e.g. " · fastest in a speed test: 25× faster than WebGPU, 1.4× faster than CPU"; '' otherwise.
 */
function measuredMargin(info: BackendInfo): string {
  if (info.chosenBy !== 'measurement' || !info.trial) return '';
  const winner = info.trial.find((t) => t.name === info.name);
  const others = info.trial.filter((t) => t.name !== info.name && t.samplesPerSec > 0);
  if (!winner || others.length === 0) return ' · picked by a speed test';
  return ` · fastest in a speed test: ${others.map((t) => `${formatRatio(winner.samplesPerSec / t.samplesPerSec)} faster than ${SHORT_NAMES[t.name]}`).join(', ')}`;
}

function formatRatio(r: number): string {
  return `${r >= 10 ? Math.round(r) : r.toFixed(1)}×`;
}

/** Backends the trial had to skip, with the reason: "CPU not tested (out of memory)". */
function skipped(info: BackendInfo): string | null {
  const failed = info.trial?.filter((t) => t.failed) ?? [];
  return failed.length ? failed.map((t) => `${SHORT_NAMES[t.name]} not tested (${t.failed})`).join('; ') : null;
}

/** Shows the backend the worker really got, and why faster ones were skipped. */
export function BackendBadge() {
  const info = usePlayground((s) => s.backend);
  if (!info) {
    return (
      <span className="badge badge-pending" data-testid="backend-badge" role="status">
        Starting engine…
      </span>
    );
  }
  const reason = [info.fallbackReason, skipped(info)].filter(Boolean).join('; ');
  return (
    <span
      className={`badge badge-${info.name}`}
      data-testid="backend-badge"
      data-backend={info.name}
      role="status"
      data-chosen-by={info.chosenBy}
      title={info.fallbackReason ? `Fallback: ${info.fallbackReason}` : trialSummary(info)}
    >
      {backendLabel(info)}
      {reason && <span className="badge-reason"> — {reason}</span>}
    </span>
  );
}

/** The trial's numbers, for the badge's tooltip. */
function trialSummary(info: BackendInfo): string {
  if (!info.trial) return 'Training runs on this backend';
  const paces = info.trial.map((t) =>
    t.failed ? `${SHORT_NAMES[t.name]} not tested (${t.failed})` : `${SHORT_NAMES[t.name]} ${Math.round(t.samplesPerSec)} samples/s`,
  );
  const took = info.trialMs === undefined ? '' : ` in ${(info.trialMs / 1000).toFixed(1)} s`;
  return `Picked by a speed test${took}: a few steps of this run on each backend, on stand-in data (no example read, no privacy spent): ${paces.join(', ')}. Settings → Backend overrides it.`;
}
