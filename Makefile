# SI-LKKS: `make run` serves the demo, `make test` runs the whole suite.
# Each target does its own set-up (virtual environment, packages, translations).
# Packages come from the lock files, every one pinned with its hashes (make lock).
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
# Source-only packages are built with setuptools<81 (constraints.txt).
PIP_INSTALL := $(BIN)/python -m pip install --quiet --build-constraint constraints.txt
# Both locks are resolved for Python 3.12 on Linux; the runtime one within the dev one,
# so that they never pin two versions of one package. LOCK_ARGS=--upgrade (or
# --upgrade-package NAME) moves pins forward; without it they stay where they are.
UV_COMPILE := $(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes \
	--python-version 3.12 --python-platform linux --custom-compile-command "make lock"
LOCK_ARGS ?=

.PHONY: run test e2e bench lint format lock messages translations check-gettext clean

run: export DJANGO_DEBUG ?= true
run: $(VENV)/.installed translations
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	@echo
	@echo "SI-LKKS demo at http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "Logins, all with password 'demo':"
	@echo "  admin             superuser (Django admin)"
	@echo "  staf-kampar       staff of LKKS Kampar     staf-sleman     staff of LKKS Sleman"
	@echo "  pejabat-kampar    official of Kampar       pejabat-sleman  official of Sleman"
	@echo "  pejabat-provinsi  official of both bodies"
	@echo "  lks-alghifari     Al Ghifari Turi (Sleman) in the LKS portal, /portal/"
	@echo "  lks-kampar        an accredited Kampar LKS in the LKS portal"
	@echo "The worker (manage.py jobs_worker) runs exports, imports and PDFs beside the server;"
	@echo "Ctrl+C stops both."
	@echo
	@# The worker in the background, stopped with the server however it ends. It is not
	@# reloaded on code changes: restart make run after changing a task.
	$(MANAGE) jobs_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

test: $(VENV)/.installed-dev translations
	$(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

# End-to-end tests in Debian's Chromium (no browser download); screenshots of failures
# are kept in test-results/.
e2e: $(VENV)/.installed-dev translations
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; } || { echo "Chromium is missing: apt-get install chromium" >&2; exit 1; }
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -m e2e tests/e2e --screenshot only-on-failure --output test-results $(PYTEST_ARGS)

# Benchmarks on the local PostgreSQL at three scales; writes docs/benchmarks.md.
bench: $(VENV)/.installed-dev translations
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; } || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
	$(BIN)/python bench/run.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_DEBUG=true $(MANAGE) makemigrations --check --dry-run

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

$(BIN)/python:
	@python=$$(scripts/find-python) && echo "Creating $(VENV) with $$python" && "$$python" -m venv $(VENV)

# The locked packages with their hashes, then the project itself without resolving again.
$(VENV)/.installed: pyproject.toml constraints.txt $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(PIP_INSTALL) --require-hashes -r $(LOCK)
	$(PIP_INSTALL) --no-deps -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed $(DEV_LOCK)
	$(PIP_INSTALL) --require-hashes -r $(DEV_LOCK)
	@touch $@

# Refresh the lock files after changing the dependencies in pyproject.toml.
lock: $(VENV)/.installed-dev
	$(UV_COMPILE) --extra dev $(LOCK_ARGS) -o $(DEV_LOCK)
	$(UV_COMPILE) -c $(DEV_LOCK) -o $(LOCK)

# Compiled translations (.mo) are built here, not committed.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
translations: $(MO_FILES)

%.mo: %.po | check-gettext
	msgfmt --check-format -o $@ $<

check-gettext:
	@command -v msgfmt >/dev/null || { echo "msgfmt is missing: install gettext (apt-get install gettext)." >&2; exit 1; }

# Refresh the .po files after changing strings in code or templates.
messages: $(VENV)/.installed check-gettext
	DJANGO_DEBUG=true $(MANAGE) makemessages --locale id --no-obsolete --no-location --ignore '.venv/*' --ignore 'tests/*'

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
