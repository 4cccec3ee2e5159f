# The book's commands. Every target sets up .venv first (fast when nothing changed).
#   make book     build the HTML book into _build/html (the Chinese edition into
#                 _build/html/zh), its two PDFs and its source archive, and print where it is
#   make test     every check: ruff, unit/statistical tests, strict nbval, the portability guard,
#                 -W build, browser
#   make execute  re-execute chapter notebooks in place (NB="chapters/x.ipynb ..." for some)
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
PY := $(BIN)/python
export PATH := $(BIN):$(PATH)
NBVAL := $(PY) -m pytest --nbval --nbval-current-env --nbval-sanitize-with nbval_sanitize.cfg
# Workers of each nbval run: both cores when run alone; `make notebooks` runs the two side by side.
NB_WORKERS ?= auto

.PHONY: help setup setup-browser book pdf test lint library unit notebooks nbval portability book-tests execute \
	translations clean

help:
	@echo "make book     set up .venv (+ chromium) and build the book (HTML, PDFs, source archive in _build/html)"
	@echo "make test     set up .venv (+ chromium) and run all the tests"
	@echo "make pdf      the whole book as one PDF per edition (make book prints them), and their tests"
	@echo "make execute  re-execute the chapter notebooks in place (NB=... for some)"
	@echo "make translations  update the Chinese edition's catalogues (locale/) after an English edit"
	@echo "make clean    remove _build"

setup:
	@bash scripts/setup.sh

setup-browser:
	@bash scripts/setup.sh --browser

# scripts/build_book.py is the one build entry point (the tests build with it too): both
# editions side by side, incrementally (only pages whose source changed), then the source archive
# and the two PDFs (printed by Chromium, which setup-browser installs).
book: setup-browser
	$(PY) scripts/build_book.py
	@echo
	@echo "The book is built. Open: file://$(CURDIR)/_build/html/index.html"
	@echo "中文版 (the Chinese edition): file://$(CURDIR)/_build/html/zh/index.html"
	@echo "PDFs: _build/html/reparameterization-trick-executed.pdf, _build/html/reparameterization-trick-executed-zh.pdf"

# After editing English prose: extract its messages and merge them into the Chinese edition's
# catalogues (changed ones become fuzzy, new ones untranslated), then list what needs doing.
translations: setup
	$(PY) scripts/translations.py update

# Runs every step even when one fails, then fails if any did.
TEST_STEPS := lint unit notebooks book-tests pdf
test: setup-browser
	@failed=""; \
	for step in $(TEST_STEPS); do \
	  echo "==== make $$step"; \
	  $(MAKE) --no-print-directory $$step || failed="$$failed $$step"; \
	done; \
	if [ -n "$$failed" ]; then echo "make test: FAILED step(s):$$failed"; exit 1; fi; \
	echo "make test: all steps passed ($(TEST_STEPS))"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The library's own tests and doctests, in this venv: the fast loop while working on reparam.
library: setup
	$(PY) -m pytest tests/library reparam --doctest-modules --ignore=reparam/testing -n auto

# Unit tests of all three parts: the library's (tests/library and reparam's doctests) run in a
# venv holding only numpy, pytest and hypothesis (tests/test_library_alone.py makes it with uv);
# the check harness's, the chapter support's, the stored notebooks', the ledger's and the
# package layout's run here. reparam_book/symbolic.py's examples run in its own test, after the
# identities they show (computed once).
UNIT_PATHS := tests/test_library_alone.py tests/test_package_layout.py tests/harness tests/book reparam/testing reparam_book
unit: setup
	$(PY) -m pytest $(UNIT_PATHS) --doctest-modules --ignore=tests/book/portability \
	  --ignore=reparam_book/symbolic.py -m "not build and not browser and not pdf and not archive" -n auto --dist loadfile

# Every chapter executed twice, strict nbval and the portability guard, as 16 jobs (one notebook
# and one run each) on a pool of two workers, slowest first (scripts/test_notebooks.py): both
# cores stay busy to the end. Each job's output is printed as it ends.
notebooks: setup
	$(PY) scripts/test_notebooks.py --salt $(ULP_SALT) --guard-dir $(GUARD_DIR)

# Strict nbval: every stored output is compared with a fresh run.
nbval: setup
	$(NBVAL) chapters/ -n $(NB_WORKERS) --dist loadscope

# The portability guard: strict nbval again, with NumPy's exp, log, sin, power... rounded
# differently by one ulp for about half of all inputs (tests/book/portability/ulp_perturb.py), as
# another CPU's kernels would. Every stored output must still match: the pages are the same on
# every machine, whatever its SIMD kernels or libm.
GUARD_DIR := $(CURDIR)/tests/book/portability
ULP_SALT := 1
portability: setup
	BOOK_ULP_SALT=$(ULP_SALT) PYTHONPATH=$(GUARD_DIR) $(NBVAL) chapters/ -n $(NB_WORKERS) --dist loadscope

# The -W build (once: both editions, the source archive and the PDFs), then every test of it on
# both cores, reusing that build: the build's own tests, the headless-Chromium check of every page
# and the readers' source archive run in a new venv. A failed build still runs the tests, which
# say what is wrong; the target fails if either did.
book-tests: setup-browser
	@$(PY) scripts/build_book.py --all; built=$$?; \
	BOOK_REUSE_BUILD=1 $(PY) -m pytest tests/book -m "build or browser or archive" -n 2 --dist worksteal; tested=$$?; \
	echo "Screenshots: $(CURDIR)/_build/screenshots/"; \
	test $$built -eq 0 -a $$tested -eq 0

# The whole book as one PDF per edition (English and Chinese), which `make book` prints from the
# HTML build (printed again here only when out of date), then tested: internal links only, page
# labels, bookmarks down to sections, title metadata, size, every chapter, no raw TeX.
pdf: setup-browser
	@test -f _build/html/index.html -a -f _build/html/zh/index.html || $(PY) scripts/build_book.py
	$(PY) scripts/build_pdf.py
	$(PY) -m pytest tests/book/test_pdf.py -m pdf -q

execute: setup
	$(PY) scripts/execute_notebooks.py $(NB)

clean:
	rm -rf _build
