"""Build apidb/mlflow.api, the MLflow API data mlflowlint embeds.

    generate.py                 build the data from the wheels in apidb/inputs.txt
    generate.py --check V [V]   extract these versions afresh and fail when the
                                data says anything else about them
    generate.py --update-inputs choose the releases from the package index and
                                pin their wheels (versions and sha256)

The releases are the last 1.x (what 2.0 removed is known from it), the last
patch of every 2.x minor, 2.9.2, and every 3.x release. For each, the wheels
of mlflow and mlflow-skinny are fetched with `pip download --no-deps` into a
cache (MLFLOWLINT_APIDB_CACHE, default ~/.cache/mlflowlint-apidb), checked
against their pinned sha256, and the mlflow wheel (a superset of
mlflow-skinny, which is checked) is read statically by extract.py.

The output depends only on the pinned wheels, extract.py and the pinned
griffe version, so a rerun reproduces it byte for byte.
"""

import argparse
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from concurrent.futures import ProcessPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
INPUTS = os.path.join(ROOT, "inputs.txt")
OUTPUT = os.path.join(ROOT, "mlflow.api")
PACKAGES = ("mlflow", "mlflow-skinny")


def cache_dir():
    d = os.environ.get("MLFLOWLINT_APIDB_CACHE") or os.path.expanduser("~/.cache/mlflowlint-apidb")
    os.makedirs(os.path.join(d, "wheels"), exist_ok=True)
    os.makedirs(os.path.join(d, "snapshots"), exist_ok=True)
    return d


def vkey(v):
    return tuple(int(x) for x in v.split("."))


# ---------------------------------------------------------------- inputs


def read_inputs():
    """[(version, {package: (filename, sha256)})] in release order."""
    rows = {}
    with open(INPUTS, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            version, package, filename, sha = line.split()
            rows.setdefault(version, {})[package] = (filename, sha)
    return sorted(rows.items(), key=lambda kv: vkey(kv[0]))


def index_versions(package):
    out = subprocess.run(
        [sys.executable, "-m", "pip", "index", "versions", package],
        check=True, capture_output=True, text=True,
    ).stdout
    m = re.search(r"Available versions: (.*)", out)
    return [v.strip() for v in m.group(1).split(",") if re.fullmatch(r"\d+\.\d+\.\d+", v.strip())]


def choose_versions(available):
    last = {}
    for v in available:
        major, minor, _ = vkey(v)
        if major in (1, 2):
            k = (major,) if major == 1 else (major, minor)
            if k not in last or vkey(v) > vkey(last[k]):
                last[k] = v
    chosen = set(last.values()) | {v for v in available if vkey(v)[0] == 3}
    if "2.9.2" in available:
        chosen.add("2.9.2")
    return sorted(chosen, key=vkey)


def update_inputs():
    versions = choose_versions(index_versions("mlflow"))
    skinny = set(index_versions("mlflow-skinny"))
    lines = [
        "# The MLflow wheels apidb/mlflow.api is generated from (make apidb).",
        "# version package wheel sha256; written by `generate.py --update-inputs`.",
    ]
    for v in versions:
        for package in PACKAGES:
            if package == "mlflow-skinny" and v not in skinny:
                continue
            path = download(package, v, None)
            lines.append(f"{v} {package} {os.path.basename(path)} {sha256(path)}")
    with open(INPUTS, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def download(package, version, pin):
    wheels = os.path.join(cache_dir(), "wheels")
    norm = package.replace("-", "_")
    if pin is None and os.path.exists(os.path.join(wheels, f"{norm}-{version}-py3-none-any.whl")):
        return os.path.join(wheels, f"{norm}-{version}-py3-none-any.whl")
    if pin is not None:
        path = os.path.join(wheels, pin[0])
        if os.path.exists(path) and sha256(path) == pin[1]:
            return path
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
         "-q", "-d", wheels, f"{package}=={version}"],
        check=True,
    )
    path = os.path.join(wheels, f"{norm}-{version}-py3-none-any.whl")
    if pin is not None:
        path = os.path.join(wheels, pin[0])
        got = sha256(path)
        if got != pin[1]:
            sys.exit(f"{pin[0]}: sha256 {got}, pinned {pin[1]}")
    return path


# ---------------------------------------------------------------- extraction


def griffe_version():
    import importlib.metadata

    return importlib.metadata.version("griffe")


def generator_hash():
    h = hashlib.sha256(griffe_version().encode())
    with open(os.path.join(HERE, "extract.py"), "rb") as f:
        h.update(f.read())
    return h.hexdigest()[:16]


def python_files(wheel):
    with zipfile.ZipFile(wheel) as z:
        return {n for n in z.namelist() if n.startswith("mlflow/") and n.endswith(".py")}


def snapshot(version, pins, use_cache=True):
    """{path: record} for one release, cached by wheel hash and generator."""
    mlflow_pin = pins["mlflow"]
    snap = os.path.join(cache_dir(), "snapshots", f"{mlflow_pin[1]}-{generator_hash()}.json")

    def build():
        wheel = download("mlflow", version, mlflow_pin)
        if "mlflow-skinny" in pins:
            skinny = download("mlflow-skinny", version, pins["mlflow-skinny"])
            missing = python_files(skinny) - python_files(wheel)
            if missing:
                sys.exit(f"{version}: mlflow-skinny has modules mlflow lacks: {sorted(missing)[:5]}")
        sys.path.insert(0, HERE)
        import extract

        return unpacked(wheel, extract.extract)

    return cached(snap, use_cache, build)


def cached(snap, use_cache, build):
    """build()'s JSON result, kept at snap when use_cache is set."""
    if use_cache and os.path.exists(snap):
        with open(snap, encoding="utf-8") as f:
            return json.load(f)
    data = build()
    if use_cache:
        part = snap + ".part"
        with open(part, "w", encoding="utf-8") as f:
            json.dump(data, f, sort_keys=True)
        os.replace(part, snap)
    return data


def unpacked(wheel, read):
    """read(root) over the mlflow package of a wheel unpacked in a
    temporary directory."""
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(wheel) as z:
            z.extractall(tmp, [n for n in z.namelist() if n.startswith("mlflow/")])
        return read(tmp)


def _snapshot_job(args):
    version, pins, use_cache = args
    data = snapshot(version, pins, use_cache)
    # The package itself; extract.py lists what is below it.
    data.setdefault("mlflow", {"k": "m"})
    return version, data


def snapshots(inputs, use_cache=True, jobs=None, job=_snapshot_job):
    """{version: job((version, pins, use_cache))[1]} over the inputs, in
    parallel processes."""
    jobs = jobs or os.cpu_count() or 1
    with ProcessPoolExecutor(max_workers=jobs) as ex:
        return dict(ex.map(job, [(v, p, use_cache) for v, p in inputs]))


# ---------------------------------------------------------------- the data file

FIELDS = ("t", "b", "dyn", "inst", "static", "sig", "ret", "dep", "alt", "depp")


def ranges(indices, total):
    if len(indices) == total:
        return "*"
    out, start, prev = [], None, None
    for i in sorted(indices):
        if start is None:
            start = prev = i
        elif i == prev + 1:
            prev = i
        else:
            out.append(f"{start}" if start == prev else f"{start}-{prev}")
            start = prev = i
    out.append(f"{start}" if start == prev else f"{start}-{prev}")
    return ",".join(out)


def clean(value):
    return " ".join(str(value).split())


def encode(rec, name):
    parts = [rec["k"]]
    for f in FIELDS:
        if f in rec:
            value = clean(rec[f])
            if f == "t" and value.endswith("." + name):
                # A re-export under the target's own name: its module.
                value = value[: -len(name)]
            parts.append(f"{f}={value}")
    return "\t".join(parts)


def render(versions, snaps, pins):
    """The data file for snapshots in release order."""
    variants = {}  # path -> {encoded record: [version index]}
    for i, v in enumerate(versions):
        for path, rec in snaps[v].items():
            variants.setdefault(path, {}).setdefault(encode(rec, path.rpartition(".")[2]), []).append(i)
    children = {}
    for path in variants:
        parent, _, name = path.rpartition(".")
        children.setdefault(parent, []).append(name)
    lines = [
        "# MLflow API data for mlflowlint. Generated by `make apidb` (apidb/gen/generate.py)",
        "# from the wheels below; do not edit: CI regenerates releases and compares.",
        f"# griffe {griffe_version()}",
    ]
    for v in versions:
        for package in PACKAGES:
            if package in pins[v]:
                lines.append(f"# wheel {pins[v][package][0]} sha256:{pins[v][package][1]}")
    lines.append("versions\t" + "\t".join(versions))

    def emit(path, depth):
        name = path.rpartition(".")[2]
        for enc, idx in sorted(variants[path].items(), key=lambda kv: (kv[1][0], kv[0])):
            kind, _, rest = enc.partition("\t")
            line = " " * depth + name + "\t" + kind + "\t" + ranges(idx, len(versions))
            lines.append(line + ("\t" + rest if rest else ""))
        for child in sorted(children.get(path, [])):
            emit(path + "." + child, depth + 1)

    emit("mlflow", 0)
    return "\n".join(lines) + "\n"


def parse_data(text):
    """{version: {path: record}} from a data file (the inverse of render)."""
    versions, out, stack = [], {}, []
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        if line.startswith("versions\t"):
            versions = line.split("\t")[1:]
            out = {v: {} for v in versions}
            continue
        depth = len(line) - len(line.lstrip(" "))
        fields = line.lstrip(" ").split("\t")
        name, kind, rng = fields[0], fields[1], fields[2]
        del stack[depth:]
        stack.append(name)
        rec = {"k": kind}
        for f in fields[3:]:
            k, _, val = f.partition("=")
            if k == "t" and val.endswith("."):
                val += name
            rec[k] = val
        path = ".".join(stack)
        for i in expand(rng, len(versions)):
            out[versions[i]][path] = rec
    return out


def expand(rng, total):
    if rng == "*":
        return range(total)
    idx = []
    for part in rng.split(","):
        a, _, b = part.partition("-")
        idx.extend(range(int(a), int(b or a) + 1))
    return idx


def normalise(snap):
    return {p: {k: clean(v) for k, v in r.items()} for p, r in snap.items()}


def pinned(versions):
    """The pins of apidb/inputs.txt by release; exits naming any of versions
    that it does not pin."""
    inputs = dict(read_inputs())
    unknown = [v for v in versions if v not in inputs]
    if unknown:
        sys.exit(f"not in apidb/inputs.txt: {', '.join(unknown)}")
    return inputs


def check(versions):
    inputs = pinned(versions)
    data = parse_data(read_output())
    fresh = snapshots([(v, inputs[v]) for v in versions], use_cache=False)
    bad = 0
    for v in versions:
        want, got = normalise(fresh[v]), data.get(v, {})
        for path in sorted(set(want) | set(got)):
            if want.get(path) != got.get(path):
                bad += 1
                if bad <= 20:
                    print(f"{v} {path}: extracted {want.get(path)}, data file {got.get(path)}")
        print(f"{v}: {len(want)} symbols extracted from the wheel")
    if bad:
        sys.exit(f"apidb/mlflow.api disagrees with the wheels in {bad} places: run `make apidb`")
    print(f"apidb/mlflow.api agrees with the wheels of {', '.join(versions)}")


def write_output(text, path=OUTPUT):
    """Write data through a temporary file: as UTF-8 text, or for a .gz
    path gzip-compressed (level 9, no name, no time stamp, so the bytes
    depend on the text alone). The API data is stored uncompressed:
    mlflowlint embeds it as it is and reads it without a gunzip, and a
    regeneration's diff shows what changed in MLflow's API."""
    raw = text.encode("utf-8")
    part = path + ".part"
    with open(part, "wb") as f:
        if path.endswith(".gz"):
            with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=f, mtime=0) as z:
                z.write(raw)
        else:
            f.write(raw)
    os.replace(part, path)


def read_output(path=OUTPUT):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        return f.read().decode("utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", nargs="+", metavar="VERSION")
    ap.add_argument("--update-inputs", action="store_true")
    ap.add_argument("--jobs", type=int)
    args = ap.parse_args()
    if args.update_inputs:
        update_inputs()
    if args.check:
        check(args.check)
        return
    inputs = read_inputs()
    snaps = snapshots(inputs, jobs=args.jobs)
    versions = [v for v, _ in inputs]
    text = render(versions, snaps, dict(inputs))
    write_output(text)
    print(f"apidb/mlflow.api: {len(versions)} releases, {len(text)} bytes")


if __name__ == "__main__":
    main()
