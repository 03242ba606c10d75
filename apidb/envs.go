package apidb

import (
	_ "embed"
	"hash/crc32"
	"strings"
	"sync"
)

// mlflow.envs holds CLI.EnvDropped of the embedded CLI data, one variable
// a line after a header naming the data's CRC-32C (see derivedHeader):
// MLF308's trigger words, read by every run that meets MLflow, where
// gunzipping and parsing the CLI data cost about 2 ms. A stale file is
// ignored and the list computed.
//
//go:embed mlflow.envs
var embeddedEnvs string

func envsHeader() string {
	return derivedHeader("dropped environment variables", "mlflow.cli.gz", crc32.Checksum(embeddedCLI, crc32.MakeTable(crc32.Castagnoli)))
}

// EnvsText renders dropped variables in the format of mlflow.envs.
func EnvsText(vars []string) string {
	return envsHeader() + "\n" + strings.Join(vars, "\n") + "\n"
}

// DroppedEnv returns LoadCLI().EnvDropped(), from mlflow.envs when it is
// fresh.
var DroppedEnv = sync.OnceValue(func() []string {
	header, body, _ := strings.Cut(embeddedEnvs, "\n")
	if header != envsHeader() {
		return LoadCLI().EnvDropped()
	}
	return strings.Fields(body)
})
