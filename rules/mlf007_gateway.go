package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

// MLF007 reports the mlflow.gateway client and fluent APIs removed in
// MLflow 3.0. get_gateway_uri and set_gateway_uri, and `import
// mlflow.gateway` itself, stay valid and are never reported.
var MLF007 = register(&analysis.Analyzer{
	Name:             "MLF007",
	Doc:              analyzerDoc("MLF007"),
	URL:              docURL("MLF007"),
	Requires:         shared,
	RunDespiteErrors: true,
	Run:              runMLF007,
})

var _ = wordTriggers("MLF007", func() []string {
	alts := []string{"gateway client", "gateway fluent"}
	for name := range gatewayRemoved {
		alts = append(alts, "gateway "+name)
	}
	return alts
}()...)

// gatewayRemoved maps each removed mlflow.gateway export to what to use
// from a `mlflow.deployments.get_deploy_client(uri)` client.
var gatewayRemoved = map[string]string{
	"query":               "`client.predict(endpoint=..., inputs=...)`",
	"get_route":           "`client.get_endpoint(...)`",
	"search_routes":       "`client.list_endpoints()`",
	"create_route":        "endpoints declared in the gateway server's configuration file",
	"delete_route":        "endpoints declared in the gateway server's configuration file",
	"set_limits":          "limits declared in the gateway server's configuration file",
	"get_limits":          "limits declared in the gateway server's configuration file",
	"MlflowGatewayClient": "the client of `mlflow.deployments.get_deploy_client(uri)`",
}

func mlf007Msg(name string) string {
	return "`mlflow.gateway." + name + "` was removed in MLflow 3.0 (ImportError/AttributeError); use the deployments API: `client = mlflow.deployments.get_deploy_client(uri)`, then " + gatewayRemoved[name]
}

func runMLF007(pass *analysis.Pass) (any, error) {
	in := analyzer.In(pass)
	if !in.Resolver.Seen("mlflow") && !in.File.Databricks {
		return nil, nil
	}
	for _, imp := range in.Resolver.Imports() {
		if !imp.Relative && imp.Module == "mlflow.gateway" && gatewayRemoved[imp.Name] != "" {
			pass.Report(diag(in.File, imp.Node, mlf007Msg(imp.Name), nil, false))
		}
	}
	for _, a := range in.Index.Of("attribute") {
		attr := parser.Field(a, "attribute")
		if attr == nil || gatewayRemoved[in.File.Text(attr)] == "" {
			continue
		}
		if in.Resolver.Resolve(parser.Field(a, "object")) == "mlflow.gateway" {
			pass.Report(diag(in.File, a, mlf007Msg(in.File.Text(attr)), nil, false))
		}
	}
	for _, mod := range []string{"mlflow.gateway.client", "mlflow.gateway.fluent"} {
		msg := "`" + mod + "` was removed in MLflow 3.0 (ModuleNotFoundError); use the deployments API: `mlflow.deployments.get_deploy_client(uri).predict(endpoint=..., inputs=...)`"
		moduleUses(in, mod, func(n *parser.Node) {
			pass.Report(diag(in.File, n, msg, nil, false))
		})
	}
	return nil, nil
}
