import { expect, test, type Page } from '@playwright/test';
import { openAsReturningUser } from './openPlayground';

type Snapshot = {
  order: string[];
  runs: Record<
    string,
    {
      state: string;
      metrics: { step: number }[];
      gradStats?: { step: number; norms: number[] };
      inspection?: { step: number; stats?: { norms: number[] } };
    }
  >;
  activeRunId: string | null;
};

/** Plain-data view of the store (typed arrays turned into arrays). */
async function snap(page: Page): Promise<Snapshot> {
  return page.evaluate(() => {
    const s = (window as unknown as { __playground: { getState(): Record<string, unknown> } }).__playground.getState() as unknown as {
      order: string[];
      activeRunId: string | null;
      runs: Record<
        string,
        {
          state: string;
          metrics: { step: number }[];
          gradStats?: { step: number; norms: Float32Array };
          inspection?: { step: number; stats?: { norms: Float32Array } };
        }
      >;
    };
    const runs: Snapshot['runs'] = {};
    for (const id of s.order) {
      const r = s.runs[id];
      runs[id] = {
        state: r.state,
        metrics: r.metrics.map((m) => ({ step: m.step })),
        gradStats: r.gradStats && { step: r.gradStats.step, norms: Array.from(r.gradStats.norms) },
        inspection: r.inspection && {
          step: r.inspection.step,
          stats: r.inspection.stats && { norms: Array.from(r.inspection.stats.norms) },
        },
      };
    }
    return { order: s.order, runs, activeRunId: s.activeRunId };
  });
}

const ready = openAsReturningUser;

test('a shared URL reopens the same configuration; a tampered one is refused and shown as text', async ({ page, context }) => {
  await ready(page);
  await page.getByLabel('Dataset').selectOption('xor');
  await page.getByLabel('Clipping', { exact: true }).selectOption('abadi');
  await page.getByTestId('clip-norm').fill('0.25');
  await page.getByTestId('learning-rate').fill('0.005');
  await page.getByLabel('Accountant').selectOption('rdp');
  const url = page.url();
  expect(url).toContain('data=xor');

  const other = await context.newPage();
  await other.goto(url);
  await expect(other.getByLabel('Dataset')).toHaveValue('xor');
  await expect(other.getByLabel('Clipping', { exact: true })).toHaveValue('abadi');
  await expect(other.getByTestId('clip-norm')).toHaveValue('0.25');
  await expect(other.getByTestId('learning-rate')).toHaveValue('0.005');
  await expect(other.getByLabel('Accountant')).toHaveValue('rdp');

  // Classroom link: hidden controls are not rendered.
  await other.goto(url + '&hide=privacy');
  await expect(other.getByLabel('Dataset')).toHaveValue('xor');
  await expect(other.getByLabel('Accountant')).toHaveCount(0);

  const tampered = await context.newPage();
  await tampered.goto('/#lr=%3Cimg%20src=x%20onerror=alert(1)%3E');
  await expect(tampered.getByTestId('global-error')).toContainText("URL parameter 'lr' must be a number");
  await expect(tampered.locator('img[src="x"]')).toHaveCount(0);
  await expect(tampered.getByTestId('learning-rate')).toHaveValue('0.002'); // defaults kept

  // σ ≥ ~6.4e307 with PRV hangs forever: beyond the accountants' range it is refused, naming the field.
  const huge = await context.newPage();
  await huge.goto('/#sigma=1e308');
  await expect(huge.getByTestId('global-error')).toContainText('privacy.noise.sigma must be ≤ 10000');
  await expect(huge.getByLabel('Noise set by')).toHaveValue('target'); // defaults kept
});

test('step-through shows the same per-sample norms as the histogram; keyboard drives the run; the page stays responsive', async ({
  page,
}, testInfo) => {
  // Pinned to WebGPU: on a software GPU the speed test picks WebAssembly, which would finish these 5
  // epochs before the keyboard can pause them.
  await ready(page, '#data=circle&epochs=5&backend=webgpu');
  // Long tasks on the main thread, recorded from the start.
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });

  await page.getByTestId('inspect-step').click();
  await expect(page.getByTestId('inspect-table')).toBeVisible({ timeout: 120_000 });
  const s = await snap(page);
  const run = s.runs[s.activeRunId!];
  expect(run.inspection!.step).toBe(1);
  expect(run.gradStats!.step).toBe(1);
  expect(run.inspection!.stats!.norms).toEqual(run.gradStats!.norms);
  // The table lists the largest norms first, with the histogram's values.
  const shown = (await page.getByTestId('inspect-norm').allTextContents()).map(Number);
  const largest = [...run.gradStats!.norms].sort((a, b) => b - a).slice(0, shown.length);
  shown.forEach((v, i) => expect(v).toBeCloseTo(largest[i], 3));
  await expect(page.getByTestId('inspect-batch')).toHaveText(String(run.gradStats!.norms.length));

  // Keyboard: space plays, space pauses, → steps once. While it runs, sample the main thread.
  const t0 = await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    return performance.now();
  });
  await page.keyboard.press('Space');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'running');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  await expect.poll(async () => (await snap(page)).runs[s.activeRunId!].metrics.length, { timeout: 120_000 }).toBeGreaterThanOrEqual(15);
  const { profile } = await cdp.send('Profiler.stop');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'paused');
  const before = (await snap(page)).runs[s.activeRunId!].metrics.length;
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => (await snap(page)).runs[s.activeRunId!].metrics.length).toBe(before + 1);

  // Responsiveness. Training runs in the worker, so the page's own script work while charts stream
  // must be a small share of the main thread (profiler samples in JS functions, as opposed to idle,
  // browser-native work or GC). Long tasks are recorded too; on our 2-core CI machines SwiftShader's
  // software GPU shares the cores with the page, which stretches tasks in wall time (see the issue
  // note), so the bound on single tasks is 1 s, not 100 ms.
  const special = new Map(
    profile.nodes
      .filter((n) => ['(idle)', '(program)', '(garbage collector)', '(root)'].includes(n.callFrame.functionName))
      .map((n) => [n.id, n.callFrame.functionName]),
  );
  const samples = profile.samples ?? [];
  const share = (name: string) => samples.filter((id) => special.get(id) === name).length / Math.max(1, samples.length);
  const scriptShare = samples.filter((id) => !special.has(id)).length / Math.max(1, samples.length);
  const long = await page.evaluate(
    (start) =>
      (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks.filter((t) => t.start > start + 1000),
    t0,
  );
  testInfo.annotations.push({
    type: 'main thread',
    description: `script ${(100 * scriptShare).toFixed(0)}%, idle ${(100 * share('(idle)')).toFixed(0)}%, native ${(100 * share('(program)')).toFixed(0)}%, gc ${(100 * share('(garbage collector)')).toFixed(0)}% of samples; long tasks (ms): ${long.map((t) => Math.round(t.duration)).join(', ') || 'none'}`,
  });
  console.log(testInfo.annotations.map((a) => a.description).join('\n'));
  expect(scriptShare).toBeLessThan(0.35);
  expect(long.filter((t) => t.duration > 1000)).toEqual([]);
  await page.screenshot({ path: testInfo.outputPath('main-view.png'), fullPage: true });
});

test('Download config gives the run.json the CLI reads; Load config applies a valid one and refuses a bad one', async ({ page }) => {
  await ready(page, '#data=xor&lr=0.01');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-config').click()]);
  expect(download.suggestedFilename()).toBe('run.json');
  const text = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  const config = JSON.parse(text);
  expect(config).toMatchObject({ version: 1, data: { source: 'synthetic', name: 'xor' }, train: { learningRate: 0.01 } });

  const bad = { ...config, train: { ...config.train, learningRate: -2 } };
  await page
    .getByTestId('load-config-input')
    .setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
  await expect(page.getByTestId('config-file-error')).toContainText('train.learningRate');
  await expect(page.getByTestId('learning-rate')).toHaveValue('0.01');

  const good = { ...config, data: { ...config.data, name: 'spirals' }, train: { ...config.train, learningRate: 0.05 } };
  await page
    .getByTestId('load-config-input')
    .setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(good)) });
  await expect(page.getByLabel('Dataset')).toHaveValue('spirals');
  await expect(page.getByTestId('learning-rate')).toHaveValue('0.05');
  await expect(page.getByTestId('config-file-error')).toHaveCount(0);
});

test('Export to Opacus / fastDP downloads a script with the run’s numbers', async ({ page }) => {
  await ready(page, '#data=mnist&eps=2&batch=128&epochs=3&lr=0.001&clip=abadi&R=0.5');
  for (const [id, file, must] of [
    ['export-opacus', 'train_opacus.py', ['opacus', 'max_grad_norm', '0.5']],
    ['export-fastdp', 'train_fastdp.py', ['fastDP', 'Abadi']],
  ] as const) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(id).click()]);
    expect(download.suggestedFilename()).toBe(file);
    const text = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
    for (const m of must) expect(text).toContain(m);
    expect(text).toMatch(/128/);
    expect(text).toMatch(/0\.001/);
  }
  // With the playground's data: one .zip holding the script and the embedded digits it reads offline.
  await page.getByTestId('export-with-data').check();
  const [zip] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-opacus').click()]);
  expect(zip.suggestedFilename()).toBe('train_opacus.zip');
  const bytes = await (await zip.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks));
  expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
  for (const name of ['train_opacus.py', 'mnist_playground.npz', 'DATA_FILE = "mnist_playground.npz"'])
    expect(bytes.includes(name)).toBe(true);
});
