package manifest

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// shapeCase is a file and what is read from it: each requirement as
// describeReq and the text of Start..End, each Python pin as
// "python spec @line".
type shapeCase struct {
	name, path, src string
	reqs            []string
	python          []string
}

// TestTOMLShapes reads TOML shapes whose offsets are easy to get wrong:
// line breaks, multi-byte text, multi-line and escaped strings, dotted keys,
// arrays of tables and of inline tables, and a syntax error.
func TestTOMLShapes(t *testing.T) {
	readShapes(t, []shapeCase{
		{
			name: "CRLF and multi-byte text before the pin",
			path: "pyproject.toml",
			src:  "[project]\r\nname = \"café-ü\"\r\ndependencies = [\r\n  \"mlflow==2.9.2\", # ünï\r\n]\r\n",
			reqs: []string{`mlflow ==2.9.2 @4 = "mlflow==2.9.2"`},
		},
		{
			name:   "multi-line strings",
			path:   "pyproject.toml",
			src:    "[project]\nrequires-python = '''>=3.8'''\ndependencies = [\"\"\"\nmlflow<3\"\"\", '''pandas''']\n",
			reqs:   []string{`mlflow <3 @4 = "mlflow<3"`, `pandas  @4 = "pandas"`},
			python: []string{"python >=3.8 @2"},
		},
		{
			name: "an escaped string has no offsets to fix and is skipped",
			path: "pyproject.toml",
			src:  "[project]\ndependencies = [\"mlflow\\u003d=2.9.2\", \"pandas\"]\n",
			reqs: []string{`pandas  @2 = "pandas"`},
		},
		{
			name: "dotted key at the top level",
			path: "pyproject.toml",
			src:  "project.dependencies = [\"mlflow<3\"]\n",
			reqs: []string{`mlflow <3 @1 = "mlflow<3"`},
		},
		{
			name: "an array of tables does not leak its path",
			path: "pyproject.toml",
			src:  "[[tool.poetry.source]]\nname = \"internal\"\n[tool.poetry.dependencies]\nmlflow = \"^2.9\"\n",
			reqs: []string{`mlflow ^2.9 @4 = "mlflow = \"^2.9\""`},
		},
		{
			name: "Poetry multiple constraints over several lines",
			path: "pyproject.toml",
			src: "[tool.poetry.dependencies]\nmlflow = [\n  { version = \"^2.9\", python = \"<3.11\" },  # old\n" +
				"  {version=\"^3.1\",python=\">=3.11\"},\n]\n",
			reqs: []string{
				`mlflow ^2.9 @3 = "{ version = \"^2.9\", python = \"<3.11\" }"`,
				`mlflow ^3.1 @4 = "{version=\"^3.1\",python=\">=3.11\"}"`,
			},
		},
		{
			name: "reading stops at a syntax error",
			path: "pyproject.toml",
			src:  "[project]\ndependencies = [\"mlflow<3\"]\nbroken =\n[tool.poetry.dependencies]\nmlflow = \"^2.9\"\n",
			reqs: []string{`mlflow <3 @2 = "mlflow<3"`},
		},
		{
			name:   "Pipfile with a git dependency and a literal key",
			path:   "Pipfile",
			src:    "[packages]\n'mlflow' = {version = \"<3\", extras = [\"Gateway\"]}\nlib = {git = \"https://x/lib.git\"}\n[requires]\npython_full_version = \"3.8.18\"\n",
			reqs:   []string{`mlflow[gateway] <3 @2 = "'mlflow' = {version = \"<3\", extras = [\"Gateway\"]}"`, `lib  @3 = "lib = {git = \"https://x/lib.git\"}"`},
			python: []string{"python 3.8.18 @5"},
		},
	})
}

// readShapes parses each case and compares what it read, after checking
// that every offset points at the text it stands for.
func readShapes(t *testing.T, cases []shapeCase) {
	t.Helper()
	for _, c := range cases {
		src := []byte(c.src)
		m, err := Parse(c.path, src)
		if err != nil {
			t.Fatal(err)
		}
		var reqs, python []string
		for _, r := range m.Requirements {
			// Start..End is the whole pair, or one table of an array of
			// tables (which need not name the package), as the strings show.
			if string(src[r.SpecStart:r.SpecEnd]) != r.Specifier || r.Start > r.SpecStart || r.SpecEnd > r.End {
				t.Errorf("%s: %s: offsets %d %d %d %d do not frame Specifier %q", c.name, r.Name, r.Start, r.SpecStart, r.SpecEnd, r.End, r.Specifier)
			}
			if l := 1 + bytes.Count(src[:r.Start], []byte("\n")); l != r.Line {
				t.Errorf("%s: %s: Line %d, offset says %d", c.name, r.Name, r.Line, l)
			}
			reqs = append(reqs, fmt.Sprintf("%s = %q", describeReq(r), src[r.Start:r.End]))
		}
		for _, p := range m.Python {
			if got := string(src[p.Start:p.End]); got != p.Spec {
				t.Errorf("%s: python pin text %q, Spec %q", c.name, got, p.Spec)
			}
			python = append(python, fmt.Sprintf("python %s @%d", p.Spec, p.Line))
		}
		compareLists(t, c.name+": requirements", reqs, c.reqs)
		compareLists(t, c.name+": python", python, c.python)
	}
}

// TestShellShapes reads shell the way a shell does: here-documents are
// data, compound commands and command substitutions run commands, "sh -c"
// strings are shell, and only verbatim words can be fixed in place.
func TestShellShapes(t *testing.T) {
	readShapes(t, []shapeCase{
		{
			name: "a here-document is data",
			path: "install.sh",
			src:  "cat <<EOF > notes.txt\npip install mlflow==2.9.2\nEOF\npip install 'mlflow<3'\n",
			reqs: []string{`mlflow <3 @4 = "mlflow<3"`},
		},
		{
			name: "compound commands and command substitutions",
			path: "install.sh",
			src:  "if [ -n \"$CI\" ]; then\n  out=$(pip install --quiet mlflow==2.9.2)\nfi\nfor p in a b; do pip install \"pydantic<2\"; done\n",
			reqs: []string{`mlflow ==2.9.2 @2 = "mlflow==2.9.2"`, `pydantic <2 @4 = "pydantic<2"`},
		},
		{
			name: "sh -c strings are shell",
			path: "install.sh",
			src:  "bash -lc 'pip install \"mlflow<3\" && mlflow server'\nsh -c \"echo pip install mlflow==2.9.2\"\n",
			reqs: []string{`mlflow <3 @1 = "mlflow<3"`},
		},
		{
			name: "an escaped word has no offsets to fix and is skipped",
			path: "install.sh",
			src:  "pip install mlflow\\=\\=2.9.2 mlflow-skinny\"==2.9\" pandas==2.1\n",
			reqs: []string{`pandas ==2.1 @1 = "pandas==2.1"`},
		},
		{
			name: "lines the parser refuses are skipped, the others read",
			path: "install.sh",
			src:  "pip install mlflow==2.9.2\nif [ -z \"$X\" ]; then\n",
			reqs: []string{`mlflow ==2.9.2 @1 = "mlflow==2.9.2"`},
		},
		{
			name: "CRLF and multi-byte text",
			path: "install.sh",
			src:  "echo \"café\"\r\npip install mlflow==2.9.2\r\n",
			reqs: []string{`mlflow ==2.9.2 @2 = "mlflow==2.9.2"`},
		},
		{
			name: "Dockerfile instructions",
			path: "Dockerfile",
			src: "FROM --platform=linux/amd64 python:3.8-slim\nENV PIP=\"pip install mlflow==2.0\"\n" +
				"RUN --mount=type=cache,target=/root/.cache pip install mlflow==2.9.2\n" +
				"CMD [\"pip\", \"install\", \"mlflow==2.9.1\"]\nCMD sh -c 'pip install \"pydantic<2\"'\n",
			reqs:   []string{`mlflow ==2.9.2 @3 = "mlflow==2.9.2"`, `pydantic <2 @5 = "pydantic<2"`},
			python: []string{"python 3.8 @1"},
		},
	})
}

const workflowYAML = `name: CI ✓
on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - name: Dépendances ✓
        run: |
          python -m pip install --upgrade pip
          pip install "mlflow==2.9.2" \
            'pydantic<2'
      - run: >
          pip install
          mlflow-skinny~=2.9
      - run: "pip install mlflow\u003d=2.9.2"
      - run: pip install 'mlflow<3' # comment
`

const composeYAML = `services:
  tracking:
    image: python:3.11
    command: sh -c "pip install mlflow==2.9.2 && mlflow server --host 0.0.0.0"
  worker:
    entrypoint: ["bash", "-c", "pip install 'mlflow<3' && python worker.py"]
    command:
      - pip
      - install
      - mlflow-skinny==2.9.1
`

// TestYAMLShapes reads the shell inside GitHub workflows and compose files:
// block, folded, plain and quoted scalars, exec-form lists, multi-byte text
// before the pins and CRLF line breaks.
func TestYAMLShapes(t *testing.T) {
	workflowReqs := []string{
		`pip  @9 = "pip"`,
		`mlflow ==2.9.2 @10 = "mlflow==2.9.2"`,
		`pydantic <2 @11 = "pydantic<2"`,
		`mlflow-skinny ~=2.9 @14 = "mlflow-skinny~=2.9"`,
		`mlflow <3 @16 = "mlflow<3"`,
	}
	composeReqs := []string{
		`mlflow ==2.9.2 @4 = "mlflow==2.9.2"`,
		`mlflow <3 @6 = "mlflow<3"`,
		`mlflow-skinny ==2.9.1 @10 = "mlflow-skinny==2.9.1"`,
	}
	crlf := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
	readShapes(t, []shapeCase{
		{name: "workflow", path: ".github/workflows/ci.yml", src: workflowYAML, reqs: workflowReqs},
		{name: "workflow with CRLF", path: ".github/workflows/ci.yml", src: crlf(workflowYAML), reqs: workflowReqs},
		{name: "compose", path: "docker-compose.yml", src: composeYAML, reqs: composeReqs},
		{name: "compose with CRLF", path: "compose.yaml", src: crlf(composeYAML), reqs: composeReqs},
		{
			name: "a workflow that is not valid YAML yields nothing",
			path: ".github/workflows/ci.yml",
			src:  "jobs:\n  t:\n    steps:\n      - run: pip install mlflow==2.9.2\n     bad: [\n",
		},
		{
			name: "run outside steps and other files' keys are not read",
			path: ".github/workflows/ci.yml",
			src:  "run: pip install mlflow==2.9.2\njobs:\n  t:\n    env:\n      run: pip install mlflow==2.9.2\n",
		},
	})
}

// TestCondaShapes reads conda environment files through the YAML parser:
// flow sequences, quotes, CRLF and aliases.
func TestCondaShapes(t *testing.T) {
	readShapes(t, []shapeCase{
		{
			name:   "flow sequence",
			path:   "environment.yml",
			src:    "name: café\ndependencies: [python=3.8, \"mlflow=2.9.2\"]\n",
			reqs:   []string{`mlflow =2.9.2 @2 = "mlflow=2.9.2"`},
			python: []string{"python =3.8 @2"},
		},
		{
			name: "CRLF with a pip list",
			path: "environment.yml",
			src:  "dependencies:\r\n  - mlflow-skinny >=2.9,<3\r\n  - pip:\r\n      - 'mlflow<3'\r\n",
			reqs: []string{`mlflow-skinny >=2.9,<3 @2 = "mlflow-skinny >=2.9,<3"`, `mlflow <3 @4 = "mlflow<3"`},
		},
		{
			name: "an alias has no text of its own",
			path: "conda.yaml",
			src:  "pinned: &m mlflow=2.9.2\ndependencies:\n  - *m\n  - numpy\n",
			reqs: []string{`numpy  @4 = "numpy"`},
		},
	})
}

// TestDeeplyNestedShell: hundreds of thousands of nested groups would
// overflow the stack of the recursive shell parser (a crash, not an
// error); such text is read line by line, and the pin on the first line is
// still found.
func TestDeeplyNestedShell(t *testing.T) {
	for _, open := range []string{"(", "$(", "{ ", "`"} {
		src := "pip install mlflow==2.9.2\n" + strings.Repeat(open, 300000) + "\n"
		m := ParseKind("install.sh", KindShell, []byte(src))
		if len(m.Requirements) != 1 || m.Requirements[0].Specifier != "==2.9.2" {
			t.Errorf("%q nested: requirements %+v", open, m.Requirements)
		}
	}
}

// TestDockerfileHeredocs reads the body of "RUN <<EOF" as shell, and not
// that of a here-document fed to another program.
func TestDockerfileHeredocs(t *testing.T) {
	readShapes(t, []shapeCase{
		{
			name: "here-documents",
			path: "Dockerfile",
			src: "FROM python:3.11\nRUN <<EOF\nset -e\npip install \"mlflow==2.9.2\"\nEOF\n" +
				"RUN python3 <<EOF\nprint('pip install mlflow==2.9.1')\nEOF\n" +
				"RUN <<-'EOT' bash -ex\n\tpip install 'mlflow<3'\n\tEOT\nRUN pip install pandas==2.1\n",
			reqs:   []string{`mlflow ==2.9.2 @4 = "mlflow==2.9.2"`, `mlflow <3 @10 = "mlflow<3"`, `pandas ==2.1 @12 = "pandas==2.1"`},
			python: []string{"python 3.11 @1"},
		},
		{
			name: "an unclosed here-document is not read",
			path: "Dockerfile",
			src:  "RUN <<EOF\npip install mlflow==2.9.2\n",
		},
	})
}
