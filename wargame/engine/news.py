"""The news of a turn, in English or Chinese.

The engine writes every news line as a ``News``: it reads as its English text (it is a
``str``), and it keeps the key of its template and the values that went into it, so a
front end can word the same line in Chinese with the scenario's own names. Values that
name something are ``Ref`` (one actor, mineral, bloc or stage) or ``Refs`` (a list of
them); numbers are formatted by the template.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

# (kind, id) -> the name of that actor, mineral, bloc or stage in one language
Namer = Callable[[str, str], str]


@dataclass(frozen=True)
class Ref:
    kind: str  # actor | mineral | bloc | stage
    id: str


@dataclass(frozen=True)
class Refs:
    items: tuple[Ref, ...]
    empty: str = "blank"  # the word when the list is empty: a key of EMPTY


EMPTY = {
    "blank": {"en": "", "zh": ""},
    "none": {"en": "none", "zh": "无"},
    "nowhere": {"en": "nowhere", "zh": "无"},
    "nobody": {"en": "nobody", "zh": "无人"},
}
SEPARATOR = {"en": ", ", "zh": "、"}

TEMPLATES: dict[str, dict[str, str]] = {
    # policies and events (wargame.engine.effects)
    "restrict": {
        "en": "{actor} restricts {stage} exports of {mineral} to {n} actor(s), severity {severity:.0%}, "
              "for {turns} turn(s)",
        "zh": "{actor}限制{mineral}的{stage}环节出口：涉及 {n} 个对象，力度 {severity:.0%}，为期 {turns} 回合"},
    "ore_ban": {
        "en": "{actor} bans raw {mineral} ore exports ({severity:.0%}) and plans {build:,.1f} units of "
              "local processing",
        "zh": "{actor}禁止{mineral}原矿出口（{severity:.0%}），并计划在本土新建 {build:,.1f} 单位加工产能"},
    "tariff": {
        "en": "{actor} puts a {rate:.0%} duty on {stage} {mineral} from {n} actor(s)",
        "zh": "{actor}对来自 {n} 个对象的{mineral}（{stage}环节）征收 {rate:.0%} 的关税"},
    "royalty": {
        "en": "{actor} raises the royalty on {mineral} exports by {rate:.0%}",
        "zh": "{actor}把{mineral}出口的权益金提高 {rate:.0%}"},
    "subsidise": {
        "en": "{actor} subsidises {amount:,.1f} units of {stage} {mineral} capacity (${cost:g}bn) for "
              "{n} eligible producer(s); excluded allies: {excluded}",
        "zh": "{actor}补贴 {amount:,.1f} 单位{mineral}{stage}产能（{cost:g} 十亿美元），惠及 {n} 个合格生产方；"
              "被排除在外的盟友：{excluded}"},
    "invest": {
        "en": "{actor} finances {amount:,.1f} units of {stage} {mineral} in {hosts}",
        "zh": "{actor}出资在{hosts}建设 {amount:,.1f} 单位{mineral}{stage}产能"},
    "invest_blocked": {
        "en": "{actor} finances {amount:,.1f} units of {stage} {mineral} in {hosts} "
              "(blocked by screening in {blocked})",
        "zh": "{actor}出资在{hosts}建设 {amount:,.1f} 单位{mineral}{stage}产能（在{blocked}因投资审查受阻）"},
    "join": {"en": "{actor} joins {bloc}", "zh": "{actor}加入{bloc}"},
    "leave": {
        "en": "{actor} leaves {bloc} (reversal cost ${cost:.1f}bn)",
        "zh": "{actor}退出{bloc}（退出代价 {cost:.1f} 十亿美元）"},
    "affinity_up": {"en": "{actor} reaches out to {others}", "zh": "{actor}向{others}示好"},
    "affinity_down": {"en": "{actor} turns on {others}", "zh": "{actor}与{others}交恶"},
    "floor": {
        "en": "{actor} guarantees a price floor of {level:.0%} of the baseline for {mineral} to {n} producer(s)",
        "zh": "{actor}向 {n} 个生产方保证{mineral}的价格下限：基准价的 {level:.0%}"},
    "stock_build": {
        "en": "{actor} builds a {mineral} stockpile ({amount:,.1f} units)",
        "zh": "{actor}增加{mineral}储备（{amount:,.1f} 单位）"},
    "stock_release": {
        "en": "{actor} releases a {mineral} stockpile ({amount:,.1f} units)",
        "zh": "{actor}投放{mineral}储备（{amount:,.1f} 单位）"},
    "screen": {
        "en": "{actor} screens investment from {n} actor(s)",
        "zh": "{actor}对来自 {n} 个对象的投资进行安全审查"},
    "screen_divest": {
        "en": "{actor} screens investment from {n} actor(s) and orders {divest:.0%} divestment",
        "zh": "{actor}对来自 {n} 个对象的投资进行安全审查，并责令撤出 {divest:.0%}"},
    "demand_now": {
        "en": "Demand for {mineral} will change by {change:+.0%} now",
        "zh": "{mineral}需求即刻变化 {change:+.0%}"},
    "demand_later": {
        "en": "Demand for {mineral} will change by {change:+.0%} in {turns} turn(s)",
        "zh": "{mineral}需求将在 {turns} 回合后变化 {change:+.0%}"},
    "subst_easier": {"en": "{mineral} becomes easier to substitute", "zh": "{mineral}变得更容易替代"},
    "subst_harder": {"en": "{mineral} becomes harder to substitute", "zh": "{mineral}变得更难替代"},
    "secur_up": {"en": "Securitisation rises ({delta:+.2f})", "zh": "安全化上升（{delta:+.2f}）"},
    "secur_down": {"en": "Securitisation eases ({delta:+.2f})", "zh": "安全化缓和（{delta:+.2f}）"},
    "shock": {
        "en": "Supply shock: {fraction:.0%} of {stage} {mineral} capacity lost in {who} for {turns} turn(s)",
        "zh": "供应冲击：{who}损失 {fraction:.0%} 的{mineral}{stage}产能，为期 {turns} 回合"},
    "fiscal_tight": {
        "en": "Fiscal room tightens in {who} ({delta:+.0%})",
        "zh": "{who}的财政空间收紧（{delta:+.0%}）"},
    "fiscal_loose": {
        "en": "Fiscal room loosens in {who} ({delta:+.0%})",
        "zh": "{who}的财政空间放宽（{delta:+.0%}）"},
    # systemic feedback (wargame.engine.mechanisms)
    "secur_drift": {"en": "securitisation {before:.2f} -> {after:.2f}", "zh": "安全化指数 {before:.2f} → {after:.2f}"},
    "market_boom": {
        "en": "high {mineral} prices draw {amount:,.1f} units of new {stage} capacity",
        "zh": "{mineral}高价吸引 {amount:,.1f} 单位新的{stage}产能"},
    "floor_boom": {
        "en": "a price floor on {mineral} draws {amount:,.1f} units of new {stage} capacity",
        "zh": "{mineral}的价格下限吸引 {amount:,.1f} 单位新的{stage}产能"},
    "market_idle": {
        "en": "low {mineral} prices close high-cost capacity",
        "zh": "{mineral}价格低迷，高成本产能关停"},
    "backlash": {
        "en": "{actor} starts a self-reliance drive in {mineral} ({amount:,.1f} units of processing due turn {due})",
        "zh": "{actor}在{mineral}上启动自主化行动（{amount:,.1f} 单位加工产能，第 {due} 回合到位）"},
    "fiscal_cut": {
        "en": "fiscal tightening in {actor}: subsidy programmes are cut back and fiscal lock-in halves",
        "zh": "{actor}财政紧缩：补贴计划缩减，财政锁定减半"},
    "technology": {
        "en": "technology shift removes much of the need for {mineral}: lock-in tied to it unwinds",
        "zh": "技术转变使{mineral}的需求大减：与之相连的锁定随之解除"},
    "rivals": {
        "en": "{actor} and {other} now count each other as rivals (affinity {affinity:+.2f}): cards aimed at "
              "rivals take them in, and from next turn over half of their trade counts as reliance on a rival",
        "zh": "{actor}与{other}已互视为对手（亲近度 {affinity:+.2f}）：针对对手的卡牌将涵盖对方；"
              "自下回合起，双方贸易过半计为对对手的依赖"},
    "rivals_end": {
        "en": "{actor} and {other} no longer count each other as rivals (affinity {affinity:+.2f}): cards aimed "
              "at rivals leave them out, and from next turn under half of their trade counts as reliance on a rival",
        "zh": "{actor}与{other}不再互视为对手（亲近度 {affinity:+.2f}）：针对对手的卡牌不再涵盖对方；"
              "自下回合起，双方贸易不到一半计为对对手的依赖"},
    "rupture": {
        "en": "the {bloc} network ruptures (cohesion {cohesion:.0f}): club lock-in of its members halves",
        "zh": "{bloc}网络破裂（凝聚力 {cohesion:.0f}）：成员的俱乐部锁定减半"},
}


def render(key: str, args: dict[str, Any], lang: str, name: Namer) -> str:
    """The line ``key`` in ``lang``, with names from ``name``."""
    values = {}
    for k, v in args.items():
        kind = type(v)  # Ref and Refs are final: an exact type test is enough, and quicker
        if kind is Ref:
            v = name(v.kind, v.id)
        elif kind is Refs:
            v = SEPARATOR[lang].join([name(r.kind, r.id) for r in v.items]) or EMPTY[v.empty][lang]
        values[k] = v
    return TEMPLATES[key][lang].format_map(values)


class News(str):
    """A news line: its English text, plus what it takes to word it in another language."""

    key: str
    args: dict[str, Any]

    def __new__(cls, text: str, key: str = "", args: dict[str, Any] | None = None) -> "News":
        line = super().__new__(cls, text)
        line.key, line.args = key, dict(args or {})
        return line

    def __reduce__(self):
        return (News, (str(self), self.key, self.args))

    def words(self, lang: str, name: Namer) -> str:
        """The line in ``lang``; English, or a line with no template, reads as it is."""
        if lang == "en" or self.key not in TEMPLATES:
            return str(self)
        return render(self.key, self.args, lang, name)


def english(index) -> Namer:
    """Names as the engine's ``Index`` holds them (English; stages by their id); with no
    index, ids as they are."""
    return _ident if index is None else index.english


def _ident(kind: str, ident: str) -> str:
    return ident


def news(index, key: str, **args: Any) -> News:
    """A news line from template ``key``, in English with the names of ``index`` (None
    for a line that names nothing)."""
    return News(render(key, args, "en", english(index)), key, args)
