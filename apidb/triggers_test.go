package apidb

import (
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"
)

var updateDerived = flag.Bool("update-derived", false, "rewrite the derived files (mlflow.triggers) from the embedded data")

// TestDerivedFilesFresh checks that mlflow.triggers is what ChangedNames
// computes for the default migration from the embedded data (rewrite it
// with -update-derived, as `make apidb` does).
func TestDerivedFilesFresh(t *testing.T) {
	src, tgt := DefaultMigration()
	want := TriggersText(src, tgt, Load().ChangedNames(src, tgt))
	if *updateDerived {
		if err := os.WriteFile("mlflow.triggers", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile("mlflow.triggers")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("mlflow.triggers is stale: run `go test ./apidb -run TestDerivedFilesFresh -update-derived` (make apidb does)")
	}
	if string(got) != embeddedTriggers {
		t.Fatalf("the embedded mlflow.triggers differs from the file")
	}
}

func TestTriggersFromFileOrComputed(t *testing.T) {
	src, tgt := DefaultMigration()
	want := Load().ChangedNames(src, tgt)
	if len(want) == 0 {
		t.Fatal("no triggers for the default migration")
	}
	ts, ok := parseTriggers(TriggersText(src, tgt, want), src, tgt)
	if !ok || !reflect.DeepEqual(ts, want) {
		t.Fatalf("parseTriggers(TriggersText(x)) = %d triggers, %v; want %d", len(ts), ok, len(want))
	}
	if got := Triggers(src, tgt); !reflect.DeepEqual(got, want) {
		t.Errorf("Triggers(default) differs from ChangedNames: %d vs %d triggers", len(got), len(want))
	}
	// Another migration is not in the file: computed.
	other := []int{tgt - 1}
	if got, want := Triggers(other, tgt), Load().ChangedNames(other, tgt); !reflect.DeepEqual(got, want) {
		t.Errorf("Triggers(%v, %d) differs from ChangedNames: %d vs %d triggers", other, tgt, len(got), len(want))
	}
	// A file for other data, or for another migration, is not used.
	text := TriggersText(src, tgt, want)
	stale := strings.Replace(text, "sha256:", "sha256:0", 1)
	if _, ok := parseTriggers(stale, src, tgt); ok {
		t.Error("a file derived from other data was accepted")
	}
	if _, ok := parseTriggers(text, src[1:], tgt); ok {
		t.Error("a file for another migration was accepted")
	}
	if _, ok := parseTriggers(text+"\tcompanion\n", src, tgt); ok {
		t.Error("a line without a name was accepted")
	}
}

// BenchmarkTriggers compares what a run pays for the default migration's
// trigger words: read from mlflow.triggers, or computed from the data
// (gunzip, parse, ChangedNames) as before the file existed.
func BenchmarkTriggers(b *testing.B) {
	src, tgt := DefaultMigration()
	b.Run("file", func(b *testing.B) {
		for b.Loop() {
			if _, ok := parseTriggers(embeddedTriggers, src, tgt); !ok {
				b.Fatal("mlflow.triggers is stale")
			}
		}
	})
	b.Run("computed", func(b *testing.B) {
		for b.Loop() {
			text, err := gunzip(embedded)
			if err != nil {
				b.Fatal(err)
			}
			db, err := Parse(text)
			if err != nil {
				b.Fatal(err)
			}
			db.ChangedNames(src, tgt)
		}
	})
}
