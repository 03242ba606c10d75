package rules

import (
	"strings"
	"testing"

	"github.com/mlflowlint/mlflowlint/apidb"
)

// Every successor the messages name is served by the newest release, and
// the endpoint it replaces is not.
func TestRESTSuccessorsServed(t *testing.T) {
	meta := apidb.LoadMeta()
	newest := len(meta.Versions()) - 1
	for old, alt := range restSuccessors {
		for _, prefix := range []string{"/api/2.0", "/ajax-api/2.0"} {
			if !meta.Serves("", prefix+alt, newest) {
				t.Errorf("%s%s: not served by %s", prefix, alt, meta.Versions()[newest])
			}
			if meta.Serves("", prefix+old, newest) {
				t.Errorf("%s%s: still served by %s", prefix, old, meta.Versions()[newest])
			}
		}
	}
}

func TestRESTPaths(t *testing.T) {
	cases := []struct {
		src    string
		closed bool
		want   []string
	}{
		{`"/api/2.0/mlflow/experiments/list"`, true, []string{"/api/2.0/mlflow/experiments/list"}},
		{`/api/2.0/mlflow/experiments/list`, true, []string{"/api/2.0/mlflow/experiments/list"}},
		{`/api/2.0/mlflow/experiments/list`, false, nil},
		{`x/ajax-api/2.0/mlflow-artifacts/artifacts?path=a`, false, []string{"/ajax-api/2.0/mlflow-artifacts/artifacts"}},
		{`/api/2.0/mlflow/experiments/`, true, nil},
		{`see /api/2.0/mlflow/experiments/list.`, true, []string{"/api/2.0/mlflow/experiments/list"}},
		{`/api/2.0/mlflow/{kind}/list`, true, nil},
		{`/api/2.0/mlflow/experiments/list%s`, true, nil},
		{`/api/2.0/mlflow/runs/$RUN`, true, nil},
		{`/api/2.0/clusters/list`, true, nil},
		{`/api/2.0/mlflowx/list`, true, nil},
		{`a /api/2.0/preview/mlflow/runs/search b /api/3.0/mlflow/traces/t1`, true,
			[]string{"/api/2.0/preview/mlflow/runs/search", "/api/3.0/mlflow/traces/t1"}},
	}
	for _, c := range cases {
		var got []string
		for _, r := range restPaths([]byte(c.src), 0, len(c.src), c.closed) {
			if c.src[r.Start:r.End] != r.Path {
				t.Errorf("%q: span %d-%d is %q, path %q", c.src, r.Start, r.End, c.src[r.Start:r.End], r.Path)
			}
			got = append(got, r.Path)
		}
		if len(got) != len(c.want) {
			t.Errorf("restPaths(%q, closed=%v) = %q, want %q", c.src, c.closed, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("restPaths(%q, closed=%v) = %q, want %q", c.src, c.closed, got, c.want)
			}
		}
	}
}

// The verdicts follow the target: GET /api/2.0/mlflow/traces/<id> was
// served from 2.21 to 3.1 and went in 3.2.0, when PATCH of the same path
// stayed.
func TestJudgeRESTByTarget(t *testing.T) {
	at := func(v string) int {
		for i, r := range apidb.Versions() {
			if r == v {
				return i
			}
		}
		t.Fatalf("no release %s", v)
		return 0
	}
	get := restRef{Path: "/api/2.0/mlflow/traces/tr-1", Method: "GET"}
	if v, ok := judgeREST(get, at("3.1.4")); ok {
		t.Errorf("3.1.4 serves GET traces/<id>, got %+v", v)
	}
	v, ok := judgeREST(get, at("3.2.0"))
	if !ok || v.code != codeRemovedREST || v.message != "`/api/2.0/mlflow/traces/tr-1` is not served by the MLflow 3.2.0 tracking server (a request gets 404): last served by 3.1.4, gone by 3.2.0; the target serves `/api/3.0/mlflow/traces/tr-1`, whose request and response differ" {
		t.Errorf("3.2.0: %+v %v", v, ok)
	}
	if v, ok := judgeREST(restRef{Path: get.Path, Method: "PATCH"}, at("3.2.0")); ok {
		t.Errorf("3.2.0 serves PATCH traces/<id>, got %+v", v)
	}
	if v, ok := judgeREST(restRef{Path: get.Path}, at("3.2.0")); ok {
		t.Errorf("method unknown and PATCH served: want no finding, got %+v", v)
	}
	// 1.30.1 is the target: the list endpoint and preview prefix still served.
	for _, p := range []string{"/api/2.0/mlflow/experiments/list", "/api/2.0/preview/mlflow/runs/search"} {
		if v, ok := judgeREST(restRef{Path: p}, at("1.30.1")); ok {
			t.Errorf("%s on 1.30.1: %+v", p, v)
		}
	}
	v, ok = judgeREST(restRef{Path: "/ajax-api/2.0/preview/mlflow/runs/search", Method: "POST"}, at("2.0.1"))
	if !ok || v.code != codePreviewREST || "/ajax-api/2.0/preview/mlflow/runs/search"[v.fixStart:v.fixEnd] != "preview/" {
		t.Errorf("preview on 2.0.1: %+v %v", v, ok)
	}
}

// TestRestPathMayStart: an "api/N" counts for MLF206's statements where it
// may be part of a path restPaths finds, after "/" or "/ajax-" and up to a
// byte that ends a path.
func TestRestPathMayStart(t *testing.T) {
	for src, want := range map[string]bool{
		`"/api/2.0/mlflow/runs/search"`:              true,
		`"/ajax-api/2.0/mlflow/metrics/get-history"`: true,
		`"/api/2.0/preview/mlflow/runs/get"`:         true,
		`"/api/2.0/mlflow-artifacts/artifacts"`:      true,
		`"/api/2.0/mlflow/runs/get?run_id=1"`:        true,
		`curl host/api/2.0/mlflow/runs/get`:          true,
		`"/api/2.0/mlflow/runs/" + run_id`:           true,
		`"/api/2.0/jobs/runs/submit"`:                false,
		`f"/api/2.0{base_path}"`:                     false,
		`"/api/2.0"`:                                 false,
		`f"/api/2.0/mlflow/runs/{run_id}"`:           false,
		`"api/2.0/mlflow/runs/get"`:                  false,
		`"/api/2.0/mlflow/runs/get\n"`:               false,
	} {
		at := strings.Index(src, "api/")
		if got := restPathMayStart([]byte(src), at, at+len("api/2")); got != want {
			t.Errorf("restPathMayStart(%s) = %v, want %v", src, got, want)
		}
	}
}
