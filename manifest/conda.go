package manifest

import (
	"strings"
)

// parseConda reads the dependencies list of a conda environment file: the
// block sequence under the top-level "dependencies:" key, its conda match
// specs, and the pip specs of a "- pip:" sub-list. It is a line reader for
// this one shape of YAML, not a YAML parser.
func parseConda(m *Manifest, src []byte) {
	inDeps := false
	depIndent := -1 // indentation of the "- " items of dependencies
	pipIndent := -1 // indentation of the "- " items of the pip list, when inside one
	for lineOff, line := range physicalLines(src) {
		body := strings.TrimRight(stripComment(line), " \t\r")
		if strings.TrimSpace(body) == "" {
			continue
		}
		indent := len(body) - len(strings.TrimLeft(body, " "))
		if indent == 0 && !strings.HasPrefix(body, "-") {
			inDeps = strings.HasPrefix(body, "dependencies:")
			depIndent, pipIndent = -1, -1
			continue
		}
		if !inDeps {
			continue
		}
		rest := body[indent:]
		if !strings.HasPrefix(rest, "- ") && rest != "-" {
			continue // a mapping line inside an item; not handled
		}
		if pipIndent >= 0 && indent < pipIndent {
			pipIndent = -1
		}
		if depIndent < 0 {
			depIndent = indent
		}
		itemOff := indent + 1
		for itemOff < len(body) && body[itemOff] == ' ' {
			itemOff++
		}
		item := body[itemOff:]
		base := lineOff + itemOff
		// Unquote "..." and '...'.
		if len(item) >= 2 && (item[0] == '"' || item[0] == '\'') && item[len(item)-1] == item[0] {
			item = item[1 : len(item)-1]
			base++
		}
		switch {
		case pipIndent >= 0 && indent >= pipIndent:
			m.addPipArg(item, base)
		case indent == depIndent && (item == "pip:" || strings.HasPrefix(item, "pip:")):
			pipIndent = depIndent + 1 // items of the pip list are indented further
		case indent == depIndent:
			m.addCondaSpec(item, base)
		}
	}
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
