# The two commands: `make run` and `make test`. Both build .venv from nothing.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: run test catalogs catalogs-update bench lint clean

$(VENV)/.run-installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.run-installed

# Compile the gettext catalogs (.po are committed, .mo are build output).
catalogs: $(VENV)/.run-installed
	$(VENV)/bin/pybabel -q compile -d locales -D messages

run: $(VENV)/.run-installed catalogs
	$(PY) bot.py

test: $(VENV)/.test-installed catalogs
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

# Accuracy, latency and memory figures quoted in README.md.
bench: $(VENV)/.test-installed
	$(PY) bench/accuracy_table.py
	$(PY) bench/bench_matcher.py
	$(PY) bench/bench_pipeline.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# Re-extract the strings from the code and merge them into both catalogs (then translate the new ones).
catalogs-update: $(VENV)/.run-installed
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k _ -k ngettext:1,2 --sort-output --no-location \
	    --project Puente -o locales/messages.pot conversation handlers desk faq storage bot.py
	$(VENV)/bin/pybabel -q update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching
