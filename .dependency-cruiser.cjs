/**
 * The house rules of the import graph (docs/ARCHITECTURE.md): no circles, and every folder imports
 * only the folders below it. Checked by `npm run lint` (part of `npm test`).
 *
 * Layers, bottom up (a folder may import its own layer's pure neighbours listed in `allowed`):
 *   foundation  src/config, src/clipping, src/random, src/domain
 *   math & data src/privacy, src/data, src/model, src/optim, src/kernels
 *   DP step     src/dp
 *   services    src/engine, src/sweep, src/export, src/persistence, src/lessons, src/compare
 *   contract    src/protocol
 *   hosts       src/client, src/store, workers, cli
 *   view        src/ui
 *   entry       src/main.tsx, bench, e2e
 */
const layer = (name, folders, mayImport) => ({
  name,
  from: { path: `^(${folders.join('|')})/`, pathNot: TESTS },
  to: { path: '^(src|workers|cli|bench|e2e)/', pathNot: `^(${[...folders, ...mayImport].join('|')})/` },
});

/** Tests may read any layer as their reference (a kernel test checks against the DP rules). */
const TESTS = '\\.test\\.tsx?$|/testing/';

const FOUNDATION = ['src/config', 'src/clipping', 'src/random', 'src/domain'];
const MATH = ['src/privacy', 'src/data', 'src/model', 'src/optim', 'src/kernels'];
const SERVICES = ['src/engine', 'src/sweep', 'src/export', 'src/persistence', 'src/lessons', 'src/compare'];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Files that import each other cannot be understood one at a time.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A module nothing imports is dead code (tests, configs and entry points aside).',
      from: {
        orphan: true,
        pathNot: [
          '\\.test\\.tsx?$',
          '\\.spec\\.ts$',
          '\\.d\\.ts$',
          '(^|/)\\.[^/]+\\.(c|m)?js$',
          '\\.config\\.ts$',
          '^src/main\\.tsx$',
          '^workers/[^/]+\\.worker\\.ts$',
          '^bench/',
          '^scripts/',
          '^bin/',
          '^cli/main\\.ts$',
        ],
      },
      to: {},
    },
    { ...layer('foundation-imports-only-foundation', FOUNDATION, []), severity: 'error' },
    { ...layer('math-and-data-import-only-foundation', MATH, FOUNDATION), severity: 'error' },
    { ...layer('dp-step-imports-only-below', ['src/dp'], [...FOUNDATION, ...MATH]), severity: 'error' },
    { ...layer('services-import-only-below', SERVICES, [...FOUNDATION, ...MATH, 'src/dp']), severity: 'error' },
    { ...layer('protocol-imports-only-below', ['src/protocol'], [...FOUNDATION, ...MATH, 'src/dp', ...SERVICES]), severity: 'error' },
    {
      ...layer(
        'hosts-import-only-below',
        ['src/client', 'src/store', 'workers', 'cli'],
        [...FOUNDATION, ...MATH, 'src/dp', ...SERVICES, 'src/protocol'],
      ),
      severity: 'error',
    },
    {
      name: 'no-tfjs-in-the-ui',
      severity: 'error',
      comment: 'The UI never loads TF.js: it talks to the worker (docs/ARCHITECTURE.md: the worker owns TF.js).',
      from: { path: '^src/(ui|store|client)/' },
      to: { path: '@tensorflow', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
