package analyzer

import (
	"reflect"
	"testing"
)

func codecSample() []Finding {
	return []Finding{
		{Code: "MLF011", Message: "`higher_is_better` was removed; use `greater_is_better`", Severity: SeverityError,
			Path: "src/é.py", Start: Position{Offset: 40, Line: 3, Col: 9}, End: Position{Offset: 56, Line: 3, Col: 25},
			NoqaLine: 3, Fix: &Fix{Message: "Rename", Edits: []Edit{{Start: Position{40, 3, 9}, End: Position{56, 3, 25}, New: "greater_is_better"}}}},
		{Code: "MLF012", Message: "m", Severity: SeverityWarning, Path: "nb.ipynb", Cell: 2, Suppressed: true,
			Start: Position{Offset: 7, Line: 1, Col: 8}, End: Position{Offset: 9, Line: 2, Col: 1}, NoqaLine: 1,
			Raw: &RawSpan{Start: Position{Line: 27, Col: 12}, End: Position{Line: 27, Col: 14}},
			Fix: &Fix{Message: "u", Unsafe: true}},
	}
}

func TestCacheEntryRoundTrip(t *testing.T) {
	want := codecSample()
	got, err := decodeEntry(encodeEntry(want))
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip: %v\n got %+v\nwant %+v", err, got, want)
	}
	if got, err := decodeEntry(encodeEntry(nil)); err != nil || len(got) != 0 {
		t.Errorf("no findings: %v, %v", got, err)
	}
	b := encodeEntry(want)
	for i := 0; i < len(b); i++ {
		if _, err := decodeEntry(b[:i]); err == nil {
			t.Errorf("a %d-byte prefix of a %d-byte entry decoded", i, len(b))
		}
	}
	if _, err := decodeEntry(append(b, 0)); err == nil {
		t.Error("trailing bytes decoded")
	}
}

// FuzzCacheEntry: no input makes the decoder panic, and what it accepts
// encodes back to something that decodes the same.
func FuzzCacheEntry(f *testing.F) {
	f.Add(encodeEntry(codecSample()))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		fs, err := decodeEntry(b)
		if err != nil {
			return
		}
		again, err := decodeEntry(encodeEntry(fs))
		if err != nil || !reflect.DeepEqual(again, fs) {
			t.Fatalf("re-encoded entry differs: %v\n%+v\n%+v", err, again, fs)
		}
	})
}
