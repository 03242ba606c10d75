package rules

import (
	"regexp"

	"github.com/mlflowlint/mlflowlint/analyzer"
)

// MLF009 reports the gateway config keys MLflow 3.0 removed: a top-level
// `routes:` list and the `route_type:` key of its items (also left inside an
// `endpoints:` list). Only items that configure an endpoint count: they have
// a `model:` with a `provider:` below it. A `routes:` list
// whose items have `destinations:` is the traffic-split key of MLflow 3.5+
// and is never touched. The scanner reads lines and indentation, so the
// edits rename keys in place and keep every comment and layout.
var MLF009 = registerText(&analyzer.TextRule{
	Code:     "MLF009",
	Match:    isYAML,
	Triggers: [][]byte{[]byte("route_type"), []byte("provider")},
	Check:    checkMLF009,
})

const (
	mlf009RoutesMsg    = "the gateway config key `routes:` was removed in MLflow 3.0 (the gateway rejects this config and does not start); name the list `endpoints:`"
	mlf009RouteTypeMsg = "the gateway config key `route_type:` was removed in MLflow 3.0 (the gateway rejects this config and does not start); use `endpoint_type:`"
)

// yamlKeyRe matches a block mapping key, after an optional list dash.
var yamlKeyRe = regexp.MustCompile(`^( *)(- +)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*:([ \t]|$)`)

// yamlKey is one `key:` of a line.
type yamlKey struct {
	Name     string
	Start    int // offset of the key name
	Col      int // column of the key name
	Dash     bool
	DashCol  int
	LineNext int // offset of the next line
}

// yamlKeys returns the block mapping keys of src, line by line; lines that
// hold no key (values, comments, blanks) are left out except that a
// non-blank line at column 0 without a key ends any block (Col 0, Name "").
func yamlKeys(src []byte) []yamlKey {
	var out []yamlKey
	for off := 0; off < len(src); {
		_, end := lineBounds(src, off)
		next := end + 1
		line := src[off:end]
		if m := yamlKeyRe.FindSubmatchIndex(line); m != nil {
			k := yamlKey{Name: string(line[m[6]:m[7]]), Start: off + m[6], Col: m[6], LineNext: next, DashCol: -1}
			if m[4] >= 0 {
				k.Dash, k.DashCol = true, m[4]
			}
			out = append(out, k)
		} else if len(line) > 0 && line[0] != ' ' && line[0] != '\t' && line[0] != '#' && line[0] != '\r' && line[0] != '-' {
			out = append(out, yamlKey{Col: 0, LineNext: next, DashCol: -1})
		}
		off = next
	}
	return out
}

// yamlItem is one list item of a block: its keys at the item's own level
// and the names of every key nested below it.
type yamlItem struct {
	keys   map[string]yamlKey
	nested map[string]bool
}

// yamlBlock returns the list items under the top-level key at keys[i].
func yamlBlock(keys []yamlKey, i int) []yamlItem {
	var items []yamlItem
	dashCol := -1
	for _, k := range keys[i+1:] {
		if k.Col == 0 && !k.Dash {
			break // the next top-level key
		}
		if k.Dash && (dashCol < 0 || k.DashCol == dashCol) {
			dashCol = k.DashCol
			items = append(items, yamlItem{keys: map[string]yamlKey{k.Name: k}, nested: map[string]bool{}})
			continue
		}
		if len(items) == 0 {
			continue
		}
		it := items[len(items)-1]
		first := firstKeyCol(it)
		if k.Col == first && !k.Dash {
			it.keys[k.Name] = k
		} else if k.Col > first {
			it.nested[k.Name] = true
		}
	}
	return items
}

// gatewayItem reports an item that configures a gateway endpoint: it has a
// `model:` with a `provider:` below it.
func gatewayItem(it yamlItem) bool {
	_, model := it.keys["model"]
	return model && it.nested["provider"]
}

func firstKeyCol(it yamlItem) int {
	for _, k := range it.keys {
		if k.Dash {
			return k.Col
		}
	}
	return -1
}

func checkMLF009(_ string, src []byte, _ *analyzer.RunConfig) []analyzer.TextIssue {
	keys := yamlKeys(src)
	hasEndpoints := false
	for _, k := range keys {
		if k.Col == 0 && !k.Dash && k.Name == "endpoints" {
			hasEndpoints = true
		}
	}
	var out []analyzer.TextIssue
	rename := func(k yamlKey, to, msg, title string, fix bool) {
		is := analyzer.TextIssue{Message: msg, Start: k.Start, End: k.Start + len(k.Name)}
		if fix {
			is.Fix = &analyzer.TextFix{Message: title, Edits: []analyzer.TextEdit{{Start: k.Start, End: k.Start + len(k.Name), New: to}}}
		}
		out = append(out, is)
	}
	for i, k := range keys {
		if k.Col != 0 || k.Dash || (k.Name != "routes" && k.Name != "endpoints") {
			continue
		}
		items := yamlBlock(keys, i)
		if k.Name == "routes" {
			legacy := false
			for _, it := range items {
				if _, ok := it.keys["destinations"]; ok {
					legacy = false
					break
				}
				if gatewayItem(it) {
					legacy = true
				}
			}
			if !legacy {
				continue
			}
			rename(k, "endpoints", mlf009RoutesMsg, "Rename `routes` to `endpoints`", !hasEndpoints)
		}
		for _, it := range items {
			rt, ok := it.keys["route_type"]
			if !ok || !gatewayItem(it) {
				continue
			}
			_, both := it.keys["endpoint_type"]
			rename(rt, "endpoint_type", mlf009RouteTypeMsg, "Rename `route_type` to `endpoint_type`", !both)
		}
	}
	return out
}
