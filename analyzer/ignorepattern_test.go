package analyzer

import "testing"

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
	for _, bad := range []string{"", "/", "!", "a[", "//"} {
		if _, err := CompileIgnorePattern(bad); err == nil {
			t.Errorf("CompileIgnorePattern(%q) accepted", bad)
		}
	}
}
