import type { BackendInfo } from '../domain/backend';
import { usePlayground } from './storeContext';

export function backendLabel(info: BackendInfo): string {
  if (info.name === 'webgpu') return `WebGPU · ${info.adapter ?? 'unknown adapter'}`;
  if (info.name === 'webgl') return 'WebGL';
  return 'CPU (slow)';
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
  return (
    <span
      className={`badge badge-${info.name}`}
      data-testid="backend-badge"
      data-backend={info.name}
      role="status"
      title={info.fallbackReason ? `Fallback: ${info.fallbackReason}` : 'Training runs on this backend'}
    >
      {backendLabel(info)}
      {info.fallbackReason && <span className="badge-reason"> — {info.fallbackReason}</span>}
    </span>
  );
}
