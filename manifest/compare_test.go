package manifest

import "testing"

func TestCompareVersions(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"3.18.0", "3", 1},
		{"3.0", "3.0.0", 0},
		{"2.9.2", "2.10", -1},
		{"3.0.0rc1", "3.0.0", -1},
		{"3.0.0.dev0", "3.0.0rc1", -1},
		{"3.0.0.post1", "3.0.0", 1},
		{"1!0.1", "3.0", 1},
	} {
		got, err := CompareVersions(c.a, c.b)
		if err != nil || got != c.want {
			t.Errorf("CompareVersions(%q, %q) = %d, %v; want %d", c.a, c.b, got, err, c.want)
		}
	}
	if _, err := CompareVersions("3.x", "3"); err == nil {
		t.Error("CompareVersions accepted 3.x")
	}
	if r, err := Release("3.4rc1"); err != nil || len(r) != 2 || r[0] != 3 || r[1] != 4 {
		t.Errorf("Release(3.4rc1) = %v, %v", r, err)
	}
}
