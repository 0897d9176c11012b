"""nbgrader in-process: the course's configuration, its gradebook URL and an API object.

nbgrader runs in-process through :class:`nbgrader.apps.NbGraderAPI`, so its start-up (about
1.5 s) is paid once per process, not once per submission.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path


def load_config(course: Path, db_url: str | None = None):
    """The course's nbgrader configuration (its nbgrader_config.py), optionally with another gradebook."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.merge(Config({"CourseDirectory": {"root": str(course)}}))
    if db_url:
        config.merge(Config({"CourseDirectory": {"db_url": db_url}}))
    return config


def course_db_url(course: Path) -> str:
    """The gradebook the course's configuration names (SQLite in the course root by default)."""
    config = load_config(course)
    url = config.CourseDirectory.get("db_url")
    return url if isinstance(url, str) and url else f"sqlite:///{course / 'gradebook.db'}"


def course_id(config) -> str:
    """The course id nbgrader uses for this configuration (its gradebook rows carry it)."""
    from nbgrader.coursedir import CourseDirectory

    return CourseDirectory(config=config).course_id


def scripts_on_path() -> None:
    """Ready this process to create gradebooks: the version stamp is read in-process and once."""
    # nbgrader runs the `alembic` command when it creates a gradebook; from an unactivated venv
    # (`.venv/bin/python -m ...`) that command is not on PATH unless we put it there.
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([scripts, os.environ.get("PATH", "")])
    import nbgrader.api

    # nbgrader asks a new `alembic` process for the schema version each time it creates a
    # gradebook: 2.2 s here, paid by every grading worker for every assignment (a scratch
    # gradebook each). The version is the installed nbgrader's migration head, so it is read
    # from the same scripts, in this process, once.
    if nbgrader.api.get_alembic_version is not alembic_head:
        alembic_head.nbgrader_own = nbgrader.api.get_alembic_version  # type: ignore[attr-defined]
        nbgrader.api.get_alembic_version = alembic_head


@functools.lru_cache(maxsize=1)
def alembic_head() -> str:
    """The gradebook schema version nbgrader stamps on a new gradebook (its migrations' head)."""
    try:
        from alembic.script import ScriptDirectory
        from nbgrader import dbutil

        head = ScriptDirectory(dbutil.ALEMBIC_DIR).get_current_head()
    except Exception:  # another layout of nbgrader or alembic: ask the way nbgrader does
        head = None
    if head:
        return head
    own = getattr(alembic_head, "nbgrader_own", None)
    if own is None:
        from nbgrader.api import get_alembic_version as own
    return own()


def make_api(course: Path, db_url: str | None = None, overrides: dict | None = None):
    """An in-process nbgrader API for the course (quiet: errors are returned, not printed)."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory

    scripts_on_path()
    config = load_config(course, db_url)
    if overrides:
        from traitlets.config import Config

        config.merge(Config(overrides))
    coursedir = CourseDirectory(config=config)
    api = NbGraderAPI(coursedir, Authenticator(config=config), config=config)
    api.log.setLevel(logging.ERROR)
    return api


@contextlib.contextmanager
def in_dir(path: Path) -> Iterator[None]:
    """Run in ``path``: nbgrader resolves some paths against the working directory, not the course root."""
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)
