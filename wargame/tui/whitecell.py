"""The White Cell: the facilitator's view of the turn before it is resolved.

It sees every team's committed orders (never shown on a team's screen), who has not
committed yet, the events already in the turn and the rulings so far. From here the
facilitator injects an event (``InjectPicker``) or withdraws one (Tab to the events, then
w), vetoes or amends an order with a written rationale (recorded in the save) and lifts
such a ruling again (v on a vetoed order, "Lift" in the amend dialog), resolves the turn
in a worker so the screen never freezes, or rewinds the last resolution.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, OptionList, Select, Static
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist
from textual.widgets.option_list import Option

from wargame.game.session import OrderError
from wargame.model.deck import Card, TargetSpec
from wargame.model.effects import needs_actor
from wargame.model.records import Inject, Order, Override, Withdrawal
from wargame.tui.dialogs import WIDE_AT, Dialog, LeanFooter, RowTable, Words, localise_keys, say
from wargame.report.labels import tr, tr_in
from wargame.report.names import names, target_prompt

WORDS = {
    "title": {"en": "White Cell · Turn {n} of {t} · {year}", "zh": "白方（导调组）· 第 {n} 回合，共 {t} 回合 · {year} 年"},
    "title_over": {"en": "White Cell · the game is over ({t} turns)", "zh": "白方（导调组）· 推演已结束（共 {t} 回合）"},
    "hint_waiting": {
        "en": "Teams not committed yet pass if you resolve now. ↑↓ an order: v veto or lift, a amend · "
              "o reopen a team · i inject, Tab then w withdraw an event · r resolve · Esc back",
        "zh": "若现在结算，尚未提交的队伍视为放弃本回合。 ↑↓ 选择命令：v 否决（或撤销否决），a 修改 · "
              "o 退回某队的命令 · i 插入事件，Tab 后按 w 撤除事件 · r 结算 · Esc 返回",
    },
    "hint_ready": {
        "en": "Every team has committed. ↑↓ an order: v veto or lift, a amend · o reopen a team · "
              "i inject, Tab then w withdraw an event · r resolve",
        "zh": "各队均已提交。 ↑↓ 选择命令：v 否决（或撤销否决），a 修改 · o 退回某队的命令 · "
              "i 插入事件，Tab 后按 w 撤除事件 · r 结算本回合",
    },
    "hint_over": {"en": "The game is over. u rewinds the last turn · Esc goes to the debrief",
                  "zh": "推演已结束。 u 撤回最后一回合 · Esc 前往复盘"},
    "hint_resolving": {"en": "Resolving turn {n}… please wait.", "zh": "正在结算第 {n} 回合…… 请稍候。"},
    "status_todo": {"en": "Not committed yet: {teams}", "zh": "尚未提交：{teams}"},
    "status_done": {"en": "All teams have committed", "zh": "各队均已提交"},
    "bots": {"en": "played by bots: {teams}", "zh": "电脑操控：{teams}"},
    "col_team": {"en": "Team", "zh": "队伍"},
    "col_n": {"en": "#", "zh": "#"},
    "col_card": {"en": "Order", "zh": "命令"},
    "col_actor": {"en": "Actor", "zh": "行为体"},
    "col_targets": {"en": "Targets", "zh": "目标"},
    "col_ruling": {"en": "Ruling", "zh": "裁定"},
    "no_orders": {"en": "(no orders: passes)", "zh": "（无命令：放弃本回合）"},
    "not_committed": {"en": "(not committed yet)", "zh": "（尚未提交）"},
    "vetoed": {"en": "VETOED", "zh": "已否决"},
    "amended": {"en": "amended", "zh": "已修改"},
    "selected": {"en": "Selected order: ", "zh": "所选命令："},
    "ruling_line": {"en": "{ruling} · {what} ({card})", "zh": "{ruling} · {what}（{card}）"},
    "colon": {"en": ": ", "zh": "："},
    "hawk": {"en": "hawk", "zh": "鹰派"},
    "dove": {"en": "dove", "zh": "鸽派"},
    "balanced": {"en": "balanced", "zh": "平衡"},
    "random": {"en": "random", "zh": "随机"},
    "policy": {"en": "{team} ({policy})", "zh": "{team}（{policy}）"},
    "was": {"en": "as committed: {targets}", "zh": "提交时：{targets}"},
    "injects": {"en": "Events this turn", "zh": "本回合事件"},
    "no_injects": {"en": "No event yet: i injects one.", "zh": "暂无事件：按 i 插入。"},
    "no_events_now": {"en": "No event.", "zh": "无事件。"},
    "later": {"en": "Later in the timeline: ", "zh": "时间线上的后续事件："},
    "later_one": {"en": "turn {n} {card}", "zh": "第 {n} 回合 {card}"},
    "timeline": {"en": " (timeline)", "zh": "（时间线）"},
    "facilitator": {"en": " (White Cell)", "zh": "（白方插入）"},
    "acting": {"en": "acting: {actor}", "zh": "行动方：{actor}"},
    "overrides": {"en": "Rulings this turn", "zh": "本回合裁定"},
    "no_overrides": {"en": "No veto or amendment yet.", "zh": "暂无否决或修改。"},
    "ruling_veto": {"en": "Veto", "zh": "否决"},
    "ruling_amend": {"en": "Amend", "zh": "修改"},
    "lift_veto_title": {"en": "Lift the veto on {what}: {card}", "zh": "撤销对{what}的否决：{card}"},
    "lift_amend_title": {"en": "Lift the last amendment of {what}: {card}", "zh": "撤销对{what}的最近一次修改：{card}"},
    "lift_why": {"en": "Why lift it? The rationale is recorded in the save (at least 3 characters).",
                 "zh": "为什么撤销？理由将记入存档（至少 3 个字符）。"},
    "withdraw_title": {"en": "Withdraw event {n}: {card}", "zh": "撤除事件 {n}：{card}"},
    "withdraw_why": {"en": "Why withdraw it? The rationale is recorded in the save (at least 3 characters).",
                     "zh": "为什么撤除？理由将记入存档（至少 3 个字符）。"},
    "withdrawn": {"en": "Event withdrawn: {card}", "zh": "已撤除事件：{card}"},
    "reopen_title": {"en": "Reopen the orders of {team}", "zh": "退回{team}的命令"},
    "reopen_why": {"en": "Why? The team gets its orders back as its plan and commits again; the rulings on "
                         "them go. The rationale is recorded in the save (at least 3 characters).",
                   "zh": "理由是什么？该队的命令将退回为计划，由其重新提交；对这些命令的裁定一并作废。理由将记入存档（至少 3 个字符）。"},
    "reopened": {"en": "{team} has its orders back: it commits again before the turn is resolved (Esc, then "
                       "the curtain).",
                 "zh": "{team}的命令已退回：须在结算前重新提交（按 Esc，然后进入遮挡画面）。"},
    "reopen_failed": {"en": "Cannot reopen the orders", "zh": "无法退回命令"},
    "withdraw_failed": {"en": "Cannot withdraw the event", "zh": "无法撤除事件"},
    "lift_amend": {"en": "Lift last amendment", "zh": "撤销最近修改"},
    "order_of": {"en": "{team} order {n}", "zh": "{team}第 {n} 条命令"},
    "veto_title": {"en": "Veto {what}: {card}", "zh": "否决{what}：{card}"},
    "amend_title": {"en": "Amend {what}: {card}", "zh": "修改{what}：{card}"},
    "rationale": {"en": "Why? The rationale is recorded in the save (at least 3 characters).",
                  "zh": "理由是什么？理由将记入存档（至少 3 个字符）。"},
    "no_change": {"en": "The targets are unchanged: nothing to amend.", "zh": "目标未改变：无需修改。"},
    "ruling_failed": {"en": "Cannot record the ruling", "zh": "无法记录裁定"},
    "resolve_q": {"en": "Not committed yet, so passing this turn: {teams}. Resolve turn {n} now?",
                  "zh": "{teams}尚未提交，本回合视为放弃。现在结算第 {n} 回合吗？"},
    "resolve_failed": {"en": "Cannot resolve the turn", "zh": "无法结算本回合"},
    "kept": {"en": "The turn is kept as it was: fix the cause and resolve again.",
             "zh": "本回合保持原状：排除问题后再结算。"},
    "undo_title": {"en": "Undo turn {k}", "zh": "撤回第 {k} 回合"},
    "undo_why": {"en": "Why rewind? The rationale is recorded in the save (at least 3 characters).",
                 "zh": "为什么撤回？理由将记入存档（至少 3 个字符）。"},
    "undo_q": {"en": "Rewind turn {k}? Its orders, events and rulings are discarded and every team plays "
                     "the turn again.",
               "zh": "撤回第 {k} 回合？该回合的命令、事件和裁定都将作废，各队重新进行该回合。"},
    "undone": {"en": "Turn {k} rewound: the teams play it again.", "zh": "第 {k} 回合已撤回：各队重新进行该回合。"},
    "undo_failed": {"en": "Cannot undo", "zh": "无法撤回"},
    "injected": {"en": "Event injected: {card}", "zh": "已插入事件：{card}"},
    # footer keys
    "key_inject": {"en": "Inject", "zh": "插入"},
    "key_veto": {"en": "Veto", "zh": "否决"},
    "key_lift": {"en": "Lift", "zh": "撤销"},
    "key_withdraw": {"en": "Withdraw", "zh": "撤除"},
    "key_amend": {"en": "Amend", "zh": "修改"},
    "key_resolve": {"en": "Resolve", "zh": "结算"},
    "key_undo": {"en": "Undo", "zh": "撤回"},
    "key_back": {"en": "Back", "zh": "返回"},
    # the inject picker and the amend dialog
    "pick_title": {"en": "Inject an event", "zh": "插入事件"},
    "pick_hint": {"en": "↑↓ choose an event · Enter sets its targets · Tab moves · Esc cancels",
                  "zh": "↑↓ 选择事件 · Enter 设置目标 · Tab 切换 · Esc 取消"},
    "mechanism": {"en": "Mechanism: {m}", "zh": "机制：{m}"},
    "source": {"en": "Source: {s}", "zh": "来源：{s}"},
    "no_targets": {"en": "This event has no targets to choose.", "zh": "此事件无需选择目标。"},
    "who_acts": {"en": "Who acts", "zh": "行动方"},
    "choose": {"en": "Choose…", "zh": "请选择……"},
    "need_actor": {"en": "This event acts for someone: choose who acts.", "zh": "此事件需要行动方：请选择由谁行动。"},
    "need_target": {"en": "Choose a value for every target.", "zh": "请为每个目标选定取值。"},
    "no_events": {"en": "The scenario has no event cards.", "zh": "本情景没有事件牌。"},
    "inject": {"en": "Inject", "zh": "插入"},
    "ok": {"en": "OK", "zh": "确定"},
    "cancel": {"en": "Cancel", "zh": "取消"},
    "amend_hint": {"en": "Choose the new targets, then OK (a rationale is asked next). Esc cancels.",
                   "zh": "选择新的目标后按“确定”（随后需填写理由）。Esc 取消。"},
}

KEY_WORDS = {"inject": "key_inject", "withdraw": "key_withdraw", "veto": "key_veto", "amend": "key_amend",
             "resolve": "key_resolve", "undo": "key_undo", "back": "key_back"}


def _lang(node) -> str:
    return getattr(node.app, "lang", "en")


def value_name(seminar, value: str, lang: str) -> str:
    """The display name of a target value (a mineral, actor, bloc or stage id)."""
    return names(seminar, lang).thing(value)


def targets_text(seminar, card_id: str, targets: dict[str, str], lang: str) -> str:
    return names(seminar, lang).labelled_targets(card_id, targets)


def target_select(seminar, card: Card, spec: TargetSpec, lang: str, value: str | None = None) -> Select:
    """A one-line picker for one target of a card (the first choice unless ``value``)."""
    options = [(Text(value_name(seminar, v, lang)), v) for v in seminar.choices(card, spec)]
    values = [v for _, v in options]
    start = value if value in values else (values[0] if values else Select.NULL)
    return Select(options, allow_blank=not values, value=start, name=spec.name, compact=True,
                  classes="wc-target")


class WhiteCellScreen(Screen):
    """All committed orders, injects and rulings of the turn; inject, veto, amend, resolve, undo."""

    BINDINGS = [
        Binding("i", "inject", "Inject"),
        Binding("w", "withdraw", "Withdraw event"),
        Binding("v", "veto", "Veto or lift a veto"),
        Binding("a", "amend", "Amend"),
        Binding("r", "resolve", "Resolve"),
        Binding("u", "undo", "Undo"),
        Binding("o", "reopen", "Reopen a team's orders", show=False),  # in the help and the palette
        Binding("escape", "back", "Back", show=False),
        Binding("b", "back", "Back"),
    ]
    DEFAULT_CSS = """
    WhiteCellScreen { background: $background; layout: vertical; }
    WhiteCellScreen #wc-title { height: 1; padding: 0 1; background: $warning 40%; text-style: bold; }
    WhiteCellScreen #wc-hint { height: auto; padding: 0 1; color: $text-muted; }
    WhiteCellScreen #wc-status { height: auto; padding: 0 1; }
    WhiteCellScreen #wc-orders { height: 1fr; min-height: 4; }
    WhiteCellScreen #wc-details { height: 1fr; min-height: 4; padding: 0 1; border-top: solid $primary; }
    WhiteCellScreen .wc-heading { height: auto; text-style: bold; color: $accent; }
    WhiteCellScreen .wc-line { height: auto; }
    WhiteCellScreen #wc-events { height: auto; max-height: 8; border: none; padding: 0; }
    WhiteCellScreen.-resolving #wc-hint { color: $warning; text-style: bold; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.resolving = False
        self._drawn_wide: bool | None = None  # how the orders table was last laid out
        self._keys_drawn: tuple[str, str] | None = None  # (the word on v, the language) in the footer

    # --- layout ---------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(id="wc-title", markup=False)
        yield Static(id="wc-hint", markup=False)
        yield Static(id="wc-status", markup=False)
        table = RowTable(id="wc-orders", cursor_type="row", zebra_stripes=True)
        yield table
        details = VerticalScroll(id="wc-details")
        details.can_focus = False  # Tab goes from the orders to the events list inside it
        with details:
            yield Static(id="wc-overrides-heading", classes="wc-heading", markup=False)
            yield Static(id="wc-overrides", classes="wc-line", markup=False)
            yield Static(id="wc-injects-heading", classes="wc-heading", markup=False)
            yield Static(id="wc-injects", classes="wc-line", markup=False)
            yield OptionList(id="wc-events", compact=True)
            yield Static(id="wc-later", classes="wc-line", markup=False)
            yield Static(id="wc-selected", classes="wc-line", markup=False)
        yield LeanFooter()

    def on_mount(self) -> None:
        self.show_language(_lang(self))
        self.query_one("#wc-orders", DataTable).focus()

    @property
    def seminar(self):
        return self.app.seminar

    def show_language(self, lang: str) -> None:
        self._label_keys(lang)
        if self.resolving:
            self._draw_header(lang)
            return
        self.refresh_view()

    def refresh_view(self) -> None:
        """Redraw everything from the seminar (after any change)."""
        lang = _lang(self)
        self._draw_header(lang)
        self._draw_table(lang)
        self._draw_details(lang)
        self.refresh_bindings()

    # --- drawing -------------------------------------------------------------------
    def _draw_header(self, lang: str) -> None:
        s = self.seminar
        sc = s.session.scenario
        if s.over:
            title = tr(WORDS, "title_over", lang, t=sc.turns)
        else:
            year = sc.start_year + int((s.turn - 1) * sc.turn_years)
            title = tr(WORDS, "title", lang, n=s.turn, t=sc.turns, year=year)
        self.query_one("#wc-title", Static).update(Text(title))
        waiting = self._waiting()
        if self.resolving:
            hint = tr(WORDS, "hint_resolving", lang, n=s.turn)
        elif s.over:
            hint = tr(WORDS, "hint_over", lang)
        elif waiting:
            hint = tr(WORDS, "hint_waiting", lang)
        else:
            hint = tr(WORDS, "hint_ready", lang)
        self.query_one("#wc-hint", Static).update(Text(hint))
        names = ", ".join(s.team_name(t, lang) for t in waiting)
        if s.over:
            status = ""
        else:
            status = tr(WORDS, "status_todo", lang, teams=names) if waiting else tr(WORDS, "status_done", lang)
        bots = [tr(WORDS, "policy", lang, team=s.team_name(t, lang),
                   policy=tr(WORDS, s.seats[t], lang) if s.seats[t] in WORDS else s.seats[t])
                for t in s.teams if t not in s.humans]
        if bots:
            status += (" · " if status else "") + tr(WORDS, "bots", lang, teams=", ".join(bots))
        self.query_one("#wc-status", Static).update(Text(status))

    def _waiting(self) -> list[str]:
        """Human teams that have not committed this turn (they pass if it is resolved now)."""
        s = self.seminar
        if s.over:
            return []
        return [t for t in s.humans if not s.session.committed(t)]

    def _rulings(self, team: str, index: int) -> list[Override]:
        return [o for o in self.seminar.session.overrides if o.team == team and o.index == index]

    def _effective(self, team: str, index: int, order: Order) -> dict[str, str]:
        targets = dict(order.targets)
        for o in self._rulings(team, index):
            if o.action == "amend":
                targets.update(o.targets)
        return targets

    def _wide(self) -> bool:
        """Whether the orders table has room for the targets and the actor in columns of their
        own; below that they go on a second line of the order's cell."""
        return self.app.size.width >= WIDE_AT

    def on_resize(self, event) -> None:
        if self._drawn_wide is not None and self._wide() != self._drawn_wide and not self.resolving:
            self._draw_table(_lang(self))

    def _draw_table(self, lang: str) -> None:
        s = self.seminar
        table = self.query_one("#wc-orders", DataTable)
        keep = self._selected_key()
        table.clear(columns=True)
        wide = self._drawn_wide = self._wide()
        for key in ("team", "n", "ruling", "card") + (("targets", "actor") if wide else ()):
            table.add_column(Text(tr(WORDS, f"col_{key}", lang)), key=key)
        if s.over:
            return
        committed = s.committed_orders()
        for team in s.teams:
            name = Text(s.team_name(team, lang))
            orders = committed.get(team)
            if orders is None or not orders:
                word = "not_committed" if orders is None else "no_orders"
                cells = [name, Text(""), Text(""), Text(tr(WORDS, word, lang), style="italic")]
                table.add_row(*cells, *([Text(""), Text("")] if wide else []), key=f"{team}:-")
                continue
            several = len(s.actors(team)) > 1
            for i, order in enumerate(orders):
                card = s.session.content.card(order.card)
                actor = s.actor_name(order.actor or s.actors(team)[0], lang)
                rulings = self._rulings(team, i)
                if any(o.action == "veto" for o in rulings):
                    ruling, style = Text(tr(WORDS, "vetoed", lang), style="bold red"), "strike dim"
                elif rulings:
                    ruling, style = Text(tr(WORDS, "amended", lang), style="bold yellow"), ""
                else:
                    ruling, style = Text(""), ""
                targets = targets_text(s, order.card, self._effective(team, i, order), lang)
                title = Text(card.name.get(lang), style=style)
                if wide:
                    table.add_row(name, Text(str(i + 1)), ruling, title, Text(targets), Text(actor),
                                  key=f"{team}:{i}")
                    continue
                more = " · ".join(part for part in (targets, actor if several else "") if part)
                if more:
                    title.append("\n  " + more, style="dim")
                table.add_row(name, Text(str(i + 1)), ruling, title, height=2 if more else 1, key=f"{team}:{i}")
        if keep is not None:
            team = keep.rpartition(":")[0]
            for key in (keep, f"{team}:0", f"{team}:-"):  # the row, or else its team's first row
                try:
                    table.move_cursor(row=table.get_row_index(key), animate=False)
                    break
                except RowDoesNotExist:  # gone (after an undo or a reopen)
                    continue

    def _draw_details(self, lang: str) -> None:
        s = self.seminar
        events = {c.id: c for c in s.event_cards()}
        self.query_one("#wc-selected", Static).update(self._selected_text(lang))
        self.query_one("#wc-injects-heading", Static).update(Text(tr(WORDS, "injects", lang)))
        lines = [self._event_line(n, inj, events, lang) for n, inj in enumerate(s.session.injects, 1)]
        listed = self.query_one("#wc-events", OptionList)
        keep = listed.highlighted
        listed.set_options([Option(line) for line in lines])
        if lines:
            listed.highlighted = min(keep or 0, len(lines) - 1)
        listed.display = bool(lines)
        empty = self.query_one("#wc-injects", Static)
        empty.display = not lines
        if not lines:
            empty.update(Text(tr(WORDS, "no_events_now" if s.over else "no_injects", lang), style="italic"))
            if listed.has_focus:
                self.query_one("#wc-orders", DataTable).focus()
        self.query_one("#wc-later", Static).update(self._later_text(events, lang))
        self.query_one("#wc-overrides-heading", Static).update(Text(tr(WORDS, "overrides", lang)))
        lines = []
        for o in s.session.overrides:
            orders = s.session.orders(o.team)
            card = s.session.content.card(orders[o.index].card).name.get(lang) if o.index < len(orders) else "?"
            what = tr(WORDS, "order_of", lang, team=s.team_name(o.team, lang), n=o.index + 1)
            line = Text(tr(WORDS, "ruling_line", lang, ruling=tr(WORDS, "ruling_" + o.action, lang),
                           what=what, card=card), style="bold")
            if o.action == "amend" and o.targets:
                line.append(" → " + targets_text(s, orders[o.index].card, dict(o.targets), lang))
            line.append(tr(WORDS, "colon", lang))
            line.append(o.rationale, style="")
            lines.append(line)
        self.query_one("#wc-overrides", Static).update(
            Text("\n").join(lines) if lines else Text(tr(WORDS, "no_overrides", lang), style="italic"))

    def _later_text(self, events: dict[str, Card], lang: str) -> Text:
        """The scenario's timeline after this turn, so the White Cell sees what is coming."""
        s = self.seminar
        later = [ev for ev in s.session.scenario.timeline if ev.turn > s.turn] if not s.over else []
        if not later:
            return Text("")
        out = Text(tr(WORDS, "later", lang), style="dim")
        for k, ev in enumerate(later):
            card = events.get(ev.card)
            out.append(("；" if lang == "zh" else "; ") if k else "", style="dim")
            out.append(tr(WORDS, "later_one", lang, n=ev.turn, card=card.name.get(lang) if card else ev.card),
                       style="dim")
        return out

    def _event_line(self, n: int, inj: Inject, events: dict[str, Card], lang: str) -> Text:
        s = self.seminar
        card = events.get(inj.card)
        name = card.name.get(lang) if card is not None else inj.card
        line = Text(f"{n}. {name}")
        line.append(tr(WORDS, inj.source, lang), style="italic")
        if inj.targets:
            line.append(" · " + targets_text(s, inj.card, dict(inj.targets), lang))
        if inj.actor:
            line.append(" · " + tr(WORDS, "acting", lang, actor=s.actor_name(inj.actor, lang)))
        return line

    def _selected_text(self, lang: str) -> Text:
        picked = self._selected_order()
        if picked is None:
            return Text("")
        team, i, order = picked
        s = self.seminar
        card = s.session.content.card(order.card)
        out = Text(tr(WORDS, "selected", lang), style="bold")
        out.append(f"{s.team_name(team, lang)} {i + 1}. {card.name.get(lang)}", style="bold")
        actor = order.actor or s.actors(team)[0]
        effective = self._effective(team, i, order)
        out.append(f" · {s.actor_name(actor, lang)}")
        if effective:
            out.append(" · " + targets_text(s, order.card, effective, lang))
        out.append(f"\n{card.text.get(lang)}")
        if effective != dict(order.targets):
            out.append("\n" + tr(WORDS, "was", lang, targets=targets_text(s, order.card, dict(order.targets), lang)),
                       style="italic")
        return out

    # --- selection ------------------------------------------------------------------
    def _selected_key(self) -> str | None:
        table = self.query_one("#wc-orders", DataTable)
        if table.row_count == 0:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except CellDoesNotExist:
            return None

    def _selected_team(self) -> str | None:
        """The team of the highlighted row (an order, or its "no orders" line)."""
        key = self._selected_key()
        return None if key is None else key.rpartition(":")[0]

    def _selected_order(self) -> tuple[str, int, Order] | None:
        key = self._selected_key()
        if key is None or key.endswith(":-"):
            return None
        team, _, index = key.rpartition(":")
        orders = self.seminar.session.orders(team)
        i = int(index)
        return (team, i, orders[i]) if i < len(orders) else None

    def _vetoed(self) -> bool:
        picked = self._selected_order()
        return picked is not None and any(o.action == "veto" for o in self._rulings(picked[0], picked[1]))

    def _label_keys(self, lang: str) -> None:
        """The footer's words (v reads "Lift" on a vetoed order), relabelled only when they
        change; the keys on offer are checked again either way."""
        words = {**KEY_WORDS, "veto": "key_lift" if self._vetoed() else "key_veto"}
        if (words["veto"], lang) != self._keys_drawn:
            self._keys_drawn = (words["veto"], lang)
            localise_keys(self, words, lang, WORDS)
        else:
            self.refresh_bindings()

    def _on_events(self) -> bool:
        """Whether the keyboard is on the list of this turn's events (Tab moves there)."""
        return self.query_one("#wc-events", OptionList).has_focus

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if not self.resolving:
            self.query_one("#wc-selected", Static).update(self._selected_text(_lang(self)))
        self._label_keys(_lang(self))

    def on_descendant_focus(self, event) -> None:
        self.refresh_bindings()  # the events list and the orders table offer different keys

    def on_descendant_blur(self, event) -> None:
        self.refresh_bindings()

    # --- keys -------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in KEY_WORDS and action != "reopen":
            return True
        if self.resolving:
            return None
        s = self.seminar
        if s is None:
            return None
        if action == "back":
            return True
        if action == "undo":
            return True if s.session.records else None
        if s.over:
            return None
        if action == "reopen":
            team = self._selected_team()
            return True if team in s.humans and s.session.committed(team) else None
        if action == "inject":
            return True if s.event_cards() else None
        if action == "resolve":
            return True
        on_events = self._on_events()
        if action == "withdraw":  # shown while the keyboard is on the events, in place of v and a
            return (True if s.session.injects else None) if on_events else False
        if on_events:
            return False
        picked = self._selected_order()
        if picked is None:
            return None
        team, i, order = picked
        if action == "veto":
            return True  # a vetoed order: v lifts the veto
        if any(o.action == "veto" for o in self._rulings(team, i)):
            return None
        if action == "amend" and not s.session.content.card(order.card).targets:
            return None
        return True

    def action_back(self) -> None:
        self.app.advance()

    def action_inject(self) -> None:
        self.app.push_screen(InjectPicker(), lambda done: self._after_inject(done))

    def _after_inject(self, card: str | None) -> None:
        if card is None:
            return
        self.refresh_view()
        events = {c.id: c for c in self.seminar.event_cards()}
        name = events[card].name.get(_lang(self)) if card in events else card
        self.notify(tr(WORDS, "injected", _lang(self), card=name), markup=False)

    def _what(self, team: str, i: int, order: Order, key: str):
        """A dialog title naming one order, in the language asked for (so it follows F2)."""
        s = self.seminar

        def words(lang: str) -> str:
            what = tr(WORDS, "order_of", lang, team=s.team_name(team, lang), n=i + 1)
            return tr(WORDS, key, lang, what=what, card=s.session.content.card(order.card).name.get(lang))

        return words

    def action_veto(self) -> None:
        """Veto the selected order; on an order already vetoed, lift the veto."""
        from wargame.tui.dialogs import PromptDialog

        picked = self._selected_order()
        if picked is None:
            return
        team, i, order = picked
        action = "lift" if self._vetoed() else "veto"

        def answered(rationale: str | None) -> None:
            if rationale:
                self._rule(Override(team=team, index=i, action=action, rationale=rationale))

        title, why = ("lift_veto_title", "lift_why") if action == "lift" else ("veto_title", "rationale")
        self.app.push_screen(PromptDialog(self._what(team, i, order, title), tr_in(WORDS, why), min_length=3),
                             answered)

    def action_reopen(self) -> None:
        """Give the highlighted team its committed orders back, with a rationale."""
        from wargame.tui.dialogs import PromptDialog

        s, team = self.seminar, self._selected_team()
        if team is None or self.check_action("reopen", ()) is not True:
            return

        def answered(rationale: str | None) -> None:
            if not rationale:
                return
            try:
                s.reopen(team, rationale)
            except OrderError as exc:
                self.app.show_error(tr_in(WORDS, "reopen_failed"), [str(exc)])
                return
            self.refresh_view()
            self.notify(tr(WORDS, "reopened", _lang(self), team=s.team_name(team, _lang(self))), markup=False)

        self.app.push_screen(PromptDialog(lambda lang: tr(WORDS, "reopen_title", lang, team=s.team_name(team, lang)),
                                          tr_in(WORDS, "reopen_why"), min_length=3), answered)

    def action_withdraw(self) -> None:
        """Withdraw the event highlighted in the list of this turn's events."""
        from wargame.tui.dialogs import PromptDialog

        s, lang = self.seminar, _lang(self)
        n = self.query_one("#wc-events", OptionList).highlighted
        injects = s.session.injects
        if n is None or n >= len(injects):
            return
        inj = injects[n]
        events = {c.id: c for c in s.event_cards()}
        name = events[inj.card].name.get(lang) if inj.card in events else inj.card

        def answered(rationale: str | None) -> None:
            if not rationale:
                return
            try:
                s.withdraw(Withdrawal(index=n, card=inj.card, rationale=rationale))
            except (OrderError, ValueError) as exc:
                self.app.show_error(tr_in(WORDS, "withdraw_failed"), [str(exc)])
                return
            self.refresh_view()
            self.notify(tr(WORDS, "withdrawn", _lang(self), card=name), markup=False)

        card = events.get(inj.card)

        def title(lang: str) -> str:
            return tr(WORDS, "withdraw_title", lang, n=n + 1, card=card.name.get(lang) if card else inj.card)

        self.app.push_screen(PromptDialog(title, tr_in(WORDS, "withdraw_why"), min_length=3), answered)

    def action_amend(self) -> None:
        from wargame.tui.dialogs import PromptDialog

        picked = self._selected_order()
        if picked is None:
            return
        team, i, order = picked
        card = self.seminar.session.content.card(order.card)
        current = self._effective(team, i, order)
        title = self._what(team, i, order, "amend_title")
        amended = any(o.action == "amend" for o in self._rulings(team, i))

        def chosen(targets: dict[str, str] | str | None) -> None:
            if targets is None:
                return
            if targets == "lift":
                def lifted(rationale: str | None) -> None:
                    if rationale:
                        self._rule(Override(team=team, index=i, action="lift", rationale=rationale))

                self.app.push_screen(PromptDialog(self._what(team, i, order, "lift_amend_title"),
                                                  tr_in(WORDS, "lift_why"), min_length=3), lifted)
                return
            if targets == current:
                self.notify(tr(WORDS, "no_change", _lang(self)), markup=False)
                return

            def answered(rationale: str | None) -> None:
                if rationale:
                    self._rule(Override(team=team, index=i, action="amend", targets=targets, rationale=rationale))

            self.app.push_screen(PromptDialog(title, tr_in(WORDS, "rationale"), min_length=3), answered)

        self.app.push_screen(AmendDialog(title, card, current, can_lift=amended), chosen)

    def _rule(self, override: Override) -> None:
        try:
            self.seminar.override(override)
        except (OrderError, ValueError) as exc:
            self.app.show_error(tr_in(WORDS, "ruling_failed"), [str(exc)])
            return
        self.refresh_view()
        self._label_keys(_lang(self))

    def action_resolve(self) -> None:
        from wargame.tui.dialogs import ConfirmDialog

        waiting = self._waiting()
        if not waiting:
            self._start_resolving()
            return
        s = self.seminar

        def question(lang: str) -> str:
            return tr(WORDS, "resolve_q", lang, teams=", ".join(s.team_name(t, lang) for t in waiting), n=s.turn)

        self.app.push_screen(ConfirmDialog(question), lambda yes: self._start_resolving() if yes else None)

    def _start_resolving(self) -> None:
        self.resolving = True
        self.add_class("-resolving")
        self._draw_header(_lang(self))
        self.query_one("#wc-orders", DataTable).loading = True
        self.refresh_bindings()
        self._resolve_in_background()

    @work(thread=True, exclusive=True, group="white-cell-resolve")
    def _resolve_in_background(self) -> None:
        try:
            self.seminar.resolve()
        except Exception as exc:  # an OrderError, or content that slipped past the checks
            self.app.call_from_thread(self._resolve_failed, str(exc))
            return
        self.app.call_from_thread(self._resolved)

    def _resolved(self) -> None:
        self.resolving = False
        if self.is_attached:  # the facilitator may have left the game meanwhile
            self.app.show_report()

    def _resolve_failed(self, message: str) -> None:
        self.resolving = False
        if not self.is_attached:
            return
        self.remove_class("-resolving")
        self.query_one("#wc-orders", DataTable).loading = False
        self.refresh_view()
        self.app.show_error(tr_in(WORDS, "resolve_failed"), [message, tr_in(WORDS, "kept")])

    def action_undo(self) -> None:
        from wargame.tui.dialogs import ConfirmDialog, PromptDialog

        s = self.seminar
        if not s.session.records:
            return
        k = s.session.records[-1].turn

        def confirmed(rationale: str, yes: bool | None) -> None:
            if not yes:
                return
            try:
                s.undo(rationale)
            except OrderError as exc:
                self.app.show_error(tr_in(WORDS, "undo_failed"), [str(exc)])
                return
            self.refresh_view()
            self.notify(tr(WORDS, "undone", _lang(self), k=k), markup=False)

        def answered(rationale: str | None) -> None:
            if rationale:
                self.app.push_screen(ConfirmDialog(tr_in(WORDS, "undo_q", k=k)),
                                     lambda yes: confirmed(rationale, yes))

        self.app.push_screen(PromptDialog(tr_in(WORDS, "undo_title", k=k), tr_in(WORDS, "undo_why"),
                                          min_length=3), answered)


class InjectPicker(ModalScreen[str | None]):
    """Pick an event card, its targets and (if it acts for someone) who acts; dismisses
    with the injected card's id, or None if cancelled. It fills the screen, footer row
    included, and its hint line gives its keys. F2 redraws it in the other language, keeping
    what was chosen."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("f2", "app.toggle_language", "中/EN", show=False)]
    DEFAULT_CSS = """
    InjectPicker { align: center middle; background: $background 60%; }
    InjectPicker #pick-box { width: 100%; max-width: 110; height: 100%; max-height: 40;
                             border: thick $primary; background: $surface; padding: 0 1; }
    InjectPicker #pick-title { height: 1; text-style: bold; }
    InjectPicker #pick-hint { height: auto; color: $text-muted; }
    InjectPicker #pick-events { height: 1fr; min-height: 3; }
    InjectPicker #pick-form { height: 1fr; min-height: 4; }
    InjectPicker .pick-line { height: auto; }
    InjectPicker .pick-row { height: auto; }
    InjectPicker .pick-label { width: 2fr; height: auto; padding-right: 1; }
    InjectPicker .pick-row Select { width: 3fr; }
    InjectPicker #pick-problem { height: auto; color: $text-error; }
    InjectPicker #pick-buttons { height: auto; align-horizontal: right; }
    InjectPicker #pick-buttons Button { margin-left: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.card: Card | None = None

    @property
    def seminar(self):
        return self.app.seminar

    def show_language(self, lang: str) -> None:
        """Every word in ``lang``; the event highlighted and the targets chosen stay."""
        s = self.seminar
        self.query_one("#pick-title", Static).update(Text(tr(WORDS, "pick_title", lang)))
        self.query_one("#pick-hint", Static).update(Text(tr(WORDS, "pick_hint", lang)))
        events = self.query_one("#pick-events", OptionList)
        keep = events.highlighted
        events.set_options([Option(Text(c.name.get(lang)), id=c.id) for c in s.event_cards()])
        events.highlighted = keep
        self.query_one("#pick-inject", Button).label = tr(WORDS, "inject", lang)
        self.query_one("#pick-cancel", Button).label = tr(WORDS, "cancel", lang)
        if self.card is None:
            return
        self.query_one("#pick-card", Static).update(self._card_text(self.card, lang))
        for label, spec in zip(self.query(".pick-label").results(Static), self.card.targets):
            label.update(Text(target_prompt(spec, lang)))
        for select, spec in zip(self.query(".wc-target").results(Select), self.card.targets):
            chosen = select.value
            select.set_options([(Text(value_name(s, v, lang)), v) for v in s.choices(self.card, spec)])
            select.value = chosen
        for select in self.query("#pick-actor").results(Select):
            chosen = select.value
            select.set_options([(Text(s.actor_name(a, lang)), a) for a in s.session.index.actors])
            select.prompt = tr(WORDS, "choose", lang)
            select.value = chosen
        for label in self.query(".pick-who").results(Static):
            label.update(Text(tr(WORDS, "who_acts", lang)))
        for none in self.query(".pick-none").results(Static):
            none.update(Text(tr(WORDS, "no_targets", lang), style="italic"))

    def compose(self) -> ComposeResult:
        lang = _lang(self)
        with Vertical(id="pick-box"):
            yield Static(Text(tr(WORDS, "pick_title", lang)), id="pick-title", markup=False)
            yield Static(Text(tr(WORDS, "pick_hint", lang)), id="pick-hint", markup=False)
            yield OptionList(*[Option(Text(c.name.get(lang)), id=c.id) for c in self.seminar.event_cards()],
                             id="pick-events", compact=True)
            with VerticalScroll(id="pick-form"):
                yield Static(id="pick-card", classes="pick-line", markup=False)
                yield Vertical(id="pick-targets", classes="pick-line")
                yield Static(id="pick-problem", markup=False)
            with Horizontal(id="pick-buttons"):
                yield Button(tr(WORDS, "inject", lang), id="pick-inject", variant="primary", compact=True)
                yield Button(tr(WORDS, "cancel", lang), id="pick-cancel", compact=True)

    def on_mount(self) -> None:
        events = self.query_one("#pick-events", OptionList)
        events.focus()
        if events.option_count:
            events.highlighted = 0
        else:
            self._problem(tr(WORDS, "no_events", _lang(self)))

    def _problem(self, text: str) -> None:
        self.query_one("#pick-problem", Static).update(Text(text))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        cards = {c.id: c for c in self.seminar.event_cards()}
        card = cards.get(event.option.id or "")
        if card is not None and card is not self.card:
            self._show_card(card)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        selects = list(self.query_one("#pick-targets").query(Select))
        (selects[0] if selects else self.query_one("#pick-inject", Button)).focus()

    @staticmethod
    def _card_text(card: Card, lang: str) -> Text:
        info = Text(card.name.get(lang), style="bold")
        other = card.name.get("en" if lang == "zh" else "zh")
        info.append(f" · {other}", style="italic")
        info.append(f"\n{card.text.get(lang)}")
        mechanism = card.mechanism_in(lang)
        if mechanism:
            info.append("\n" + tr(WORDS, "mechanism", lang, m=mechanism), style="dim")
        if card.source:
            info.append("\n" + tr(WORDS, "source", lang, s=card.source), style="dim")
        return info

    def _show_card(self, card: Card) -> None:
        lang, s = _lang(self), self.seminar
        self.card = card
        self.query_one("#pick-card", Static).update(self._card_text(card, lang))
        self._problem("")
        box = self.query_one("#pick-targets", Vertical)
        box.remove_children()
        rows = []
        for spec in card.targets:
            rows.append(Horizontal(Static(Text(target_prompt(spec, lang)), classes="pick-label", markup=False),
                                   target_select(s, card, spec, lang), classes="pick-row"))
        if needs_actor(card.effects):
            options = [(Text(s.actor_name(a, lang)), a) for a in s.session.index.actors]
            rows.append(Horizontal(Static(Text(tr(WORDS, "who_acts", lang)), markup=False,
                                          classes="pick-label pick-who"),
                                   Select(options, prompt=tr(WORDS, "choose", lang), allow_blank=True,
                                          id="pick-actor", compact=True), classes="pick-row"))
        if not rows:
            rows.append(Static(Text(tr(WORDS, "no_targets", lang), style="italic"), classes="pick-none", markup=False))
        box.mount_all(rows)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "pick-inject":
            self._inject()
        else:
            self.dismiss(None)

    def _inject(self) -> None:
        lang, card = _lang(self), self.card
        if card is None:
            return
        targets: dict[str, str] = {}
        for select in self.query_one("#pick-targets").query(".wc-target").results(Select):
            if select.is_blank():
                self._problem(tr(WORDS, "need_target", lang))
                return
            targets[select.name or ""] = str(select.value)
        actor = None
        if needs_actor(card.effects):
            picked = self.query_one("#pick-actor", Select)
            if picked.is_blank():
                self._problem(tr(WORDS, "need_actor", lang))
                picked.focus()
                return
            actor = str(picked.value)
        try:
            self.seminar.inject(Inject(card=card.id, actor=actor, targets=targets))
        except (OrderError, ValueError) as exc:
            self._problem(str(exc))
            return
        self.dismiss(card.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class AmendDialog(Dialog, ModalScreen[dict[str, str] | str | None]):
    """New values for an order's targets (prefilled with the current ones); dismisses with
    the targets, "lift" to take back the last amendment (offered when there is one), or
    None if cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    AmendDialog { align: center middle; background: $background 60%; }
    AmendDialog #amend-box { width: 100%; max-width: 90; height: auto; max-height: 100%;
                             border: thick $primary; background: $surface; padding: 0 1; }
    AmendDialog #amend-title { height: auto; text-style: bold; }
    AmendDialog #amend-hint { height: auto; color: $text-muted; }
    AmendDialog .amend-row { height: auto; }
    AmendDialog .amend-label { width: 2fr; height: auto; padding-right: 1; }
    AmendDialog .amend-row Select { width: 3fr; }
    AmendDialog #amend-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    AmendDialog #amend-buttons Button { margin-left: 1; }
    """

    def __init__(self, title: Words, card: Card, current: dict[str, str], can_lift: bool = False) -> None:
        super().__init__()
        self.title_text, self.card, self.current, self.can_lift = title, card, current, can_lift
        self._lang_drawn: str | None = None  # the language the choices are named in

    def compose(self) -> ComposeResult:
        lang, s = _lang(self), self.app.seminar
        self._lang_drawn = lang
        with Vertical(id="amend-box"):
            yield Static(id="amend-title", markup=False)
            yield Static(id="amend-hint", markup=False)
            for spec in self.card.targets:
                with Horizontal(classes="amend-row"):
                    yield Static(classes="amend-label", markup=False)
                    yield target_select(s, self.card, spec, lang, self.current.get(spec.name))
            with Horizontal(id="amend-buttons"):
                yield Button("", id="amend-ok", variant="primary", compact=True)
                if self.can_lift:
                    yield Button("", id="amend-lift", compact=True)
                yield Button("", id="amend-cancel", compact=True)

    def draw_words(self, lang: str) -> None:
        s = self.app.seminar
        self.query_one("#amend-title", Static).update(Text(say(self.title_text, lang)))
        self.query_one("#amend-hint", Static).update(Text(tr(WORDS, "amend_hint", lang)))
        for label, spec in zip(self.query(".amend-label").results(Static), self.card.targets):
            label.update(Text(target_prompt(spec, lang)))
        for button, key in (("#amend-ok", "ok"), ("#amend-lift", "lift_amend"), ("#amend-cancel", "cancel")):
            for found in self.query(button).results(Button):
                found.label = tr(WORDS, key, lang)
        if lang != self._lang_drawn:  # the choices by name, what was picked kept
            for select, spec in zip(self.query(".wc-target").results(Select), self.card.targets):
                keep = select.value
                select.set_options([(Text(value_name(s, v, lang)), v) for v in s.choices(self.card, spec)])
                select.value = keep
            self._lang_drawn = lang

    def on_mount(self) -> None:
        selects = list(self.query(Select))
        (selects[0] if selects else self.query_one("#amend-ok", Button)).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "amend-lift":
            self.dismiss("lift")
            return
        if event.button.id != "amend-ok":
            self.dismiss(None)
            return
        targets = {sel.name or "": str(sel.value) for sel in self.query(".wc-target").results(Select)
                   if not sel.is_blank()}
        self.dismiss(targets)

    def action_cancel(self) -> None:
        self.dismiss(None)
