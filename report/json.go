package report

import (
	"bytes"
	"encoding/json"

	"github.com/mlflowlint/mlflowlint/analyzer"
)

// The JSON format is ruff's: the field order of these structs is
// alphabetical so that the output has the same key order as ruff's.

type jsonLocation struct {
	Column int `json:"column"`
	Row    int `json:"row"`
}

type jsonEdit struct {
	Content     string       `json:"content"`
	EndLocation jsonLocation `json:"end_location"`
	Location    jsonLocation `json:"location"`
}

type jsonFix struct {
	Applicability string     `json:"applicability"`
	Edits         []jsonEdit `json:"edits"`
	Message       *string    `json:"message"`
}

type jsonFinding struct {
	Cell        *int         `json:"cell"`
	Code        string       `json:"code"`
	EndLocation jsonLocation `json:"end_location"`
	Filename    string       `json:"filename"`
	Fix         *jsonFix     `json:"fix"`
	Location    jsonLocation `json:"location"`
	Message     string       `json:"message"`
	NoqaRow     *int         `json:"noqa_row"`
	URL         *string      `json:"url"`
}

// charLocation converts a position to ruff's row and code point column.
func charLocation(f *analyzer.Finding, p analyzer.Position) jsonLocation {
	return jsonLocation{Column: findingCharCol(f, p), Row: p.Line}
}

func optional[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

func (r *renderer) jsonFinding(f *analyzer.Finding) jsonFinding {
	out := jsonFinding{
		Cell:        optional(f.Cell),
		Code:        f.Code,
		EndLocation: charLocation(f, f.End),
		Filename:    f.Path,
		Location:    charLocation(f, f.Start),
		Message:     f.Message,
		NoqaRow:     optional(f.NoqaLine),
		URL:         optional(r.url(f.Code)),
	}
	if f.Fix != nil && len(f.Fix.Edits) > 0 {
		fix := &jsonFix{Applicability: "safe", Message: optional(f.Fix.Message), Edits: []jsonEdit{}}
		if f.Fix.Unsafe {
			fix.Applicability = "unsafe"
		}
		for _, e := range f.Fix.Edits {
			fix.Edits = append(fix.Edits, jsonEdit{
				Content:     e.New,
				EndLocation: charLocation(f, e.End),
				Location:    charLocation(f, e.Start),
			})
		}
		out.Fix = fix
	}
	return out
}

// json writes ruff's JSON array (or, with Statistics, the per-rule counts).
func (r *renderer) json(buf *bytes.Buffer) error {
	var v any
	if r.opt.Statistics {
		v = r.statistics()
	} else {
		list := make([]jsonFinding, 0, len(r.shown))
		for _, f := range r.shown {
			list = append(list, r.jsonFinding(f))
		}
		v = list
	}
	return encodeJSON(buf, v)
}

// encodeJSON writes v with a 2-space indent, without HTML escaping, and a
// final newline.
func encodeJSON(buf *bytes.Buffer, v any) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
