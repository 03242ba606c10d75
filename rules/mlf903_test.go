package rules

import (
	"strings"
	"testing"
)

// TestStageURIMayStart: a "models:/" counts for MLF903's statements where
// it may start a stage URI: right after the opening quote, one name and
// a stage up to the closing quote (of the same kind, a triple one
// included); an escape, a replacement field or a line break may stand
// for anything.
func TestStageURIMayStart(t *testing.T) {
	for src, want := range map[string]bool{
		`x = "models:/m/Production"`:             true,
		`"models:/m/production"`:                 true,
		`'models:/m/Archived'`:                   true,
		`"""models:/m/None"""`:                   true,
		`"models:/m/1"`:                          false,
		`"models:/m@champion"`:                   false,
		`"models:/m/Production@x"`:               false,
		`"see models:/m/Production"`:             false,
		`"models:/a/b/Production"`:               false,
		`"models:/"`:                             false,
		`uri.startswith("models:/")`:             false,
		`f"models:/{name}/Production"`:           true,
		`"models:/m/Pro\x64uction"`:              true,
		`"models:/it's/Production"`:              true,
		`'''models:/it's/Production'''`:          true,
		`"""models:/m/` + "\n" + `Production"""`: true,
		`"models:/m/Staging`:                     true,
		`'models:/m/Staging" + x`:                true,
	} {
		at := strings.Index(src, "models:/")
		if got := stageURIMayStart([]byte(src), at, at+len("models:/")); got != want {
			t.Errorf("stageURIMayStart(%s) = %v, want %v", src, got, want)
		}
	}
}
