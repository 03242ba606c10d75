// Package sarifcheck validates SARIF logs for the tests: the JSON schema
// with format assertions and the checks GitHub applies on upload. Only
// tests import it, so the schema library (which compiles its meta-schemas
// at init) stays out of the mlflowlint binary.
package sarifcheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

const (
	version     = "2.1.0" // the SARIF version GitHub reads
	maxRuleTags = 20      // GitHub rejects more tags per rule
)

// message is a SARIF message or description: its plain text.
type message struct {
	Text string `json:"text"`
}

var schemaCache sync.Map // absolute schema path -> *jsonschema.Schema

// loadSchema compiles the SARIF JSON schema at path with format assertions
// on (artifactLocation.uri must be a valid uri-reference, as GitHub's
// upload checks).
func loadSchema(path string) (*jsonschema.Schema, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if s, ok := schemaCache.Load(abs); ok {
		return s.(*jsonschema.Schema), nil
	}
	f, err := os.Open(abs)
	if err != nil {
		return nil, fmt.Errorf("SARIF schema: %w", err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, fmt.Errorf("SARIF schema %s: %w", abs, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	loc := "file://" + filepath.ToSlash(abs)
	if err := c.AddResource(loc, doc); err != nil {
		return nil, fmt.Errorf("SARIF schema %s: %w", abs, err)
	}
	s, err := c.Compile(loc)
	if err != nil {
		return nil, fmt.Errorf("SARIF schema %s: %w", abs, err)
	}
	schemaCache.Store(abs, s)
	return s, nil
}

// Validate checks a SARIF log against the JSON schema at schemaPath
// (with format assertions) and against the rules GitHub code scanning
// applies on upload that the schema does not encode. All problems found
// are returned together.
func Validate(data []byte, schemaPath string) error {
	s, err := loadSchema(schemaPath)
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("SARIF is not JSON: %w", err)
	}
	var errs []error
	if err := s.Validate(inst); err != nil {
		errs = append(errs, fmt.Errorf("SARIF schema: %w", err))
	}
	var log githubLog
	if err := json.Unmarshal(data, &log); err != nil {
		errs = append(errs, fmt.Errorf("SARIF structure: %w", err))
	} else {
		errs = append(errs, log.check()...)
	}
	return errors.Join(errs...)
}

// githubLog is the part of a SARIF log GitHub's checks look at. Pointers
// tell absent values from zeros.
type githubLog struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID               string         `json:"id"`
					Name             string         `json:"name"`
					ShortDescription *message       `json:"shortDescription"`
					FullDescription  *message       `json:"fullDescription"`
					Help             *message       `json:"help"`
					Properties       map[string]any `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		ColumnKind string `json:"columnKind"`
		Results    []struct {
			RuleID    string   `json:"ruleId"`
			RuleIndex *int     `json:"ruleIndex"`
			Message   *message `json:"message"`
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation *struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
					Region        *checkedRegion `json:"region"`
					ContextRegion *checkedRegion `json:"contextRegion"`
				} `json:"physicalLocation"`
			} `json:"locations"`
		} `json:"results"`
	} `json:"runs"`
}

type checkedRegion struct {
	StartLine   *int `json:"startLine"`
	StartColumn *int `json:"startColumn"`
	EndLine     *int `json:"endLine"`
	EndColumn   *int `json:"endColumn"`
}

// encloses reports whether r, a complete region, holds the lines of o.
func (r *checkedRegion) encloses(o *checkedRegion) bool {
	return r.StartLine != nil && r.EndLine != nil && *r.StartLine <= *o.StartLine && *r.EndLine >= *o.EndLine
}

func (l *githubLog) check() []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if l.Schema == "" {
		bad("$schema is missing")
	}
	if l.Version != version {
		bad("version is %q, want %q", l.Version, version)
	}
	if len(l.Runs) != 1 {
		bad("%d runs, want exactly 1 (GitHub no longer combines runs of one tool and category)", len(l.Runs))
	}
	for ri, run := range l.Runs {
		d := run.Tool.Driver
		if d.Name == "" {
			bad("run %d: tool.driver.name is empty", ri)
		}
		ids := map[string]bool{}
		for i, rule := range d.Rules {
			at := fmt.Sprintf("run %d rule %d (%s)", ri, i, rule.ID)
			switch {
			case rule.ID == "":
				bad("%s: id is empty", at)
			case ids[rule.ID]:
				bad("%s: duplicate id", at)
			}
			ids[rule.ID] = true
			if len(rule.Name) > 255 {
				bad("%s: name longer than 255 characters", at)
			}
			if rule.ShortDescription == nil || rule.ShortDescription.Text == "" {
				bad("%s: shortDescription.text is required", at)
			} else if len(rule.ShortDescription.Text) > 1024 {
				bad("%s: shortDescription.text longer than 1024 characters", at)
			}
			if rule.FullDescription == nil || rule.FullDescription.Text == "" {
				bad("%s: fullDescription.text is required", at)
			}
			if rule.Help == nil || rule.Help.Text == "" {
				bad("%s: help.text is required", at)
			}
			if _, ok := rule.Properties["security-severity"]; ok {
				bad("%s: security-severity makes GitHub treat migration findings as security alerts", at)
			}
			if tags, ok := rule.Properties["tags"].([]any); ok && len(tags) > maxRuleTags {
				bad("%s: %d tags, GitHub allows %d", at, len(tags), maxRuleTags)
			}
		}
		if len(run.Results) > 0 && run.ColumnKind == "" {
			bad("run %d: columnKind is required when there are results", ri)
		}
		for i, res := range run.Results {
			at := fmt.Sprintf("run %d result %d (%s)", ri, i, res.RuleID)
			if res.RuleID == "" {
				bad("%s: ruleId is missing", at)
			}
			if res.RuleIndex != nil {
				switch k := *res.RuleIndex; {
				case k < 0 || k >= len(d.Rules):
					bad("%s: ruleIndex %d out of range (%d rules)", at, k, len(d.Rules))
				case d.Rules[k].ID != res.RuleID:
					bad("%s: ruleIndex %d names rule %s", at, k, d.Rules[k].ID)
				}
			}
			if res.Message == nil || res.Message.Text == "" {
				bad("%s: message.text is required", at)
			}
			if len(res.Locations) == 0 {
				bad("%s: no location (GitHub cannot show the alert)", at)
				continue
			}
			pl := res.Locations[0].PhysicalLocation
			if pl == nil || pl.ArtifactLocation == nil {
				bad("%s: locations[0].physicalLocation.artifactLocation is required", at)
				continue
			}
			if err := checkRelativeURI(pl.ArtifactLocation.URI); err != nil {
				bad("%s: %v", at, err)
			}
			rg := pl.Region
			if rg == nil || rg.StartLine == nil || rg.StartColumn == nil || rg.EndLine == nil || rg.EndColumn == nil {
				bad("%s: region needs startLine, startColumn, endLine and endColumn", at)
				continue
			}
			switch {
			case *rg.StartLine < 1 || *rg.StartColumn < 1 || *rg.EndLine < 1 || *rg.EndColumn < 1:
				bad("%s: region lines and columns must be >= 1", at)
			case *rg.EndLine < *rg.StartLine:
				bad("%s: region ends before it starts", at)
			case *rg.EndLine == *rg.StartLine && *rg.EndColumn < *rg.StartColumn:
				bad("%s: region end column before start column", at)
			}
			if c := pl.ContextRegion; c != nil && !c.encloses(rg) {
				bad("%s: contextRegion does not enclose region", at)
			}
		}
	}
	return errs
}

// checkRelativeURI enforces a relative, repository-rooted artifact URI: no
// scheme (file: or other), no absolute path, no ".." segment.
func checkRelativeURI(uri string) error {
	if uri == "" {
		return errors.New("artifactLocation.uri is empty")
	}
	if err := checkURIChars(uri); err != nil {
		return fmt.Errorf("artifactLocation.uri %q is not a valid uri-reference: %v", uri, err)
	}
	u, err := url.Parse(uri)
	if err != nil {
		return fmt.Errorf("artifactLocation.uri %q: %v", uri, err)
	}
	if u.Scheme != "" || strings.HasPrefix(uri, "/") {
		return fmt.Errorf("artifactLocation.uri %q is not relative", uri)
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == ".." {
			return fmt.Errorf("artifactLocation.uri %q leaves the source root", uri)
		}
	}
	return nil
}

// checkURIChars allows only RFC 3986 characters (unreserved, reserved and
// "%" followed by two hex digits). The schema's uri-reference format, as
// checked by Go's URL parser, lets spaces through; GitHub's upload does
// not.
func checkURIChars(uri string) error {
	isHex := func(c byte) bool {
		return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
	}
	for i := 0; i < len(uri); i++ {
		c := uri[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("-._~:/?#[]@!$&'()*+,;=", c) >= 0:
		case c == '%':
			if i+2 >= len(uri) || !isHex(uri[i+1]) || !isHex(uri[i+2]) {
				return fmt.Errorf("bad percent escape at byte %d", i)
			}
			i += 2
		default:
			return fmt.Errorf("character %q at byte %d must be percent-encoded", c, i)
		}
	}
	return nil
}
