package analyzer

import (
	"os"
	"path/filepath"
	"testing"
)

func edit(s, e int, text string) Edit {
	return Edit{Start: Position{Offset: s}, End: Position{Offset: e}, New: text}
}

func finding(edits ...Edit) Finding {
	return Finding{Code: "MLF011", Fix: &Fix{Message: "fix", Edits: edits}}
}

func TestMergeFixes(t *testing.T) {
	fs := []Finding{
		finding(edit(0, 3, "abc")),
		finding(edit(0, 3, "abc"), edit(10, 12, "x")), // shares an identical edit: coalesces
		finding(edit(2, 5, "zz")),                     // overlaps the first: waits
		finding(edit(20, 20, "ins")),
		finding(edit(20, 20, "other")), // second insertion at one point: waits
		{Code: "MLF013"},               // no fix
		{Code: "MLF016", Fix: &Fix{Unsafe: true, Edits: []Edit{edit(30, 31, "u")}}},
		{Code: "MLF012", Suppressed: true, Fix: &Fix{Edits: []Edit{edit(40, 41, "s")}}},
	}
	merged, n := MergeFixes(fs, false)
	if n != 3 {
		t.Errorf("took %d fixes, want 3", n)
	}
	want := []Edit{edit(0, 3, "abc"), edit(10, 12, "x"), edit(20, 20, "ins")}
	if len(merged) != len(want) {
		t.Fatalf("merged %v, want %v", merged, want)
	}
	for i := range want {
		if merged[i] != want[i] {
			t.Errorf("edit %d = %v, want %v", i, merged[i], want[i])
		}
	}
	if _, n := MergeFixes(fs, true); n != 4 {
		t.Errorf("with unsafe fixes took %d, want 4", n)
	}
}

func TestApplyEdits(t *testing.T) {
	got, err := ApplyEdits([]byte("hello world"), []Edit{edit(0, 5, "HELLO"), edit(6, 6, "big "), edit(11, 11, "!")})
	if err != nil || string(got) != "HELLO big world!" {
		t.Errorf("got %q, %v", got, err)
	}
	for _, bad := range [][]Edit{
		{edit(3, 2, "")},
		{edit(0, 20, "")},
		{edit(4, 6, ""), edit(5, 7, "")},
	} {
		if _, err := ApplyEdits([]byte("hello world"), bad); err == nil {
			t.Errorf("edits %v accepted", bad)
		}
	}
}

func TestWriteAtomicKeepsModeAndRefusesChangedFiles(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.py")
	if err := os.WriteFile(p, []byte("old\n"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := writeAtomic(p, []byte("old\n"), []byte("new\n"), 0o750); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(p)
	b, _ := os.ReadFile(p)
	if string(b) != "new\n" || st.Mode().Perm() != 0o750 {
		t.Errorf("got %q mode %v", b, st.Mode())
	}
	if err := writeAtomic(p, []byte("old\n"), []byte("newer\n"), 0o750); err != errChanged {
		t.Errorf("a file changed since analysis was overwritten: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	// Writing through a symbolic link rewrites the target and keeps the link.
	link := filepath.Join(dir, "link.py")
	if err := os.Symlink(p, link); err != nil {
		t.Fatal(err)
	}
	if err := writeAtomic(link, []byte("new\n"), []byte("linked\n"), 0o750); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced by a file")
	}
	if b, _ := os.ReadFile(p); string(b) != "linked\n" {
		t.Errorf("target holds %q", b)
	}
}
