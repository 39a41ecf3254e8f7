"""Process set-up: the command keeps freed memory in the heap, so turns do not page-fault."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT

GLIBC = sys.platform.startswith("linux") and bool(getattr(os, "confstr", lambda _: "")("CS_GNU_LIBC_VERSION"))

# Resolve turn 2 of the example game over and over; print the page faults of the last 50.
FAULTS = """
import resource, sys
from wargame.runtime import keep_freed_memory
if sys.argv[1] == "keep":
    assert keep_freed_memory()
from wargame.engine.resolve import resolve
from wargame.game.session import Session
from wargame.model.loader import load_orders, load_scenario
from wargame.paths import default_scenario
content = load_scenario(default_scenario())
script = load_orders(default_scenario() / "orders-example.yaml", content)
session = Session.new(content, script.seed or 0)
session.play_script(next(t for t in script.turns if t.turn == 1))
session.resolve()
session.play_script(next(t for t in script.turns if t.turn == 2))
plays = session.plays()
turn = lambda: resolve(session.world, session.index, session.rules, plays, session.meters)
for _ in range(20):
    turn()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(50):
    turn()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


# Allocate and free a 4 MB array over and over (a large world's turn does this with many).
BIG_FAULTS = """
import resource, sys
import numpy as np
from wargame.runtime import keep_freed_memory
if sys.argv[1] == "keep":
    assert keep_freed_memory()
for _ in range(5):
    np.ones(1 << 19).sum()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(50):
    np.ones(1 << 19).sum()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(mode: str, code: str = FAULTS) -> int:
    out = subprocess.run([sys.executable, "-c", code, mode], cwd=ROOT, capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


@pytest.mark.skipif(not GLIBC, reason="glibc's allocator only")
def test_turns_stop_page_faulting_once_freed_memory_is_kept():
    # 50 turns, each allocating and freeing a few hundred kB: with the heap kept, the
    # pages are reused and (almost) none is faulted in again. Left to glibc's defaults
    # the same loop faults thousands of pages (4,000-10,000 here); the few that remain
    # come from Python's own object arenas, which glibc does not manage
    assert _faults("keep") < 100


@pytest.mark.skipif(not GLIBC, reason="glibc's allocator only")
def test_large_arrays_are_reused_rather_than_mapped_afresh():
    # a 4 MB block is 1,024 pages: mapped afresh each time (as once the trim threshold is
    # set, unless blocks this size come from the heap), 50 of them fault ~50,000 pages
    assert _faults("keep", BIG_FAULTS) < 100


@pytest.mark.skipif(not GLIBC, reason="glibc's allocator only")
def test_keep_freed_memory_is_accepted_by_glibc():
    from wargame.runtime import keep_freed_memory

    assert keep_freed_memory() is True


def test_the_command_keeps_freed_memory_before_anything_else(monkeypatch, capsys):
    import wargame.cli as cli

    calls = []
    monkeypatch.setattr(cli, "keep_freed_memory", lambda: calls.append("kept") or True)
    assert cli.main(["schema", "deck"]) == 0
    assert calls == ["kept"]
    assert '"title"' in capsys.readouterr().out
