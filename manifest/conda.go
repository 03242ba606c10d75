package manifest

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// parseConda reads the dependencies list of a conda environment file:
// its conda match specs and the pip specs of a "pip:" sub-list.
func parseConda(m *Manifest, src []byte) {
	d := parseYAML(src)
	for _, root := range d.roots {
		deps := yamlGet(root, "dependencies")
		if deps == nil || deps.Kind != yaml.SequenceNode {
			continue
		}
		for _, item := range deps.Content {
			if pip := yamlGet(item, "pip"); pip != nil && pip.Kind == yaml.SequenceNode {
				for _, p := range pip.Content {
					if text, base, ok := d.line(p); ok {
						m.addPipArg(text, base)
					}
				}
				continue
			}
			if text, base, ok := d.line(item); ok {
				m.addCondaSpec(text, base)
			}
		}
	}
}

// line returns the value of a scalar that stands on one line of the file,
// unchanged, and its offset.
func (d *yamlDoc) line(n *yaml.Node) (string, int, bool) {
	s, ok := d.scalar(n)
	if !ok || len(s.m) == 0 || s.m[len(s.m)-1]-s.m[0] != len(s.m)-1 {
		return "", 0, false
	}
	return s.text, s.m[0], true
}

// addPipArg records one item of a pip list: a requirement or an -r/-c
// include.
func (m *Manifest) addPipArg(item string, base int) {
	if strings.HasPrefix(item, "-") {
		if f, ok, _ := includeOption(strings.Fields(item), 0); ok && f != "" {
			m.Includes = append(m.Includes, f)
		}
		return
	}
	if r, ok := parsePEP508(item, base, nil); ok {
		m.add(r, SyntaxPEP440)
	}
}

// addCondaSpec records a conda match spec such as "mlflow=2.9.2",
// "conda-forge::mlflow>=2.9,<3", "mlflow 2.9.*" or "python=3.8".
func (m *Manifest) addCondaSpec(item string, base int) {
	i := 0
	if k := strings.Index(item, "::"); k >= 0 {
		i = k + 2
	}
	nameStart := i
	for i < len(item) && isNameByte(item[i]) && item[i] != '=' {
		i++
	}
	if i == nameStart || !isAlnum(item[nameStart]) {
		return
	}
	name := NormalizeName(item[nameStart:i])
	specLo := i
	for specLo < len(item) && item[specLo] == ' ' {
		specLo++
	}
	if specLo < len(item) && item[specLo] == '[' {
		return // bracket form, e.g. mlflow[version='>=2.9']: not handled
	}
	specHi := len(item)
	spec := item[specLo:specHi]
	if spec != "" && !strings.ContainsRune("<>=!~*", rune(spec[0])) && !isDigit(spec[0]) {
		return
	}
	if name == "python" {
		if spec != "" {
			m.addPython(spec, SyntaxConda, base+specLo, base+specHi)
		}
		return
	}
	if spec == "" {
		specLo = i
	}
	m.add(Requirement{Name: name, Specifier: spec, Start: base, End: base + specHi,
		SpecStart: base + specLo, SpecEnd: base + specHi}, SyntaxConda)
}
