"""A team's briefing: what a team is handed before it plays (or between sessions).

The scenario in a few lines; who the team plays, its blocs, its budget and hand; where it
stands on every meter; how it gets each mineral it needs (import share, reliance on
rivals, supplier concentration, its largest suppliers); and every card of its decks with
what it does, what it asks for and when it may be played. As Markdown, or as a web page
(``wargame.report.html``); written by ``wargame briefing``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from wargame.report.cards import card_facts, name_of
from wargame.report.cards import WORDS as CARD_WORDS
from wargame.report.debrief import md
from wargame.report.labels import fmt1, tr, unit
from wargame.report.words import COMPARE, Names, paren, short_meter, turn_year

if TYPE_CHECKING:
    from wargame.game.seminar import Seminar
    from wargame.model.deck import Card

WORDS = {
    "title": {"en": "Briefing: {team}", "zh": "简报：{team}"},
    "titles": {"en": "Briefings: {scenario}", "zh": "简报：{scenario}"},
    "facts": {"en": "{scenario} · {n} turns, {first}–{last} · briefing for the start of the game",
              "zh": "{scenario} · 共 {n} 回合（{first}–{last} 年）· 开局简报"},
    "facts_later": {"en": "{scenario} · {n} turns, {first}–{last} · briefing after turn {k} ({year})",
                    "zh": "{scenario} · 共 {n} 回合（{first}–{last} 年）· 第 {k} 回合（{year} 年）后的简报"},
    "team": {"en": "Your team", "zh": "你的队伍"},
    "plays": {"en": "You play {actors}.", "zh": "你方行为体：{actors}。"},
    "blocs": {"en": "Your blocs: {blocs}.", "zh": "你方所在集团：{blocs}。"},
    "no_blocs": {"en": "You belong to no bloc.", "zh": "你方不属于任何集团。"},
    "budget": {"en": "Each turn you hold a hand of {hand} cards drawn from your decks and may spend up to "
                     "{budget} points on them. Orders are sealed: the other teams see them only when all "
                     "have committed.",
               "zh": "每回合你方从牌组中抽取 {hand} 张手牌，可在其中花费至多 {budget} 点。命令是密封的："
                     "各队全部提交后才会公开。"},
    "others": {"en": "The other teams: {teams}.", "zh": "其他队伍：{teams}。"},
    "where": {"en": "Where you stand", "zh": "你方现状"},
    "where_note": {"en": "Dependency, leverage and cohesion run from 0 to 100; cost is 100 at the start, so "
                         "above 100 your supply costs more than it did. Lock-in is what has been sunk into "
                         "a path and would be lost by turning back.",
                   "zh": "依赖度、影响力和凝聚力的范围为 0–100；成本开局为 100，高于 100 表示供应成本高于开局。"
                         "锁定为已投入某一路径、回头即会损失的沉没成本。"},
    "meter": {"en": "Meter", "zh": "指标"},
    "value": {"en": "Value", "zh": "数值"},
    "world": {"en": "the world", "zh": "全球"},
    "supply": {"en": "Your supply chains", "zh": "你方供应链"},
    "supply_note": {"en": "For each mineral and stage an actor needs: the share it imports, the share it gets "
                          "from rivals, how concentrated its suppliers are (HHI: 10 000 is a single supplier) "
                          "and its largest suppliers, itself included (!: a rival).",
                    "zh": "每个行为体所需的每种矿产及环节：进口占比、来自对手的占比、供应方集中度（HHI：10000 "
                          "表示单一供应方）以及主要供应方，包括其自身（!：对手）。"},
    "nothing_needed": {"en": "{actor} needs no mineral from the market.", "zh": "{actor}不需要从市场获取矿产。"},
    "cards": {"en": "Your cards", "zh": "你方卡牌"},
    "cards_note": {"en": "Every card of your decks ({n}). Your hand each turn is drawn from them.",
                   "zh": "你方牌组中的全部卡牌（{n} 种）。每回合的手牌从中抽取。"},
    "copies": {"en": "{n} copies", "zh": "{n} 张"},
    "one_copy": {"en": "1 copy", "zh": "1 张"},
    "wc_title": {"en": "Briefing: the White Cell", "zh": "简报：白方"},
    "wc_teams": {"en": "The teams", "zh": "各队"},
    "wc_team": {"en": "Team", "zh": "队伍"},
    "wc_actors": {"en": "Actors", "zh": "行为体"},
    "wc_blocs": {"en": "Blocs", "zh": "集团"},
    "wc_budget": {"en": "Budget", "zh": "预算"},
    "wc_hand": {"en": "Hand", "zh": "手牌"},
    "wc_meters_note": {"en": "Every team's headline meters (means over its actors; value added: their sum; "
                             "cohesion: the mean over its blocs).",
                       "zh": "各队的主要指标（团队取其行为体的平均值；增加值为总和；凝聚力为其所在集团的平均值）。"},
    "wc_timeline": {"en": "The timeline", "zh": "时间线"},
    "wc_timeline_note": {"en": "The events the scenario injects by itself, at the start of their turn. The White "
                               "Cell may withdraw one before resolving, with a rationale.",
                         "zh": "想定在相应回合开始时自动插入的事件。白方可在结算前附理由撤除。"},
    "wc_turn": {"en": "turn {n}", "zh": "第 {n} 回合"},
    "year": {"en": "Year", "zh": "年份"},
    "wc_event": {"en": "Event", "zh": "事件"},
    "wc_targets": {"en": "On", "zh": "对象"},
    "wc_note": {"en": "Note", "zh": "说明"},
    "wc_done": {"en": "(already played)", "zh": "（已发生）"},
    "wc_no_timeline": {"en": "The scenario injects no event by itself.", "zh": "想定不会自动插入事件。"},
    "wc_events": {"en": "The events deck", "zh": "事件牌组"},
    "wc_events_note": {"en": "The events the White Cell may inject in any turn ({n}).",
                       "zh": "白方可在任一回合插入的事件（{n} 种）。"},
}


def _table(head: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> list[str]:
    """A Markdown table; the columns numbered in ``right`` aligned right."""
    align = ["---:" if k in right else "---" for k in range(len(head))]
    return ["| " + " | ".join(head) + " |", "|" + "|".join(align) + "|"] + ["| " + " | ".join(r) + " |" for r in rows]


def _share(x: float) -> str:
    return f"{x * 100:.0f}%" if x >= 0.005 else "<1%"


def briefing_blocks(seminar: "Seminar", team: str, lang: str = "en") -> list[str]:
    """The briefing of ``team`` as Markdown blocks (a heading per block)."""
    s = seminar
    spec = s.session.content.team(team)
    sep = "、" if lang == "zh" else ", "
    actors = s.actors(team)
    blocs = s.blocs_of(team)
    bloc_names = [name_of(s, "bloc", b, lang) for b in blocs]
    others = [s.team_name(t, lang) for t in s.teams if t != team]
    mine = ["", f"## {tr(WORDS, 'team', lang)}", "",
            f"- {md(tr(WORDS, 'plays', lang, actors=sep.join(s.actor_name(a, lang) for a in actors)))}",
            f"- {md(tr(WORDS, 'blocs', lang, blocs=sep.join(bloc_names)) if blocs else tr(WORDS, 'no_blocs', lang))}",
            f"- {md(tr(WORDS, 'budget', lang, hand=spec.hand_size, budget=spec.budget))}",
            f"- {md(tr(WORDS, 'others', lang, teams=sep.join(others)))}"]

    # the team's meters: a column per actor, then its blocs' cohesion and the world's securitisation
    values = {(row.meter, row.key): row.value for row in s.dashboard(team)}
    meters = ("dependency", "cost", "leverage", "lock_in", "value_added")
    where = ["", f"## {tr(WORDS, 'where', lang)}", "", md(tr(WORDS, "where_note", lang)), ""]
    where += _table([tr(WORDS, "meter", lang)] + [md(s.actor_name(a, lang)) for a in actors],
                    [[md(f"{short_meter(m, lang)} ({unit(m, lang)})")] + [fmt1(values[(m, a)]) for a in actors]
                     for m in meters], right=set(range(1, len(actors) + 1)))
    shared = [[md(f"{short_meter('cohesion', lang)}: {name_of(s, 'bloc', b, lang)} ({unit('cohesion', lang)})"),
               fmt1(values[("cohesion", b)])] for b in blocs]
    shared.append([md(f"{short_meter('securitisation', lang)}: {tr(WORDS, 'world', lang)} "
                      f"({unit('securitisation', lang)})"), fmt1(values[("securitisation", "")])])
    where += [""] + _table([tr(WORDS, "meter", lang), tr(WORDS, "value", lang)], shared, right={1})

    supply = ["", f"## {tr(WORDS, 'supply', lang)}", "", md(tr(WORDS, "supply_note", lang))]
    for actor in actors:
        name = s.actor_name(actor, lang)
        needed = [r for r in s.dependency(actor, top=3) if r.need]
        supply += ["", f"### {md(name)}", ""]
        if not needed:
            supply.append(md(tr(WORDS, "nothing_needed", lang, actor=name)))
            continue
        table = []
        for r in needed:
            suppliers = sep.join(f"{s.actor_name(x.actor, lang)} {_share(x.share)}" + (" !" if x.rival else "")
                                 for x in r.suppliers)
            table.append([md(name_of(s, "mineral", r.mineral, lang)), md(name_of(s, "stage", r.stage, lang)),
                          f"{r.import_reliance:.0f}", f"{r.rival_reliance:.0f}", f"{r.hhi:.0f}", md(suppliers) or "—"])
        supply += _table([tr(CARD_WORDS, f"col_{k}", lang) for k in ("mineral", "stage", "import", "rival", "hhi",
                                                                        "suppliers")], table, right={2, 3, 4})

    cards = s.session.content.team_cards(team)
    deck = ["", f"## {tr(WORDS, 'cards', lang)}", "", md(tr(WORDS, "cards_note", lang, n=len(cards)))]
    for card in cards:
        deck += _card_lines(s, card, lang)
    return ["\n".join(_head(s, tr(WORDS, "title", lang, team=s.team_name(team, lang)), lang)), "\n".join(mine),
            "\n".join(where), "\n".join(supply), "\n".join(deck)]


def _head(seminar: "Seminar", title: str, lang: str) -> list[str]:
    """A briefing's title, the scenario and the moment, and the scenario's description."""
    s = seminar
    sc = s.session.scenario
    played = len(s.session.records)
    facts = dict(scenario=sc.name.get(lang), n=sc.turns, first=turn_year(s, 1), last=turn_year(s, sc.turns))
    return [f"# {md(title)}", "",
            md(tr(WORDS, "facts_later", lang, k=played, year=turn_year(s, played), **facts) if played
               else tr(WORDS, "facts", lang, **facts)), "", md(sc.description.get(lang))]


def _card_lines(seminar: "Seminar", card: "Card", lang: str, cost: bool = True) -> list[str]:
    """One card in words: a heading, its cost, copies and other-language name, its text,
    then its mechanism, source, choices and conditions."""
    sep = "、" if lang == "zh" else ", "
    f = card_facts(seminar, card, lang)
    copies = tr(WORDS, "copies", lang, n=f.copies) if f.copies != 1 else tr(WORDS, "one_copy", lang)
    price = f"**{md(tr(CARD_WORDS, 'd_cost', lang, cost=f.cost))}** · " if cost else ""
    out = ["", f"### {md(f.name)}", "", f"{price}{md(copies)} · *{md(f.other_name)}*", "", md(f.text), ""]
    if f.mechanism:
        out.append(f"- **{md(tr(CARD_WORDS, 'd_mechanism', lang).strip())}** {md(f.mechanism)}")
    if f.source:
        out.append(f"- **{md(tr(CARD_WORDS, 'd_source', lang).strip())}** {md(f.source)}")
    for prompt, values in f.targets:
        out.append(f"- **{md(prompt)}** {md(sep.join(values))}")
    conditions = "; ".join(f.conditions) if f.conditions else tr(CARD_WORDS, "d_none", lang)
    out.append(f"- **{md(tr(CARD_WORDS, 'd_conditions', lang).strip())}** {md(conditions)}")
    return out


def white_cell_blocks(seminar: "Seminar", lang: str = "en") -> list[str]:
    """The White Cell's briefing: the teams at a glance, every team's headline meters, the
    scripted timeline (what the game will inject, and when) and every card of the events
    deck."""
    s = seminar
    sc = s.session.scenario
    sep = "、" if lang == "zh" else ", "
    names = Names(s, lang)
    teams = ["", f"## {tr(WORDS, 'wc_teams', lang)}", ""]
    rows = []
    for t in s.teams:
        spec = s.session.content.team(t)
        rows.append([md(s.team_name(t, lang)), md(sep.join(s.actor_name(a, lang) for a in s.actors(t))),
                     md(sep.join(name_of(s, "bloc", b, lang) for b in s.blocs_of(t))) or "—",
                     str(spec.budget), str(spec.hand_size)])
    teams += _table([tr(WORDS, k, lang) for k in ("wc_team", "wc_actors", "wc_blocs", "wc_budget", "wc_hand")], rows,
                    right={3, 4})
    now = s.comparison()
    teams += ["", md(tr(WORDS, "wc_meters_note", lang)), ""]
    teams += _table([tr(WORDS, "meter", lang)] + [md(s.team_name(t, lang)) for t in s.teams],
                    [[md(f"{short_meter(m, lang)} ({unit(m, lang)})")] + [fmt1(now[t].get(m, math.nan)) for t in s.teams]
                     for m in COMPARE], right=set(range(1, len(s.teams) + 1)))

    played = len(s.session.records)
    timeline = ["", f"## {tr(WORDS, 'wc_timeline', lang)}", "", md(tr(WORDS, "wc_timeline_note", lang)), ""]
    rows = []
    for ev in sorted(sc.timeline, key=lambda e: e.turn):
        what = names.card(ev.card) + (paren(names.actors.get(ev.actor, ev.actor), lang) if ev.actor else "")
        targets = names.targets(ev.card, dict(ev.targets))
        done = tr(WORDS, "wc_done", lang) if ev.turn <= played else ""
        rows.append([f"{turn_year(s, ev.turn)} ({tr(WORDS, 'wc_turn', lang, n=ev.turn)})", md(what),
                     md(targets) or "—", md(" ".join(x for x in (ev.note or "", done) if x)) or "—"])
    timeline += _table([tr(WORDS, k, lang) for k in ("year", "wc_event", "wc_targets", "wc_note")], rows) if rows \
        else [md(tr(WORDS, "wc_no_timeline", lang))]

    cards = s.session.content.event_cards()
    events = ["", f"## {tr(WORDS, 'wc_events', lang)}", "", md(tr(WORDS, "wc_events_note", lang, n=len(cards)))]
    for card in cards:
        events += _card_lines(s, card, lang, cost=False)  # the White Cell pays nothing for an event
    return ["\n".join(_head(s, tr(WORDS, "wc_title", lang), lang)), "\n".join(teams), "\n".join(timeline),
            "\n".join(events)]


def briefing_title(seminar: "Seminar", teams: list[str], lang: str, white_cell: bool = False) -> str:
    if len(teams) == 1 and not white_cell:
        return tr(WORDS, "title", lang, team=seminar.team_name(teams[0], lang))
    if not teams and white_cell:
        return tr(WORDS, "wc_title", lang)
    return tr(WORDS, "titles", lang, scenario=seminar.session.scenario.name.get(lang))


def all_blocks(seminar: "Seminar", teams: list[str], lang: str, white_cell: bool = False) -> list[str]:
    """The briefings of ``teams`` one after another, then the White Cell's if asked."""
    blocks = [b for t in teams for b in briefing_blocks(seminar, t, lang)]
    return blocks + (white_cell_blocks(seminar, lang) if white_cell else [])


def briefing_markdown(seminar: "Seminar", teams: list[str], lang: str = "en", white_cell: bool = False) -> str:
    """The briefings of ``teams`` (and the White Cell's), one after another, as Markdown."""
    return "\n".join(all_blocks(seminar, teams, lang, white_cell)) + "\n"
