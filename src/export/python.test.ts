import { describe, expect, it } from 'vitest';
import { pyDocstring, pyFloat, pyInt, pyStr } from './python';
import { HOSTILE_STRINGS, PYTHON_MISSING, runPython } from './testing/scriptFacts';

describe('pyStr: every string as a Python literal of exactly that string', () => {
  it('is printable ASCII and one literal', () => {
    for (const s of HOSTILE_STRINGS) {
      const lit = pyStr(s);
      expect(lit).toMatch(/^"([\x20-\x21\x23-\x5b\x5d-\x7e]|\\.)*"$/);
    }
  });

  it.skipIf(PYTHON_MISSING)(
    `Python reads each literal back as the same string${PYTHON_MISSING ? ` (skipped: ${PYTHON_MISSING})` : ''}`,
    () => {
      const program = [
        'import ast, json, sys',
        'out = []',
        'for lit in json.loads(sys.argv[1]):',
        '    tree = ast.parse(lit, mode="eval")',
        '    assert isinstance(tree.body, ast.Constant) and isinstance(tree.body.value, str), lit',
        '    out.append(tree.body.value)',
        'json.dump(out, sys.stdout)',
      ].join('\n');
      const back = runPython<string[]>(program, [JSON.stringify(HOSTILE_STRINGS.map(pyStr))]);
      expect(back).toEqual(HOSTILE_STRINGS);
    },
  );
});

describe('pyFloat / pyInt', () => {
  it('refuse non-finite numbers and non-integers, naming the value', () => {
    for (const x of [NaN, Infinity, -Infinity])
      expect(() => pyFloat(x, 'train.learningRate')).toThrow(/train\.learningRate is (NaN|-?Infinity)/);
    for (const x of [NaN, Infinity, 1.5, 2 ** 53]) expect(() => pyInt(x, 'data trainSize')).toThrow(/data trainSize is/);
    expect(() => pyFloat('1; import os' as unknown as number)).toThrow(/only finite numbers/);
  });

  const NUMBERS = [0, -0, 1, 0.1, 1e-7, 2e-6, 1e21, 1.5e300, 5e-324, -3.25, 0.30000000000000004, 2 ** 53 - 1];
  it.skipIf(PYTHON_MISSING)(
    `Python reads the literals back as the same doubles${PYTHON_MISSING ? ` (skipped: ${PYTHON_MISSING})` : ''}`,
    () => {
      const program = 'import ast, json, sys\njson.dump([float(ast.literal_eval(s)) for s in json.loads(sys.argv[1])], sys.stdout)';
      const back = runPython<number[]>(program, [JSON.stringify(NUMBERS.map((x) => pyFloat(x)))]);
      expect(back).toEqual(NUMBERS.map((x) => (Object.is(x, -0) ? 0 : x)));
    },
  );
});

describe('pyDocstring', () => {
  it('refuses text that could end the docstring or change it', () => {
    for (const bad of ['a """ b', 'back\\slash', 'a\nb', 'nul\u0000', 'ls\u2028'])
      expect(() => pyDocstring(['ok', bad])).toThrow(/docstring/);
    expect(() => pyDocstring(['ends with a quote"'])).toThrow(/may not end with a quote/);
    expect(pyDocstring(['One line.'], '    ')).toEqual(['    """One line."""']);
    expect(pyDocstring(['First', '', 'third'], '  ')).toEqual(['  """First', '', '  third', '  """']);
  });
});
