# mlflowlint developer targets. `make test` is what CI runs (.ci/run).
GO ?= go
BIN := bin/mlflowlint
# A release build names its version (make build VERSION=0.2.0); without it
# the binary reports the version being prepared, marked -dev.
VERSION ?=
LDFLAGS := $(if $(VERSION),-X main.version=$(VERSION))
FUZZTIME ?= 15s

.PHONY: build test unit race lint fuzz bench bench-go pgo clean apidb apidb-check wheel dist-test oracle oracle-quick oracle-unit

# The MLflow API data (apidb/mlflow.api) is generated from MLflow's wheels by
# apidb/gen in a virtual environment of its own under the cache directory.
APIDB_CACHE ?= $(HOME)/.cache/mlflowlint-apidb
APIDB_PY := $(APIDB_CACHE)/venv/bin/python
# The releases CI regenerates and compares with the data: the source
# release most projects start from and the newest one.
APIDB_CHECK ?= 2.9.2 3.18.0

# On Linux the build links tree-sitter's C runtime with link-time
# optimisation: the binding compiles the runtime as a dozen C files, and
# the parser's calls into the lexer, the parse table and the stack cross
# them on every token (about 5% of a run's CPU over MLflow's sources; see
# bench/README.md). Elsewhere, and through `go build` or `go install`, the
# C code is compiled as cgo does by default, and the binary's output is the
# same. python/hatch_build.py gives the Linux wheels the same flags.
ifeq ($(shell uname -s),Linux)
RELEASE_CFLAGS ?= -O2 -g -flto=auto -ffat-lto-objects
RELEASE_LDFLAGS ?= -linkmode=external -extldflags=-flto=auto
endif

build:
	CGO_CFLAGS="$(or $(RELEASE_CFLAGS),$(shell $(GO) env CGO_CFLAGS))" $(GO) build -ldflags "$(LDFLAGS) $(RELEASE_LDFLAGS)" -o $(BIN) ./cmd/mlflowlint

# The whole suite: static checks, every test under the race detector, each
# fuzz target for a bounded time, the API data against MLflow's wheels, the
# Python distribution, and the oracle on MLflow 2.9.2 and 3.17.2.
test: lint race fuzz apidb-check dist-test oracle-quick

unit:
	$(GO) test ./...

race:
	$(GO) test -race -count=1 ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt -l lists:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	@$(GO) mod tidy -diff >/dev/null 2>&1 || { echo "go mod tidy would change go.mod/go.sum:"; $(GO) mod tidy -diff; exit 1; }

# Each fuzz target runs for FUZZTIME; run longer by hand with
# make fuzz FUZZTIME=10m.
fuzz:
	GO=$(GO) FUZZTIME=$(FUZZTIME) sh scripts/fuzz.sh

bench: build
	MLFLOWLINT=$(BIN) bash bench/run.sh

# cmd/mlflowlint/default.pgo, the profile `go build` optimises the binary
# with, from runs over the benchmark corpus (bench/pgo.sh).
pgo:
	GO=$(GO) bash bench/pgo.sh

# Go benchmarks of issue 7: parse and flat tree (parser), name resolution,
# rule families, text rules, fix merge and the whole driver (rules), the
# default migration's trigger words from apidb/mlflow.triggers or computed (apidb).
BENCHTIME ?= 1s
bench-go:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./parser ./rules ./apidb

# The Python distribution (python/): the sdist, then the platform wheel
# built from it, into dist/; auditwheel checks the manylinux tag.
wheel:
	bash python/dist.sh wheel

# The wheel installed with pip into a fresh venv and run with no Go on PATH;
# the python and golang pre-commit hooks installed by pre-commit 4; the
# GitHub workflows and action.yml against GitHub's schemas.
dist-test: wheel
	bash python/dist.sh test-wheel
	bash python/dist.sh test-hooks
	bash python/dist.sh check-workflows

clean:
	rm -rf bin dist

$(APIDB_PY): apidb/gen/requirements.txt
	python3 -m venv $(APIDB_CACHE)/venv
	$(APIDB_PY) -m pip install -q --require-hashes -r apidb/gen/requirements.txt
	touch $(APIDB_PY)

# Regenerate the data from every release in apidb/inputs.txt: the Python API
# (mlflow.api), the server routes and wheel metadata (mlflow.meta.gz), the
# CLI and environment variables (mlflow.cli.gz), then what is derived from
# them (apidb/mlflow.triggers, apidb/mlflow.envs).
apidb: $(APIDB_PY)
	MLFLOWLINT_APIDB_CACHE=$(APIDB_CACHE) $(APIDB_PY) apidb/gen/generate.py
	MLFLOWLINT_APIDB_CACHE=$(APIDB_CACHE) $(APIDB_PY) apidb/gen/meta.py
	MLFLOWLINT_APIDB_CACHE=$(APIDB_CACHE) $(APIDB_PY) apidb/gen/generate_cli.py
	$(GO) test ./apidb -run TestDerivedFilesFresh -update-derived

# Extract APIDB_CHECK afresh from their wheels and fail on any difference
# from the committed data (a hand edit, or a generator change not rerun).
apidb-check: $(APIDB_PY)
	MLFLOWLINT_APIDB_CACHE=$(APIDB_CACHE) $(APIDB_PY) apidb/gen/generate.py --check $(APIDB_CHECK)
	MLFLOWLINT_APIDB_CACHE=$(APIDB_CACHE) $(APIDB_PY) apidb/gen/meta.py --check $(APIDB_CHECK)
	MLFLOWLINT_APIDB_CACHE=$(APIDB_CACHE) $(APIDB_PY) apidb/gen/generate_cli.py --check $(APIDB_CHECK)

# Every rule's claim (oracle/claims/MLFnnn.toml) and samples of the API data
# checked against MLflow releases installed from PyPI into virtual
# environments under ORACLE_CACHE (oracle/run.py; oracle/README.md).
# ORACLE_N removed names and ORACLE_N removed parameters per version pair.
ORACLE_CACHE ?= $(HOME)/.cache/mlflowlint-oracle
ORACLE_N ?= 25
ORACLE_ARGS ?=
oracle: oracle-unit
	ORACLE_CACHE=$(ORACLE_CACHE) python3 oracle/run.py -n $(ORACLE_N) $(ORACLE_ARGS)

# run.py's claims reading and judging, without MLflow.
oracle-unit:
	python3 -m unittest oracle/test_run.py

# What CI runs: the claims and samples that mlflow 2.9.2 and 3.17.2 can
# answer (two installs); claims about other releases are left to `make oracle`.
oracle-quick: oracle-unit
	ORACLE_CACHE=$(ORACLE_CACHE) python3 oracle/run.py --quick -n $(ORACLE_N) $(ORACLE_ARGS)
