"""Crash safety: a writer killed at random points mid-save never leaves a broken file.

A child process saves new versions in a tight loop and is killed with SIGKILL at a random
moment, 1,000 times. The child says when its first save of the round is complete, so every kill
lands while it is writing later versions. After each kill the file must load cleanly and hold a
complete version at least as new as that first save: the old file or a new one, never a mix.

The rounds run in a fresh interpreter: forking a process that has threads (as pytest's may,
after browser or kernel tests) is unsafe.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ipt_widgets.store import ResponseStore

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "darwin", reason="needs os.fork (Linux)"),
]

KILLS = 1000
PAD = "x" * 4000  # big enough that a write takes several system calls
REPO = Path(__file__).resolve().parent.parent


def run_rounds(folder: str, kills: int, seed: int) -> dict:
    rng = random.Random(seed)
    store = ResponseStore.for_notebook("crash", folder)
    store.save("answer", {"version": 0, "pad": PAD, "check": 0})
    store.save("other", {"kept": True})
    newer = 0
    for round_number in range(1, kills + 1):
        first = round_number * 1_000_000
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: one complete save, say so, then write until killed
            try:
                os.close(read_end)
                store.save("answer", {"version": first, "pad": PAD, "check": first * 7})
                os.write(write_end, b"1")
                version = first
                while True:
                    version += 1
                    store.save("answer", {"version": version, "pad": PAD, "check": version * 7})
            finally:
                os._exit(0)
        os.close(write_end)
        os.read(read_end, 1)
        os.close(read_end)
        time.sleep(rng.uniform(0, 0.003))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        loaded = store.load()
        if not loaded.readable or loaded.problems:
            return {"error": f"round {round_number}: {loaded.message}"}
        value = loaded.items["answer"]["value"]
        if value["pad"] != PAD or value["check"] != value["version"] * 7 or value["version"] < first:
            return {"error": f"round {round_number}: inconsistent version {value['version']}"}
        if loaded.items["other"]["value"] != {"kept": True}:
            return {"error": f"round {round_number}: another item was lost"}
        newer += value["version"] > first
    leftovers = len(list(Path(folder).glob(".crash.responses.json.*.tmp")))
    return {"kills": kills, "newer_than_first": newer, "temporaries_left": leftovers}


def test_killed_writers_leave_a_complete_old_or_new_file(tmp_path):
    call = f"run_rounds({str(tmp_path)!r}, {KILLS}, 20261122)"
    code = f"import json; from tests.test_store_crash import run_rounds; print(json.dumps({call}))"
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert "error" not in result, result["error"]
    assert result["kills"] == KILLS
    print(
        f"\n{result['kills']} kills; {result['newer_than_first']} rounds saved further versions before the kill; "
        f"{result['temporaries_left']} temporary files were left by writers killed mid-write"
    )
    # Kills landed mid-write, not only between saves: some left their temporary file behind.
    assert result["temporaries_left"] > 0
