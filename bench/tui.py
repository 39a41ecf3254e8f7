"""Benchmark of the seminar TUI against its two targets; prints one JSON object.

first_screen_s          median wall time from launching `wargame play` in a tmux window to the
                        start screen being readable on that window (interpreter start included;
                        the pane is polled every 10 ms). Target: under 0.5 s.
startup_log_s           median of what the app itself logs (WARGAME_STARTUP_LOG): from the
                        command line module's import to the start screen's on_mount, which is
                        before its first frame is laid out, drawn and written to the terminal.
key_to_update_ms        median time from a key press to the frame that shows its effect, over
                        every press of every kind below, measured in process (App.run_test on a
                        100x30 headless terminal; the frame is also turned into the bytes a real
                        terminal would get). key_to_update_max_ms is the slowest press, and
                        key_to_update_by_kind has n / median / p90 / max per kind:
                          hand_move        down/up in the hand: the card detail panel shows the card
                          tab_switch       1 <-> 3: the dashboard or the hand is on screen
                          language         F2: the team screen redrawn in the other language
                          play_dialog      p: the card picker is up
                          dialog_close     Esc: the picker is gone
                          curtain_to_team  Enter on the handover curtain: the team screen is up (the
                                           first press at once, the others once the curtain has been
                                           up --curtain-wait seconds: people take longer than that to
                                           pass the keyboard, and the app uses the time to build the
                                           team's screen out of sight). The curtain's guard
                                           against a doubled Enter (it takes Enter only after
                                           HandoverScreen.SETTLE_S) is off here: this times the
                                           redraw, not the guard.
                        Target: under 50 ms.
full_gc_during_keys_ms  Python's full garbage collections while the keys above were pressed: each one
                        stalls the screen, and they explain the slowest presses.
footer_keys_after_keys  footer key widgets still in memory after the presses, against those on screen
                        (the footer is rebuilt whenever the keys on offer change).
resolve_to_report_ms    confirming resolution at the White Cell until the turn's report is up
                        (resolution runs in a worker; not a single-key redraw, so reported apart).
where_the_time_goes     wall time of a bare interpreter start, the time to import the modules the
                        first screen needs (each in a fresh interpreter), and a `python -X importtime`
                        breakdown of the imports made before the first screen (and of those a
                        background worker makes after it).

Run with `.venv/bin/python bench/tui.py` (options: --runs N, --presses N, --no-tmux,
--curtain-wait SECONDS).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PYTHON = Path(sys.executable)
WARGAME = PYTHON.parent / "wargame"
SIZE = (100, 30)
READY = "Ctrl+N starts the game"  # the start screen's hint: drawn with the rest of it, at mount


def ms(seconds: float) -> float:
    return round(seconds * 1000.0, 1)


def summary(values: list[float]) -> dict:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return {"n": len(values), "median": round(statistics.median(values), 1), "p90": round(p90, 1),
            "max": round(max(values), 1)}


# --- first screen, in a real terminal ---------------------------------------------------------

class Tmux:
    def __init__(self) -> None:
        self.exe = shutil.which("tmux")
        self.socket = f"wargame-bench-{os.getpid()}"
        self.env = dict(os.environ, TERM=os.environ.get("TERM") or "xterm-256color")
        self.env.pop("TMUX", None)

    def __call__(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([self.exe, "-u", "-f", "/dev/null", "-L", self.socket, *args], env=self.env,
                              capture_output=True, text=True, encoding="utf-8", errors="replace",
                              check=check, timeout=30)

    def text(self, target: str) -> str:
        done = self("capture-pane", "-p", "-t", target, check=False)
        return " ".join(done.stdout.split()) if done.returncode == 0 else ""

    def wait(self, target: str, wanted: str, timeout: float, poll: float) -> float | None:
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            if wanted in self.text(target):
                return time.perf_counter()
            time.sleep(poll)
        return None


def first_screen(runs: int, tmp: Path) -> dict:
    tmux = Tmux()
    if tmux.exe is None:
        return {"first_screen_s": None, "first_screen_note": "tmux is not installed"}
    walls: list[float] = []
    logs: list[float] = []
    cold = None
    tmux("new-session", "-d", "-s", "bench", "-x", str(SIZE[0]), "-y", str(SIZE[1]), "sleep 100000")
    socket = tmux("display-message", "-p", "#{socket_path}", check=False).stdout.strip()
    try:
        for i in range(runs + 1):  # the first run warms the file cache and compiles bytecode
            log = tmp / f"startup-{i}.txt"
            settings = {"TERM": "screen-256color", "LANG": "C.UTF-8", "WARGAME_SAVE_DIR": str(tmp / "saves"),
                        "WARGAME_STARTUP_LOG": str(log)}
            line = "exec env " + " ".join(f"{k}={shlex.quote(v)}" for k, v in settings.items()) \
                + f" {shlex.quote(str(WARGAME))} play"
            window = f"bench:run{i}"
            t0 = time.perf_counter()
            tmux("new-window", "-d", "-t", "bench:", "-n", f"run{i}", line)
            t1 = tmux.wait(window, READY, timeout=30.0, poll=0.01)
            if t1 is None:
                raise RuntimeError(f"the start screen did not appear within 30 s:\n{tmux.text(window)}")
            wall = t1 - t0
            got = None
            for _ in range(200):
                if log.is_file() and log.read_text().strip():
                    got = float(log.read_text())
                    break
                time.sleep(0.01)
            if i == 0:
                cold = wall
            else:
                walls.append(wall)
                if got is not None:
                    logs.append(got)
            tmux("send-keys", "-t", window, "C-q")  # quit as a user would
            if tmux.wait(window, "Quit the game?", timeout=10.0, poll=0.05) is not None:
                tmux("send-keys", "-t", window, "y")
            for _ in range(100):
                if f"run{i}" not in tmux("list-windows", "-t", "bench", "-F", "#{window_name}").stdout.split():
                    break
                time.sleep(0.05)
            else:
                tmux("kill-window", "-t", window, check=False)
    finally:
        tmux("kill-server", check=False)
        if socket:  # tmux leaves its socket file behind
            Path(socket).unlink(missing_ok=True)
    return {
        "first_screen_s": round(statistics.median(walls), 3),
        "first_screen_runs_s": [round(w, 3) for w in walls],
        "first_screen_cold_s": round(cold, 3) if cold is not None else None,
        "startup_log_s": round(statistics.median(logs), 3) if logs else None,
        "startup_log_runs_s": [round(v, 3) for v in logs],
    }


# --- key to visible update, in process ----------------------------------------------------------

KEYS = {"down": None, "up": None, "1": "1", "3": "3", "f2": None, "p": "p", "escape": "\x1b",
        "enter": "\r", "y": "y", "r": "r"}


class Frames:
    """Times the first frame after a key press for which ``check(screen)`` holds."""

    def __init__(self, app) -> None:
        from textual._compositor import CompositorUpdate

        self.app = app
        self.check = None
        self.hit: float | None = None
        self.event = asyncio.Event()
        original = app._display

        def display(screen, renderable) -> None:
            original(screen, renderable)
            if renderable is None:
                return
            if isinstance(renderable, CompositorUpdate):
                renderable.render_segments(app.console)  # what a real terminal would be sent
            if self.check is not None and self.check(screen):
                self.hit = time.perf_counter()
                self.check = None
                self.event.set()

        app._display = display

    async def press(self, key: str, check, timeout: float = 10.0) -> float:
        from textual import events

        self.check, self.hit = check, None
        self.event.clear()
        event = events.Key(key, KEYS[key])
        event.set_sender(self.app)
        t0 = time.perf_counter()
        self.app._driver.send_message(event)
        try:
            await asyncio.wait_for(self.event.wait(), timeout)
        except asyncio.TimeoutError:
            raise RuntimeError(f"no frame showed the effect of {key!r} within {timeout} s") from None
        await asyncio.sleep(0.03)  # let trailing work finish, as between two real key presses
        return (self.hit - t0) * 1000.0


def plain(widget) -> str:
    content = widget.content
    return getattr(content, "plain", None) or str(content)


def shown(screen, selector: str) -> bool:
    from textual.css.query import NoMatches
    from textual.errors import NoWidget

    try:
        return screen.find_widget(screen.query_one(selector)).region.area > 0
    except (NoMatches, NoWidget):
        return False


async def keys(presses: int, tmp: Path, curtain_wait: float) -> dict:
    from wargame.game.seminar import Seminar
    from wargame.game.session import Session
    from wargame.model.loader import load_scenario
    from wargame.paths import default_scenario
    from wargame.tui.app import WargameApp
    from wargame.tui.handover import HandoverScreen
    from wargame.tui.report import ReportScreen
    from wargame.tui.team import PlayDialog, TeamScreen
    from wargame.tui.whitecell import WhiteCellScreen

    HandoverScreen.SETTLE_S = 0.0  # time the redraw after Enter, not the guard before it
    content = load_scenario(default_scenario())
    seminar = Seminar(Session.new(content, 0))
    team = seminar.due
    hand = seminar.hand(team)
    app = WargameApp(seminar=seminar, save_dir=tmp / "saves")
    times: dict[str, list[float]] = {k: [] for k in ("hand_move", "tab_switch", "language", "play_dialog",
                                                        "dialog_close", "curtain_to_team")}
    resolve: list[float] = []

    pauses: list[float] = []  # full garbage collections during the key presses, in ms

    def collected(phase: str, info: dict) -> None:
        if phase == "start":
            collected.began = time.perf_counter()
        elif info.get("generation") == 2:
            pauses.append((time.perf_counter() - collected.began) * 1000.0)

    async with app.run_test(size=SIZE, notifications=True) as pilot:
        frames = Frames(app)
        gc.callbacks.append(collected)

        async def until(condition, timeout: float = 10.0) -> None:
            end = time.perf_counter() + timeout
            while not condition():
                if time.perf_counter() > end:
                    raise RuntimeError("the app did not get where the benchmark expected")
                await pilot.pause(0.01)

        def team_up(screen) -> bool:
            return isinstance(screen, TeamScreen) and screen is app.screen and "Turn" in plain(
                screen.query_one("#team-title")) and shown(screen, "#dash-table")

        # the handover curtain -> the team's screen
        await until(lambda: isinstance(app.screen, HandoverScreen))
        for i in range(max(3, presses // 3)):
            if i:
                app.advance()
                await until(lambda: isinstance(app.screen, HandoverScreen))
                await pilot.pause(curtain_wait)
            times["curtain_to_team"].append(await frames.press("enter", team_up))
        await until(lambda: isinstance(app.screen, TeamScreen))
        screen = app.screen

        # tabs 1 <-> 3
        for i in range(presses):
            key, target = ("3", "#hand-table") if i % 2 == 0 else ("1", "#dash-table")
            times["tab_switch"].append(await frames.press(key, lambda s, t=target: shown(s, t)))
        await frames.press("3", lambda s: shown(s, "#hand-table"))

        # down/up through the hand: the detail panel follows
        table = screen.query_one("#hand-table")
        details = screen.query_one("#hand-details")
        row = table.cursor_row
        step = 1
        for _ in range(presses):
            if not 0 <= row + step < len(hand):
                step = -step
            row += step
            name = hand[row].name.en
            times["hand_move"].append(await frames.press(
                "down" if step > 0 else "up",
                lambda s, n=name, r=row: table.cursor_row == r and plain(details).startswith(n)))
            text = "\n".join(strip.text for strip in screen._compositor.render_strips())
            if name not in text:
                raise RuntimeError(f"the frame timed for {name!r} does not show it")

        # the card picker: open and close
        for _ in range(max(3, presses // 3)):
            times["play_dialog"].append(await frames.press(
                "p", lambda s: isinstance(s, PlayDialog) and bool(plain(s.query_one("#pick-title")))))
            times["dialog_close"].append(await frames.press("escape", lambda s: s is screen))

        # English <-> Chinese: the whole screen is redrawn
        for i in range(max(4, presses // 3)):
            word = "回合" if i % 2 == 0 else "Turn"
            times["language"].append(await frames.press(
                "f2", lambda s, w=word: s is screen and w in plain(s.query_one("#team-title"))))
        if app.lang != "en":
            await frames.press("f2", lambda s: s is screen and "Turn" in plain(s.query_one("#team-title")))

        gc.callbacks.remove(collected)
        gc.collect()
        footer_keys = {"alive": sum(1 for o in gc.get_objects() if type(o).__name__ == "FooterKey"),
                       "on_screen": len(screen.query("FooterKey"))}

        # the White Cell resolves a turn (every team passes), then the turn is undone
        for _ in range(3):
            app.enter_white_cell()
            await until(lambda: isinstance(app.screen, WhiteCellScreen))
            await pilot.pause(0.05)
            await frames.press("r", lambda s: type(s).__name__ == "ConfirmDialog")
            resolve.append(await frames.press(
                "y", lambda s: isinstance(s, ReportScreen) and bool(plain(s.query_one("#report-title"))),
                timeout=60.0))
            await app.workers.wait_for_complete()
            app.seminar.undo("benchmark: rewind")
            await pilot.pause(0.05)

    every = [t for values in times.values() for t in values]
    return {
        "key_to_update_ms": round(statistics.median(every), 1),
        "key_to_update_max_ms": round(max(every), 1),
        "key_to_update_by_kind": {kind: summary(values) for kind, values in times.items()},
        "curtain_wait_s": curtain_wait,
        "resolve_to_report_ms": summary(resolve),
        "full_gc_during_keys_ms": {"n": len(pauses), "median": round(statistics.median(pauses), 1) if pauses else 0,
                                   "max": round(max(pauses), 1) if pauses else 0},
        "footer_keys_after_keys": footer_keys,
    }


# --- where the start-up time goes -----------------------------------------------------------------

MARK = "-- first screen --"
FIRST_SCREEN = f"""
import sys, time
S = time.perf_counter()
import wargame.cli
from wargame.tui.app import build_app
app = build_app(start=S)
report = app.report_startup
def reported():
    report()
    print({MARK!r}, file=sys.stderr, flush=True)
    app.call_later(app.exit)
app.report_startup = reported
app.run(headless=True, size={SIZE!r})
"""
IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def wall(code: str, repeat: int = 5) -> float:
    """Median wall time of ``python -c CODE``, in ms (interpreter start and exit included)."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([str(PYTHON), "-c", code], check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return ms(statistics.median(times))


def import_ms(module: str, repeat: int = 5) -> float:
    """Median time to import ``module`` in a fresh interpreter, in ms (measured inside it)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    times = [float(subprocess.run([str(PYTHON), "-c", code], check=True, capture_output=True,
                                  text=True).stdout) for _ in range(repeat)]
    return ms(statistics.median(times))


def imports() -> dict:
    done = subprocess.run([str(PYTHON), "-X", "importtime", "-c", FIRST_SCREEN], capture_output=True,
                          text=True, check=True, cwd=ROOT)
    before, after = done.stderr.split(MARK, 1) if MARK in done.stderr else (done.stderr, "")
    rows = [(int(s), int(c), len(ind) // 2, name) for s, c, ind, name in IMPORT_LINE.findall(before)]
    later = [(int(s), int(c), len(ind) // 2, name) for s, c, ind, name in IMPORT_LINE.findall(after)]
    by_package: dict[str, int] = {}
    for self_us, _, _, name in rows:
        top = name.split(".")[0]
        by_package[top] = by_package.get(top, 0) + self_us
    top_level = sorted((r for r in rows if r[2] == 0), key=lambda r: -r[1])
    heavy_wargame = sorted((r for r in rows if r[3].startswith("wargame")), key=lambda r: -r[1])
    return {
        "imports_before_first_screen_ms": round(sum(r[0] for r in rows) / 1000, 1),
        "modules_before_first_screen": len(rows),
        "by_package_ms": {k: round(v / 1000, 1) for k, v in sorted(by_package.items(), key=lambda kv: -kv[1])[:10]},
        "slowest_top_level_imports_ms": {r[3]: round(r[1] / 1000, 1) for r in top_level[:8]},
        "slowest_wargame_modules_ms": {r[3]: round(r[1] / 1000, 1) for r in heavy_wargame[:8]},
        "imported_after_first_screen_ms": round(sum(r[0] for r in later) / 1000, 1),
        "slowest_imports_after_first_screen_ms": {
            r[3]: round(r[1] / 1000, 1) for r in sorted((r for r in later if r[2] == 0), key=lambda r: -r[1])[:5]},
        "note": "-X importtime inflates every figure; compare them with one another, not with first_screen_s",
    }


def phases() -> dict:
    return {
        "interpreter_ms": wall("pass"),
        "import_wargame_cli_ms": import_ms("wargame.cli"),
        "import_tui_app_ms": import_ms("wargame.tui.app"),
        "import_tui_start_ms": import_ms("wargame.tui.start"),
        "import_store_save_ms": import_ms("wargame.store.save"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="launches of `wargame play` (after one warm-up)")
    parser.add_argument("--presses", type=int, default=30, help="presses of each main kind of key")
    parser.add_argument("--no-tmux", action="store_true", help="skip the first-screen measurement")
    parser.add_argument("--curtain-wait", type=float, default=0.3,
                        help="seconds the curtain is up before Enter (all but the first press)")
    args = parser.parse_args()
    out: dict = {"targets": {"first_screen_s": 0.5, "key_to_update_ms": 50}}
    with tempfile.TemporaryDirectory(prefix="wargame-bench-") as tmp:
        if not args.no_tmux:
            out.update(first_screen(args.runs, Path(tmp)))
        out.update(asyncio.run(keys(args.presses, Path(tmp), args.curtain_wait)))
    out["where_the_time_goes"] = {**phases(), **imports()}
    out["machine"] = {"cpus": os.cpu_count(), "load_1min": round(os.getloadavg()[0], 2),
                      "python": sys.version.split()[0]}
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
