"""Hatchling build hook: compile the mlflowlint Go command into the wheel.

The wheel holds no Python code, only the binary as a script, so
`pip install mlflowlint` puts `mlflowlint` on PATH. The sdist holds the Go
sources the command is built from (listed by `go list`, so a new package or
embedded file is never left out), and building a wheel from it compiles them:
that needs Go and a C compiler (tree-sitter is compiled with cgo).

Linux binaries are linked statically, so they need no particular glibc; see
README.md in this folder for the tag that follows from that.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

MODULE = "github.com/mlflowlint/mlflowlint"
COMMAND = "./cmd/mlflowlint"

# Wheel architecture names by GOOS, then GOARCH. Linux wheels are manylinux
# 2.17 (manylinux2014), the oldest policy PyPI takes for every architecture
# listed; a static binary needs nothing newer.
ARCHES = {
    "linux": {"amd64": "x86_64", "arm64": "aarch64", "386": "i686", "ppc64le": "ppc64le", "s390x": "s390x"},
    "darwin": {"amd64": "x86_64", "arm64": "arm64"},
    "windows": {"amd64": "amd64", "arm64": "arm64", "386": "32"},
}

# Go 1.26 supports macOS 12 (Monterey) and later.
MACOS_MIN = "12.0"

# What `go list -json` names as a package's source files. Files excluded by
# build constraints on this machine are kept: another platform needs them.
SOURCE_FIELDS = (
    "GoFiles",
    "CgoFiles",
    "IgnoredGoFiles",
    "CFiles",
    "CXXFiles",
    "HFiles",
    "SFiles",
    "SysoFiles",
    "EmbedFiles",
)


class BuildError(Exception):
    """A build that cannot go on; the message says what to do."""


def go_module_root(root: str) -> str:
    """The directory holding go.mod: the sdist's root, or the checkout's."""
    for d in (root, os.path.dirname(root)):
        try:
            with open(os.path.join(d, "go.mod"), encoding="utf-8") as f:
                first = f.readline().split()
        except FileNotFoundError:
            continue
        if first == ["module", MODULE]:
            return d
    raise BuildError(f"no go.mod of {MODULE} in {root} or its parent: the sources are incomplete")


def go_command() -> str:
    go = shutil.which("go")
    if go is None:
        raise BuildError(
            "mlflowlint is a Go program and building it from source needs Go 1.26 or newer and a C "
            "compiler (tree-sitter is compiled with cgo); `go` is not on PATH. Install Go "
            "(https://go.dev/dl/), or install a prebuilt wheel: pip install --only-binary mlflowlint mlflowlint"
        )
    return go


def go_env(go: str, src: str, *names: str) -> list[str]:
    out = run([go, "env", *names], src, os.environ.copy())
    return out.splitlines()


def run(cmd: list[str], cwd: str, env: dict[str, str]) -> str:
    try:
        done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    except OSError as e:
        raise BuildError(f"{cmd[0]}: {e}") from e
    if done.returncode != 0:
        hint = ""
        if "cgo" in done.stderr or "gcc" in done.stderr or "cc1" in done.stderr:
            hint = "\ncgo needs a C compiler (gcc or clang) on PATH."
        raise BuildError(f"{' '.join(cmd)} failed (exit {done.returncode}):\n{done.stderr.strip()}{hint}")
    return done.stdout


def platform_tag(goos: str, goarch: str, musl: bool) -> str:
    arch = ARCHES.get(goos, {}).get(goarch)
    if goos == "linux":
        if arch is None:
            # Installable here, not uploadable: no policy covers it.
            return "linux_" + goarch
        if musl:
            return f"musllinux_1_1_{arch}"
        return f"manylinux_2_17_{arch}.manylinux2014_{arch}"
    if arch is None:
        raise BuildError(f"no wheel platform tag is known for {goos}/{goarch}")
    if goos == "darwin":
        return f"macosx_{MACOS_MIN.replace('.', '_')}_{arch}"
    if goos == "windows":
        return "win32" if arch == "32" else f"win_{arch}"
    raise BuildError(f"no wheel platform tag is known for {goos}/{goarch}")


def host_is_musl() -> bool:
    """Whether this Python runs on musl libc, whose pip refuses manylinux."""
    from packaging import tags

    return any(t.platform.startswith("musllinux_") for t in tags.sys_tags())


def source_files(go: str, src: str) -> list[str]:
    """The module's files the command is built from, relative to src."""
    out = run([go, "list", "-deps", "-json", COMMAND], src, os.environ.copy())
    files = {"go.mod", "go.sum"}
    decoder = json.JSONDecoder()
    i = 0
    while True:
        while i < len(out) and out[i].isspace():
            i += 1
        if i == len(out):
            break
        pkg, i = decoder.raw_decode(out, i)
        if not (pkg.get("Module") or {}).get("Main"):
            continue  # the standard library or a dependency: go downloads those
        rel = os.path.relpath(pkg["Dir"], src)
        for field in SOURCE_FIELDS:
            for name in pkg.get(field) or ():
                if not name.endswith("_test.go"):
                    files.add(os.path.join(rel, name).replace(os.sep, "/"))
        if pkg.get("Name") == "main" and os.path.isfile(os.path.join(pkg["Dir"], "default.pgo")):
            # The profile go build optimises the command with (bench/pgo.sh).
            files.add(os.path.join(rel, "default.pgo").replace(os.sep, "/"))
    return sorted(files)


class GoBinaryHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        try:
            if self.target_name == "sdist":
                self.add_sources(build_data)
            elif self.target_name == "wheel":
                self.add_binary(build_data)
        except BuildError as e:
            # One clear message instead of a traceback through the backend.
            sys.stderr.write(f"mlflowlint build: {e}\n")
            raise SystemExit(1) from None

    def add_sources(self, build_data: dict) -> None:
        src = go_module_root(self.root)
        for rel in source_files(go_command(), src):
            build_data["force_include"][os.path.join(src, rel)] = rel

    def add_binary(self, build_data: dict) -> None:
        src = go_module_root(self.root)
        go = go_command()
        goos, goarch, hostos, hostarch = go_env(go, src, "GOOS", "GOARCH", "GOHOSTOS", "GOHOSTARCH")
        musl = goos == "linux" and goos == hostos and host_is_musl()
        tag = platform_tag(goos, goarch, musl)

        self.tmp = tempfile.mkdtemp(prefix="mlflowlint-wheel-")
        exe = "mlflowlint.exe" if goos == "windows" else "mlflowlint"
        out = os.path.join(self.tmp, exe)
        ldflags = ["-s", "-w", "-X", "main.version=" + self.metadata.version]
        env = os.environ.copy()
        if goos == "linux":
            # No glibc symbol versions to satisfy: the wheel runs on any
            # manylinux system, whatever glibc this machine has. The C
            # code (tree-sitter's runtime, compiled by its binding as
            # separate files) is linked with link-time optimisation, with
            # the flags of `make build` (Makefile, RELEASE_CFLAGS).
            ldflags += ["-linkmode", "external", "-extldflags", "'-static -flto=auto'"]
            env.setdefault("CGO_CFLAGS", "-O2 -g -flto=auto -ffat-lto-objects")
        elif goos == "windows":
            # Keep MinGW's runtime DLLs out of the binary's imports.
            ldflags += ["-extldflags", "-static"]
        env["CGO_ENABLED"] = "1"
        if goos == "darwin":
            env.setdefault("MACOSX_DEPLOYMENT_TARGET", MACOS_MIN)
        cmd = [go, "build", "-trimpath", "-buildvcs=false", "-ldflags", " ".join(ldflags), "-o", out, COMMAND]
        cflags = f"CGO_CFLAGS={env['CGO_CFLAGS']!r} " if env.get("CGO_CFLAGS") else ""
        self.app.display_info(f"mlflowlint build: {cflags}{' '.join(cmd)}")
        run(cmd, src, env)
        if (goos, goarch) == (hostos, hostarch):
            got = run([out, "--version"], src, env).strip()
            want = "mlflowlint " + self.metadata.version
            if got.split(" (")[0] != want:
                raise BuildError(f"the built binary says {got!r}, want {want!r}")

        build_data["pure_python"] = False
        build_data["tag"] = "py3-none-" + tag
        build_data["shared_scripts"][out] = exe

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        tmp = getattr(self, "tmp", None)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
