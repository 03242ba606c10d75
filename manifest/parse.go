package manifest

import (
	"fmt"
	"path"
	"strings"
)

// Parse reads the manifest at path, whose kind KindOf tells from its name.
// It never fails on malformed content (what it cannot read is skipped);
// the error is for files that are not manifests.
func Parse(p string, src []byte) (*Manifest, error) {
	k := KindOf(p)
	if k == KindNone {
		return nil, fmt.Errorf("%s: not a dependency manifest", p)
	}
	return ParseKind(p, k, src), nil
}

// ParseKind reads src as a manifest of kind k.
func ParseKind(p string, k Kind, src []byte) *Manifest {
	m := &Manifest{Path: p, Kind: k, lines: newLineTable(src)}
	switch k {
	case KindRequirements:
		parseRequirementsFile(m, src)
		m.Compiled = compiledFrom(p, src)
	case KindPyproject:
		parsePyproject(m, src)
	case KindSetupPy:
		parseSetupPy(m, src)
	case KindSetupCfg:
		parseSetupCfg(m, src)
	case KindConda:
		parseConda(m, src)
	case KindPipfile:
		parsePipfile(m, src)
	case KindDockerfile:
		parseDockerfile(m, src)
	case KindWorkflow:
		parseWorkflow(m, src)
	case KindCompose:
		parseCompose(m, src)
	case KindShell, KindNotebookPip:
		m.parseShellSource(fileSource(src), 0)
	}
	return m
}

// Load parses the manifest at p and, transitively, the requirements files
// it includes with -r/-c, reading files through read. Include paths are
// resolved against the including file's directory; each file is read once.
// A file that cannot be read is reported in the error but does not stop
// the others.
func Load(p string, read func(string) ([]byte, error)) ([]*Manifest, error) {
	var out []*Manifest
	var errs []string
	seen := map[string]bool{}
	var visit func(p string, k Kind)
	visit = func(p string, k Kind) {
		p = path.Clean(p)
		if seen[p] {
			return
		}
		seen[p] = true
		src, err := read(p)
		if err != nil {
			errs = append(errs, err.Error())
			return
		}
		m := ParseKind(p, k, src)
		out = append(out, m)
		for _, inc := range m.Includes {
			if strings.Contains(inc, "://") || strings.Contains(inc, "$") {
				continue
			}
			if !path.IsAbs(inc) {
				inc = path.Join(path.Dir(p), inc)
			}
			visit(inc, KindRequirements)
		}
	}
	k := KindOf(p)
	if k == KindNone {
		return nil, fmt.Errorf("%s: not a dependency manifest", p)
	}
	visit(p, k)
	if len(errs) > 0 {
		return out, fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return out, nil
}
