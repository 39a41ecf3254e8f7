"""The saves in a folder, for a start screen: only ``json`` and ``pathlib``, so listing
them does not load the engine."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

FORMAT = "wargame-save"  # the "format" field of every save
MAX_SAVE_BYTES = 64 * 1024 * 1024
# objects and lists (counted by their opening brackets): a save spends 50-70 bytes on each,
# about a million in the largest; a file of nothing but "{}," would make 22 million of them
# out of 64 MB and take gigabytes to read
MAX_SAVE_CONTAINERS = 5_000_000


def _reject_constant(token: str) -> float:
    raise ValueError(f"JSON constant {token} is not allowed in a save")


def _finite_float(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):
        raise ValueError(f"the number {clip(token)} is too large for a save")
    return value


def clip(text: str, limit: int = 40) -> str:
    """A value from a file, short enough to quote in a one-line message."""
    return text if len(text) <= limit else text[:limit] + "…"


def _whole_number(token: str) -> int:
    if len(token.lstrip("-")) > 40:
        raise ValueError(f"the number {clip(token)} has too many digits for a save")
    return int(token)


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    """An object whose keys are each given once: JSON readers differ on which of two
    values for one key they keep, so a save that gives two could be read as two games."""
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        twice = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise ValueError(f"the key {clip(repr(twice))} appears twice in one object; a save gives each key once")
    return out


def parse_json(raw: str):
    """A save's JSON: NaN, Infinity, numbers too large for a float, whole numbers of
    more than 40 digits, a key given twice in one object and more than
    ``MAX_SAVE_CONTAINERS`` objects and lists are refused. A UTF-8 byte-order
    mark, which some editors add, is passed over (as in content files)."""
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    containers = raw.count("{") + raw.count("[")
    if containers > MAX_SAVE_CONTAINERS:
        raise ValueError(f"{containers:,} objects and lists is more than a save holds (at most "
                         f"{MAX_SAVE_CONTAINERS:,}); the file is not a game's save")
    return json.loads(raw, parse_constant=_reject_constant, parse_float=_finite_float, parse_int=_whole_number,
                      object_pairs_hook=_unique_keys)


@dataclass(frozen=True)
class SaveInfo:
    path: Path
    scenario: str  # the scenario's English name
    turn: int  # turns resolved
    turns: int  # turns in the game
    saved: float  # modification time, seconds since the epoch
    scenario_zh: str = ""  # the scenario's Chinese name
    what_if: bool = False  # a fork of another game (its log holds a fork mark)

    def scenario_in(self, lang: str) -> str:
        return self.scenario_zh if lang == "zh" and self.scenario_zh else self.scenario


def list_saves(directory: str | Path) -> list[SaveInfo]:
    """The saves in a folder, newest first (files that are not saves are skipped)."""
    out = []
    folder = Path(directory)
    if not folder.is_dir():
        return out
    for p in folder.glob("*.json"):
        try:
            if not p.is_file() or p.stat().st_size > MAX_SAVE_BYTES:
                continue
            doc = parse_json(p.read_text(encoding="utf-8"))
            if doc.get("format") != FORMAT:
                continue
            sc = doc["scenario"]
            turn, turns = doc["turn"], sc["turns"]
            if not (type(turn) is int and type(turns) is int and 0 <= turn <= turns <= 1000):
                continue  # not a game's save, whatever its "format" says
            forked = any(isinstance(e, dict) and e.get("type") == "fork" for e in doc.get("log") or ())
            out.append(SaveInfo(p, str(sc["name"]["en"]), int(doc["turn"]), int(sc["turns"]),
                                p.stat().st_mtime, str(sc["name"].get("zh", "")), forked))
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            continue
    out.sort(key=lambda i: (-i.saved, str(i.path)))
    return out


def is_save(path: str | Path) -> bool:
    """Whether ``path`` is a readable wargame save (what a new save may replace)."""
    try:
        p = Path(path)
        if not p.is_file() or p.stat().st_size > MAX_SAVE_BYTES:
            return False
        doc = parse_json(p.read_text(encoding="utf-8"))
        return isinstance(doc, dict) and doc.get("format") == FORMAT
    except (OSError, ValueError, RecursionError):
        return False
