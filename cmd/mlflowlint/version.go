package main

import (
	"runtime/debug"
	"strings"

	"github.com/mlflowlint/mlflowlint/apidb"
)

// version is the release this binary was built as. Release builds set it:
//
//	go build -ldflags "-X main.version=0.2.0" ./cmd/mlflowlint
//
// (make build VERSION=0.2.0 and the wheel build do this). Left empty, the
// module version that `go install ...@v0.2.0` records is used, and without
// one devVersion.
var version string

// devVersion names a build of a checkout that carries no release version:
// the release being prepared (the top entry of CHANGELOG.md), marked -dev.
const devVersion = "0.1.0-dev"

// dataVersion is the version of the MLflow API data built into the binary,
// printed by --version next to the tool's own: its newest release, how many
// releases it holds, and the start of its sha256.
func dataVersion() string { return apidb.DataVersion() }

// toolVersion returns the version this binary reports (--version, SARIF).
func toolVersion() string {
	if version != "" {
		return strings.TrimPrefix(version, "v")
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			return strings.TrimPrefix(v, "v")
		}
	}
	return devVersion
}

// versionLine is what --version prints: the tool's version and, when the
// binary carries versioned MLflow data, that version.
func versionLine(tool, data string) string {
	if data == "" {
		return "mlflowlint " + tool
	}
	return "mlflowlint " + tool + " (MLflow data " + data + ")"
}
