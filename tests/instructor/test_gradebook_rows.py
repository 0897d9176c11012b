"""The coordinator's gradebook: indexes for its lookups by notebook and by submission."""

from __future__ import annotations

import sqlite3

from ipt_widgets.instructor.gradebook_rows import INDEXES, ensure_indexes
from ipt_widgets.instructor.nbgrader_api import scripts_on_path
from nbgrader.api import Gradebook


def test_indexes_are_added_once_and_used_by_the_lookups(tmp_path):
    scripts_on_path()
    path = tmp_path / "gradebook.db"
    with Gradebook(f"sqlite:///{path}", "course") as gb:
        assert ensure_indexes(gb) and ensure_indexes(gb)  # idempotent
    db = sqlite3.connect(path)
    names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert set(INDEXES) <= names
    plan = " ".join(str(r) for r in db.execute("EXPLAIN QUERY PLAN SELECT id FROM grade WHERE notebook_id = 'x'"))
    assert "ipt_grade_notebook" in plan  # not a scan of every grade row


def test_a_gradebook_that_cannot_take_them_now_is_still_usable(tmp_path):
    from sqlalchemy import event

    scripts_on_path()
    path = tmp_path / "gradebook.db"
    with Gradebook(f"sqlite:///{path}", "course") as gb:

        @event.listens_for(gb.engine, "connect")
        def wait_briefly(dbapi_connection, _record):
            dbapi_connection.execute("PRAGMA busy_timeout = 50")

        gb.engine.dispose()  # new connections wait 50 ms for a lock, not 5 s
        holder = sqlite3.connect(path)
        holder.execute("BEGIN EXCLUSIVE")  # another writer holds the gradebook
        assert ensure_indexes(gb) is False
        holder.rollback()
        assert ensure_indexes(gb) and gb.students == []  # and the session still works
