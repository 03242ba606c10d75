package manifest

import "testing"

func TestAdmits(t *testing.T) {
	cases := []struct {
		spec, version string
		want          bool
	}{
		{"", "3.4.0", true},
		{"==2.9.2", "2.9.2", true},
		{"==2.9.2", "3.4.0", false},
		{"==2.9", "2.9.0", true}, // zero padding
		{"==2.9.0", "2.9", true},
		{"==2.9.2", "2.9.2+cpu", true}, // local label ignored
		{"==2.9.2+cpu", "2.9.2", false},
		{"==2.9.2+cpu", "2.9.2+CPU", true},
		{"!=2.9.2", "2.9.2", false},
		{"!=2.9.2", "3.4.0", true},
		{"==2.*", "2.21.3", true},
		{"==2.*", "3.4.0", false},
		{"==2.9.*", "2.9", true},
		{"==2.9.*", "2.90.0", false},
		{"==3.4.*", "3.4.0rc1", true},
		{"!=2.*", "3.4.0", true},
		{"!=2.*", "2.0", false},
		{"~=2.9", "2.10.1", true},
		{"~=2.9", "3.0", false},
		{"~=2.9", "2.8.9", false},
		{"~=2.9.1", "2.9.5", true},
		{"~=2.9.1", "2.10.0", false},
		{"~=2.9.1", "2.9.0", false},
		{"<3", "3.4.0", false},
		{"<3", "2.21.3", true},
		{"<3", "3.0.0rc1", false}, // no pre-releases of the bound itself
		{"<3.0rc2", "3.0.0rc1", true},
		{"<3", "3.0.0.dev1", false},
		{"<3.0", "2.99", true},
		{"<=3.0", "3.0.0", true},
		{"<=3.0", "3.0.0.post1", false},
		{">3", "3.0.0.post1", false}, // no post-releases of the bound itself
		{">3.post1", "3.0.0.post2", true},
		{">3", "3.0.1", true},
		{">3", "3.0+local", false},
		{">=2.9", "3.4.0", true},
		{">=2.9,<3", "3.4.0", false},
		{"<3,>=2.9", "2.9.2", true},
		{">=2.9, <3, !=2.9.1", "2.9.1", false},
		{"===2.9.2", "2.9.2", true},
		{"===2.9.2", "2.9.2.0", false},
		{"===foobar", "foobar", true},
		{">=1.0a1", "1.0a1", true},
		{">=1.0", "1.0a1", false},
		{">=1.0.dev0", "1.0a1", true},           // dev sorts before the pre-releases
		{"<1.0a1", "1.0.dev5", true},            // 1.0.dev5 < 1.0a1
		{">1.0rc1", "1.0", true},                // final after rc
		{">1.0", "1.0.post1.dev1", false},       // post-release of the bound
		{"<1.0.post1", "1.0.post1.dev1", false}, // a dev release of the bound's release
		{"<1.0.post1", "1.0", true},
		{">=1!0.1", "2.0", false}, // epoch outranks release
		{">=1!0.1", "1!0.2", true},
		{"==1.0", "v1.0", true},
		{"==1.0-rc-1", "1.0rc1", true}, // alternative spellings
		{"==1.0.alpha2", "1.0a2", true},
		{"==1.0c3", "1.0rc3", true},
		{"==1.0-1", "1.0.post1", true},
		{"==1.0.rev2", "1.0.post2", true},
		{"==1.0.dev", "1.0.dev0", true},
		// Found by the differential test against packaging.
		{"<1.0.post1", "1.0.dev1", true},         // only 1.0.post1's own dev releases are excluded
		{"<1.0.post1", "1.0a1", true},            //
		{">1.0.dev1", "1.0.post1", true},         // a dev bound excludes no post-release
		{">1.0a1", "1.0.post1", true},            // 1.0.post1 is not a post-release of 1.0a1
		{">1.0a1", "1.0a1.post1", false},         // but 1.0a1.post1 is
		{">=1.0,", "1.0", true},                  // an empty clause is ignored
		{"==1.0a0", "1.0a-", true},               // a separator without a number
		{"==1234567890.1", "1234567890.1", true}, // ten digits
		{"==1.0.post0", "1.0.POST-0", true},
	}
	for _, c := range cases {
		got, err := Admits(c.spec, c.version)
		if err != nil {
			t.Errorf("Admits(%q, %q): %v", c.spec, c.version, err)
			continue
		}
		if got != c.want {
			t.Errorf("Admits(%q, %q) = %v, want %v", c.spec, c.version, got, c.want)
		}
	}
}

func TestAdmitsErrors(t *testing.T) {
	for _, c := range []struct{ spec, version string }{
		{"2.9.2", "3.4"},      // no operator
		{">=", "3.4"},         // no version
		{">=2.*", "3.4"},      // wildcard with an ordering operator
		{"~=2", "3.4"},        // ~= needs two segments
		{">=2.9+local", "3"},  // local label with >=
		{"==2.9.*.1", "3"},    // junk
		{"==$VERSION", "3.4"}, // a shell variable
		{">=2.9", "three"},
		{">=2.9", ""},
		{">=2.9", "1.0+"},
		{"==2.0rc1.*", "2.0"},
		{"==1.0", "1.0+a..b"},              // empty local segment
		{"==1.0", "1.0+ubuntu-"},           // trailing separator in the local label
		{"===2 x", "2"},                    // === takes one word
		{"==1.0", "1.1234567890123456789"}, // over maxDigits
	} {
		if _, err := Admits(c.spec, c.version); err == nil {
			t.Errorf("Admits(%q, %q): no error", c.spec, c.version)
		}
	}
}

func TestAdmitsIn(t *testing.T) {
	cases := []struct {
		syn           Syntax
		spec, version string
		want          bool
	}{
		{SyntaxPoetry, "^2.9", "2.21.0", true},
		{SyntaxPoetry, "^2.9", "3.4.0", false},
		{SyntaxPoetry, "^0.2.3", "0.2.9", true},
		{SyntaxPoetry, "^0.2.3", "0.3.0", false},
		{SyntaxPoetry, "^0.0.3", "0.0.4", false},
		{SyntaxPoetry, "^0", "0.9", true},
		{SyntaxPoetry, "^0", "1.0", false},
		{SyntaxPoetry, "~2.9", "2.9.7", true},
		{SyntaxPoetry, "~2.9", "2.10.0", false},
		{SyntaxPoetry, "~2", "2.99", true},
		{SyntaxPoetry, "~2", "3.0", false},
		{SyntaxPoetry, "2.9.2", "2.9.2", true},
		{SyntaxPoetry, "2.9.2", "2.9.3", false},
		{SyntaxPoetry, "2.*", "2.1", true},
		{SyntaxPoetry, "*", "3.4.0", true},
		{SyntaxPoetry, ">=2.9 <3", "3.4.0", false},
		{SyntaxPoetry, ">= 2.9, < 4", "3.4.0", true},
		{SyntaxPoetry, "^2.9 || ^3.0", "3.4.0", true},
		{SyntaxPoetry, "=2.9.2", "2.9.2", true},
		{SyntaxConda, "=2.9.2", "2.9.2", true},
		{SyntaxConda, "=2.9", "2.9.4", true}, // = is the release series
		{SyntaxConda, "=2.9", "3.4.0", false},
		{SyntaxConda, "==2.9", "2.9.4", false},
		{SyntaxConda, "2.9.2", "2.9.2", true}, // space form: exact
		{SyntaxConda, "2.9.*", "2.9.1", true},
		{SyntaxConda, "2.9*", "2.9.1", true},
		{SyntaxConda, ">=2.9,<3", "3.4.0", false},
		{SyntaxConda, ">=2.9|>=3.4", "3.4.0", true},
		{SyntaxConda, "=2.9.2=pyhd8ed1ab_0", "2.9.2", true},
		{SyntaxConda, "2.9.2 pyhd8ed1ab_0", "2.9.2", true},
		{SyntaxConda, "=3.8", "3.8.18", true},
		{SyntaxPipfile, "*", "3.4.0", true},
		{SyntaxPipfile, "==2.9.2", "3.4.0", false},
		{SyntaxPipfile, "2.9.2", "2.9.2", true},
		{SyntaxPythonVersion, "3.8", "3.8.10", true},
		{SyntaxPythonVersion, "3.8", "3.9.0", false},
		{SyntaxPythonVersion, "3.8.10", "3.8.11", false},
	}
	for _, c := range cases {
		got, err := AdmitsIn(c.syn, c.spec, c.version)
		if err != nil {
			t.Errorf("AdmitsIn(%d, %q, %q): %v", c.syn, c.spec, c.version, err)
			continue
		}
		if got != c.want {
			t.Errorf("AdmitsIn(%d, %q, %q) = %v, want %v", c.syn, c.spec, c.version, got, c.want)
		}
	}
}
