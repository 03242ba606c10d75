package rules

import (
	"reflect"
	"strings"
	"testing"
)

func TestMLflowCommandsScan(t *testing.T) {
	src := []byte("mlflow deployments \\\n  start-server --port 7000 # note\n" +
		`CMD ["mlflow", "server", "--host", "0.0.0.0"]` + "\n" +
		"run: \"mlflow recipes run\"\n" +
		"# mlflow recipes clean\n" +
		"mlflow-extra recipes run\n")
	var got [][]string
	for _, c := range mlflowCommands(src) {
		var ws []string
		for _, w := range c.Args {
			ws = append(ws, w.Text)
		}
		got = append(got, ws)
	}
	want := [][]string{
		{"deployments", "start-server", "--port", "7000"},
		{"server", "--host", "0.0.0.0"},
		{"recipes", "run"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestTextFileKinds(t *testing.T) {
	for path, want := range map[string]bool{
		"ci/.github/workflows/train.yml": true, "deploy/Dockerfile.gpu": true, "serve.Dockerfile": true,
		"tools/common.mk": true, "compose.yaml": true, "docker-compose.prod.yml": true, "MLproject": true,
		"scripts/run.bash": true, "config/app.yaml": false, "README.md": false, "train.py": false,
	} {
		if got := runsCommands(path); got != want {
			t.Errorf("runsCommands(%q) = %v, want %v", path, got, want)
		}
	}
	if !setsEnv("prod.env") || !setsEnv(".env.local") || !setsEnv("k8s/deploy.yaml") || setsEnv("train.py") {
		t.Error("setsEnv misclassifies files")
	}
}

func TestFileStoreURI(t *testing.T) {
	for v, want := range map[string]bool{
		"./mlruns": true, "mlruns": true, "file:///tmp/m": true, "FILE:./m": true, `C:\mlruns`: true,
		"sqlite:///mlflow.db": false, "http://h:5000": false, "databricks": false, "databricks-uc": false,
		"${URI}": false, "": false, "{{ .Values.uri }}": false,
	} {
		if got := fileStoreURI(v); got != want {
			t.Errorf("fileStoreURI(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestAtCommandPosition(t *testing.T) {
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"mlflow run .", true},
		{"  mlflow run .", true},
		{"cd x && mlflow run .", true},
		{"python -m mlflow run .", true},
		{"MLFLOW_TRACKING_URI=http://x A=1 mlflow run .", true},
		{"sudo mlflow server", true},
		{"uv run mlflow server", true},
		{"RUN mlflow models prepare-env -m m", true},
		{`CMD ["mlflow", "server"]`, true},
		{`CMD ["python", "-m", "mlflow", "server"]`, true},
		{`bash -c "mlflow server"`, true},
		{"    command: mlflow server", true},
		{"  - mlflow server", true},
		{"\t@mlflow server", true},
		{"out=$(mlflow experiments search)", true},
		{"pip install mlflow --upgrade", false},
		{"cd mlflow", false},
		{`echo "mlflow run ."`, false},
		{"docker run --rm mlflow --port 1", false},
		{`CMD ["pip", "install", "mlflow"]`, false},
		{"export A=1 mlflow", false},
		{"conda install -c conda-forge mlflow", false},
	} {
		off := strings.Index(tc.line, "mlflow")
		if got := atCommandPosition([]byte(tc.line), off); got != tc.want {
			t.Errorf("atCommandPosition(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}
