package oracle

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestRunnerDefaults fails when run.py and this package disagree on the
// default releases, which the documentation names.
func TestRunnerDefaults(t *testing.T) {
	src, err := os.ReadFile("run.py")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"SOURCE": DefaultSource, "NEWEST": Newest} {
		m := regexp.MustCompile(`(?m)^` + name + ` = "([^"]+)"`).FindSubmatch(src)
		if m == nil || string(m[1]) != want {
			t.Errorf("run.py %s = %q, want %q", name, m, want)
		}
	}
}

func TestSummary(t *testing.T) {
	claims, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range claims {
		got[c.Rule] = c.Summary()
	}
	for rule, want := range map[string]string{
		"MLF011": "Confirmed against MLflow 2.9.2 (source) and 3.0.0, 3.17.2 (target): " +
			"`mlflow.models.MetricThreshold(higher_is_better=...)` raises TypeError; " +
			"`mlflow.models.MetricThreshold.higher_is_better` raises AttributeError.",
		"MLF000": "Not confirmable: The rule reports mlflowlint's own suppression comments, which no MLflow release reads.",
	} {
		if got[rule] != want {
			t.Errorf("%s:\n got %q\nwant %q", rule, got[rule], want)
		}
	}
	if s := got["MLF306"]; !strings.HasPrefix(s, "Confirmed by the data samples") {
		t.Errorf("MLF306: %q", s)
	}
}

func TestVersionOrder(t *testing.T) {
	if got := versions([]string{"3.17.2", "2.18.0", "3.2.0", "2.9.2", "3.17.2"}); got != "2.9.2, 2.18.0, 3.2.0, 3.17.2" {
		t.Errorf("versions: %q", got)
	}
}
