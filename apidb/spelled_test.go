package apidb

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestChangedNamesFollowPaths: a member of a module triggers with the
// words of each path to it, re-exported modules above it included, and a
// module that too many modules import keeps only what their paths share.
func TestChangedNamesFollowPaths(t *testing.T) {
	var b strings.Builder
	b.WriteString("versions\t1.0.0\t2.0.0\n")
	b.WriteString("mlflow\tm\t*\n")
	b.WriteString(" a\tm\t*\n")
	b.WriteString("  b\tm\t*\n")
	b.WriteString("   gone\tf\t0\tsig=\n")
	// mlflow.c is mlflow.a.b under another name.
	b.WriteString(" c\tx\t*\tt=mlflow.a.b\n")
	// Forty modules import mlflow.d.e, one of them as `renamed`.
	b.WriteString(" d\tm\t*\n")
	b.WriteString("  e\tm\t*\n")
	b.WriteString("   old\tf\t0\tsig=\n")
	b.WriteString(" users\tm\t*\n")
	for i := range 40 {
		fmt.Fprintf(&b, "  u%02d\tm\t*\n", i)
		if i == 0 {
			b.WriteString("   renamed\tx\t*\tt=mlflow.d.e\n")
		} else {
			b.WriteString("   e\tx\t*\tt=mlflow.d.\n")
		}
	}
	db, err := Parse(b.String())
	if err != nil {
		t.Fatal(err)
	}
	got := db.ChangedNames([]int{0}, 1)
	// gone: spelled as mlflow.a.b.gone or mlflow.c.gone. old: the 39
	// `e` imports give way to the one set they share ({e}, which the
	// canonical path {d, e} holds too), and the rename keeps its own.
	want := []Trigger{
		{"gone", [][]string{{"a", "b"}, {"c"}}},
		{"old", [][]string{{"e"}, {"renamed", "u00", "users"}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ChangedNames = %v\nwant %v", got, want)
	}
}
