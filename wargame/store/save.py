"""Save files: self-contained JSON, written atomically, verified by replay.

A save holds the format and engine versions, the scenario and decks as played
(embedded, with content hashes), the seed, the ordered event log, one state
hash per resolved turn and the meter history. Replaying folds the log through a
fresh session and compares every hash.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TextIO

import numpy as np

from wargame import ENGINE_VERSION, __version__
from wargame.engine.meters import METER_AXES
from wargame.game.session import OrderError, Session
from wargame.model.loader import Content, ContentError, content_from_dicts, one_line, validate_plain
from wargame.model.records import SaveLog, visible
from wargame.store.listing import FORMAT, MAX_SAVE_BYTES, SaveInfo, clip, is_save, list_saves, parse_json  # noqa: F401

FORMAT_VERSION = 1
if TYPE_CHECKING:
    from wargame.game.seminar import Seminar

AUTOSAVE_PREFIX = "autosave-"  # an autosave's file name starts so; a resumed autosave goes on in itself
MAX_UNDOS_PER_TURN = 10  # a hostile log cannot make replay resolve without end
TABLE_KEY = "table"  # a seminar's seats and White Cell passphrase digest; replay ignores it


class SaveError(ValueError):
    """A save that cannot be read: the message names the file and what is wrong."""


_HEX64 = re.compile(r"[0-9a-f]{64}")


def canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def content_hash(obj: Any) -> str:
    return hashlib.sha256(canonical(obj).encode()).hexdigest()


def meter_dump(session: Session, meters: dict[str, np.ndarray]) -> dict[str, Any]:
    """Meters keyed by id, for people and tools reading the save (rounded to 6 places):
    each meter by its first axis (actor, bloc or mineral), nested lists below that."""
    idx = session.index
    keys = {"actor": idx.actors, "bloc": idx.blocs, "mineral": idx.minerals}
    out: dict[str, Any] = {}
    for name, arr in meters.items():
        arr = np.asarray(arr, dtype=float)
        if arr.ndim == 0:
            out[name] = round(float(arr), 6)
            continue
        out[name] = dict(zip(keys[METER_AXES[name][0]], np.round(arr, 6).tolist()))
    return out


def to_document(session: Session, table: dict[str, Any] | None = None) -> dict[str, Any]:
    """The save document; ``table`` (who sat where in a seminar) is kept beside the log
    and ignored by replay."""
    scenario, decks = session.content.to_dicts()
    doc = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "engine_version": ENGINE_VERSION,
        "wargame_version": __version__,
        "scenario": scenario,
        "decks": decks,
        "content_hash": {"scenario": content_hash(scenario),
                         "decks": {d["id"]: content_hash(d) for d in decks}},
        "seed": session.seed,
        "turn": session.world.turn,
        "log": [e.model_dump(mode="json", exclude_defaults=False) for e in session.log],
        "turn_hashes": [r.state_hash for r in session.records],
        "history": [meter_dump(session, m) for m in session.history],
    }
    if table is not None:
        doc[TABLE_KEY] = table
    return doc


def dumps(session: Session, table: dict[str, Any] | None = None) -> str:
    return json.dumps(to_document(session, table), sort_keys=True, ensure_ascii=False, indent=1,
                      allow_nan=False) + "\n"


def _umask() -> int:
    """The process's file-creation mask, read without changing it (os.umask would, for a
    moment, in every thread); 0o022 where the system does not tell."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def target_problem(path: str | Path) -> str | None:
    """Why a file could not be written at ``path`` (None when it can be tried): an empty
    path, a folder or a special file (a device, a pipe) in its place, or a file where
    a folder on the way should be."""
    if not str(path).strip():
        return "expected a file path, got an empty one"
    if str(path).endswith(("/", os.sep)):
        return "ends with a slash, so it names a folder; expected a file path"
    if "\0" in str(path):
        return "holds a NUL character, which no file name can"
    p = Path(path)
    try:
        st = p.stat()  # (through a link: what it leads to)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a loop of links: writing "through" it would replace a link
            return "is a loop of links, which leads to no file; it is never written over"
        if exc.errno == errno.ENAMETOOLONG:
            return f"cannot be used ({exc.strerror})"
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        return "is a folder; expected a file path"
    if st is not None and not stat.S_ISREG(st.st_mode):
        return "is not a regular file (a device, a pipe or a socket); it is never written over"
    try:
        for up in p.absolute().parents:
            if up.exists():
                return None if up.is_dir() else f"{up} is a file, not a folder"
    except OSError as exc:  # a folder on the way named past the system's limit, a loop of links
        return f"cannot be used ({exc.strerror or exc})"
    return None


TMP_STEM_BYTES = 200  # of a target's name in its temporary file's (file names take 255 bytes)


def write_atomic(path: str | Path, text: "str | bytes | Callable[[TextIO], None]") -> None:
    """Write to a temporary file beside the target, fsync it, then rename over the target.
    ``text`` is what to write, or a function that writes it to the open file (a large table
    streamed row by row rather than built whole in memory first).
    The file gets the permissions a plain write would give it: those of the file it
    replaces, or the usual ones for a new file (a temporary file starts private). A link
    is written through (the file it leads to is replaced); a folder or a special file
    in the target's place is refused (OSError), never replaced."""
    why = target_problem(path)
    if why is not None:
        raise OSError(errno.EINVAL, why)
    path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        mode = 0o666 & ~_umask()
    # the temporary file is named after the target, cut short so that the name (with the
    # dots, the random part and ".tmp") fits where the target's own name does
    stem = os.fsdecode(os.fsencode(path.name)[:TMP_STEM_BYTES])
    fd, tmp = tempfile.mkstemp(prefix=f".{stem}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, mode)
        with (os.fdopen(fd, "wb") if isinstance(text, bytes) else os.fdopen(fd, "w", encoding="utf-8")) as f:
            if callable(text):
                text(f)
            else:
                f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        try:
            dfd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        except OSError:
            pass
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def save_target_problem(path: str | Path) -> str | None:
    """Why a save may not be written at ``path`` (None when it may): what ``target_problem``
    says, or a file already there that is not a wargame save (an orders file, notes): a
    save replaces only an older save."""
    why = target_problem(path)
    if why is None and Path(path).exists() and not is_save(path):
        why = "exists and is not a wargame save, so it is not written over; choose another file or remove it"
    return why


CONTENT_SUFFIXES = (".yaml", ".yml")  # scenario, deck and orders files


def text_target_problem(path: str | Path, what: str = "table") -> str | None:
    """Why a ``what`` (a table, a debrief, a report) may not be written at ``path`` (None
    when it may): what ``target_problem`` says, or a wargame save or a content file (a
    scenario, deck or orders YAML file) in its place: a save is never written over by
    anything but a save, and a content file never by what the program writes."""
    return target_problem(path) or _save_in_place(path, what)


def _save_in_place(path: str | Path, what: str) -> str | None:
    # what would be written over: through a link, the file it leads to (a path the system
    # cannot use is left to ``target_problem``, which says why)
    try:
        real = Path(os.path.realpath(path))
        if real.exists() and is_save(real):
            return f"is a wargame save, so a {what} is not written over it; choose another file"
        if real.suffix.lower() in CONTENT_SUFFIXES and real.exists():
            return f"is a scenario, deck or orders file (YAML), so a {what} is not written over it; choose another file"
    except (OSError, ValueError):
        return None
    return None


def write_text(path: str | Path, text: "str | bytes | Callable[[TextIO], None]", what: str) -> Path:
    """Write a ``what`` (a table, a debrief, a chart: text, bytes for an image, or a
    function that writes the text to the open file) atomically, never over a save or a
    content file; SaveError (naming the path) when it cannot be written."""
    why = _save_in_place(path, what)
    if why is not None:
        raise SaveError(f"{path}: {why}")
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise SaveError(f"{path}: cannot write the {what} ({exc.strerror or exc})") from None
    return Path(path)


def save(session: Session, path: str | Path, table: dict[str, Any] | None = None) -> Path:
    """Write the save atomically; SaveError (naming the path) if it cannot be written, if
    another kind of file is in its place, or if it would be too large to read back (the
    file already there is kept)."""
    why = save_target_problem(path)
    if why is not None:
        raise SaveError(f"{path}: {why}")
    text = dumps(session, table)
    size = len(text.encode())
    if size > MAX_SAVE_BYTES:
        raise SaveError(f"{path}: this save would be {size / 2**20:.0f} MB, over the {MAX_SAVE_BYTES // 2**20} MB "
                        f"a save may hold, so it is not written")
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise SaveError(f"{path}: cannot write the save ({exc.strerror or exc})") from None
    return Path(path)


def projected_save_bytes(session: Session) -> int:
    """About how large the save will be once every turn is played: the save now, plus a
    meter history entry (with its share of the log and hashes) for each turn to come."""
    entry = len(json.dumps(meter_dump(session, session.history[-1]), sort_keys=True, ensure_ascii=False,
                           indent=1).encode())
    turns_left = max(session.scenario.turns - session.world.turn, 0)
    return len(dumps(session).encode()) + int(1.3 * entry * turns_left)


def autosave_path(directory: str | Path, session: Session, started: str = "") -> Path:
    """Where a game autosaves: by scenario and seed, and by when the game was started
    (``started``, e.g. "20261122-0930"), so two groups playing the same seed on one
    machine do not overwrite each other's game. A file already there gets a number."""
    stem = f"{AUTOSAVE_PREFIX}{session.scenario.id}-seed{session.seed}" + (f"-{started}" if started else "")
    path, n = Path(directory) / f"{stem}.json", 2
    while path.exists():
        path, n = Path(directory) / f"{stem}-{n}.json", n + 1
    return path


@dataclass
class Loaded:
    path: str
    document: dict[str, Any]
    content: Content
    log: list
    content_ok: bool
    content_notes: list[str]


def read(path: str | Path) -> Loaded:
    """Read and validate a save; raises SaveError with a one-line reason."""
    p = Path(path)
    name = str(path)
    if not name.strip():
        raise SaveError("expected the path of a save file, got an empty one")
    try:
        st = p.stat()
    except OSError as exc:
        raise SaveError(f"{name}: cannot read the file ({exc.strerror})") from None
    if not stat.S_ISREG(st.st_mode):  # a directory, a pipe, a device
        raise SaveError(f"{name}: not a regular file; expected a JSON save")
    size = st.st_size
    if size > MAX_SAVE_BYTES:
        raise SaveError(f"{name}: {size} bytes is over the {MAX_SAVE_BYTES} byte limit for a save")
    if size == 0:
        raise SaveError(f"{name}: the file is empty; expected a JSON save")
    try:
        raw = p.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SaveError(f"{name}: not UTF-8 text (bad byte at offset {exc.start})") from None
    except OSError as exc:
        raise SaveError(f"{name}: cannot read the file ({exc.strerror})") from None
    try:
        doc = parse_json(raw)
    except json.JSONDecodeError as exc:
        raise SaveError(f"{name}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    except ValueError as exc:
        raise SaveError(f"{name}: {exc}") from None
    except RecursionError:
        raise SaveError(f"{name}: JSON nested too deeply") from None
    if not isinstance(doc, dict):
        raise SaveError(f"{name}: expected a JSON object at the top level")
    if doc.get("format") != FORMAT:
        raise SaveError(f"{name}: not a wargame save (field 'format' should be '{FORMAT}')")
    version = doc.get("format_version")
    if type(version) is not int or version != FORMAT_VERSION:
        raise SaveError(f"{name}: save format version {clip(repr(version))} is not supported "
                        f"(this wargame reads version {FORMAT_VERSION})")
    for key, kind in (("scenario", dict), ("decks", list), ("log", list), ("turn_hashes", list), ("history", list)):
        if not isinstance(doc.get(key), kind):
            raise SaveError(f"{name}: field '{key}' is missing or is not a JSON {kind.__name__.replace('dict', 'object').replace('list', 'array')}")
    for key in ("engine_version", "wargame_version"):
        if key in doc and not isinstance(doc[key], str):
            raise SaveError(f"{name}: field '{key}' must be text, such as \"1.3\"")
    seed = doc.get("seed")
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**63:
        raise SaveError(f"{name}: field 'seed' must be a whole number from 0 to 2^63-1")
    if not all(isinstance(h, str) and _HEX64.fullmatch(h) for h in doc["turn_hashes"]):
        raise SaveError(f"{name}: field 'turn_hashes' must be a list of state hashes, each 64 lower-case "
                        f"hex digits")
    if not all(isinstance(m, dict) for m in doc["history"]):
        raise SaveError(f"{name}: every entry of 'history' must be a JSON object (one turn's meters)")
    if not all(isinstance(d, dict) for d in doc["decks"]):
        raise SaveError(f"{name}: every entry of 'decks' must be a JSON object")
    try:
        content = content_from_dicts(doc["scenario"], doc["decks"], origin=name)
    except ContentError as exc:
        first = exc.problems[0] if exc.problems else None
        # the problem names this file already; say where in it and what
        said = ": ".join(x for x in (first.where, first.message) if x) if first else "it cannot be loaded"
        raise SaveError(f"{name}: embedded content is invalid: {said}") from None
    checked, problems = validate_plain(SaveLog, {"log": doc["log"]}, name)
    if problems:
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise SaveError(f"{problems[0]}{more}")
    log = list(checked.log)
    undos = sum(e.type == "undo" for e in log)
    if undos > MAX_UNDOS_PER_TURN * content.scenario.turns:
        raise SaveError(f"{name}: the log undoes {undos} turns; a save may undo at most {MAX_UNDOS_PER_TURN} "
                        f"a turn ({MAX_UNDOS_PER_TURN * content.scenario.turns} in this {content.scenario.turns}-turn game)")
    turn = doc.get("turn")
    if type(turn) is not int or not 0 <= turn <= 1000:
        raise SaveError(f"{name}: field 'turn' must be the number of turns resolved, a whole number from 0 to 1000")
    notes = []
    # the hashes are of the content as embedded, not as this version would write it: a
    # rule added since (with its default) must not make an honest older save look altered
    hashes = doc.get("content_hash")
    if not (isinstance(hashes, dict) and isinstance(hashes.get("scenario"), str)
            and _HEX64.fullmatch(hashes["scenario"]) and isinstance(hashes.get("decks"), dict)
            and all(isinstance(v, str) and _HEX64.fullmatch(v) for v in hashes["decks"].values())):
        raise SaveError(f"{name}: field 'content_hash' must be an object with 'scenario' (a hash of 64 "
                        f"lower-case hex digits) and 'decks' (deck id to such a hash)")
    if hashes["scenario"] != content_hash(doc["scenario"]):
        notes.append("the embedded scenario does not match its content hash")
    deck_hashes = hashes["decks"]
    for d in doc["decks"]:
        if deck_hashes.get(d.get("id")) != content_hash(d):
            notes.append(f"the embedded deck {clip(repr(d.get('id')))} does not match its content hash")
    return Loaded(name, doc, content, log, not notes, notes)


@dataclass
class ReplayReport:
    ok: bool
    turns: list[str]  # one summary line per resolved turn
    first_bad_turn: int | None
    problem: str | None
    session: Session | None
    invalid: bool = False  # the log itself cannot be played (not a divergence)
    # with ``ledgers=True``: each turn of the final history (undone turns dropped), with its ledger
    results: list = field(default_factory=list)


def replay(loaded: Loaded, verify: bool = True, explain: int = 0, ledgers: bool = False) -> ReplayReport:
    """Fold the event log through a new session; compare hashes and history turn by turn.
    With ``explain`` > 0, each turn's summary is followed by its news and that many of its
    largest attributed meter changes. With ``ledgers``, the report keeps every turn's
    result, ledger included."""
    doc = loaded.document
    session = Session.new(loaded.content, doc["seed"])
    expected = list(doc["turn_hashes"])
    history = doc.get("history") if isinstance(doc.get("history"), list) else None
    lines: list[str] = []
    results: list = []
    problem = None
    if not loaded.content_ok:
        problem = "; ".join(loaded.content_notes)

    made_by = doc.get("engine_version")
    # the figures of another engine version can differ in the last decimals: say so
    # when the replay does not match (a save that still matches is fine)
    older = (None if made_by == ENGINE_VERSION else
             f"the save was made by engine version {clip(repr(made_by))} and this is {ENGINE_VERSION!r}")

    def diverged(turn: int, why: str) -> ReplayReport:
        why = "; ".join(p for p in (problem, older, why) if p)
        return ReplayReport(False, lines, turn, why, session, results=results)

    shape = _log_shape_problem(loaded.log, session.turn)
    if shape is not None:
        # a log out of order cannot be played at all: an invalid save, not a divergence,
        # whether or not its hashes are compared on the way
        n, turn, why = shape
        report = diverged(turn, f"log entry {n} {why}")
        report.invalid = True
        return report
    if problem is not None and not verify:
        # content altered since it was saved: without --verify nothing is compared, but
        # the game cannot be taken for the one saved
        report = diverged(0, "")
        report.first_bad_turn, report.invalid = None, True
        return report
    for n, entry in enumerate(loaded.log):
        try:  # (the turns follow one another: _log_shape_problem above)
            if entry.type == "orders":
                session.submit(entry.team, list(entry.orders), from_hand=False)
            elif entry.type == "inject":
                session.inject(entry.inject)
            elif entry.type == "withdraw":
                session.withdraw(entry.withdrawal)
            elif entry.type == "reopen":
                session.reopen(entry.team, entry.rationale)
            elif entry.type == "override":
                session.override(entry.override)
            elif entry.type == "fork":
                last = session.records[-1].state_hash if session.records else None
                if verify and entry.from_hash != last:
                    return diverged(entry.turn, f"turn {entry.turn}: the fork mark does not match the game "
                                                f"before it (its hash is not that of turn {entry.turn - 1})")
                session.fork(entry.parent, entry.note)
                lines.append(f"turn {entry.turn}: from here on a game of its own, forked from "
                             f"{clip(one_line(entry.parent), 80)}" + (f": {clip(one_line(entry.note), 120)}"
                                                                     if entry.note else ""))
            elif entry.type == "undo":
                session.undo(entry.rationale)
                del results[len(session.records):]
                lines.append(f"turn {entry.turn}: undone by the White Cell")
            elif entry.type == "resolve":
                # as play resolved it, ledger and all: the ledger's leave-one-out rows clear in
                # one batch with the game's own, and a batch of another size can differ in the
                # last bits, enough now and then to flip a figure rounded for the hash
                result = session.resolve()
                if ledgers:
                    results.append(result)
                digest = session.records[-1].state_hash
                lines.append(turn_summary(session, entry.turn, result))
                if explain:
                    lines.extend(explain_lines(result, explain))
                if verify and digest != entry.state_hash:
                    return diverged(entry.turn, f"turn {entry.turn} diverged: its state hash does not "
                                                f"match the log")
        except OrderError as exc:
            report = diverged(getattr(entry, "turn", 0), f"log entry {n} cannot be replayed: {exc}")
            report.invalid = True
            return report
    if verify:
        if len(expected) != len(session.records):
            bad = min(len(expected), len(session.records)) + 1
            return diverged(bad, f"the save lists {len(expected)} turn hashes but the log resolves "
                                 f"{len(session.records)} turns")
        for rec, h in zip(session.records, expected):
            if rec.state_hash != h:
                return diverged(rec.turn, f"turn {rec.turn} diverged: its state hash does not match")
        if doc["turn"] != session.world.turn:
            return diverged(min(doc["turn"], session.world.turn) + 1,
                            f"the save says {doc['turn']} turn(s) were resolved but its log resolves "
                            f"{session.world.turn}")
        if history is not None:
            fresh = [meter_dump(session, m) for m in session.history]
            if len(fresh) != len(history):
                return diverged(min(len(fresh), len(history)),
                                "the saved meter history has the wrong number of turns")
            for t, (a, b) in enumerate(zip(fresh, history)):
                if canonical(a) != canonical(b):
                    what = f"turn {t} diverged: the saved meters" if t else "the saved starting meters (turn 0)"
                    return diverged(t, f"{what} differ from the replay")
    if problem is not None:
        return ReplayReport(False, lines, None, problem, session, results=results)
    return ReplayReport(True, lines, None, None, session, results=results)


def _log_shape_problem(log: list, first: int) -> tuple[int, int, str] | None:
    """(entry number, turn, why) for the first entry of a log that is not for the turn the
    game would be at when it comes (a resolve moves on a turn, an undo takes one back),
    None when the turns follow each other."""
    turn = first
    for n, entry in enumerate(log):
        if entry.type == "undo":
            if entry.turn != turn - 1:
                return n, turn, f"undoes turn {entry.turn}, but the last turn resolved before it is {turn - 1}"
            turn = entry.turn
            continue
        if entry.turn != turn:
            return n, turn, f"is for turn {entry.turn} but the game is at turn {turn}"
        if entry.type == "resolve":
            turn += 1
    return None


def explain_lines(result, top: int, smallest: float = 0.05) -> list[str]:
    """A turn in plain words: what happened, then the largest meter changes and why."""
    out = [f"  news: {line}" for line in result.news]
    out += [f"  event: {line}" for line in result.events]
    lines = sorted((ln for ln in result.ledger if abs(ln.delta) >= smallest),
                   key=lambda ln: (-abs(ln.delta), ln.meter, ln.key, ln.cause))
    for ln in lines[:top]:
        where = f" {ln.key}" if ln.key else ""
        out.append(f"  why: {ln.meter}{where} {ln.delta:+.2f}: {ln.label} ({ln.mechanism})")
    return out


def turn_summary(session: Session, turn: int, result) -> str:
    idx = session.index
    m = result.meters
    parts = []
    for team in session.scenario.teams:
        # a team of several actors: the mean over them, as the TUI's team comparison shows
        pos = [idx.actor_pos[a] for a in team.actors]
        dep, cost = float(np.mean(np.asarray(m["dependency"])[pos])), float(np.mean(np.asarray(m["cost"])[pos]))
        mean = f" (mean of {len(pos)})" if len(pos) > 1 else ""
        parts.append(f"{team.id} dep {dep:.1f} cost {cost:.1f}{mean}")
    coh = " ".join(f"{b} {v:.0f}" for b, v in zip(idx.blocs, m["cohesion"]))
    return f"turn {turn}: " + "; ".join(parts) + (f"; cohesion {coh}" if coh else "")


def verified(loaded: Loaded) -> Session:
    """The game of a save, replayed and verified (every turn with its ledger, as played);
    SaveError naming the file and the first problem when it does not verify."""
    report = replay(loaded, verify=True)
    if report.session is None or not report.ok:
        raise SaveError(f"{loaded.path}: the save does not verify: {report.problem or 'its log cannot be replayed'}")
    return report.session


def fork(loaded: Loaded, turn: int, note: str = "") -> Session:
    """A new game that shares the first ``turn`` turns of the saved one (0: none, the same
    start and seed) and plays on from there: the log up to the end of that turn, as the
    game stands (turns undone later are not taken back in), then a fork mark naming the
    save. SaveError with a one-line reason if the save does not verify or never reached
    ``turn``. The shared turns keep their ledgers (for their reports)."""
    name = one_line(Path(loaded.path).name)[:200]
    name = name if visible(name) else "save"
    whole = verified(loaded)
    resolved = len(whole.records)
    last = min(resolved, whole.scenario.turns - 1)  # a fork must have a turn left to play
    if not 0 <= turn <= last:
        why = (f"the game ends after turn {turn}, so a fork after it has nothing left to play" if turn == resolved
               else f"the game has resolved {resolved} turn(s)")
        raise SaveError(f"{loaded.path}: cannot fork after turn {turn}: {why}; a fork may leave after turn 0 "
                        f"to {last}")
    # the turn as it stands is its last resolution: one undone later was resolved again after
    end = max((i for i, e in enumerate(loaded.log) if e.type == "resolve" and e.turn == turn), default=-1)
    doc = dict(loaded.document, turn=turn, turn_hashes=loaded.document["turn_hashes"][:turn],
               history=loaded.document["history"][:turn + 1])
    # (the whole game verified, so its first turns do too)
    session = verified(Loaded(loaded.path, doc, loaded.content, loaded.log[:end + 1], True, []))
    session.fork(name, one_line(note)[:2000])
    return session


# --- seminars: a session with its table ----------------------------------------------------

def save_seminar(seminar: "Seminar", path: str | Path) -> Path:
    """Save a seminar game atomically, with who sat where."""
    return save(seminar.session, path, seminar.table())


def fork_seminar(seminar: "Seminar", parent: str | Path, turn: int, note: str = "") -> "Seminar":
    """A what-if of a seminar game in play: a new game that shares its first ``turn`` turns
    (see ``fork``), around the same table. ``parent`` names the save of the game as it
    stands, for the fork mark."""
    from wargame.game.seminar import Seminar

    s = seminar.session
    loaded = Loaded(str(parent), to_document(s, seminar.table()), s.content, list(s.log), True, [])
    return Seminar.resume(fork(loaded, turn, note), seminar.table())


def load_seminar(path: str | Path) -> "Seminar":
    """Resume a seminar save: the log is replayed with explanations (so every past turn's
    report has its "why") and the table restored. SaveError with a one-line reason if the
    file is unreadable, its log cannot be played or it does not verify (its embedded
    content included)."""
    from wargame.game.seminar import Seminar  # bots and views: not needed to replay a save

    loaded = read(path)
    return Seminar.resume(verified(loaded), loaded.document.get(TABLE_KEY))

