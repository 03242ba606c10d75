package apidb

import (
	"crypto/sha256"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Derived data: what a run computes from the embedded data the same way
// every time is computed once, by `make apidb` (or the -update-derived
// flag of this package's tests), and embedded beside it. Each derived file
// names the sha256 of the data it was computed from in its first line; a
// file that does not match the embedded data is ignored and its content
// computed at run time, so a stale file costs time, never a wrong answer,
// and TestDerivedFilesFresh fails until it is rewritten.
//
// mlflow.triggers holds ChangedNames for the default migration (every
// 2.x release to the newest): computing it parses the whole data and
// walks every path, which on the critical path of each run cost more than
// the data's own parse.
//
//go:embed mlflow.triggers
var embeddedTriggers string

// derivedHeader is the first line of a file of derived data of this kind
// computed from data, the embedded file named from.
func derivedHeader(kind, from string, data []byte) string {
	sum := sha256.Sum256(data)
	return fmt.Sprintf("# %s derived from %s sha256:%x by `make apidb`; do not edit", kind, from, sum)
}

func triggersHeader() string { return derivedHeader("triggers", "mlflow.api.gz", embedded) }

// TriggersText renders triggers for a migration in the format of
// mlflow.triggers: the header, a line naming the migration, then one line
// per trigger: its name and its alternatives separated by tabs, the words
// of an alternative joined by "+".
func TriggersText(src []int, tgt int, ts []Trigger) string {
	var b strings.Builder
	b.WriteString(triggersHeader())
	fmt.Fprintf(&b, "\nmigration\t%s\t%d\n", joinInts(src), tgt)
	for _, t := range ts {
		b.WriteString(t.Name)
		for _, alt := range t.With {
			b.WriteByte('\t')
			b.WriteString(strings.Join(alt, "+"))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ",")
}

// parseTriggers reads TriggersText's output; ok is false when text was not
// derived from the embedded data or is for another migration.
func parseTriggers(text string, src []int, tgt int) (ts []Trigger, ok bool) {
	header, rest, _ := strings.Cut(text, "\n")
	if header != triggersHeader() {
		return nil, false
	}
	mig, rest, _ := strings.Cut(rest, "\n")
	if mig != fmt.Sprintf("migration\t%s\t%d", joinInts(src), tgt) {
		return nil, false
	}
	for line := range strings.Lines(rest) {
		f := strings.Split(strings.TrimSuffix(line, "\n"), "\t")
		if f[0] == "" {
			return nil, false
		}
		t := Trigger{Name: f[0]}
		for _, alt := range f[1:] {
			if alt == "" {
				return nil, false
			}
			t.With = append(t.With, strings.Split(alt, "+"))
		}
		ts = append(ts, t)
	}
	return ts, true
}

// DefaultMigration is the migration mlflow.triggers is computed for: from
// every 2.x release to the newest release.
func DefaultMigration() (src []int, tgt int) {
	src, _ = Select("2")
	return src, len(Versions()) - 1
}

// Triggers returns ChangedNames(src, tgt) of the embedded data: for the
// default migration from mlflow.triggers without parsing the data when
// that file is fresh, else computed (and memoized per migration).
func Triggers(src []int, tgt int) []Trigger {
	key := fmt.Sprint(src, tgt)
	triggersMu.Lock()
	defer triggersMu.Unlock()
	if ts, ok := triggersMemo[key]; ok {
		return ts
	}
	ts, ok := parseTriggers(embeddedTriggers, src, tgt)
	if !ok {
		ts = Load().ChangedNames(slices.Clone(src), tgt)
	}
	triggersMemo[key] = ts
	return ts
}

var (
	triggersMu   sync.Mutex
	triggersMemo = map[string][]Trigger{}
)
