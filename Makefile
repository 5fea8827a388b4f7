# Set-up and everyday commands. A fresh machine needs only Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEV := PERMITSAFE_MODE=development

.PHONY: install translations migrate demo run test test-postgres lint format bench messages clean

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
	$(DEV) $(BIN)/python manage.py serve --port $(PORT)

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

# Regenerate the catalogues after changing user-facing strings (needs GNU gettext's xgettext).
messages: install
	$(BIN)/python manage.py makemessages --all --no-obsolete --ignore=.venv --ignore=var --ignore=bench

bench: translations
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var
