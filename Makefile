# Årshjul: everything a fresh machine needs (Python 3.11, make, root) is installed from here.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: install system-deps demo test test-fast lint typecheck serve clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Fant ikke $(PYTHON). Installer Python 3.11."; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the browser tests; root installs it, others are told how.
system-deps:
	@if [ -x /usr/bin/chromium ]; then echo "chromium: ok"; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	else echo "Kjør som root, eller: sudo apt-get install chromium"; exit 1; fi

demo: install
	$(BIN)/arshjul demo --out demo-output

test: install system-deps
	$(BIN)/pytest -q

test-fast: install
	$(BIN)/pytest -q -m "not e2e"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy .

serve: install
	$(BIN)/arshjul init
	$(BIN)/arshjul serve

clean:
	rm -rf demo-output data .pytest_cache .mypy_cache .ruff_cache
