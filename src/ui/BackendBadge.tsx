import type { BackendInfo } from '../domain/backend';
import { usePlayground } from './storeContext';

export function backendLabel(info: BackendInfo): string {
  const name =
    info.name === 'webgpu'
      ? `WebGPU · ${info.adapter ?? 'unknown adapter'}`
      : info.name === 'wasm'
        ? 'WebAssembly'
        : info.name === 'webgl'
          ? 'WebGL'
          : 'CPU (slow)';
  return info.chosenBy === 'user' ? `${name} (your choice)` : name;
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
      data-chosen-by={info.chosenBy}
      title={info.fallbackReason ? `Fallback: ${info.fallbackReason}` : 'Training runs on this backend'}
    >
      {backendLabel(info)}
      {info.fallbackReason && <span className="badge-reason"> — {info.fallbackReason}</span>}
    </span>
  );
}
