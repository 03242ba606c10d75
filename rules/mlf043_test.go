package rules_test

import (
	"testing"

	"github.com/mlflowlint/mlflowlint/analyzer/analysistest"
)

// TestMLF043Paths checks files whose kind comes from their path, and that
// a migration after the server start does not count.
func TestMLF043Paths(t *testing.T) {
	for _, c := range []struct {
		path, src string
		want      int
	}{
		{".github/workflows/ci.yml", "jobs:\n  e2e:\n    steps:\n      - run: mlflow server --backend-store-uri sqlite:///ci.db &\n", 1},
		{"ci.yml", "jobs:\n  e2e:\n    steps:\n      - run: mlflow server --backend-store-uri sqlite:///ci.db &\n", 1},
		{"notes.txt", "mlflow server --backend-store-uri sqlite:///ci.db\n", 0},
		{"late.sh", "mlflow server --backend-store-uri sqlite:///a.db &\nmlflow db upgrade sqlite:///a.db\n", 1},
		{"early.sh", "mlflow db upgrade sqlite:///a.db\nmlflow server --backend-store-uri sqlite:///a.db\n", 0},
		// A folded block scalar is one line to YAML (CRLF too), a literal block is not.
		{"docker-compose.yml", "services:\n  mlflow:\n    command: >\n      bash -c \"pip install psycopg2-binary &&\n      mlflow server\n      --backend-store-uri postgresql://mlflow:pw@postgres/mlflow\n\n      --host 0.0.0.0\"\n    ports:\n      - 5000:5000\n", 1},
		{"docker-compose.yml", "services:\r\n  mlflow:\r\n    command: >-\r\n      mlflow server\r\n      --backend-store-uri sqlite:///db/mlflow.db\r\n", 1},
		{"docker-compose.yml", "services:\n  mlflow:\n    command: |\n      mlflow server\n      --backend-store-uri sqlite:///db/mlflow.db\n", 0},
		{"docker-compose.yml", "services:\n  mlflow:\n    command: >\n      mlflow server\n    environment:\n      - --backend-store-uri sqlite:///db/mlflow.db\n", 0},
		{"MLproject", "name: x\nentry_points:\n  main:\n    command: mlflow server --backend-store-uri postgresql://db/x\n", 1},
	} {
		res, _, err := analysistest.Analyze(setup("3.15"), c.path, []byte(c.src), false, false)
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for _, f := range res.Findings {
			if f.Code == "MLF043" {
				got++
			}
		}
		if got != c.want {
			t.Errorf("%s: %d MLF043 findings, want %d", c.path, got, c.want)
		}
	}
}
