package rules

import (
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
