package manifest

import (
	"path"
	"strings"
)

// Kind is the format of a dependency manifest.
type Kind int

const (
	KindNone         Kind = iota
	KindRequirements      // *requirements*.txt/.in, *constraints*.txt/.in, requirements/*.txt/.in
	KindPyproject         // pyproject.toml
	KindSetupPy           // setup.py
	KindSetupCfg          // setup.cfg
	KindConda             // environment.yml, conda*.yml
	KindPipfile           // Pipfile
	KindDockerfile        // Dockerfile, *.Dockerfile, Dockerfile.*
	KindShell             // *.sh
	KindNotebookPip       // %pip / !pip lines of a notebook, see ParseNotebookPip
	KindWorkflow          // .github/workflows/*.yml: the run: of each step
	KindCompose           // docker-compose*.yml, compose*.yml: command: and entrypoint:
)

var kindNames = [...]string{"none", "requirements", "pyproject", "setup.py", "setup.cfg", "conda", "pipfile", "dockerfile", "shell", "notebook-pip", "workflow", "compose"}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// KindOf tells the manifest kind of a file from its name alone, or
// KindNone. Notebooks are not manifests by name: their pip lines reach this
// package through ParseNotebookPip.
func KindOf(p string) Kind {
	p = strings.ReplaceAll(p, `\`, "/")
	base := path.Base(p)
	lower := strings.ToLower(base)
	dir := strings.ToLower(path.Base(path.Dir(p)))
	switch {
	case lower == "pyproject.toml":
		return KindPyproject
	case lower == "setup.py":
		return KindSetupPy
	case lower == "setup.cfg":
		return KindSetupCfg
	case base == "Pipfile":
		return KindPipfile
	case lower == "dockerfile" || strings.HasSuffix(lower, ".dockerfile") || strings.HasPrefix(lower, "dockerfile."):
		return KindDockerfile
	case strings.HasSuffix(lower, ".sh"):
		return KindShell
	case (strings.HasSuffix(lower, ".txt") || strings.HasSuffix(lower, ".in")) &&
		(strings.Contains(lower, "requirements") || strings.Contains(lower, "constraints") || dir == "requirements"):
		// pip and pip-tools files; other *.in files are mostly autotools
		// templates (Makefile.in) and MANIFEST.in.
		return KindRequirements
	case isYAMLName(lower) && strings.HasSuffix(strings.ToLower(path.Dir(p)), ".github/workflows"):
		return KindWorkflow
	case isYAMLName(lower) && (strings.HasPrefix(lower, "docker-compose") || strings.HasPrefix(lower, "compose")):
		return KindCompose
	case (strings.HasPrefix(lower, "environment") || strings.HasPrefix(lower, "conda")) &&
		(strings.HasSuffix(lower, ".yml") || strings.HasSuffix(lower, ".yaml")):
		// environment.yml, environment-dev.yaml, conda.yaml, conda-gpu.yml
		return KindConda
	}
	return KindNone
}

func isYAMLName(lower string) bool {
	return strings.HasSuffix(lower, ".yml") || strings.HasSuffix(lower, ".yaml")
}
