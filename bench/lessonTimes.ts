/**
 * How long each lesson takes in the playground with its 3 seeds, from the click on "Train lesson runs"
 * to the verdict on the preset seed and to the verdict over the 3 seeds (docs/LESSONS.md, "How long
 * each lesson takes"). Serves the production build (`npx vite build` first) with `vite preview`, opens
 * each lesson's link in a fresh page of headless Chromium (the flags of playwright.config.ts), and
 * waits for the panel's verdicts. Prints one line per lesson as JSON, then a table.
 *
 *   npx tsx bench/lessonTimes.ts [--port=4183] [--lessons=why-clip,what-r-does,…]
 */
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import { preview } from 'vite';
import { chromiumArgs, chromiumPath } from '../playwright.config';
import { LESSONS } from '../src/lessons';
import { estimateLessonSeconds } from '../src/lessons/duration';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const port = Number(arg('port') ?? 4183);
const names = arg('lessons')?.split(',') ?? LESSONS.map((l) => l.name);
/** A lesson that has not finished after this long is reported as unfinished. */
const LIMIT_MS = 90 * 60_000;

interface LessonTime {
  lesson: string;
  backend: string | null;
  runs: number;
  steps: number;
  estimateSeconds: number;
  busyEstimateSeconds: number;
  oneSeedSeconds: number;
  threeSeedSeconds: number | null;
  oneSeedHolds: string | null;
  threeSeedHolds: string | null;
  threeSeedText: string;
}

async function timeLesson(page: Page, base: string, name: string): Promise<LessonTime> {
  await page.goto(`${base}#lesson=${name}`);
  await page.getByTestId('backend-badge').and(page.locator('[data-backend]')).waitFor({ timeout: 300_000 });
  const panel = page.getByTestId('lesson-panel');
  await panel.waitFor();
  const t0 = Date.now();
  await page.getByTestId('lesson-train').click();
  await page.locator('[data-testid="lesson-outcome"][data-holds]').waitFor({ timeout: LIMIT_MS });
  const oneSeedSeconds = (Date.now() - t0) / 1000;
  const seeds = page.locator('[data-testid="lesson-outcome-seeds"]:not([data-status="running"])');
  await seeds.waitFor({ timeout: LIMIT_MS });
  const status = await seeds.getAttribute('data-status');
  const threeSeedSeconds = status === 'done' ? (Date.now() - t0) / 1000 : null;
  const estimate = estimateLessonSeconds(LESSONS.find((l) => l.name === name)!);
  return {
    lesson: name,
    backend: await page.getByTestId('backend-badge').getAttribute('data-backend'),
    runs: estimate.runs,
    steps: estimate.steps,
    estimateSeconds: Math.round(estimate.seconds),
    busyEstimateSeconds: Math.round(estimate.busySeconds),
    oneSeedSeconds,
    threeSeedSeconds,
    oneSeedHolds: await page.getByTestId('lesson-outcome').getAttribute('data-holds'),
    threeSeedHolds: await seeds.getAttribute('data-holds'),
    threeSeedText: (await seeds.innerText()).replace(/\s+/g, ' '),
  };
}

const server = await preview({ root, preview: { port, strictPort: true, host: '127.0.0.1' } });
const base = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${port}/`;
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
const times: LessonTime[] = [];
try {
  for (const name of names) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => console.error(`${name}: page error:`, e));
    const t = await timeLesson(page, base, name);
    console.log(JSON.stringify({ ...t, at: new Date().toISOString() }));
    times.push(t);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
console.log('\n| lesson | runs (3 seeds) | steps | seed 1 verdict | 3-seed verdict | estimate idle / busy |');
console.log('|---|---|---|---|---|---|');
for (const t of times) {
  const three = t.threeSeedSeconds === null ? 'not reached' : `${t.threeSeedSeconds.toFixed(0)} s`;
  console.log(
    `| ${t.lesson} | ${t.runs} | ${t.steps} | ${t.oneSeedSeconds.toFixed(0)} s | ${three} | ${t.estimateSeconds} / ${t.busyEstimateSeconds} s |`,
  );
}
