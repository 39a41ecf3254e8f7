"""A team's turn: its meters, where its minerals come from, its hand, and the plan it
builds before committing.

Everything here belongs to the one team at the keyboard: the screen reads only that
team's hand and plan from the seminar, and the card picker (``PlayDialog``) adds to that
plan alone. Committing hands over to the app's router, which replaces this screen with
the next curtain, so nothing of the team stays behind.

Text that comes from the decks or the scenario (card names and texts, prompts, actor
names) is always shown as rich ``Text`` or with markup off: a card may contain ``[``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from itertools import islice, product
from typing import TYPE_CHECKING, Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import (Button, DataTable, Select, Static, TabbedContent,
                             TabPane)

from wargame.game.session import OrderError
from wargame.model.records import Order
from wargame.tui.dialogs import WIDE_AT, ConfirmDialog, Dialog, FreshScreen, LeanFooter, MessageDialog, RowTable
from wargame.report.labels import fmt1, tr, tr_in
from wargame.report.cards import WORDS as CARD_WORDS
from wargame.report.cards import card_facts, card_name, condition_words, name_of
from wargame.report.names import names, target_prompt

if TYPE_CHECKING:
    from wargame.game.seminar import DependencyRow, MeterRow, Seminar
    from wargame.model.deck import Card

WORDS = {
    # header
    "title": {"en": "{team} · Turn {n} of {t} · {year}", "zh": "{team} · 第 {n} 回合，共 {t} 回合 · {year} 年"},
    "budget": {"en": "Budget {budget} · planned {spent} · left {left}",
               "zh": "预算 {budget} · 已计划 {spent} · 剩余 {left}"},
    "hint_empty": {"en": "Look over your meters, then pick a card in Hand (3) and press p to play it. "
                         "c commits; an empty plan passes the turn.",
                   "zh": "先看看各项指标，再到手牌（3）中选一张牌，按 p 打出。按 c 提交；空计划即本回合弃权。"},
    "hint_more": {"en": "Play more cards with p, take one back with x in Plan (4), or press c to commit.",
                  "zh": "可按 p 继续出牌，在计划（4）中按 x 撤回，或按 c 提交。"},
    "hint_full": {"en": "The budget is spent: check your plan (4) and press c to commit.",
                  "zh": "预算已用完：检查计划（4）后按 c 提交。"},
    "hint_closed": {"en": "{team} cannot change its orders now.", "zh": "{team}现在不能更改命令。"},
    # tabs and keys
    "tab_dashboard": {"en": "1 Dashboard", "zh": "1 仪表盘"},
    "tab_dependency": {"en": "2 Dependency", "zh": "2 供应依赖"},
    "tab_hand": {"en": "3 Hand", "zh": "3 手牌"},
    "tab_plan": {"en": "4 Plan", "zh": "4 计划"},
    "key_tabs": {"en": "Tabs", "zh": "标签页"},
    "key_play": {"en": "Play", "zh": "出牌"},
    "key_remove": {"en": "Remove", "zh": "撤回"},
    "key_commit": {"en": "Commit", "zh": "提交"},
    # dashboard
    "col_meter": {"en": "Meter", "zh": "指标"},
    "col_who": {"en": "Who", "zh": "对象"},
    "col_value": {"en": "Value", "zh": "数值"},
    "col_delta": {"en": "Change", "zh": "变化"},
    "col_trend": {"en": "Trend", "zh": "走势"},
    "world": {"en": "World", "zh": "全球"},
    "m_dependency": {"en": "Dependency", "zh": "依赖度"},
    "m_cost": {"en": "Cost", "zh": "成本"},
    "m_leverage": {"en": "Leverage", "zh": "杠杆"},
    "m_lock_in": {"en": "Lock-in", "zh": "锁定"},
    "m_value_added": {"en": "Value added", "zh": "增加值"},
    "m_cohesion": {"en": "Cohesion", "zh": "凝聚力"},
    "m_securitisation": {"en": "Securitisation", "zh": "安全化"},
    "u_dependency": {"en": "index 0-100, lower is safer", "zh": "指数 0-100，越低越安全"},
    "u_cost": {"en": "index, 100 = turn 0; lower is better", "zh": "指数，第 0 回合 = 100；越低越好"},
    "u_leverage": {"en": "index 0-100, higher is stronger", "zh": "指数 0-100，越高越有力"},
    "u_lock_in": {"en": "USD bn sunk", "zh": "已沉没资金，十亿美元"},
    "u_value_added": {"en": "USD bn, higher is better", "zh": "十亿美元，越高越好"},
    "u_cohesion": {"en": "index 0-100, higher is closer", "zh": "指数 0-100，越高越团结"},
    "u_securitisation": {"en": "index 0-100, worldwide", "zh": "指数 0-100，全球"},
    "h_dependency": {"en": "How much of the strategically weighted mineral needs come from abroad or from rivals.",
                     "zh": "按战略权重计算的矿产需求中，依赖进口或依赖对手供应的程度。"},
    "h_cost": {"en": "Economic plus fiscal cost of securing supply, against the starting level.",
               "zh": "保障供应的经济成本与财政成本之和，相对于初始水平。"},
    "h_leverage": {"en": "How much of everyone else's needs this actor meets where it controls the chokepoint.",
                   "zh": "在其掌控的卡点环节，该行为体满足其他各方需求的程度。"},
    "h_lock_in": {"en": "Money already sunk into policies: commitments that are costly to reverse.",
                  "zh": "已投入政策的资金：一旦撤回代价高昂的承诺。"},
    "h_value_added": {"en": "Value created by mining, processing and manufacturing.",
                      "zh": "开采、加工和制造环节创造的价值。"},
    "h_cohesion": {"en": "How close the members of this bloc are to one another.",
                   "zh": "该集团成员彼此之间的亲近程度。"},
    "h_securitisation": {"en": "How far the world treats minerals as a security matter; it pushes costs up.",
                         "zh": "全球把矿产当作安全问题的程度；它会推高成本。"},
    "dash_legend": {"en": "Change since last turn: green is good for you, red is bad.",
                    "zh": "与上回合相比的变化：绿色对你有利，红色对你不利。"},
    # dependency
    "dep_actor": {"en": "Whose supply:", "zh": "查看对象："},
    "dep_legend": {"en": "Most exposed first. Import%/Rival%: share of needs bought abroad / from rivals. "
                         "HHI: supplier concentration, 0-10000. Red with ! = a rival, green = home output.",
                   "zh": "风险最高的排在最前。进口%/对手%：需求中来自国外/来自对手的比例。"
                         "HHI：供应集中度，0-10000。红色带 ! 为对手，绿色为本国产出。"},
    "dep_none": {"en": "No needs at any stage yet.", "zh": "目前在各环节均无需求。"},
    # hand
    "col_card": {"en": "Card", "zh": "卡牌"},
    "col_cost": {"en": "Cost", "zh": "费用"},
    "col_status": {"en": "Now", "zh": "状态"},
    "st_ok": {"en": "ok", "zh": "可出"},
    "st_no": {"en": "✗ not now", "zh": "✗ 暂不可出"},
    "st_planned": {"en": "planned", "zh": "已计划"},
    "hand_empty": {"en": "No cards in hand.", "zh": "手中没有牌。"},
    "d_why_not": {"en": "Cannot be played now: ", "zh": "现在不能打出："},
    "d_no_target": {"en": "no choice of targets is allowed", "zh": "没有可用的目标"},
    "d_played_by": {"en": "Who may play it: ", "zh": "可由谁打出："},
    # plan
    "col_n": {"en": "#", "zh": "#"},
    "col_actor": {"en": "By", "zh": "出牌方"},
    "col_targets": {"en": "Targets", "zh": "目标"},
    "plan_empty": {"en": "Nothing planned yet: committing now passes this turn.",
                   "zh": "尚无计划：现在提交即本回合弃权。"},
    "plan_note": {"en": "x or Delete takes the highlighted card back into your hand.",
                  "zh": "按 x 或 Delete 把选中的牌撤回手中。"},
    # play
    "added": {"en": "Planned: {card}", "zh": "已加入计划：{card}"},
    "removed": {"en": "Taken back: {card}", "zh": "已撤回：{card}"},
    "cannot_play": {"en": "This card cannot be played now", "zh": "这张牌现在不能打出"},
    "why_condition": {"en": "It can be played {cond}.", "zh": "出牌条件：{cond}。"},
    "why_copies": {"en": "Every copy of it you hold ({n}) is already in your plan.",
                   "zh": "你手中这张牌的 {n} 张已全部列入计划。"},
    "why_budget": {"en": "It costs {cost}, and {left} of this turn's budget is left.",
                   "zh": "这张牌需要 {cost} 点预算，本回合只剩 {left} 点。"},
    "pick_title": {"en": "Play “{card}”", "zh": "打出“{card}”"},
    "pick_cost": {"en": "Cost {cost} · left after it {left}", "zh": "费用 {cost} · 打出后剩余 {left}"},
    "pick_actor": {"en": "Which of your states plays it?", "zh": "由哪个成员出牌？"},
    "pick_none": {"en": "This card needs no choices.", "zh": "这张牌无需选择目标。"},
    "pick_hint": {"en": "Enter opens a list; choosing in it moves you on (Tab too). Play adds the card to your "
                        "plan, Esc cancels.",
                  "zh": "Enter 展开列表；选定后自动移到下一项（Tab 亦可）。点“打出”加入计划，Esc 取消。"},
    "pick_play": {"en": "Play", "zh": "打出"},
    "pick_cancel": {"en": "Cancel", "zh": "取消"},
    "pick_refused": {"en": "Not allowed: ", "zh": "不允许："},
    # commit
    "commit_q": {"en": "Commit these orders for {team}? They stay sealed until the turn is resolved.",
                 "zh": "提交{team}的以下命令？在本回合结算前命令保持密封。"},
    "commit_empty": {"en": "Commit an empty plan? {team} passes this turn and plays no card.",
                     "zh": "提交空计划？{team}本回合弃权，不打任何牌。"},
    "commit_failed": {"en": "Cannot commit", "zh": "无法提交"},
    "by": {"en": "by {actor}", "zh": "由{actor}"},
}

TABS: tuple[str, ...] = ("dashboard", "dependency", "hand", "plan")
GOOD_UP = frozenset({"leverage", "cohesion", "value_added"})
BAD_UP = frozenset({"dependency", "cost"})
SPARKS = "▁▂▃▄▅▆▇█"
GOOD, BAD, FLAT = "green", "red", "dim"


# --- small pieces used by the screen and the picker ---------------------------------------
def sparkline(values: Iterable[float], width: int = 12) -> str:
    """The last ``width`` values as a row of block characters (low to high)."""
    vals = list(values)[-width:]
    if not vals:
        return ""
    lo, hi = min(vals), max(vals)
    if hi - lo < 1e-9:
        return SPARKS[0] * len(vals)
    top = len(SPARKS) - 1
    return "".join(SPARKS[round((v - lo) / (hi - lo) * top)] for v in vals)


def signed(delta: float) -> str:
    """A change with its sign: "+1.2", "-0.4", "0.0"."""
    text = fmt1(delta)
    return text if text == "0.0" or text.startswith("-") else "+" + text


def delta_style(meter: str, delta: float) -> str:
    """Green when the change is good for the team that owns the meter, red when bad."""
    if fmt1(delta) == "0.0" or (meter not in GOOD_UP and meter not in BAD_UP):
        return FLAT
    return GOOD if (delta > 0) == (meter in GOOD_UP) else BAD


def order_words(seminar: "Seminar", order: Order, lang: str) -> str:
    """What an order targets, in words: "Rare earths · United States"."""
    return names(seminar, lang).targets(order.card, dict(order.targets), sep=" · ")


@dataclass(frozen=True)
class Playable:
    """Whether a card can join the plan now: for each actor that may play it, one legal
    choice of targets; otherwise the reason (from ``Seminar.why_not``)."""

    options: dict[str | None, dict[str, str]]
    reason: str | None
    problem: "OrderError | None" = None  # the error behind the reason (see problem_words)


def playable(seminar: "Seminar", team: str, card: "Card", limit: int = 300) -> Playable:
    actors = seminar.actors(team)
    who: list[str | None] = list(actors) if len(actors) > 1 else [None]
    names = [t.name for t in card.targets]
    pools = [seminar.choices(card, t) for t in card.targets]
    over = card.cost > seminar.left(team)
    options: dict[str | None, dict[str, str]] = {}
    problem = None
    for actor in who:
        for combo in islice(product(*pools), limit):
            targets = dict(zip(names, combo))
            why = seminar.problem(team, Order(card=card.id, actor=actor, targets=targets))
            if why is None:
                options[actor] = targets
                break
            problem = problem or why
            if over:  # no choice of targets brings the cost down
                break
        if over:
            break
    if options or problem is None:
        return Playable(options, None)
    return Playable(options, str(problem), problem)


def problem_words(seminar: "Seminar", team: str, card: "Card", problem: "OrderError | None", lang: str) -> str:
    """Why a card cannot be played now, for the people at the keyboard: a failed condition
    or the budget in the language shown, with names; any other reason as the game gives it."""
    if problem is None:
        return tr(WORDS, "d_no_target", lang)
    if problem.condition is not None:
        return tr(WORDS, "why_condition", lang, cond=condition_words(seminar, problem.condition, lang))
    if problem.over_budget is not None:
        return tr(WORDS, "why_budget", lang, cost=card.cost, left=seminar.left(team))
    if problem.copies:
        return tr(WORDS, "why_copies", lang, n=problem.copies)
    return str(problem)


def card_details(seminar: "Seminar", card: "Card", lang: str, status: Playable | None,
                 planned: bool, team: str) -> Text:
    """Everything a player needs to decide on one card (``report.cards.card_facts``): its
    name and text in the language shown (the other language below, dimmed), cost,
    mechanism, source, the choices it asks for, its conditions, and why it cannot be
    played now."""
    facts = card_facts(seminar, card, lang)
    out = Text()
    out.append(facts.name, style="bold")
    out.append("  " + tr(CARD_WORDS, "d_cost", lang, cost=facts.cost), style="bold cyan")
    out.append("\n" + facts.text + "\n")
    out.append(facts.other_name + "\n", style="dim bold")
    out.append(facts.other_text + "\n", style="dim")
    if facts.mechanism:
        out.append(tr(CARD_WORDS, "d_mechanism", lang), style="bold")
        out.append(facts.mechanism + "\n")
    if facts.source:
        out.append(tr(CARD_WORDS, "d_source", lang), style="bold")
        out.append(facts.source + "\n")
    if facts.targets:
        out.append(tr(CARD_WORDS, "d_targets", lang) + "\n", style="bold")
        for prompt, values in facts.targets:
            out.append(f"  • {prompt} ")
            out.append(f"({', '.join(values)})\n", style="dim")
    out.append(tr(CARD_WORDS, "d_conditions", lang) + " ", style="bold")
    out.append(("; ".join(facts.conditions) if facts.conditions else tr(CARD_WORDS, "d_none", lang)) + "\n")
    if status is not None and status.reason is not None and not planned:
        out.append(tr(WORDS, "d_why_not", lang), style="bold red")
        out.append(problem_words(seminar, team, card, status.problem, lang), style="red")
    elif status is not None and status.options and None not in status.options:
        out.append(tr(WORDS, "d_played_by", lang), style="bold")
        out.append(", ".join(seminar.actor_name(a, lang) for a in status.options if a))
    return out


# --- the screen -------------------------------------------------------------------------------
FIRST_WIDGET = {"dashboard": "#dash-table", "dependency": "#dep-table", "hand": "#hand-table",
                "plan": "#plan-table"}  # what takes the focus when a tab is shown


class TeamScreen(FreshScreen):
    """One team's turn: dashboard, dependency, hand and plan, with a live budget line.

    Only the dashboard's widgets are built with the screen; each other tab gets its widgets
    the first time it is shown, drawn in the language and from the plan of that moment. A
    change of language or plan redraws the tab on screen at once and marks the other built
    tabs stale, to be redrawn when next shown. So nothing is built or filled that nobody is
    looking at, whether the curtain lifts or F2 switches language. The app may build the
    screen behind its team's curtain and show it later (``WargameApp.prepare_team``)."""

    BINDINGS = [
        Binding("1", "tab('dashboard')", "Dashboard", group=Binding.Group("Tabs", compact=True)),
        Binding("2", "tab('dependency')", "Dependency", group=Binding.Group("Tabs", compact=True)),
        Binding("3", "tab('hand')", "Hand", group=Binding.Group("Tabs", compact=True)),
        Binding("4", "tab('plan')", "Plan", group=Binding.Group("Tabs", compact=True)),
        Binding("p", "play", "Play"),
        Binding("x,delete", "remove", "Remove"),
        Binding("c", "commit", "Commit"),
    ]
    KEY_WORDS = {"play": "key_play", "remove": "key_remove", "commit": "key_commit"}
    AUTO_FOCUS = "#dash-table"  # not the tab bar first, then the table

    DEFAULT_CSS = """
    TeamScreen { background: $background; }
    TeamScreen #team-title { height: 1; padding: 0 1; background: $primary; color: $text; text-style: bold; }
    TeamScreen #team-budget { height: 1; padding: 0 1; color: $accent; text-style: bold; }
    TeamScreen #team-hint { height: auto; padding: 0 1; color: $text-muted; }
    TeamScreen TabbedContent { height: 1fr; }
    TeamScreen TabbedContent > ContentSwitcher { height: 1fr; }
    TeamScreen TabPane { height: 1fr; padding: 0; }
    TeamScreen DataTable { height: 1fr; scrollbar-size-vertical: 1; }
    TeamScreen #hand-table { height: auto; max-height: 9; }
    TeamScreen #hand-scroll { height: 1fr; padding: 0 1; scrollbar-size-vertical: 1; }
    TeamScreen #hand-details { height: auto; }
    TeamScreen.-wide TabPane#hand { layout: horizontal; }
    TeamScreen.-wide #hand-table { width: 2fr; height: 1fr; max-height: 100%; }
    TeamScreen.-wide #hand-scroll { width: 3fr; border-left: vkey $primary; }
    TeamScreen .team-note { height: auto; padding: 0 1; color: $text-muted; }
    TeamScreen #dep-bar { height: 1; }
    TeamScreen #dep-label { width: auto; padding: 0 1; }
    TeamScreen #dep-actor { width: 1fr; }
    """

    def __init__(self, team: str) -> None:
        super().__init__()
        self.team = team
        self._hand: list["Card"] = []
        self._planned: set[int] = set()
        self._status: list[Playable] = []
        self._select_lang = ""
        self._tabs_lang = ""  # the language the tabs were named in
        self._lang: str | None = None  # the language the screen is drawn in (None: not yet mounted)
        self._built: set[str] = set()  # tabs whose widgets exist
        self._stale: set[str] = set()  # built tabs drawn in an older language or from an older plan
        self._dep_width: int | None = None  # the terminal width the suppliers were fitted to

    def on_resize(self, event) -> None:
        # a wide terminal (a projector) shows the hand and the card read side by side
        self.set_class(self.app.size.width >= WIDE_AT, "-wide")
        if self._dep_width is not None and self._dep_width != self.app.size.width and "dependency" in self._built:
            self._fill_dependency()

    # --- building -----------------------------------------------------------------------
    @property
    def seminar(self) -> "Seminar":
        return self.app.seminar

    @property
    def lang(self) -> str:
        return getattr(self.app, "lang", "en")

    @property
    def multi(self) -> bool:
        return len(self.seminar.actors(self.team)) > 1

    def compose(self) -> ComposeResult:
        lang = self._tabs_lang = self.lang
        yield Static(id="team-title", markup=False)
        yield Static(id="team-budget", markup=False)
        yield Static(id="team-hint", markup=False)
        with TabbedContent(initial="dashboard", id="team-tabs"):
            for pane in TABS:  # the other tabs are built when first shown
                with TabPane(Content(tr(WORDS, f"tab_{pane}", lang)), id=pane):
                    if pane == "dashboard":
                        yield RowTable(id="dash-table", cursor_type="row", zebra_stripes=True)
                        yield Static(id="dash-help", classes="team-note", markup=False)
        self._built.add("dashboard")
        yield LeanFooter()

    def _build(self, pane: str) -> None:
        """Mount the widgets of a tab other than the dashboard (built with the screen), still
        empty: ``_draw`` fills them. Mounting puts them in the DOM at once, so they can be
        found by id and filled before their first frame."""
        box = self.query_one(f"#{pane}", TabPane)
        if pane == "dependency":
            if self.multi:
                actors = self.seminar.actors(self.team)
                self._select_lang = self.lang
                bar = Horizontal(id="dep-bar")
                box.mount(bar)
                bar.mount_all([Static(id="dep-label", markup=False),
                               Select([(Text(self.seminar.actor_name(a, self.lang)), a) for a in actors],
                                      id="dep-actor", allow_blank=False, value=actors[0], compact=True)])
            box.mount_all([RowTable(id="dep-table", cursor_type="row", zebra_stripes=True),
                           Static(id="dep-legend", classes="team-note", markup=False)])
        elif pane == "hand":
            scroll = VerticalScroll(id="hand-scroll")
            box.mount_all([RowTable(id="hand-table", cursor_type="row"), scroll])
            scroll.mount(Static(id="hand-details", markup=False))
        else:
            box.mount_all([RowTable(id="plan-table", cursor_type="row"),
                           Static(id="plan-note", classes="team-note", markup=False)])

    def on_mount(self) -> None:
        self.set_class(self.app.size.width >= WIDE_AT, "-wide")
        lang = self._lang = self.lang
        if lang != self._tabs_lang:  # switched since compose (the screen may be built behind its curtain)
            self._label_tabs(lang)
        self._relabel_keys(lang)
        self._hand_state()
        self._header()
        self._draw("dashboard")
        self.query_one("#dash-table").focus()

    # --- tabs: built when first shown, redrawn when shown stale ---------------------------
    def _current(self) -> str:
        """The tab on screen (the first one until the tabs have settled after mounting)."""
        return self.query_one("#team-tabs", TabbedContent).active or "dashboard"

    def _show_pane(self, pane: str) -> None:
        """Get a tab ready to be seen: build its widgets the first time, and draw them if
        they are new or stale. Called before the tab is switched in, so it comes up whole."""
        if pane not in self._built:
            self._build(pane)
            self._built.add(pane)
            self._stale.add(pane)
        if pane in self._stale:
            self._stale.discard(pane)
            self._draw(pane)

    def _redraw(self, *panes: str) -> None:
        """These tabs show something out of date: redraw the one on screen now, the other
        built ones when next shown (tabs not built yet are drawn when built)."""
        self._stale.update(pane for pane in panes if pane in self._built)
        self._show_pane(self._current())

    def _draw(self, pane: str) -> None:
        {"dashboard": self._fill_dashboard, "dependency": self._draw_dependency,
         "hand": self._fill_hand, "plan": self._fill_plan}[pane]()

    # --- language: the header, the tab names and keys now, the tabs as they are shown -----
    def show_language(self, lang: str) -> None:
        if self._lang in (None, lang):
            return  # already in that language, or not mounted yet: on_mount draws in it
        self._lang = lang
        self._label_tabs(lang)
        self._relabel_keys(lang)
        self._header()
        self._redraw(*TABS)

    def _label_tabs(self, lang: str) -> None:
        self._tabs_lang = lang
        tabs = self.query_one("#team-tabs", TabbedContent)
        for pane in TABS:
            tabs.get_tab(pane).label = Text(tr(WORDS, f"tab_{pane}", lang))

    def _relabel_keys(self, lang: str) -> None:
        """Footer descriptions in the language shown."""
        group = Binding.Group(tr(WORDS, "key_tabs", lang), compact=True)
        for key, bindings in self._bindings.key_to_bindings.items():
            new = []
            for b in bindings:
                if b.action.startswith("tab("):
                    b = dataclasses.replace(b, group=group)
                elif b.action in self.KEY_WORDS:
                    b = dataclasses.replace(b, description=tr(WORDS, self.KEY_WORDS[b.action], lang))
                new.append(b)
            self._bindings.key_to_bindings[key] = new
        self.refresh_bindings()

    def _header(self) -> None:
        s, lang = self.seminar, self.lang
        sc = s.session.scenario
        year = sc.year(s.turn)
        name = s.team_name(self.team, lang)
        self.query_one("#team-title", Static).update(
            Text(tr(WORDS, "title", lang, team=name, n=s.turn, t=sc.turns, year=f"{year:g}")))
        self.query_one("#team-budget", Static).update(Text(self.budget_line()))
        if not self.editable:
            hint = tr(WORDS, "hint_closed", lang, team=name)
        elif not s.plan(self.team):
            hint = tr(WORDS, "hint_empty", lang)
        elif s.left(self.team) <= 0:
            hint = tr(WORDS, "hint_full", lang)
        else:
            hint = tr(WORDS, "hint_more", lang)
        self.query_one("#team-hint", Static).update(Text(hint))

    def budget_line(self, lang: str | None = None) -> str:
        s = self.seminar
        return tr(WORDS, "budget", lang or self.lang, budget=s.budget(self.team), spent=s.spent(self.team),
                  left=s.left(self.team))

    @property
    def editable(self) -> bool:
        s = self.seminar
        return (not s.over and self.team in s.humans and not s.session.committed(self.team))

    # --- dashboard --------------------------------------------------------------------------
    def _fill_dashboard(self) -> None:
        s, lang = self.seminar, self.lang
        table = self.query_one("#dash-table", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        for key in ("meter", "who", "value", "delta", "trend"):
            table.add_column(Text(tr(WORDS, f"col_{key}", lang)), key=key)
        self._dash_rows: list[MeterRow] = s.dashboard(self.team)
        for m in self._dash_rows:
            who = (tr(WORDS, "world", lang) if not m.key else
                   name_of(s, "bloc" if m.meter == "cohesion" else "actor", m.key, lang))
            style = delta_style(m.meter, m.delta)
            table.add_row(Text(tr(WORDS, f"m_{m.meter}", lang) if f"m_{m.meter}" in WORDS else m.meter),
                          Text(who), Text(fmt1(m.value), justify="right"),
                          Text(signed(m.delta), style=style, justify="right"),
                          Text(sparkline(m.history), style=style if style != FLAT else "cyan"),
                          key=f"{m.meter}/{m.key}")
        if self._dash_rows:
            table.move_cursor(row=min(max(row, 0), len(self._dash_rows) - 1))
        self._dash_help()

    def _dash_help(self) -> None:
        lang = self.lang
        table = self.query_one("#dash-table", DataTable)
        text = Text()
        rows = getattr(self, "_dash_rows", [])
        if rows and 0 <= table.cursor_row < len(rows):
            meter = rows[table.cursor_row].meter
            if f"m_{meter}" in WORDS:
                text.append(f"{tr(WORDS, f'm_{meter}', lang)} ({tr(WORDS, f'u_{meter}', lang)}): ", style="bold")
                text.append(tr(WORDS, f"h_{meter}", lang) + "\n")
        text.append(tr(WORDS, "dash_legend", lang))
        self.query_one("#dash-help", Static).update(text)

    # --- dependency -------------------------------------------------------------------------
    def dependency_actor(self) -> str:
        actors = self.seminar.actors(self.team)
        if self.multi and "dependency" in self._built:
            value = self.query_one("#dep-actor", Select).value
            if value in actors:
                return value  # type: ignore[return-value]
        return actors[0]

    def dependency_rows(self, actor: str) -> list["DependencyRow"]:
        """The stages the actor needs, most exposed first."""
        rows = [r for r in self.seminar.dependency(actor) if r.need]
        rows.sort(key=lambda r: (-r.rival_reliance, -r.import_reliance, -r.hhi))
        return rows

    def _draw_dependency(self) -> None:
        """The whole tab: the state selector's words, the legend and the table."""
        lang = self.lang
        if self.multi:
            self.query_one("#dep-label", Static).update(Text(tr(WORDS, "dep_actor", lang)))
            if lang != self._select_lang:  # the selector was named when built
                self._select_lang = lang
                select = self.query_one("#dep-actor", Select)
                keep = select.value
                actors = self.seminar.actors(self.team)
                select.set_options([(Text(self.seminar.actor_name(a, lang)), a) for a in actors])
                select.value = keep if keep in actors else actors[0]
        self.query_one("#dep-legend", Static).update(Text(tr(WORDS, "dep_legend", lang)))
        self._fill_dependency()

    def _fill_dependency(self) -> None:
        s, lang = self.seminar, self.lang
        table = self.query_one("#dep-table", DataTable)
        at = table.cursor_row  # kept when the table is redrawn (a resize, the language)
        table.clear(columns=True)
        for key in ("mineral", "stage", "import", "rival", "hhi", "suppliers"):
            table.add_column(Text(tr(CARD_WORDS, f"col_{key}", lang)), key=key)
        rows = self.dependency_rows(self.dependency_actor())
        cells = [[Text(name_of(s, "mineral", r.mineral, lang)), Text(name_of(s, "stage", r.stage, lang)),
                  Text(f"{r.import_reliance:.0f}", justify="right"),
                  Text(f"{r.rival_reliance:.0f}", justify="right",
                       style="bold red" if r.rival_reliance >= 50 else ""),
                  Text(f"{r.hhi:.0f}", justify="right")] for r in rows]
        # the suppliers get the width the other columns leave (each column is padded by 1
        # on both sides; 2 more for the scroll bar): those that do not fit are counted
        widths = [max([c.cell_len for c in column] + [col.label.cell_len]) + 2
                  for column, col in zip(zip(*cells), table.ordered_columns)] if cells else []
        room = max(self.app.size.width - sum(widths) - 4, 12)
        self._dep_width = self.app.size.width
        for r, row in zip(rows, cells):
            sup = Text()
            for i, x in enumerate(r.suppliers):
                style = "bold red" if x.rival else ("green" if x.own else "")
                pct = f"{x.share * 100:.0f}%" if x.share >= 0.005 else "<1%"
                part = Text(", " if i else "").append(
                    f"{s.actor_name(x.actor, lang)} {pct}" + (" !" if x.rival else ""), style=style)
                more = len(r.suppliers) - i - 1
                if i and sup.cell_len + part.cell_len + (len(f" +{more}") if more else 0) > room:
                    sup.append(f" +{len(r.suppliers) - i}", style="dim")
                    break
                sup.append_text(part)
            table.add_row(*row, sup, key=f"{r.mineral}/{r.stage}")
        if not rows:
            table.add_row(Text(tr(WORDS, "dep_none", lang)), Text(""), Text(""), Text(""), Text(""), Text(""))
        table.move_cursor(row=min(at, table.row_count - 1), animate=False)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "dep-actor":
            self._fill_dependency()

    # --- hand and plan --------------------------------------------------------------------
    def refresh_plan(self) -> None:
        """Redraw what depends on the plan: budget line, hint, hand marks, plan table, keys."""
        self._header()
        self._hand_state()
        self._redraw("hand", "plan")
        self.refresh_bindings()

    def _hand_state(self) -> None:
        """The hand, which of its cards are planned, and which can be played now (kept
        whether or not the hand tab is built: the keys on offer depend on it)."""
        s = self.seminar
        hand = s.hand(self.team)
        self._hand = hand
        self._planned = self._planned_out(hand)
        self._status = [playable(s, self.team, c) if self.editable else Playable({}, None) for c in hand]

    def _planned_out(self, hand: list["Card"]) -> set[int]:
        """Positions in the hand whose card is already in the plan (copy for copy)."""
        left = [o.card for o in self.seminar.plan(self.team)]
        out = set()
        for i, card in enumerate(hand):
            if card.id in left:
                left.remove(card.id)
                out.add(i)
        return out

    def _fill_hand(self) -> None:
        lang = self.lang
        table = self.query_one("#hand-table", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        for key in ("card", "cost", "status"):
            table.add_column(Text(tr(WORDS, f"col_{key}", lang)), key=key)
        hand = self._hand
        for i, card in enumerate(hand):
            st = self._status[i]
            if i in self._planned:
                mark = Text(tr(WORDS, "st_planned", lang), style="cyan")
            elif st.options:
                mark = Text(tr(WORDS, "st_ok", lang), style="green")
            else:
                mark = Text(tr(WORDS, "st_no", lang), style="red")
            table.add_row(Text(card.name.get(lang)), Text(str(card.cost), justify="right"), mark, key=str(i))
        if hand:
            table.move_cursor(row=min(max(row, 0), len(hand) - 1))
        self._hand_details()

    def _hand_details(self) -> None:
        lang = self.lang
        table = self.query_one("#hand-table", DataTable)
        hand = self._hand
        details = self.query_one("#hand-details", Static)
        i = table.cursor_row
        if not hand or not 0 <= i < len(hand):
            details.update(Text(tr(WORDS, "hand_empty", lang)))
            return
        details.update(card_details(self.seminar, hand[i], lang, self._status[i], i in self._planned,
                                    self.team))

    def _fill_plan(self) -> None:
        s, lang = self.seminar, self.lang
        table = self.query_one("#plan-table", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        cols = ["n", "card"] + (["actor"] if self.multi else []) + ["targets", "cost"]
        for key in cols:
            table.add_column(Text(tr(WORDS, f"col_{key}", lang)), key=key)
        plan = s.plan(self.team)
        for i, order in enumerate(plan):
            card = s.session.content.card(order.card)
            cells = [Text(str(i + 1)), Text(card.name.get(lang))]
            if self.multi:
                actor = order.actor or s.actors(self.team)[0]
                cells.append(Text(s.actor_name(actor, lang)))
            cells += [Text(order_words(s, order, lang)), Text(str(card.cost), justify="right")]
            table.add_row(*cells, key=str(i))
        if plan:
            table.move_cursor(row=min(max(row, 0), len(plan) - 1))
        note = self.query_one("#plan-note", Static)
        note.update(Text(tr(WORDS, "plan_note" if plan else "plan_empty", lang)))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "hand-table":
            self._hand_details()
        elif event.data_table.id == "dash-table":
            self._dash_help()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "hand-table":
            event.stop()
            self.action_play()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self._show_pane(self._current())  # a tab chosen with the mouse, not with 1-4
        self.refresh_bindings()

    # --- keys ---------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "play":
            return True if self.editable and self._hand_count() else None
        if action == "remove":
            return True if self.editable and self.seminar.plan(self.team) else None
        if action == "commit":
            return True if self.editable else None
        return True

    def _hand_count(self) -> int:
        return len(self._hand)

    def _active(self) -> str:
        return self.query_one("#team-tabs", TabbedContent).active

    def action_tab(self, pane: str) -> None:
        self._show_pane(pane)
        self.query_one("#team-tabs", TabbedContent).active = pane
        self.query_one(FIRST_WIDGET[pane]).focus()

    def action_play(self) -> None:
        """Play the card highlighted in the hand (from another tab: show the hand first)."""
        if not self.editable or not self._hand_count():
            return
        if self._active() != "hand":
            self.action_tab("hand")
            return
        i = self.query_one("#hand-table", DataTable).cursor_row
        if not 0 <= i < len(self._hand):
            return
        card, status = self._hand[i], self._status[i]
        if not status.options:
            s, problem = self.seminar, status.problem
            self.app.push_screen(MessageDialog(tr_in(WORDS, "cannot_play"), [
                card.name.get, lambda lang: problem_words(s, self.team, card, problem, lang)]))
            return

        def done(order: Order | None) -> None:
            if order is not None:
                self.refresh_plan()
                self.notify(tr(WORDS, "added", self.lang, card=card.name.get(self.lang)), markup=False)

        self.app.push_screen(PlayDialog(self.team, card, status), done)

    def action_remove(self) -> None:
        """Take the highlighted planned card back (from another tab: show the plan first)."""
        plan = self.seminar.plan(self.team)
        if not self.editable or not plan:
            return
        if self._active() != "plan":
            self.action_tab("plan")
            return
        i = self.query_one("#plan-table", DataTable).cursor_row
        if not 0 <= i < len(plan):
            return
        order = self.seminar.remove(self.team, i)
        self.refresh_plan()
        self.notify(tr(WORDS, "removed", self.lang, card=card_name(self.seminar, order.card, self.lang)),
                    markup=False)

    def commit_question(self, lang: str) -> str:
        s = self.seminar
        name = s.team_name(self.team, lang)
        plan = s.plan(self.team)
        if not plan:
            return tr(WORDS, "commit_empty", lang, team=name)
        lines = [tr(WORDS, "commit_q", lang, team=name)]
        for i, order in enumerate(plan):
            card = s.session.content.card(order.card)
            line = f"{i + 1}. {card.name.get(lang)} ({card.cost})"
            words = order_words(s, order, lang)
            if self.multi:
                line += " " + tr(WORDS, "by", lang, actor=s.actor_name(order.actor or s.actors(self.team)[0], lang))
            if words:
                line += ": " + words
            lines.append(line)
        lines.append(self.budget_line(lang))
        return "\n".join(lines)

    def action_commit(self) -> None:
        if not self.editable:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.seminar.commit(self.team)
            except OrderError as exc:
                self.app.show_error(tr_in(WORDS, "commit_failed"), [str(exc)])
                return
            self.app.advance()

        # committing is the expected next step (c, then Enter); nothing is lost until the turn resolves
        self.app.push_screen(ConfirmDialog(self.commit_question, default_yes=True), answered)


# --- the target picker ------------------------------------------------------------------------
class PlayDialog(Dialog, ModalScreen[Order | None]):
    """Pick who plays a card (for a team of several states) and each of its targets; Play
    adds the order to the team's plan, or shows why it is refused and adds nothing."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    PlayDialog { align: center middle; }
    PlayDialog #pick-box { width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1; }
    PlayDialog #pick-title { height: auto; text-style: bold; }
    PlayDialog #pick-cost { height: auto; color: $accent; }
    PlayDialog #pick-body { height: auto; max-height: 14; }
    PlayDialog .pick-label { height: auto; margin-top: 1; }
    PlayDialog Select { width: 100%; }
    PlayDialog #pick-problem { height: auto; color: $text-error; }
    PlayDialog #pick-hint { height: auto; color: $text-muted; }
    PlayDialog #pick-buttons { height: auto; align-horizontal: right; }
    PlayDialog #pick-buttons Button { margin-left: 1; }
    """

    def __init__(self, team: str, card: "Card", status: Playable) -> None:
        super().__init__()
        self.team, self.card, self.status = team, card, status
        first = next(iter(status.options))
        self._values: dict[str, object] = {"actor": first, **status.options[first]}
        self._lang_drawn: str | None = None  # the language the words are in

    @property
    def seminar(self) -> "Seminar":
        return self.app.seminar

    @property
    def asks_actor(self) -> bool:
        return None not in self.status.options

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-box"):
            yield Static(id="pick-title", markup=False)
            yield Static(id="pick-cost", markup=False)
            with VerticalScroll(id="pick-body") as body:
                body.can_focus = False  # Tab goes from one choice to the next
                lang = getattr(self.app, "lang", "en")
                for key in (["actor"] if self.asks_actor else []) + [t.name for t in self.card.targets]:
                    yield Static(id=f"label-{key}", classes="pick-label", markup=False)
                    yield Select(self._options(key, lang), id=f"pick-{key}", allow_blank=False,
                                 value=self._values[key], compact=True)
                if not self.asks_actor and not self.card.targets:
                    yield Static(id="pick-none", classes="pick-label", markup=False)
            yield Static(id="pick-problem", markup=False)
            yield Static(id="pick-hint", markup=False)
            with Horizontal(id="pick-buttons"):
                yield Button("", id="pick-play", variant="primary", compact=True)
                yield Button("", id="pick-cancel", compact=True)

    def on_mount(self) -> None:
        selects = list(self.query(Select))
        (selects[0] if selects else self.query_one("#pick-play", Button)).focus()

    def draw_words(self, lang: str) -> None:
        self._texts(lang)
        if self._lang_drawn is not None and self._lang_drawn != lang:  # the choices were named in compose
            for select in self.query(Select):
                self._fill(select, (select.id or "").removeprefix("pick-"), lang)
        self._lang_drawn = lang

    def _texts(self, lang: str) -> None:
        s, card = self.seminar, self.card
        self.query_one("#pick-title", Static).update(
            Text(tr(WORDS, "pick_title", lang, card=card.name.get(lang)), style="bold"))
        self.query_one("#pick-cost", Static).update(
            Text(tr(WORDS, "pick_cost", lang, cost=card.cost, left=s.left(self.team) - card.cost)))
        if self.asks_actor:
            self.query_one("#label-actor", Static).update(Text(tr(WORDS, "pick_actor", lang)))
        for spec in card.targets:
            self.query_one(f"#label-{spec.name}", Static).update(Text(target_prompt(spec, lang)))
        if not self.asks_actor and not card.targets:
            self.query_one("#pick-none", Static).update(Text(tr(WORDS, "pick_none", lang)))
        self.query_one("#pick-hint", Static).update(Text(tr(WORDS, "pick_hint", lang)))
        self.query_one("#pick-play", Button).label = Text(tr(WORDS, "pick_play", lang))
        self.query_one("#pick-cancel", Button).label = Text(tr(WORDS, "pick_cancel", lang))

    def _options(self, key: str, lang: str) -> list[tuple[Text, str]]:
        """The choices for the actor (``key == "actor"``) or one target, named in ``lang``."""
        s = self.seminar
        if key == "actor":
            return [(Text(s.actor_name(a, lang)), a) for a in self.status.options if a]
        spec = next(t for t in self.card.targets if t.name == key)
        return [(Text(name_of(s, spec.kind, v, lang)), v) for v in s.choices(self.card, spec)]

    def _fill(self, select: Select, key: str, lang: str) -> None:
        """Name a picker's options in the language shown, keeping what was chosen."""
        keep = self._values.get(key)
        options = self._options(key, lang)
        select.set_options(options)
        if keep in [v for _, v in options]:
            select.value = keep

    def on_select_changed(self, event: Select.Changed) -> None:
        """Remember the choice; when the player changed it, move on to the next field."""
        event.stop()
        key = (event.select.id or "").removeprefix("pick-")
        if event.value == Select.NULL or event.value != event.select.value:
            return  # a step on the way while the options were renamed
        before = self._values.get(key)
        self._values[key] = event.value
        self.query_one("#pick-problem", Static).update("")
        if before != event.value and event.select.has_focus:
            self.focus_next()

    def order(self) -> Order:
        actor = self._values.get("actor") if self.asks_actor else None
        targets = {t.name: str(self._values.get(t.name)) for t in self.card.targets}
        return Order(card=self.card.id, actor=actor, targets=targets)  # type: ignore[arg-type]

    def play(self) -> None:
        lang = getattr(self.app, "lang", "en")
        order = self.order()
        try:
            self.seminar.add(self.team, order)
        except OrderError as exc:
            words = problem_words(self.seminar, self.team, self.card, exc, lang)
            self.query_one("#pick-problem", Static).update(Text(tr(WORDS, "pick_refused", lang) + words))
            return
        self.dismiss(order)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "pick-play":
            self.play()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

