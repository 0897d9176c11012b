"""Shared by the widget tests: a store in a temporary folder, and what it saved."""

import json

import pytest
from ipt_widgets.store import ResponseStore


@pytest.fixture
def store(tmp_path):
    return ResponseStore.for_notebook("practice", tmp_path)


@pytest.fixture
def saved(store):
    """saved(item) -> the value the widget last wrote for ``item``."""

    def read(item):
        return json.loads(store.path.read_text(encoding="utf-8"))["items"][item]["value"]

    return read
