# Two commands matter: `make run` (the site on SQLite with demo data) and `make test` (the suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: install run test test-fast lint format messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the pins change.
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

install: $(VENV)/.installed

run: install
	mkdir -p var/static var/media
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference
	$(BIN)/python manage.py seed_demo
	DEBUG=true $(BIN)/python manage.py runserver $(HOST)

# The whole suite on the database DATABASE_URL names (SQLite by default): two workers, then the tests that
# start real Celery workers on Redis, alone, so nothing else competes for their queue or their time limits.
test: install
	mkdir -p var
	$(BIN)/pytest -n 2 --dist loadgroup -m "not integration"
	$(BIN)/pytest -m integration -p no:randomly

test-fast: install
	$(BIN)/pytest -n 2 -m "not browser and not integration"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-extract and compile the Persian translations (needs gettext).
messages: install
	$(BIN)/python manage.py makemessages -l fa --no-obsolete --ignore=.venv --ignore=var
	$(BIN)/python manage.py compilemessages -l fa --ignore=.venv

# Benchmarks print figures against a floor measured in the same run (PostgreSQL at 127.0.0.1:5432, Redis).
bench: install
	$(BIN)/python bench/catalogue_search.py --quick
	$(BIN)/python bench/import_opportunities.py
	$(BIN)/python bench/finance_appraisal.py
	$(BIN)/python bench/inquiries_pipeline.py
	$(BIN)/python bench/webhooks_fanout.py

clean:
	rm -rf $(VENV) var/*.sqlite3* var/test-*
