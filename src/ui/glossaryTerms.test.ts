import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../config/runConfig';
import type { GradientPlane } from '../domain/gradientPlane';
import type { GradStats } from '../domain/gradStats';
import { GLOSSARY, type GlossaryKey } from '../lessons/glossary';
import { createPlaygroundStore } from '../store/playgroundStore';
import { Charts, RunSummary } from './App';
import { Inspector } from './Inspector';
import { GradientPlaneView } from './plane/GradientPlaneView';
import { StoreProvider } from './storeContext';

/**
 * Issue 12: every DP term the charts and the step-through name opens its glossary definition on
 * hover, focus and tap, through the one Term component (src/ui/lessons/Term.tsx). Term's key is typed,
 * so a missing entry does not compile; what this checks is that each surface offers the terms it
 * names, rendered as the page renders them (the browser check of the help itself is
 * e2e/readable.spec.ts).
 */

/** The outer HTML of the element carrying data-testid=`id` (the first one), found by balancing its tag. */
function region(html: string, id: string): string {
  const at = html.indexOf(`data-testid="${id}"`);
  if (at < 0) throw new Error(`no element with data-testid="${id}"`);
  const start = html.lastIndexOf('<', at);
  const tag = /^<([a-z0-9]+)/.exec(html.slice(start))![1];
  const pattern = new RegExp(`<${tag}[\\s>]|</${tag}>`, 'g');
  pattern.lastIndex = start;
  let depth = 0;
  for (let m = pattern.exec(html); m; m = pattern.exec(html)) {
    depth += m[0].startsWith('</') ? -1 : 1;
    if (depth === 0) return html.slice(start, m.index + m[0].length);
  }
  throw new Error(`unbalanced <${tag}> around data-testid="${id}"`);
}

/** Glossary keys of the Term buttons in a piece of markup. */
function termsIn(html: string): Set<string> {
  return new Set([...html.matchAll(/data-testid="term-([A-Za-z]+)"/g)].map((m) => m[1]));
}

const f32 = (xs: number[]) => Float32Array.from(xs);

function stats(step: number): GradStats {
  return {
    step,
    norms: f32([0.5, 2, 8]),
    histogram: { edges: f32([0, 4, 8]), counts: Uint32Array.from([2, 1]) },
    fractionClipped: 2 / 3,
    meanClipFactor: 0.43,
    clippedSumNorm: 2.1,
    noiseNorm: 3.4,
    maxGradNorm: 1,
    clipFactors: f32([1, 0.5, 0.125]),
  };
}

function plane(clipping: string, circleRadius: number | null): GradientPlane {
  return {
    step: 3,
    clipping,
    circleRadius,
    labels: Int32Array.from([0, 1]),
    thumbnails: null,
    raw: f32([1, 0, 0, 2]),
    clipped: f32([1, 0, 0, 0.5]),
    norms: f32([1, 2]),
    scales: f32([1, 0.25]),
    captured: f32([1, 1]),
    clippedSum: [1, 0.5],
    noiseRadius: 0.8,
    divisor: 4,
    update: [0.25, 0.125],
    updateNoiseRadius: 0.2,
    eigenvalues: [4, 1],
    batchShare: 1,
  };
}

/** The run summary, the charts and the step-through as React renders them, with one private Abadi run that has trained, been inspected and drawn its plane. */
function pageWithInspectedRun(): string {
  const base = defaultRunConfig();
  const store = createPlaygroundStore(
    { send: () => {} },
    { ...base, privacy: { ...base.privacy, enabled: true, clipping: 'abadi', maxGradNorm: 1 } },
  );
  store.getState().train();
  const runId = store.getState().activeRunId!;
  store.getState().applyEvents([
    {
      v: 1,
      type: 'metrics',
      runId,
      points: [
        { step: 3, epoch: 0.1, loss: 0.7, batchSize: 3, samplesPerSec: 10, elapsedMs: 30, epsilon: 0.2, signalNorm: 2, noiseNorm: 3 },
      ],
    },
    { v: 1, type: 'gradStats', runId, stats: stats(3) },
    {
      v: 1,
      type: 'inspection',
      runId,
      inspection: {
        step: 3,
        indices: Int32Array.from([4, 9, 11]),
        labels: Int32Array.from([0, 1, 1]),
        paddedSize: 4,
        expectedBatchSize: 3,
        loss: 0.7,
        stats: stats(3),
        noiseStd: 1.1,
        updateNorm: 0.01,
        learningRate: 0.1,
      },
    },
    { v: 1, type: 'gradientPlane', runId, plane: plane('abadi', 1) },
  ]);
  // Server rendering reads a zustand store's initial state: show this one as it is now.
  store.getInitialState = store.getState;
  return renderToStaticMarkup(
    createElement(StoreProvider, {
      store,
      children: [
        createElement(RunSummary, { key: 'summary' }),
        createElement(Charts, { key: 'charts' }),
        createElement(Inspector, { key: 'inspector' }),
      ],
    }),
  );
}

describe('glossary terms in the charts and the step-through', () => {
  const html = pageWithInspectedRun();
  const offers: [string, GlossaryKey[]][] = [
    ['run-summary', ['epsilon', 'sigma']],
    ['epsilon-chart', ['epsilon', 'accountants']],
    ['signal-noise-chart', ['clipping', 'sigma']],
    ['norm-histogram', ['gradNorm', 'R', 'clipping', 'sigma', 'clipFactor']],
    ['clip-factor-chart', ['clipFactor']],
    ['inspect-steps', ['poisson', 'expectedBatch', 'clipFactor', 'bookkeeping', 'gradNorm', 'clipping', 'sigma', 'S']],
    ['gradient-plane', ['R', 'gradNorm', 'clipFactor']],
  ];
  it.each(offers)('%s offers its terms as glossary help', (id, keys) => {
    const terms = termsIn(region(html, id));
    for (const k of keys) expect(terms, `${id}: ${k}`).toContain(k);
    for (const k of terms) expect(GLOSSARY, `${id} names '${k}'`).toHaveProperty(k);
  });

  it("the run summary's σ help is the glossary's definition, then this run's noise", () => {
    const summary = region(html, 'run-summary');
    const sigmaHelp = /data-testid="term-sigma"[^]*?role="tooltip"[^>]*>([^]*?)<\/span>/.exec(summary)![1];
    expect(sigmaHelp).toContain(GLOSSARY.sigma.text);
    expect(sigmaHelp).toContain('standard deviation σ·R (R = 1)');
  });

  it('the plane of an automatic-clipping run names automatic clipping, not R', () => {
    const terms = termsIn(renderToStaticMarkup(createElement(GradientPlaneView, { plane: plane('auto-s', 1), color: '#000' })));
    expect(terms).toContain('automatic');
    expect(terms).not.toContain('R');
  });

  it('every glossary entry has a term and a definition', () => {
    for (const [k, e] of Object.entries(GLOSSARY)) {
      expect(e.term.trim(), k).not.toBe('');
      expect(e.text.length, k).toBeGreaterThan(40);
    }
  });
});
