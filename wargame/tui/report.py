"""The resolution report, shown after every turn and, once the game is over, as the debrief.

Four tabs: the news of the turn (every team's orders revealed, the White Cell's rulings and
injects, what the engine reported), why the meters moved (the ledger in plain words, meter
by meter), charts of the headline meters over the turns so far, and every team side by
side. ``[``/``]`` (or the arrow keys) browse earlier turns' reports; Enter goes on with the
game (not offered on the final debrief, where Ctrl+Q quits).

The words come from ``wargame.report.words``, which the debrief handout and the comparison
of games share (``chart_lines`` too: the debrief tabulates the same lines). Everything from content or the engine is shown as ``rich.text.Text``: a card name may hold ``[``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from wargame.report.charts import PALETTE, chart_y_axis
from wargame.report.labels import fmt1, tr, unit
from wargame.report.words import (CHARTED, COMPARE, SMALLEST, STAGE_PRICES, WORDS, Names, WhyGroup, inject_line,
                                  news_words, order_lines, paren, short_meter, signed, turn_year,
                                  why_groups, with_change, meter_chart, glance_rows)
from wargame.tui.dialogs import LeanFooter

if TYPE_CHECKING:
    from textual_plotext import PlotextPlot

    from wargame.game.seminar import Report, Seminar
    from wargame.model.records import Inject

CHART_METERS = CHARTED
TABS = ("news", "why", "charts", "compare", "timeline")


def inject_text(inject: "Inject", names: Names) -> Text:
    line = inject_line(inject, names)
    text = Text("  • ")
    text.append(line.card, style="bold")
    text.append(line.detail)
    text.append(f"  · {line.source}", style="dim")
    return text


def news_text(seminar: "Seminar", report: "Report", names: Names) -> Text:
    lang = names.lang
    out = Text()
    out.append(tr(WORDS, "orders", lang) + "\n", style="bold underline")
    for team in seminar.teams:
        out.append(names.teams.get(team, team) + "\n", style="bold")
        lines = order_lines(seminar, report, team, names)
        if not lines:
            out.append(f"  {tr(WORDS, 'passed', lang)}\n", style="dim")
        for ln in lines:
            style = "strike dim" if ln.vetoed is not None else ""
            out.append("  ✗ " if ln.vetoed is not None else "  • ")
            out.append(ln.card, style=("bold " + style).strip())
            if ln.actor:
                out.append(paren(ln.actor, lang), style=style)
            if ln.targets:
                out.append(f" → {ln.targets}", style=style)
            out.append("\n")
            if ln.vetoed is not None:
                out.append(f"      {tr(WORDS, 'vetoed', lang, why=ln.vetoed)}\n", style="bold red")
            elif ln.amended is not None:
                out.append(f"      {tr(WORDS, 'amended', lang, why=ln.amended, was=ln.was or '—')}\n",
                           style="yellow")
    out.append("\n" + tr(WORDS, "injects", lang) + "\n", style="bold underline")
    if not report.injects:
        out.append(f"  {tr(WORDS, 'no_injects', lang)}\n", style="dim")
    for inject in report.injects:
        out.append_text(inject_text(inject, names))
        out.append("\n")
    out.append("\n" + tr(WORDS, "news", lang) + "\n", style="bold underline")
    if not report.news:
        out.append(f"  {tr(WORDS, 'no_news', lang)}\n", style="dim")
    for line in report.news:
        out.append(f"  • {news_words(line, names)}\n")
    if report.events:
        out.append("\n" + tr(WORDS, "events", lang) + "\n", style="bold underline")
        for line in report.events:
            out.append(f"  ! {news_words(line, names)}\n", style="bold")
    return out



def why_text(groups: Sequence[WhyGroup], lang: str) -> Text:
    out = Text()
    if not groups:
        out.append(tr(WORDS, "nothing_moved", lang, x=f"{SMALLEST:g}"), style="dim")
        return out
    for g in groups:
        out.append(g.title, style="bold")
        out.append(f"  {signed(g.total)}", style="bold green" if g.total > 0 else "bold red" if g.total < 0 else "bold")
        out.append(f"  {unit(g.meter, lang)}\n", style="dim")
        for c in g.causes:
            out.append(f"    {signed(c.delta):>7}  ")
            style = {"mechanism": "italic", "carry-over": "dim", "small": "dim"}.get(c.kind, "")
            out.append(c.text + "\n", style=style)
    return out



# --- charts -------------------------------------------------------------------------------
def _chart_scope(meter: str, lang: str, team: str | None, names: Names) -> str:
    if meter == "securitisation":
        return tr(WORDS, "world", lang)
    if meter == "price" or meter in STAGE_PRICES:
        return tr(WORDS, "each_mineral", lang)
    if meter == "cohesion":
        return tr(WORDS, "blocs_of", lang, team=names.teams[team]) if team else tr(WORDS, "each_bloc", lang)
    if team:
        return tr(WORDS, "each_actor", lang, team=names.teams[team])
    how = tr(WORDS, "sum_actors" if meter == "value_added" else "mean_actors", lang)
    return tr(WORDS, "team_lines", lang, how=how)


def _rgb(c: tuple[int, int, int]) -> str:
    return f"rgb({c[0]},{c[1]},{c[2]})"


# The timeline is a glance: a name or card folded over many lines, or thirty cards in a
# cell, would make a table that takes seconds to lay out in a wide game (the debrief has
# them all)
GLANCE_NAME, GLANCE_TEXT, GLANCE_ITEMS = 40, 80, 8


def _glance_clip(text: str, most: int) -> str:
    return text if len(text) <= most else text[:most - 1] + "…"


# --- the screen -----------------------------------------------------------------------------
def _scroll(child: Static, scroll_id: str) -> VerticalScroll:
    return VerticalScroll(child, id=scroll_id, classes="report-scroll")


_TURN = Binding.Group("Turn", compact=True)


class ReportScreen(Screen):
    """A resolved turn's report (the last by default); ``final=True`` is the debrief."""

    BINDINGS = [
        Binding("enter", "continue", "Continue"),
        Binding("n", "continue", "Continue", show=False),
        Binding("left_square_bracket", "prev_turn", "Earlier turn", key_display="[", group=_TURN),
        Binding("right_square_bracket", "next_turn", "Later turn", key_display="]", group=_TURN),
        Binding("left", "prev_turn", "Earlier turn", show=False, priority=True),
        Binding("right", "next_turn", "Later turn", show=False, priority=True),
        Binding("t", "next_tab", "Tab", show=False),  # 1-5 and t switch tabs (shown on the tab bar)
        Binding("1", "tab('news')", "News", show=False),
        Binding("2", "tab('why')", "Why", show=False),
        Binding("3", "tab('charts')", "Charts", show=False),
        Binding("4", "tab('compare')", "Compare", show=False),
        Binding("5", "tab('timeline')", "Timeline", show=False),
        Binding("f", "filter", "Team"),
        Binding("d", "details", "Details"),
        Binding("m", "next_meter", "Meter"),
    ]
    DEFAULT_CSS = """
    ReportScreen { background: $background; }
    ReportScreen #report-title { height: auto; padding: 0 1; background: $primary; color: $text; }
    ReportScreen #report-hint { height: auto; padding: 0 1; color: $text-muted; }
    ReportScreen TabbedContent { height: 1fr; }
    ReportScreen TabbedContent > ContentSwitcher { height: 1fr; }
    ReportScreen TabPane { height: 1fr; padding: 0 1; }
    ReportScreen .report-head { height: auto; color: $text-muted; }
    ReportScreen .report-scroll { height: 1fr; scrollbar-size-vertical: 1; }
    ReportScreen .report-body { height: auto; }
    ReportScreen #chart { height: 1fr; min-height: 5; }
    ReportScreen #chart-legend { height: auto; max-height: 4; }
    ReportScreen #compare-table { height: auto; width: auto; max-width: 100%; }
    ReportScreen #compare-units { height: auto; margin-top: 1; color: $text-muted; }
    """

    def __init__(self, turn: int | None = None, final: bool = False) -> None:
        super().__init__()
        self.turn, self.final = turn, final
        self.lang = "en"
        self.shown = 0  # the turn on screen (0: none resolved yet)
        self.team: str | None = None  # the team filter of "why" and the charts (None: all)
        self.detail = False
        self.chart_meter = CHART_METERS[0]
        self.groups: list[WhyGroup] = []
        self.lines: list[tuple[str, list[float]]] = []

    # --- layout --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot  # here, not at import: it is only needed once a report shows

        yield Static(id="report-title", markup=False)
        yield Static(id="report-hint", markup=False)
        with TabbedContent(initial="compare" if self.final else "news", id="report-tabs"):
            with TabPane("news", id="news"):
                yield _scroll(Static(id="news-text", classes="report-body", markup=False), "news-scroll")
            with TabPane("why", id="why"):
                yield Static(id="why-head", classes="report-head", markup=False)
                yield _scroll(Static(id="why-text", classes="report-body", markup=False), "why-scroll")
            with TabPane("charts", id="charts"):
                yield Static(id="chart-head", classes="report-head", markup=False)
                yield PlotextPlot(id="chart")
                yield Static(id="chart-legend", markup=False)
            with TabPane("compare", id="compare"):
                with VerticalScroll(id="compare-scroll", classes="report-scroll"):
                    yield Static(id="compare-head", classes="report-head", markup=False)
                    table = DataTable(id="compare-table", cursor_type="none", zebra_stripes=True,
                                      show_cursor=False)
                    table.can_focus = False
                    yield table
                    yield Static(id="compare-units", markup=False)
            with TabPane("timeline", id="timeline"):
                yield Static(id="timeline-head", classes="report-head", markup=False)
                yield _scroll(Static(id="timeline-table", classes="report-body", markup=False), "timeline-scroll")
        yield LeanFooter()

    def on_mount(self) -> None:
        s = self.app.seminar
        latest = len(s.session.records)
        self.shown = latest if self.turn is None else max(0, min(self.turn, latest))
        self.show_language(getattr(self.app, "lang", "en"))
        self._focus_tab()

    # --- keys ------------------------------------------------------------------------------
    @property
    def latest(self) -> int:
        return len(self.app.seminar.session.records)

    @property
    def tab(self) -> str:
        try:
            return self.query_one("#report-tabs", TabbedContent).active or TABS[0]
        except NoMatches:  # asked before the tabs are mounted
            return "compare" if self.final else "news"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "continue":
            return not self.final  # nothing comes after the debrief: the key is not offered
        if action == "prev_turn":
            return True if self.shown > 1 else None
        if action == "next_turn":
            return True if self.shown < self.latest else None
        if action == "filter":
            return self.tab in ("why", "charts")
        if action == "details":
            return self.tab == "why"
        if action == "next_meter":
            return self.tab == "charts"
        return True

    def action_continue(self) -> None:
        if not self.final:
            self.app.advance()

    def action_prev_turn(self) -> None:
        if self.shown > 1:
            self._go(self.shown - 1)

    def action_next_turn(self) -> None:
        if self.shown < self.latest:
            self._go(self.shown + 1)

    def _go(self, turn: int) -> None:
        self.shown = turn
        self.show_language(self.lang)

    def action_next_tab(self) -> None:
        self.action_tab(TABS[(TABS.index(self.tab) + 1) % len(TABS)])

    def action_tab(self, tab: str) -> None:
        self.query_one("#report-tabs", TabbedContent).active = tab

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()
        self._focus_tab()

    def _focus_tab(self) -> None:
        target = {"news": "#news-scroll", "why": "#why-scroll", "compare": "#compare-scroll",
                  "timeline": "#timeline-scroll"}.get(self.tab)
        if target is not None:
            self.query_one(target).focus()
        else:
            self.set_focus(None)

    def action_filter(self) -> None:
        order: list[str | None] = [None, *self.app.seminar.teams]
        self.team = order[(order.index(self.team) + 1) % len(order)]
        self._draw_why()
        self._draw_chart()

    def action_details(self) -> None:
        self.detail = not self.detail
        self._draw_why()

    def action_next_meter(self) -> None:
        self.chart_meter = CHART_METERS[(CHART_METERS.index(self.chart_meter) + 1) % len(CHART_METERS)]
        self._draw_chart()

    # --- drawing ----------------------------------------------------------------------------
    def show_language(self, lang: str) -> None:
        """Redraw every text in ``lang``."""
        self.lang = lang
        s = self.app.seminar
        sc = s.session.scenario
        tabs = self.query_one("#report-tabs", TabbedContent)
        for tab in TABS:
            tabs.get_tab(tab).label = Text(tr(WORDS, f"tab_{tab}", lang))
        if self.shown == 0:
            where = tr(WORDS, "nothing", lang)
        elif self.final:
            where = tr(WORDS, "debrief", lang, t=len(s.session.records), n=self.shown, year=turn_year(s, self.shown))
        else:
            where = tr(WORDS, "report", lang, n=self.shown, t=sc.turns, year=turn_year(s, self.shown))
        self.query_one("#report-title", Static).update(
            Text.assemble((sc.name.get(lang), "bold"), "  ·  ", (where, "bold")))
        self.query_one("#report-hint", Static).update(Text(self._hint(lang)))
        self._draw_news()
        self._draw_why()
        self._draw_chart()
        self._draw_compare()
        self._draw_timeline()
        self.refresh_bindings()

    def _hint(self, lang: str) -> str:
        s = self.app.seminar
        if self.final:
            hint = tr(WORDS, "hint_final", lang)
        elif self.shown == 0:
            hint = tr(WORDS, "hint_none", lang)
        elif s.over:
            hint = tr(WORDS, "hint_last", lang)
        else:
            hint = tr(WORDS, "hint_next", lang, n=s.turn)
        if 0 < self.shown < self.latest:
            hint = f"{tr(WORDS, 'hint_past', lang)} {hint}"
        return f"{hint} {tr(WORDS, 'hint_tabs', lang)}"

    def _draw_news(self) -> None:
        s, lang = self.app.seminar, self.lang
        body = self.query_one("#news-text", Static)
        if self.shown == 0:
            body.update(Text(tr(WORDS, "nothing", lang), style="dim"))
            return
        body.update(news_text(s, s.report(self.shown), Names(s, lang)))

    def _who(self) -> str:
        if self.team is None:
            return tr(WORDS, "all_teams", self.lang)
        return self.app.seminar.team_name(self.team, self.lang)

    def _draw_why(self) -> None:
        s, lang = self.app.seminar, self.lang
        head = self.query_one("#why-head", Static)
        body = self.query_one("#why-text", Static)
        if self.shown == 0:
            self.groups = []
            head.update(Text(""))
            body.update(Text(tr(WORDS, "nothing", lang), style="dim"))
            return
        which = tr(WORDS, "with_detail" if self.detail else "headline_only", lang)
        head.update(Text(tr(WORDS, "why_head", lang, n=self.shown, who=self._who(), which=which)))
        self.groups = why_groups(s, self.shown, lang, self.team, self.detail)
        body.update(why_text(self.groups, lang))

    def _draw_chart(self) -> None:
        s, lang, meter = self.app.seminar, self.lang, self.chart_meter
        names = Names(s, lang)
        # the lines as the handout draws them (prices as an index)
        chart = meter_chart(s, meter, lang, [], self.team)
        self.lines = chart.lines
        who = _chart_scope(meter, lang, self.team, names)
        self.query_one("#chart-head", Static).update(Text.assemble(
            (tr(WORDS, "chart_head", lang, meter=chart.title, unit=chart.unit, who=who), "")))
        plot: PlotextPlot = self.query_one("#chart")  # type: ignore[assignment]
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        turns = len(s.session.history)
        xs = list(range(turns))
        finite = []
        for k, (_, ys) in enumerate(self.lines):
            pts = [(x, y) for x, y in zip(xs, ys) if math.isfinite(y)]
            if pts:
                plt.plot([p[0] for p in pts], [p[1] for p in pts], color=PALETTE[k % len(PALETTE)],
                         marker="braille")
                finite.extend(p[1] for p in pts)
        plt.xticks(xs, [str(x) for x in xs])
        if turns <= 1:
            plt.xlim(-0.5, 1.0)
        if finite:
            lo, hi, ticks = chart_y_axis(finite)
            plt.ylim(lo, hi)
            plt.yticks(ticks, [fmt1(t) for t in ticks])
        plot.refresh()
        legend = Text()
        if not self.lines:
            legend.append(tr(WORDS, "no_lines", lang, team=self._who()), style="dim")
        for k, (name, ys) in enumerate(self.lines):
            if k:
                legend.append("  ")
            legend.append("■ ", style=_rgb(PALETTE[k % len(PALETTE)]))
            legend.append(name)
            if ys and math.isfinite(ys[-1]):
                legend.append(f" {fmt1(ys[-1])}", style="dim")
        self.query_one("#chart-legend", Static).update(legend)

    def _draw_timeline(self) -> None:
        """The game at a glance: a row per year resolved, a column per team and one for the
        events (the debrief's table, as a rich table that wraps to the terminal's width)."""
        from rich.table import Table

        s, lang = self.app.seminar, self.lang
        self.query_one("#timeline-head", Static).update(Text(tr(WORDS, "timeline_head", lang)))
        body = self.query_one("#timeline-table", Static)
        rows = glance_rows(s, lang)
        if not rows:
            body.update(Text(tr(WORDS, "timeline_none", lang), style="dim"))
            return
        table = Table(expand=True, show_lines=True, pad_edge=False, header_style="bold")
        # headers as Text: a header given as a string is read as markup, and a team's name is
        # content (a name holding "[/]" would end the program, "[@click=...]" add an action)
        table.add_column(Text(tr(WORDS, "timeline_year", lang)), no_wrap=True, ratio=None)
        # fold, not cut: Chinese has no spaces to wrap at
        for team in s.teams:
            table.add_column(Text(_glance_clip(s.team_name(team, lang), GLANCE_NAME)), ratio=2, overflow="fold")
        table.add_column(Text(tr(WORDS, "timeline_events", lang)), ratio=2, overflow="fold")
        sep = "；" if lang == "zh" else "; "
        for row in rows:
            cells = []
            for played in row.orders:
                cell = Text()
                for k, (text, vetoed) in enumerate(played[:GLANCE_ITEMS]):
                    if k:
                        cell.append(sep)
                    cell.append(_glance_clip(text, GLANCE_TEXT), style="strike dim" if vetoed else "")
                if len(played) > GLANCE_ITEMS:
                    cell.append(sep + tr(WORDS, "timeline_more", lang, n=len(played) - GLANCE_ITEMS), style="dim")
                cells.append(cell if played else Text("—", style="dim"))
            events = [_glance_clip(e, GLANCE_TEXT) for e in row.events[:GLANCE_ITEMS]]
            if len(row.events) > GLANCE_ITEMS:
                events.append(tr(WORDS, "timeline_more", lang, n=len(row.events) - GLANCE_ITEMS))
            cells.append(Text(sep.join(events)) if events else Text("—", style="dim"))
            table.add_row(Text(str(row.year), style="bold" if row.turn == self.shown else ""), *cells)
        body.update(table)

    def _draw_compare(self) -> None:
        s, lang = self.app.seminar, self.lang
        self.query_one("#compare-head", Static).update(
            Text(tr(WORDS, "compare_head", lang, n=self.latest)))
        table = self.query_one("#compare-table", DataTable)
        table.clear(columns=True)
        table.add_column(Text(tr(WORDS, "meter_col", lang)), key="meter")
        for team in s.teams:
            table.add_column(Text(s.team_name(team, lang)), key=team)
        data, start = s.comparison(), s.comparison(turn=0)
        for meter in COMPARE:
            cells = [Text(with_change(data[t].get(meter, math.nan), start[t].get(meter, math.nan)), justify="right")
                     for t in s.teams]
            table.add_row(Text(short_meter(meter, lang)), *cells, key=meter)
        units = Text(tr(WORDS, "units", lang) + ": ", style="bold")
        sep = "；" if lang == "zh" else " · "
        units.append(sep.join(f"{short_meter(m, lang)}: {unit(m, lang)}" for m in COMPARE))
        self.query_one("#compare-units", Static).update(units)
