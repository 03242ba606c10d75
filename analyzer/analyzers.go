package analyzer

import (
	"context"
	"fmt"
	"reflect"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/parser"
)

// RunConfig carries the run-wide settings rules may read (the target MLflow
// version). The driver provides it as the result of the Config analyzer.
type RunConfig struct {
	Target Version
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
		return parser.NewIndex(f.Root), nil
	},
}

// Config gives rules the run settings. The driver presets its result.
var Config = &analysis.Analyzer{
	Name:             "pyconfig",
	Doc:              "run settings (target MLflow version)",
	ResultType:       reflect.TypeFor[*RunConfig](),
	RunDespiteErrors: true,
	Run: func(pass *analysis.Pass) (any, error) {
		return &RunConfig{Target: DefaultTarget}, nil
	},
}

// Shared lists the shared analyzers every rule may require.
var Shared = []*analysis.Analyzer{File, Imports, Index, Config}

// DefaultTarget is the target MLflow version when none is given: the newest
// 3.x release the catalog knows.
var DefaultTarget = MustVersion("3.15")

// Inputs gives a rule its shared results.
type Inputs struct {
	File     *parser.File
	Resolver *Resolver
	Index    *parser.Index
	Config   *RunConfig
}

// In returns the shared results of a pass whose analyzer requires Shared.
func In(pass *analysis.Pass) Inputs {
	return Inputs{
		File:     pass.ResultOf[File].(*parser.File),
		Resolver: pass.ResultOf[Imports].(*Resolver),
		Index:    pass.ResultOf[Index].(*parser.Index),
		Config:   pass.ResultOf[Config].(*RunConfig),
	}
}
