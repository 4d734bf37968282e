/** `autoclip lesson`: list the guided lessons, or train one lesson's runs over seeds and check its outcome. */
import { LESSONS, LESSON_SEEDS, lessonByName, lessonSeeds, type Lesson } from '../../src/lessons';
import { EXIT_FAILURE, EXIT_OK, numberIn, parseNumber, positiveInteger, TRAINING_OUTPUT_OPTIONS, UsageError } from '../args';
import type { Command } from '../command';
import { flagsUnlessHelp, printJson } from '../command';
import { formatDuration } from '../format';

/** More seeds than this is a typo, not a measurement (each seed trains every run of the lesson again). */
const MAX_SEEDS = 20;

const HELP = `Usage: autoclip lesson --list [--json]
       autoclip lesson NAME [--seeds K] [--json] [--quiet]

The playground's guided lessons (docs/LESSONS.md), headless: trains every run of lesson NAME once per seed
(seeds 1…K, default ${LESSON_SEEDS.length}) in Node through the engine's RunController, the loop the
playground trains with, and checks the lesson's outcome on those runs: the claim, whether it held,
and the numbers it rests on. Lessons: ${LESSONS.map((l) => l.name).join(', ')}.

  --list         list the lessons (name, title, runs, paper section)
  --seeds K      seeds 1…K for every run (1 to ${MAX_SEEDS}; default ${LESSON_SEEDS.length})
  --json         print one JSON object: --list: { lessons: [...] }; a lesson:
                 { lesson, runs: [{ label, config, seed, finalTestAccuracy, epsilon }],
                   outcome: { claim, holds, numbers, detail } }
  --quiet        no progress lines on stderr
  -h, --help     show this help

Exit code 0 when the outcome held, 1 when it did not (the report is printed either way), 2 for bad usage.
The lessons use seeded randomness (privacy.secureNoise false) so that a seed reproduces its run.`;

function listing(l: Lesson) {
  return { name: l.name, title: l.title, summary: l.summary, paper: l.paper, runs: l.runs.map((r) => r.label) };
}

export const lessonCommand: Command = {
  name: 'lesson',
  summary: 'list the guided lessons, or train one over seeds and check what it should show',
  help: HELP,
  async run(argv, io) {
    const [first, ...rest] = argv;
    const name = first !== undefined && !first.startsWith('-') ? first : undefined;
    const values = flagsUnlessHelp(
      name === undefined ? argv : rest,
      {
        list: { type: 'boolean' },
        seeds: { type: 'string' },
        ...TRAINING_OUTPUT_OPTIONS,
      },
      HELP,
      io,
    );
    if (values === null) return EXIT_OK;
    if (values.list) {
      if (name !== undefined) throw new UsageError(`--list takes no lesson name (got '${name}')`);
      if (values.seeds !== undefined) throw new UsageError('--seeds goes with a lesson name, not with --list');
      if (values.json) printJson(io, { lessons: LESSONS.map(listing) });
      else for (const l of LESSONS) io.out(`${l.name.padEnd(20)} ${l.title} (${l.runs.length} runs)`);
      return EXIT_OK;
    }
    if (name === undefined) throw new UsageError(`missing lesson name (one of: ${LESSONS.map((l) => l.name).join(', ')}) or --list`);
    const lesson = lessonByName(name);
    if (!lesson) throw new UsageError(`unknown lesson '${name}' (expected one of: ${LESSONS.map((l) => l.name).join(', ')})`);
    const k = values.seeds === undefined ? LESSON_SEEDS.length : positiveInteger('seeds', parseNumber('seeds', values.seeds));
    numberIn('seeds', k, 1, MAX_SEEDS, true, true);

    // TF.js and the engine load only when a lesson trains.
    const { runLesson } = await import('../lessonRunner');
    const report = await runLesson(lesson, lessonSeeds(k), (p) => {
      if (values.quiet) return;
      const acc = p.record.finalTestAccuracy === null ? '—' : `${(100 * p.record.finalTestAccuracy).toFixed(1)}%`;
      const eps = p.record.epsilon === null ? '' : `, ε ${p.record.epsilon.toFixed(3)}`;
      io.err(`[${p.index}/${p.total}] ${p.label}, seed ${p.seed}: test ${acc}${eps} (${formatDuration(p.seconds)})`);
    });
    if (values.json) {
      printJson(io, {
        lesson: report.lesson,
        runs: report.runs.map((r) => ({
          label: r.label,
          config: r.config,
          seed: r.seed,
          finalTestAccuracy: r.finalTestAccuracy,
          epsilon: r.epsilon,
        })),
        outcome: report.outcome,
      });
    } else {
      io.out(`${lesson.title} (${lesson.paper})`);
      io.out(`Claim: ${report.outcome.claim}`);
      io.out(`${report.outcome.holds ? 'Held' : 'Did not hold this time'}: ${report.outcome.detail}`);
      io.out(`${report.runs.length} runs in ${formatDuration(report.seconds)}`);
    }
    return report.outcome.holds ? EXIT_OK : EXIT_FAILURE;
  },
};
