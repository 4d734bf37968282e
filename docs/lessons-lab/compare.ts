/**
 * Measures Compare (docs/LESSONS.md, "Compare") in Node: every run of the plan, then the verdict the
 * playground's panel states and each setting's final test accuracy over its seeds.
 *
 *   npx tsx docs/lessons-lab/compare.ts [--dataset circle] [--steps 100] [--seed 1]
 *
 * Seeded randomness (as `autoclip lesson`), so the numbers replay; the playground with secure
 * randomness on draws other noise from the same distribution.
 */
import { COMPARE_DEFAULTS, type CompareOptions } from '../../src/compare/plan';
import type { SyntheticName } from '../../src/config/runConfig';
import { measureCompare } from '../../cli/compareRunner';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const options: CompareOptions = {
  dataset: (option('dataset') as SyntheticName | undefined) ?? COMPARE_DEFAULTS.dataset,
  steps: Number(option('steps') ?? COMPARE_DEFAULTS.steps),
  seed: Number(option('seed') ?? COMPARE_DEFAULTS.seed),
  secureNoise: false,
};

const report = await measureCompare(options, (r, i, n) =>
  console.log(`[${i}/${n}] ${r.label} seed ${r.seed}: test ${(100 * (r.finalTestAccuracy ?? NaN)).toFixed(1)} % after ${r.steps} steps`),
);
console.log(`\n${options.dataset}, ${options.steps} steps, seeds ${options.seed}–${options.seed + 2}, ${report.seconds.toFixed(0)} s`);
console.log('| setting | test accuracy | [min, max] |\n|---|---|---|');
for (const s of report.plan.settings) {
  const f = report.finals.get(s.label)!;
  console.log(
    `| ${s.label} | ${(100 * f.mean).toFixed(1)} ± ${(100 * f.sd).toFixed(1)} % | [${(100 * f.min).toFixed(1)}, ${(100 * f.max).toFixed(1)}] |`,
  );
}
console.log(`\n${report.verdict.headline}\n${report.verdict.details.join('\n')}`);
