# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1
export MPLBACKEND ?= Agg

.PHONY: demo test lint bench docs worlds fuzz clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python pyproject.toml
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/bin/python pyproject.toml
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(VENV)/bin/impacteval demo

# two test processes (pytest-xdist): the suite's target is under 10 minutes on 2 cores
test: $(VENV)/.installed-test
	$(PY) -m pytest -q -n 2

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check impacteval tests benchmarks

docs: $(VENV)/.installed-test
	$(PY) docs/build.py

bench: $(VENV)/.installed-test
	$(PY) -m pip install --quiet -e ".[test,bench]"
	$(PY) benchmarks/run_all.py
	$(PY) benchmarks/staggered_speed.py
	$(PY) benchmarks/permutation_speed.py
	$(PY) benchmarks/scaling.py --repeat 3
	$(PY) benchmarks/dask_did.py --units 3000000 --worker-mb 512 --ladder

worlds: $(VENV)/.installed-test
	$(PY) benchmarks/worlds.py --runs 40

fuzz: $(VENV)/.installed-test
	IMPACTEVAL_FUZZ_EXAMPLES=500 IMPACTEVAL_FUZZ_N=1200 $(PY) -m pytest -q tests/test_fuzz_api.py tests/test_cli_fuzz.py

clean:
	rm -rf $(VENV) build *.egg-info
