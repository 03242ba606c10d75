package manifest

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the .golden files")

// fileCase is the expected reading of one testdata file: each requirement
// as "name[extras] spec @line", each Python pin as "python spec @line",
// each issue as "target code @line -> fix".
type fileCase struct {
	path     string
	kind     Kind
	reqs     []string
	python   []string
	includes []string
	issues   []string
}

var fileCases = []fileCase{
	{
		path: "testdata/requirements/requirements.txt",
		kind: KindRequirements,
		reqs: []string{
			`mlflow[extras] ==2.9.2 @6 ; python_version >= "3.9"`,
			"mlflow-export-import ==1.2 @7",
			"mlflowx ==2.9 @8",
			"pydantic <2 @9",
			"scikit-learn >=1.3,<1.5 @10",
			`requests  @12 ; sys_platform == "linux"`,
			"numpy ==1.26.4 @14",
		},
		includes: []string{"base.txt", "constraints.txt"},
		issues: []string{
			"3.4 MLF040 @6 -> ==3.4.*",
			"3.8 MLF040 @6 -> ==3.8.*",
			"3.8 MLF042 @9",
		},
	},
	{
		path:   "testdata/requirements/base.txt",
		kind:   KindRequirements,
		reqs:   []string{"mlflow-skinny ~=2.9 @1", "pandas <3 @2"},
		issues: []string{"3.4 MLF040 @1 -> ~=3.4", "3.8 MLF040 @1 -> ~=3.8"},
	},
	{
		path: "testdata/requirements/constraints.txt",
		kind: KindRequirements,
		reqs: []string{"mlflow >=2.9 @1"},
	},
	{
		path: "testdata/pyproject.toml",
		kind: KindPyproject,
		reqs: []string{
			"mlflow <3 @9",
			"pandas >=2.0 @10",
			"pydantic >=1.10,<2 @11",
			"mlflow-skinny[databricks] ~=2.9.0 @15",
			"uvicorn  @15",
			"mlflow ^2.9 @19",
			"mlflow-skinny[databricks] 2.9.2 @20",
			"lightgbm  @21",
			"pytest ^7.4 @24",
			"ruff >=0.1 @27",
			"mlflow ==2.* @27",
		},
		python: []string{"python >=3.8 @7", "python ~3.8 @18"},
		issues: []string{
			"3.4 MLF040 @9 -> >=3.4,<4",
			"3.4 MLF040 @15 -> ~=3.4.0",
			"3.4 MLF041 @18",
			"3.4 MLF040 @19 -> ^3.4",
			"3.4 MLF040 @20 -> 3.4.*",
			"3.4 MLF040 @27 -> ==3.*",
			"3.8 MLF040 @9 -> >=3.8,<4",
			"3.8 MLF042 @11",
			"3.8 MLF040 @15 -> ~=3.8.0",
			"3.8 MLF041 @18",
			"3.8 MLF040 @19 -> ^3.8",
			"3.8 MLF040 @20 -> 3.8.*",
			"3.8 MLF040 @27 -> ==3.*",
		},
	},
	{
		path: "testdata/setup.py",
		kind: KindSetupPy,
		reqs: []string{
			"mlflow ==2.9.2 @5",
			"pydantic <2 @6",
			"pandas  @7",
			"torch >=2.1 @17",
			"mlflow-skinny <3.0 @17",
		},
		python: []string{"python ==3.8.* @14"},
		issues: []string{
			"3.4 MLF040 @5 -> ==3.4.*",
			"3.4 MLF041 @14",
			"3.4 MLF040 @17 -> >=3.4,<4",
			"3.8 MLF040 @5 -> ==3.8.*",
			"3.8 MLF042 @6",
			"3.8 MLF041 @14",
			"3.8 MLF040 @17 -> >=3.8,<4",
		},
	},
	{
		path: "testdata/setup.cfg",
		kind: KindSetupCfg,
		reqs: []string{
			"mlflow ~=2.9.1 @7",
			"pydantic <2 @9",
			"numpy  @10",
			`mlflow-skinny ==2.9.2 @14 ; python_version < "3.12"`,
		},
		python: []string{"python >=3.8, <3.10 @5"},
		issues: []string{
			"3.4 MLF041 @5",
			"3.4 MLF040 @7 -> ~=3.4.0",
			"3.4 MLF040 @14 -> ==3.4.*",
			"3.8 MLF041 @5",
			"3.8 MLF040 @7 -> ~=3.8.0",
			"3.8 MLF042 @9",
			"3.8 MLF040 @14 -> ==3.8.*",
		},
	},
	{
		path: "testdata/environment.yml",
		kind: KindConda,
		reqs: []string{
			"mlflow =2.9.2 @6",
			"mlflow-skinny >=2.9,<3 @7",
			"numpy 1.26.* @8",
			"pip  @9",
			"mlflow[gateway] <3 @11",
			"pydantic <2 @13",
			"scipy  @14",
		},
		python:   []string{"python =3.8 @5"},
		includes: []string{"requirements-extra.txt"},
		issues: []string{
			"3.4 MLF041 @5",
			"3.4 MLF040 @6 -> =3.4",
			"3.4 MLF040 @7 -> >=3.4,<4",
			"3.4 MLF040 @11 -> >=3.4,<4",
			"3.8 MLF041 @5",
			"3.8 MLF040 @6 -> =3.8",
			"3.8 MLF040 @7 -> >=3.8,<4",
			"3.8 MLF040 @11 -> >=3.8,<4",
			"3.8 MLF042 @13",
		},
	},
	{
		path: "testdata/Pipfile",
		kind: KindPipfile,
		reqs: []string{
			"mlflow ==2.9.2 @7",
			"pandas * @8",
			"mlflow-skinny[databricks] <3 @9",
			"pytest * @12",
		},
		python: []string{"python 3.8 @15"},
		issues: []string{
			"3.4 MLF040 @7 -> ==3.4.*",
			"3.4 MLF040 @9 -> >=3.4,<4",
			"3.4 MLF041 @15",
			"3.8 MLF040 @7 -> ==3.8.*",
			"3.8 MLF040 @9 -> >=3.8,<4",
			"3.8 MLF041 @15",
		},
	},
	{
		path: "testdata/Dockerfile",
		kind: KindDockerfile,
		reqs: []string{
			"mlflow ==2.9.2 @6",
			"pydantic <2 @7",
			"boto3  @8",
			"mlflow-skinny ==$MLFLOW_VERSION @10",
			"mlflow >=2.9 @11",
			"mlflow-export-import ==1.2 @11",
		},
		python:   []string{"python 3.9 @1"},
		includes: []string{"/app/requirements.txt"},
		issues: []string{
			"3.4 MLF041 @1",
			"3.4 MLF040 @6 -> ==3.4.*",
			"3.8 MLF041 @1",
			"3.8 MLF040 @6 -> ==3.8.*",
			"3.8 MLF042 @7",
		},
	},
	{
		path: "testdata/setup_env.sh",
		kind: KindShell,
		reqs: []string{"pip  @5", "mlflow ~=2.9 @6", "pydantic ==1.10.13 @6"},
		issues: []string{
			"3.4 MLF040 @6 -> ~=3.4",
			"3.8 MLF040 @6 -> ~=3.8",
			"3.8 MLF042 @6",
		},
	},
}

func describeReq(r Requirement) string {
	name := r.Name
	if len(r.Extras) > 0 {
		name += "[" + strings.Join(r.Extras, ",") + "]"
	}
	s := fmt.Sprintf("%s %s @%d", name, r.Specifier, r.Line)
	if r.Marker != "" {
		s += " ; " + r.Marker
	}
	return s
}

func describeIssue(target string, is Issue) string {
	s := fmt.Sprintf("%s %s @%d", target, is.Code, is.Line)
	if is.Fix != nil {
		s += " -> " + is.Fix.New
	}
	return s
}

func TestParseFiles(t *testing.T) {
	for _, c := range fileCases {
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			src, err := os.ReadFile(c.path)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Parse(c.path, src)
			if err != nil {
				t.Fatal(err)
			}
			if m.Kind != c.kind {
				t.Errorf("kind = %v, want %v", m.Kind, c.kind)
			}
			var reqs, python, issues []string
			for _, r := range m.Requirements {
				reqs = append(reqs, describeReq(r))
				checkRequirementOffsets(t, src, r)
				if r.Source != c.path {
					t.Errorf("%s: Source = %q", r.Name, r.Source)
				}
			}
			for _, p := range m.Python {
				python = append(python, fmt.Sprintf("python %s @%d", p.Spec, p.Line))
				if got := string(src[p.Start:p.End]); got != p.Spec {
					t.Errorf("python pin text %q, Spec %q", got, p.Spec)
				}
				if l := 1 + bytes.Count(src[:p.Start], []byte("\n")); l != p.Line {
					t.Errorf("python pin line %d, offset says %d", p.Line, l)
				}
			}
			for _, target := range []string{"3.4", "3.8"} {
				for _, is := range checkT(m, target) {
					issues = append(issues, describeIssue(target, is))
					checkIssue(t, src, m, is)
				}
			}
			compareLists(t, "requirements", reqs, c.reqs)
			compareLists(t, "python", python, c.python)
			compareLists(t, "includes", m.Includes, c.includes)
			compareLists(t, "issues", issues, c.issues)
		})
	}
}

func compareLists(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\ngot  %q\nwant %q", what, got, want)
	}
}

// checkRequirementOffsets asserts that the offsets of r point at its text.
func checkRequirementOffsets(t *testing.T, src []byte, r Requirement) {
	t.Helper()
	if !(0 <= r.Start && r.Start <= r.SpecStart && r.SpecStart <= r.SpecEnd && r.SpecEnd <= r.End && r.End <= len(src)) {
		t.Fatalf("%s: offsets out of order: %d %d %d %d", r.Name, r.Start, r.SpecStart, r.SpecEnd, r.End)
	}
	// A specifier continued over a backslash-newline is joined in Specifier.
	spec := strings.ReplaceAll(string(src[r.SpecStart:r.SpecEnd]), "\\\n", "")
	if spec != r.Specifier {
		t.Errorf("%s: src[SpecStart:SpecEnd] = %q, Specifier %q", r.Name, spec, r.Specifier)
	}
	if l := 1 + bytes.Count(src[:r.Start], []byte("\n")); l != r.Line {
		t.Errorf("%s: Line %d, offset says %d", r.Name, r.Line, l)
	}
	whole := string(src[r.Start:r.End])
	if !strings.HasPrefix(NormalizeName(whole), r.Name) && !strings.Contains(NormalizeName(whole), r.Name) {
		t.Errorf("%s: requirement text %q does not hold its name", r.Name, whole)
	}
}

func checkIssue(t *testing.T, src []byte, m *Manifest, is Issue) {
	t.Helper()
	if is.Start < 0 || is.Start > is.End || is.End > len(src) {
		t.Fatalf("%s: span %d..%d out of bounds", is.Code, is.Start, is.End)
	}
	if is.Severity != "error" || is.Message == "" {
		t.Errorf("%s: severity %q message %q", is.Code, is.Severity, is.Message)
	}
	if is.Fix != nil && (is.Fix.Start < is.Start || is.Fix.End > is.End || is.Fix.Title == "") {
		t.Errorf("%s: fix %+v outside the issue %d..%d", is.Code, is.Fix, is.Start, is.End)
	}
	if is.Code != CodePin && is.Fix != nil {
		t.Errorf("%s offers a fix", is.Code)
	}
}

// applyFixes applies the fixes of issues to src, last first.
func applyFixes(t *testing.T, src []byte, issues []Issue) []byte {
	t.Helper()
	var reps []Replacement
	for _, is := range issues {
		if is.Fix != nil {
			reps = append(reps, *is.Fix)
		}
	}
	slices.SortFunc(reps, func(a, b Replacement) int { return b.Start - a.Start })
	out := slices.Clone(src)
	for i, r := range reps {
		if i > 0 && r.End > reps[i-1].Start {
			t.Fatalf("overlapping fixes %+v and %+v", r, reps[i-1])
		}
		out = slices.Concat(out[:r.Start], []byte(r.New), out[r.End:])
	}
	return out
}

// TestFixGolden applies every MLF040 fix for target 3.4 and compares the
// result with the golden file; the fixed file must then pass MLF040 and
// its requirements must keep their number and lines.
func TestFixGolden(t *testing.T) {
	for _, c := range fileCases {
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			src, err := os.ReadFile(c.path)
			if err != nil {
				t.Fatal(err)
			}
			m := ParseKind(c.path, c.kind, src)
			fixed := applyFixes(t, src, checkT(m, "3.4"))
			// "fixed-" first, so that no golden file looks like a manifest by name.
			golden := filepath.Join(filepath.Dir(c.path), "fixed-"+filepath.Base(c.path)+".golden")
			if *update {
				if err := os.WriteFile(golden, fixed, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(fixed, want) {
				t.Errorf("fixed file differs from %s:\n%s", golden, fixed)
			}
			again := ParseKind(c.path, c.kind, fixed)
			for _, is := range checkT(again, "3.4") {
				if is.Code == CodePin {
					t.Errorf("after the fix: %s", is.Message)
				}
			}
			if len(again.Requirements) != len(m.Requirements) {
				t.Fatalf("fix changed the requirement count: %d -> %d", len(m.Requirements), len(again.Requirements))
			}
			for i, r := range again.Requirements {
				if r.Line != m.Requirements[i].Line || r.Name != m.Requirements[i].Name {
					t.Errorf("fix moved %s from line %d to %d", r.Name, m.Requirements[i].Line, r.Line)
				}
			}
			// Everything but the specifiers stays: same line count, same
			// comment lines.
			if bytes.Count(fixed, []byte("\n")) != bytes.Count(src, []byte("\n")) {
				t.Errorf("fix changed the number of lines")
			}
			for _, line := range strings.Split(string(src), "\n") {
				if strings.HasPrefix(strings.TrimSpace(line), "#") && !bytes.Contains(fixed, []byte(line)) {
					t.Errorf("comment line lost: %q", line)
				}
			}
		})
	}
}

func TestLoadFollowsIncludes(t *testing.T) {
	read := func(p string) ([]byte, error) { return os.ReadFile(filepath.FromSlash(p)) }
	ms, err := Load("testdata/requirements/requirements.txt", read)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		for _, r := range m.Requirements {
			if mlflowPackages[r.Name] {
				got = append(got, fmt.Sprintf("%s %s %s", r.Source, r.Name, r.Specifier))
			}
		}
	}
	want := []string{
		"testdata/requirements/requirements.txt mlflow ==2.9.2",
		"testdata/requirements/base.txt mlflow-skinny ~=2.9",
		"testdata/requirements/constraints.txt mlflow >=2.9",
	}
	compareLists(t, "loaded", got, want)

	// A cycle and a missing file: each file is read once, the error names
	// the missing one, the others are still returned.
	files := map[string]string{
		"a/requirements.txt": "-r ../b/requirements.txt\nmlflow==2.9.2\n",
		"b/requirements.txt": "-r ../a/requirements.txt\n-c missing.txt\nmlflow-skinny<3\n",
	}
	reads := map[string]int{}
	ms, err = Load("a/requirements.txt", func(p string) ([]byte, error) {
		reads[p]++
		if s, ok := files[p]; ok {
			return []byte(s), nil
		}
		return nil, fmt.Errorf("open %s: no such file", p)
	})
	if err == nil || !strings.Contains(err.Error(), "b/missing.txt") {
		t.Errorf("err = %v, want one naming b/missing.txt", err)
	}
	if len(ms) != 2 || reads["a/requirements.txt"] != 1 || reads["b/requirements.txt"] != 1 {
		t.Errorf("manifests %d, reads %v", len(ms), reads)
	}
	if _, err := Load("README.md", read); err == nil {
		t.Error("Load of a non-manifest did not fail")
	}
}

func readFile(p string) ([]byte, error) { return os.ReadFile(filepath.FromSlash(p)) }
