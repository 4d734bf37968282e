"""Facts about generated training scripts, for the export tests (src/export/scriptFacts.ts).

Parses and compiles each file given on the command line (what `python3 -m py_compile` checks: the
parser alone accepts, for example, a `break` outside a loop; nothing is executed) and prints a JSON list
with, per file: the top-level constants (literals and arithmetic on earlier constants, evaluated
without builtins), every string constant, the docstrings, the called functions with their
arguments, the names and attribute names used as code, and each function's normalised source.
"""
import ast
import json
import sys


def constant_value(node, env):
    if any(isinstance(n, (ast.Call, ast.Attribute, ast.Subscript, ast.Lambda)) for n in ast.walk(node)):
        return None
    try:
        return eval(compile(ast.Expression(node), '<constant>', 'eval'), {'__builtins__': {}}, dict(env))
    except Exception:
        return None


class Calls(ast.NodeVisitor):
    def __init__(self):
        self.stack = ['<module>']
        self.calls = []

    def visit_FunctionDef(self, node):
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    def visit_Call(self, node):
        self.calls.append({
            'in': self.stack[-1],
            'line': node.lineno,
            'func': ast.unparse(node.func),
            'args': [ast.unparse(a) for a in node.args],
            'kwargs': {k.arg or '**': ast.unparse(k.value) for k in node.keywords},
        })
        self.generic_visit(node)


def facts(path):
    with open(path, encoding='utf-8') as f:
        tree = ast.parse(f.read(), filename=path)
    compile(tree, path, 'exec')  # the compiler's own checks: break/continue/return/yield/nonlocal placement
    env = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = constant_value(node.value, env)
            if value is not None:
                env[node.targets[0].id] = value
    docstrings = [ast.get_docstring(n, clean=False) for n in ast.walk(tree) if isinstance(n, (ast.Module, ast.FunctionDef))]
    calls = Calls()
    calls.visit(tree)
    return {
        'constants': env,
        'strings': [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)],
        'docstrings': [d for d in docstrings if d is not None],
        'calls': calls.calls,
        'names': sorted({n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}),
        'attributes': sorted({n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}),
        'functions': {n.name: ast.unparse(n) for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)},
    }


if __name__ == '__main__':
    json.dump([facts(p) for p in sys.argv[1:]], sys.stdout)
