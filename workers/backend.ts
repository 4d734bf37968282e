import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// Vite serves these from node_modules in dev and copies them into the build: no CDN, works offline.
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendInfo, BackendName } from '../src/domain/backend';

// TF.js picks SIMD where the browser has it, and threads only where the page is cross-origin isolated.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});

/**
 * Picks the best TF.js backend this browser really has, in `order` (WebGPU, WebAssembly, WebGL, CPU). `setBackend`
 * resolves false (or throws) when a backend cannot initialise, so each attempt is checked and the
 * reason for every skip is reported to the user.
 */
export async function initBestBackend(order: BackendName[] = ['webgpu', 'wasm', 'webgl', 'cpu']): Promise<BackendInfo> {
  const reasons: string[] = [];
  for (const name of order) {
    const why = await unavailableReason(name);
    if (why) {
      reasons.push(`${label(name)}: ${why}`);
      continue;
    }
    let ok: boolean;
    try {
      ok = await tf.setBackend(name);
      await tf.ready();
    } catch (e) {
      reasons.push(`${label(name)}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    if (!ok || tf.getBackend() !== name) {
      reasons.push(`${label(name)}: failed to initialise`);
      continue;
    }
    const info = await describeBackend(name);
    info.chosenBy = 'first available';
    if (reasons.length) info.fallbackReason = reasons.join('; ');
    return info;
  }
  throw new Error(`No TF.js backend could start (${reasons.join('; ')})`);
}

function label(name: BackendName): string {
  return { webgpu: 'WebGPU', wasm: 'WebAssembly', webgl: 'WebGL', cpu: 'CPU' }[name];
}

/** Switches TF.js to `name`; false (and TF.js stays where it was) when that backend cannot start here. */
export async function activateBackend(name: BackendName): Promise<boolean> {
  if (tf.getBackend() === name) return true;
  if (await unavailableReason(name)) return false;
  const before = tf.getBackend();
  try {
    if ((await tf.setBackend(name)) && tf.getBackend() === name) {
      await tf.ready();
      return true;
    }
  } catch {
    // falls through: back to the previous backend
  }
  if (before) await tf.setBackend(before);
  return false;
}

/** Why WebGPU may not be used again in this worker: its device was lost (it stays registered in TF.js). */
let webGpuLost: string | null = null;

/** Why backend `name` cannot start in this worker, or null when it may. */
export async function unavailableReason(name: BackendName): Promise<string | null> {
  if (name === 'webgpu') {
    if (webGpuLost) return `its device was lost (${webGpuLost})`;
    const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
    if (!gpu) return 'navigator.gpu is missing (browser without WebGPU)';
    try {
      const adapter = await gpu.requestAdapter();
      if (!adapter) return 'no adapter';
    } catch (e) {
      return `requestAdapter failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  if (name === 'webgl' && typeof OffscreenCanvas === 'undefined') return 'OffscreenCanvas is missing in this worker';
  return null;
}

/**
 * The WebGPU adapter's description when it is a software one (SwiftShader: CI, many Linux desktops,
 * blocklisted GPUs), where plain CPU code beats it for our models; null for a hardware adapter or none.
 */
export async function softwareAdapter(): Promise<string | null> {
  if (webGpuLost) return null;
  const adapter = await navigator.gpu?.requestAdapter().catch(() => null);
  if (!adapter) return null;
  const a = adapter as GPUAdapter & { isFallbackAdapter?: boolean; info?: GPUAdapterInfo & { isFallbackAdapter?: boolean } };
  const text = [a.info?.vendor, a.info?.architecture, a.info?.description, a.info?.device].filter(Boolean).join(' ');
  if (a.isFallbackAdapter || a.info?.isFallbackAdapter) return text || 'fallback adapter';
  return /swiftshader|llvmpipe|lavapipe|software/i.test(text) ? text : null;
}

/** What the UI shows about the active backend `name`. */
export async function describeBackend(name: BackendName): Promise<BackendInfo> {
  const info: BackendInfo = { name };
  if (name === 'webgpu') info.adapter = await adapterDescription();
  return info;
}

async function adapterDescription(): Promise<string> {
  const backend = tf.backend() as unknown as {
    adapterInfo?: { vendor?: string; architecture?: string; description?: string; device?: string };
  };
  let info = backend.adapterInfo;
  if (!info || !(info.vendor || info.description || info.architecture)) {
    const adapter = await navigator.gpu?.requestAdapter();
    info = adapter?.info;
  }
  const parts = [info?.description, info?.vendor, info?.architecture, info?.device].filter((s): s is string => !!s && s.length > 0);
  return [...new Set(parts)].join(' · ') || 'unknown adapter';
}

/**
 * Calls `onLost` once if the WebGPU device is lost. Also installs `self.__autoclipDebug.loseDevice()`
 * so the browser tests can destroy the device the way a driver reset would.
 */
export function watchDeviceLoss(onLost: (reason: string) => void): void {
  if (tf.getBackend() !== 'webgpu') return;
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  if (!device) return;
  void device.lost.then((info) => {
    webGpuLost = info.message || String(info.reason ?? 'unknown reason');
    onLost(webGpuLost);
  });
  (self as unknown as { __autoclipDebug?: { loseDevice(): void } }).__autoclipDebug = { loseDevice: () => device.destroy() };
}
