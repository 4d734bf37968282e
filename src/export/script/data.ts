/** The script's data section: load_data() and what it needs, for each source the config can name. */
import { EMBEDDED_MNIST } from '../dataInfo';
import { playgroundDataFileName } from '../playgroundData';
import { pyDocstring, pyFloat, pyInt, pyStr } from '../python';
import { pyFunction, topLevel, type Lines } from './lines';
import type { ExportPlan } from './plan';

/** One line for the header: where the examples come from. */
export function dataDescription({ config, dataset }: ExportPlan): string {
  const d = config.data;
  if (d.source === 'imported') return 'the dataset imported in the playground (DATASET_NAME below), from DATA_FILE';
  if (dataset === 'playground')
    return `the playground's exact ${d.source === 'mnist' ? 'embedded MNIST digits' : `synthetic '${d.name}' points`}, from DATA_FILE`;
  return d.source === 'mnist' ? 'MNIST from torchvision, all of it' : `synthetic '${d.name}', regenerated in numpy`;
}

/** load_data() returning (train, test) datasets, with the constants and helpers it reads. */
export function dataSection(plan: ExportPlan): string[] {
  const { config, info } = plan;
  const data = config.data;
  if (plan.dataset === 'playground') {
    const what = data.source === 'mnist' ? 'MNIST digits' : `'${data.source === 'synthetic' ? data.name : ''}' points`;
    return topLevel(
      [`DATA_FILE = ${pyStr(playgroundDataFileName(data, config.seed))}`],
      ...npzLoader('the export writes it (autoclip export --data playground, or the playground’s export with its data)'),
      loadData(
        [
          `The playground's exact ${what}: ${pyInt(info.trainSize)} training and ${pyInt(info.testSize)} test examples from`,
          'DATA_FILE, which the export writes beside this script. Nothing is downloaded, and the examples,',
          'hence q = B / N and ε, are the playground run’s.',
        ],
        ['return npz_datasets(find_data_file())'],
      ),
    );
  }
  switch (data.source) {
    case 'mnist':
      return loadData(
        [
          `All of MNIST from torchvision (${pyInt(info.trainSize)} training / ${pyInt(info.testSize)} test digits, downloaded into`,
          './data on the first run), pixels in [0, 1] as the playground scales them. The playground itself',
          `trains on an embedded subset of ${pyInt(EMBEDDED_MNIST.trainSize)} / ${pyInt(EMBEDDED_MNIST.testSize)} digits: here q = B / N, the steps of EPOCHS epochs`,
          'and ε are those of the full set. For the playground’s exact digits, offline, export with its',
          'data (autoclip export --data playground, or the playground’s export with its data).',
        ],
        [
          'from torchvision import datasets, transforms',
          '',
          'to_tensor = transforms.ToTensor()',
          "train = datasets.MNIST('data', train=True, download=True, transform=to_tensor)",
          "test = datasets.MNIST('data', train=False, download=True, transform=to_tensor)",
          'return train, test',
        ],
      );
    case 'synthetic':
      return topLevel(
        MAKE_SYNTHETIC,
        loadData(
          [
            `The synthetic set (n = ${pyInt(data.n)}, noise = ${pyFloat(data.noise)}), split into ${pyInt(info.trainSize)} training and ${pyInt(info.testSize)} test points.`,
            'For the playground’s exact points, export with its data (autoclip export --data playground).',
          ],
          [
            'rng = np.random.default_rng(SEED)',
            `x, y = make_synthetic(${pyStr(data.name)}, ${pyInt(data.n)}, ${pyFloat(data.noise)}, rng)`,
            'perm = rng.permutation(len(y))',
            'test_idx, train_idx = np.sort(perm[:TEST_SIZE]), np.sort(perm[TEST_SIZE:])',
            'train = TensorDataset(torch.from_numpy(x[train_idx]), torch.from_numpy(y[train_idx]))',
            'test = TensorDataset(torch.from_numpy(x[test_idx]), torch.from_numpy(y[test_idx]))',
            'return train, test',
          ],
        ),
      );
    case 'imported': {
      const shape =
        info.inputShape.length === 3 ? '[N, C, H, W] (channels first)' : `[N, ${info.inputShape.map((d) => pyInt(d)).join(', ')}]`;
      return topLevel(
        [
          '# The name the dataset had in the playground (for a CSV, its file name): data, never code.',
          `DATASET_NAME = ${pyStr(data.name)}`,
          `DATA_FILE = ${pyStr(`${importedFileStem(data.name)}.npz`)}`,
        ],
        ...npzLoader('save the imported dataset there (see load_data)'),
        loadData(
          [
            'The dataset imported in the playground (DATASET_NAME). Its files stay on your device, so save it',
            'as DATA_FILE beside this script: a numpy .npz with arrays x_train, y_train, x_test, y_test',
            `(x: float32 ${shape} scaled as in the playground, or uint8 pixels; y: labels in [0, ${pyInt(info.numClasses)})).`,
          ],
          ['return npz_datasets(find_data_file())'],
        ),
      );
    }
  }
}

function loadData(docstring: Lines, body: Lines): string[] {
  return pyFunction('load_data()', [...pyDocstring(docstring), ...body]);
}

/** A portable file name from an imported dataset's name: letters, digits, '_', '-', '.' only, no leading dot. */
function importedFileStem(name: string): string {
  return (
    name
      .replace(/[^A-Za-z0-9_.-]+/g, '_')
      .replace(/^[._]+/, '')
      .slice(0, 80) || 'dataset'
  );
}

/** Reading x_train, y_train, x_test, y_test from DATA_FILE (the playground's data, or an imported set saved by the user). */
function npzLoader(missingHint: string): Lines[] {
  return [
    pyFunction('find_data_file()', [
      '"""DATA_FILE beside this script, or else in the current directory."""',
      'for folder in (os.path.dirname(os.path.abspath(__file__)), os.getcwd()):',
      '    path = os.path.join(folder, DATA_FILE)',
      '    if os.path.isfile(path):',
      '        return path',
      `sys.exit(f'{DATA_FILE} is neither beside this script nor in the current directory: ${missingHint}')`,
    ]),
    pyFunction('as_features(x)', [
      '"""float32 features: uint8 pixels divided by 255 in float32, exactly as the playground scales them."""',
      'return torch.from_numpy(x.astype(np.float32) / 255 if x.dtype == np.uint8 else x.astype(np.float32))',
    ]),
    pyFunction('npz_datasets(path)', [
      '"""x_train, y_train, x_test, y_test from an .npz (images channels first, y labels) as datasets."""',
      'd = np.load(path)',
      "train = TensorDataset(as_features(d['x_train']), torch.as_tensor(d['y_train'], dtype=torch.int64))",
      "test = TensorDataset(as_features(d['x_test']), torch.as_tensor(d['y_test'], dtype=torch.int64))",
      'if len(train) != TRAIN_SIZE:',
      "    print(f'note: {len(train)} training examples instead of {TRAIN_SIZE}: q and ε change')",
      'return train, test',
    ]),
  ];
}

/** The playground's 2D teaching sets in numpy (src/data/synthetic.ts's shapes and noise model). */
const MAKE_SYNTHETIC = pyFunction('make_synthetic(name, n, noise, rng)', [
  '"""The playground\'s 2D teaching sets (src/data/synthetic.ts): same shapes and noise model,',
  'numpy\'s random stream instead of the playground\'s, so the points differ but not the task."""',
  'counts = [n // 2 + (1 if c < n % 2 else 0) for c in range(2)]',
  'xs, ys = [], []',
  'for label, count in enumerate(counts):',
  '    for i in range(count):',
  "        if name == 'spirals':",
  '            t = 0.0 if count <= 1 else i / (count - 1)',
  '            r = 0.05 + 0.9 * t',
  '            a = 1.75 * 2 * math.pi * t + label * math.pi',
  '            p = (r * math.sin(a), r * math.cos(a))',
  "        elif name == 'circle':",
  '            r = 0.5 * math.sqrt(rng.random()) if label == 0 else math.sqrt(rng.uniform(0.49, 1.0))',
  '            a = rng.uniform(0, 2 * math.pi)',
  '            p = (r * math.cos(a), r * math.sin(a))',
  "        elif name == 'xor':",
  '            sx = -1 if rng.random() < 0.5 else 1',
  '            sy = sx if label == 1 else -sx',
  '            p = (sx * rng.uniform(0.05, 1), sy * rng.uniform(0.05, 1))',
  '        else:  # blobs, two classes',
  '            a = 2 * math.pi * label / 2 + math.pi / 4',
  '            p = (0.6 * math.cos(a) + 0.12 * rng.normal(), 0.6 * math.sin(a) + 0.12 * rng.normal())',
  '        xs.append((p[0] + noise * rng.normal(), p[1] + noise * rng.normal()))',
  '        ys.append(label)',
  'order = rng.permutation(n)',
  'return np.asarray(xs, dtype=np.float32)[order], np.asarray(ys, dtype=np.int64)[order]',
]);
