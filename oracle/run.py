"""Confirm every rule's claim against real MLflow releases installed from PyPI.

    python3 oracle/run.py [--rules MLF011,MLF012] [-n 25] [--seed 1] [--no-samples]

Reads oracle/claims/MLFnnn.toml (format: oracle/README.md), makes or reuses
one virtual environment per MLflow release the claims name under
$ORACLE_CACHE (default ~/.cache/mlflowlint-oracle), and asks each release,
in one probe.py process per environment, every check at once. A check
holds when its API works on the source release, fails on the target with
the named error (and message), still fails on the newest installable
release, and its fixed form works on the target and the newest release.

Then it draws data samples from apidb/mlflow.api for each version pair in
SAMPLE_PAIRS (N removed names and N removed parameters each, fixed seed)
and checks them by import and signature (apidb/oracle/sample.py).

Prints one line per rule and the summary line
"N of N rule claims confirmed, M of M data samples agree"; exit status 1 on
any failure.
"""

import argparse
import concurrent.futures
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import types

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CLAIMS = os.path.join(HERE, "claims")

# The release most projects start from, and the newest 3.x that pip can
# install (3.18.0's mlflow-skinny is not on PyPI).
SOURCE = "2.9.2"
NEWEST = "3.17.2"
# These two get the full `mlflow` distribution; every other release a claim
# names gets `mlflow-skinny` (the same Python package without the server's
# and the flavors' dependencies), which keeps a cold run within CI's time.
FULL = (SOURCE, NEWEST)
# Installed next to MLflow so that modules that need them import: pydantic
# for mlflow.gateway (the `gateway` extra of 2.x) in its major 1, whose
# branch of 2.9.2's `if IS_PYDANTIC_V2:` conditionals defines what the API
# data records (`AliasedConfigModel.Config`, validators taking `config`);
# SQLAlchemy below 2.1 for 2.9.2, whose store imports
# FallbackAsyncAdaptedQueuePool (gone in 2.1, which 2.9.2's `sqlalchemy<3`
# admits); for mlflow-skinny, what the full distribution would bring for
# mlflow.models and mlflow.sagemaker.
FULL_EXTRAS = {SOURCE: ["pydantic>=1,<2", "sqlalchemy<2.1"], NEWEST: []}
SKINNY_EXTRAS = ["pandas", "numpy", "flask"]
SAMPLE_PAIRS = [(SOURCE, NEWEST), (SOURCE, "3.0.0")]
PIP_TIMEOUT = int(os.environ.get("ORACLE_PIP_TIMEOUT", "1200"))

KEY_FIELDS = {
    "import": ["module"], "attribute": ["api", "attribute"], "keyword": ["api", "keyword"],
    "positional": ["api", "count"], "cli": ["command"], "rest": ["method", "path"],
    "env": ["name"], "python": ["code"], "db": [],
}
OPTIONAL = {"kind", "source", "target", "error", "message", "fixed", "expect", "name", "named",
            "static", "option", "warns", "source_warns", "about"}


def cache_dir():
    return os.environ.get("ORACLE_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "mlflowlint-oracle")


def venv_dir(version):
    if version in FULL:
        return os.path.join(cache_dir(), f"mlflow-{version}")
    return os.path.join(cache_dir(), f"mlflow-skinny-{version}")


def python_of(version):
    return os.path.join(venv_dir(version), "bin", "python")


def packages(version):
    if version in FULL:
        return [f"mlflow=={version}"] + FULL_EXTRAS[version]
    return [f"mlflow-skinny=={version}"] + SKINNY_EXTRAS


def has_release(version):
    py = python_of(version)
    if not os.path.exists(py):
        return False
    probe = "import sys, mlflow; sys.exit(mlflow.__version__ != sys.argv[1])"
    return subprocess.run([py, "-c", probe, version], capture_output=True).returncode == 0


def ensure_venv(version, log):
    """Make the release's environment unless a working one with the same
    packages is there (a marker file lists them); return the seconds spent."""
    start = time.monotonic()
    d, py = venv_dir(version), python_of(version)
    pkgs = packages(version)
    marker = os.path.join(d, "oracle-packages.txt")
    want = "\n".join(pkgs) + "\n"
    try:
        # The marker is written only after pip succeeded and mlflow imported
        # as that version (probe.py fails loudly should it break later).
        with open(marker) as f:
            if f.read() == want and os.path.exists(py):
                return 0.0
    except OSError:
        pass
    if not has_release(version):
        subprocess.run([sys.executable, "-m", "venv", "--clear", d], check=True)
    log(f"installing {' '.join(pkgs)} into {d}")
    cmd = [py, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--prefer-binary",
           "--cache-dir", os.path.join(cache_dir(), "pip-cache")] + pkgs
    try:
        subprocess.run(cmd, check=True, timeout=PIP_TIMEOUT)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        raise SystemExit(f"oracle: cannot install MLflow {version} into {d}: {e}")
    if not has_release(version):
        raise SystemExit(f"oracle: {d} does not import mlflow {version} after installing it")
    with open(marker, "w") as f:
        f.write(want)
    return time.monotonic() - start


class ClaimError(Exception):
    pass


def load_claims(path):
    """Read one claims file and check its shape; raise ClaimError with the
    file's name on any mistake."""
    name = os.path.basename(path)
    try:
        with open(path, "rb") as f:
            c = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ClaimError(f"{name}: {e}")
    rule = c.get("rule")
    if rule != name.removesuffix(".toml"):
        raise ClaimError(f"{name}: rule = {rule!r} does not match the file name")
    checks = c.get("check", [])
    unconf = c.get("unconfirmable")
    if unconf is not None and (checks or c.get("samples")):
        raise ClaimError(f"{name}: unconfirmable and checks (or samples) exclude each other")
    if unconf is None and not checks and not c.get("samples"):
        raise ClaimError(f"{name}: neither [[check]] tables, samples = true, nor unconfirmable")
    unknown = set(c) - {"rule", "check", "unconfirmable", "samples"}
    if unknown:
        raise ClaimError(f"{name}: unknown keys {sorted(unknown)}")
    for i, ch in enumerate(checks, 1):
        kind = ch.get("kind")
        if kind not in KEY_FIELDS:
            raise ClaimError(f"{name}: check {i}: unknown kind {kind!r}")
        missing = [k for k in KEY_FIELDS[kind] if k not in ch]
        if missing:
            raise ClaimError(f"{name}: check {i} ({kind}): missing {missing}")
        unknown = set(ch) - OPTIONAL - set(KEY_FIELDS[kind])
        if unknown:
            raise ClaimError(f"{name}: check {i} ({kind}): unknown keys {sorted(unknown)}")
        if ch.get("expect", "fails") not in ("fails", "works"):
            raise ClaimError(f"{name}: check {i}: expect must be \"fails\" or \"works\"")
        if "warns" in ch and ("error" in ch or kind != "python"):
            raise ClaimError(f"{name}: check {i}: warns is for python checks, without error")
    return c


# The field a check's `fixed` value replaces.
FIXED_FIELD = {"import": "module", "attribute": "attribute", "keyword": "keyword", "rest": "path",
               "env": "name", "python": "code"}


def fixed_form(ch):
    """The check with the rule's fix applied, or None."""
    fx = ch.get("fixed")
    if fx is None:
        return None
    q = {k: v for k, v in ch.items() if k not in ("fixed", "warns", "error", "message")}
    kind = ch["kind"]
    if kind == "import" and ch.get("name"):
        q["module"], _, q["name"] = fx.rpartition(".")
    elif kind == "cli":
        # an option, or a whole command as a list
        q.update({"command": fx, "option": None} if isinstance(fx, list) else {"option": fx})
    elif kind in FIXED_FIELD:
        q[FIXED_FIELD[kind]] = fx
    else:
        raise ClaimError(f"a {kind} check has no fixed form")
    return q


def probe(version, queries):
    if not queries:
        return []
    p = subprocess.run([python_of(version), os.path.join(HERE, "probe.py")], input=json.dumps(queries),
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"oracle: probe.py failed in MLflow {version}: {p.stderr[-2000:]}")
    return json.loads(p.stdout)


def describe(ans):
    if ans is None:
        return "not asked"
    if ans.get("works"):
        w = ans.get("warnings")
        return "works" + (f" (warns {w[0][0]}: {w[0][1][:120]})" if w else "")
    return f"{ans['error']}: {ans['message'][:200]}"


def warned(ans, ch):
    return any(cat == ch["warns"] and ch.get("message", "") in msg for cat, msg in ans.get("warnings", []))


def fails_as_claimed(ans, ch):
    """Whether an answer shows the failure the check claims."""
    if "warns" in ch:
        return bool(ans.get("works")) and warned(ans, ch)
    if ans.get("works"):
        return False
    if "error" in ch and ch["error"] not in ans.get("errors", [ans["error"]]):
        return False
    return ch.get("message", "") in ans.get("message", "")


def works(ans, ch):
    if not ans.get("works"):
        return False
    if "warns" in ch and ch.get("source_warns") is False:
        return not warned(ans, ch)
    return True


def judge(ch, ans):
    """ans maps (role, version) to answers; returns a list of problems."""
    src, tgt = ch.get("source", SOURCE), ch.get("target", NEWEST)
    problems = []
    targets = [tgt] + ([NEWEST] if tgt != NEWEST else [])
    if ch.get("expect") == "works":
        for v in dict.fromkeys([src] + targets):
            if not works(ans[("claim", v)], ch):
                problems.append(f"{v}: {describe(ans[('claim', v)])} (expected to work)")
        return problems
    if not works(ans[("claim", src)], ch):
        problems.append(f"source {src}: {describe(ans[('claim', src)])}")
    for v in targets:
        a = ans[("claim", v)]
        if not fails_as_claimed(a, ch):
            want = ch.get("warns") or ch.get("error", "a failure")
            if ch.get("message"):
                want += f" with {ch['message']!r}"
            problems.append(f"{'target' if v == tgt else 'newest'} {v}: {describe(a)} (claimed {want})")
    if "fixed" in ch:
        for v in targets:
            a = ans[("fixed", v)]
            if not a.get("works"):
                problems.append(f"fixed form on {v}: {describe(a)}")
    return problems


def check_label(ch):
    kind = ch["kind"]
    if kind == "import":
        return f"import {ch['module']}" + (f".{ch['name']}" if ch.get("name") else "")
    if kind in ("attribute",):
        return f"{ch['api']}.{ch['attribute']}"
    if kind == "keyword":
        return f"{ch['api']}({ch['keyword']}=)"
    if kind == "positional":
        return f"{ch['api']} with {ch['count']} positional arguments"
    if kind == "cli":
        return "mlflow " + " ".join(ch["command"]) + (f" {ch['option']}" if ch.get("option") else "")
    if kind == "rest":
        return f"{ch['method']} {ch['path']}"
    if kind == "env":
        return ch["name"]
    return kind


def run_db(ch, workdir):
    """A store made by the source release is refused by the target until
    `mlflow db upgrade` has run there."""
    src, tgt = ch.get("source", SOURCE), ch.get("target", NEWEST)
    d = os.path.join(workdir, "db")
    base = {"kind": "db", "dir": d}
    ans = {("claim", src): probe(src, [dict(base, mode="create")])[0]}
    problems = []
    if not ans[("claim", src)].get("works"):
        return [f"source {src} cannot create a store: {describe(ans[('claim', src)])}"]
    for v in dict.fromkeys([tgt, NEWEST]):
        opened, upgraded = probe(v, [dict(base, mode="open"), dict(base, mode="upgrade")])
        if not fails_as_claimed(opened, ch):
            problems.append(f"{v} opens the {src} store: {describe(opened)}")
        if not upgraded.get("works"):
            problems.append(f"{v} after `mlflow db upgrade`: {describe(upgraded)}")
    return problems


def quick_subset(claims):
    """The claims as the two full releases can check them: a check whose
    source is another release is dropped (and recorded), one whose target is
    another release is judged on the newest release alone."""
    out, deferred = [], {}
    for c in claims:
        keep = []
        for ch in c.get("check", []):
            src, tgt = ch.get("source", SOURCE), ch.get("target", NEWEST)
            if src not in FULL or (ch.get("expect") == "works" and tgt not in FULL):
                deferred.setdefault(c["rule"], []).extend(v for v in (src, tgt) if v not in FULL)
                continue
            keep.append(dict(ch, target=NEWEST) if tgt not in FULL else ch)
        out.append(dict(c, check=keep))
    return out, {r: sorted(set(v), key=lambda x: [int(p) for p in x.split(".")]) for r, v in deferred.items()}


def confirm_claims(claims, jobs, log):
    """Ask every release its checks; return {rule: [problems]} for the
    rules with checks."""
    asked = {}  # version -> list of (rule, index, role, query)
    dbs = []
    for c in claims:
        for i, ch in enumerate(c.get("check", [])):
            if ch["kind"] == "db":
                dbs.append((c["rule"], i, ch))
                continue
            src, tgt = ch.get("source", SOURCE), ch.get("target", NEWEST)
            for v in dict.fromkeys([src, tgt, NEWEST]):
                asked.setdefault(v, []).append((c["rule"], i, "claim", ch))
            fx = fixed_form(ch)
            if fx is not None:
                for v in dict.fromkeys([tgt, NEWEST]):
                    asked.setdefault(v, []).append((c["rule"], i, "fixed", fx))
    answers = {}

    def ask(v):
        t = time.monotonic()
        got = probe(v, [q for _, _, _, q in asked[v]])
        log(f"MLflow {v}: {len(got)} checks in {time.monotonic() - t:.1f}s")
        return v, got

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        for v, got in ex.map(ask, sorted(asked)):
            for (rule, i, role, _), a in zip(asked[v], got):
                answers[(rule, i, role, v)] = a
    results = {}
    for c in claims:
        for i, ch in enumerate(c.get("check", [])):
            if ch["kind"] == "db":
                continue
            view = {(role, v): a for (r, j, role, v), a in answers.items() if r == c["rule"] and j == i}
            results.setdefault(c["rule"], []).extend(f"{check_label(ch)}: {p}" for p in judge(ch, view))
        results.setdefault(c["rule"], [])
    with tempfile.TemporaryDirectory() as w:
        for rule, i, ch in dbs:
            results[rule].extend(f"db: {p}" for p in run_db(ch, w))
    return results


def run_samples(pairs, n, seed, log):
    """Draw and check the data samples; return (agreed, total, lines)."""
    sys.path.insert(0, os.path.join(ROOT, "apidb", "oracle"))
    sys.path.insert(0, os.path.join(ROOT, "apidb", "gen"))
    import generate
    import sample

    data = generate.parse_data(generate.read_output())
    agreed = total = 0
    lines = []
    for src, tgt in pairs:
        removed, gone_params = sample.candidates(data, src, tgt)
        # Members of pydantic's inner `Config` classes are defined per pydantic
        # major under `if IS_PYDANTIC_V2:` (2.x's gateway schemas), and the
        # data records both branches: whichever pydantic is installed, the
        # other branch's members are absent at run time.
        removed = [p for p in removed if ".Config." not in p]
        # A method's receiver is no parameter a caller passes (the rules drop
        # it too): a classmethod's `cls` that became an instance method's
        # `self` is not a removed parameter.
        gone_params = [(p, name) for p, name in gone_params if name not in ("self", "cls")]
        rng = random.Random(seed)
        args = types.SimpleNamespace(source=(src, python_of(src)), target=(tgt, python_of(tgt)))
        for kind, pool in (("name", removed), ("parameter", gone_params)):
            ok, bad, skipped = sample.check(args, "path" if kind == "name" else "param", list(pool), n, rng)
            for item, a, b in bad:
                lines.append(f"  DISAGREE {src} -> {tgt} {kind} {item}: {src} {a}, {tgt} {b}")
            agreed += len(ok)
            total += len(ok) + len(bad)
            log(f"samples {src} -> {tgt}: {len(ok)} of {len(ok) + len(bad)} removed {kind}s agree "
                f"(drawn from {len(pool)}; {skipped} not answerable without optional dependencies)")
    return agreed, total, lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rules", help="comma-separated rule codes (default: every claims file)")
    ap.add_argument("-n", type=int, default=25, help="samples per kind and version pair (default 25)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-samples", action="store_true", help="skip the data samples")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="releases probed at once (default 2)")
    ap.add_argument("--quick", action="store_true",
                    help=f"only the releases {' and '.join(FULL)} (what CI runs): checks whose source is another "
                         f"release are left to the full run, other targets are judged on {NEWEST} alone")
    args = ap.parse_args()

    def log(msg):
        print(f"oracle: {msg}", file=sys.stderr, flush=True)

    files = sorted(f for f in os.listdir(CLAIMS) if f.endswith(".toml"))
    if args.rules:
        want = set(args.rules.split(","))
        files = [f for f in files if f.removesuffix(".toml") in want]
    try:
        claims = [load_claims(os.path.join(CLAIMS, f)) for f in files]
    except ClaimError as e:
        print(f"oracle: bad claims file {e}")
        return 1
    deferred = {}
    if args.quick:
        claims, deferred = quick_subset(claims)
    versions = set()
    for c in claims:
        for ch in c.get("check", []):
            versions |= {ch.get("source", SOURCE), ch.get("target", NEWEST), NEWEST}
    pairs = [p for p in SAMPLE_PAIRS if not args.quick or set(p) <= set(FULL)]
    if not args.no_samples:
        versions |= {v for pair in pairs for v in pair}
    start = time.monotonic()
    for v in sorted(versions):
        spent = ensure_venv(v, log)
        if spent:
            log(f"MLflow {v} installed in {spent:.0f}s")
    log(f"environments ready in {time.monotonic() - start:.0f}s")

    results = confirm_claims(claims, args.jobs, log)
    agreed = total = 0
    sample_lines = []
    if not args.no_samples:
        agreed, total, sample_lines = run_samples(pairs, args.n, args.seed, log)
    samples_ok = agreed == total
    confirmed = counted = 0
    unconfirmable = 0
    for c in claims:
        rule = c["rule"]
        if "unconfirmable" in c:
            unconfirmable += 1
            print(f"{rule} unconfirmable: {c['unconfirmable']}")
            continue
        if rule in deferred and not c.get("check") and not c.get("samples"):
            print(f"{rule} left to the full run: its checks need MLflow {', '.join(deferred[rule])}")
            continue
        counted += 1
        problems = list(results.get(rule, []))
        if c.get("samples"):
            if args.no_samples:
                problems.append("data samples skipped (--no-samples)")
            elif not samples_ok:
                problems.append(f"{total - agreed} data samples disagree")
        if problems:
            print(f"{rule} FAILED")
            for p in problems:
                print(f"  {p}")
        else:
            confirmed += 1
            what = [check_label(ch) for ch in c.get("check", [])]
            if c.get("samples"):
                what.append("data samples")
            later = f" (left to the full run: checks on MLflow {', '.join(deferred[rule])})" if rule in deferred else ""
            print(f"{rule} confirmed: {'; '.join(what)}{later}")
    for line in sample_lines:
        print(line)
    only_full = sum(1 for c in claims if c["rule"] in deferred and not c.get("check") and not c.get("samples"))
    print(f"{confirmed} of {counted} rule claims confirmed, {agreed} of {total} data samples agree"
          f" ({unconfirmable} rules not confirmable" + (f", {only_full} left to the full run" if args.quick else "") + ")")
    return 0 if confirmed == counted and samples_ok else 1


if __name__ == "__main__":
    sys.exit(main())
