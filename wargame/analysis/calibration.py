"""Calibration: the engine replayed against four historical episodes.

DATA.md ("Episodes to calibrate against") lists four episodes with a known
shape: Indonesia's nickel ore ban, China's rare-earth export quotas of
2010-2012, the lithium boom and bust, and the US graphite duty of 2025. Each
has a small scenario folder under ``decks/calibration/`` (a scenario, its
decks and an orders file). This module plays every folder headlessly along
the same path as ``wargame run`` (load the scenario, load the orders file,
``Session.play_script`` then ``Session.resolve`` turn by turn) and sets the
engine's history beside the historical record in markdown tables.

    python -m wargame.analysis.calibration                 # print every table
    python -m wargame.analysis.calibration --update FILE   # rewrite the tables in FILE
    python -m wargame.analysis.calibration --check FILE    # exit 1 if FILE's tables are stale

In a document, each table sits between ``<!-- table:NAME -->`` and
``<!-- /table:NAME -->``; ``--update`` replaces what is between the markers.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from wargame.engine.world import EXT, MFG, PROC, World
from wargame.game.session import Session
from wargame.model.content import Content
from wargame.model.loader import load_orders, load_scenario
from wargame.model.records import Order, OrdersFile, TurnScript
from wargame.paths import decks_dir

STAGE = {"extraction": EXT, "processing": PROC, "manufacturing": MFG}


def calibration_dir() -> Path:
    """Where the calibration scenarios live (``decks/calibration``)."""
    return decks_dir() / "calibration"


# --------------------------------------------------------------------------- playing


def orders_file(folder: Path) -> Path:
    """The orders file of an episode folder: the one YAML file whose name contains 'orders'."""
    found = sorted(p for p in folder.iterdir()
                   if "orders" in p.name and p.suffix in (".yaml", ".yml") and not p.name.startswith("."))
    if len(found) != 1:
        raise ValueError(f"{folder}: expected one orders file, found {len(found)}")
    return found[0]


def load(folder: Path) -> tuple[Content, OrdersFile]:
    content = load_scenario(folder)
    return content, load_orders(orders_file(folder), content)


@dataclass
class Run:
    """One episode played to the end: the world and the meters after every turn (0 = baseline)."""

    content: Content
    worlds: list[World]
    meters: list[dict[str, np.ndarray]]
    index: object = field(repr=False)

    @property
    def turns(self) -> range:
        return range(len(self.worlds))

    def year(self, t: int) -> int:
        return self.content.scenario.start_year - 1 + t

    def turn_of(self, year: int) -> int:
        return year - self.content.scenario.start_year + 1

    def _pos(self, key: str) -> int:
        for table in (self.index.actor_pos, self.index.mineral_pos, self.index.bloc_pos, STAGE):
            if key in table:
                return table[key]
        raise KeyError(key)

    def m(self, t: int, meter: str, *keys: str) -> float:
        """A meter after turn ``t``, keyed by ids (actor, mineral, stage), e.g.
        ``m(3, "import_reliance", "usa", "graphite", "processing")``."""
        arr = np.asarray(self.meters[t][meter])
        return float(arr[tuple(self._pos(k) for k in keys)])

    def output(self, t: int, mineral: str, stage: str, actor: str | None = None) -> float:
        """Realised output at a stage in turn ``t`` (one actor, or the world)."""
        out = np.asarray(self.meters[t]["capacity_used"])[:, self._pos(mineral), STAGE[stage]]
        return float(out.sum() if actor is None else out[self._pos(actor)])

    def capacity(self, t: int, mineral: str, stage: str, actors: Sequence[str] | None = None) -> float:
        """Installed capacity in turn ``t`` (before the planned growth that tracks demand)."""
        cap = self.worlds[t].cap[:, self._pos(mineral), STAGE[stage]]
        if actors is None:
            return float(cap.sum())
        return float(sum(cap[self._pos(a)] for a in actors))

    def demand(self, t: int, mineral: str) -> np.ndarray:
        """Final demand per actor in turn ``t``, as the engine used it that turn: the trend,
        the demand shifts in force, and the price response carried from the turn before."""
        m = self._pos(mineral)
        if t == 0:
            w = self.worlds[0]
            return w.base_demand[:, m] * w.demand_shift[:, m] * w.demand_price[:, m]
        trend = (1.0 + self.index.growth[m]) ** t
        w, before = self.worlds[t], self.worlds[t - 1]
        return w.base_demand[:, m] * trend * w.demand_shift[:, m] * before.demand_price[:, m]

    def in_force(self, t: int, kind: str, source: str, mineral: str) -> float:
        """Combined value of the measures of a kind that an actor has in force on a mineral in
        turn ``t``: severities combine as 1 - prod(1 - s), tariff rates add up."""
        a, mi = self._pos(source), self._pos(mineral)
        values = [ms.value for ms in self.worlds[t].measures
                  if ms.kind == kind and ms.source == a and ms.mineral == mi and ms.active(t)]
        if kind == "restrict":
            return 1.0 - float(np.prod([1.0 - v for v in values])) if values else 0.0
        return float(sum(values))


def play(content: Content, script: OrdersFile, start: Callable[[World], World] | None = None) -> Run:
    """Play a scripted game to the end, as ``wargame run`` does (without writing a save).
    ``start``, if given, changes the baseline world before the first turn (for variants)."""
    seed = script.seed if script.seed is not None else 0
    session = Session.new(content, seed)
    if start is not None:
        session.world = start(session.world)
    worlds = [session.world]
    session.play_out(script, lambda s: worlds.append(s.world))
    return Run(content=content, worlds=worlds, meters=list(session.history), index=session.index)


# --------------------------------------------------------------------------- variants

Variant = Callable[[Content, OrdersFile], tuple[Content, OrdersFile]]
# A variant may also carry a ``start`` attribute, a function that changes the baseline
# world once it is built (for what the scenario files cannot set, such as the rest point).


def as_played(content: Content, script: OrdersFile) -> tuple[Content, OrdersFile]:
    return content, script


def with_rules(**rules) -> Variant:
    """The episode with some engine coefficients changed."""
    def change(content: Content, script: OrdersFile):
        sc = content.scenario
        sc = sc.model_copy(update={"rules": sc.rules.model_copy(update=rules)})
        return dataclasses.replace(content, scenario=sc), script
    return change


def with_mineral(mineral: str, **fields) -> Variant:
    """The episode with some of a mineral's figures changed."""
    def change(content: Content, script: OrdersFile):
        sc = content.scenario
        minerals = [m.model_copy(update=fields) if m.id == mineral else m for m in sc.minerals]
        return dataclasses.replace(content, scenario=sc.model_copy(update={"minerals": minerals})), script
    return change


def prices_at_rest_at(utilisation: float) -> Variant:
    """The episode with prices at rest at one fixed utilisation at every stage, instead of at
    the utilisation of turn 0 (MODEL.md, "Prices"): idle capacity reads as a glut only below it."""
    def change(content: Content, script: OrdersFile):
        return content, script

    def start(world: World) -> World:
        return dataclasses.replace(world, base_util=np.full_like(world.base_util, utilisation))
    change.start = start  # type: ignore[attr-defined]
    return change


def without_cards(*cards: str) -> Variant:
    """The episode with some cards left out of the orders (and out of the injects)."""
    def change(content: Content, script: OrdersFile):
        turns = [t.model_copy(update={
            "orders": {team: [o for o in orders if o.card not in cards] for team, orders in t.orders.items()},
            "injects": [i for i in t.injects if i.card not in cards]}) for t in script.turns]
        return content, script.model_copy(update={"turns": turns})
    return change


def every_turn(team: str, card: str) -> Variant:
    """The episode with one team playing the same card in every turn."""
    def change(content: Content, script: OrdersFile):
        by_turn = {t.turn: t for t in script.turns}
        turns = []
        for turn in range(1, content.scenario.turns + 1):
            t = by_turn.get(turn) or TurnScript(turn=turn)
            orders = dict(t.orders)
            orders[team] = [o for o in orders.get(team, []) if o.card != card] + [Order(card=card)]
            turns.append(t.model_copy(update={"orders": orders}))
        return content, script.model_copy(update={"turns": turns})
    return change


# --------------------------------------------------------------------------- tables


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]

    def markdown(self) -> str:
        lines = ["| " + " | ".join(self.headers) + " |",
                 "|" + "|".join("---" for _ in self.headers) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines)


def num(x: float, digits: int = 1) -> str:
    """A number with a fixed number of decimals, never '-0'."""
    text = f"{x:,.{digits}f}"
    return text[1:] if text.startswith("-") and float(text[1:].replace(",", "")) == 0 else text


def usd_t(usd_per_kg: float) -> str:
    """USD per tonne, to the nearest hundred."""
    return num(round(usd_per_kg * 1000.0, -2), 0)


NONE = "—"


@dataclass
class Episode:
    name: str  # folder under decks/calibration, and the table's marker
    title: str
    table: Callable[[Run], Table]
    variants: list[tuple[str, Variant]] = field(default_factory=list)
    summary: Callable[[Run], list[str]] | None = None
    summary_headers: list[str] = field(default_factory=list)

    def folder(self) -> Path:
        return calibration_dir() / self.name

    def run(self, variant: Variant = as_played) -> Run:
        return play(*variant(*load(self.folder())), start=getattr(variant, "start", None))

    def sensitivity(self) -> Table | None:
        if not self.variants or self.summary is None:
            return None
        rows = [[label] + self.summary(self.run(v)) for label, v in self.variants]
        return Table(["variant"] + self.summary_headers, rows)


# --- 1. Indonesia's nickel ore ban ---------------------------------------------------

NICKEL_SHARE = {2019: "16", 2022: "38", 2023: "37 (refining, IEA)"}
NICKEL_PRICE = {2019: "≈14,000 (est.)", 2022: "25,815", 2023: "21,495", 2024: "≈17,000"}
NICKEL_ORE = {2024: "Australia −26%, Philippines −20% on the year"}


def nickel_table(run: Run) -> Table:
    rows = []
    for t in run.turns:
        y = run.year(t)
        rows.append([str(y), str(t),
                     num(run.m(t, "processing_share", "idn", "nickel")), NICKEL_SHARE.get(y, NONE),
                     usd_t(run.m(t, "price", "nickel")), NICKEL_PRICE.get(y, NONE),
                     num(run.output(t, "nickel", "extraction", "phl"), 0),
                     num(run.output(t, "nickel", "extraction", "aus"), 0),
                     num(run.output(t, "nickel", "processing", "chn"), 0),
                     NICKEL_ORE.get(y, NONE)])
    return Table(["year", "turn", "Indonesia's share of processing, engine (%)", "record (%)",
                  "nickel price, engine (USD/t)", "record (USD/t)",
                  "Philippine ore output, engine (kt)", "Australian ore output, engine (kt)",
                  "Chinese processing output, engine (kt)", "record, ore output elsewhere"], rows)


def nickel_summary(run: Run) -> list[str]:
    share = [num(run.m(run.turn_of(y), "processing_share", "idn", "nickel")) for y in (2019, 2021, 2022, 2023, 2024)]
    return share + [usd_t(run.m(run.turn_of(y), "price", "nickel")) for y in (2020, 2024)]


# --- 2. rare-earth export quotas ---------------------------------------------------

REE_LA = {2009: "8.71 (2008)", 2011: "117 (Q3)", 2012: "19.54 (Q3)"}
REE_INDEX = {2009: "100", 2011: "1,343", 2012: "224", 2015: "Molycorp bankrupt"}


def ree_table(run: Run) -> Table:
    rows = []
    outside = [a for a in run.index.actors if a != "chn"]
    for t in run.turns:
        y = run.year(t)
        sev = run.in_force(t, "restrict", "chn", "ree")
        rows.append([str(y), str(t), num(sev, 2) if sev > 0 else "none",
                     num(run.m(t, "price_index", "ree"), 0), REE_INDEX.get(y, NONE),
                     num(run.m(t, "price", "ree"), 2), REE_LA.get(y, NONE),
                     num(run.m(t, "shortage", "jpn", "ree")),
                     num(run.capacity(t, "ree", "processing", outside)),
                     num(run.m(t, "processing_share", "chn", "ree"))])
    return Table(["year", "turn", "quota cut in force (severity)", "price index, engine (before = 100)",
                  "record (2008 = 100)", "oxide price, engine (USD/kg)", "record, lanthanum oxide (USD/kg)",
                  "shortage in Japan, engine (%)", "processing capacity outside China, engine (kt)",
                  "China's share of processing, engine (%)"], rows)


def ree_summary(run: Run) -> list[str]:
    index = [run.m(t, "price_index", "ree") for t in run.turns]
    peak = int(np.argmax(index))
    return [num(index[peak], 0), str(run.year(peak)), num(index[run.turn_of(2012)], 0),
            num(index[run.turn_of(2015)], 0)]


# --- 3. lithium boom and bust ------------------------------------------------------

LI_PRICE = {2017: "≈14,000 (est.)", 2022: "71,100", 2023: "41,300", 2024: "14,000"}
CARBONATE_PER_LI = 5.32  # kg of lithium carbonate (Li2CO3) that hold 1 kg of lithium


def carbonate(price_li: float) -> float:
    """The engine's lithium price (USD per kg of contained lithium) per kg of carbonate, as
    the record quotes it."""
    return price_li / CARBONATE_PER_LI
LI_DEMAND = {2022: "×3 since 2017 (energy sector)"}


def lithium_table(run: Run) -> Table:
    rows = []
    d0 = run.demand(0, "lithium").sum()
    for t in run.turns:
        y = run.year(t)
        d = run.demand(t, "lithium")
        unmet = float((d * np.asarray(run.meters[t]["shortage"])[:, run._pos("lithium")] / 100.0).sum())
        rows.append([str(y), str(t), num(d.sum()), "×" + num(d.sum() / d0, 2), LI_DEMAND.get(y, NONE),
                     num(100.0 * unmet / d.sum()),
                     usd_t(carbonate(run.m(t, "price", "lithium"))), LI_PRICE.get(y, NONE),
                     num(run.output(t, "lithium", "extraction"))])
    return Table(["year", "turn", "world demand, engine (kt Li)", "vs 2017, engine", "record",
                  "demand unmet, engine (%)", "carbonate price, engine (USD/t)", "record (USD/t)",
                  "mine output, engine (kt Li)"], rows)


def lithium_summary(run: Run) -> list[str]:
    p = {y: carbonate(run.m(run.turn_of(y), "price", "lithium")) for y in (2022, 2023, 2024)}
    return [usd_t(p[2022]), usd_t(p[2023]), usd_t(p[2024]), num(100.0 * (p[2024] / p[2022] - 1.0), 0)]


# --- 4. graphite anti-dumping duty ---------------------------------------------------

GRAPHITE_RECORD = {2024: "US import reliance 100%", 2025: "duty of 93.5% imposed",
                   2026: "duty withdrawn in March; no other source built"}


def graphite_table(run: Run) -> Table:
    rows = []
    for t in run.turns:
        y = run.year(t)
        duty = run.in_force(t, "tariff", "usa", "graphite")
        rows.append([str(y), str(t), (num(100.0 * duty) + "%") if duty > 0 else "none",
                     num(run.m(t, "cost", "usa")),
                     num(run.m(t, "import_reliance", "usa", "graphite", "processing")),
                     num(run.m(t, "rival_reliance", "usa", "graphite", "processing")),
                     num(run.m(t, "processing_share", "chn", "graphite")),
                     num(run.capacity(t, "graphite", "processing", ["usa"])),
                     GRAPHITE_RECORD.get(y, NONE)])
    return Table(["year", "turn", "duty on Chinese anode material", "US cost index, engine (2024 = 100)",
                  "US import reliance, processing, engine (%)",
                  "US reliance on rivals, processing, engine (%)",
                  "China's share of processing, engine (%)", "US processing capacity, engine (kt)",
                  "record"], rows)


def graphite_summary(run: Run) -> list[str]:
    t1, last = run.turn_of(2025), run.turns[-1]
    return [num(run.m(t1, "cost", "usa")),
            num(run.m(t1, "rival_reliance", "usa", "graphite", "processing")),
            num(run.m(last, "rival_reliance", "usa", "graphite", "processing")),
            num(run.m(last, "import_reliance", "usa", "graphite", "processing")),
            num(run.capacity(last, "graphite", "processing", ["usa"]))]


EPISODES: tuple[Episode, ...] = (
    Episode("nickel-ore-ban", "Indonesia's nickel ore ban", nickel_table,
            variants=[("as played", as_played),
                      ("ore ban only (no Chinese smelter investment)", without_cards("chn-nickel-smelters")),
                      ("prices at rest at a fixed 85% utilisation (not 2019's)", prices_at_rest_at(0.85))],
            summary=nickel_summary,
            summary_headers=["share 2019 (%)", "2021", "2022", "2023", "2024", "price 2020 (USD/t)",
                             "price 2024 (USD/t)"]),
    Episode("ree-quotas", "Rare-earth export quotas", ree_table,
            variants=[("as played (demand elasticity 0.25)", as_played),
                      ("demand elasticity 0.1", with_mineral("ree", demand_elasticity=0.1)),
                      ("demand elasticity 0.05", with_mineral("ree", demand_elasticity=0.05)),
                      ("no thrift event", without_cards("ev-ree-thrift"))],
            summary=ree_summary,
            summary_headers=["peak index", "peak year", "index 2012", "index 2015"]),
    Episode("lithium-boom-bust", "Lithium boom and bust", lithium_table,
            variants=[("as played (lead times 2, 2, 1)", as_played),
                      ("default lead times (4, 3, 1)", with_rules(investment_lead_times=(4, 3, 1))),
                      ("no hoarding", without_cards("chn-lithium-restocking", "chn-lithium-destocking"))],
            summary=lithium_summary,
            summary_headers=["price 2022 (USD/t)", "2023", "2024", "2024 vs 2022 (%)"]),
    Episode("graphite-duty", "Graphite anti-dumping duty", graphite_table,
            variants=[("as played (duty in 2025 only)", as_played),
                      ("duty kept in force to 2028", every_turn("us", "us-graphite-ad-duty")),
                      ("no re-routing (tariff elasticity 0)", with_rules(tariff_elasticity=0.0))],
            summary=graphite_summary,
            summary_headers=["US cost 2025", "US rival reliance 2025 (%)", "US rival reliance 2028 (%)",
                             "US import reliance 2028 (%)", "US processing capacity 2028 (kt)"]),
)


def episode(name: str) -> Episode:
    for ep in EPISODES:
        if ep.name == name:
            return ep
    raise KeyError(name)


def tables() -> dict[str, str]:
    """Every table by marker name: ``NAME`` for an episode, ``NAME-variants`` for its variants."""
    out: dict[str, str] = {}
    for ep in EPISODES:
        out[ep.name] = ep.table(ep.run()).markdown()
        sens = ep.sensitivity()
        if sens is not None:
            out[f"{ep.name}-variants"] = sens.markdown()
    return out


def render(found: dict[str, str] | None = None) -> str:
    found = found if found is not None else tables()
    parts = []
    for ep in EPISODES:
        parts.append(f"## {ep.title} (decks/calibration/{ep.name})\n\n{found[ep.name]}\n")
        if f"{ep.name}-variants" in found:
            parts.append(f"Variants:\n\n{found[ep.name + '-variants']}\n")
    return "\n".join(parts)


_BLOCK = re.compile(r"(<!-- table:(?P<name>[a-z0-9-]+) -->\n)(?P<body>.*?)(\n<!-- /table:(?P=name) -->)", re.S)


def blocks(text: str) -> dict[str, str]:
    """The tables of a document, by marker name."""
    return {m.group("name"): m.group("body").strip() for m in _BLOCK.finditer(text)}


def update(text: str, found: dict[str, str]) -> str:
    """The document with every marked table replaced by the current one."""
    def swap(m: re.Match) -> str:
        name = m.group("name")
        if name not in found:
            raise KeyError(f"unknown table '{name}' (tables: {', '.join(found)})")
        return m.group(1) + found[name] + m.group(4)
    return _BLOCK.sub(swap, text)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m wargame.analysis.calibration",
                                description="Replay the calibration episodes and print the engine beside the record.")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--update", metavar="FILE", help="rewrite the marked tables in FILE")
    g.add_argument("--check", metavar="FILE", help="exit 1 if the marked tables in FILE are not current")
    args = p.parse_args(argv)
    found = tables()
    if args.update:
        path = Path(args.update)
        path.write_text(update(path.read_text(encoding="utf-8"), found), encoding="utf-8")
        print(f"updated {len(blocks(path.read_text(encoding='utf-8')))} table(s) in {path}")
        return 0
    if args.check:
        doc = blocks(Path(args.check).read_text(encoding="utf-8"))
        stale = sorted(name for name in found if doc.get(name) != found[name])
        for name in stale:
            print(f"{args.check}: table '{name}' is missing or out of date", file=sys.stderr)
        return 1 if stale else 0
    print(render(found))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
