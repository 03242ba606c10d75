package gencorpus

import "strings"

// family is one kind of MLflow usage. File i always carries family
// i % len(families), so any corpus of at least len(families) files has all.
type family struct {
	name  string
	write func(p *pyfile, b *buf)
}

var families = []family{
	{"tracking", (*pyfile).famTracking},
	{"evaluate-custom-metrics", (*pyfile).famCustomMetrics},
	{"evaluate-baseline", (*pyfile).famBaseline},
	{"metric-threshold", (*pyfile).famThreshold},
	{"run-uuid", (*pyfile).famRunUUID},
	{"log-model-artifact-path", (*pyfile).famLogModel},
	{"fastai", (*pyfile).famFastai},
	{"removed-modules", (*pyfile).famRemovedModules},
	{"gateway", (*pyfile).famGateway},
	{"pyfunc-code-path", (*pyfile).famPyfunc},
	{"pytorch-requirements-file", (*pyfile).famPytorch},
	{"signature-dict", (*pyfile).famSignatureDict},
	{"tensorflow-autolog", (*pyfile).famTensorflow},
	{"git-tags-and-env", (*pyfile).famGitTags},
	{"registry-stages", (*pyfile).famStages},
	{"lookalikes", (*pyfile).famLookalikes},
}

func (p *pyfile) subject() string { return p.r.pick(subjects) }

// famTracking is the ordinary, still-valid bulk of MLflow code.
func (p *pyfile) famTracking(b *buf) {
	s := p.subject()
	name := p.ident("train_" + s)
	m := p.m
	b.line("def %s(df: pd.DataFrame, params: Dict[str, Any]) -> str:", name)
	b.in()
	b.line("%s.set_experiment(%q)", m, "/Shared/"+s)
	if p.r.chance(50) {
		b.line("%s.autolog(log_input_examples=%s, silent=True)", p.flavor("sklearn"), p.r.pick([]string{"True", "False"}))
	}
	t := p.r.pick(targets)
	b.line("X_train, X_test, y_train, y_test = train_test_split(df.drop(columns=[%q]), df[%q], test_size=%s)", t, t, p.r.float(0, 1))
	b.line("with %s.start_run(run_name=f\"%s-{int(time.time())}\") as run:", m, s)
	b.in()
	b.line("%s.log_params(params)", m)
	b.line("%s.set_tags({\"team\": %q, \"stage\": \"dev\"})", m, p.r.pick(subjects))
	b.line("model = RandomForestClassifier(n_estimators=params.get(\"n_estimators\", %d))", p.r.between(10, 500))
	b.line("model.fit(X_train, y_train)")
	b.line("preds = model.predict(X_test)")
	b.line("for epoch in range(params.get(\"epochs\", %d)):", p.r.between(2, 30))
	b.in()
	b.line("%s.log_metric(\"loss\", 1.0 / (epoch + 1), step=epoch)", m)
	b.out()
	b.line("%s.log_metrics({\"accuracy\": accuracy_score(y_test, preds), \"f1\": f1_score(y_test, preds, average=\"macro\")})", m)
	b.line("%s.log_dict(params, \"params.json\")", m)
	b.line("%s.log_artifact(%q, artifact_path=%q)", m, "reports/"+s+".html", "reports")
	b.line("return run.info.run_id")
	b.out()
	b.out()
}

func (p *pyfile) famCustomMetrics(b *buf) {
	s := p.subject()
	metric := p.ident(p.r.pick([]string{"weighted_recall", "top_decile_lift", "cost_saving", "calibration_gap", "hit_rate"}))
	mk := p.makeMetric()
	ev := p.evaluate()
	b.line("def %s_fn(eval_df, builtin_metrics):", metric)
	b.in()
	b.line("hits = (eval_df[\"prediction\"] == eval_df[\"target\"]).astype(float)")
	b.line("return hits.mean() * %s + builtin_metrics.get(\"accuracy_score\", 0.0) * 0", p.r.float(0, 2))
	b.out()
	b.line("")
	b.line("")
	b.line("%s = %s(eval_fn=%s_fn, greater_is_better=%s, name=%q)", metric, mk, metric, p.r.pick([]string{"True", "False"}), metric)
	b.line("")
	b.line("")
	b.line("def %s(model_uri: str, eval_df: pd.DataFrame):", p.ident("evaluate_"+s))
	b.in()
	b.line("with %s.start_run(run_name=%q) as run:", p.m, "eval-"+s)
	b.in()
	switch p.r.intn(3) {
	case 0:
		b.line("result = %s(", ev)
		b.in()
		b.line("model_uri,")
		b.line("eval_df,")
		b.line("targets=%q,", p.r.pick(targets))
		b.line("model_type=%q,", p.r.pick([]string{"classifier", "regressor"}))
		b.line("evaluators=[\"default\"],")
		b.line("custom_metrics=[%s],", metric)
		b.out()
		b.line(")")
	case 1:
		b.line("extra = [%s]", metric)
		b.line("result = %s(model_uri, eval_df, targets=%q, model_type=\"classifier\", custom_metrics=extra)", ev, p.r.pick(targets))
	default:
		b.line("kwargs = {\"targets\": %q, \"model_type\": \"classifier\", \"custom_metrics\": [%s]}", p.r.pick(targets), metric)
		b.line("result = %s(model=model_uri, data=eval_df, **kwargs)", ev)
	}
	b.line("print(f\"metrics: {result.metrics}\")")
	b.line("return result")
	b.out()
	b.out()
}

func (p *pyfile) famBaseline(b *buf) {
	s := p.subject()
	th := p.threshold()
	ev := p.evaluate()
	b.line("def %s(candidate_uri: str, baseline_uri: str, data: pd.DataFrame):", p.ident("validate_"+s))
	b.in()
	b.line("thresholds = {")
	b.in()
	b.line("\"accuracy_score\": %s(", th)
	b.in()
	b.line("threshold=%s,", p.r.float(0, 1))
	b.line("min_absolute_change=%s,", p.r.float(0, 1))
	b.line("min_relative_change=%s,", p.r.float(0, 1))
	b.line("higher_is_better=True,")
	b.out()
	b.line("),")
	b.line("\"log_loss\": %s(threshold=%s, higher_is_better=False),", th, p.r.float(0, 2))
	b.out()
	b.line("}")
	b.line("with %s.start_run(run_name=%q):", p.m, "validate-"+s)
	b.in()
	b.line("result = %s(", ev)
	b.in()
	b.line("candidate_uri,")
	b.line("data,")
	b.line("targets=%q,", p.r.pick(targets))
	b.line("model_type=\"classifier\",")
	b.line("validation_thresholds=thresholds,")
	b.line("baseline_model=baseline_uri,")
	if p.r.chance(50) {
		b.line("baseline_config={\"log_model_explainability\": False},")
	}
	b.out()
	b.line(")")
	b.out()
	b.line("for key, value in result.baseline_model_metrics.items():")
	b.in()
	b.line("print(key, value, result.metrics.get(key))")
	b.out()
	b.line("return result")
	b.out()
}

func (p *pyfile) famThreshold(b *buf) {
	th := p.threshold()
	name := p.ident("thresholds_for_" + p.subject())
	b.line("def %s(strict: bool = False):", name)
	b.in()
	b.line("checks = {}")
	b.line("for metric, floor in [(\"f1_score\", %s), (\"precision_score\", %s)]:", p.r.float(0, 1), p.r.float(0, 1))
	b.in()
	if p.r.chance(50) {
		b.line("checks[metric] = %s(threshold=floor, higher_is_better=True)", th)
	} else {
		b.line("checks[metric] = %s(threshold=floor, greater_is_better=True)", th)
	}
	b.out()
	b.line("checks[\"mean_squared_error\"] = %s(threshold=%s, higher_is_better=False)", th, p.r.float(1, 20))
	b.line("for metric, check in checks.items():")
	b.in()
	b.line("direction = \"up\" if check.higher_is_better else \"down\"")
	b.line("print(f\"{metric}: {check.threshold} ({direction})\")")
	b.out()
	b.line("return checks")
	b.out()
}

func (p *pyfile) famRunUUID(b *buf) {
	cl := p.client()
	name := p.ident("collect_runs_" + p.subject())
	b.line("def %s(experiment_name: str, max_results: int = %d) -> List[str]:", name, p.r.between(10, 1000))
	b.in()
	b.line("client = %s()", cl)
	b.line("experiment = client.get_experiment_by_name(experiment_name)")
	b.line("ids = []")
	b.line("for run in client.search_runs([experiment.experiment_id], max_results=max_results):")
	b.in()
	b.line("ids.append(run.info.run_uuid)")
	b.out()
	b.line("active = %s.active_run()", p.m)
	b.line("if active is not None and active.info.run_uuid not in ids:")
	b.in()
	b.line("ids.append(active.info.run_uuid)")
	b.out()
	if p.r.chance(30) {
		b.line("latest = client.get_run(ids[0])")
		b.line("print(\"latest run\", latest.info.run_uuid, latest.info.status)")
	}
	b.line("return ids")
	b.out()
}

func (p *pyfile) famLogModel(b *buf) {
	s := p.subject()
	sig := p.inferSignature()
	fl := p.r.pick([]string{"sklearn", "sklearn", "xgboost", "lightgbm", "statsmodels"})
	f := p.flavor(fl)
	b.line("def %s(model, X_sample: pd.DataFrame, register: bool = False):", p.ident("log_"+s+"_model"))
	b.in()
	b.line("signature = %s(X_sample, model.predict(X_sample))", sig)
	b.line("name = %q if register else None", s+"-"+fl)
	switch p.r.intn(3) {
	case 0:
		b.line("info = %s.log_model(", f)
		b.in()
		b.line("model,")
		b.line("artifact_path=%q,", p.r.pick([]string{"model", s, "artifacts/model"}))
		b.line("signature=signature,")
		b.line("input_example=X_sample.head(%d),", p.r.between(1, 10))
		b.line("registered_model_name=name,")
		b.out()
		b.line(")")
	case 1:
		b.line("info = %s.log_model(model, artifact_path=\"model\", signature=signature)", f)
	default:
		b.line("info = %s.log_model(model, %q, signature=signature)", f, "model")
	}
	b.line("%s.log_artifact(\"feature_importance.png\", artifact_path=\"plots\")", p.m)
	b.line("return info.model_uri")
	b.out()
}

func (p *pyfile) famFastai(b *buf) {
	p.imp("from fastai.tabular.all import TabularDataLoaders, accuracy, tabular_learner")
	var fa string
	local := p.r.chance(30)
	if !local {
		fa = p.flavor("fastai")
	} else {
		fa = "mlflow.fastai"
	}
	name := p.ident("train_fastai_" + p.subject())
	b.line("def %s(df: pd.DataFrame, epochs: int = %d):", name, p.r.between(1, 20))
	b.in()
	if local {
		b.line("import mlflow.fastai")
		b.line("")
	}
	b.line("%s.autolog()", fa)
	b.line("dls = TabularDataLoaders.from_df(df, y_names=%q, cat_names=[%q], cont_names=[%q, %q])",
		p.r.pick(targets), p.r.pick(columns), p.r.pick(columns), p.r.pick(columns))
	b.line("learn = tabular_learner(dls, metrics=accuracy)")
	b.line("with %s.start_run() as run:", p.m)
	b.in()
	b.line("learn.fit_one_cycle(epochs)")
	b.line("%s.log_model(learn, artifact_path=\"fastai_model\")", fa)
	b.out()
	b.line("return %s.load_model(f\"runs:/{run.info.run_id}/fastai_model\")", fa)
	b.out()
}

func (p *pyfile) famRemovedModules(b *buf) {
	switch p.r.intn(3) {
	case 0:
		b.line("def %s(profile: str = \"local\"):", p.ident("run_recipe"))
		b.in()
		b.line("from mlflow.recipes import Recipe")
		b.line("")
		b.line("recipe = Recipe(profile=profile)")
		b.line("recipe.run(%q)", p.r.pick([]string{"train", "evaluate", "register"}))
		b.line("return recipe.get_artifact(\"model\")")
		b.out()
	case 1:
		b.line("def %s(pipeline, sample):", p.ident("export_mleap"))
		b.in()
		b.line("import mlflow.mleap")
		b.line("")
		b.line("with %s.start_run():", p.m)
		b.in()
		b.line("mlflow.mleap.log_model(spark_model=pipeline, sample_input=sample, artifact_path=\"mleap\")")
		b.out()
		b.out()
	default:
		g := p.flavor(p.r.pick([]string{"gluon", "diviner"}))
		b.line("def %s(model_uri: str):", p.ident("load_legacy"))
		b.in()
		b.line("return %s.load_model(model_uri)", g)
		b.out()
	}
}

func (p *pyfile) famGateway(b *buf) {
	forms := []string{"from mlflow.gateway import query, set_gateway_uri", "import mlflow.gateway"}
	form := p.r.intn(len(forms))
	name := p.ident("ask_gateway")
	b.line("def %s(prompt: str, route: str = %q) -> str:", name, p.r.pick([]string{"completions", "chat", "embeddings"}))
	b.in()
	b.raw(forms[form])
	b.line("")
	if form == 0 {
		b.line("set_gateway_uri(os.environ.get(\"GATEWAY_URI\", \"http://localhost:5000\"))")
		b.line("response = query(route=route, data={\"prompt\": prompt, \"temperature\": %s})", p.r.float(0, 1))
	} else {
		b.line("mlflow.gateway.set_gateway_uri(\"http://localhost:5000\")")
		b.line("client = mlflow.gateway.MlflowGatewayClient()")
		b.line("print([r.name for r in client.search_routes()])")
		b.line("response = mlflow.gateway.query(route, {\"prompt\": prompt})")
	}
	b.line("return response[\"candidates\"][0][\"text\"]")
	b.out()
}

func (p *pyfile) famPyfunc(b *buf) {
	pf := p.flavor("pyfunc")
	cls := p.ident(title(p.subject()) + "Wrapper")
	b.line("class %s(%s.PythonModel):", cls, pf)
	b.in()
	b.line("def load_context(self, context):")
	b.in()
	b.line("self.threshold = float(context.model_config.get(\"threshold\", %s))", p.r.float(0, 1))
	b.out()
	b.line("")
	b.line("def predict(self, context, model_input):")
	b.in()
	b.line("return (model_input.sum(axis=1) > self.threshold).astype(int)")
	b.out()
	b.out()
	b.line("")
	b.line("")
	b.line("def %s():", p.ident("log_"+strings.ToLower(cls)))
	b.in()
	b.line("with %s.start_run():", p.m)
	b.in()
	b.line("%s.log_model(", pf)
	b.in()
	b.line("artifact_path=\"wrapper\",")
	b.line("python_model=%s(),", cls)
	b.line("code_path=[\"src/\", %q],", "src/"+p.subject()+"_features.py")
	if p.r.chance(60) {
		b.line("example_no_conversion=True,")
	}
	b.line("pip_requirements=[\"pandas\", \"scikit-learn\"],")
	b.out()
	b.line(")")
	b.out()
	b.out()
}

func (p *pyfile) famPytorch(b *buf) {
	pt := p.flavor("pytorch")
	p.imp("import torch")
	b.line("def %s(net: torch.nn.Module, loader, epochs: int = %d):", p.ident("fit_torch_"+p.subject()), p.r.between(1, 50))
	b.in()
	b.line("optimizer = torch.optim.Adam(net.parameters(), lr=%s)", p.r.float(0, 1))
	b.line("with %s.start_run():", p.m)
	b.in()
	b.line("for epoch in range(epochs):")
	b.in()
	b.line("for xb, yb in loader:")
	b.in()
	b.line("optimizer.zero_grad()")
	b.line("loss = torch.nn.functional.mse_loss(net(xb), yb)")
	b.line("loss.backward()")
	b.line("optimizer.step()")
	b.out()
	b.line("%s.log_metric(\"train_loss\", loss.item(), step=epoch)", p.m)
	b.out()
	b.line("%s.log_model(net, %q, requirements_file=\"requirements.txt\")", pt, "model")
	b.out()
	b.out()
}

func (p *pyfile) famSignatureDict(b *buf) {
	f := p.flavor("sklearn")
	b.line("def %s(model, X):", p.ident("describe_logged_model"))
	b.in()
	b.line("info = %s.log_model(model, artifact_path=\"model\", input_example=X[:5])", f)
	b.line("schema = info.signature_dict")
	b.line("print(json.dumps(schema, indent=2))")
	b.line("run_id = info.model_uri.split(\"/\")[1]")
	b.line("return run_id, schema")
	b.out()
}

func (p *pyfile) famTensorflow(b *buf) {
	tf := p.flavor("tensorflow")
	b.line("def %s(model, train_ds, val_ds):", p.ident("fit_keras_"+p.subject()))
	b.in()
	if p.r.chance(50) {
		b.line("%s.autolog(every_n_iter=%d, log_models=True)", tf, p.r.between(1, 100))
	} else {
		b.line("%s.autolog(%d)", tf, p.r.between(1, 100))
	}
	b.line("history = model.fit(train_ds, validation_data=val_ds, epochs=%d)", p.r.between(1, 40))
	b.line("return history.history")
	b.out()
}

func (p *pyfile) famGitTags(b *buf) {
	b.line("def %s(run_id: str) -> Dict[str, str]:", p.ident("git_context"))
	b.in()
	b.line("os.environ.setdefault(\"MLFLOW_GCS_DEFAULT_TIMEOUT\", %q)", itoa(p.r.between(30, 600)))
	b.line("run = %s.get_run(run_id)", p.m)
	b.line("branch = run.data.tags.get(\"mlflow.gitBranchName\", \"main\")")
	b.line("repo = run.data.tags.get(\"mlflow.gitRepoURL\")")
	b.line("%s.set_tag(\"mlflow.gitBranchName\", branch)", p.m)
	b.line("return {\"branch\": branch, \"repo\": repo or \"\"}")
	b.out()
}

func (p *pyfile) famStages(b *buf) {
	cl := p.client()
	s := p.subject()
	b.line("def %s(model_name: str = %q):", p.ident("promote_"+s), s+"-model")
	b.in()
	b.line("client = %s()", cl)
	b.line("latest = client.get_latest_versions(model_name, stages=[\"Staging\"])")
	b.line("for mv in latest:")
	b.in()
	b.line("client.transition_model_version_stage(")
	b.in()
	b.line("name=model_name, version=mv.version, stage=\"Production\", archive_existing_versions=True")
	b.out()
	b.line(")")
	b.out()
	b.line("return %s.load_model(f\"models:/{model_name}/Production\")", p.flavor("pyfunc"))
	b.out()
}

// famLookalikes writes code that looks like the breaking patterns but is not
// MLflow's: a linter must stay silent on all of it.
func (p *pyfile) famLookalikes(b *buf) {
	s := p.subject()
	cls := p.ident(title(s) + "Check")
	b.line("class %s:", cls)
	b.in()
	b.line("def __init__(self, threshold: float, higher_is_better: bool = True):")
	b.in()
	b.line("self.threshold = threshold")
	b.line("self.higher_is_better = higher_is_better")
	b.out()
	b.out()
	b.line("")
	b.line("")
	ev := p.ident("evaluate")
	b.line("def %s(model, data, custom_metrics=None, baseline_model=None):", ev)
	b.in()
	b.line("scores = {name: fn(model, data) for name, fn in (custom_metrics or {}).items()}")
	b.line("if baseline_model is not None:")
	b.in()
	b.line("scores[\"baseline\"] = baseline_model.score(data)")
	b.out()
	b.line("return scores")
	b.out()
	b.line("")
	b.line("")
	b.line("def %s(model, data, info):", p.ident("report_"+s))
	b.in()
	b.line("out = %s(model, data, custom_metrics={\"n\": lambda m, d: len(d)})", ev)
	b.line("out[\"run\"] = info.run_uuid")
	b.line("metric = %s(eval_fn=lambda df, _: 0.0, greater_is_better=True, name=%q)", p.makeMetric(), s)
	b.line("%s.log_artifacts(\"outputs\", artifact_path=%q)", p.m, "outputs/"+s)
	b.line("%s.log_model(model, \"h2o_model\")", p.flavor("h2o"))
	b.line("return out, metric, %s(threshold=%s, higher_is_better=True)", cls, p.r.float(0, 1))
	b.out()
}
