# Set-up and everyday commands. A fresh machine needs only Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The inbound SMTP receivers `make run` starts (0: a free port, printed at start).
REPORTS_SMTP_PORT ?= 0
PLAIN_EMAIL_SMTP_PORT ?= 0
DEV := PERMITSAFE_MODE=development

.PHONY: install translations migrate demo run cluster test test-postgres lint format bench messages clean accessibility-coverage

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

install: $(VENV)/.installed

translations: install
	$(DEV) $(BIN)/python manage.py compile_translations

migrate: install
	$(DEV) $(BIN)/python manage.py migrate --no-input

demo: migrate
	$(DEV) $(BIN)/python manage.py load_demo_data

run: translations demo
	$(DEV) $(BIN)/python manage.py serve --port $(PORT) \
		--reports-port $(REPORTS_SMTP_PORT) --plain-email-port $(PLAIN_EMAIL_SMTP_PORT)

# The production topology on this machine: PostgreSQL, SeaweedFS (S3), clamd, gunicorn and task
# workers in production settings (README: "Production topology on one machine").
WEB ?= 2
THREADS ?= 4
WORKERS ?= 2
CLUSTER_PORT ?= 8080
STORAGE ?= s3
CLUSTER_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/permitsafe_cluster
CLUSTER_OPTIONS ?=

cluster: install
	$(BIN)/python -m deploy.cluster --web $(WEB) --threads $(THREADS) --workers $(WORKERS) \
		--port $(CLUSTER_PORT) \
		--storage $(STORAGE) --database-url $(CLUSTER_DATABASE_URL) $(CLUSTER_OPTIONS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: translations lint
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

test-postgres: translations
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest -n 2 --dist loadfile -q

# The browser tests (Chromium + axe-core), then the list of the pages they checked and what axe
# found: docs/accessibility-coverage.md.
accessibility-coverage: translations
	mkdir -p var && rm -f var/axe-report.jsonl
	# The list is written even when a test fails (it then names the violations); make still fails.
	AXE_REPORT=var/axe-report.jsonl $(BIN)/python -m pytest -q -p no:cacheprovider tests/accessibility; \
	status=$$?; \
	$(BIN)/python -m tests.accessibility.coverage var/axe-report.jsonl > var/accessibility-coverage.md \
	&& mv var/accessibility-coverage.md docs/accessibility-coverage.md; \
	exit $$status

# Regenerate the catalogues after changing user-facing strings (needs GNU gettext's xgettext).
messages: install
	$(BIN)/python manage.py makemessages --all --no-obsolete --ignore=.venv --ignore=var --ignore=bench

bench: translations
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var
