"""Tidy tables of a game for analysis: every meter of every turn, and every line of every
turn's ledger, one value per row, written as CSV (``wargame replay --meters-csv/--ledger-csv``).

Both tables name each value by its axes (actor, bloc, mineral, stage; blank where the
meter has no such axis), so they load straight into a spreadsheet or a data-frame
library. Values are written at full precision, and in a fixed order, so the same save
gives byte-identical files.
"""

from __future__ import annotations

import csv
import io
from itertools import product
from pathlib import Path
from typing import Iterable, Iterator, Sequence, TextIO

import numpy as np

from wargame.engine.meters import LEDGER_METERS, METER_AXES, UNITS
from wargame.game.session import Session
from wargame.model.common import STAGES
from wargame.store.save import write_text

AXES = ("actor", "bloc", "mineral", "stage")
METER_COLUMNS = ("turn", "year", "meter", "unit", *AXES, "value")
LEDGER_COLUMNS = ("turn", "year", "meter", *AXES, "delta", "cause", "label", "mechanism")
GAMES_COLUMNS = ("game", "save", *METER_COLUMNS)


def _axis_values(session: Session) -> dict[str, Sequence[str]]:
    idx = session.index
    return {"actor": idx.actors, "bloc": idx.blocs, "mineral": idx.minerals, "stage": STAGES}


def _where(dims: Sequence[str], combo: Sequence[str]) -> list[str]:
    """The four axis columns of one value: its ids, blank on axes the meter lacks."""
    at = dict(zip(dims, combo))
    return [at.get(axis, "") for axis in AXES]


def text_cell(text: str) -> str:
    """Text from a deck (a card's name) as a cell a spreadsheet shows as text: one that
    starts like a formula (= + - @, a tab or a carriage return) gets a leading
    apostrophe, so a hostile deck or save cannot plant a live formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _year(session: Session, turn: int) -> str:
    return f"{session.scenario.year(turn):g}"


def meter_rows(session: Session) -> Iterator[list]:
    """One row per meter value per turn of the session's history; turn 0 is the start."""
    values = _axis_values(session)
    for turn, meters in enumerate(session.history):
        year = _year(session, turn)
        for name, dims in METER_AXES.items():
            if name not in meters:
                continue
            flat = np.asarray(meters[name], dtype=float).ravel().tolist()
            for combo, value in zip(product(*(values[d] for d in dims)), flat):
                yield [turn, year, name, UNITS.get(name, ""), *_where(dims, combo), repr(value)]


def games_meter_rows(games: Iterable[tuple[str, str, Session]]) -> Iterator[list]:
    """The meters table of several games (label, save, session) one after another, each
    row led by the game's label and save (``wargame compare --meters-csv``)."""
    for label, path, session in games:
        for row in meter_rows(session):
            yield [label, text_cell(path), *row]


def ledger_rows(session: Session, results: Iterable) -> Iterator[list]:
    """One row per ledger line of each resolved turn, in the ledger's own order. Per turn
    and meter value, the deltas add up to its change since the turn before."""
    for turn, result in enumerate(results, start=1):
        year = _year(session, turn)
        for line in result.ledger:
            dims = LEDGER_METERS[line.meter]
            combo = line.key.split("/") if dims else []
            yield [turn, year, line.meter, *_where(dims, combo), repr(line.delta),
                   line.cause, text_cell(line.label), text_cell(line.mechanism)]


def _write_rows(out: TextIO, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)


def to_csv(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    out = io.StringIO()
    _write_rows(out, header, rows)
    return out.getvalue()


def write_csv(path: str | Path, header: Sequence[str], rows: Iterable[Sequence]) -> Path:
    """Write a table atomically, row by row as the rows come (a table of many games runs to
    hundreds of MB: it is never held whole in memory); SaveError (naming the path) if it
    cannot be written."""
    return write_text(path, lambda out: _write_rows(out, header, rows), "table")
