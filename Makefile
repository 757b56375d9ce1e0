# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TS := resources/translations/romah_ar.ts
QM := resources/translations/romah_ar.qm

.PHONY: run test lint typecheck pytest bench bench-load bench-console bench-sync-stateful bundle translations clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

# The window's Arabic catalogue is compiled here, not committed.
$(QM): $(TS) $(STAMP)
	$(BIN)/pyside6-lrelease -silent $(TS) -qm $(QM)

run: $(STAMP) $(QM)
	$(BIN)/romah

# After adding tr() strings: refresh the catalogue, then translate the new entries.
translations: $(STAMP)
	$(BIN)/pyside6-lupdate $$(find ui -name '*.py' | sort) -locations none -no-obsolete \
		-source-language en -target-language ar -ts $(TS)

lint: $(STAMP)
	$(BIN)/ruff check romah_desktop db sync ui tests bench
	$(BIN)/ruff format --check romah_desktop db sync ui tests bench
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

# Two processes by default (CI has two cores); each test file runs whole in one of them.
PYTEST_WORKERS ?= 2

pytest: $(STAMP) $(QM)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test: lint typecheck pytest

# BENCH_ARGS=--record appends the results to bench/RESULTS.md (both benchmarks take it).
bench: $(STAMP) $(QM)
	$(BIN)/python -m bench $(BENCH_ARGS)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.registry_bench $(BENCH_ARGS)
	$(BIN)/python -m bench.cold_start
	$(BIN)/python -m bench.print_bench $(BENCH_ARGS)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.reports_bench $(BENCH_ARGS)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.encryption_bench $(BENCH_ARGS)
	$(BIN)/python -m bench.sync_bench $(BENCH_ARGS)
	$(MAKE) bench-load
	$(MAKE) bench-console

# Ten branches of five laptops syncing at once, HQ on PostgreSQL: one app server, then two.
bench-load: $(STAMP)
	$(BIN)/python -m bench.load_bench $(BENCH_ARGS)

# HQ's console pages over 200,000 people on PostgreSQL (127.0.0.1:5432, database `test`).
bench-console: $(STAMP)
	$(BIN)/python -m bench.console_bench $(BENCH_ARGS)

# A longer run of the sync state machine than the tests' 200 examples.
bench-sync-stateful: $(STAMP)
	$(BIN)/python -m bench.sync_stateful

# A PyInstaller bundle of the app, then a headless self-check of what was built.
bundle: $(STAMP) $(QM)
	$(BIN)/python -m pip install --quiet -c constraints.txt pyinstaller
	$(BIN)/pyinstaller --noconfirm --clean build.spec
	QT_QPA_PLATFORM=offscreen dist/romah/romah self-check

clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .ruff_cache .pytest_cache
