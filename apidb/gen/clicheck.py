"""Compare the statically read CLI data of one release with a real install.

    clicheck.py VERSION PYTHON

PYTHON is the interpreter of a virtual environment with mlflow==VERSION
installed. The script asks that interpreter for the live click tree of
`mlflow.cli.cli` (every command path and every option spelling, hidden
ones included) and for `mlflow <command> --help` of every command path,
and compares both with what apidb/mlflow.cli.gz says about VERSION.
Commands the install cannot load (an optional dependency missing) are
listed apart: static reading sees them, the install does not.
"""

import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import generate_cli  # noqa: E402

LIVE = r"""
import json, click, mlflow.cli
out = {}
def walk(cmd, path):
    opts = {}
    for p in cmd.params:
        if isinstance(p, click.Option):
            for s in list(p.opts) + list(p.secondary_opts):
                opts[s] = 0 if (p.is_flag or p.count) else p.nargs
    hopt = cmd.get_help_option(click.Context(cmd))
    if hopt is not None:
        for s in hopt.opts:
            opts[s] = 0
    out[path] = opts
    if isinstance(cmd, click.Group):
        for name, sub in cmd.commands.items():
            walk(sub, (path + " " + name).strip())
walk(mlflow.cli.cli, "")
print(json.dumps(out))
"""

HELP_OPT = re.compile(r"^  (-[^\s,/]+(?:\s*(?:,|/)\s*-[^\s,/]+)*)")


def help_options(python, path):
    """Option spellings `mlflow <path> --help` lists."""
    args = [python, "-m", "mlflow"] + (path.split() if path else []) + ["--help"]
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:
        return None
    out, section = set(), None
    for line in p.stdout.splitlines():
        if line and not line.startswith(" "):
            section = line.strip()
            continue
        if section == "Options:":
            m = HELP_OPT.match(line)
            if m:
                for part in re.split(r"\s*[,/]\s*", m.group(1)):
                    out.add(part.split()[0])
    return out


def main():
    version, python = sys.argv[1], sys.argv[2]
    data = generate_cli.parse_data(generate_cli.read_output())
    static = data[version]
    live = json.loads(subprocess.run([python, "-c", LIVE], check=True, capture_output=True, text=True).stdout)
    cmd_agree = [p for p in live if p in static["commands"]]
    only_live = sorted(set(live) - set(static["commands"]))
    only_static = sorted(set(static["commands"]) - set(live))
    opt_total = opt_agree = 0
    diffs = []
    for p in cmd_agree:
        if static["commands"][p]:
            continue  # dynamic: no options claimed
        want, got = live[p], static["options"].get(p, {})
        for s in sorted(set(want) | set(got)):
            opt_total += 1
            if s in want and s in got and (got[s] == -1 or got[s] == want[s]):
                opt_agree += 1
            else:
                diffs.append(f"  {p or '(root)'} {s}: live {want.get(s)}, static {got.get(s)}")
    help_total = help_agree = 0
    for p in cmd_agree:
        listed = help_options(python, p)
        if listed is None or static["commands"][p]:
            continue
        help_total += 1
        if listed <= set(static["options"].get(p, {})):
            help_agree += 1
        else:
            diffs.append(f"  --help of {p or '(root)'} lists {sorted(listed - set(static['options'].get(p, {})))} not in the data")
    print(f"mlflow {version}: {len(cmd_agree)} of {len(live)} installed command paths in the data"
          f" ({len(only_static)} more in the data only: {', '.join(only_static) or '-'})")
    if only_live:
        print(f"  installed, not in the data: {', '.join(only_live)}")
    print(f"  options: {opt_agree} of {opt_total} spellings agree (name and number of values)")
    print(f"  --help: {help_agree} of {help_total} commands list only options the data has")
    for d in diffs[:40]:
        print(d)
    sys.exit(1 if diffs or only_live else 0)


if __name__ == "__main__":
    main()
