# Two commands: `make run` serves the seeded chronology, `make test` runs the whole suite.
# Both work on a fresh machine and never wait for keyboard input.

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test install install-test chromium migrate seed clean

run: install migrate seed
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install-test chromium
	$(PY) -m pytest

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

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

# Browser tests drive Debian's Chromium: Playwright's own browser download
# does not work on these machines.
chromium:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	echo "Chromium is missing: installing Debian's chromium package for the browser tests."; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	else echo "Cannot install Chromium: run 'apt-get install -y chromium' as root, then 'make test' again." >&2; exit 1; fi; \
	export DEBIAN_FRONTEND=noninteractive; \
	$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null \
	  || { echo "Installing Chromium with apt-get failed; install the 'chromium' package by hand." >&2; exit 1; }; \
	test -x "$(CHROMIUM)" || { echo "apt-get ran but $(CHROMIUM) is still missing." >&2; exit 1; }

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
