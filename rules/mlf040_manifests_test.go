package rules

import (
	"slices"
	"strings"
	"testing"

	"github.com/mlflowlint/mlflowlint/apidb"
)

// The facts MLF041 and MLF042 take from the release data, as the wheels'
// METADATA declares them.
func TestTargetRequires(t *testing.T) {
	meta := apidb.LoadMeta()
	idx := func(v string) int {
		i, ok := meta.Index(v)
		if !ok {
			t.Fatalf("no release %s", v)
		}
		return i
	}
	for v, want := range map[string]string{"2.9.2": ">=3.8", "3.0.0": ">=3.9", "3.1.4": ">=3.9", "3.2.0": ">=3.10", "3.4.0": ">=3.10", "3.18.0": ">=3.10"} {
		if got := targetRequires(idx(v)).Python; got != want {
			t.Errorf("%s: Requires-Python %q, want %q", v, got, want)
		}
	}
	pydantic2 := ""
	for i, v := range meta.Versions() {
		if strings.HasPrefix(v, "3.") && slices.Contains(targetRequires(i).Skinny, "pydantic<3,>=2.0.0") {
			pydantic2 = v
			break
		}
	}
	if pydantic2 != "3.6.0" {
		t.Errorf("first release requiring pydantic>=2: %q, want 3.6.0", pydantic2)
	}
	// 3.18.0 has no mlflow-skinny wheel on PyPI: 3.17.2's stands in.
	if got, want := targetRequires(idx("3.18.0")).Skinny, meta.RequiresDist("mlflow-skinny", idx("3.17.2")); !slices.Equal(got, want) || len(got) == 0 {
		t.Errorf("3.18.0 skinny requirements %q, want 3.17.2's %q", got, want)
	}
}
