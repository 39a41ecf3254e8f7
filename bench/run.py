"""Benchmark: prints one JSON object.

default_turn_ms  median time to resolve one turn of the built-in scenario, ledger included
world_turn_ms    the same for a generated 200-actor x 60-mineral x 3-stage world
replay_verify_s  wall time of `wargame replay --verify` on a 12-turn save, interpreter start included
bot_games_per_min  bot games of the built-in scenario a minute (200 games, ledger on, as `wargame
                 simulate` plays them, on every core up to 8), the study's report not included
python_loop_ms   the machine's speed at the time: sum(range(2_000_000)) in plain Python (median of 5);
                 a shared machine can run the same code much faster or slower from one minute to the next

Run with `make bench` (or `.venv/bin/python bench/run.py`).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wargame.analysis import balance  # noqa: E402
from wargame.engine.effects import Play  # noqa: E402
from wargame.engine.resolve import baseline, resolve  # noqa: E402
from wargame.engine.world import build_world  # noqa: E402
from wargame.game.session import Session  # noqa: E402
from wargame.model import effects as fx  # noqa: E402
from wargame.model.loader import content_from_dicts, load_orders, load_scenario  # noqa: E402
from wargame.model.synthetic import synthetic_scenario  # noqa: E402
from wargame.paths import default_scenario  # noqa: E402
from wargame.runtime import keep_freed_memory  # noqa: E402
from wargame.store.save import save  # noqa: E402


def median_ms(fn, repeat: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000.0)
    return statistics.median(times)


def default_turn() -> float:
    """Turn 2 of the example game: a typical turn with several orders in play."""
    content = load_scenario(default_scenario())
    script = load_orders(default_scenario() / "orders-example.yaml", content)
    session = Session.new(content, script.seed or 0)
    session.play_script(next(t for t in script.turns if t.turn == 1))
    session.resolve()
    session.play_script(next(t for t in script.turns if t.turn == 2))
    plays = session.plays()
    world, index, rules, prev = session.world, session.index, session.rules, session.meters
    return median_ms(lambda: resolve(world, index, rules, plays, prev), 200)


def world_turn() -> float:
    sc = synthetic_scenario(200, 60, seed=1)
    index, world = build_world(sc)
    world, meters = baseline(world, index, sc.rules)
    plays = [
        Play("t1/t0/0", "restriction", "r", "t0", 0, (fx.RestrictExports(kind="restrict_exports", mineral="m00",
             stage="processing", to=["a001", "a002"], severity=0.8, duration=2),)),
        Play("t1/t1/0", "subsidy", "s", "t1", 1, (fx.SubsidiseCapacity(kind="subsidise_capacity", mineral="m01",
             amount=5.0, fiscal_cost=2.0, eligible=["self", "b0"], exclude=["rivals"]),)),
        Play("t1/t2/0", "ore ban", "b", "t2", 2, (fx.OreExportBan(kind="ore_export_ban", mineral="m02"),)),
        Play("t1/t3/0", "tariff", "t", "t3", 3, (fx.Tariff(kind="tariff", mineral="m03", on=["all"], rate=0.25),)),
    ]
    return median_ms(lambda: resolve(world, index, sc.rules, plays, meters), 15)


def replay_verify() -> tuple[float, int]:
    """A 12-turn game: the built-in scenario lengthened to 12 turns, the example orders for
    turns 1-8, then four turns of passing."""
    content = load_scenario(default_scenario())
    scenario, decks = content.to_dicts()
    scenario["turns"] = 12
    content = content_from_dicts(scenario, decks, origin="bench")
    script = load_orders(default_scenario() / "orders-example.yaml", content)
    session = Session.new(content, script.seed or 0)
    session.play_out(script)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "game.json"
        save(session, path)
        cmd = [sys.executable, "-m", "wargame", "replay", str(path), "--verify"]
        subprocess.run(cmd, check=True, capture_output=True)  # warm the file cache
        times = []
        for _ in range(5):
            t = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            times.append(time.perf_counter() - t)
    return statistics.median(times), session.world.turn


def bot_games_per_min(games: int = 200) -> float:
    """Bot games a minute, played as `wargame simulate` plays them (a process per core)."""
    content = load_scenario(default_scenario())
    planned = balance.plan(1, games, [t.id for t in content.scenario.teams])
    workers = min(os.cpu_count() or 1, 8)
    t = time.perf_counter()
    balance.run_games(content, planned, workers=workers)
    return games / (time.perf_counter() - t) * 60.0


def python_loop_ms() -> float:
    times = []
    for _ in range(5):
        t = time.perf_counter()
        sum(range(2_000_000))
        times.append((time.perf_counter() - t) * 1000.0)
    return statistics.median(times)


def main() -> None:
    keep_freed_memory()  # as the `wargame` command does at start
    replay_s, turns = replay_verify()
    out = {
        "default_turn_ms": round(default_turn(), 3),
        "world_turn_ms": round(world_turn(), 2),
        "replay_verify_s": round(replay_s, 3),
        "replay_turns": turns,
        "bot_games_per_min": round(bot_games_per_min()),
        "python_loop_ms": round(python_loop_ms(), 1),
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
