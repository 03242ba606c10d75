"""Answer oracle checks inside one virtual environment with MLflow installed.

run.py starts this file with the environment's interpreter, writes a JSON
list of checks (the [[check]] tables of the claims files, one form each: the
claimed API or its fixed form) on stdin, and reads one JSON answer per check
from stdout:

    {"works": true}
    {"works": false, "error": "TypeError", "errors": [...], "message": "..."}

"error" is the class of the exception (or the failure's name for the kinds
that raise none), "errors" the names of its classes up the MRO (so that a
claim of ImportError matches a ModuleNotFoundError), "message" its text.
"""

import contextlib
import importlib
import inspect
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings

TIMEOUT = 300


def failed(exc):
    names = [c.__name__ for c in type(exc).__mro__ if c not in (object, BaseException)]
    return {"works": False, "error": names[0], "errors": names, "message": str(exc)}


def failure(name, message):
    return {"works": False, "error": name, "errors": [name], "message": message}


def resolve(path):
    """Reach a dotted path the way user code does: import the longest
    module prefix, then getattr the rest."""
    parts = path.split(".")
    for i in range(len(parts), 0, -1):
        name = ".".join(parts[:i])
        try:
            obj = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if i > 1 and e.name and (e.name == name or name.startswith(e.name + ".")):
                continue
            raise
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(f"No module named {parts[0]!r}", name=parts[0])


def placeholder(n):
    return [None] * n


def check_import(c):
    mod = importlib.import_module(c["module"])
    if c.get("name"):
        # `from module import name`: a missing attribute is an ImportError
        # (a submodule of that name is imported, as Python does).
        if not hasattr(mod, c["name"]):
            try:
                importlib.import_module(c["module"] + "." + c["name"])
            except ModuleNotFoundError:
                raise ImportError(f"cannot import name {c['name']!r} from {c['module']!r}") from None


def check_attribute(c):
    getattr(resolve(c["api"]), c["attribute"])


def static_signature(path):
    """The signature of a function read from its source file without
    importing its module (whose own imports may be absent): path is
    module.function or module.Class.method."""
    import ast
    import importlib.util

    parts = path.split(".")
    for i in range(len(parts) - 1, 0, -1):
        spec = importlib.util.find_spec(".".join(parts[:i]))
        if spec is not None and spec.origin:
            break
    else:
        raise ModuleNotFoundError(f"No module named {'.'.join(parts[:-1])!r}")
    with open(spec.origin) as f:
        body = ast.parse(f.read()).body
    node = None
    for name in parts[i:]:
        node = next((n for n in body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                     and n.name == name), None)
        if node is None:
            raise AttributeError(f"{'.'.join(parts[:i])} defines no {name!r}")
        body = node.body
    if isinstance(node, ast.ClassDef):
        raise TypeError(f"{path} is a class: static signatures cover functions")
    a, P = node.args, inspect.Parameter
    params = [P(x.arg, P.POSITIONAL_ONLY) for x in a.posonlyargs] + [P(x.arg, P.POSITIONAL_OR_KEYWORD) for x in a.args]
    if a.vararg:
        params.append(P(a.vararg.arg, P.VAR_POSITIONAL))
    params += [P(x.arg, P.KEYWORD_ONLY) for x in a.kwonlyargs]
    if a.kwarg:
        params.append(P(a.kwarg.arg, P.VAR_KEYWORD))
    if len(parts) - i > 1 and params and params[0].name in ("self", "cls"):
        params = params[1:]
    return inspect.Signature(params)


def signature(c):
    if c.get("static"):
        return static_signature(c["api"])
    return inspect.signature(resolve(c["api"]))


def check_keyword(c):
    sig = signature(c)
    if c.get("named"):
        # The parameter itself, not a **kwargs that would swallow it.
        p = sig.parameters.get(c["keyword"])
        if p is None or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            varkw = any(q.kind == q.VAR_KEYWORD for q in sig.parameters.values())
            return failure("NotNamed", f"{c['api']} names no parameter {c['keyword']!r}"
                           + (" (it takes **kwargs)" if varkw else ""))
        return None
    sig.bind_partial(**{c["keyword"]: None})
    return None


def check_positional(c):
    signature(c).bind_partial(*placeholder(c["count"]))


def check_env(c):
    env = importlib.import_module("mlflow.environment_variables")
    if not hasattr(env, c["name"]):
        raise AttributeError(f"module 'mlflow.environment_variables' has no attribute {c['name']!r}")


def mlflow_cli():
    # The console script's entry point, run by this interpreter: a venv's
    # bin/mlflow names the python of the path it was made at.
    return [sys.executable, "-c", "import sys; from mlflow.cli import cli; sys.argv[0] = 'mlflow'; cli()"]


def check_cli(c):
    cmd = mlflow_cli() + list(c["command"]) + ["--help"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
    if p.returncode != 0:
        last = (p.stderr.strip().splitlines() or [""])[-1]
        return failure("UsageError", f"`mlflow {' '.join(c['command'])} --help` exits {p.returncode}: {last}")
    opt = c.get("option")
    if opt:
        # an option is listed as a whole word of the help ("--no-conda," too)
        words = {w.strip(",;/[]=") for w in p.stdout.split()}
        if opt not in words:
            return failure("NoSuchOption", f"`mlflow {' '.join(c['command'])} --help` does not list {opt}")
    return None


def check_rest(c):
    from mlflow.server import app
    from werkzeug.exceptions import HTTPException

    adapter = app.url_map.bind("localhost")
    try:
        adapter.match(c["path"], method=c["method"])
    except HTTPException as e:
        return failure(type(e).__name__, f"{c['method']} {c['path']}: {e.code} {e.name}")
    return None


RUNNER = r"""
import json, sys, traceback, warnings
out = {"works": True, "warnings": []}
with warnings.catch_warnings(record=True) as seen:
    warnings.simplefilter("always")
    try:
        with open(sys.argv[1]) as f:
            code = f.read()
        exec(compile(code, "claim.py", "exec"), {"__name__": "__main__"})
    except BaseException as e:
        names = [c.__name__ for c in type(e).__mro__ if c not in (object, BaseException)]
        out = {"works": False, "error": names[0], "errors": names, "message": str(e),
               "trace": traceback.format_exc()[-2000:]}
    out["warnings"] = [[w.category.__name__, str(w.message)] for w in seen]
with open(sys.argv[2], "w") as f:
    json.dump(out, f)
"""


def run_code(code, cwd):
    with open(os.path.join(cwd, "claim.py"), "w") as f:
        f.write(code)
    with open(os.path.join(cwd, "runner.py"), "w") as f:
        f.write(RUNNER)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    p = subprocess.run([sys.executable, "runner.py", "claim.py", "out.json"], cwd=cwd, env=env,
                       capture_output=True, text=True, timeout=TIMEOUT)
    try:
        with open(os.path.join(cwd, "out.json")) as f:
            return json.load(f)
    except OSError:
        return failure("Crash", f"exit {p.returncode}: {p.stderr[-500:]}")


def check_python(c):
    with tempfile.TemporaryDirectory() as d:
        return run_code(c["code"], d)


def check_db(c):
    """mode "create": make a SQLite store in dir with this release; mode
    "open": use it (a copy); mode "upgrade": `mlflow db upgrade`, then use it."""
    d, mode = c["dir"], c["mode"]
    db = os.path.join(d, "mlflow.db")
    code = (
        "from mlflow import MlflowClient\n"
        "c = MlflowClient('sqlite:///mlflow.db')\n"
        "c.search_experiments()\n"
        "c.create_experiment('oracle-' + __import__('uuid').uuid4().hex)\n"
    )
    if mode == "create":
        os.makedirs(d, exist_ok=True)
        if os.path.exists(db):
            os.remove(db)
        return run_code(code, d)
    with tempfile.TemporaryDirectory() as w:
        if not os.path.exists(db):
            return failure("Missing", f"no database at {db}")
        shutil.copy(db, os.path.join(w, "mlflow.db"))
        if mode == "upgrade":
            p = subprocess.run(mlflow_cli() + ["db", "upgrade", "sqlite:///mlflow.db"], cwd=w,
                               capture_output=True, text=True, timeout=TIMEOUT)
            if p.returncode != 0:
                return failure("UpgradeFailed", p.stderr[-500:])
        return run_code(code, w)


KINDS = {
    "import": check_import, "attribute": check_attribute, "keyword": check_keyword,
    "positional": check_positional, "env": check_env, "cli": check_cli, "rest": check_rest,
    "python": check_python, "db": check_db,
}


def answer(c):
    fn = KINDS.get(c.get("kind"))
    if fn is None:
        return failure("UnknownKind", f"unknown check kind {c.get('kind')!r}")
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            got = fn(c)
    except Exception as e:
        return failed(e)
    return got or {"works": True}


def main():
    warnings.simplefilter("ignore")
    out = [answer(c) for c in json.load(sys.stdin)]
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
