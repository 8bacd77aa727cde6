# Årshjul: everything a fresh machine needs (Python 3.11, make, root) is installed from here.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: install system-deps axe demo test test-fast lint typecheck serve bench fuzz clean lock

# Exactly the tested versions: constraints.txt pins every package (`make lock` renews it on purpose, see
# docs/operations.md "Upgrading dependencies").
$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "Fant ikke $(PYTHON). Installer Python 3.11."; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip==26.3"
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Debian packages the tests use: Chromium (browser tests), PostgreSQL (the same year on PostgreSQL),
# poppler-utils (pdftotext for document checks), Node.js (axe-core for the accessibility test; Debian's nodejs
# needs the npm package too, NodeSource's brings npm). The app itself needs Pango (with HarfBuzz's subsetter) for
# WeasyPrint's plan PDFs, and the DejaVu fonts they are set in. Root installs what is missing; others are told how.
DEBIAN_PACKAGES := chromium postgresql poppler-utils nodejs libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
	fonts-dejavu-core fonts-dejavu-extra

system-deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then echo "Debian-pakker: ok"; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	else echo "Kjør som root, eller: sudo apt-get install $$missing"; exit 1; fi

# axe-core, pinned in tests/e2e/axe/package-lock.json, for tests/e2e/test_accessibility.py (WCAG 2.1 AA).
AXE := tests/e2e/axe/node_modules/axe-core/axe.min.js
$(AXE): tests/e2e/axe/package.json tests/e2e/axe/package-lock.json
	@command -v npm >/dev/null || { echo "Fant ikke npm. Kjør som root: apt-get install npm"; exit 1; }
	npm ci --prefix tests/e2e/axe --no-audit --no-fund
	touch $(AXE)

axe: system-deps $(AXE)

demo: install
	$(BIN)/arshjul demo --out demo-output

# CI runs this: lint, format check, types, then every test; any failure fails the run.
test: install system-deps axe lint typecheck
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

# Benchmarks: a year at 20, 150 and 5 000 units, outbox against bare aiosmtplib, answer latency (~15 min).
# Results in bench/results/; see docs/performance.md. E.g. make bench BENCH_ARGS="--sizes 20,150 --profile".
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -c constraints.txt -e ".[bench]"
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

# Fuzzing before a release: every form the app takes a POST on, FUZZ_EXAMPLES fresh Hypothesis examples per
# route (CI runs the same tests with a few hundred derandomised examples in all). See docs/operations.md.
FUZZ_EXAMPLES ?= 5000
fuzz: install
	ARSHJUL_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -q -s -p no:cacheprovider tests/integration/test_fuzz_forms.py \
	  tests/integration/test_fuzz_console_forms.py tests/integration/test_fuzz_import.py

# Renew constraints.txt deliberately: the newest versions inside pyproject.toml's ranges, in a throw-away venv.
# Run `make test` afterwards and commit constraints.txt only if it passes.
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet --upgrade "pip==26.3"
	.venv-lock/bin/pip install --quiet -e ".[dev,bench]"
	( echo "# Exact versions make install uses; renew with make lock (docs/operations.md)."; \
	  .venv-lock/bin/pip freeze --exclude-editable | sort -f ) > constraints.txt
	rm -rf .venv-lock

clean:
	rm -rf demo-output data .pytest_cache .mypy_cache .ruff_cache
