import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRunConfig, type RunConfig } from '../config/runConfig';
import { readMnistSplit } from '../data/node';
import type { Dataset, DatasetSplit } from '../data/types';
import { loadSplit } from '../engine/datasets';
import { scriptWithPlaygroundData, zipScriptWithData } from './bundle';
import { playgroundDataFileName, playgroundDataNpz } from './playgroundData';
import { freshDir, NUMPY_MISSING, runPython, tempFile } from './testing/scriptFacts';

const skipNote = NUMPY_MISSING ? ` (skipped: ${NUMPY_MISSING})` : '';
const provider = { mnist: () => readMnistSplit() };

/**
 * Runs the generated script's own data code (its constants, find_data_file, as_features, npz_datasets
 * and load_data, taken from the script by ast) with numpy and a stand-in for the three torch calls it
 * makes, and reports each part's size, shape, dtype and SHA-256 of x (as float32) and y (as int64).
 */
const LOAD_WITH_SCRIPT = `
import ast, hashlib, json, os, sys, types
import numpy as np
script = sys.argv[1]
tree = ast.parse(open(script, encoding='utf-8').read())
keep = [n for n in tree.body if isinstance(n, ast.Assign) or (isinstance(n, ast.FunctionDef) and n.name in ('find_data_file', 'as_features', 'npz_datasets', 'load_data'))]
class TensorDataset:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __len__(self):
        return len(self.y)
torch = types.SimpleNamespace(from_numpy=lambda a: a, as_tensor=lambda a, dtype: np.asarray(a, dtype=dtype), int64=np.int64)
ns = {'np': np, 'torch': torch, 'TensorDataset': TensorDataset, 'os': os, 'sys': sys, '__file__': script}
exec(compile(ast.Module(body=keep, type_ignores=[]), script, 'exec'), ns)
def h(a):
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()
def part(d):
    return {'n': len(d), 'shape': list(d.x.shape), 'dtype': str(d.x.dtype), 'x': h(d.x), 'y': h(d.y)}
train, test = ns['load_data']()
json.dump({'train': part(train), 'test': part(test)}, sys.stdout)
`;

type Part = { n: number; shape: number[]; dtype: string; x: string; y: string };

function sha256(bytes: ArrayBufferView): string {
  return createHash('sha256')
    .update(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    .digest('hex');
}

function expected(d: Dataset): Part {
  const n = d.y.length;
  const shape = d.inputShape.length === 3 ? [n, d.inputShape[2], d.inputShape[0], d.inputShape[1]] : [n, ...d.inputShape];
  return { n, shape, dtype: 'float32', x: sha256(d.x), y: sha256(BigInt64Array.from(d.y, (v) => BigInt(v))) };
}

/** Writes the script and its data file into a fresh folder, and loads the data the way the script does. */
async function loadLikeTheScript(config: RunConfig): Promise<{ parts: { train: Part; test: Part }; script: string; split: DatasetSplit }> {
  const bundle = await scriptWithPlaygroundData(config, 'opacus', provider);
  const folder = freshDir();
  const scriptPath = join(folder, 'train_opacus.py');
  writeFileSync(scriptPath, bundle.script);
  writeFileSync(join(folder, bundle.data.name), bundle.data.bytes);
  return {
    parts: runPython(LOAD_WITH_SCRIPT, [scriptPath]),
    script: bundle.script,
    split: await loadSplit(config.data, config.seed, provider),
  };
}

describe("the playground's exact data beside the script (MNIST scripts trained on a random 8,000 of torchvision's digits)", () => {
  it.skipIf(NUMPY_MISSING)(
    `MNIST: the script loads the embedded 8,000 / 2,000 digits, bit for bit as the playground's float32 pixels${skipNote}`,
    async () => {
      const c = defaultRunConfig();
      const { parts, script, split } = await loadLikeTheScript(c);
      expect(split.train.y.length).toBe(8000);
      expect(parts.train).toEqual(expected(split.train));
      expect(parts.test).toEqual(expected(split.test));
      expect(script).toContain('DATA_FILE = "mnist_playground.npz"');
      expect(script).toMatch(/^TRAIN_SIZE = 8000$/m);
      expect(script).not.toMatch(/torchvision|download=True/);
    },
    60_000,
  );

  it.skipIf(NUMPY_MISSING)(
    `synthetic: the script loads the playground's own points (float32), not a numpy regeneration${skipNote}`,
    async () => {
      const c: RunConfig = {
        ...defaultRunConfig(),
        seed: 42,
        data: { source: 'synthetic', name: 'circle', n: 333, noise: 0.1, testFraction: 0.3 },
      };
      c.train.batchSize = 32;
      const { parts, script, split } = await loadLikeTheScript(c);
      expect(parts.train).toEqual(expected(split.train));
      expect(parts.test).toEqual(expected(split.test));
      expect(script).not.toContain('make_synthetic');
      expect(playgroundDataFileName(c.data, 42)).not.toBe(playgroundDataFileName(c.data, 43));
    },
    60_000,
  );

  it.skipIf(NUMPY_MISSING)(`colour images are written channels first, as PyTorch reads them${skipNote}`, () => {
    // 2 images of 2×2×3, values that are not bytes / 255 (so float32 is kept).
    const x = Float32Array.from({ length: 24 }, (_, i) => i + 0.5);
    const d = (n: number): Dataset => ({
      name: 't',
      x: x.slice(0, n * 12),
      y: Int32Array.from({ length: n }, (_, i) => i),
      inputShape: [2, 2, 3],
      numClasses: 2,
      source: 't',
    });
    const file = tempFile(playgroundDataNpz({ train: d(2), test: d(1) }), '.npz');
    const back = runPython<{ shape: number[]; dtype: string; values: number[][][][] }>(
      'import json, sys\nimport numpy as np\nx = np.load(sys.argv[1])["x_train"]\njson.dump({"shape": list(x.shape), "dtype": str(x.dtype), "values": x.tolist()}, sys.stdout)',
      [file],
    );
    expect(back.shape).toEqual([2, 3, 2, 2]);
    expect(back.dtype).toBe('float32');
    for (let n = 0; n < 2; n++)
      for (let h = 0; h < 2; h++)
        for (let w = 0; w < 2; w++) for (let c = 0; c < 3; c++) expect(back.values[n][c][h][w]).toBe(x[n * 12 + (h * 2 + w) * 3 + c]);
  });

  it.skipIf(NUMPY_MISSING)(`the playground's download is one .zip holding the script and its data${skipNote}`, async () => {
    const c: RunConfig = { ...defaultRunConfig(), data: { source: 'synthetic', name: 'xor', n: 100, noise: 0, testFraction: 0.2 } };
    c.train.batchSize = 16;
    const bundle = await scriptWithPlaygroundData(c, 'fastdp', provider);
    const file = tempFile(zipScriptWithData('train_fastdp.py', bundle), '.zip');
    const names = runPython<string[]>(
      'import json, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\njson.dump(z.namelist(), sys.stdout)',
      [file],
    );
    expect(names).toEqual(['train_fastdp.py', bundle.data.name]);
  });

  it('an imported set cannot be bundled (its data stays in the browser that imported it)', async () => {
    const c: RunConfig = { ...defaultRunConfig(), data: { source: 'imported', id: 'x', name: 'mine' } };
    await expect(scriptWithPlaygroundData(c, 'opacus', provider)).rejects.toThrow(/imported set stays on the device/);
  });
});
