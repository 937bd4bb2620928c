# Two commands set everything up from a fresh clone: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.lock-$(shell sha256sum requirements.lock | cut -c1-16)
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run test lint prod-check bench setup db db-stop browser-deps migrate demo lock messages clean-var

$(STAMP): requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing locked dependencies into $(VENV)"
	@$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	@rm -f $(VENV)/.lock-* && touch $@

setup: $(STAMP) db migrate

db:
	@scripts/postgres.sh start

db-stop:
	@scripts/postgres.sh stop

migrate: $(STAMP) db
	@$(PY) manage.py migrate_all

demo: setup
	@$(PY) manage.py seed_demo

# scripts/run.sh starts PostgreSQL itself, so that Ctrl-C can stop it again if it started it.
run: $(STAMP)
	@scripts/run.sh

browser-deps:
	@scripts/browser-deps.sh

# The suite runs in one worker per CPU (pytest-xdist, each worker with its own test database);
# TEST_WORKERS=0 runs it in this process. Browser tests commit a county of their own, so they run
# apart afterwards, in one process and their own test database.
TEST_WORKERS ?= auto
test: $(STAMP) db browser-deps
	@DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)
	@DJANGO_SETTINGS_MODULE=config.settings.test TEST_DB_SUFFIX=$${TEST_DB_SUFFIX}_browser $(VENV)/bin/pytest -m browser $(PYTEST_ARGS) \
		|| [ $$? -eq 5 ]  # 5: PYTEST_ARGS chose no browser test

# The browser journeys again, writing their screenshots over the user guide's (docs/guide/images/).
.PHONY: guide
guide: $(STAMP) db browser-deps
	@DJANGO_SETTINGS_MODULE=config.settings.test TEST_DB_SUFFIX=$${TEST_DB_SUFFIX}_browser UPDATE_GUIDE=1 \
		$(VENV)/bin/pytest -m browser tests/browser $(PYTEST_ARGS)

lint: $(STAMP)
	@$(VENV)/bin/ruff check .

# Django's deployment checks on the production settings, with placeholder secrets; any warning fails.
prod-check: $(STAMP)
	@DJANGO_SETTINGS_MODULE=config.settings.production BASE_DOMAIN=example.org \
		SECRET_KEY=prod-check-placeholder-7Hq2vR9xKm4Lw8Zp3Nc6Tb1Yf5Gd0Js \
		DATABASE_URL=postgres://xianfeng@127.0.0.1:5432/xianfeng \
		$(PY) manage.py check --deploy --fail-level WARNING

# Every benchmark against its limit, at county scale, in a database of its own (xianfeng_bench) with
# a generated county kept between runs (bench/README.md); e.g. BENCH_ARGS="--only scoring,dues --reps 1".
bench: $(STAMP) db
	@DJANGO_SETTINGS_MODULE=bench.settings $(PY) -m bench.run $(BENCH_ARGS)

# 20 users on the inbox, the people list and task completion for 5 minutes, on loopback, in a
# database of its own (bench/load.py); e.g. LOAD_ARGS="--duration 60" for a shorter run.
.PHONY: load
load: $(STAMP) db
	@$(PY) -m bench.load $(LOAD_ARGS)

# Refresh the lock file after editing requirements.in.
lock: $(STAMP)
	@$(PY) -m pip install --quiet uv
	@$(VENV)/bin/uv pip compile --quiet --python-version 3.11 --generate-hashes requirements.in -o requirements.lock

messages: $(STAMP)
	@$(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=.var
