package apidb

import (
	"slices"
	"strings"
	"testing"
)

func TestParseMeta(t *testing.T) {
	text := "# comment\nversions\t1.0.0\t2.0.0\t3.0.0\n" +
		"route\tGET\t/api/2.0/mlflow/experiments/list\t0\n" +
		"route\tPOST\t/api/2.0/mlflow/experiments/search\t*\n" +
		"route\tGET\t/api/3.0/mlflow/traces/<trace_id>\t2\n" +
		"route\tGET\t/static/<path:filename>\t1-2\n" +
		"python\tmlflow\t>=3.8\t0-1\n" +
		"python\tmlflow\t>=3.10\t2\n" +
		"dist\tmlflow\tpydantic<3,>=1.0\t0-1\n" +
		"dist\tmlflow\tpydantic<3,>=2.0.0\t2\n" +
		"dist\tmlflow\tFlask<4\t*\n"
	m, err := ParseMeta(text)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		method, path string
		v            int
		want         bool
	}{
		{"GET", "/api/2.0/mlflow/experiments/list", 0, true},
		{"GET", "/api/2.0/mlflow/experiments/list", 1, false},
		{"", "/api/2.0/mlflow/experiments/list", 0, true},
		{"GET", "/api/2.0/mlflow/experiments/search", 2, false}, // POST only
		{"", "/api/2.0/mlflow/experiments/search", 2, true},
		{"GET", "/api/3.0/mlflow/traces/tr-1", 2, true},
		{"GET", "/api/3.0/mlflow/traces/", 2, false},
		{"GET", "/api/3.0/mlflow/traces/tr-1/x", 2, false},
		{"GET", "/static/js/main.js", 1, true},
		{"GET", "/static", 1, false},
		{"GET", "/static/", 1, false},
	}
	for _, c := range cases {
		if got := m.Serves(c.method, c.path, c.v); got != c.want {
			t.Errorf("Serves(%q, %q, %d) = %v, want %v", c.method, c.path, c.v, got, c.want)
		}
	}
	if got := m.RequiresPython("mlflow", 2); got != ">=3.10" {
		t.Errorf("RequiresPython(mlflow, 2) = %q", got)
	}
	if got := m.RequiresPython("mlflow-skinny", 2); got != "" {
		t.Errorf("RequiresPython(mlflow-skinny, 2) = %q, want none", got)
	}
	if got := m.RequiresDist("mlflow", 2); !slices.Equal(got, []string{"Flask<4", "pydantic<3,>=2.0.0"}) {
		t.Errorf("RequiresDist(mlflow, 2) = %q", got)
	}
	if got := len(m.Routes(2)); got != 3 {
		t.Errorf("Routes(2) has %d routes, want 3", got)
	}
	for _, bad := range []string{
		"route\tGET\t/x\t0\n",                           // before versions
		"versions\t1.0.0\nroute\tGET\t/x\t1\n",          // range beyond the releases
		"versions\t1.0.0\nroute\tGET\t/x\n",             // missing field
		"versions\t1.0.0\nroutes\tGET\t/x\t0\n",         // unknown fact
		"# only a comment\n",                            // no versions
		"versions\t1.0.0\npython\tmlflow\t>=3.8\tx-y\n", // bad range
	} {
		if _, err := ParseMeta(bad); err == nil {
			t.Errorf("ParseMeta(%q) succeeded", bad)
		}
	}
}

// The embedded facts agree with what the real servers showed: the Flask
// app's url_map of MLflow 1.30.1 has 184 method+path pairs (HEAD and
// OPTIONS left out), that of 2.9.2 119 and that of 3.17.2 411.
func TestEmbeddedMeta(t *testing.T) {
	m := LoadMeta()
	if !slices.Equal(m.Versions(), Versions()) {
		t.Fatalf("release facts cover %v, the API data %v", m.Versions(), Versions())
	}
	idx := func(v string) int {
		i, ok := m.Index(v)
		if !ok {
			t.Fatalf("no release %s", v)
		}
		return i
	}
	pairs := func(v string) int {
		n := 0
		for _, r := range m.Routes(idx(v)) {
			if r.Method != "HEAD" && r.Method != "OPTIONS" {
				n++
			}
		}
		return n
	}
	if got := pairs("1.30.1"); got != 184 {
		t.Errorf("1.30.1: %d routes, the real url_map has 184", got)
	}
	if got := pairs("2.9.2"); got != 119 {
		t.Errorf("2.9.2: %d routes, the real url_map has 119", got)
	}
	if got := pairs("3.17.2"); got != 411 {
		t.Errorf("3.17.2: %d routes, the real url_map has 411", got)
	}
	if !m.Serves("GET", "/api/2.0/mlflow/experiments/list", idx("1.30.1")) || m.Serves("", "/api/2.0/mlflow/experiments/list", idx("2.0.1")) {
		t.Error("experiments/list: want served by 1.30.1 only")
	}
	if m.Serves("", "/api/2.0/preview/mlflow/runs/search", idx("2.9.2")) || !m.Serves("", "/api/2.0/preview/mlflow/runs/search", idx("1.30.1")) {
		t.Error("the preview prefix: want served by 1.30.1 only")
	}
	if !m.Serves("POST", "/api/2.0/mlflow/experiments/search", idx("3.18.0")) {
		t.Error("experiments/search: want served by 3.18.0")
	}
	if !m.Serves("GET", "/get-artifact", idx("3.18.0")) || !m.Serves("POST", "/graphql", idx("3.18.0")) || m.Serves("", "/graphql", idx("2.9.2")) {
		t.Error("/get-artifact and /graphql: want 3.18.0 to serve both, 2.9.2 no /graphql")
	}
	if got := m.RequiresPython("mlflow", idx("2.9.2")); got != ">=3.8" {
		t.Errorf("2.9.2 Requires-Python %q", got)
	}
	found := false
	for _, d := range m.RequiresDist("mlflow-skinny", idx("2.9.2")) {
		found = found || strings.HasPrefix(d, "packaging")
	}
	if !found {
		t.Error("2.9.2 mlflow-skinny: no packaging requirement")
	}
}
