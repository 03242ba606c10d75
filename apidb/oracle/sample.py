"""Check random samples of the API data against real MLflow installs.

    sample.py --source 2.9.2 SRC_PYTHON --target 3.18.0 TGT_PYTHON [-n 25] [--seed 1]

SRC_PYTHON and TGT_PYTHON are interpreters of virtual environments with
those MLflow releases installed. From apidb/mlflow.api it draws paths
that the data says exist in the source and not in the target, and
parameters that a callable's source signature names while its target
signature neither names nor takes through **kwargs. Each is looked up in
both environments by probe.py (import and getattr, inspect.signature). A
sample agrees when the source finds it and the target does not (for a
parameter: the target's signature lacks it and has no **kwargs). Samples
that an environment cannot answer (an optional dependency of the module is
not installed) are replaced by others. Exit status 1 on any disagreement.
"""

import argparse
import json
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "gen"))
import generate  # noqa: E402


def probe(python, queries):
    out = subprocess.run(
        [python, os.path.join(HERE, "probe.py")],
        input=json.dumps(queries), capture_output=True, text=True, check=True,
    ).stdout
    return json.loads(out)


def params(sig):
    named, varkw = set(), False
    for p in (sig or "").split(","):
        if p.startswith("**"):
            varkw = True
        elif p and not p.startswith("*"):
            named.add(p.lstrip("+/").rstrip("="))
    return named, varkw


def reaches(snap, path, depth=0):
    """Whether a release has path, following inherited members as the
    rules do (a method that moved to a base class is still there)."""
    if path in snap:
        return True
    parent, _, name = path.rpartition(".")
    rec = snap.get(parent)
    if depth > 8 or not rec:
        return False
    if rec["k"] == "x":
        return reaches(snap, rec["t"] + "." + name, depth + 1)
    if rec["k"] == "c":
        return any(reaches(snap, b + "." + name, depth + 1) for b in rec.get("b", "").split(",") if b)
    return False


def candidates(data, src, tgt):
    S, T = data[src], data[tgt]
    # Instance attributes exist on objects, not on the classes probe.py
    # reaches; the data marks them.
    removed = sorted(p for p in S if not reaches(T, p) and not p.startswith("mlflow.protos.") and not S[p].get("inst"))
    gone_params = []
    for p, r in sorted(S.items()):
        t = T.get(p)
        if r["k"] != "f" or not t or t["k"] != "f" or "dyn" in r or "dyn" in t:
            continue
        ns, _ = params(r.get("sig"))
        nt, kw = params(t.get("sig"))
        if kw:
            continue
        gone_params.extend((p, name) for name in sorted(ns - nt))
    return removed, gone_params


def check(args, kind, pool, n, rng):
    """Draw from pool until n samples are answered by both releases."""
    rng.shuffle(pool)
    agreed, disagreed, skipped, i = [], [], 0, 0
    while len(agreed) + len(disagreed) < n and i < len(pool):
        batch = pool[i : i + 2 * n]
        i += len(batch)
        if kind == "path":
            qs = [{"path": p} for p in batch]
        else:
            qs = [{"path": p, "sig": True} for p, _ in batch]
        src, tgt = probe(args.source[1], qs), probe(args.target[1], qs)
        for item, a, b in zip(batch, src, tgt):
            if len(agreed) + len(disagreed) >= n:
                break
            if a["status"] == "error" or b["status"] == "error":
                skipped += 1
                continue
            if kind == "path":
                ok = a["status"] == "found" and b["status"] == "missing"
            else:
                name = item[1]
                ok = (a["status"] == "found" and name in a["params"]
                      and (b["status"] == "missing" or not b["varkw"] and name not in b["params"]))
            (agreed if ok else disagreed).append((item, a, b))
    return agreed, disagreed, skipped


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", nargs=2, metavar=("VERSION", "PYTHON"), required=True)
    ap.add_argument("--target", nargs=2, metavar=("VERSION", "PYTHON"), required=True)
    ap.add_argument("-n", type=int, default=25)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    data = generate.parse_data(generate.read_output())
    removed, gone_params = candidates(data, args.source[0], args.target[0])
    rng = random.Random(args.seed)
    bad = 0
    for kind, pool in (("path", removed), ("param", gone_params)):
        agreed, disagreed, skipped = check(args, kind, list(pool), args.n, rng)
        for item, a, b in disagreed:
            print(f"DISAGREE {kind} {item}: {args.source[0]} {a}, {args.target[0]} {b}")
        total = len(agreed) + len(disagreed)
        print(f"{args.source[0]} -> {args.target[0]}: {len(agreed)} of {total} removed {kind}s agree "
              f"(drawn from {len(pool)}; {skipped} not answerable without optional dependencies)")
        bad += len(disagreed)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
