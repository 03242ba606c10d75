package analyzer

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/apidb"
	"github.com/mlflowlint/mlflowlint/parser"
)

// RunConfig carries the run-wide settings rules may read (the target MLflow
// version). The driver provides it as the result of the Config analyzer.
type RunConfig struct {
	Target Version
	// API selects the releases of the MLflow API data the generic rules
	// compare.
	API APIRange
}

// APIRange is a migration in release indexes of the API data (apidb): the
// code was written for any of the Source releases and is moved to Target.
type APIRange struct {
	Source []int
	Target int
}

// DefaultAPIRange is the migration from any 2.x release to the newest.
func DefaultAPIRange() APIRange {
	src, tgt := apidb.DefaultMigration()
	return APIRange{Source: src, Target: tgt}
}

// File parses the one Python source of a pass. The driver supplies it from
// the source it read (so the bytes analysed are the bytes reported and
// fixed); run on its own, it reads Pass.OtherFiles[0] through ReadFile.
var File = &analysis.Analyzer{
	Name:             "pyfile",
	Doc:              "parse the Python source of the pass with tree-sitter",
	ResultType:       reflect.TypeFor[*parser.File](),
	RunDespiteErrors: true,
	Run: func(pass *analysis.Pass) (any, error) {
		if len(pass.OtherFiles) != 1 {
			return nil, fmt.Errorf("pyfile: want one file, got %d", len(pass.OtherFiles))
		}
		src, err := pass.ReadFile(pass.OtherFiles[0])
		if err != nil {
			return nil, err
		}
		return parser.Parse(context.Background(), pass.OtherFiles[0], src, pass.Fset)
	},
}

// Imports resolves names to qualified names (see Resolver).
var Imports = &analysis.Analyzer{
	Name:             "pyimports",
	Doc:              "resolve imports, scopes and bindings of a Python source",
	Requires:         []*analysis.Analyzer{File},
	ResultType:       reflect.TypeFor[*Resolver](),
	RunDespiteErrors: true,
	Run: func(pass *analysis.Pass) (any, error) {
		f := pass.ResultOf[File].(*parser.File)
		r := NewResolver(f)
		r.ImplicitMLflow = f.Databricks
		return r, nil
	},
}

// Index buckets the nodes of the tree by type.
var Index = &analysis.Analyzer{
	Name:             "pyindex",
	Doc:              "index the nodes of a Python syntax tree by type",
	Requires:         []*analysis.Analyzer{File},
	ResultType:       reflect.TypeFor[*parser.Index](),
	RunDespiteErrors: true,
	Run: func(pass *analysis.Pass) (any, error) {
		f := pass.ResultOf[File].(*parser.File)
		return f.Index(), nil
	},
}

// Config gives rules the run settings. The driver presets its result.
var Config = &analysis.Analyzer{
	Name:             "pyconfig",
	Doc:              "run settings (target MLflow version)",
	ResultType:       reflect.TypeFor[*RunConfig](),
	RunDespiteErrors: true,
	Run: func(pass *analysis.Pass) (any, error) {
		return &RunConfig{Target: DefaultTarget, API: DefaultAPIRange()}, nil
	},
}

// Types infers the MLflow classes of expressions (see Typer) from the API
// data of the newest source release: the code was written against it.
var Types = &analysis.Analyzer{
	Name:             "pytypes",
	Doc:              "infer the MLflow classes of expressions from the API data",
	Requires:         []*analysis.Analyzer{Imports, Config},
	ResultType:       reflect.TypeFor[*Typer](),
	RunDespiteErrors: true,
	Run: func(pass *analysis.Pass) (any, error) {
		r := pass.ResultOf[Imports].(*Resolver)
		cfg := pass.ResultOf[Config].(*RunConfig)
		rng := cfg.API
		if len(rng.Source) == 0 {
			rng = DefaultAPIRange()
		}
		return NewTyper(r, apidb.Load(), rng.Source[len(rng.Source)-1]), nil
	},
}

// Shared lists the shared analyzers every rule may require.
var Shared = []*analysis.Analyzer{File, Imports, Index, Config, Types}

// DefaultTarget is the target MLflow version when none is given: the newest
// release of the API data.
var DefaultTarget = MustVersion(apidb.Newest())

// Inputs gives a rule its shared results.
type Inputs struct {
	File     *parser.File
	Resolver *Resolver
	Index    *parser.Index
	Config   *RunConfig
	Types    *Typer
}

// In returns the shared results of a pass whose analyzer requires Shared.
func In(pass *analysis.Pass) Inputs {
	return Inputs{
		File:     pass.ResultOf[File].(*parser.File),
		Resolver: pass.ResultOf[Imports].(*Resolver),
		Index:    pass.ResultOf[Index].(*parser.Index),
		Config:   pass.ResultOf[Config].(*RunConfig),
		Types:    pass.ResultOf[Types].(*Typer),
	}
}

// NewAPIRange selects the releases of a migration in the API data. target
// is a 3.x release or minor ("3.4" is its newest patch; "" the newest
// release); source lists the releases the code may have been written for,
// older than the target (nil: every 2.x release).
func NewAPIRange(source []int, target string) (APIRange, error) {
	versions := apidb.Versions()
	rng := APIRange{Target: len(versions) - 1}
	if target != "" {
		sel, err := apidb.Select(target)
		if err != nil || !strings.HasPrefix(versions[sel[0]], "3.") {
			return rng, fmt.Errorf("%s is not an MLflow 3.x release; known: %s", target, strings.Join(apidb.Releases("3"), ", "))
		}
		rng.Target = sel[len(sel)-1]
	}
	if source == nil {
		source, _ = apidb.Select("2")
	}
	for _, s := range source {
		if s < rng.Target {
			rng.Source = append(rng.Source, s)
		}
	}
	if len(rng.Source) == 0 {
		return rng, fmt.Errorf("no source release older than the target %s", versions[rng.Target])
	}
	return rng, nil
}

// TargetVersion is the version of the range's target release.
func (r APIRange) TargetVersion() Version { return MustVersion(apidb.Versions()[r.Target]) }

// APIRangeAt is the migration from any 2.x release to the newest release
// of the API data that is not newer than v (tests that gate hand-written
// rules on versions between releases use it).
func APIRangeAt(v Version) APIRange {
	rng := DefaultAPIRange()
	for i, r := range apidb.Versions() {
		if rv, err := ParseVersion(r); err == nil && !v.Less(rv) {
			rng.Target = i
		}
	}
	return rng
}
