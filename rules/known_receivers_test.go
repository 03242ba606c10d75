package rules

import (
	"strings"
	"testing"

	"github.com/mlflowlint/mlflowlint/apidb"
)

// Every class the kinds map names is a class of the API data in 2.9.2 and
// in the newest release, under that very path.
func TestClassKindsAreDataClasses(t *testing.T) {
	db := apidb.Load()
	old, _ := db.Index("2.9.2")
	for path := range classKinds {
		p := strings.TrimPrefix(path, "[")
		for _, rel := range []int{old, db.Last()} {
			n := db.Node(p)
			if n == nil || n.At(rel) == nil || n.At(rel).Kind != apidb.Class {
				t.Errorf("%s is not a class of MLflow %s in the API data", p, db.Version(rel))
			}
		}
	}
}
