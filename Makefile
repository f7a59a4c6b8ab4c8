# Two commands: `make run` serves the seeded chronology, `make test` runs the whole suite.
# Everything works on a fresh machine and never waits for keyboard input.

PYTHON ?= python3
PORT ?= 8000
HOST ?= 127.0.0.1
VENV := .venv
PY := $(VENV)/bin/python
CHROMIUM ?= /usr/bin/chromium
WORKERS ?= $(shell echo $$(( $$(nproc) * 2 + 1 )))
# gevent workers: each holds up to 1,000 connections, so idle keep-alive connections and clients that send
# slowly wait in it without taking a worker from anyone (a sync worker is one client at a time: five slow
# ones took the site down). A request that computes for more than WORKER_TIMEOUT seconds without ever
# writing gets its worker restarted; a streaming export writes as it goes. A keep-alive connection is one
# greenlet, which keeps its SQLite connection (DJANGO_CONN_MAX_AGE); PostgreSQL's come from a pool.
WORKER_TIMEOUT ?= 120
# PostgreSQL on this machine; the suite makes and drops its own test database.
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/timeline
BENCH_DB ?= sqlite:///$(CURDIR)/bench.sqlite3
BENCH_EVENTS ?= 100000
BENCH_PORT ?= 8089
BENCH_ARGS ?= --out bench-results.json
BENCH_EXPORTS_ARGS ?= --out bench-exports-results.json

# Lighthouse 13 needs Node 22; these machines have Node 20.
LIGHTHOUSE_VERSION ?= 12.8.2
LIGHTHOUSE_PORT ?= 8090
LIGHTHOUSE_DB ?= sqlite:///$(CURDIR)/lighthouse.sqlite3
LIGHTHOUSE_PATHS ?= / /zh-hans/

# Knight Lab's TimelineJS, for the test that renders our /timelinejs.json with it (never served by the site).
TIMELINEJS_VERSION ?= 3.9.11
TIMELINEJS_PACKAGE := .timelinejs/node_modules/@knight-lab/timelinejs/package.json

# The interface in Chinese: the catalogue (.po) is kept in git, its compiled form (.mo) is made here by Babel,
# so serving the site needs no GNU gettext. The tests need gettext's xgettext (they extract every string
# again, to find one left untranslated) and a CJK font (Chromium's screenshots of the Chinese pages).
MO := timeline/locale/zh_Hans/LC_MESSAGES/django.mo
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

.PHONY: run serve test test-fast lint format test-postgres messages gettext cjk-fonts bench bench-admin bench-exports load lighthouse backup restore install install-test chromium wrk migrate seed clean

run: install migrate seed
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production mode behind a TLS-terminating proxy that sets X-Forwarded-Proto.
serve: install .secret_key
	export DJANGO_DEBUG=false DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat .secret_key)}" \
	       DJANGO_CONN_MAX_AGE="$${DJANGO_CONN_MAX_AGE:-60}" DJANGO_DB_POOL="$${DJANGO_DB_POOL:-true}"; \
	$(PY) manage.py check --deploy && \
	$(PY) manage.py collectstatic --noinput -v0 && \
	$(PY) manage.py migrate --noinput && \
	$(PY) manage.py load_seed && \
	exec $(PY) -m gunicorn timeline.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --timeout $(WORKER_TIMEOUT) \
	  --worker-class gevent --worker-connections 1000 --config python:timeline.server.gunicorn --access-logfile -

.secret_key:
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	@echo "Created .secret_key (git-ignored) as DJANGO_SECRET_KEY for 'make serve'."

# The suite on every core (pytest-xdist: each worker its own test database and its own Chromium), with the
# ten slowest tests named at the end so that a slow one is seen. `make test-fast`: all but the browser tests.
TEST_WORKERS ?= $(shell nproc)
PYTEST := $(PY) -m pytest -n $(TEST_WORKERS) --durations=10

test: lint chromium timelinejs gettext cjk-fonts
	$(PYTEST)

test-fast: lint gettext
	$(PYTEST) -m "not browser"

# Unformatted or lint-failing code fails the suite (and CI) before any test runs; `make format` mends it.
lint: install-test
	$(PY) -m ruff format --check .
	$(PY) -m ruff check .

format: install-test
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

test-postgres: install-test chromium timelinejs gettext cjk-fonts
	DATABASE_URL=$(POSTGRES_URL) $(PYTEST) --create-db

# 100,000 synthetic events in their own database, served by `make serve`, loaded with wrk.
bench: install wrk .secret_key
	export DATABASE_URL="$(BENCH_DB)"; \
	$(PY) manage.py migrate --noinput -v0 && $(PY) manage.py load_seed -v0 && \
	$(PY) manage.py generate_events --clear --count $(BENCH_EVENTS) --seed 1 || exit 1; \
	setsid $(MAKE) --no-print-directory serve PORT=$(BENCH_PORT) > bench-server.log 2>&1 & server=$$!; \
	trap 'kill -- -'$$server' 2>/dev/null' EXIT; \
	for i in $$(seq 1 120); do curl -fsS -o /dev/null -H 'X-Forwarded-Proto: https' http://127.0.0.1:$(BENCH_PORT)/ && break; sleep 1; done; \
	curl -fsS -o /dev/null -H 'X-Forwarded-Proto: https' http://127.0.0.1:$(BENCH_PORT)/ || { echo "The server did not start: see bench-server.log."; exit 1; }; \
	DATABASE_URL="$(BENCH_DB)" DJANGO_DEBUG=false DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat .secret_key)}" \
	  $(PY) manage.py bench --url http://127.0.0.1:$(BENCH_PORT) $(BENCH_ARGS)

# The editors' admin on the same 100,000 events: list, searches, filters and a change form, in ms and queries.
bench-admin: install
	export DATABASE_URL="$(BENCH_DB)"; \
	$(PY) manage.py migrate --noinput -v0 && $(PY) manage.py load_seed -v0 && \
	$(PY) manage.py generate_events --clear --count $(BENCH_EVENTS) --seed 1 && \
	$(PY) manage.py bench_admin

# Every export (CSV, iCalendar, TimelineJS, the feed, /events.json) of the same 100,000 events, whole and filtered:
# first byte, rows/s and peak memory, each request in a fresh process.
bench-exports: install
	export DATABASE_URL="$(BENCH_DB)"; \
	$(PY) manage.py migrate --noinput -v0 && $(PY) manage.py load_seed -v0 && \
	$(PY) manage.py generate_events --clear --count $(BENCH_EVENTS) --seed 1 && \
	$(PY) manage.py bench_exports $(BENCH_EXPORTS_ARGS)

# 60 s of wrk at 32 connections over a mix of public pages, on the bench's 100,000 events.
load:
	@$(MAKE) --no-print-directory bench BENCH_ARGS="--load 60 --connections 32 --out load-results.json"

# Lighthouse's performance and accessibility scores for / on `make serve` (the seed), as a phone and as a
# desktop; the reports go to lighthouse-mobile.json and lighthouse-desktop.json.
lighthouse: install chromium .secret_key
	@test -x .lighthouse/node_modules/.bin/lighthouse || \
	  npm install --prefix .lighthouse --no-audit --no-fund --loglevel=error lighthouse@$(LIGHTHOUSE_VERSION)
	export DATABASE_URL="$(LIGHTHOUSE_DB)"; \
	setsid $(MAKE) --no-print-directory serve PORT=$(LIGHTHOUSE_PORT) > lighthouse-server.log 2>&1 & server=$$!; \
	trap 'kill -- -'$$server' 2>/dev/null' EXIT; \
	for i in $$(seq 1 120); do curl -fs -o /dev/null -H 'X-Forwarded-Proto: https' http://127.0.0.1:$(LIGHTHOUSE_PORT)/ && break; sleep 1; done; \
	for path in $(LIGHTHOUSE_PATHS); do for preset in mobile desktop; do \
	  out=lighthouse-$$preset$$(echo $$path | tr -d / | sed 's/^./-&/').json; \
	  CHROME_PATH=$(CHROMIUM) .lighthouse/node_modules/.bin/lighthouse http://127.0.0.1:$(LIGHTHOUSE_PORT)$$path --quiet \
	    --only-categories=performance,accessibility --extra-headers='{"X-Forwarded-Proto": "https"}' \
	    $$([ $$preset = desktop ] && echo --preset=desktop) --output=json --output-path=$$out \
	    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run --disable-quic" \
	  || exit 1; \
	  $(PY) -c "import json, sys; r = json.load(open(sys.argv[1])); a = r['audits']; \
	    print(sys.argv[2], *(f\"{c['title']} {round(c['score'] * 100)}\" for c in r['categories'].values()), \
	          *(f\"{a[k]['title']} {a[k]['displayValue']}\" for k in ('first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'total-byte-weight')), sep=' | ')" \
	    $$out "$$path $$preset"; \
	done; done

# A complete dump (events, people, sources, users, groups...): content types and
# permissions are remade by migrate. Restore into a migrated, empty database.
# Owner-only (0600 files in a 0700 folder): a dump holds the editors' password hashes.
BACKUP_DIR ?= backups
backup: install
	umask 077 && mkdir -p $(BACKUP_DIR) && chmod 700 $(BACKUP_DIR) && \
	$(PY) manage.py dumpdata --natural-foreign --natural-primary --exclude contenttypes --exclude auth.permission \
	  --exclude sessions --exclude admin.logentry --exclude axes -o $(BACKUP_DIR)/timeline-$$(date -u +%Y%m%dT%H%M%SZ).json.gz
	@ls -1t $(BACKUP_DIR)/*.json.gz | head -1

restore: install
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/timeline-....json.gz" >&2; exit 1; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddata "$(FILE)"

install: $(VENV)/.installed $(MO)
install-test: $(VENV)/.installed-test $(MO)

$(MO): $(MO:.mo=.po) $(VENV)/.installed
	$(VENV)/bin/pybabel compile --statistics -d timeline/locale -D django

# After changing a translatable string: gather every string again into the catalogue, then translate the new
# ones (msgstr "") in timeline/locale/zh_Hans/LC_MESSAGES/django.po.
messages: install gettext
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --no-location -i ".venv/*" -i "tests/*" \
	  -i "staticfiles/*" -i ".lighthouse/*" -i ".timelinejs/*"

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

migrate: install
	$(PY) manage.py migrate --noinput

seed: install
	$(PY) manage.py load_seed

# TimelineJS at the pinned version in .timelinejs/ (git-ignored), for tests/exports/test_timelinejs.py.
.PHONY: timelinejs
timelinejs:
	@node -e "process.exit(require('./$(TIMELINEJS_PACKAGE)').version === '$(TIMELINEJS_VERSION)' ? 0 : 1)" 2>/dev/null || \
	  npm install --prefix .timelinejs --no-audit --no-fund --loglevel=error @knight-lab/timelinejs@$(TIMELINEJS_VERSION)

# Debian packages the tests and the benchmark need: Playwright's own browser
# download does not work on these machines, so the browser comes from Debian.
chromium:
	@$(MAKE) --no-print-directory apt-package PACKAGE=chromium BINARY=$(CHROMIUM)

gettext:
	@$(MAKE) --no-print-directory apt-package PACKAGE=gettext BINARY=/usr/bin/xgettext

cjk-fonts:
	@$(MAKE) --no-print-directory apt-package PACKAGE=fonts-noto-cjk BINARY=$(CJK_FONT)

wrk:
	@$(MAKE) --no-print-directory apt-package PACKAGE=wrk BINARY=/usr/bin/wrk

apt-package:
	@if [ -e "$(BINARY)" ]; then exit 0; fi; \
	echo "$(PACKAGE) is missing: installing Debian's $(PACKAGE) package."; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	else echo "Cannot install $(PACKAGE): run 'apt-get install -y $(PACKAGE)' as root, then try again." >&2; exit 1; fi; \
	export DEBIAN_FRONTEND=noninteractive; \
	$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $(PACKAGE) >/dev/null \
	  || { echo "Installing $(PACKAGE) with apt-get failed; install it by hand." >&2; exit 1; }; \
	test -e "$(BINARY)" || { echo "apt-get ran but $(BINARY) is still missing." >&2; exit 1; }

clean:
	rm -rf $(VENV) staticfiles .pytest_cache bench.sqlite3* bench-server.log .lighthouse lighthouse*.json \
	  lighthouse.sqlite3* lighthouse-server.log .timelinejs
