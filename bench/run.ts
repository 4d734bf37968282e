/**
 * `npm run bench`: step time of the four step implementations (bench/steps.ts) for the MLP and the
 * CNN preset at batch 64 and 256, in headless Chromium on WebGPU (through bench/harness) and in
 * Node on the TF.js CPU backend. Prints one table per backend, writes bench-results/latest.json.
 *
 * Options: --only=node | --only=browser, --models=mlp,cnn, --batches=64,256, --quick (fewer repeats),
 * --profile (per-kernel times of one step of each path), --paths=non-private,dp-ops,dp-kernels,naive (the
 * default; dp-kernels-bookkeeping adds the kernel path with every clipped sum by book-keeping, to compare),
 * --repeats=N (timed rounds of the interleaved paths).
 * --parts=steps,plane: the step implementations above and/or the gradient plane's cost (bench/planeSteps.ts:
 * steps between refreshes with the plane on against the same steps with it off, one table per backend);
 * --plane-models=mlp-2d,mlp,cnn picks the plane cases.
 * --gpu: the browser only, on the machine's hardware GPU (Chromium's Vulkan flags, below), at batch
 * 64, 256 and 1024 unless --batches says otherwise; stops with an error if the adapter is a software
 * one (SwiftShader) unless --allow-software is given. CHROMIUM_PATH picks another Chromium or Chrome.
 * Non-private, DP-ops and DP-kernels steps of one configuration are timed round-robin (see
 * benchInterleaved); the naive loop separately. Batch 256 on SwiftShader gets 3 repeats, the naive
 * loop 1–2: the numbers are medians of few samples on a software GPU.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { chromium } from '@playwright/test';
import { build, preview } from 'vite';
import { chromiumArgs, chromiumPath } from '../playwright.config';
import type { Harness } from './harness/main';
import { planeCost, quantile, type PlaneBenchModel, type PlaneCostCase, type PlaneCostRecord } from './planeSteps';
import {
  ALL_BENCH_PATHS,
  BENCH_PATHS,
  benchInterleaved,
  benchOne,
  stageTimes,
  type KernelProfileRow,
  type BenchModel,
  type BenchPath,
  type BenchRecord,
} from './steps';

const root = fileURLToPath(new URL('..', import.meta.url));
const configFile = fileURLToPath(new URL('./vite.harness.config.ts', import.meta.url));
const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const gpu = process.argv.includes('--gpu');
const allowSoftware = process.argv.includes('--allow-software');
const only = gpu ? 'browser' : arg('only');
const quick = process.argv.includes('--quick');
const profile = process.argv.includes('--profile');
const models = (arg('models') ?? 'mlp,cnn').split(',') as BenchModel[];
const batches = (arg('batches') ?? (gpu ? '64,256,1024' : '64,256')).split(',').map(Number);
const parts = (arg('parts') ?? 'steps,plane').split(',');
const planeModels = (arg('plane-models') ?? 'mlp-2d,mlp,cnn').split(',') as PlaneBenchModel[];
const paths = (arg('paths') ?? BENCH_PATHS.join(',')).split(',') as BenchPath[];
for (const p of paths) {
  if (!ALL_BENCH_PATHS.includes(p)) throw new Error(`--paths: unknown path "${p}" (one of ${ALL_BENCH_PATHS.join(', ')})`);
}

/**
 * The gradient plane's cost: the lessons' 2D MLP and the MNIST-shaped MLP on both DP paths, the CNN on
 * the kernel path (its slowest case), refreshing every PLANE_EVERY steps. The warm-up reaches the first
 * refresh, which compiles the Gram programs.
 */
const PLANE_CASES: PlaneCostCase[] = [
  { model: 'mlp-2d', batch: 256, dpPath: 'kernels' },
  { model: 'mlp-2d', batch: 256, dpPath: 'ops' },
  { model: 'mlp', batch: 64, dpPath: 'kernels' },
  { model: 'mlp', batch: 64, dpPath: 'ops' },
  { model: 'cnn', batch: 32, dpPath: 'kernels' },
];
const PLANE_EVERY = 5;
const planeSteps = (c: PlaneCostCase) => ({ warmup: PLANE_EVERY, steps: c.model === 'cnn' || quick ? 15 : 30 });

/**
 * Chromium flags for WebGPU on the hardware GPU through Vulkan in headless mode (Linux; on other
 * systems Chromium picks its native backend and ignores the Vulkan ones). No SwiftShader flags.
 */
const HARDWARE_GPU_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-angle=vulkan',
  '--disable-vulkan-surface',
  '--ignore-gpu-blocklist',
  '--no-sandbox',
  '--no-first-run',
];

/**
 * Warm-up and timed repeats per configuration. SwiftShader runs WebGPU on the CPU (2 cores here):
 * batch 256 and the naive loop get fewer repeats so the whole run stays near 15 minutes.
 */
const FAST_PATHS: BenchPath[] = paths.filter((p) => p !== 'naive');
const NAIVE = paths.includes('naive');

function defaultPlan(backend: string, batch: number, path: BenchPath): { warmup: number; repeats: number } {
  // The naive loop runs batch-1 shapes whatever the batch: one warm-up compiles them.
  if (path === 'naive') return { warmup: batch >= 256 ? 0 : 1, repeats: quick || batch >= 256 ? 1 : 2 };
  if (backend === 'webgpu') return batch >= 256 ? { warmup: 2, repeats: quick ? 2 : 3 } : { warmup: 3, repeats: quick ? 3 : 5 };
  return batch >= 256 ? { warmup: 1, repeats: quick ? 2 : 3 } : { warmup: 2, repeats: quick ? 3 : 5 };
}

/** --repeats=N overrides the timed rounds of the interleaved paths (more samples for a ratio's spread). */
const repeatsArg = arg('repeats');
if (repeatsArg !== undefined && !(Number.isInteger(Number(repeatsArg)) && Number(repeatsArg) >= 1)) {
  throw new Error(`--repeats must be a positive integer, got "${repeatsArg}"`);
}

function plan(backend: string, batch: number, path: BenchPath): { warmup: number; repeats: number } {
  const p = defaultPlan(backend, batch, path);
  return repeatsArg === undefined || path === 'naive' ? p : { ...p, repeats: Number(repeatsArg) };
}

interface StageRecord {
  backend: string;
  model: BenchModel;
  batch: number;
  timing: string;
  stages: Record<string, number>;
}

function fmt(ms: number | undefined): string {
  return ms === undefined ? '—' : ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

function printTable(backend: string, recs: BenchRecord[], stages: StageRecord[]): void {
  const get = (m: BenchModel, b: number, p: BenchPath) => recs.find((r) => r.model === m && r.batch === b && r.path === p)?.msPerStep;
  const dp = paths.filter((p) => p !== 'non-private' && p !== 'naive');
  const rows: string[][] = [['model', 'batch', ...paths.map((p) => `${p} ms`), ...dp.map((p) => `${p}/non-priv`), 'naive/kernels']];
  const ratio = (x?: number, y?: number) => (x !== undefined && y !== undefined ? (x / y).toFixed(2) : '—');
  for (const m of models) {
    for (const b of batches) {
      const np = get(m, b, 'non-private');
      rows.push([
        m,
        String(b),
        ...paths.map((p) => fmt(get(m, b, p))),
        ...dp.map((p) => ratio(get(m, b, p), np)),
        ratio(get(m, b, 'naive'), get(m, b, 'dp-kernels')),
      ]);
    }
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  console.log(`\n== ${backend}: median ms per step after warm-up ==`);
  for (const r of rows) console.log(r.map((v, c) => v.padStart(widths[c])).join('  '));
  for (const s of stages.filter((x) => x.backend === backend)) {
    const parts = Object.entries(s.stages).map(([k, v]) => `${k} ${fmt(v)}`);
    console.log(`   stages, dp-kernels ${s.model} B=${s.batch} (${s.timing}): ${parts.join(' | ')}`);
  }
}

function printPlaneTable(backend: string, recs: PlaneCostRecord[]): void {
  if (!recs.length) return;
  const med = (v: number[]) => quantile(v, 0.5);
  const rows: string[][] = [
    [
      'model',
      'batch',
      'path',
      'n',
      'off ms',
      'between ms',
      'between / off',
      'lower quartiles',
      'paired ratio (IQR)',
      'refresh ms',
      'refresh / off',
      'same kernels',
    ],
  ];
  for (const r of recs) {
    const iqr = `${quantile(r.pairedRatios, 0.25).toFixed(2)}–${quantile(r.pairedRatios, 0.75).toFixed(2)}`;
    rows.push([
      r.model,
      String(r.batch),
      r.dpPath,
      String(r.betweenMs.length),
      fmt(med(r.offMs)),
      fmt(med(r.betweenMs)),
      (med(r.betweenMs) / med(r.offMs)).toFixed(3),
      // The lower quartile is the least disturbed by other jobs on a shared machine (they only add time).
      (quantile(r.betweenMs, 0.25) / quantile(r.offMs, 0.25)).toFixed(3),
      `${med(r.pairedRatios).toFixed(3)} (${iqr})`,
      fmt(med(r.shownMs)),
      (med(r.shownMs) / med(r.offAtShownMs)).toFixed(2),
      r.sameWork ? 'yes' : 'NO',
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  console.log(
    `\n== ${backend}: gradient plane every ${recs[0].every} steps — steps between refreshes with the plane on / with it off (median ms) ==`,
  );
  for (const r of rows) console.log(r.map((v, c) => v.padStart(widths[c])).join('  '));
}

function describePlane(r: PlaneCostRecord): string {
  const med = (v: number[]) => quantile(v, 0.5);
  return `plane ${r.model} B=${r.batch} ${r.dpPath}: off ${fmt(med(r.offMs))} ms, between ${fmt(med(r.betweenMs))} ms (×${(med(r.betweenMs) / med(r.offMs)).toFixed(3)}), refresh ${fmt(med(r.shownMs))} ms`;
}

function describe(rec: BenchRecord): string {
  const first = rec.firstStepMs === undefined ? '' : `; first step ${fmt(rec.firstStepMs)} ms`;
  return `${rec.path}: ${fmt(rec.msPerStep)} ms (${rec.samples.map((s) => s.toFixed(0)).join(', ')}${first})`;
}

function printProfile(title: string, rows: KernelProfileRow[]): void {
  const total = rows.reduce((a, r) => a + r.ms, 0);
  console.log(`   kernels of one ${title} step (tf.profile, ${fmt(total)} ms in all):`);
  for (const r of rows.slice(0, 12))
    console.log(`     ${fmt(r.ms).padStart(7)} ms  ${String(r.calls).padStart(3)}×  ${r.kernel} ${r.shapes}`);
}

async function runNode(records: BenchRecord[], stages: StageRecord[], planes: PlaneCostRecord[]): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
  if (parts.includes('plane')) {
    for (const c of PLANE_CASES.filter((x) => planeModels.includes(x.model))) {
      const { warmup, steps } = planeSteps(c);
      const rec = await planeCost('cpu', c, PLANE_EVERY, warmup, steps);
      planes.push(rec);
      console.log(`cpu ${describePlane(rec)}`);
    }
  }
  if (!parts.includes('steps')) return;
  for (const m of models) {
    for (const b of batches) {
      const { warmup, repeats } = plan('cpu', b, 'dp-kernels');
      for (const rec of await benchInterleaved('cpu', m, b, FAST_PATHS, warmup, repeats)) {
        records.push(rec);
        console.log(`cpu ${m} B=${b} ${describe(rec)}`);
      }
      if (NAIVE) {
        const n = plan('cpu', b, 'naive');
        const naive = await benchOne('cpu', m, b, 'naive', n.warmup, n.repeats);
        records.push(naive);
        console.log(`cpu ${m} B=${b} naive: ${fmt(naive.msPerStep)} ms`);
      }
      stages.push({ backend: 'cpu', model: m, batch: b, ...(await stageTimes(m, b)) });
    }
  }
}

async function runBrowser(records: BenchRecord[], stages: StageRecord[], planes: PlaneCostRecord[]): Promise<void> {
  await build({ configFile, root, logLevel: 'warn' });
  const server = await preview({ configFile, root, preview: { port: 4179, strictPort: false, host: '127.0.0.1' } });
  const url = server.resolvedUrls?.local[0] ?? 'http://127.0.0.1:4179/';
  const browser = await chromium.launch({ executablePath: chromiumPath, args: gpu ? HARDWARE_GPU_ARGS : chromiumArgs });
  let adapter: string;
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error('page error:', e));
    page.on('console', (msg) => {
      if (/WGSL|Invalid|error/i.test(msg.text())) console.error('page console:', msg.text());
    });
    await page.goto(new URL('bench/harness/', url).toString());
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
    const info = await page.evaluate(() => (window as unknown as { __harness: Harness }).__harness.init());
    console.log(`browser backend: ${info.backend} (${info.adapter})`);
    if (info.backend !== 'webgpu') throw new Error(`WebGPU is not available in headless Chromium: ${info.backend}`);
    if (gpu && info.software && !allowSoftware) {
      throw new Error(
        `--gpu: the WebGPU adapter is "${info.adapter}", a software renderer, not a GPU. Check chrome://gpu in ${chromiumPath} ` +
          `(Vulkan driver installed? GPU blocklisted?), set CHROMIUM_PATH to a browser that sees the GPU, or pass --allow-software.`,
      );
    }
    adapter = info.adapter;
    if (parts.includes('plane')) {
      for (const c of PLANE_CASES.filter((x) => planeModels.includes(x.model))) {
        const { warmup, steps } = planeSteps(c);
        const rec = await page.evaluate(
          ([cc, e, w, n]) => (window as unknown as { __harness: Harness }).__harness.planeStepCost(cc, e, w, n),
          [c, PLANE_EVERY, warmup, steps] as const,
        );
        planes.push(rec);
        console.log(`webgpu ${describePlane(rec)}`);
      }
    }
    for (const m of models.filter(() => parts.includes('steps'))) {
      for (const b of batches) {
        const { warmup, repeats } = plan('webgpu', b, 'dp-kernels');
        const recs = await page.evaluate(
          ([mm, bb, pp, w, r]) => (window as unknown as { __harness: Harness }).__harness.benchMany(mm, bb, pp, w, r),
          [m, b, FAST_PATHS, warmup, repeats] as const,
        );
        if (NAIVE) {
          const n = plan('webgpu', b, 'naive');
          recs.push(
            await page.evaluate(([mm, bb, w, r]) => (window as unknown as { __harness: Harness }).__harness.bench(mm, bb, 'naive', w, r), [
              m,
              b,
              n.warmup,
              n.repeats,
            ] as const),
          );
        }
        for (const rec of recs) {
          records.push({ ...rec, adapter });
          console.log(`webgpu ${m} B=${b} ${describe(rec)}`);
        }
        const st = await page.evaluate(([mm, bb]) => (window as unknown as { __harness: Harness }).__harness.stageTimes(mm, bb), [
          m,
          b,
        ] as const);
        stages.push({ backend: 'webgpu', model: m, batch: b, ...st });
        if (profile) {
          for (const p of FAST_PATHS) {
            const rows = await page.evaluate(
              ([mm, bb, pp]) => (window as unknown as { __harness: Harness }).__harness.profileStep(mm, bb, pp),
              [m, b, p] as const,
            );
            printProfile(`webgpu ${m} B=${b} ${p}`, rows);
          }
        }
      }
    }
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const records: BenchRecord[] = [];
  const stages: StageRecord[] = [];
  const planes: PlaneCostRecord[] = [];
  if (only !== 'node') await runBrowser(records, stages, planes);
  if (only !== 'browser') await runNode(records, stages, planes);
  for (const backend of [...new Set(records.map((r) => r.backend))])
    printTable(
      backend,
      records.filter((r) => r.backend === backend),
      stages,
    );
  for (const backend of [...new Set(planes.map((r) => r.backend))])
    printPlaneTable(
      backend,
      planes.filter((r) => r.backend === backend),
    );
  mkdirSync(`${root}/bench-results`, { recursive: true });
  const out = records.map((r) => ({
    ...r,
    stages: stages.find((s) => s.backend === r.backend && s.model === r.model && s.batch === r.batch && r.path === 'dp-kernels'),
  }));
  writeFileSync(`${root}/bench-results/latest.json`, JSON.stringify(out, null, 2));
  if (planes.length) writeFileSync(`${root}/bench-results/plane.json`, JSON.stringify(planes, null, 2));
  console.log(`\nwrote bench-results/latest.json (${records.length} records) in ${((Date.now() - started) / 60000).toFixed(1)} min`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
