# newsloom: `make demo` and `make test` are the two commands a newcomer needs.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# torch: pinning the CPU build first keeps pip from pulling multi-GB CUDA wheels on CPU machines.
TORCH  ?= torch==2.13.0

# The suite runs on parallel workers (pytest-xdist; each worker has its own S3 server and
# mirror). WORKERS=0 runs it in this one process; a test file stays on one worker (its module
# fixtures are built once).
WORKERS ?= auto
PYTEST  := $(BIN)/python -m pytest -q -n $(WORKERS) --dist loadfile --durations=25

.PHONY: demo test test-all lint typecheck bench reliability clean s3-down cpu-hog

$(BIN)/newsloom: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH)"
	$(BIN)/python -m pip install --quiet -e ".[pipeline,airflow,dev]"
	touch $@

venv: $(BIN)/newsloom

demo: $(BIN)/newsloom
	$(BIN)/python -m devkit demo

# everything but the slowest end-to-end tests (marked `slow`)
test: $(BIN)/newsloom
	$(PYTEST) -m "not slow"

# every test (CI: .ci/run)
test-all: $(BIN)/newsloom
	$(PYTEST)

# a CPU hog (one busy process per core) beside whatever runs, for the loaded-suite check:
# `make cpu-hog &` then `make test-all` (or `python -m benchmarks.suite --hog --runs 3`)
cpu-hog: $(BIN)/newsloom
	$(BIN)/python -m benchmarks.cpu_hog

# ruff, the import layers, and no Any in the public API's annotations (tests/test_public_api.py)
lint: $(BIN)/newsloom
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_public_api.py

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
