"""Validated content and the problems found in content files.

``Content`` is a scenario with its decks, fully validated: schema *and* the
cross references between files (a card naming a mineral the scenario lacks, a
team drawing from a deck that is not listed, ...). The reading of files lives
in ``wargame.model.loader``; this module holds what both the loader and the
rest of the game share, plus the cross-reference checks themselves.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from wargame.model.common import STAGES
from wargame.model.deck import Card, Deck, HasCapacity, MemberOf, NotMemberOf, PlayedBefore
from wargame.model.effects import SELECTORS, needs_actor
from wargame.model.records import MAX_EVENTS_PER_TURN, OrdersFile
from wargame.model.scenario import Scenario

PathT = tuple[str | int, ...]

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,47}$")
_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_$-]+$")

# Fields of effects that name things, by what they may name.
MINERAL_FIELDS = frozenset({"mineral"})
PARTY_FIELDS = frozenset(
    {"to", "on", "eligible", "exclude", "covers", "against", "actors", "with", "host", "actor"}
)
BLOC_FIELDS = frozenset({"bloc"})
STAGE_FIELDS = frozenset({"stage"})
_TARGET_KINDS_FOR = {
    "mineral": ("mineral",),
    "party": ("actor", "bloc", "party"),
    "bloc": ("bloc",),
    "stage": ("stage",),
}


def _check_acting_actor(src: "Source", path: "PathT", card: Card, actor: str | None, w: "_World") -> list["Problem"]:
    """An event card that acts for someone needs ``actor:`` where it is injected, and the
    actor must exist; one that does not, must not name one."""
    if actor is not None and actor not in w.actor_set:
        return [src.problem(path + ("actor",), _unknown("actor", actor, w.actors))]
    if actor is None and needs_actor(card.effects):
        return [src.problem(path + ("card",), f"event card '{card.id}' acts for an actor (its effects use the "
                            "player or a self/others/rivals/allies selector), so this inject needs `actor:` "
                            "naming who acts")]
    return []


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file, said so a scenario author can fix it."""

    file: str
    line: int | None
    where: str
    message: str
    more: int = 0  # for the line that closes a capped report: how many problems it stands for

    def __str__(self) -> str:
        head = clean(self.file)
        if self.line is not None:
            head = f"{head}:{self.line}"
        parts = [head]
        if self.where:
            parts.append(self.where)
        parts.append(self.message)
        return ": ".join(parts)


class ContentError(Exception):
    """Content that cannot be used; ``problems`` lists everything found wrong."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):  # keep it picklable (process pools)
        return (type(self), (self.problems,))


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Deduplicate and order problems by file, then line, deterministically."""
    return sorted(
        set(problems),
        key=lambda p: (p.file, p.line if p.line is not None else 0, p.where, p.message),
    )


# --------------------------------------------------------------------------- display helpers


def clean(text: str) -> str:
    """Make text safe to print on a terminal: control and format characters are escaped."""
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cs", "Co", "Cn") or (cat == "Cf" and ch not in "\u200c\u200d"):
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def show(value: Any, limit: int = 60) -> str:
    """A short, safe rendering of a value taken from a file, for messages."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        text = str(value) if abs(value) < 10**30 else "a very large number"
        return text
    if isinstance(value, float):
        return fmt_number(value)
    if isinstance(value, str):
        text = clean(value)
        if len(text) > limit:
            text = text[: limit - 1] + "…"
        return f"'{text}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return clean(type(value).__name__)


def fmt_number(x: float | int) -> str:
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x) if isinstance(x, float) else str(x)


def format_path(path: Sequence[str | int]) -> str:
    """``('cards', 2, 'effects', 0, 'rate')`` -> ``cards[2].effects[0].rate``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = str(part)
            if _PLAIN_KEY.match(text):
                out += f".{text}" if out else text
            else:
                out += "[" + clean(json.dumps(text, ensure_ascii=False)) + "]"
    return out


def id_list(ids: Iterable[str], limit: int = 12) -> str:
    items = list(ids)
    if not items:
        return "none"
    shown = ", ".join(clean(i) for i in items[:limit])
    if len(items) > limit:
        shown += f", … ({len(items)} in all)"
    return shown


# Finding a close option costs about a millisecond among a few hundred; a hostile file
# with thousands of wrong ids must still be reported in a moment. So each report (a load
# or a check, see ``fresh_suggestions``) looks for at most this many new suggestions;
# problems past that go without "did you mean".
SUGGESTION_BUDGET = 400
_budget = [SUGGESTION_BUDGET]


def fresh_suggestions(fn):
    """Give each call of a loading or checking entry point its own suggestion budget."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        _budget[0] = SUGGESTION_BUDGET
        return fn(*args, **kwargs)
    return wrapper


_memo: dict[tuple[str, tuple[str, ...]], str] = {}  # the same wrong id, said again, is free


def suggest(word: str, options: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when an option is close, else ''."""
    if not isinstance(word, str) or len(word) > 64:
        return ""
    pool = tuple(options)
    if len(pool) > 300:  # keep hostile files with thousands of bad ids cheap to report
        return ""
    key = (word, pool)
    said = _memo.get(key)
    if said is not None:
        return said
    if _budget[0] <= 0:
        return ""
    _budget[0] -= 1
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    said = f" (did you mean '{clean(close[0])}'?)" if close else ""
    if len(_memo) >= 1024:
        _memo.clear()
    _memo[key] = said
    return said


# --------------------------------------------------------------------------- where things are


@dataclass
class Source:
    """A file's plain data with the line of every field path, to place problems."""

    file: str
    data: Any
    lines: dict[PathT, int] = field(default_factory=dict)
    bad: set[PathT] = field(default_factory=set)  # values already reported and blanked
    is_deck: bool = False
    prefix: str = ""  # shown before non-card paths (decks embedded in a save: "decks[1]")

    def line(self, path: Sequence[str | int]) -> int | None:
        p = tuple(path)
        while True:
            if p in self.lines:
                return self.lines[p]
            if not p:
                return None
            p = p[:-1]

    def card_label(self, index: int) -> str:
        cards = self.data.get("cards") if isinstance(self.data, dict) else None
        if isinstance(cards, list) and 0 <= index < len(cards) and isinstance(cards[index], dict):
            cid = cards[index].get("id")
            if isinstance(cid, str) and ID_RE.match(cid.strip()):
                return cid.strip()
        return f"cards[{index}]"

    def where(self, path: Sequence[str | int]) -> str:
        path = tuple(path)
        if self.is_deck and len(path) >= 2 and path[0] == "cards" and isinstance(path[1], int):
            label = self.card_label(path[1])
            rest = format_path(path[2:])
            return f"{label}/{rest}" if rest else label
        text = format_path(path)
        if self.prefix:
            return f"{self.prefix}.{text}" if text else self.prefix
        return text

    def problem(self, path: Sequence[str | int], message: str) -> Problem:
        return Problem(self.file, self.line(path), self.where(path), message)

    def under_bad(self, path: Sequence[str | int]) -> bool:
        p = tuple(path)
        return any(p[:n] in self.bad for n in range(len(p) + 1))


@dataclass
class DeckSource:
    """A deck file as far as it could be read: the valid cards even if others failed."""

    source: Source
    deck: Deck | None
    deck_id: str | None
    kind: str | None
    cards: list[tuple[int, Card]]
    raw_card_ids: set[str] = field(default_factory=set)


# --------------------------------------------------------------------------- content


@dataclass(frozen=True)
class Content:
    """A fully validated scenario with its decks (including the events deck)."""

    scenario: Scenario
    decks: dict[str, Deck]
    path: str
    _cards: dict[str, tuple[Card, Deck]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, tuple[Card, Deck]] = {}
        for deck in self.decks.values():
            for card in deck.cards:
                index.setdefault(card.id, (card, deck))
        object.__setattr__(self, "_cards", index)

    def __hash__(self) -> int:  # consistent with the generated __eq__
        return hash((self.scenario.id, self.path))

    def card(self, card_id: str) -> Card:
        return self._cards[card_id][0]

    def deck_of(self, card_id: str) -> Deck:
        return self._cards[card_id][1]

    def team(self, team_id: str):
        for team in self.scenario.teams:
            if team.id == team_id:
                return team
        raise KeyError(team_id)

    def team_cards(self, team_id: str) -> list[Card]:
        """Cards of the team's decks that the team may play (empty playable_by: any owner)."""
        team = self.team(team_id)
        out: list[Card] = []
        for deck_id in team.decks:
            deck = self.decks.get(deck_id)
            if deck is None:
                continue
            out.extend(c for c in deck.cards if not c.playable_by or team_id in c.playable_by)
        return out

    def event_cards(self) -> list[Card]:
        deck_id = self.scenario.events_deck
        if deck_id is None or deck_id not in self.decks:
            return []
        return list(self.decks[deck_id].cards)

    def to_dicts(self) -> tuple[dict, list[dict]]:
        """JSON-ready dumps of the scenario and its decks (decks in listing order)."""
        scenario = self.scenario.model_dump(mode="json", by_alias=True)
        decks = [d.model_dump(mode="json", by_alias=True) for d in self.decks.values()]
        return scenario, decks


# --------------------------------------------------------------------------- cross checks


class _World:
    """The ids a scenario declares, for reference checks."""

    def __init__(self, scenario: Scenario):
        self.minerals = [m.id for m in scenario.minerals]
        self.actors = [a.id for a in scenario.actors]
        self.blocs = [b.id for b in scenario.blocs]
        self.teams = [t.id for t in scenario.teams]
        self.mineral_set = set(self.minerals)
        self.actor_set = set(self.actors)
        self.bloc_set = set(self.blocs)
        self.team_set = set(self.teams)

    def ids_of(self, kind: str) -> list[str]:
        if kind == "mineral":
            return self.minerals
        if kind == "actor":
            return self.actors
        if kind == "bloc":
            return self.blocs
        if kind == "party":
            return self.actors + self.blocs
        if kind == "stage":
            return list(STAGES)
        return []

    def value_ok(self, kind: str, value: str) -> bool:
        if kind == "mineral":
            return value in self.mineral_set
        if kind == "actor":
            return value in self.actor_set
        if kind == "bloc":
            return value in self.bloc_set
        if kind == "party":
            return value in self.actor_set or value in self.bloc_set
        if kind == "stage":
            return value in STAGES
        return False


_KIND_WORDS = {
    "mineral": "a mineral id",
    "actor": "an actor id",
    "bloc": "a bloc id",
    "party": "an actor or bloc id",
    "stage": "a stage name",
    "team": "a team id",
}


def _unknown(kind: str, value: str, options: list[str], extra: str = "", after: str = "") -> str:
    word = {"party": "actor or bloc", "stage": "stage"}.get(kind, kind)
    options = list(dict.fromkeys(options))
    return (
        f"unknown {word} '{clean(value)}'{after}{suggest(value, options)} "
        f"(expected {_KIND_WORDS[kind]}: {id_list(options)}{extra})"
    )


def _or(words: Sequence[str]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _duplicates(src: Source, items: Sequence[Any], section: str, what: str) -> list[Problem]:
    out: list[Problem] = []
    first: dict[str, int] = {}
    for i, item in enumerate(items):
        if item.id in first:
            j = first[item.id]
            line = src.line((section, j, "id"))
            at = f"line {line}" if line is not None else f"{section}[{j}]"
            out.append(src.problem((section, i, "id"), f"duplicate {what} id '{item.id}' (first used at {at})"))
        else:
            first[item.id] = i
    return out


def _same_names(src: Source, items: Sequence[Any], section: str, what: str) -> list[Problem]:
    """Two of a kind with one name (in either language, case aside) would make every
    table, chart and news line that names them ambiguous."""
    out: list[Problem] = []
    for lang in ("en", "zh"):
        first: dict[str, int] = {}
        for i, item in enumerate(items):
            key = " ".join(getattr(item.name, lang).casefold().split())
            if key in first:
                other = items[first[key]].id
                out.append(src.problem((section, i, "name", lang),
                                       f"{what} '{item.id}' has the same name as {what} '{other}' "
                                       f"('{clean(getattr(item.name, lang))}'); each {what} needs a name of its own"))
            else:
                first[key] = i
    return out


def check_scenario(scenario: Scenario, src: Source, decks: list[DeckSource],
                   unread: Sequence[str] = ()) -> list[Problem]:
    """Every cross reference of a validated scenario and the decks it lists (``unread``:
    the listed deck files that could not be read, by name)."""
    w = _World(scenario)
    out: list[Problem] = []

    out += _duplicates(src, scenario.minerals, "minerals", "mineral")
    out += _duplicates(src, scenario.actors, "actors", "actor")
    out += _duplicates(src, scenario.teams, "teams", "team")
    out += _duplicates(src, scenario.blocs, "blocs", "bloc")
    for items, section, what in ((scenario.minerals, "minerals", "mineral"), (scenario.actors, "actors", "actor"),
                                 (scenario.teams, "teams", "team"), (scenario.blocs, "blocs", "bloc")):
        out += _same_names(src, items, section, what)
    for i, actor in enumerate(scenario.actors):
        if actor.id in SELECTORS:
            out.append(src.problem(("actors", i, "id"), f"'{actor.id}' is a reserved selector name; choose another actor id"))
    for i, bloc in enumerate(scenario.blocs):
        if bloc.id in SELECTORS:
            out.append(src.problem(("blocs", i, "id"), f"'{bloc.id}' is a reserved selector name; choose another bloc id"))
        elif bloc.id in w.actor_set:
            out.append(src.problem(("blocs", i, "id"), f"bloc id '{bloc.id}' is also an actor id; references to it would be ambiguous"))

    # decks: ids, kinds
    # (a listed file that could not be read at all has no id: say so where a deck is missed)
    missing = len(scenario.decks) - len(decks)
    if unread:
        unread = (f"; the deck file {unread[0]} could not be read (its problem is listed too)" if len(unread) == 1
                  else f"; the deck files {', '.join(unread)} could not be read (their problems are listed too)")
    else:
        unread = (f"; {missing} listed deck file(s) could not be read, see their problems" if missing > 0 else "")
    deck_by_id: dict[str, DeckSource] = {}
    failed_deck_ids: set[str] = set()
    for ds in decks:
        if ds.deck_id is None:
            continue
        if ds.deck is None:
            failed_deck_ids.add(ds.deck_id)
        if ds.deck_id in deck_by_id:
            other = deck_by_id[ds.deck_id].source.file
            out.append(ds.source.problem(("id",), f"duplicate deck id '{ds.deck_id}' (also used by {clean(other)})"))
        else:
            deck_by_id[ds.deck_id] = ds

    # cards: unique across all decks
    card_at: dict[str, tuple[DeckSource, int]] = {}
    all_card_ids: set[str] = set()
    for ds in decks:
        all_card_ids |= ds.raw_card_ids
        for i, card in ds.cards:
            all_card_ids.add(card.id)
            if card.id in card_at:
                ods, oi = card_at[card.id]
                line = ods.source.line(("cards", oi, "id"))
                at = clean(ods.source.file) + (f":{line}" if line is not None else "")
                out.append(ds.source.problem(("cards", i, "id"), f"duplicate card id '{card.id}' (also at {at})"))
            else:
                card_at[card.id] = (ds, i)

    # teams
    owner: dict[str, str] = {}
    for t, team in enumerate(scenario.teams):
        seen: set[str] = set()
        for k, actor in enumerate(team.actors):
            path = ("teams", t, "actors", k)
            if actor not in w.actor_set:
                out.append(src.problem(path, _unknown("actor", actor, w.actors)))
                continue
            if actor in seen:
                out.append(src.problem(path, f"actor '{actor}' is listed twice in this team"))
                continue
            seen.add(actor)
            if actor in owner and owner[actor] != team.id:
                out.append(src.problem(path, f"actor '{actor}' is already played by team '{owner[actor]}'; an actor belongs to one team"))
            owner.setdefault(actor, team.id)
        for k, deck_id in enumerate(team.decks):
            path = ("teams", t, "decks", k)
            if deck_id in team.decks[:k]:  # its cards would go into the draw pile twice
                out.append(src.problem(path, f"deck '{deck_id}' is listed twice in this team"))
                continue
            ds = deck_by_id.get(deck_id)
            if ds is None:
                out.append(src.problem(path, f"no deck with id '{deck_id}' is listed in `decks`{suggest(deck_id, deck_by_id)} (loaded decks: {id_list(sorted(deck_by_id))}){unread}"))
            elif ds.kind == "events":
                out.append(src.problem(path, f"deck '{deck_id}' is an events deck; teams draw from decks of kind 'team'"))

    # blocs
    for b, bloc in enumerate(scenario.blocs):
        seen = set()
        for k, member in enumerate(bloc.members):
            path = ("blocs", b, "members", k)
            if member not in w.actor_set:
                out.append(src.problem(path, _unknown("actor", member, w.actors)))
            elif member in seen:
                out.append(src.problem(path, f"actor '{member}' is listed twice in this bloc"))
            seen.add(member)

    # capacity, demand, stockpiles
    seen_rows: dict[tuple[str, str], int] = {}
    for r, row in enumerate(scenario.capacity):
        if row.mineral not in w.mineral_set:
            out.append(src.problem(("capacity", r, "mineral"), _unknown("mineral", row.mineral, w.minerals)))
        key = (row.mineral, row.stage)
        if key in seen_rows:
            out.append(src.problem(("capacity", r), f"a second capacity row for mineral '{row.mineral}' at stage '{row.stage}' (the first is capacity[{seen_rows[key]}])"))
        else:
            seen_rows[key] = r
        out += _check_values(src, ("capacity", r, "values"), row.values, w)
    for section in ("demand", "stockpiles"):
        rows = getattr(scenario, section)
        seen_min: dict[str, int] = {}
        for r, row in enumerate(rows):
            if row.mineral not in w.mineral_set:
                out.append(src.problem((section, r, "mineral"), _unknown("mineral", row.mineral, w.minerals)))
            if row.mineral in seen_min:
                out.append(src.problem((section, r), f"a second {section} row for mineral '{row.mineral}' (the first is {section}[{seen_min[row.mineral]}])"))
            else:
                seen_min[row.mineral] = r
            out += _check_values(src, (section, r, "values"), row.values, w)

    # affinity
    seen_pairs: dict[frozenset[str], int] = {}
    for p, pair in enumerate(scenario.affinity.pairs):
        a, b = pair.between
        for k, actor in enumerate(pair.between):
            if actor not in w.actor_set:
                out.append(src.problem(("affinity", "pairs", p, "between", k), _unknown("actor", actor, w.actors)))
        if a == b:
            out.append(src.problem(("affinity", "pairs", p, "between"), f"a pair needs two different actors, got '{a}' twice"))
            continue
        key = frozenset((a, b))
        if key in seen_pairs:
            out.append(src.problem(("affinity", "pairs", p), f"the pair {a}–{b} is already given in affinity.pairs[{seen_pairs[key]}]"))
        else:
            seen_pairs[key] = p

    # events deck and timeline
    events: DeckSource | None = None
    if scenario.events_deck is not None:
        ds = deck_by_id.get(scenario.events_deck)
        if ds is None:
            out.append(src.problem(("events_deck",), f"no deck with id '{scenario.events_deck}' is listed in `decks` (loaded decks: {id_list(sorted(deck_by_id))}){unread}"))
        elif ds.kind is not None and ds.kind != "events":
            out.append(src.problem(("events_deck",), f"deck '{scenario.events_deck}' is of kind '{ds.kind}'; the events deck must have `kind: events`"))
        else:
            events = ds
    elif scenario.timeline:
        out.append(src.problem(("timeline",), "the timeline plays event cards, but the scenario names no `events_deck`"))
    event_cards = {c.id: c for _, c in events.cards} if events is not None else {}
    per_turn: dict[int, int] = {}
    for e, ev in enumerate(scenario.timeline):
        path = ("timeline", e)
        per_turn[ev.turn] = per_turn.get(ev.turn, 0) + 1
        if per_turn[ev.turn] == MAX_EVENTS_PER_TURN + 1:
            out.append(src.problem(path + ("turn",), f"turn {ev.turn} has more than {MAX_EVENTS_PER_TURN} events; "
                                                     f"a turn takes at most {MAX_EVENTS_PER_TURN}"))
        if ev.turn > scenario.turns:
            out.append(src.problem(path + ("turn",), f"turn {ev.turn} is beyond the scenario's last turn ({scenario.turns})"))
        if events is None:
            continue
        card = event_cards.get(ev.card)
        if card is None:
            if events.deck is not None or ev.card not in events.raw_card_ids:
                out.append(src.problem(path + ("card",), f"'{ev.card}' is not a card of the events deck '{events.deck_id}'{suggest(ev.card, event_cards)} (its cards: {id_list(sorted(event_cards))})"))
            continue
        out += check_targets(src, path + ("targets",), card, ev.targets, w, require_all=True)
        out += _check_acting_actor(src, path, card, ev.actor, w)

    # cards
    for ds in decks:
        for i, card in ds.cards:
            out += _check_card(ds.source, i, card, w, all_card_ids)

    # a card that no team drawing its deck may play is never dealt to anyone
    drawers: dict[str, set[str]] = {}
    for team in scenario.teams:
        for deck_id in team.decks:
            drawers.setdefault(deck_id, set()).add(team.id)
    for ds in decks:
        who = drawers.get(ds.deck_id or "", set())
        if ds.kind != "team" or not who:
            continue
        for i, card in ds.cards:
            if card.playable_by and not who & set(card.playable_by) and set(card.playable_by) <= w.team_set:
                out.append(ds.source.problem(("cards", i, "playable_by"), (
                    f"no team that draws from deck '{ds.deck_id}' ({id_list(sorted(who))}) may play this card, "
                    f"so it is never dealt (playable_by names only other teams)")))
    return out


def _check_values(src: Source, path: PathT, values: dict[str, float], w: _World) -> list[Problem]:
    return [
        src.problem(path + (actor,), _unknown("actor", actor, w.actors))
        for actor in values
        if actor not in w.actor_set
    ]


def _check_card(src: Source, i: int, card: Card, w: _World, all_card_ids: set[str]) -> list[Problem]:
    out: list[Problem] = []
    base: PathT = ("cards", i)
    for k, team in enumerate(card.playable_by):
        if team in card.playable_by[:k]:
            out.append(src.problem(base + ("playable_by", k), f"team '{team}' is listed twice"))
        elif team not in w.team_set:
            out.append(src.problem(base + ("playable_by", k), f"unknown team '{team}'{suggest(team, w.teams)} (teams: {id_list(w.teams)})"))
    targets = {t.name: t for t in card.targets}
    for t, spec in enumerate(card.targets):
        if spec.choices is None:
            continue
        options = w.ids_of(spec.kind)
        for c, choice in enumerate(spec.choices):
            if choice in spec.choices[:c]:
                out.append(src.problem(base + ("targets", t, "choices", c), f"'{clean(choice)}' is listed twice among the choices of target '{spec.name}'"))
            elif not w.value_ok(spec.kind, choice):
                out.append(src.problem(base + ("targets", t, "choices", c), _unknown(spec.kind, choice, options, after=f" among the choices of target '{spec.name}' (kind {spec.kind})")))
    for e, effect in enumerate(card.effects):
        for name, info in type(effect).model_fields.items():
            alias = info.alias or name
            if alias in MINERAL_FIELDS:
                category = "mineral"
            elif alias in PARTY_FIELDS:
                category = "party"
            elif alias in BLOC_FIELDS:
                category = "bloc"
            elif alias in STAGE_FIELDS:
                category = "stage"
            else:
                continue
            value = getattr(effect, name)
            values = value if isinstance(value, list) else [value]
            for k, ref in enumerate(values):
                path = base + ("effects", e, alias) + ((k,) if isinstance(value, list) else ())
                msg = _check_ref(category, ref, targets, w)
                if msg:
                    out.append(src.problem(path, msg))
    for c, cond in enumerate(card.conditions):
        path = base + ("conditions", c)
        if isinstance(cond, (MemberOf, NotMemberOf)) and cond.bloc not in w.bloc_set:
            out.append(src.problem(path + ("bloc",), _unknown("bloc", cond.bloc, w.blocs)))
        elif isinstance(cond, HasCapacity):
            msg = _check_ref("mineral", cond.mineral, targets, w)
            if msg:
                out.append(src.problem(path + ("mineral",), msg))
        elif isinstance(cond, PlayedBefore):
            if cond.card not in all_card_ids:
                out.append(src.problem(path + ("card",), f"unknown card '{cond.card}'{suggest(cond.card, all_card_ids)} (no deck of the scenario has it)"))
            if cond.team is not None and cond.team not in w.team_set:
                out.append(src.problem(path + ("team",), _unknown("team", cond.team, w.teams)))
    return out


def _check_ref(category: str, ref: str, targets: dict[str, Any], w: _World) -> str | None:
    if ref.startswith("$"):
        spec = targets.get(ref[1:])
        if spec is None:  # the schema already reports this
            return None
        allowed = _TARGET_KINDS_FOR[category]
        if spec.kind not in allowed:
            return f"${spec.name} is a target of kind {spec.kind}, but this field needs a target of kind {_or(allowed)}"
        return None
    if category == "stage":
        return None  # a literal stage name is checked by the schema
    if category == "mineral":
        if ref not in w.mineral_set:
            return _unknown("mineral", ref, w.minerals, ", or a $target of kind mineral")
    elif category == "bloc":
        if ref not in w.bloc_set:
            return _unknown("bloc", ref, w.blocs, ", or a $target of kind bloc")
    elif ref not in w.actor_set and ref not in w.bloc_set and ref not in SELECTORS:
        options = list(SELECTORS) + w.actors + w.blocs
        return (
            f"unknown actor or bloc '{clean(ref)}'{suggest(ref, list(dict.fromkeys(options)))} (expected a selector "
            f"({', '.join(SELECTORS)}), an actor id ({id_list(w.actors)}), a bloc id "
            f"({id_list(w.blocs)}), or a $target of kind actor, bloc or party)"
        )
    return None


def check_targets(
    src: Source,
    path: PathT,
    card: Card,
    given: dict[str, str],
    w: _World,
    *,
    require_all: bool,
) -> list[Problem]:
    """Targets picked for a card: declared by it, of the right kind, within its choices."""
    out: list[Problem] = []
    declared = {t.name: t for t in card.targets}
    for name, value in given.items():
        spec = declared.get(name)
        if spec is None:
            has = f"its targets: {id_list(declared)}" if declared else "it takes no targets"
            out.append(src.problem(path + (name,), f"card '{card.id}' has no target '{clean(name)}'{suggest(name, declared)} ({has})"))
            continue
        if spec.choices is not None and value not in spec.choices:
            out.append(src.problem(path + (name,), f"'{clean(value)}' is not one of the choices for target '{name}' of card '{card.id}' (choices: {id_list(spec.choices)})"))
        elif not w.value_ok(spec.kind, value):
            out.append(src.problem(path + (name,), _unknown(spec.kind, value, w.ids_of(spec.kind), after=f" for target '{name}' of card '{card.id}'")))
    if require_all:
        for name, spec in declared.items():
            if name not in given:
                out.append(src.problem(path, f"missing target '{name}' ({_KIND_WORDS[spec.kind]}) for card '{card.id}'"))
    return out


def check_deck_alone(deck: Deck, src: Source) -> list[Problem]:
    """Checks a deck needs no scenario for: unique card ids, stage choices."""
    out: list[Problem] = []
    out += _duplicates(src, deck.cards, "cards", "card")
    for i, card in enumerate(deck.cards):
        for t, spec in enumerate(card.targets):
            if spec.kind == "stage" and spec.choices is not None:
                for c, choice in enumerate(spec.choices):
                    if choice not in STAGES:
                        out.append(src.problem(("cards", i, "targets", t, "choices", c), _unknown("stage", choice, list(STAGES))))
    return out


def check_orders(orders: OrdersFile, src: Source, content: Content) -> list[Problem]:
    """An orders file against the scenario and decks it will be played with."""
    scenario = content.scenario
    w = _World(scenario)
    out: list[Problem] = []
    if orders.scenario is not None and orders.scenario != scenario.id:
        out.append(src.problem(("scenario",), f"these orders are for scenario '{orders.scenario}', but they are checked against scenario '{scenario.id}'"))
    teams = {t.id: t for t in scenario.teams}
    events = {c.id: c for c in content.event_cards()}
    seen_turns: dict[int, int] = {}
    for i, turn in enumerate(orders.turns):
        tpath: PathT = ("turns", i)
        if turn.turn > scenario.turns:
            out.append(src.problem(tpath + ("turn",), f"turn {turn.turn} is beyond the scenario's last turn ({scenario.turns})"))
        if turn.turn in seen_turns:
            out.append(src.problem(tpath + ("turn",), f"turn {turn.turn} is scripted twice (also turns[{seen_turns[turn.turn]}])"))
        else:
            seen_turns[turn.turn] = i
        for team_id, team_orders in turn.orders.items():
            opath = tpath + ("orders", team_id)
            team = teams.get(team_id)
            if team is None:
                out.append(src.problem(opath, f"unknown team '{team_id}'{suggest(team_id, teams)} (teams: {id_list(teams)})"))
                continue
            for k, order in enumerate(team_orders):
                path = opath + (k,)
                card = content._cards.get(order.card)
                if card is None:
                    out.append(src.problem(path + ("card",), f"unknown card '{order.card}'{suggest(order.card, content._cards)}"))
                    continue
                card_obj, deck = card
                if deck.id not in team.decks:
                    out.append(src.problem(path + ("card",), f"card '{order.card}' is in deck '{deck.id}', which team '{team_id}' does not draw from (its decks: {id_list(team.decks)})"))
                elif card_obj.playable_by and team_id not in card_obj.playable_by:
                    out.append(src.problem(path + ("card",), f"card '{order.card}' may only be played by {id_list(card_obj.playable_by)}, not by team '{team_id}'"))
                if order.actor is not None and order.actor not in team.actors:
                    out.append(src.problem(path + ("actor",), f"actor '{order.actor}' is not played by team '{team_id}' (its actors: {id_list(team.actors)})"))
                out += check_targets(src, path + ("targets",), card_obj, order.targets, w, require_all=True)
            known = [content._cards[o.card][0].cost for o in team_orders if o.card in content._cards]
            if sum(known) > team.budget:
                out.append(src.problem(opath, f"turn {turn.turn}: these orders cost {sum(known)}, over the "
                                              f"team's budget of {team.budget} a turn"))
        for j, inject in enumerate(turn.injects):
            path = tpath + ("injects", j)
            if inject.source != "facilitator":
                out.append(src.problem(path + ("source",), "an inject is the White Cell's: 'facilitator' (the "
                                       "default); the scenario's timeline schedules its own events"))
            card_obj = events.get(inject.card)
            if card_obj is None:
                if scenario.events_deck is None:
                    why = "the scenario has no events deck"
                else:
                    why = f"events deck '{scenario.events_deck}' has: {id_list(sorted(events))}"
                out.append(src.problem(path + ("card",), f"'{inject.card}' is not an event card{suggest(inject.card, events)} ({why})"))
                continue
            out += check_targets(src, path + ("targets",), card_obj, inject.targets, w, require_all=True)
            out += _check_acting_actor(src, path, card_obj, inject.actor, w)
        # this turn's events, as the White Cell sees them: the timeline's, then the injects
        queued = [ev.card for ev in scenario.timeline if ev.turn == turn.turn] + [j.card for j in turn.injects]
        if turn.injects and len(queued) > MAX_EVENTS_PER_TURN:
            out.append(src.problem(tpath + ("injects",), f"turn {turn.turn} would have {len(queued)} events with the "
                                                         f"timeline's; a turn takes at most {MAX_EVENTS_PER_TURN}"))
        for j, gone in enumerate(turn.withdraw):
            path = tpath + ("withdraw", j)
            if gone.index >= len(queued):
                out.append(src.problem(path + ("index",), f"turn {turn.turn} has {len(queued)} event(s) left to withdraw (timeline first, then injects, counting from 0); there is no event {gone.index}"))
            elif queued[gone.index] != gone.card:
                out.append(src.problem(path + ("card",), f"event {gone.index} of turn {turn.turn} is '{queued[gone.index]}', not '{gone.card}'"))
            else:
                del queued[gone.index]
        ruled: dict[tuple[str, int], int] = {}  # rulings in force per order
        for j, override in enumerate(turn.overrides):
            path = tpath + ("overrides", j)
            which = (override.team, override.index)
            if override.action == "lift":
                if not ruled.get(which):
                    out.append(src.problem(path + ("action",), f"no override of team '{override.team}' order {override.index} in force in turn {turn.turn}: nothing to lift"))
                else:
                    ruled[which] -= 1
                continue
            ruled[which] = ruled.get(which, 0) + 1
            team_orders = turn.orders.get(override.team)
            if team_orders is None:
                out.append(src.problem(path + ("team",), f"team '{override.team}' gives no orders in turn {turn.turn}, so there is nothing to override"))
                continue
            if override.index >= len(team_orders):
                out.append(src.problem(path + ("index",), f"team '{override.team}' gives {len(team_orders)} order(s) in turn {turn.turn}; there is no order {override.index} (orders count from 0)"))
                continue
            if override.action == "amend":
                card = content._cards.get(team_orders[override.index].card)
                if card is not None:
                    out += check_targets(src, path + ("targets",), card[0], override.targets, w, require_all=False)
    return out
