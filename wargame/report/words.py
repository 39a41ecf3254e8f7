"""The report in words: what the report screens, the debrief handout and the comparison
of games say, in either language, from a seminar's views (no textual here).

``why_groups`` puts a turn's ledger into plain words, meter by meter; ``order_lines`` and
``inject_line`` reveal the orders and events; ``news_words`` gives an engine news line in
the reader's language; ``signed`` and ``with_change`` format every change the same way.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wargame.engine.meters import LEDGER_METERS
from wargame.game.session import replace_order
from wargame.model.loader import one_line
from wargame.report.charts import Chart, indexed
from wargame.report.labels import LABELS, fmt1, label, tr, unit
from wargame.report.names import Names as SharedNames

if TYPE_CHECKING:
    from wargame.game.seminar import Report, Seminar, Why
    from wargame.game.session import Session
    from wargame.model.records import Inject, Order, Override

WORDS = {
    "forked": {"en": "a fork of {parent} after turn {k}", "zh": "由 {parent} 在第 {k} 回合后分出"},
    "forked_start": {"en": "a fork of {parent} at its start", "zh": "由 {parent} 在开局时分出"},
    "forked_since": {"en": "turns up to {k} played again since", "zh": "此后第 {k} 回合及之前的回合已重新推演"},
    # title and hint
    "report": {"en": "Report on turn {n} of {t} ({year})", "zh": "第 {n} 回合结算报告（共 {t} 回合，{year}年）"},
    "debrief": {"en": "Debrief: the game is over after {t} turns · turn {n} ({year})",
                "zh": "复盘：推演已结束（共 {t} 回合）· 第 {n} 回合（{year}年）"},
    "nothing": {"en": "No turn has been resolved yet", "zh": "尚未结算任何回合"},
    "hint_next": {"en": "Read what happened and why, then press Enter to go on to turn {n}.",
                  "zh": "先看本回合发生了什么、原因何在，然后按 Enter 进入第 {n} 回合。"},
    "hint_last": {"en": "That was the last turn: press Enter for the debrief.",
                  "zh": "这是最后一个回合：按 Enter 进入复盘。"},
    "hint_final": {"en": "The game is over. Compare the teams (tab 4), browse the turns with [ and ], "
                         "write a handout with Ctrl+P → Debrief, play on from an earlier turn with "
                         "Ctrl+P → What-if, then press Ctrl+Q to quit.",
                   "zh": "推演已结束。可比较各队（第 4 页），用 [ 和 ] 翻看各回合，用 Ctrl+P → 复盘 写出讲义，"
                         "用 Ctrl+P → 假设推演 从较早回合另开一局，然后按 Ctrl+Q 退出。"},
    "hint_none": {"en": "Press Enter to go on.", "zh": "按 Enter 继续。"},
    "hint_past": {"en": "You are looking at an earlier turn (] or → goes forward).",
                  "zh": "正在查看较早的回合（按 ] 或 → 向后翻）。"},
    "hint_tabs": {"en": "Tabs: 1-5 or t.", "zh": "切换页面：1-5 或 t。"},
    # tabs
    "tab_news": {"en": "1 News", "zh": "1 新闻"},
    "tab_why": {"en": "2 Why the meters moved", "zh": "2 指标变动原因"},
    "tab_charts": {"en": "3 Charts", "zh": "3 图表"},
    "tab_compare": {"en": "4 Teams side by side", "zh": "4 各队对比"},
    "tab_timeline": {"en": "5 Timeline", "zh": "5 时间线"},
    "timeline_head": {"en": "What each team played each year, as ruled (struck through: vetoed), and the events.",
                      "zh": "各队每年所出的牌（以裁定为准；删除线表示被否决），以及当年的事件。"},
    "timeline_year": {"en": "Year", "zh": "年份"},
    "timeline_events": {"en": "Events", "zh": "事件"},
    "timeline_none": {"en": "No turn has been resolved yet.", "zh": "尚未结算任何回合。"},
    "timeline_more": {"en": "and {n} more (in the debrief)", "zh": "另有 {n} 项（见复盘）"},
    # news
    "orders": {"en": "Orders revealed", "zh": "各队命令揭晓"},
    "passed": {"en": "no orders this turn", "zh": "本回合未出牌"},
    "vetoed": {"en": "VETOED by the White Cell: {why}", "zh": "白方否决：{why}"},
    "amended": {"en": "amended by the White Cell (was {was}): {why}", "zh": "白方修改（原为 {was}）：{why}"},
    "by": {"en": "by {who}", "zh": "由{who}执行"},
    "injects": {"en": "Events injected", "zh": "插入的事件"},
    "no_injects": {"en": "none", "zh": "无"},
    "timeline": {"en": "scheduled in the scenario", "zh": "情景预设"},
    "facilitator": {"en": "played by the White Cell", "zh": "白方插入"},
    "news": {"en": "What happened", "zh": "发生了什么"},
    "no_news": {"en": "nothing to report", "zh": "无"},
    "events": {"en": "Thresholds crossed", "zh": "越过的临界点"},
    # why
    "why_head": {"en": "Turn {n}: every meter that moved, its change and the causes · showing {who} · {which}",
                 "zh": "第 {n} 回合：每个变动的指标、变动幅度及原因 · 显示：{who} · {which}"},
    "all_teams": {"en": "all teams", "zh": "所有队伍"},
    "headline_only": {"en": "headline meters (d adds minerals and stages)",
                      "zh": "主要指标（按 d 加入各矿产与环节）"},
    "with_detail": {"en": "with minerals and stages (d hides them)", "zh": "含各矿产与环节（按 d 隐藏）"},
    "nothing_moved": {"en": "No meter moved by {x} or more.", "zh": "没有指标变动达到 {x}。"},
    "smaller": {"en": "smaller effects together", "zh": "其他较小影响合计"},
    "carry_over": {"en": "earlier decisions and market dynamics (prices, demand, measures in force)",
                   "zh": "此前的决定与市场动态（价格、需求、仍在生效的措施）"},
    "feedback": {"en": "feedback: {what}", "zh": "反馈机制：{what}"},
    "arrival_cap": {"en": "new capacity arriving from {card} (turn {t})",
                    "zh": "{card}带来的新产能到位（第 {t} 回合）"},
    "arrival_demand": {"en": "demand change arriving from {card} (turn {t})",
                       "zh": "{card}带来的需求变化生效（第 {t} 回合）"},
    "arrival_market": {"en": "new capacity drawn in by high prices", "zh": "高价吸引的新产能到位"},
    "arrival_floor": {"en": "new capacity drawn in by a price floor", "zh": "价格下限吸引的新产能到位"},
    "arrival_backlash": {"en": "new capacity from a self-reliance drive after coercion",
                         "zh": "遭胁迫后自力更生带来的新产能到位"},
    "white_cell": {"en": "White Cell", "zh": "白方"},
    "turn_n": {"en": "turn {t}", "zh": "第 {t} 回合"},
    "of": {"en": "{meter} of {what}", "zh": "{what}的{meter}"},
    # charts
    "price_chart_unit": {"en": "price index, 100 = the start", "zh": "价格指数，开局 = 100"},
    "stage_price_note": {"en": "The {stage} price of each mineral as an index (100 = the start). The price "
                               "meter is the refined price; a shock at the mines shows first here, and "
                               "refineries pass on what their ore costs more.",
                         "zh": "各矿产{stage}价格的指数（开局 = 100）。价格指标是加工环节的价格；矿山环节的冲击先在这里显现，"
                               "冶炼厂再把矿石涨价的部分传导下去。"},
    "stage_extraction": {"en": "ore", "zh": "矿石"},
    "stage_manufacturing": {"en": "manufactured-goods", "zh": "制成品"},
    "price_chart_note": {"en": "Each mineral's price is drawn as an index (100 = its price at the start), so that "
                               "minerals of very different prices share one chart; the table gives the prices.",
                         "zh": "各矿产价格以指数绘制（开局价格 = 100），以便价格差异很大的矿产共用一张图；"
                               "价格数值见下表。"},
    "chart_head": {"en": "{meter} ({unit}), turn 0 = start · showing {who} · m: next meter, f: team",
                   "zh": "{meter}（{unit}），第 0 回合为初始 · 显示：{who} · m 换指标，f 换队伍"},
    "team_lines": {"en": "one line per team ({how})", "zh": "每队一条线（{how}）"},
    "mean_actors": {"en": "mean of its actors", "zh": "其行为体的平均值"},
    "sum_actors": {"en": "sum of its actors", "zh": "其行为体之和"},
    "each_bloc": {"en": "one line per bloc", "zh": "每个集团一条线"},
    "each_mineral": {"en": "one line per mineral", "zh": "每种矿产一条线"},
    "each_actor": {"en": "the actors of {team}", "zh": "{team}的各行为体"},
    "blocs_of": {"en": "the blocs of {team}", "zh": "{team}所在的集团"},
    "world": {"en": "the whole world", "zh": "全球"},
    "no_lines": {"en": "Nothing to chart for {team}.", "zh": "{team}没有可绘制的数据。"},
    # comparison
    "compare_head": {"en": "Every team now (after turn {n}), in brackets the change since the start: means "
                           "over a team's actors; value added is their sum; cohesion is over the blocs the "
                           "team belongs to.",
                     "zh": "各队当前状况（第 {n} 回合结束后），括号内为与开局相比的变化。\n取各队行为体的平均值；"
                           "增加值为总和；凝聚力取该队所在集团的平均值。"},
    "units": {"en": "Units", "zh": "单位"},
    "meter_col": {"en": "Meter", "zh": "指标"},
}

# Full meter names for sentences (the short table labels live in labels.LABELS).
METER_WORDS = {
    "dependency": {"en": "Dependency", "zh": "依赖度"},
    "cost": {"en": "Cost of supply", "zh": "供应成本"},
    "leverage": {"en": "Leverage", "zh": "杠杆"},
    "value_added": {"en": "Value added", "zh": "增加值"},
    "lock_in": {"en": "Lock-in", "zh": "锁定"},
    "cohesion": {"en": "Cohesion", "zh": "凝聚力"},
    "securitisation": {"en": "Securitisation index", "zh": "安全化指数"},
    "price": {"en": "Price", "zh": "价格"},
    "ore_price": {"en": "Ore price", "zh": "矿石价格"},
    "goods_price": {"en": "Price of manufactured goods", "zh": "制成品价格"},
    "shortage": {"en": "Shortage", "zh": "短缺"},
    "processing_share": {"en": "Share of world processing", "zh": "全球加工份额"},
    "import_reliance": {"en": "Import reliance", "zh": "进口依赖"},
    "rival_reliance": {"en": "Reliance on rivals", "zh": "对手依赖"},
    "hhi": {"en": "Supplier concentration", "zh": "供应商集中度"},
}

# The engine's mechanism names (cards' effects and the feedback steps), in words.
MECHANISM_WORDS = {
    "weaponised interdependence": {"en": "weaponised interdependence", "zh": "相互依赖的武器化"},
    "resource nationalism": {"en": "resource nationalism", "zh": "资源民族主义"},
    "trade defence": {"en": "trade defence", "zh": "贸易防御"},
    "friend-shoring": {"en": "friend-shoring", "zh": "友岸外包"},
    "supply-chain internalisation": {"en": "supply-chain internalisation", "zh": "供应链内部化"},
    "club formation": {"en": "club formation", "zh": "俱乐部组建"},
    "club exit": {"en": "leaving a club", "zh": "退出俱乐部"},
    "diplomacy": {"en": "diplomacy", "zh": "外交"},
    "market support": {"en": "market support", "zh": "市场托底"},
    "stockpiling": {"en": "stockpiling", "zh": "战略储备"},
    "investment screening": {"en": "investment screening", "zh": "投资审查"},
    "technology shift": {"en": "technology shift", "zh": "技术转向"},
    "substitution": {"en": "substitution", "zh": "替代"},
    "pan-securitisation": {"en": "pan-securitisation", "zh": "泛安全化"},
    "supply shock": {"en": "supply shock", "zh": "供应冲击"},
    "fiscal pressure": {"en": "fiscal pressure", "zh": "财政压力"},
    "policy": {"en": "policy", "zh": "政策"},
    "market response": {"en": "the market's response to prices", "zh": "市场对价格的反应"},
    "backlash": {"en": "backlash against coercion", "zh": "对胁迫的反弹"},
    "path lock-in": {"en": "sunk costs building on themselves, or wearing off", "zh": "沉没成本自我强化，或逐渐消退"},
    "de-internalisation": {"en": "a threshold was crossed", "zh": "越过临界点"},
}
# the feedback step names that differ from the mechanism of a card's effect
FEEDBACK_WORDS = {
    "pan-securitisation": {"en": "securitisation spreading", "zh": "安全化蔓延"},
}

HEADLINE = ("dependency", "cost", "leverage", "value_added", "lock_in", "cohesion", "securitisation", "price")
# the prices at the other ends of the chain (the ``price`` meter is the refined price), read
# from ``stage_price_index``: an ore ban is priced mostly at the ore, a boom downstream too
STAGE_PRICES = {"ore_price": "extraction", "goods_price": "manufacturing"}
# what the charts and the debrief's tables draw: the headline meters, then the other prices
CHARTED = HEADLINE + tuple(STAGE_PRICES)
DETAIL = ("shortage", "processing_share", "import_reliance", "rival_reliance", "hhi")
COMPARE = ("dependency", "cost", "leverage", "lock_in", "value_added", "shortage", "cohesion")
SMALLEST = 0.05  # a cause smaller than this is folded into "smaller effects"

# --- words --------------------------------------------------------------------------------
def signed(value: float) -> str:
    """A change with one decimal and its sign (a true minus sign); "0.0" when it rounds to nothing."""
    text = fmt1(value)
    if text == "0.0":
        return text
    return "+" + text if value > 0 else "\u2212" + text[1:]


def with_change(now: float, start: float) -> str:
    """A value with its change since the start: "27.9 (−8.2)"; "—" when there is none."""
    if not math.isfinite(now):
        return "—"
    return fmt1(now) + (f" ({signed(now - start)})" if math.isfinite(start) else "")


def paren(text: str, lang: str) -> str:
    """`` (text)`` in English, ``（text）`` in Chinese."""
    return f"（{text}）" if lang == "zh" else f" ({text})"


def meter_name(meter: str, lang: str) -> str:
    return tr(METER_WORDS, meter, lang) if meter in METER_WORDS else meter


def short_meter(meter: str, lang: str) -> str:
    """The meter's short table label (labels.LABELS), or its full name when it has none."""
    return label(meter, lang) if meter in LABELS and meter != "securitisation" else meter_name(meter, lang)


def mechanism_words(mechanism: str, lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    return sep.join(tr(MECHANISM_WORDS, m, lang) if m in MECHANISM_WORDS else m
                    for m in mechanism.split(", ") if m)


def turn_year(seminar: "Seminar", turn: int) -> int:
    return int(round(seminar.session.scenario.year(turn)))


class Names(SharedNames):
    """Content names in one language, and ledger keys in words."""

    def key(self, meter: str, key: str) -> str:
        """A ledger key of ``meter`` in words: "United States", "United States · Graphite (processing)"."""
        if not key:
            return ""
        dims = LEDGER_METERS.get(meter, ())
        parts = key.split("/")
        words = [self.thing(p, dims[i] if i < len(dims) else None) for i, p in enumerate(parts)]
        if len(words) == 3:  # actor, mineral, stage
            return f"{words[0]} · {words[1]}{paren(words[2], self.lang)}"
        return " · ".join(words)


def what_moved(meter: str, key: str, names: Names) -> str:
    """'Cohesion of the Minerals Security Partnership' / '矿产安全伙伴关系的凝聚力'."""
    what = names.key(meter, key)
    name = meter_name(meter, names.lang)
    return tr(WORDS, "of", names.lang, meter=name, what=what) if what else name


# --- the news ---------------------------------------------------------------------------
@dataclass(frozen=True)
class OrderLine:
    """One revealed order in words."""

    team: str
    index: int
    card: str  # the card's name in the current language
    actor: str  # who plays it, for a team of several actors ("" otherwise)
    targets: str  # the targets in words (after any amendment)
    vetoed: str | None  # the White Cell's rationale, when it vetoed the order
    amended: str | None  # the rationale, when it amended the order
    was: str  # the targets before the amendment


def order_lines(seminar: "Seminar", report: "Report", team: str, names: Names) -> list[OrderLine]:
    out = []
    several = len(seminar.actors(team)) > 1
    for i, order in enumerate(report.orders.get(team, [])):
        rulings: list[Override] = [o for o in report.overrides if o.team == team and o.index == i]
        veto = next((o.rationale for o in rulings if o.action == "veto"), None)
        amends = [o for o in rulings if o.action == "amend"]
        final: Order = order
        for o in amends:
            final = replace_order(final, dict(o.targets))
        out.append(OrderLine(
            team=team, index=i, card=names.card(order.card),
            actor=names.actors.get(order.actor, order.actor) if several and order.actor else "",
            targets=names.targets(order.card, dict(final.targets)),
            vetoed=veto,
            amended="; ".join(o.rationale for o in amends) if amends and veto is None else None,
            was=names.targets(order.card, dict(order.targets))))
    return out


@dataclass(frozen=True)
class InjectLine:
    """One event in words: its card, who acts and on what, and where it came from."""

    card: str
    detail: str  # " (by …) → targets", or ""
    source: str  # "White Cell" or "timeline", in words

    @property
    def plain(self) -> str:
        return f"{self.card}{self.detail}  · {self.source}"


def inject_line(inject: "Inject", names: Names) -> InjectLine:
    detail = ""
    if inject.actor:
        detail = paren(tr(WORDS, "by", names.lang, who=names.actors.get(inject.actor, inject.actor)), names.lang)
    targets = names.targets(inject.card, dict(inject.targets))
    if targets:
        detail += f" → {targets}"
    return InjectLine(names.card(inject.card), detail, tr(WORDS, inject.source, names.lang))

def fork_words(session: "Session", lang: str) -> list[str]:
    """Each fork mark in the game's log in words: "a fork of game.json after turn 3: “note”",
    and whether the turns it shared were played again since (an undo past the mark)."""
    out = []
    records = session.records
    for e in session.log:
        if e.type == "fork":
            k = e.turn - 1
            parent, note = one_line(e.parent), one_line(e.note)
            said = tr(WORDS, "forked", lang, parent=parent, k=k) if k else \
                tr(WORDS, "forked_start", lang, parent=parent)
            if k and (len(records) < k or records[k - 1].state_hash != e.from_hash):
                said += paren(tr(WORDS, "forked_since", lang, k=k), lang)
            out.append(said + (("：" if lang == "zh" else ": ") + f"“{note}”" if note else ""))
    return out


def news_words(line: str, names: Names) -> str:
    """An engine news line in the reader's language (the engine writes English and keeps
    each line's template, see wargame.engine.news)."""
    words = getattr(line, "words", None)
    return line if words is None else words(names.lang, lambda kind, ident: names.thing(ident, kind))



# --- why the meters moved -----------------------------------------------------------------
@dataclass(frozen=True)
class Cause:
    delta: float
    text: str
    kind: str  # card, inject, arrival, mechanism, carry-over, small, other


@dataclass(frozen=True)
class WhyGroup:
    """One meter of one actor (bloc, mineral ...) that moved: its total change and the causes,
    largest first, which add up to the total."""

    meter: str
    key: str
    title: str
    total: float
    causes: tuple[Cause, ...]


_PLAY = re.compile(r"t(\d+)/([^/]+)/(\d+)")


def _play(seminar: "Seminar", cause: str, names: Names) -> tuple[str, str, int] | None:
    """(card name, who played it, turn) for a play's cause id, if the records still hold it."""
    m = _PLAY.fullmatch(cause)
    if m is None:
        return None
    turn, who, i = int(m.group(1)), m.group(2), int(m.group(3))
    records = seminar.session.records
    if not 1 <= turn <= len(records):
        return None
    rec = records[turn - 1]
    if who == "inject":
        if i >= len(rec.injects):
            return None
        inj = rec.injects[i]
        by = tr(WORDS, "white_cell", names.lang) if inj.source == "facilitator" else tr(WORDS, "timeline", names.lang)
        return names.card(inj.card), by, turn
    orders = rec.orders.get(who, [])
    if i >= len(orders):
        return None
    return names.card(orders[i].card), names.teams.get(who, who), turn


def describe(seminar: "Seminar", line: "Why", names: Names, turn: int) -> Cause:
    """One ledger line's cause in plain words."""
    lang, cause = names.lang, line.cause
    if cause == "carry-over":
        return Cause(line.delta, tr(WORDS, "carry_over", lang), "carry-over")
    if cause.startswith("mechanism:"):
        name = cause.split(":", 1)[1]
        table = FEEDBACK_WORDS if name in FEEDBACK_WORDS else MECHANISM_WORDS
        what = tr(table, name, lang) if name in table else line.label
        return Cause(line.delta, tr(WORDS, "feedback", lang, what=what), "mechanism")
    if cause.startswith("arrival:"):
        origin = cause.split(":", 1)[1]
        if f"arrival_{origin}" in WORDS:  # capacity a feedback mechanism set going earlier
            what = tr(WORDS, f"arrival_{origin}", lang)
            return Cause(line.delta, tr(WORDS, "feedback", lang, what=what), "mechanism")
        play = _play(seminar, origin, names)
        if play is not None:
            key = "arrival_cap" if line.label.startswith("capacity") else "arrival_demand"
            text = tr(WORDS, key, lang, card=play[0], t=play[2])
            return Cause(line.delta, text + paren(play[1], lang), "arrival")
        return Cause(line.delta, line.label, "other")
    play = _play(seminar, cause, names)
    if play is None:
        return Cause(line.delta, line.label, "other")
    card, who, played = play
    sep = "；" if lang == "zh" else "; "
    extra = [who] + ([tr(WORDS, "turn_n", lang, t=played)] if played != turn else [])
    mech = mechanism_words(line.mechanism, lang)
    if mech:
        extra.append(mech)
    kind = "inject" if "/inject/" in cause else "card"
    return Cause(line.delta, card + paren(sep.join(extra), lang), kind)


def _belongs(meter: str, key: str, actors: set[str], blocs: set[str]) -> bool:
    dims = LEDGER_METERS.get(meter, ())
    if not dims:
        return False
    first = key.split("/")[0]
    return (dims[0] == "actor" and first in actors) or (dims[0] == "bloc" and first in blocs)


def why_groups(seminar: "Seminar", turn: int, lang: str, team: str | None = None,
               detail: bool = False) -> list[WhyGroup]:
    """Every meter that moved in ``turn``, grouped by meter and key, with its causes in words.
    The causes of a group add up to its total change (the ledger is complete: what no play
    or mechanism explains is the carry-over); causes under ``SMALLEST`` are summed in one line,
    left out when that sum rounds to nothing, so the causes shown add up within rounding."""
    names = Names(seminar, lang)
    report = seminar.report(turn, smallest=0.0)
    meters = HEADLINE + (DETAIL if detail else ())
    actors = set(seminar.actors(team)) if team else set()
    blocs = set(seminar.blocs_of(team)) if team else set()
    by: dict[tuple[str, str], dict[str, list]] = {}
    for w in report.why:
        if w.meter not in meters or (team and not _belongs(w.meter, w.key, actors, blocs)):
            continue
        causes = by.setdefault((w.meter, w.key), {})
        if w.cause in causes:  # one line per cause
            causes[w.cause][1] += w.delta
        else:
            causes[w.cause] = [w, w.delta]
    groups = []
    for (meter, key), causes in by.items():
        total = sum(d for _, d in causes.values())
        big = [(w, d) for w, d in causes.values() if abs(d) >= SMALLEST]
        if abs(total) < SMALLEST:
            continue
        big.sort(key=lambda wd: (-abs(wd[1]), wd[0].cause))
        shown = []
        for w, d in big:
            c = describe(seminar, w, names, turn)
            shown.append(Cause(d, c.text, c.kind))
        rest = total - sum(d for _, d in big)
        if signed(rest) != "0.0":  # what rounds to nothing is left out
            shown.append(Cause(rest, tr(WORDS, "smaller", lang), "small"))
        groups.append(WhyGroup(meter, key, what_moved(meter, key, names), total, tuple(shown)))
    groups.sort(key=lambda g: (meters.index(g.meter), -abs(g.total), g.key))
    return groups


# --- meters over the turns -------------------------------------------------------------
def chart_lines(seminar: "Seminar", meter: str, lang: str,
                team: str | None = None) -> list[tuple[str, list[float]]]:
    """The lines to draw for ``meter`` over the turns so far: one per team (all teams) or
    per actor of ``team``; one per bloc for cohesion, per mineral for prices (the ore and
    manufactured prices, ``STAGE_PRICES``, are indices already: 100 = the start)."""
    names = Names(seminar, lang)
    idx = seminar.session.index
    if meter == "securitisation":
        return [(meter_name(meter, lang), seminar.series(meter))]
    if meter == "price":
        return [(names.minerals.get(m, m), seminar.series(meter, m)) for m in idx.minerals]
    if meter in STAGE_PRICES:
        return [(names.minerals.get(m, m), seminar.series("stage_price_index", m, STAGE_PRICES[meter]))
                for m in idx.minerals]
    if meter == "cohesion":
        blocs = seminar.blocs_of(team) if team else list(idx.blocs)
        return [(names.blocs.get(b, b), seminar.series(meter, b)) for b in blocs]
    if team:
        return [(names.actors.get(a, a), seminar.series(meter, a)) for a in seminar.actors(team)]
    lines = []
    for t in seminar.teams:
        each = [seminar.series(meter, a) for a in seminar.actors(t)]
        summed = [sum(vals) for vals in zip(*each)]
        agg = summed if meter == "value_added" else [v / len(each) for v in summed]
        lines.append((names.teams.get(t, t), agg))
    return lines


def meter_chart(seminar: "Seminar", meter: str, lang: str, columns: list[str],
                team: str | None = None) -> Chart:
    """The chart of ``meter`` over the turns so far (``chart_lines``), as drawn: prices, of
    very different sizes from one mineral to the next, as an index (100 = the start)."""
    lines = chart_lines(seminar, meter, lang, team)
    if meter == "price":
        return Chart(meter, meter_name(meter, lang), tr(WORDS, "price_chart_unit", lang), columns, indexed(lines),
                     tr(WORDS, "price_chart_note", lang))
    if meter in STAGE_PRICES:
        stage = tr(WORDS, f"stage_{STAGE_PRICES[meter]}", lang)
        return Chart(meter, meter_name(meter, lang), tr(WORDS, "price_chart_unit", lang), columns, indexed(lines),
                     tr(WORDS, "stage_price_note", lang, stage=stage))
    return Chart(meter, meter_name(meter, lang), unit(meter, lang), columns, lines)


@dataclass(frozen=True)
class GlanceRow:
    """One year of the game at a glance: each team's cards as ruled, and the events."""

    turn: int
    year: int
    orders: list[list[tuple[str, bool]]]  # per team (in seat order): (card and targets in words, vetoed?)
    events: list[str]


def glance_rows(seminar: "Seminar", lang: str, names: Names | None = None) -> list[GlanceRow]:
    """Every resolved turn: what each team played (vetoed orders marked) and the events."""
    names = names or Names(seminar, lang)
    out = []
    for turn in range(1, len(seminar.session.records) + 1):
        report = seminar.report(turn)
        orders = []
        for team in seminar.teams:
            orders.append([(ln.card + (paren(ln.actor, lang) if ln.actor else "")
                            + (f" → {ln.targets}" if ln.targets else ""), ln.vetoed is not None)
                           for ln in order_lines(seminar, report, team, names)])
        events = [line.card + line.detail for line in (inject_line(i, names) for i in report.injects)]
        out.append(GlanceRow(turn, turn_year(seminar, turn), orders, events))
    return out
