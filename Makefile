# Every target bootstraps its own virtual environment from the pinned lock files,
# so `make demo` and `make test` work on a fresh machine. requirements.lock is what the CLI and
# the service need (the lean install); requirements-dev.lock adds tests, lint, Spark and the
# browser driver, for the targets that use them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEV_STAMP := $(VENV)/.installed-dev-stamp

.PHONY: venv test demo bench lint clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.lock
	$(BIN)/python -m pip install -q -r requirements-dev.lock
	touch $(DEV_STAMP)

# The SQL store's tests also run on PostgreSQL and the stream's on NATS JetStream: throwaway servers
# are started first and stopped when pytest ends, pass or fail (the trap).
test: $(DEV_STAMP)
	bash scripts/ensure-java.sh
	bash scripts/ensure-chromium.sh
	eval "$$(bash scripts/ensure-postgres.sh start)"; \
	eval "$$(bash scripts/ensure-nats.sh start)"; \
	trap 'bash scripts/ensure-postgres.sh stop "$${JALUR_TEST_PG_DIR:-}"; bash scripts/ensure-nats.sh stop "$${JALUR_TEST_NATS_DIR:-}"' EXIT; \
	$(BIN)/python -m pytest -q

demo: $(STAMP)
	bash demo/run.sh

bench: $(DEV_STAMP)
	bash scripts/ensure-java.sh
	$(BIN)/python -m pip install -q -r requirements-bench.txt
	bash benchmarks/run.sh

lint: $(DEV_STAMP)
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src

clean:
	rm -rf $(VENV) demo-home benchmarks/results
