package rules

import (
	"go.yaml.in/yaml/v3"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/manifest"
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

// checkMLF009 reads the file with the YAML parser; keys are renamed at the
// byte offsets of their key scalars, so comments and layout stay.
func checkMLF009(_ string, src []byte, _ *analyzer.RunConfig) []analyzer.TextIssue {
	f := manifest.ParseYAMLFile(src)
	var out []analyzer.TextIssue
	rename := func(key *yaml.Node, to, msg, title string, fix bool) {
		start, end, ok := f.Span(key)
		if !ok {
			return
		}
		is := analyzer.TextIssue{Message: msg, Start: start, End: end}
		if fix {
			is.Fix = &analyzer.TextFix{Message: title, Edits: []analyzer.TextEdit{{Start: start, End: end, New: to}}}
		}
		out = append(out, is)
	}
	for _, root := range f.Roots() {
		if root.Kind != yaml.MappingNode {
			continue
		}
		_, hasEndpoints := mappingKey(root, "endpoints")
		for i := 0; i+1 < len(root.Content); i += 2 {
			k, list := root.Content[i], root.Content[i+1]
			if k.Value != "routes" && k.Value != "endpoints" || list.Kind != yaml.SequenceNode {
				continue
			}
			if k.Value == "routes" {
				legacy := false
				for _, it := range list.Content {
					if _, ok := mappingKey(it, "destinations"); ok {
						legacy = false
						break
					}
					legacy = legacy || gatewayItem(it)
				}
				if !legacy {
					continue
				}
				rename(k, "endpoints", mlf009RoutesMsg, "Rename `routes` to `endpoints`", !hasEndpoints)
			}
			for _, it := range list.Content {
				rt, ok := mappingKey(it, "route_type")
				if !ok || !gatewayItem(it) {
					continue
				}
				_, both := mappingKey(it, "endpoint_type")
				rename(rt, "endpoint_type", mlf009RouteTypeMsg, "Rename `route_type` to `endpoint_type`", !both)
			}
		}
	}
	return out
}

// mappingKey returns the key node named name of mapping n.
func mappingKey(n *yaml.Node, name string) (*yaml.Node, bool) {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Value == name {
			return k, true
		}
	}
	return nil, false
}

// gatewayItem reports an item that configures a gateway endpoint: it has a
// `model:` and a `provider:` key somewhere below it.
func gatewayItem(it *yaml.Node) bool {
	_, model := mappingKey(it, "model")
	return model && hasKeyBelow(it, "provider", 0)
}

// hasKeyBelow reports a mapping key named name nested inside n's values.
func hasKeyBelow(n *yaml.Node, name string, depth int) bool {
	if depth > 64 {
		return false
	}
	for i, c := range n.Content {
		isKey := n.Kind == yaml.MappingNode && i%2 == 0
		if isKey && depth > 0 && c.Value == name {
			return true
		}
		if !isKey && hasKeyBelow(c, name, depth+1) {
			return true
		}
	}
	return false
}
