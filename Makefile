# The two commands: `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Production-like settings for `make check-deploy` (CI sets its own; nothing here is a real secret).
DEPLOY_ENV := DEBUG=0 TESTING=0 SECURE_SSL=1 ALLOWED_HOSTS=portal.example.ru SITE_URL=https://portal.example.ru \
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')

.PHONY: run test lint format install migrate demo worker beat bench check-deploy check-compose clean

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Нужен $(PYTHON) (Python 3.11)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	@mkdir -p var
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput

demo: migrate
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo > var/demo-logins.tsv
	@echo "Демо-пользователи (роль, логин, пароль, область действия):"
	@cat var/demo-logins.tsv

run: demo
	@echo "Портал: http://$(HOST):$(PORT)/"
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

# SQLite and in-process tasks by default; DATABASE_URL / REDIS_URL switch the same suite to
# PostgreSQL and a real Celery worker (see README.md → Tests).
test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

worker: install
	$(VENV)/bin/celery -A portal worker --loglevel=INFO --concurrency=2

beat: install
	@mkdir -p var
	$(VENV)/bin/celery -A portal beat --loglevel=INFO --schedule var/celerybeat-schedule

# Benchmarks on a synthetic region, against DATABASE_URL and REDIS_URL as in CI (README.md → Benchmarks).
# DEBUG off as in production; TESTING=1 only for the development secret key and plain static storage.
bench: install
	DEBUG=0 TESTING=1 $(PY) manage.py migrate --noinput -v 0
	DEBUG=0 TESTING=1 AXES_ENABLED=0 LOG_LEVEL=WARNING $(PY) manage.py bench $(BENCH_ARGS)

check-deploy: install
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING

check-compose:
	PORTAL_ENV_FILE=.env.example docker-compose --env-file .env.example -f docker-compose.yml config --quiet

clean:
	rm -rf $(VENV) var/db.sqlite3
