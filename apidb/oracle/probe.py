"""Run inside a virtual environment with one MLflow release installed.

Reads a JSON list of queries on stdin and writes one JSON answer per query:
  {"path": "mlflow.a.b"}               -> {"status": "found" | "missing" | "error", ...}
  {"path": "mlflow.a.f", "sig": true}  -> also "params": [...], "varkw": bool
"found" means Python reaches the object the way user code would
(importing the longest importable module prefix, then attributes);
"missing" means the reach fails because MLflow lacks it (an mlflow module
that does not exist, or an attribute that is not there); "error" means
something else failed (an optional dependency of the module is not
installed), so the release cannot answer here.
"""

import importlib
import inspect
import json
import sys
import warnings


def model_fields(cls):
    """The fields of a pydantic model or a dataclass: declared in the class
    body, as the API data records them, but attributes of instances only."""
    if not isinstance(cls, type):
        return set()
    fields = getattr(cls, "model_fields", None) or getattr(cls, "__fields__", None) or {}
    names = set(fields) if isinstance(fields, dict) else set()
    return names | set(getattr(cls, "__dataclass_fields__", {}))


def reach(path):
    parts = path.split(".")
    obj, i = None, len(parts)
    while i > 0:
        name = ".".join(parts[:i])
        try:
            obj = importlib.import_module(name)
            break
        except ModuleNotFoundError as e:
            if e.name and (e.name == name or name.startswith(e.name + ".")) and e.name.startswith("mlflow"):
                i -= 1  # this prefix is not a module: try attributes of a shorter one
                continue
            return "error", f"{type(e).__name__}: {e}"
        except Exception as e:  # an optional dependency, or an import-time failure
            return "error", f"{type(e).__name__}: {e}"
    if obj is None:
        return "missing", "no module"
    for attr in parts[i:]:
        try:
            obj = getattr(obj, attr)
        except AttributeError:
            if attr in model_fields(obj):
                return "found", None  # a field that instances have
            return "missing", f"no attribute {attr!r}"
        except Exception as e:
            return "error", f"{type(e).__name__}: {e}"
    return "found", obj


def main():
    warnings.simplefilter("ignore")
    out = []
    for q in json.load(sys.stdin):
        status, obj = reach(q["path"])
        ans = {"status": status}
        if status != "found":
            ans["why"] = obj
        elif q.get("sig"):
            try:
                sig = inspect.signature(obj)
                ans["params"] = [p.name for p in sig.parameters.values() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
                ans["varkw"] = any(p.kind == p.VAR_KEYWORD for p in sig.parameters.values())
            except (TypeError, ValueError) as e:
                ans = {"status": "error", "why": f"no signature: {e}"}
        out.append(ans)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
