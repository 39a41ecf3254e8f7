"""Several games of one scenario side by side: a what-if against the game it was forked
from, or two seminar groups that played the same scenario.

It says how the games are related (a fork, and after which turn; how many turns they
share, read from their state hashes), what differed in the turn where they part (the
orders, the White Cell's rulings and the events), and then every team's headline meters
in each game at one turn, each with its difference from the first game. Used by
``wargame compare``; the words are the report's own, in either language.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from wargame.report.labels import tr, unit
from wargame.report.words import (COMPARE, Names, fork_words, inject_line, order_lines, paren, short_meter, signed, turn_year,
                                  with_change)
from wargame.report.words import WORDS as REPORT_WORDS

if TYPE_CHECKING:
    from wargame.game.seminar import Seminar

WORDS = {
    "games": {"en": "Games compared", "zh": "参与比较的推演"},
    "other_scenario": {"en": "{path}: plays scenario '{id}' and {first} plays '{first_id}'; only games of one "
                             "scenario can be compared",
                       "zh": "{path}：其想定为“{id}”，而 {first} 的想定为“{first_id}”；只能比较同一想定的推演"},
    "other_teams": {"en": "{path}: its teams ({teams}) are not those of {first} ({first_teams})",
                    "zh": "{path}：其队伍（{teams}）与 {first} 的队伍（{first_teams}）不同"},
    "game": {"en": "{label}  {path}: seed {seed}, {n} of {t} turns played",
             "zh": "{label}  {path}：随机种子 {seed}，已进行 {n} 回合，共 {t} 回合"},
    "content": {"en": "{label} was played with other content than {first}: {what}.",
                "zh": "{label} 所用的内容与 {first} 不同：{what}。"},
    "same": {"en": "{label} is the same game as {first} for all {n} turn(s) both have played.",
             "zh": "在双方都已进行的 {n} 个回合中，{label} 与 {first} 完全相同。"},
    "share": {"en": "{label} shares turns 1-{k} with {first} and parts from it at turn {p}.",
              "zh": "{label} 与 {first} 共享第 1-{k} 回合，自第 {p} 回合起分道。"},
    "unplayed": {"en": "{label} and {first}: one of them has not resolved a turn yet.",
                 "zh": "{label} 与 {first}：其中一局尚未结算任何回合。"},
    "share_one": {"en": "{label} shares turn 1 with {first} and parts from it at turn 2.",
                  "zh": "{label} 与 {first} 共享第 1 回合，自第 2 回合起分道。"},
    "share_none": {"en": "{label} parts from {first} at turn 1.", "zh": "{label} 自第 1 回合起即与 {first} 不同。"},
    "parting": {"en": "Turn {p} ({year}), where {label} parts from {first}",
                "zh": "第 {p} 回合（{year} 年）：{label} 与 {first} 分道之处"},
    "events": {"en": "Events", "zh": "事件"},
    "none": {"en": "none", "zh": "无"},
    "alike": {"en": "The orders, rulings and events of this turn are the same in both games: they part "
                    "through {why}.",
              "zh": "两局推演本回合的命令、裁决和事件完全相同：分道源于{why}。"},
    "why_seed": {"en": "their seeds ({a} and {b}), which deal other hands", "zh": "随机种子不同（{a} 与 {b}），发牌不同"},
    "why_content": {"en": "their content", "zh": "内容不同"},
    "why_draws": {"en": "what was played or drawn before", "zh": "此前的出牌或抽牌"},
    "table": {"en": "Turn {n} ({year}): each value, and its difference from {first}",
              "zh": "第 {n} 回合（{year} 年）：各项数值，括号内为与 {first} 的差值"},
    "start": {"en": "The start: each value, and its difference from {first}",
              "zh": "开局：各项数值，括号内为与 {first} 的差值"},
    "world": {"en": "World", "zh": "全球"},
    "securitisation": {"en": "Securitisation", "zh": "安全化"},
    "cohesion_of": {"en": "Cohesion: {bloc}", "zh": "凝聚力：{bloc}"},
    "note": {"en": "Means over a team's actors; value added is their sum.",
             "zh": "团队取其行为体的平均值；增加值为总和。"},
}


TEAM_METERS = tuple(m for m in COMPARE if m != "cohesion")


@dataclass(frozen=True)
class Game:
    """One game to compare: how it is called in the comparison, and its seminar."""

    label: str  # "A", "B", ...
    path: str
    seminar: "Seminar"

    @property
    def hashes(self) -> list[str]:
        return [r.state_hash for r in self.seminar.session.records]


def comparable(games: list[Game], lang: str = "en") -> str | None:
    """Why the games cannot be compared (None when they can): each must play the first
    one's scenario, with the same teams."""
    first = games[0]
    sc = first.seminar.session.scenario
    for g in games[1:]:
        other = g.seminar.session.scenario
        if other.id != sc.id:
            return tr(WORDS, "other_scenario", lang, path=g.path, id=other.id, first=first.path, first_id=sc.id)
        teams, first_teams = [t.id for t in other.teams], [t.id for t in sc.teams]
        if teams != first_teams:
            return tr(WORDS, "other_teams", lang, path=g.path, teams=", ".join(teams), first=first.path,
                      first_teams=", ".join(first_teams))
    return None


def label_for(k: int) -> str:
    """A, B, C ... (``wargame compare`` takes at most 12 games)."""
    return chr(ord("A") + k)


def shared_turns(a: Game, b: Game) -> int:
    """How many turns, from the first, the two games have in common (by state hash)."""
    n = 0
    for x, y in zip(a.hashes, b.hashes):
        if x != y:
            break
        n += 1
    return n


def cells(text: str) -> int:
    """Terminal cells the text takes (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(width - cells(text), 0)
    return gap + text if right else text + gap


def _content_difference(first: Game, other: Game, lang: str) -> str | None:
    """What content differs between two games of one scenario (None when it is the same)."""
    sa, da = first.seminar.session.content.to_dicts()
    sb, db = other.seminar.session.content.to_dicts()
    what = []
    if sa != sb:
        what.append("scenario" if lang == "en" else "想定")
    decks_a, decks_b = {d["id"]: d for d in da}, {d["id"]: d for d in db}
    changed = sorted(k for k in decks_a.keys() | decks_b.keys() if decks_a.get(k) != decks_b.get(k))
    if changed:
        what.append(("decks " if lang == "en" else "牌组 ") + ", ".join(changed))
    return "; ".join(what) if what else None


def _sep(lang: str) -> str:
    return "；" if lang == "zh" else "; "


def _order_words(game: Game, turn: int, team: str, names: Names) -> str:
    rep = game.seminar.report(turn)
    parts = []
    for ln in order_lines(game.seminar, rep, team, names):
        text = ln.card + (paren(ln.actor, names.lang) if ln.actor else "") + (f" → {ln.targets}" if ln.targets else "")
        if ln.vetoed is not None:
            text += " [" + tr(REPORT_WORDS, "vetoed", names.lang, why=ln.vetoed) + "]"
        elif ln.amended is not None:
            text += " [" + tr(REPORT_WORDS, "amended", names.lang, why=ln.amended, was=ln.was or "—") + "]"
        parts.append(text)
    return _sep(names.lang).join(parts) or tr(REPORT_WORDS, "passed", names.lang)


def _event_words(game: Game, turn: int, names: Names) -> str:
    rep = game.seminar.report(turn)
    return _sep(names.lang).join(inject_line(i, names).plain for i in rep.injects) or tr(WORDS, "none", names.lang)


@dataclass(frozen=True)
class Parting:
    """What differed in the turn where ``other`` parts from ``first``."""

    title: str
    rows: list[tuple[str, str, str]]  # (team or "Events", in the first game, in the other)
    alike: str | None  # when nothing differed: why they part all the same


def parting(first: Game, other: Game, turn: int, lang: str) -> Parting:
    """What differed in ``turn`` between the two games: each team whose orders (as ruled)
    differ, and the events, in both games; or why they part when nothing did."""
    na, nb = Names(first.seminar, lang), Names(other.seminar, lang)
    title = tr(WORDS, "parting", lang, p=turn, year=turn_year(first.seminar, turn), label=other.label,
               first=first.label)
    rows = []
    for team in first.seminar.teams:
        a, b = _order_words(first, turn, team, na), _order_words(other, turn, team, nb)
        if a != b:
            rows.append((first.seminar.team_name(team, lang), a, b))
    ea, eb = _event_words(first, turn, na), _event_words(other, turn, nb)
    if ea != eb:
        rows.append((tr(WORDS, "events", lang), ea, eb))
    if rows:
        return Parting(title, rows, None)
    sa, sb = first.seminar.session.seed, other.seminar.session.seed
    why = (tr(WORDS, "why_seed", lang, a=sa, b=sb) if sa != sb else
           tr(WORDS, "why_content", lang) if _content_difference(first, other, lang) else
           tr(WORDS, "why_draws", lang))
    return Parting(title, [], tr(WORDS, "alike", lang, why=why))


def parting_lines(first: Game, other: Game, turn: int, lang: str) -> list[str]:
    """``parting`` as lines of plain text."""
    part = parting(first, other, turn, lang)
    out = [part.title]
    if part.alike is not None:
        return out + ["  " + part.alike]
    width = max(cells(r[0]) for r in part.rows)
    for what, a, b in part.rows:
        out.append(f"  {pad(what, width)}  {first.label}: {a}")
        out.append(f"  {pad('', width)}  {other.label}: {b}")
    return out


def fmt(value: float) -> str:
    """A value alone, as every table shows one ("—" when there is none)."""
    return with_change(value, math.nan)


def _cells(values: list[float]) -> list[str]:
    """The first game's value, then each other game's value and its difference from it."""
    out = [fmt(values[0])]
    for v in values[1:]:
        out.append(fmt(v))
        out.append(f"({signed(v - values[0])})" if math.isfinite(v) and math.isfinite(values[0]) else "")
    return out


@dataclass(frozen=True)
class Table:
    """Every team's headline meters in each game at one turn."""

    title: str
    heads: list[str]  # the first game's label; then each other game's label and "" (its difference)
    rows: list[tuple[str, list[str]]]  # (what, cells); a row without cells heads a group
    note: str


def table(games: list[Game], turn: int, lang: str) -> Table:
    """Every team's headline meters in each game after ``turn``, each with its difference
    from the first game; then the world's securitisation and each bloc's cohesion."""
    first = games[0]
    title = (tr(WORDS, "table", lang, n=turn, year=turn_year(first.seminar, turn), first=first.label) if turn
             else tr(WORDS, "start", lang, first=first.label))
    values = [g.seminar.comparison(turn=turn) for g in games]
    rows: list[tuple[str, list[str]]] = []
    for team in first.seminar.teams:
        rows.append((first.seminar.team_name(team, lang), []))
        for meter in TEAM_METERS:
            rows.append((f"{short_meter(meter, lang)} ({unit(meter, lang)})",
                         _cells([v.get(team, {}).get(meter, math.nan) for v in values])))
    # cohesion bloc by bloc: a team's blocs can differ from game to game
    rows.append((tr(WORDS, "world", lang), []))
    world = [g.seminar.session.history[turn] for g in games]
    rows.append((f"{tr(WORDS, 'securitisation', lang)} ({unit('securitisation', lang)})",
                 _cells([float(np.asarray(m["securitisation"])) for m in world])))
    # by bloc id in each game: the games' contents may list their blocs in another order, or
    # have a bloc the others lack (shown as no figure there)
    names = [Names(g.seminar, lang) for g in games]
    blocs = list(dict.fromkeys(b for g in games for b in g.seminar.session.index.blocs))
    for bloc in blocs:
        named = next(n.blocs[bloc] for n in names if bloc in n.blocs)
        cells = [float(np.asarray(m["cohesion"])[g.seminar.session.index.bloc_pos[bloc]])
                 if bloc in g.seminar.session.index.bloc_pos else math.nan for g, m in zip(games, world)]
        rows.append((f"{tr(WORDS, 'cohesion_of', lang, bloc=named)} ({unit('cohesion', lang)})", _cells(cells)))
    heads = [first.label] + [x for g in games[1:] for x in (g.label, "")]
    return Table(title, heads, rows, tr(WORDS, "note", lang))


def table_lines(games: list[Game], turn: int, lang: str) -> list[str]:
    """``table`` as lines of plain text, its columns aligned for a terminal."""
    t = table(games, turn, lang)
    rows = [(name if not shown else "  " + name, shown) for name, shown in t.rows]
    left = max(cells(r[0]) for r in rows)
    widths = [max([cells(h)] + [cells(r[1][k]) for r in rows if r[1]]) for k, h in enumerate(t.heads)]
    # a value column is two spaces from the one before it, a difference one space from its value
    line = lambda name, shown: (pad(name, left) + "".join(  # noqa: E731
        (" " if k % 2 == 0 and k else "  ") + pad(c, w, right=True) for k, (c, w) in
        enumerate(zip(shown, widths)))).rstrip()
    out = [t.title, "", line("", t.heads)]
    out += [name if not shown else line(name, shown) for name, shown in rows]
    out += ["", t.note]
    return out


@dataclass(frozen=True)
class Relations:
    """How the games are related to the first one."""

    games: list[str]  # a line per game: its label, file, seed, turns played, and any fork mark
    sentences: list[str]  # content that differs; turns shared, or where each parts
    partings: list[tuple[Game, int]]  # (game, the turn where it parts from the first)


def relations(games: list[Game], lang: str = "en") -> Relations:
    first = games[0]
    lines = []
    for g in games:
        s = g.seminar.session
        line = tr(WORDS, "game", lang, label=g.label, path=g.path, seed=s.seed, n=len(s.records),
                  t=s.scenario.turns)
        forks = fork_words(s, lang)
        lines.append(line + _sep(lang) + _sep(lang).join(forks) if forks else line)
    out, partings = [], []
    for g in games[1:]:
        diff = _content_difference(first, g, lang)
        if diff:
            out.append(tr(WORDS, "content", lang, label=g.label, first=first.label, what=diff))
        k = shared_turns(first, g)
        both = min(len(first.hashes), len(g.hashes))
        if both == 0:
            out.append(tr(WORDS, "unplayed", lang, label=g.label, first=first.label))
        elif k == both:
            out.append(tr(WORDS, "same", lang, label=g.label, first=first.label, n=both))
        elif k:
            out.append(tr(WORDS, "share" if k > 1 else "share_one", lang, label=g.label, first=first.label, k=k,
                          p=k + 1))
            partings.append((g, k + 1))
        else:
            out.append(tr(WORDS, "share_none", lang, label=g.label, first=first.label))
            partings.append((g, 1))
    return Relations(lines, out, partings)


def compare_text(games: list[Game], turn: int, lang: str = "en") -> str:
    """The comparison, as lines of plain text for a terminal."""
    rel = relations(games, lang)
    out = [tr(WORDS, "games", lang)] + ["  " + line for line in rel.games] + [""] + rel.sentences
    for g, p in rel.partings:
        out += [""] + parting_lines(games[0], g, p, lang)
    out += [""] + table_lines(games, turn, lang)
    return "\n".join(out) + "\n"
