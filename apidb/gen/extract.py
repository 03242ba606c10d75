"""Static extraction of MLflow's Python API from one unpacked wheel.

extract(root) loads the `mlflow` package below root with griffe (no code is
imported or run) and returns {path: record}, one record per module, class,
function, method, property, attribute and in-package re-export. Records are
plain dicts of strings so that snapshots compare and serialise exactly.

Record fields (absent when empty):
  k    kind: m module, c class, f function or method, p property,
       a attribute, x re-export of another MLflow object
  t    target path of a re-export (its final target)
  b    base classes that are MLflow classes, comma-separated
  dyn  "1" when the module or class defines __getattr__, or the class has
       a base outside MLflow: its members are not all known statically; on a
       function, a decorator replaces it (a click command): no signature
  inst "1" for an attribute set on instances only (self.x in a method):
       the class itself does not have it
  static "1" for a staticmethod (no self parameter)
  sig  parameters: name with a kind prefix (/ positional-only, none
       positional-or-keyword, * *args, ** **kwargs, + keyword-only) and a
       trailing = when it has a default; comma-separated
  ret  what the callable or property returns, when it is an MLflow class:
       its path, or [path for a list of them
  dep  "1" when deprecated (the @deprecated decorator, or a warnings.warn
       with FutureWarning or DeprecationWarning at the top level of the body)
  alt  the replacement the deprecation names, when it names one
  depp deprecated parameters: those whose use alone triggers such a warning
       (`if param is not None: warnings.warn(...)`), comma-separated
"""

import ast
import textwrap

import griffe

DEPRECATED = {"mlflow.utils.annotations.deprecated"}
# Decorators that replace a function with an object of another kind (a
# click command): the def's signature is not what callers meet.
REPLACING = ("click.",)
REPLACING_METHODS = ("command", "group")


def _replaces(decorator):
    """click's decorators, and `@<group>.command(...)` / `@<group>.group(...)`
    on a group that a module defines (its path cannot be followed)."""
    if (_expr_path(decorator) or "").startswith(REPLACING):
        return True
    head = str(decorator).split("(", 1)[0]
    return "." in head and head.rsplit(".", 1)[1] in REPLACING_METHODS
KEYWORD_ONLY = {"mlflow.utils.annotations.keyword_only"}
WARNINGS = {"FutureWarning", "DeprecationWarning"}

PARAM_PREFIX = {
    "positional-only": "/",
    "positional or keyword": "",
    "variadic positional": "*",
    "keyword-only": "+",
    "variadic keyword": "**",
}


def extract(root):
    loader = griffe.GriffeLoader(search_paths=[root], allow_inspection=False)
    pkg = loader.load("mlflow")
    loader.resolve_aliases(implicit=False, external=False)
    out = {}
    _walk(pkg, out)
    return out


def _walk(obj, out):
    for name in sorted(obj.members):
        member = obj.members[name]
        path = obj.path + "." + name
        if member.is_alias:
            target = _final_target(member)
            if target is None or target == path:
                continue
            out[path] = {"k": "x", "t": target}
            continue
        rec = _record(member)
        if rec is None:
            continue
        out[path] = rec
        if member.is_module or member.is_class:
            _walk(member, out)


def _final_target(alias):
    """The path of the MLflow object an alias finally names, or None for an
    external or unresolvable one (those are not part of MLflow's API)."""
    try:
        target = alias.final_target
    except Exception:  # griffe raises several alias resolution errors
        path = alias.target_path
        return path if _is_mlflow(path) and not path.startswith("mlflow.protos.") else None
    path = target.path
    return path if _is_mlflow(path) else None


def _is_mlflow(path):
    return path == "mlflow" or path.startswith("mlflow.")


def _record(obj):
    kind = obj.kind.value
    if kind == "module":
        rec = {"k": "m"}
        if "__getattr__" in obj.members:
            rec["dyn"] = "1"
        return rec
    if kind == "class":
        rec = {"k": "c"}
        paths = [_expr_path(b) for b in obj.bases]
        bases = [p for p in paths if p and _is_mlflow(p)]
        if bases:
            rec["b"] = ",".join(bases)
        # Members inherited from a class outside MLflow (dict, pydantic's
        # BaseModel, a NamedTuple...) are not known here.
        foreign = len(bases) != len([p for p in paths if p not in ("object", "builtins.object")])
        if foreign or "__getattr__" in obj.members or "__getattribute__" in obj.members:
            rec["dyn"] = "1"
        _deprecation(obj, rec)
        return rec
    if kind == "function":
        if any(_replaces(d.value) for d in obj.decorators):
            return {"k": "f", "dyn": "1"}
        rec = {"k": "f", "sig": _signature(obj)}
        if "staticmethod" in obj.labels:
            rec["static"] = "1"
        ret = _type_path(obj.returns)
        if ret:
            rec["ret"] = ret
        _deprecation(obj, rec)
        return rec
    if kind == "attribute":
        if "property" in obj.labels:
            rec = {"k": "p"}
            ret = _type_path(obj.annotation)
            if ret:
                rec["ret"] = ret
            _deprecation(obj, rec)
            return rec
        rec = {"k": "a"}
        if "instance-attribute" in obj.labels and "class-attribute" not in obj.labels:
            rec["inst"] = "1"
        ret = _type_path(obj.annotation)
        if ret:
            rec["ret"] = ret
        return rec
    return None


def _signature(fn):
    keyword_only = any(_expr_path(d.value) in KEYWORD_ONLY for d in fn.decorators)
    parts = []
    for p in fn.parameters:
        prefix = PARAM_PREFIX[p.kind.value]
        if keyword_only and prefix in ("", "/") and p.name not in ("self", "cls"):
            prefix = "+"
        default = p.default is not None and prefix not in ("*", "**")
        parts.append(prefix + p.name + ("=" if default else ""))
    return ",".join(parts)


def _expr_path(expr):
    """The canonical path of a name or attribute expression, else None."""
    if expr is None or isinstance(expr, str):
        return None
    if isinstance(expr, griffe.ExprCall):
        return _expr_path(expr.function)
    if isinstance(expr, (griffe.ExprName, griffe.ExprAttribute)):
        try:
            return expr.canonical_path
        except Exception:
            return None
    return None


LIST_TYPES = {"list", "List", "typing.List", "mlflow.store.entities.paged_list.PagedList"}
OPTIONAL_TYPES = {"Optional", "typing.Optional"}


def _type_path(expr):
    """An annotation as an MLflow class path ("mlflow.entities.run.Run"), a
    list of one ("[mlflow.entities.run.Run"), or None."""
    if expr is None or isinstance(expr, str):
        return None
    if isinstance(expr, griffe.ExprSubscript):
        left = _expr_path(expr.left)
        inner = expr.slice
        if left in OPTIONAL_TYPES:
            return _type_path(inner)
        if left in LIST_TYPES:
            elem = _type_path(inner)
            return "[" + elem if elem and not elem.startswith("[") else None
        return None
    if isinstance(expr, griffe.ExprBinOp) and expr.operator == "|":
        # X | None
        sides = [s for s in (expr.left, expr.right) if not (isinstance(s, griffe.ExprName) and s.name == "None")]
        return _type_path(sides[0]) if len(sides) == 1 else None
    path = _expr_path(expr)
    if path and _is_mlflow(path):
        return path
    return None


def _deprecation(obj, rec):
    for d in getattr(obj, "decorators", ()):
        if _expr_path(d.value) in DEPRECATED:
            rec["dep"] = "1"
            alt = _literal_arg(d.value, "alternative", 0)
            if alt:
                rec["alt"] = alt
    if obj.kind.value != "function":
        return
    body = _body(obj)
    if body is None:
        return
    params = {p.name for p in obj.parameters}
    depp = set()
    for stmt in body:
        if _is_warn(stmt):
            rec["dep"] = "1"
        elif isinstance(stmt, ast.If) and any(_is_warn(s) for s in stmt.body):
            name = _tested_param(stmt.test)
            if name in params:
                depp.add(name)
    if depp:
        rec["depp"] = ",".join(sorted(depp))


def _literal_arg(call, keyword, position):
    if not isinstance(call, griffe.ExprCall):
        return None
    pos = 0
    for a in call.arguments:
        if isinstance(a, griffe.ExprKeyword):
            if a.name == keyword:
                return _string(a.value)
        elif not isinstance(a, (griffe.ExprVarPositional, griffe.ExprVarKeyword)):
            if pos == position:
                return _string(a)
            pos += 1
    return None


def _string(v):
    if isinstance(v, str) and len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
        return v[1:-1]
    return None


def _body(fn):
    try:
        src = textwrap.dedent(fn.source)
        tree = ast.parse(src)
    except (SyntaxError, ValueError, OSError, TypeError, AttributeError):
        return None
    if not tree.body or not isinstance(tree.body[0], (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    return tree.body[0].body


def _is_warn(stmt):
    """warnings.warn(..., FutureWarning) or with category=FutureWarning."""
    if not isinstance(stmt, ast.Expr) or not isinstance(stmt.value, ast.Call):
        return False
    call = stmt.value
    f = call.func
    name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
    if name != "warn":
        return False
    cats = list(call.args[1:2]) + [k.value for k in call.keywords if k.arg == "category"]
    return any(isinstance(c, ast.Name) and c.id in WARNINGS for c in cats)


def _tested_param(test):
    """The parameter a condition tests for being given: `p`, `p is not None`."""
    if isinstance(test, ast.Name):
        return test.id
    if (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.IsNot)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        return test.left.id
    return None
