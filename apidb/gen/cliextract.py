"""Static reading of MLflow's command line and environment variables.

extract(root) reads the `mlflow` package under root (an unpacked wheel)
with Python's ast module, never importing it, and returns

    {"commands": {path: {"dyn": bool}},
     "options": {path: {spelling: nvalues}},
     "env": {name: constant}, "mentioned": [name, ...]}

Command paths are the words after `mlflow` ("" is the root group, "models
serve" a subcommand). An option's nvalues is how many words it takes after
it (0 for a flag) or -1 when static reading cannot tell. A command is
dynamic ("dyn") when some of its options, or a group's subcommands, cannot
be known statically: a decorator that resolves to nothing known, an option
whose names are not literals, context settings that let unknown options
through, a group class that rewrites command names. Rules never report an
option or subcommand of a dynamic command.

"env" are the names mlflow/environment_variables.py defines
(`CONSTANT = _EnvironmentVariable("NAME", ...)` and its subclasses), with
their constants; "mentioned" are the other MLFLOW_* string literals of the
package (variables read with os.environ or os.getenv directly, deprecated
names a shim still reads).
"""

import ast
import os
import re

ENTRY = "mlflow.cli.cli"  # the console script mlflow = mlflow.cli:cli
ENV_NAME = re.compile(r"MLFLOW_[A-Z0-9_]+")

# Decorators that add nothing to a command's options.
NEUTRAL = {
    "click.argument", "click.pass_context", "click.pass_obj", "click.make_pass_decorator",
}
# click's own option decorators and the options they add.
CLICK_OPTIONS = {
    "click.version_option": ["--version"],
    "click.help_option": ["--help"],
    "click.password_option": ["--password"],
    "click.confirmation_option": ["--yes"],
}


class Module:
    def __init__(self, name, tree, text):
        self.name = name
        self.tree = tree
        self.text = text
        self.bindings = {}  # name -> ("alias", dotted) | ("node", ast node) | ("obj", key)


def module_name(rel):
    parts = rel[:-3].split(os.sep)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def load(root):
    mods = {}
    base = os.path.join(root, "mlflow")
    for d, dirs, files in os.walk(base):
        dirs.sort()
        for f in sorted(files):
            if not f.endswith(".py"):
                continue
            path = os.path.join(d, f)
            with open(path, encoding="utf-8", errors="replace") as fh:
                text = fh.read()
            name = module_name(os.path.relpath(path, root))
            try:
                tree = ast.parse(text)
            except SyntaxError:
                continue
            mods[name] = Module(name, tree, text)
    return mods


def dotted(node):
    """"a.b.c" for a Name/Attribute chain, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def bind_module(m, mods):
    """Module-level names: imports as aliases, everything else as nodes.
    Statements under `try`, `with` and `if` count (MLflow registers
    optional command groups inside them)."""

    def visit(stmts):
        for st in stmts:
            if isinstance(st, ast.Import):
                for a in st.names:
                    if a.asname:
                        m.bindings[a.asname] = ("alias", a.name)
                    else:
                        top = a.name.split(".")[0]
                        m.bindings[top] = ("alias", top)
            elif isinstance(st, ast.ImportFrom):
                src = st.module or ""
                if st.level:
                    pkg = m.name.split(".")
                    if not m_is_package(m, mods):
                        pkg = pkg[:-1]
                    pkg = pkg[: len(pkg) - (st.level - 1)]
                    src = ".".join(pkg + ([src] if src else []))
                for a in st.names:
                    m.bindings[a.asname or a.name] = ("alias", src + "." + a.name)
            elif isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                m.bindings[st.name] = ("node", st)
            elif isinstance(st, ast.Assign):
                for t in st.targets:
                    if isinstance(t, ast.Name):
                        m.bindings[t.id] = ("node", st.value)
            elif isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name) and st.value:
                m.bindings[st.target.id] = ("node", st.value)
            elif isinstance(st, ast.Try):
                visit(st.body)
                for h in st.handlers:
                    visit(h.body)
                visit(st.orelse)
                visit(st.finalbody)
            elif isinstance(st, ast.If):
                visit(st.body)
                visit(st.orelse)
            elif isinstance(st, ast.With):
                visit(st.body)

    visit(m.tree.body)


def m_is_package(m, mods):
    return any(k.startswith(m.name + ".") for k in mods)


class Reader:
    def __init__(self, mods):
        self.mods = mods
        for m in mods.values():
            bind_module(m, mods)
        self.commands = {}  # key -> {"name", "parent", "options", "dyn", "group", "children"}
        self.options = {}  # key -> ({spelling: n}, dyn)

    # -- names

    def resolve(self, module, expr, depth=0):
        """What a dotted expression in module names: ("module", name),
        ("node", module, ast node), ("click", "click.x") or None."""
        if depth > 20 or expr is None:
            return None
        first, _, rest = expr.partition(".")
        m = self.mods.get(module)
        if m is None:
            return None
        b = m.bindings.get(first)
        if b is None:
            if module in self.mods and module + "." + first in self.mods:
                return self.resolve_path(module + "." + first + ("." + rest if rest else ""), depth + 1)
            return None
        if b[0] == "alias":
            return self.resolve_path(b[1] + ("." + rest if rest else ""), depth + 1)
        if rest:
            return None
        return ("node", module, b[1])

    def resolve_path(self, path, depth=0):
        if depth > 20:
            return None
        if path == "click" or path.startswith("click."):
            return ("click", path)
        parts = path.split(".")
        for i in range(len(parts), 0, -1):
            mod = ".".join(parts[:i])
            if mod in self.mods:
                rest = parts[i:]
                if not rest:
                    return ("module", mod)
                return self.resolve(mod, ".".join(rest), depth + 1)
        return None

    def click_name(self, module, node):
        """"click.option" etc. when node (a Name/Attribute) is click's."""
        r = self.resolve(module, dotted(node))
        if r and r[0] == "click":
            return r[1]
        return None

    # -- options

    def option_object(self, module, call):
        """({spelling: nvalues}, dynamic) for a click.option(...) call."""
        spellings, dyn = [], False
        for a in call.args:
            s = self.string(module, a)
            if s is None:
                dyn = True
                continue
            for side in s.split("/") if "/" in s else [s]:
                side = side.strip()
                if side.startswith("-"):
                    spellings.append(side)
        kw = {k.arg: k.value for k in call.keywords if k.arg}
        if any(k.arg is None for k in call.keywords):
            dyn = True
        flag = any("/" in (self.string(module, a) or "") for a in call.args)
        n = 1
        explicit = None
        if "is_flag" in kw:
            v = kw["is_flag"]
            if isinstance(v, ast.Constant) and isinstance(v.value, bool):
                explicit = v.value
                flag = flag or v.value
            else:
                n = -1
        if "count" in kw:
            flag = True
        if "flag_value" in kw:
            if explicit is False:
                n = -1  # the value is optional: one word or none
            else:
                flag = True
        if "nargs" in kw:
            v = kw["nargs"]
            n = v.value if isinstance(v, ast.Constant) and isinstance(v.value, int) and v.value > 0 else -1
        if flag:
            n = 0
        return {s: n for s in spellings}, dyn

    def string(self, module, node):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        r = self.resolve(module, dotted(node)) if isinstance(node, (ast.Name, ast.Attribute)) else None
        if r and r[0] == "node" and isinstance(r[2], ast.Constant) and isinstance(r[2].value, str):
            return r[2].value
        return None

    def shared_option(self, module, expr):
        """The option a name like cli_args.ENV_MANAGER holds, or None."""
        r = self.resolve(module, expr)
        if not r or r[0] != "node":
            return None
        mod, node = r[1], r[2]
        if isinstance(node, ast.Call):
            cn = self.click_name(mod, node.func)
            if cn == "click.option":
                return self.option_object(mod, node)
            # A factory: an MLflow function whose one return is click.option(...).
            f = self.resolve(mod, dotted(node.func))
            if f and f[0] == "node" and isinstance(f[2], ast.FunctionDef):
                rets = [n.value for n in ast.walk(f[2]) if isinstance(n, ast.Return)]
                if len(rets) == 1 and isinstance(rets[0], ast.Call):
                    if self.click_name(f[1], rets[0].func) == "click.option":
                        return self.option_object(f[1], rets[0])
        return None

    # -- commands

    def command_key(self, module, fn):
        return module + "." + fn.name

    def scan(self):
        for mname in sorted(self.mods):
            m = self.mods[mname]
            if "click" not in m.text:
                continue
            for st in ast.walk(m.tree):
                if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    self.read_function(mname, st)

    def read_function(self, module, fn):
        cmd = None
        for dec in fn.decorator_list:
            call = dec if isinstance(dec, ast.Call) else None
            func = dec.func if call else dec
            cn = self.click_name(module, func)
            if cn in ("click.command", "click.group"):
                cmd = self.new_command(module, fn, call, cn == "click.group", None)
            elif isinstance(func, ast.Attribute) and func.attr in ("command", "group") and cn is None:
                parent = self.resolve(module, dotted(func.value))
                if parent and parent[0] == "node" and isinstance(parent[2], ast.FunctionDef):
                    pkey = parent[1] + "." + parent[2].name
                    cmd = self.new_command(module, fn, call, func.attr == "group", pkey)
        if cmd is None:
            return
        for dec in fn.decorator_list:
            call = dec if isinstance(dec, ast.Call) else None
            func = dec.func if call else dec
            cn = self.click_name(module, func)
            if cn in ("click.command", "click.group"):
                continue
            if isinstance(func, ast.Attribute) and func.attr in ("command", "group") and cn is None:
                continue
            if cn == "click.option" and call:
                opts, dyn = self.option_object(module, call)
                cmd["options"].update(opts)
                cmd["dyn"] = cmd["dyn"] or dyn
            elif cn in CLICK_OPTIONS:
                names = [self.string(module, a) for a in (call.args if call else [])]
                names = [n for n in names if n and n.startswith("-")] or CLICK_OPTIONS[cn]
                for n in names:
                    cmd["options"][n] = 0
            elif cn in NEUTRAL:
                continue
            elif cn is not None:
                cmd["dyn"] = True
            elif call is None and (shared := self.shared_option(module, dotted(func))) is not None:
                cmd["options"].update(shared[0])
                cmd["dyn"] = cmd["dyn"] or shared[1]
            elif not self.harmless(module, func):
                cmd["dyn"] = True

    def harmless(self, module, func):
        """A decorator that cannot add options: an MLflow function whose
        code never mentions click."""
        r = self.resolve(module, dotted(func))
        if not r or r[0] != "node" or not isinstance(r[2], (ast.FunctionDef, ast.AsyncFunctionDef)):
            return False
        return "click" not in ast.unparse(r[2])

    def new_command(self, module, fn, call, group, parent):
        name = None
        kw = {}
        if call:
            if call.args:
                name = self.string(module, call.args[0])
            kw = {k.arg: k.value for k in call.keywords if k.arg}
            if "name" in kw:
                name = self.string(module, kw["name"])
        dyn = False
        if name is None:
            if call and (call.args or "name" in kw):
                dyn = True
            name = fn.name.lower().replace("_", "-")
        if "context_settings" in kw:
            dyn = True
        aliases = []
        if "cls" in kw:
            aliases = self.class_aliases(module, kw["cls"])
            if aliases is None:
                dyn, aliases = True, []
        key = self.command_key(module, fn)
        cmd = {"name": name, "parent": parent, "options": {"--help": 0}, "dyn": dyn,
               "group": group, "children": [], "aliases": aliases}
        self.commands[key] = cmd
        return cmd

    def class_aliases(self, module, node):
        """The names a custom group class maps in get_command (`"server" if
        cmd_name == "ui" else cmd_name`): compared literals are aliases.
        None when the class cannot be read."""
        r = self.resolve(module, dotted(node))
        if r and r[0] == "click":
            return []
        if not r or r[0] != "node" or not isinstance(r[2], ast.ClassDef):
            return None
        out = []
        for st in r[2].body:
            if isinstance(st, ast.FunctionDef) and st.name in ("get_command", "resolve_command"):
                for n in ast.walk(st):
                    if isinstance(n, ast.Compare) and any(isinstance(o, ast.Eq) for o in n.ops):
                        for c in [n.left] + n.comparators:
                            if isinstance(c, ast.Constant) and isinstance(c.value, str):
                                out.append(c.value)
                    elif isinstance(n, ast.Compare):
                        return None
            elif isinstance(st, ast.FunctionDef) and st.name in ("list_commands", "parse_args", "invoke"):
                return None
        return out

    def registrations(self):
        """parent.add_command(cmd[, name]) anywhere at module level or in
        try/with/if blocks."""
        for mname in sorted(self.mods):
            m = self.mods[mname]
            if "add_command" not in m.text:
                continue
            for n in ast.walk(m.tree):
                if not (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "add_command"):
                    continue
                parent = self.command_at(mname, dotted(n.func.value))
                child = self.command_at(mname, dotted(n.args[0])) if n.args else None
                if parent is None:
                    continue
                if child is None:
                    self.commands[parent]["dyn"] = True
                    continue
                name = None
                if len(n.args) > 1:
                    name = self.string(mname, n.args[1])
                for k in n.keywords:
                    if k.arg == "name":
                        name = self.string(mname, k.value)
                self.commands[parent]["children"].append((name, child))

    def command_at(self, module, expr):
        r = self.resolve(module, expr)
        if r and r[0] == "node" and isinstance(r[2], (ast.FunctionDef, ast.AsyncFunctionDef)):
            key = r[1] + "." + r[2].name
            if key in self.commands:
                return key
        return None

    def tree(self):
        """{path: command} from the entry point down."""
        children = {}
        for key, c in self.commands.items():
            children.setdefault(key, [])
            for name, child in c["children"]:
                children[key].append((name, child))
            if c["parent"]:
                children.setdefault(c["parent"], []).append((None, key))
        out = {}

        def walk(key, path, seen):
            c = self.commands[key]
            if path in out:
                return
            out[path] = {"dyn": c["dyn"], "options": dict(sorted(c["options"].items()))}
            if key in seen:
                return
            for alias in c["aliases"]:
                p = (path + " " + alias).strip()
                out.setdefault(p, {"dyn": True, "options": {"--help": 0}})
            for name, child in children.get(key, []):
                if child not in self.commands:
                    continue
                n = name or self.commands[child]["name"]
                walk(child, (path + " " + n).strip(), seen | {key})

        root = self.command_at(ENTRY.rpartition(".")[0], ENTRY.rpartition(".")[2])
        if root is None:
            raise SystemExit(f"the entry point {ENTRY} is not a click group")
        walk(root, "", frozenset())
        return out


def env_vars(mods):
    """({name: constant} of environment_variables.py, [other MLFLOW_*
    literals of the package]). The constant is the module attribute the
    variable is bound to (MLFLOW_TRACKING_URI = _EnvironmentVariable(...)):
    one constant naming another variable in a later release is a rename."""
    m = mods.get("mlflow.environment_variables")
    defined = {}
    if m is not None:
        for st in m.tree.body:
            if not (isinstance(st, ast.Assign) and isinstance(st.value, ast.Call)):
                continue
            f = dotted(st.value.func) or ""
            a = st.value.args[0] if st.value.args else None
            if f.endswith("EnvironmentVariable") and isinstance(a, ast.Constant) and isinstance(a.value, str):
                for t in st.targets:
                    if isinstance(t, ast.Name):
                        defined[a.value] = t.id
    mentioned = set()
    for name in sorted(mods):
        for n in ast.walk(mods[name].tree):
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and ENV_NAME.fullmatch(n.value):
                mentioned.add(n.value)
    return defined, sorted(mentioned - set(defined))


def extract(root):
    mods = load(root)
    r = Reader(mods)
    r.scan()
    r.registrations()
    tree = r.tree()
    env, mentioned = env_vars(mods)
    return {
        "commands": {p: {"dyn": c["dyn"]} for p, c in sorted(tree.items())},
        "options": {p: c["options"] for p, c in sorted(tree.items())},
        "env": env,
        "mentioned": mentioned,
    }


if __name__ == "__main__":
    import json
    import sys

    json.dump(extract(sys.argv[1]), sys.stdout, indent=1, sort_keys=True)
