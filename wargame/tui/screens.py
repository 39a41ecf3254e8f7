"""The screens of the minimal TUI: the starting position, help, and a load error.

Everything that comes from content (names, messages from files) is shown as
``rich.text.Text`` or with ``markup=False``: a card or actor name may hold ``[``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from wargame.engine.meters import UNITS
from wargame.tui.labels import ACTOR_METERS, METER_HELP, fmt1, label
from wargame.tui.opening import LoadFailure

if TYPE_CHECKING:
    from wargame.game.session import Session


def _num(value: float) -> Text:
    return Text(fmt1(value), justify="right")


def _int(value: int) -> Text:
    return Text(str(value), justify="right")


def _table(table_id: str) -> DataTable:
    """A read-only table: the page scrolls as a whole, so tables take no focus."""
    table = DataTable(id=table_id, cursor_type="none", zebra_stripes=True, show_cursor=False)
    table.can_focus = False
    return table


class MainScreen(Screen):
    """The starting position: teams, meters per actor, blocs, securitisation, prices."""

    def __init__(self, session: "Session") -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Static(id="title-bar", markup=False)
        with VerticalScroll(id="main-body"):
            yield Static(id="hint", classes="hint", markup=False)
            yield Static(id="teams-heading", classes="section", markup=False)
            yield _table("teams")
            yield Static(id="meters-heading", classes="section", markup=False)
            yield _table("meters")
            yield Static(id="blocs-heading", classes="section", markup=False)
            yield _table("blocs")
            yield Static(id="securitisation", classes="section", markup=False)
            yield Static(id="prices-heading", classes="section", markup=False)
            yield _table("prices")
        yield Footer()

    def on_mount(self) -> None:
        self.show_language(getattr(self.app, "lang", "en"))
        self.query_one("#main-body").focus()
        report = getattr(self.app, "report_startup", None)
        if report is not None:
            report()

    # --- drawing ----------------------------------------------------------------------
    def show_language(self, lang: str) -> None:
        """Redraw every label and table in ``lang`` ("en" or "zh")."""
        s = self.session
        sc = s.scenario
        turn = (label("over", lang, t=sc.turns) if s.over
                else label("turn", lang, n=s.turn, t=sc.turns))
        self.query_one("#title-bar", Static).update(
            Text.assemble((sc.name.get(lang), "bold"), "  ·  ", (turn, "bold")))
        done = s.world.turn
        where = label("after_turn", lang, k=done) if done else label("at_start", lang)
        self.query_one("#hint", Static).update(Text(label("scroll_hint", lang, where=where)))
        self.query_one("#teams-heading", Static).update(Text(label("teams", lang)))
        self.query_one("#meters-heading", Static).update(Text(label("meters", lang)))
        self.query_one("#blocs-heading", Static).update(Text(label("blocs", lang)))
        self.query_one("#prices-heading", Static).update(Text(label("prices", lang)))
        sec = float(s.meters["securitisation"])
        self.query_one("#securitisation", Static).update(Text(
            f"{label('securitisation', lang)}: {fmt1(sec)}  ({label('securitisation_unit', lang)})"))
        self._fill_teams(lang)
        self._fill_meters(lang)
        self._fill_blocs(lang)
        self._fill_prices(lang)

    def _actor_name(self, actor_id: str, lang: str) -> str:
        for actor in self.session.scenario.actors:
            if actor.id == actor_id:
                return actor.name.get(lang)
        return actor_id

    def _table(self, selector: str, lang: str, *columns: str) -> DataTable:
        """The table emptied, with its columns labelled in the current language."""
        table = self.query_one(selector, DataTable)
        table.clear(columns=True)
        for key in columns:
            table.add_column(label(key, lang), key=key)
        return table

    def _fill_teams(self, lang: str) -> None:
        s = self.session
        table = self._table("#teams", lang, "team", "actors", "budget", "hand")
        sep = "、" if lang == "zh" else ", "
        for team in s.scenario.teams:
            actors = sep.join(self._actor_name(a, lang) for a in team.actors)
            table.add_row(Text(team.name.get(lang)), Text(actors), _int(team.budget),
                          _int(len(s.decks[team.id].hand)), key=team.id)

    def _fill_meters(self, lang: str) -> None:
        s = self.session
        idx = s.index
        table = self._table("#meters", lang, "actor", "team", *ACTOR_METERS)
        owner: dict[str, str] = {}
        for team in s.scenario.teams:
            for a in team.actors:
                owner.setdefault(a, team.name.get(lang))
        order = list(owner) + [a for a in idx.actors if a not in owner]
        for actor_id in order:
            i = idx.actor_pos.get(actor_id)
            if i is None:
                continue
            in_team = actor_id in owner
            style = "bold" if in_team else ""
            name = Text(self._actor_name(actor_id, lang), style=style)
            team = Text(owner.get(actor_id, label("no_team", lang)), style="" if in_team else "dim")
            values = [_num(s.meters[m][i]) for m in ACTOR_METERS]
            table.add_row(name, team, *values, key=actor_id)

    def _fill_blocs(self, lang: str) -> None:
        s = self.session
        table = self._table("#blocs", lang, "bloc", "members", "cohesion")
        names = {b.id: b.name.get(lang) for b in s.scenario.blocs}
        for j, bloc_id in enumerate(s.index.blocs):  # membership as it stands now, joins included
            table.add_row(Text(names.get(bloc_id, bloc_id)), _int(int(s.world.member[j].sum())),
                          _num(s.meters["cohesion"][j]), key=bloc_id)

    def _fill_prices(self, lang: str) -> None:
        s = self.session
        table = self._table("#prices", lang, "mineral", "price")
        names = {m.id: m.name.get(lang) for m in s.scenario.minerals}
        for k, mineral_id in enumerate(s.index.minerals):
            table.add_row(Text(names.get(mineral_id, mineral_id)), _num(s.meters["price"][k]),
                          key=mineral_id)


class HelpScreen(Screen):
    """What this build shows and what each meter means (opaque, so nothing shows through)."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close help", key_display="?", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="help-title", markup=False)
        with VerticalScroll(id="help-body"):
            yield Static(id="help-text", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.show_language(getattr(self.app, "lang", "en"))
        self.query_one("#help-body").focus()

    def show_language(self, lang: str) -> None:
        self.query_one("#help-title", Static).update(Text(label("help_title", lang), style="bold"))
        text = Text()
        text.append(label("help_intro", lang) + "\n\n")
        text.append(label("help_meters", lang) + "\n", style="bold")
        for meter, words in METER_HELP.items():
            name = label(meter, lang) if meter not in ("price", "securitisation") else {
                "price": {"en": "Price", "zh": "价格"},
                "securitisation": {"en": "Securitisation", "zh": "安全化"},
            }[meter][lang]
            text.append(f"\n{name}", style="bold")
            text.append(f"  ({UNITS[meter]})\n", style="dim")
            text.append(f"  {words.get(lang) or words['en']}\n")
        text.append("\n" + label("help_keys", lang), style="italic")
        self.query_one("#help-text", Static).update(text)

    def action_close(self) -> None:
        self.app.pop_screen()


class ErrorScreen(Screen):
    """Why the game could not be opened, as ``wargame check`` says it; q quits (exit 2)."""

    BINDINGS = [
        Binding("q", "quit_error", "Quit"),
        Binding("escape", "quit_error", "Quit", show=False),
    ]

    def __init__(self, failure: LoadFailure) -> None:
        super().__init__()
        self.failure = failure

    def compose(self) -> ComposeResult:
        yield Static(Text(label("error_title", "en"), style="bold"), id="error-title", markup=False)
        with VerticalScroll(id="error-body"):
            yield Static(Text(self.failure.title, style="bold"), id="error-heading", markup=False)
            for line in self.failure.lines:
                yield Static(Text(line), classes="error-line", markup=False)
            yield Static(Text(label("error_hint", "en"), style="italic"), id="error-hint",
                         markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#error-body").focus()
        report = getattr(self.app, "report_startup", None)
        if report is not None:
            report()

    def action_quit_error(self) -> None:
        self.app.exit(return_code=2)
