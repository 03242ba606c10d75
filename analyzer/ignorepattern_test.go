package analyzer

import (
	"path"
	"testing"
)

func TestCompileIgnorePattern(t *testing.T) {
	tests := []struct {
		pat   string
		parts []string
		dir   bool
		want  bool
	}{
		{"a/b", []string{"a", "b"}, false, true},
		{"a/b", []string{"x", "a", "b"}, false, false}, // a middle slash anchors
		{"b", []string{"x", "a", "b"}, false, true},
		{"**/b", []string{"b"}, false, true},
		{"a/**", []string{"a"}, true, false},
		{"a/**", []string{"a", "b", "c"}, false, true},
		{"a/**/b", []string{"a", "b"}, false, true},
		{"a/**/b", []string{"a", "x", "y", "b"}, false, true},
		{"a/**/**/b", []string{"a", "x", "b"}, false, true},
		{"*.py", []string{"x", "y.py"}, false, true},
		{"*.py", []string{"x.py", "y"}, false, false},
		{"x?.py", []string{"x1.py"}, false, true},
		{"[ab].py", []string{"b.py"}, false, true},
		{`\!bang`, []string{"!bang"}, false, true},
		{"d/", []string{"d"}, false, false},
		{"d/", []string{"d"}, true, true},
		{"a**b", []string{"axxb"}, false, true},
		{"[!a].py", []string{"b.py"}, false, true}, // git's "[!" negates a class
		{"[!a].py", []string{"a.py"}, false, false},
		{"[!a].py", []string{"!.py"}, false, true},  // "!" is not "a"
		{"*.txt  ", []string{"y.txt"}, false, true}, // trailing blanks are dropped
		{`a\ `, []string{"a "}, false, true},        // unless escaped
		{"*.py", []string{".py"}, false, true},      // "*" may be empty
		{"*.py", []string{"py"}, false, false},
		{"*", []string{"x", ".hidden"}, false, true},
		{"*py.py", []string{"py.py"}, false, true},
		{"*.py", []string{"a.pyc"}, false, false},
	}
	for _, tt := range tests {
		p, err := CompileIgnorePattern(tt.pat)
		if err != nil {
			t.Errorf("CompileIgnorePattern(%q): %v", tt.pat, err)
			continue
		}
		if got := p.Match(tt.parts, tt.dir); got != tt.want {
			t.Errorf("%q matching %v (dir %v) = %v, want %v", tt.pat, tt.parts, tt.dir, got, tt.want)
		}
	}
	// Suffix parts ("*" and a literal) match as path.Match does.
	names := []string{"", "a", ".py", "x.py", "x.py.bak", "py", "*.py", "a.test", "test", "é.py"}
	for _, pat := range []string{"*", "*.py", "*.test", "*py", "*.py.bak"} {
		p, err := CompileIgnorePattern(pat)
		if err != nil || p.kind[len(p.kind)-1] != segSuffix && pat != "*" {
			t.Fatalf("CompileIgnorePattern(%q) = kinds %v, %v", pat, p.kind, err)
		}
		for _, name := range names {
			want, _ := path.Match(pat, name)
			if got := p.matchFrom(1, []string{name}); got != want {
				t.Errorf("%q matching %q = %v, path.Match says %v", pat, name, got, want)
			}
		}
	}
	for _, bad := range []string{"", "/", "!", "a[", "//"} {
		if _, err := CompileIgnorePattern(bad); err == nil {
			t.Errorf("CompileIgnorePattern(%q) accepted", bad)
		}
	}
}
