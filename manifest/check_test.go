package manifest

import (
	"fmt"
	"strings"
	"testing"
)

func TestKindOf(t *testing.T) {
	cases := map[string]Kind{
		"requirements.txt":                    KindRequirements,
		"requirements-dev.txt":                KindRequirements,
		"dev-requirements.txt":                KindRequirements,
		"ci/requirements/base.txt":            KindRequirements,
		"constraints.txt":                     KindRequirements,
		"requirements.in":                     KindRequirements,
		"requirements/serving.in":             KindRequirements,
		"dev-requirements.in":                 KindRequirements,
		"MANIFEST.in":                         KindNone,
		"Makefile.in":                         KindNone,
		"pyproject.toml":                      KindPyproject,
		`pkg\setup.py`:                        KindSetupPy,
		"setup.cfg":                           KindSetupCfg,
		"environment.yml":                     KindConda,
		"environment-gpu.yaml":                KindConda,
		"conda.yaml":                          KindConda,
		"conda-env.yml":                       KindConda,
		"Pipfile":                             KindPipfile,
		"Dockerfile":                          KindDockerfile,
		"docker/serving.Dockerfile":           KindDockerfile,
		"Dockerfile.gpu":                      KindDockerfile,
		"scripts/install.sh":                  KindShell,
		"notes.txt":                           KindNone,
		"Pipfile.lock":                        KindNone,
		"docker-compose.yml":                  KindCompose,
		"deploy/compose.prod.yaml":            KindCompose,
		".github/workflows/ci.yml":            KindWorkflow,
		"repo/.github/workflows/release.yaml": KindWorkflow,
		".github/ci.yml":                      KindNone,
		"train.py":                            KindNone,
		".in":                                 KindNone,
		"MLproject":                           KindNone,
		"fixed-Dockerfile.golden":             KindNone,
		"mlflow/environment/settings.yaml":    KindNone,
	}
	for p, want := range cases {
		if got := KindOf(p); got != want {
			t.Errorf("KindOf(%q) = %v, want %v", p, got, want)
		}
	}
}

// issuesFor parses src as a file named p and returns the issues for target
// as "code line".
func issuesFor(t *testing.T, p, src, target string) []string {
	t.Helper()
	m, err := Parse(p, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, is := range checkT(m, target) {
		out = append(out, fmt.Sprintf("%s %d", is.Code, is.Line))
	}
	return out
}

func TestNegatives(t *testing.T) {
	cases := []struct {
		name, path, src, target string
	}{
		{"range admitting the target", "requirements.txt", "mlflow>=2.9\n", "3.4"},
		{"another package with the prefix", "requirements.txt", "mlflow-export-import==1.2\nmlflowx==2.9\n", "3.4"},
		{"comment", "requirements.txt", "# mlflow==2.9.2 used to be here\nnumpy  # not mlflow==2.9\n", "3.4"},
		{"pydantic before 3.6", "requirements.txt", "mlflow>=3.4\npydantic<2\n", "3.5"},
		{"pydantic without mlflow", "requirements.txt", "pydantic<2\n", "3.8"},
		{"python range", "pyproject.toml", "[project]\nrequires-python = \">=3.8\"\ndependencies = [\"mlflow>=3\"]\n", "3.8"},
		{"python pin without mlflow", "setup.py", "setup(python_requires='==3.8.*', install_requires=['numpy'])\n", "3.4"},
		{"python 3.9 for 3.1", "environment.yml", "dependencies:\n  - python=3.9\n  - mlflow>=3\n", "3.1"},
		{"unversioned mlflow", "Pipfile", "[packages]\nmlflow = \"*\"\n", "3.4"},
		{"url requirement", "requirements.txt", "mlflow @ git+https://github.com/mlflow/mlflow@v2.9.2\n", "3.4"},
		{"shell variable", "install.sh", "pip install \"mlflow==${MLFLOW_VERSION}\"\n", "3.4"},
		{"echoed command", "install.sh", "echo \"pip install mlflow==2.9.2\"\n", "3.4"},
		{"echoed words", "install.sh", "echo pip install mlflow==2.9.2\n", "3.4"},
		{"here-document", "install.sh", "cat > setup.txt <<'EOF'\npip install mlflow==2.9.2\nEOF\n", "3.4"},
		{"pip download is not install", "install.sh", "pip download mlflow==2.9.2\n", "3.4"},
		{"pydantic 2 allowed", "requirements.txt", "mlflow\npydantic>=1.10,<3\n", "3.8"},
		{"editable mlflow", "requirements.txt", "-e git+https://github.com/mlflow/mlflow@v2.9.2#egg=mlflow\n", "3.4"},
		{"mlflow in a pytest option line", "requirements.txt", "--extra-index-url https://x/mlflow==2.9\n", "3.4"},
		{"unquoted redirect is not a pin", "install.sh", "pip install mlflow<3\n", "3.4"},
	}
	for _, c := range cases {
		if got := issuesFor(t, c.path, c.src, c.target); len(got) != 0 {
			t.Errorf("%s: unexpected issues %v", c.name, got)
		}
	}
}

func TestPinFixPolicy(t *testing.T) {
	cases := []struct {
		path, src, target, want string
	}{
		{"requirements.txt", "mlflow==2.9.2\n", "3.4", "mlflow==3.4.*\n"},
		{"requirements.txt", "mlflow==2.9.2\n", "3.4.1", "mlflow==3.4.1\n"},
		{"requirements.txt", "mlflow===2.9.2\n", "3.4", "mlflow==3.4.*\n"},
		{"requirements.txt", "mlflow==2.9.*\n", "3.4", "mlflow==3.4.*\n"},
		{"requirements.txt", "mlflow==2.*\n", "3.4", "mlflow==3.*\n"},
		{"requirements.txt", "mlflow~=2.9\n", "3.4", "mlflow~=3.4\n"},
		{"requirements.txt", "mlflow~=2.9.2\n", "3.4", "mlflow~=3.4.0\n"},
		{"requirements.txt", "mlflow<3\n", "3.4", "mlflow>=3.4,<4\n"},
		{"requirements.txt", "mlflow>=2.9,<3.0 # keep\n", "3.4", "mlflow>=3.4,<4 # keep\n"},
		{"requirements.txt", "mlflow (==2.9.2)\n", "3.4", "mlflow (==3.4.*)\n"},
		{"requirements.txt", "MLflow_Skinny [databricks] == 2.9.2\n", "3.4", "MLflow_Skinny [databricks] ==3.4.*\n"},
		{"requirements.txt", "mlflow>=3.5\n", "3.4", "mlflow>=3.4,<4\n"},
		{"pyproject.toml", "[tool.poetry.dependencies]\nmlflow = \"~2.9\"\n", "3.4", "[tool.poetry.dependencies]\nmlflow = \"~3.4\"\n"},
		{"pyproject.toml", "[tool.poetry.dependencies]\nmlflow = \">=2.9,<3\"\n", "3.4", "[tool.poetry.dependencies]\nmlflow = \">=3.4,<4\"\n"},
		{"pyproject.toml", "[tool.poetry.dependencies]\nmlflow = \"^2.9 || ^2.10\"\n", "3.4", "[tool.poetry.dependencies]\nmlflow = \">=3.4,<4\"\n"},
		{"pyproject.toml", "[tool.poetry.dependencies]\nmlflow = [{version = \"^2.9\", python = \"<3.11\"}]\n", "3.4", "[tool.poetry.dependencies]\nmlflow = [{version = \"^3.4\", python = \"<3.11\"}]\n"},
		{"pyproject.toml", "[tool.poetry.group.ml.dependencies]\nmlflow = {extras = [\"genai\"], version = \"2.*\"}\n", "3.4", "[tool.poetry.group.ml.dependencies]\nmlflow = {extras = [\"genai\"], version = \"3.*\"}\n"},
		{"pyproject.toml", "[project]\noptional-dependencies = { ml = ['mlflow<3'] }\n", "3.4", "[project]\noptional-dependencies = { ml = ['mlflow>=3.4,<4'] }\n"},
		{"pyproject.toml", "[dependency-groups]\nml = [\"mlflow<3\"]\n", "3.4", "[dependency-groups]\nml = [\"mlflow>=3.4,<4\"]\n"},
		{"environment.yml", "dependencies:\n- mlflow==2.9.2\n", "3.4", "dependencies:\n- mlflow=3.4\n"},
		{"environment.yml", "dependencies:\n  - mlflow 2.9.2 pyhd8ed1ab_0\n", "3.4", "dependencies:\n  - mlflow 3.4.*\n"},
		{"environment.yml", "dependencies:\n  - 'mlflow=2.9.2=pyhd8ed1ab_0'\n", "3.4", "dependencies:\n  - 'mlflow=3.4'\n"},
		{"Pipfile", "[packages]\nmlflow = \"2.9.2\"\n", "3.4", "[packages]\nmlflow = \"3.4.*\"\n"},
		{"Pipfile", "[packages]\n\"mlflow\" = {version=\"~=2.9\"}\n", "3.4", "[packages]\n\"mlflow\" = {version=\"~=3.4\"}\n"},
		{"setup.cfg", "[options]\ninstall_requires = mlflow<3\n", "3.4", "[options]\ninstall_requires = mlflow>=3.4,<4\n"},
		{"setup.py", "REQS = ('numpy', r'mlflow<3')\nsetup(install_requires = REQS)\n", "3.4", "REQS = ('numpy', r'mlflow>=3.4,<4')\nsetup(install_requires = REQS)\n"},
		{"setup.py", "setup(**{\"install_requires\": [\"mlflow==2.9.2\"]})\n", "3.4", "setup(**{\"install_requires\": [\"mlflow==3.4.*\"]})\n"},
		{"install.sh", "sudo -H pip3.11 install -U -i https://pypi.example.org/simple mlflow==2.9.2 && echo ok\n", "3.4", "sudo -H pip3.11 install -U -i https://pypi.example.org/simple mlflow==3.4.* && echo ok\n"},
		{"install.sh", "python3.10 -m pip --quiet install \\\n  \"mlflow[genai]<3\"; pytest\n", "3.4", "python3.10 -m pip --quiet install \\\n  \"mlflow[genai]>=3.4,<4\"; pytest\n"},
		{"install.sh", "conda run -n ml --no-capture-output pip install mlflow==2.9.2\n", "3.4", "conda run -n ml --no-capture-output pip install mlflow==3.4.*\n"},
		{"install.sh", "sudo -u app env PIP_NO_CACHE_DIR=1 python3 -m pip install 'mlflow<3'\n", "3.4", "sudo -u app env PIP_NO_CACHE_DIR=1 python3 -m pip install 'mlflow>=3.4,<4'\n"},
		{"install.sh", "bash -ec 'pip install \"mlflow~=2.9\"'\n", "3.4", "bash -ec 'pip install \"mlflow~=3.4\"'\n"},
		{".github/workflows/ci.yml", "jobs:\n  t:\n    steps:\n      - run: |\n          pip install \"mlflow==2.9.2\"\n", "3.4",
			"jobs:\n  t:\n    steps:\n      - run: |\n          pip install \"mlflow==3.4.*\"\n"},
		{"docker-compose.yml", "services:\n  s:\n    command: pip install mlflow==2.9.2\n", "3.4", "services:\n  s:\n    command: pip install mlflow==3.4.*\n"},
		{"Dockerfile", "RUN --mount=type=cache,target=/root/.cache \\\n    # cache pip downloads\n    uv pip install --system mlflow-skinny==2.9.2\n", "3.4",
			"RUN --mount=type=cache,target=/root/.cache \\\n    # cache pip downloads\n    uv pip install --system mlflow-skinny==3.4.*\n"},
	}
	for _, c := range cases {
		m, err := Parse(c.path, []byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		issues := checkT(m, c.target)
		if len(issues) != 1 || issues[0].Code != CodePin || issues[0].Fix == nil {
			t.Errorf("%s %q: issues %+v, want one fixable MLF040", c.path, c.src, issues)
			continue
		}
		got := string(applyFixes(t, []byte(c.src), issues))
		if got != c.want {
			t.Errorf("%s %q: fixed to %q, want %q", c.path, c.src, got, c.want)
		}
		if again := checkT(ParseKind(c.path, m.Kind, []byte(got)), c.target); len(again) != 0 {
			t.Errorf("%s %q: fixed file still has %+v", c.path, c.src, again)
		}
	}
}

func TestPythonPins(t *testing.T) {
	cases := []struct {
		path, src string
		want31    bool // floor 3.9
		want32    bool // floor 3.10 (requires-python of mlflow-skinny 3.2.0)
	}{
		{"setup.py", "setup(python_requires='>=3.8', install_requires=['mlflow'])", false, false},
		{"setup.py", "setup(python_requires='==3.8.*', install_requires=['mlflow'])", true, true},
		{"setup.py", "setup(python_requires='<3.9', install_requires=['mlflow'])", true, true},
		{"setup.py", "setup(python_requires='>=3.9,<3.10', install_requires=['mlflow'])", false, true},
		{"setup.py", "setup(python_requires='~=3.9.0', install_requires=['mlflow'])", false, true},
		{"setup.py", "setup(python_requires='==3.9.27', install_requires=['mlflow'])", false, true},
		{"setup.py", "setup(python_requires='>3.9.27,<3.9.29', install_requires=['mlflow'])", false, true},
		{"setup.py", "setup(python_requires='>=3.10', install_requires=['mlflow'])", false, false},
		{"setup.py", "setup(python_requires='>=4', install_requires=['mlflow'])", false, false}, // admits nothing below the floor either
		{"environment.yml", "dependencies:\n  - python>=3.8,<3.9\n  - mlflow\n", true, true},
		{"environment.yml", "dependencies:\n  - python 3.9.*\n  - mlflow\n", false, true},
		{"pyproject.toml", "[tool.poetry.dependencies]\npython = \"^3.8\"\nmlflow = \"*\"\n", false, false},
		{"pyproject.toml", "[tool.poetry.dependencies]\npython = \"3.8.10\"\nmlflow = \"*\"\n", true, true},
		{"Dockerfile", "FROM --platform=linux/amd64 docker.io/library/python:3.8.18-slim-bookworm\nRUN pip install mlflow\n", true, true},
		{"Dockerfile", "FROM python:3.11\nRUN pip install mlflow\n", false, false},
		{"Dockerfile", "FROM python:latest\nRUN pip install mlflow\n", false, false},
		{"Dockerfile", "FROM mypython:3.8\nRUN pip install mlflow\n", false, false},
	}
	for _, c := range cases {
		for _, tc := range []struct {
			target string
			want   bool
		}{{"3.1", c.want31}, {"3.2", c.want32}, {"3.8", c.want32}} {
			got := strings.Contains(strings.Join(issuesFor(t, c.path, c.src, tc.target), ","), CodePython)
			if got != tc.want {
				t.Errorf("%s %q target %s: MLF041 %v, want %v", c.path, c.src, tc.target, got, tc.want)
			}
		}
	}
}

func TestPydantic(t *testing.T) {
	for _, c := range []struct {
		spec string
		want bool
	}{
		{"<2", true}, {"<2.0", true}, {"==1.10.13", true}, {"~=1.10", true}, {">=1.10,<2", true},
		{"<3", false}, {">=1.10", false}, {"==2.*", false}, {"<2.1", false}, {"", false},
	} {
		src := "mlflow>=3\npydantic" + c.spec + "\n"
		// mlflow-skinny requires pydantic>=2.0.0 from 3.6.0 (3.5.0: >=1.10.8).
		for _, target := range []string{"3.6", "3.8"} {
			got := strings.Contains(strings.Join(issuesFor(t, "requirements.txt", src, target), ","), CodeCompanion)
			if got != c.want {
				t.Errorf("pydantic%s target %s: MLF042 %v, want %v", c.spec, target, got, c.want)
			}
		}
		if got := issuesFor(t, "requirements.txt", src, "3.5"); len(got) != 0 {
			t.Errorf("pydantic%s with target 3.5: %v", c.spec, got)
		}
	}
}

func TestCheckTargets(t *testing.T) {
	m, _ := Parse("requirements.txt", []byte("mlflow==2.9.2\n"))
	for _, target := range []string{"", "three", "3.4rc1", "3.4.0.0", "v"} {
		if got := checkT(m, target); got != nil {
			t.Errorf("Check(%q) = %v, want nothing for an invalid target", target, got)
		}
	}
	if got := checkT(nil, "3.4"); got != nil {
		t.Errorf("Check(nil) = %v", got)
	}
	is := checkT(m, "3.4")
	if len(is) != 1 || !strings.HasPrefix(is[0].Message, "mlflow pinned to `==2.9.2`, which excludes MLflow 3.4: ") {
		t.Errorf("message: %+v", is)
	}
	if got := checkT(m, "2.9.2"); len(got) != 0 {
		t.Errorf("target 2.9.2 not admitted by ==2.9.2: %v", got)
	}
	if got := checkT(m, "2.9"); len(got) != 1 {
		t.Errorf("target 2.9 (2.9.0) admitted by ==2.9.2: %v", got)
	}
}

func TestNotebookPip(t *testing.T) {
	// Two magic lines of a cell; the caller says the first is line 12 of
	// the raw file and starts at byte 300.
	text := "%pip install -q \"mlflow==2.9.2\" 'pydantic<2'\n!pip install mlflow-skinny~=2.9 -r reqs.txt\n"
	m := ParseNotebookPip("nb.ipynb", text, 12, 300)
	if m.Kind != KindNotebookPip {
		t.Errorf("kind %v", m.Kind)
	}
	var got []string
	for _, r := range m.Requirements {
		got = append(got, fmt.Sprintf("%s %s @%d %q", r.Name, r.Specifier, r.Line, text[r.SpecStart-300:r.SpecEnd-300]))
	}
	compareLists(t, "notebook requirements", got, []string{
		`mlflow ==2.9.2 @12 "==2.9.2"`,
		`pydantic <2 @12 "<2"`,
		`mlflow-skinny ~=2.9 @13 "~=2.9"`,
	})
	compareLists(t, "includes", m.Includes, []string{"reqs.txt"})
	var issues []string
	for _, is := range checkT(m, "3.8") {
		issues = append(issues, describeIssue("3.8", is))
	}
	compareLists(t, "notebook issues", issues, []string{
		"3.8 MLF040 @12 -> ==3.8.*",
		"3.8 MLF042 @12",
		"3.8 MLF040 @13 -> ~=3.8",
	})
}

func TestNormalizeName(t *testing.T) {
	for in, want := range map[string]string{
		"MLflow":        "mlflow",
		"mlflow_skinny": "mlflow-skinny",
		"Mlflow.-_Skin": "mlflow-skin",
		"a__b":          "a-b",
	} {
		if got := NormalizeName(in); got != want {
			t.Errorf("NormalizeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, c := range fileCases {
		if src, err := readFile(c.path); err == nil {
			f.Add(uint8(c.kind), src)
		}
	}
	f.Add(uint8(KindPyproject), []byte("[project]\ndependencies = [\"mlflow<3\", '''x''', \"\"\"y\"\"\"\"\"]\na = {b = [1, {c = 'd'}]}\n"))
	f.Add(uint8(KindShell), []byte("pip install 'a' \"b\\\"c\" d\\ e >f 2>&1 <<EOF\n"))
	f.Add(uint8(KindSetupPy), []byte("install_requires=[\"a\" 'b' f\"c\" \"\"\"d"))
	f.Fuzz(func(t *testing.T, k uint8, src []byte) {
		kind := Kind(int(k)%int(KindCompose) + 1)
		m := ParseKind("f", kind, src)
		for _, r := range m.Requirements {
			if !(0 <= r.Start && r.Start <= r.SpecStart && r.SpecStart <= r.SpecEnd && r.SpecEnd <= r.End && r.End <= len(src)) {
				t.Fatalf("%v: requirement %+v out of bounds (len %d)", kind, r, len(src))
			}
			if r.Line < 1 {
				t.Fatalf("line %d", r.Line)
			}
		}
		for _, p := range m.Python {
			if !(0 <= p.Start && p.Start <= p.End && p.End <= len(src)) {
				t.Fatalf("%v: python pin %+v out of bounds", kind, p)
			}
		}
		for _, target := range []string{"3.4", "3.8"} {
			for _, is := range checkT(m, target) {
				if !(0 <= is.Start && is.Start <= is.End && is.End <= len(src)) {
					t.Fatalf("issue %+v out of bounds", is)
				}
				if is.Fix != nil && !(is.Start <= is.Fix.Start && is.Fix.Start <= is.Fix.End && is.Fix.End <= is.End) {
					t.Fatalf("fix %+v outside issue %+v", is.Fix, is)
				}
			}
		}
		_ = ParseNotebookPip("nb", string(src), 1, 0)
	})
}

// testRequires stands for the release data in these tests, with the
// boundaries the wheels declare: Python 3.10 from 3.2.0 on (3.9 before),
// pydantic 2 from 3.6.0 on (pydantic 1.10.8 before); mlflow itself needs
// sqlalchemy 1.4.
func testRequires(target string) Requires {
	req := Requires{Python: ">=3.9", Skinny: []string{"pydantic<3,>=1.10.8", "packaging<26"},
		Full: []string{"mlflow-skinny==" + target, "sqlalchemy<3,>=1.4.0", `waitress<4; platform_system == "Windows"`}}
	t, ok := parseTarget(target)
	if ok && t.atLeast(3, 2) {
		req.Python = ">=3.10"
	}
	if ok && t.atLeast(3, 6) {
		req.Skinny = []string{"pydantic<3,>=2.0.0", "packaging<26", "fastapi<1; extra == \"server\""}
	}
	return req
}

func checkT(m *Manifest, target string) []Issue { return Check(m, target, testRequires(target)) }

func TestCompanionsFromRequires(t *testing.T) {
	cases := []struct {
		src  string
		want []string
	}{
		// sqlalchemy is a requirement of mlflow, not of mlflow-skinny.
		{"mlflow>=3\nsqlalchemy==1.3.24\n", []string{"sqlalchemy pinned to `==1.3.24`, which admits no sqlalchemy release at or above 1.4.0: MLflow 3.8 requires sqlalchemy>=1.4.0"}},
		{"mlflow-skinny>=3\nsqlalchemy==1.3.24\n", nil},
		{"mlflow-skinny>=3\npydantic<2\n", []string{"pydantic pinned to `<2`, which admits no pydantic 2 release: MLflow 3.8 requires pydantic>=2"}},
		// Values with a marker or an extra, and upper bounds, are not floors.
		{"mlflow>=3\nwaitress==0.1\nfastapi==0.1\npackaging==30\n", nil},
		{"mlflow>=3\nsqlalchemy>=1.3\n", nil},
	}
	for _, c := range cases {
		m, err := Parse("requirements.txt", []byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, is := range checkT(m, "3.8") {
			if is.Code == CodeCompanion {
				got = append(got, is.Message)
			}
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%q: MLF042 %q, want %q", c.src, got, c.want)
		}
	}
	// Without facts the checks stay silent.
	m, _ := Parse("requirements.txt", []byte("mlflow>=3\npydantic<2\n"))
	if got := Check(m, "3.8", Requires{}); len(got) != 0 {
		t.Errorf("no facts: %v", got)
	}
}

func TestLowerBound(t *testing.T) {
	for spec, want := range map[string]string{
		">=3.10": "3.10", "<3,>=2.0.0": "2.0.0", ">=1.4,>=1.10.8": "1.10.8", "<4": "", ">3.9": "", ">=2.0rc1": "", "": "",
	} {
		got, ok := lowerBound(spec)
		if ok != (want != "") || ok && joinInts(got) != want {
			t.Errorf("lowerBound(%q) = %v %v, want %q", spec, got, ok, want)
		}
	}
}
