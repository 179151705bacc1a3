# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step of those.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# `make run` serves with DEBUG off, so it needs a secret key: generated once into an ignored file (a deployment
# that sets DJANGO_SECRET_KEY, e.g. for `make backup` on the server, keeps its own).
RUN_ENV = DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat var/secret_key)}" DJANGO_DEBUG=0

.PHONY: install run test lint check audit messages browser-deps ocr-deps bench-deps backup restore bench loadtest clean

install: $(STAMP) var/secret_key

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

var/secret_key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
	chmod 600 var/secret_key

run: install ocr-deps
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py load_demo
	$(RUN_ENV) $(PY) manage.py load_demo_reports
	$(RUN_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(RUN_ENV) $(PY) manage.py ensure_demo_staff
	@echo "Serving http://127.0.0.1:$(PORT)/  (staff sign-in: http://127.0.0.1:$(PORT)/admin/)  Ctrl-C stops it."
	$(RUN_ENV) exec $(VENV)/bin/gunicorn portal.wsgi:application --config gunicorn.conf.py --bind 127.0.0.1:$(PORT) \
		--workers 2 --access-logfile - --forwarded-allow-ips=""

# Browser tests need Debian's Chromium and a Chinese font (the print test reads the printed PDF back); install them
# when we can (root with apt-get), else say the browser tests are skipped.
browser-deps:
	@if [ -x /usr/bin/chromium ] && fc-list :lang=zh 2>/dev/null | grep -q .; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium and fonts-noto-cjk for the browser tests..."; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
		|| echo "Could not install chromium: the browser tests will be skipped."; \
	else echo "No /usr/bin/chromium or Chinese font and no way to install them: the browser tests will be skipped."; fi

# The privacy scan reads scanned PDF pages and images with Debian's Tesseract and its Simplified Chinese model
# (disclosures/privacy scan, core/textextract.py); without them such pages count as not scanned. Installed like
# Chromium above: when we can (root with apt-get), else say so.
ocr-deps:
	@if command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx chi_sim; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's tesseract-ocr and tesseract-ocr-chi-sim for the privacy scan..."; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-osd fonts-noto-cjk >/dev/null) \
		|| echo "Could not install tesseract: scanned pages will count as not scanned and the OCR tests will be skipped."; \
	else echo "No tesseract with chi_sim and no way to install it: scanned pages will count as not scanned."; fi

# The demo accounts' browser tests (tests/browser/test_demo_roles.py) run in a process of their own: after the rest
# of the suite in one process they find 我的待办 empty (state one of the earlier tests leaves; not yet found), while
# on their own they pass on both databases.
test: install browser-deps ocr-deps
	$(PY) -m pytest --ignore=tests/browser/test_demo_roles.py
	$(PY) -m pytest tests/browser/test_demo_roles.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

check: install
	DJANGO_SETTINGS_MODULE=portal.settings_test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=portal.settings_test $(PY) manage.py makemigrations --check --dry-run

# Known vulnerabilities in the installed packages (pip-audit): fails on any; see scripts/audit.py.
audit: install
	$(PY) scripts/audit.py

# Seed BENCH_ITEMS (default 100000) items, load every page with wrk on SQLite and PostgreSQL (when it answers),
# then the cold walk (thousands of distinct URLs per kind, page cache on) at BENCH_COLD_SIZES (10000,100000);
# write bench/results/latest.json and print a table. wrk is Debian's package, installed here as Chromium is for
# the browser tests. See bench/run.py.
bench-deps:
	@if command -v wrk >/dev/null; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's wrk for the benchmark..."; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null) \
		|| { echo "Could not install wrk: the benchmark needs it."; exit 1; }; \
	else echo "wrk is needed and cannot be installed here (not root, or no apt-get)."; exit 1; fi

bench: install bench-deps
	$(PY) bench/run.py

# 50 visitors browsing and searching and 5 people filing applications for LOADTEST_SECONDS (60) against the server
# `make run` starts, set up in a temporary folder (not var/), on SQLite and on PostgreSQL (LOADTEST_PG_URL, database
# LOADTEST_PG_DB, created and dropped; skipped when it does not answer). Writes loadtest/results/latest.json and
# prints a table; fails on any error or on an application not stored exactly once. See loadtest/run.py.
loadtest: install
	$(PY) loadtest/run.py

# Refresh the message catalogues after changing user-facing strings (needs gettext).
messages: install
	DJANGO_DEBUG=1 $(PY) manage.py makemessages --locale zh_Hans --locale en --ignore ".venv/*" --ignore "var/*" --no-obsolete
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages --ignore ".venv/*"

# Back up the database and uploaded files into var/backups/<time>/ (BACKUP_DIR=... for elsewhere);
# restore one with `make restore BACKUP=var/backups/<time>`. Uses the same settings as `make run`.
backup: install
	$(RUN_ENV) $(PY) manage.py backup --to "$${BACKUP_DIR:-var/backups}"

restore: install
	@test -n "$(BACKUP)" || { echo "Say which backup: make restore BACKUP=var/backups/<time>"; exit 2; }
	$(RUN_ENV) $(PY) manage.py restore "$(BACKUP)"

clean:
	rm -rf $(VENV) var/static
