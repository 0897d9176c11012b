"""nbgrader configuration for the IPT course.

solutions/<id>/ is nbgrader's source (the instructor's notebooks with answers and hidden
tests); exercises/<id>/ is its release (what trainees get, generated, committed).
"""

from pathlib import Path

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

ROOT = Path(__file__).resolve().parent

c.CourseDirectory.root = str(ROOT)
c.CourseDirectory.course_id = "ipt-depression"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.db_url = f"sqlite:///{ROOT / 'gradebook.db'}"

# The exchange (release/fetch/submit/collect) lives in a git-ignored folder of the course,
# not in /srv/nbgrader/exchange, which needs root and is shared by every course on a machine.
c.Exchange.root = str(ROOT / ".exchange")

# Files nbgrader never copies, from a submission into autograded/ nor from solutions/ into the
# release. The kernel's working directory comes first on sys.path, so a submitted
# ipt_widgets.py (or ipykernel_launcher.py, sitecustomize.py, a .pth) could replace the grading
# code itself; the course has no Python files in assignments, so none are taken from trainees.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    "*.py",
    "*.pth",
    "ipt_widgets",
    "*.unreadable",
]

# Feedback pages fetch nothing from the internet (no MathJax from a CDN): ipt_widgets/feedback_page.py.
c.HTMLExporter.extra_template_basedirs = __import__("ipt_widgets.feedback_page").feedback_page.template_basedirs()

# A trainee who deleted a test cell is still graded on it.
c.OverwriteCells.add_missing_cells = True

# An answer cell stuck in a loop must not stall a cohort: each cell gets this many seconds.
c.Execute.timeout = 60
# Kill each graded kernel as soon as its cells have run. A graceful shutdown saves nothing here
# (the graded copy is thrown away) and ipykernel sometimes hangs in it until jupyter_client gives
# up: about 1 notebook in 8 then took 3.4 s longer to grade.
c.Execute.shutdown_kernel = "immediate"
# Graded kernels talk to nbgrader over loopback TCP, and every one of them warned about it on
# stderr: 440 warnings across the progress bar of a 40-trainee cohort. Their errors still show.
c.Execute.extra_arguments = ["--IPKernelApp.log_level=ERROR"]

# Widget items keep their answers in the widget, so the released answer cell is a comment
# instead of nbgrader's `raise NotImplementedError()`, which would stop "Run All".
c.ClearSolutions.code_stub = {"python": "# Answer in the widget this cell shows: your choices are saved as you click."}

# At autograde, files in solutions/<id>/ overwrite the trainee's files of the same name.
# A responses file left there (e.g. by running a solutions notebook in place) would replace
# every trainee's answers with the instructor's, so never let one overwrite.
c.Autograde.exclude_overwriting = {
    folder.name: sorted(f"{nb.stem}.responses.json" for nb in folder.glob("*.ipynb"))
    for folder in (ROOT / "solutions").glob("*")
    if folder.is_dir()
}

# Grading runs no trainee code, and nothing a trainee wrote runs in the instructor's browser
# (README, "Security"). The rebuild step (python -m ipt_widgets.submissions, run by `make
# autograde`) rebuilds each submission from the release plus the trainee's data. protect() adds,
# to every autograde however it is started: the notebook rebuilt again from the release, a check
# that every score is a finite number within the points, a bubblewrap sandbox per graded kernel
# (IPT_SANDBOX=off|require), sanitised Markdown and outputs in graded notebooks and feedback, and
# a `collect` that copies links as links; feedback shows each test cell's docstring, never its
# source (a free-text item's hidden test holds the whole reference, exemplars included). It comes
# last, so it builds on the settings above.
from ipt_widgets.nbgrader_guard import protect  # noqa: E402

protect(c)
