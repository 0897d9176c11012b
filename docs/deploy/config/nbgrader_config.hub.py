"""nbgrader configuration for the IPT course on JupyterHub (Zero to JupyterHub on Kubernetes).

The single-user image (docs/deploy/config/Dockerfile) installs this file as
/etc/jupyter/nbgrader_config.py. Every server (trainee or instructor) and every grading Job
then loads it. It replaces the repository's own nbgrader_config.py, which is for one person on
one machine (exchange in .exchange/, SQLite gradebook). So never copy that file into the
course directory on the hub: nbgrader loads <course root>/nbgrader_config.py last, and it
would quietly switch the exchange and the gradebook back to local ones.

Environment variables (set by the hub for instructor pods, and by the grading Job):
  IPT_GRADEBOOK_URL   postgresql+psycopg2://USER:PASSWORD@HOST:5432/DB, taken from a
                      Kubernetes Secret. Trainee pods never have it.
  IPT_COURSE_ROOT     course directory (default /home/jovyan/ipt/course). The formgrader
                      needs it inside the notebook server's root directory (the home).
  IPT_EXCHANGE_ROOT   exchange (default /srv/nbgrader/exchange, the shared NFS volume).
  IPT_ROLE            "instructor" in instructor pods and grading Jobs.
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

COURSE_ID = "ipt-depression"
ROOT = Path(os.environ.get("IPT_COURSE_ROOT", "/home/jovyan/ipt/course"))
GRADEBOOK_URL = os.environ.get("IPT_GRADEBOOK_URL", "").strip()
# Used only when IPT_GRADEBOOK_URL is missing: a URL that fails loudly (nothing listens on
# port 1), so a misconfigured instructor pod never creates a second, SQLite gradebook.
UNSET_GRADEBOOK_URL = "postgresql+psycopg2://IPT_GRADEBOOK_URL-is-not-set@127.0.0.1:1/unset"

# ---------------------------------------------------------------- everyone (trainees too)

c.CourseDirectory.course_id = COURSE_ID

# The shared ReadWriteMany volume mounted in every user pod. Assignments live under
# <exchange>/ipt-depression/{outbound,inbound,feedback}; fetched copies go to
# ~/ipt-depression/<assignment>/ in the trainee's home.
c.Exchange.root = os.environ.get("IPT_EXCHANGE_ROOT", "/srv/nbgrader/exchange")
c.Exchange.path_includes_course = True

# Every pod runs as the same UNIX user (jovyan), and nbgrader takes the trainee's name from
# JUPYTERHUB_USER, so the owner of a submission says nothing about who sent it. Without this,
# `nbgrader collect` warns "cheating attempt?" for every submission.
c.ExchangeCollect.check_owner = False

# Course membership comes from JupyterHub groups: nbgrader-ipt-depression (trainees) and
# formgrade-ipt-depression (instructors). Only inside a hub-spawned server: a grading Job has
# no hub token and no network to the hub, and autograde does not need the plugin.
if os.environ.get("JUPYTERHUB_API_TOKEN"):
    from nbgrader.auth import JupyterHubAuthPlugin

    c.Authenticator.plugin_class = JupyterHubAuthPlugin

# ---------------------------------------------------------------- instructors and grading Jobs

c.CourseDirectory.root = str(ROOT)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.db_url = GRADEBOOK_URL or UNSET_GRADEBOOK_URL
if not GRADEBOOK_URL and os.environ.get("IPT_ROLE") == "instructor":
    print(
        "nbgrader_config: IPT_GRADEBOOK_URL is not set in this instructor pod; the gradebook "
        "is unreachable until it is (see docs/deploy/jupyterhub.md, 'Secrets').",
        file=sys.stderr,
    )

# The lines below are the same settings as the repository's nbgrader_config.py.

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

# A trainee who deleted a test cell is still graded on it.
c.OverwriteCells.add_missing_cells = True

# An answer cell stuck in a loop must not stall a cohort: each cell gets this many seconds.
c.Execute.timeout = 60

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

# Feedback pages fetch nothing from the internet (no MathJax from a CDN): ipt_widgets/feedback_page.py.
c.HTMLExporter.extra_template_basedirs = __import__("ipt_widgets.feedback_page").feedback_page.template_basedirs()

# Every grading protection of the course (README, "Security"): the rebuild from the release, the
# partial-credit guard, the sandboxed kernel, sanitised notebooks and feedback, a link-safe collect.
from ipt_widgets.nbgrader_guard import protect  # noqa: E402

protect(c)
