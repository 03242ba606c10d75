"""Build apidb/mlflow.meta.gz: the release facts beyond Python names.

    meta.py                 build the data from the wheels in apidb/inputs.txt
    meta.py --check V [V]   extract these versions afresh and fail when the
                            data says anything else about them

For every release pinned in apidb/inputs.txt (the wheels generate.py
downloads and checks), read without installing anything:

  - the routes the tracking server's Flask app registers: every rpc of the
    services mlflow/server/handlers.py passes to get_service_endpoints, read
    from the serialized descriptors of mlflow/protos/*_pb2.py (the
    `databricks.rpc` method option: endpoints with method, path and since),
    under /api/N.0 and /ajax-api/N.0; the extra routes handlers.py lists as
    (path, handler, methods) tuples; the @app.route decorators of
    mlflow/server/__init__.py; and Flask's static route. The static prefix
    (an environment variable) is taken as unset.
  - Requires-Python and every Requires-Dist of the mlflow and
    mlflow-skinny wheels' METADATA.

The output depends only on the pinned wheels and this file, so a rerun
reproduces it byte for byte.
"""

import argparse
import ast
import gzip
import os
import re
import sys
import zipfile
from email.parser import Parser

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import generate  # noqa: E402  (the pinned inputs and their download)

OUTPUT = os.path.join(generate.ROOT, "mlflow.meta.gz")

# ---------------------------------------------------------------- protobuf

# The field numbers of descriptor.proto and of MLflow's databricks.proto
# that the reading needs.
FILE_SERVICE = 6  # FileDescriptorProto.service
SERVICE_NAME, SERVICE_METHOD = 1, 2  # ServiceDescriptorProto
METHOD_OPTIONS = 4  # MethodDescriptorProto.options
RPC_EXTENSION = 51310  # extend MethodOptions { DatabricksRpcOptions rpc = 51310 }
RPC_ENDPOINTS = 1  # DatabricksRpcOptions.endpoints
ENDPOINT_METHOD, ENDPOINT_PATH, ENDPOINT_SINCE = 1, 2, 3  # HttpEndpoint
SINCE_MAJOR = 1  # ApiVersion.major


def _varint(b, i):
    value = shift = 0
    while True:
        c = b[i]
        i += 1
        value |= (c & 0x7F) << shift
        shift += 7
        if c < 0x80:
            return value, i


def wire_fields(b):
    """(field number, value) of a serialized message: ints for varints,
    bytes for length-delimited and fixed-width fields."""
    i = 0
    while i < len(b):
        key, i = _varint(b, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(b, i)
        elif wire == 2:
            n, i = _varint(b, i)
            value, i = b[i : i + n], i + n
        elif wire == 1:
            value, i = b[i : i + 8], i + 8
        elif wire == 5:
            value, i = b[i : i + 4], i + 4
        else:
            raise ValueError(f"wire type {wire}")
        yield number, value


def serialized_descriptor(source):
    """The FileDescriptorProto bytes a generated *_pb2.py module embeds
    (the longest bytes literal: the argument of AddSerializedFile, or
    serialized_pb= in older generated code)."""
    best = b""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, bytes) and len(node.value) > len(best):
            best = node.value
    return best


def proto_services(z):
    """{service name: [(method, path, since major)]} of every *_pb2.py."""
    out = {}
    for name in sorted(z.namelist()):
        if not (name.startswith("mlflow/protos/") and name.endswith("_pb2.py")):
            continue
        fd = serialized_descriptor(z.read(name).decode("utf-8"))
        for number, service in wire_fields(fd):
            if number != FILE_SERVICE:
                continue
            sname, endpoints = None, []
            for n, v in wire_fields(service):
                if n == SERVICE_NAME:
                    sname = v.decode()
                elif n == SERVICE_METHOD:
                    endpoints.extend(method_endpoints(v))
            out.setdefault(sname, []).extend(endpoints)
    return out


def method_endpoints(method):
    out = []
    for n, options in wire_fields(method):
        if n != METHOD_OPTIONS:
            continue
        for n2, rpc in wire_fields(options):
            if n2 != RPC_EXTENSION:
                continue
            for n3, ep in wire_fields(rpc):
                if n3 != RPC_ENDPOINTS:
                    continue
                verb, path, major = "POST", "", 0  # HttpEndpoint.method defaults to POST
                for n4, v in wire_fields(ep):
                    if n4 == ENDPOINT_METHOD:
                        verb = v.decode()
                    elif n4 == ENDPOINT_PATH:
                        path = v.decode()
                    elif n4 == ENDPOINT_SINCE:
                        for n5, m in wire_fields(v):
                            if n5 == SINCE_MAJOR:
                                major = m
                out.append((verb, path, major))
    return out


# ---------------------------------------------------------------- routes


def flask_path(path):
    """The proto path as handlers.py registers it with Flask ({x} -> <x>,
    {assessment.trace_id} -> <trace_id>)."""
    path = re.sub(r"{(\w+)}", r"<\1>", path)
    return re.sub(r"{assessment\.trace_id}", r"<trace_id>", path)


class PathEval:
    """Evaluates the path expressions of handlers.py and server/__init__.py:
    string literals, f-strings over module string constants, and the path
    helpers (_add_static_prefix, _get_rest_path, _get_ajax_path, _get_paths)."""

    def __init__(self, constants):
        self.constants = constants

    def paths(self, node):
        """The list of paths node denotes, or None."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.Name) and node.id in self.constants:
            return [self.constants[node.id]]
        if isinstance(node, ast.JoinedStr):
            s = ""
            for part in node.values:
                if isinstance(part, ast.Constant):
                    s += part.value
                else:
                    inner = self.paths(part.value)
                    if inner is None or len(inner) != 1:
                        return None
                    s += inner[0]
            return [s]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            base = self.paths(node.args[0])
            if base is None or len(base) != 1:
                return None
            version = 2
            for kw in node.keywords:
                if kw.arg == "version" and isinstance(kw.value, ast.Constant):
                    version = kw.value.value
            if len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
                version = node.args[1].value
            fn = node.func.id
            if fn == "_add_static_prefix":
                return base
            if fn == "_get_rest_path":
                return [f"/api/{version}.0{base[0]}"]
            if fn == "_get_ajax_path":
                return [f"/ajax-api/{version}.0{base[0]}"]
            if fn == "_get_paths":
                return [f"/api/{version}.0{flask_path(base[0])}", f"/ajax-api/{version}.0{flask_path(base[0])}"]
        return None


def module_constants(tree):
    out = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            out[node.targets[0].id] = node.value.value
    return out


def methods_of(node):
    if isinstance(node, (ast.List, ast.Tuple)):
        out = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        if len(out) == len(node.elts):
            return out
    return None


def route_tuples(node, ev):
    """(method, path) of the (path, handler, [methods]) tuples below node,
    including comprehensions `(p, h, [...]) for p in <paths>`."""
    out = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Tuple) and len(sub.elts) == 3:
            methods = methods_of(sub.elts[2])
            paths = ev.paths(sub.elts[0])
            if methods and paths:
                out += [(m, p) for p in paths for m in methods]
        if isinstance(sub, ast.ListComp) and isinstance(sub.elt, ast.Tuple) and len(sub.elt.elts) == 3:
            gen = sub.generators[0]
            methods = methods_of(sub.elt.elts[2])
            first = sub.elt.elts[0]
            if methods and isinstance(first, ast.Name) and isinstance(gen.target, ast.Name) and first.id == gen.target.id:
                paths = ev.paths(gen.iter)
                if paths:
                    out += [(m, p) for p in paths for m in methods]
    return out


def functions(tree):
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}


def routes(z):
    """The sorted (method, path) pairs the server's Flask app registers,
    HEAD and OPTIONS (which Flask adds) left out."""
    handlers_src = z.read("mlflow/server/handlers.py").decode("utf-8")
    htree = ast.parse(handlers_src)
    hev = PathEval(module_constants(htree))
    fns = functions(htree)
    services = proto_services(z)
    versioned = "since.major" in handlers_src
    out = set()
    seen_fns = set()

    def visit(fn):
        if fn in seen_fns or fn not in fns:
            return
        seen_fns.add(fn)
        body = fns[fn]
        for call in ast.walk(body):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
                continue
            if call.func.id == "get_service_endpoints" and call.args and isinstance(call.args[0], ast.Name):
                for verb, path, major in services.get(call.args[0].id, []):
                    v = major if versioned else 2
                    for p in (f"/api/{v}.0{flask_path(path)}", f"/ajax-api/{v}.0{flask_path(path)}"):
                        out.add((verb, p))
            elif call.func.id.startswith("get_") and call.func.id.endswith("_endpoints"):
                visit(call.func.id)
        out.update(route_tuples(body, hev))

    visit("get_endpoints")

    init = ast.parse(z.read("mlflow/server/__init__.py").decode("utf-8"))
    iev = PathEval(module_constants(init))
    for node in ast.walk(init):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for dec in node.decorator_list:
                if not (
                    isinstance(dec, ast.Call)
                    and isinstance(dec.func, ast.Attribute)
                    and dec.func.attr == "route"
                    and isinstance(dec.func.value, ast.Name)
                    and dec.func.value.id == "app"
                    and dec.args
                ):
                    continue
                methods = ["GET"]
                for kw in dec.keywords:
                    if kw.arg == "methods":
                        methods = methods_of(kw.value) or methods
                for p in iev.paths(dec.args[0]) or []:
                    out.update((m, p) for m in methods)
        # app = Flask(__name__, static_folder="js/build"): /build/<path:filename>
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Flask":
            for kw in node.keywords:
                if kw.arg == "static_folder":
                    folder = iev.paths(kw.value)
                    if folder:
                        out.add(("GET", "/" + folder[0].rstrip("/").rpartition("/")[2] + "/<path:filename>"))
    return sorted((m, p) for m, p in out if m not in ("HEAD", "OPTIONS"))


# ---------------------------------------------------------------- metadata


def metadata(wheel):
    """(Requires-Python, [Requires-Dist]) of a wheel's METADATA."""
    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        msg = Parser().parsestr(z.read(name).decode("utf-8"), headersonly=True)
    python = " ".join((msg.get("Requires-Python") or "").split())
    dists = sorted({" ".join(d.split()) for d in msg.get_all("Requires-Dist") or []})
    return python, dists


# ---------------------------------------------------------------- the data file


def facts(version, pins):
    """The set of fact lines for one release (without their release ranges)."""
    out = set()
    for package in generate.PACKAGES:
        if package not in pins:
            continue
        wheel = generate.download(package, version, pins[package])
        python, dists = metadata(wheel)
        if python:
            out.add(f"python\t{package}\t{python}")
        out.update(f"dist\t{package}\t{d}" for d in dists)
    with zipfile.ZipFile(generate.download("mlflow", version, pins["mlflow"])) as z:
        out.update(f"route\t{m}\t{p}" for m, p in routes(z))
    return out


def render(versions, per_version, pins):
    variants = {}
    for i, v in enumerate(versions):
        for fact in per_version[v]:
            variants.setdefault(fact, []).append(i)
    lines = [
        "# MLflow release facts for mlflowlint: tracking server routes and wheel",
        "# metadata. Generated by `make apidb` (apidb/gen/meta.py) from the wheels",
        "# below; do not edit: CI regenerates releases and compares.",
    ]
    for v in versions:
        for package in generate.PACKAGES:
            if package in pins[v]:
                lines.append(f"# wheel {pins[v][package][0]} sha256:{pins[v][package][1]}")
    lines.append("versions\t" + "\t".join(versions))
    for fact in sorted(variants):
        lines.append(fact + "\t" + generate.ranges(variants[fact], len(versions)))
    return "\n".join(lines) + "\n"


def parse_data(text):
    versions, out = [], {}
    for line in text.splitlines():
        if line.startswith("#") or not line:
            continue
        if line.startswith("versions\t"):
            versions = line.split("\t")[1:]
            out = {v: set() for v in versions}
            continue
        fact, _, rng = line.rpartition("\t")
        for i in generate.expand(rng, len(versions)):
            out[versions[i]].add(fact)
    return out


def check(versions):
    inputs = generate.pinned(versions)
    with gzip.open(OUTPUT, "rb") as f:
        data = parse_data(f.read().decode("utf-8"))
    bad = 0
    for v in versions:
        want, got = facts(v, inputs[v]), data.get(v, set())
        for fact in sorted(want ^ got):
            bad += 1
            if bad <= 20:
                where = "only the wheel" if fact in want else "only the data file"
                print(f"{v}: {fact!r}: {where}")
        print(f"{v}: {sum(f.startswith('route') for f in want)} routes, {len(want)} facts read from the wheels")
    if bad:
        sys.exit(f"apidb/mlflow.meta.gz disagrees with the wheels in {bad} places: run `make apidb`")
    print(f"apidb/mlflow.meta.gz agrees with the wheels of {', '.join(versions)}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", nargs="+", metavar="VERSION")
    args = ap.parse_args()
    if args.check:
        check(args.check)
        return
    inputs = generate.read_inputs()
    versions = [v for v, _ in inputs]
    per_version = {v: facts(v, pins) for v, pins in inputs}
    text = render(versions, per_version, dict(inputs))
    generate.write_output(text, OUTPUT)
    print(f"apidb/mlflow.meta.gz: {len(versions)} releases, {len(text)} bytes, {os.path.getsize(OUTPUT)} compressed")


if __name__ == "__main__":
    main()
