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

// The hand table gives way to the API data: it holds no producer whose
// kind the data's types already give in 2.9.2.
func TestHandKindsAreNotInTheData(t *testing.T) {
	db := apidb.Load()
	rel, _ := db.Index("2.9.2")
	classOf := map[string]string{}
	for c, k := range classKinds {
		if !strings.HasPrefix(c, "[") {
			classOf[k] = c
		}
	}
	typeOf := func(r apidb.Resolved) string {
		if r.Status != apidb.Found {
			return ""
		}
		if r.Entry.Kind == apidb.Class {
			return classKinds[r.Node.Path()]
		}
		ret := r.Entry.Returns()
		list := strings.HasPrefix(ret, "[")
		c := db.Resolve(strings.TrimPrefix(ret, "["), rel)
		if ret == "" || c.Status != apidb.Found {
			return ""
		}
		if list {
			return classKinds["["+c.Node.Path()]
		}
		return classKinds[c.Node.Path()]
	}
	for qn, kind := range mlflowKinds.Funcs {
		if typeOf(db.Resolve(qn, rel)) == kind {
			t.Errorf("%s -> %s: the API data says so; drop it from the hand table", qn, kind)
		}
	}
	for mk, kind := range mlflowKinds.Methods {
		recv, name, _ := strings.Cut(mk, ".")
		if typeOf(db.Member(classOf[recv], name, rel)) == kind {
			t.Errorf("%s -> %s: the API data says so; drop it from the hand table", mk, kind)
		}
	}
	for mk, kind := range mlflowKinds.Attrs {
		recv, name, _ := strings.Cut(mk, ".")
		if typeOf(db.Member(classOf[recv], name, rel)) == kind {
			t.Errorf("%s -> %s: the API data says so; drop it from the hand table", mk, kind)
		}
	}
}
