"""nbgrader in-process: a new gradebook is stamped with nbgrader's own schema version, without
starting an `alembic` process each time (2.2 s per scratch gradebook on a grading worker)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbgrader.api
import pytest
from ipt_widgets.instructor.nbgrader_api import alembic_head, scripts_on_path
from nbgrader.dbutil import _temp_alembic_ini
from sqlalchemy import create_engine, text


def test_the_version_read_in_process_is_the_one_the_alembic_command_gives():
    alembic = Path(sys.executable).parent / "alembic"
    with _temp_alembic_ini("sqlite:////tmp/unused.db") as ini:
        heads = subprocess.check_output([str(alembic), "-c", ini, "heads"], text=True)
    assert heads.split()[0] == alembic_head()


def test_a_new_gradebook_is_stamped_without_starting_a_process(tmp_path, monkeypatch):
    scripts_on_path()

    def no_process(*args, **kwargs):
        raise AssertionError(f"a process was started: {args}")

    monkeypatch.setattr(nbgrader.api.sp, "check_output", no_process)
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with nbgrader.api.Gradebook(url, "course"):
        pass
    version = create_engine(url).connect().execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert version == alembic_head()
    scripts_on_path()  # twice: still one layer, and nbgrader's own function kept for the fallback
    assert nbgrader.api.get_alembic_version is alembic_head
    assert alembic_head.nbgrader_own is not alembic_head


@pytest.mark.parametrize("calls", [1, 3])
def test_the_version_is_read_once_per_process(calls):
    alembic_head.cache_clear()
    for _ in range(calls):
        alembic_head()
    assert alembic_head.cache_info().misses == 1
