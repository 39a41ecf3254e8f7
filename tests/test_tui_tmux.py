"""Acceptance: the real `wargame play` in a real terminal (tmux), driven key by key.

A new game from the start screen; the first team plays a card and commits; the handover
curtain must show none of that team's card titles; the second team plays a card; the White
Cell resolves; the report appears; ctrl+q then y ends the program with exit code 0, and the
autosave it leaves behind passes `wargame replay --verify`. A corrupted save given with
`--load` shows the error screen and ends with exit code 2. Under make, as `make play` runs it,
the program ends when its terminal is closed.

Each test runs its own tmux server (a socket of its own) and kills it afterwards. What the
test expects to see is computed from the game API with the same seed, so the test follows
the decks as they change. Polling is generous (a slow shared machine); nothing here measures
speed (bench/tui.py does).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from tui import flat

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(
    TMUX is None, reason="tmux is not installed: this test runs the real `wargame play` inside tmux")

WARGAME = Path(sys.executable).parent / "wargame"
WIDTH, HEIGHT = 100, 30
TIMEOUT = 20.0  # seconds to wait for any one screen
POLL = 0.1
# Box-drawing and block characters (borders, scrollbars, the toast's edge): dropped before
# looking for words, so text split over two rows of a frame still reads as one line.
FRAME = re.compile(r"[\u2500-\u259f]")




class Terminal:
    """One tmux server on a private socket, one window of WIDTH x HEIGHT running a command."""

    def __init__(self) -> None:
        self.socket = f"wargame-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.env = dict(os.environ, TERM=os.environ.get("TERM") or "xterm-256color")
        self.env.pop("TMUX", None)  # a test run from inside tmux must not talk to that server
        self.last = ""
        self.socket_path: str | None = None

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        # -u: the pane's text is UTF-8 whatever the locale; -f /dev/null: no user config
        return subprocess.run([TMUX, "-u", "-f", "/dev/null", "-L", self.socket, *args], env=self.env,
                              capture_output=True, text=True, encoding="utf-8", errors="replace",
                              timeout=TIMEOUT, check=check)

    def start(self, command: str, env: dict[str, str]) -> None:
        """Run ``command`` (a shell line) in a new detached session, with ``env`` added."""
        settings = {"TERM": "screen-256color", "LANG": "C.UTF-8", **env}
        line = "exec env " + " ".join(f"{k}={shlex.quote(v)}" for k, v in settings.items()) \
            + " sh -c " + shlex.quote(command)
        self.tmux("new-session", "-d", "-s", "wg", "-x", str(WIDTH), "-y", str(HEIGHT), line)
        found = self.tmux("display-message", "-p", "#{socket_path}", check=False).stdout.strip()
        self.socket_path = found or None

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "wg", key)

    def screen(self) -> str:
        done = self.tmux("capture-pane", "-p", "-t", "wg", check=False)
        if done.returncode == 0:
            self.last = done.stdout
        return self.last

    def alive(self) -> bool:
        return self.tmux("has-session", "-t", "wg", check=False).returncode == 0

    def wait_for(self, *wanted: str | re.Pattern, timeout: float = TIMEOUT) -> str:
        """Poll the pane until every ``wanted`` text (or pattern) is on it; the flat text."""
        end = time.monotonic() + timeout
        while True:
            text = flat(self.screen())
            if all((w.search(text) if isinstance(w, re.Pattern) else w in text) for w in wanted):
                return text
            if time.monotonic() > end:
                missing = [w.pattern if isinstance(w, re.Pattern) else w for w in wanted
                           if not (w.search(text) if isinstance(w, re.Pattern) else w in text)]
                raise AssertionError(f"not on screen after {timeout:.0f} s: {missing!r}\n"
                                     f"--- the pane shows ---\n{self.last}")
            time.sleep(POLL)

    def wait_for_file(self, path: Path, timeout: float = TIMEOUT) -> str:
        end = time.monotonic() + timeout
        while True:
            if path.is_file():
                got = path.read_text(encoding="utf-8").strip()
                if got:
                    return got
            if time.monotonic() > end:
                raise AssertionError(f"{path.name} not written after {timeout:.0f} s; alive: {self.alive()}\n"
                                     f"--- the pane showed ---\n{self.last}")
            time.sleep(POLL)

    def close(self) -> None:
        self.tmux("kill-server", check=False)
        if self.socket_path:  # tmux leaves its socket file behind
            Path(self.socket_path).unlink(missing_ok=True)


@pytest.fixture
def term():
    assert WARGAME.is_file(), f"no `wargame` console script next to {sys.executable} (pip install -e .)"
    terminal = Terminal()
    try:
        yield terminal
    finally:
        terminal.close()


def run_line(*args: str, exit_file: Path) -> str:
    """A shell line running ``wargame ARGS`` and writing its exit code to ``exit_file``."""
    return " ".join(shlex.quote(a) for a in (str(WARGAME), *args)) + f"; echo $? > {shlex.quote(str(exit_file))}"


def choose_card(seminar, team: str):
    """The first card of the team's hand that can be played now: (row, card, choices to tab
    past in the picker before its Play button)."""
    from wargame.tui.team import playable

    for row, card in enumerate(seminar.hand(team)):
        status = playable(seminar, team, card)
        if status.options:
            asks_actor = None not in status.options
            return row, card, len(card.targets) + (1 if asks_actor else 0)
    raise AssertionError(f"{team} has no card it can play on turn 1")


def play_card(term: Terminal, seminar, team: str) -> str:
    """On the team's screen: go to the hand, play the first playable card with the picker's
    preselected targets, then commit. Returns the card's title."""
    row, card, selects = choose_card(seminar, team)
    title = card.name.en
    name = seminar.team_name(team, "en")
    term.wait_for(f"{name} · Turn 1 of", "1 Dashboard", "Budget")
    term.keys("3")
    term.wait_for(seminar.hand(team)[0].name.en + f" Cost {seminar.hand(team)[0].cost}")
    term.keys(*["Down"] * row)
    term.wait_for(f"{title} Cost {card.cost}")  # the detail panel shows the chosen card
    term.keys("p")
    term.wait_for(f"Play “{title}”", "Cancel")
    term.keys(*["Tab"] * selects, "Enter")  # past each picker to the Play button
    term.wait_for(re.compile(rf"planned {card.cost} · left"))
    term.keys("c")
    term.wait_for(f"Commit these orders for {name}", title)
    term.keys("y")
    return title


def assert_nothing_of(text: str, titles: list[str], who: str) -> None:
    leaked = [t for t in titles if t in text or (len(t) > 16 and t[:16] in text)]
    assert not leaked, f"the curtain shows card titles of {who}: {leaked}\n{text}"


def test_a_turn_for_two_teams_in_a_real_terminal(term: Terminal, tmp_path: Path, content) -> None:
    from wargame.game.seminar import Seminar
    from wargame.game.session import Session

    saves = tmp_path / "saves"
    exit_file = tmp_path / "exit-code"
    term.start(run_line("play", exit_file=exit_file), {"WARGAME_SAVE_DIR": str(saves)})

    # the start screen: every team human (the default), the seed shown
    text = term.wait_for("New game", "Who plays each team", "Ctrl+N starts the game", "People at the keyboard")
    seed = int(re.search(r"Seed (\d+)", text).group(1))
    seminar = Seminar(Session.new(content, seed))  # the same deal as the game about to start
    first, second, third = seminar.teams[:3]
    term.keys("C-n")

    # curtain, then the first team plays a card and commits
    term.wait_for(f"Pass the keyboard to {seminar.team_name(first)}", "Press Enter when ready")
    term.keys("Enter")
    played_first = play_card(term, seminar, first)

    # the curtain for the second team: nothing of the first team's hand or plan
    term.wait_for(f"Pass the keyboard to {seminar.team_name(second)}", "Press Enter when ready")
    time.sleep(0.3)  # whatever else would be drawn over the curtain has had time to appear
    curtain = flat(term.screen())
    assert_nothing_of(curtain, [c.name.en for c in seminar.hand(first)] + [c.name.zh for c in seminar.hand(first)],
                      seminar.team_name(first))
    term.keys("Enter")
    played_second = play_card(term, seminar, second)

    # the third team's curtain hides the second team's cards too; F5 goes to the White Cell
    term.wait_for(f"Pass the keyboard to {seminar.team_name(third)}")
    time.sleep(0.3)
    assert_nothing_of(flat(term.screen()), [c.name.en for c in seminar.hand(second)], seminar.team_name(second))
    term.keys("F5")
    wc = term.wait_for("White Cell · Turn 1 of", "Not committed yet")
    assert played_first in wc and played_second in wc, wc  # the White Cell sees every order
    term.keys("r")
    term.wait_for("Resolve turn 1 now?")
    term.keys("y")

    # the report on the turn
    report = term.wait_for("Report on turn 1 of", "Orders revealed", "What happened")
    assert played_second in report
    assert "Traceback" not in report

    # quit cleanly
    term.keys("C-q")
    term.wait_for("Quit the game?")
    term.keys("y")
    assert term.wait_for_file(exit_file) == "0", term.last
    deadline = time.monotonic() + TIMEOUT
    while term.alive() and time.monotonic() < deadline:  # the pane closes with the shell
        time.sleep(POLL)
    assert not term.alive(), "the pane is still open after the program ended"

    # the autosave is there and replays to the same hashes
    autosaves = sorted(saves.glob("autosave-*.json"))
    assert autosaves, f"no autosave in {saves}: {sorted(p.name for p in saves.iterdir()) if saves.exists() else []}"
    done = subprocess.run([str(WARGAME), "replay", "--verify", str(autosaves[0])], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 turn(s) replayed, every hash matches" in done.stdout


def test_a_corrupted_save_shows_the_error_screen_and_exits_2(term: Terminal, tmp_path: Path,
                                                             content) -> None:
    from wargame.game.seminar import Seminar
    from wargame.game.session import Session
    from wargame.store.save import save_seminar

    good = save_seminar(Seminar(Session.new(content, 4)), tmp_path / "game.json")
    data = good.read_bytes()
    bad = tmp_path / "broken-save.json"
    bad.write_bytes(data[: len(data) // 2])  # cut off half way, as a failing disk might leave it
    exit_file = tmp_path / "exit-code"
    term.start(run_line("play", "--load", str(bad), exit_file=exit_file),
               {"WARGAME_SAVE_DIR": str(tmp_path / "saves")})

    text = term.wait_for("Cannot open the game", "Cannot resume the save", "broken-save.json", "Press q to quit")
    assert "Traceback" not in text
    term.keys("q")
    assert term.wait_for_file(exit_file) == "2", term.last


def test_a_what_if_from_the_palette_and_its_comparison_in_a_real_terminal(term: Terminal, tmp_path: Path) -> None:
    import json

    saves = tmp_path / "saves"
    saves.mkdir()
    finished = saves / "group-a.json"  # a whole game, opened after the seminar
    finished.write_bytes((Path(__file__).resolve().parent.parent / "saves" /
                          "critical-minerals-2026-example.json").read_bytes())
    exit_file = tmp_path / "exit-code"
    term.start(run_line("play", "--load", str(finished), exit_file=exit_file), {"WARGAME_SAVE_DIR": str(saves)})
    term.wait_for("The game is over")

    def palette(command: str) -> None:
        term.keys("C-p")
        term.wait_for("🔎")
        term.keys(command)
        term.wait_for(command)
        term.keys("Enter")

    palette("What-if")
    term.wait_for("Play again from after which turn?")
    term.keys("BSpace")  # the turn offered is selected: typing replaces it
    term.keys("5")
    term.keys("Enter")
    term.wait_for("What does the what-if ask?")
    term.keys("no gallium ban")
    term.wait_for("no gallium ban")
    term.keys("Enter")
    term.wait_for("Pass the keyboard to", "Turn 6 of 8")
    new = [p for p in saves.glob("autosave-*.json")]
    assert len(new) == 1, sorted(p.name for p in saves.iterdir())
    marks = [e for e in json.loads(new[0].read_text())["log"] if e["type"] == "fork"]
    assert marks == [{"type": "fork", "turn": 6, "parent": "group-a.json",
                      "from_hash": json.loads(finished.read_text())["turn_hashes"][4], "note": "no gallium ban"}]

    palette("Compare")
    term.wait_for("The save to set beside this game", "group-a.json")
    term.keys("Enter")
    text = term.wait_for("beside group-a.json (B)", "B is the same game as A for all 5 turn(s) both have played.")
    assert "Traceback" not in text
    term.keys("Escape")
    term.wait_for("Pass the keyboard to")
    term.keys("C-q")
    term.wait_for("Quit the game?")
    term.keys("y")
    assert term.wait_for_file(exit_file) == "0", term.last


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie waiting to be reaped has ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads the process tree from Linux's /proc")
def test_the_program_ends_when_its_terminal_goes_away(term: Terminal, tmp_path: Path) -> None:
    """Under `make play` the hang-up signal of a closing terminal (tmux killed, a lost
    connection) goes to make, which leads the terminal's session, and not to the program;
    the program's terminal then reads as an endless end of file. The program must notice
    and end, not go on spinning in the background."""
    makefile = tmp_path / "Makefile"
    makefile.write_text(f"play:\n\t{shlex.quote(str(WARGAME))} play\n", encoding="utf-8")
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    term.start(f"exec {shlex.quote(make)} -s -f {shlex.quote(str(makefile))} play",
               {"WARGAME_SAVE_DIR": str(tmp_path / "saves")})
    term.wait_for("New game", "Who plays each team")
    leader = int(term.tmux("display-message", "-p", "-t", "wg", "#{pane_pid}").stdout.strip())
    (program,) = _children(leader)  # make runs the program and waits for it
    assert _running(program)
    term.close()
    end = time.monotonic() + TIMEOUT
    while _running(program) and time.monotonic() < end:
        time.sleep(POLL)
    still = _running(program)
    if still:
        os.kill(program, 9)
    assert not still, "`wargame play` went on running after its terminal had gone"
