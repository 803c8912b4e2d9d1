# newsloom: `make demo` and `make test` are the two commands a newcomer needs.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# torch: pinning the CPU build first keeps pip from pulling multi-GB CUDA wheels on CPU machines.
TORCH  ?= torch==2.13.0

.PHONY: demo test test-fast lint typecheck bench reliability clean s3-down

$(BIN)/newsloom: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH)"
	$(BIN)/python -m pip install --quiet -e ".[airflow,dev]"
	touch $@

venv: $(BIN)/newsloom

demo: $(BIN)/newsloom
	$(BIN)/python -m devkit demo

test: $(BIN)/newsloom
	$(BIN)/python -m pytest -q --durations=25

test-fast: $(BIN)/newsloom
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(BIN)/newsloom
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(BIN)/newsloom
	$(BIN)/mypy processing crawlers dags devkit

bench: $(BIN)/newsloom
	$(BIN)/python -m benchmarks.extraction
	$(BIN)/python -m benchmarks.translation
	$(BIN)/python -m benchmarks.report
	$(BIN)/python -m benchmarks.backfill --polite

# docs/RELIABILITY.md from what the fault tests observe (tests/reliability.py)
reliability: $(BIN)/newsloom
	rm -f .newsloom/reliability.jsonl
	$(BIN)/python -m pytest -q -m reliability
	$(BIN)/python -m tests.reliability

s3-down: $(BIN)/newsloom
	$(BIN)/newsloom s3 down

clean:
	-$(BIN)/newsloom s3 down
	rm -rf $(VENV) .newsloom
