package rules

import (
	"strings"
	"testing"

	"github.com/mlflowlint/mlflowlint/apidb"
	"github.com/mlflowlint/mlflowlint/manifest"
)

// MLF022's two names are a table of one row; the CLI and environment data
// generated from MLflow's wheels must agree with it: the old variable is
// read by every 2.x release from 2.9 on and named by no 3.x release, and
// its replacement is defined from 2.2 (the release the comment gives) to
// the newest release.
func TestMLF022AgreesWithData(t *testing.T) {
	c := apidb.LoadCLI()
	first := ""
	for rel, v := range c.Versions() {
		major3 := strings.HasPrefix(v, "3.")
		if major3 && c.EnvNamed(gcsTimeoutVar, rel) {
			t.Errorf("%s still names %s", v, gcsTimeoutVar)
		}
		if !major3 && strings.HasPrefix(v, "2.") && atLeast(t, v, "2.9.0") && !c.EnvDefined(gcsTimeoutVar, rel) {
			t.Errorf("%s does not define %s", v, gcsTimeoutVar)
		}
		defined := c.EnvDefined(artifactTimeoutVar, rel)
		if defined && first == "" {
			first = v
		}
		if first != "" && !defined {
			t.Errorf("%s does not define %s, which %s introduced", v, artifactTimeoutVar, first)
		}
	}
	if !strings.HasPrefix(first, "2.2.") {
		t.Errorf("%s first defined in %q, want a 2.2 release", artifactTimeoutVar, first)
	}
}

func atLeast(t *testing.T, v, floor string) bool {
	t.Helper()
	c, err := manifest.CompareVersions(v, floor)
	if err != nil {
		t.Fatalf("CompareVersions(%q, %q): %v", v, floor, err)
	}
	return c >= 0
}
