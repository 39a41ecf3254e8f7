"""The resolution report and the debrief: news with every team's orders revealed, why the
meters moved, charts, the teams side by side, browsing turns, continuing, both sizes and
languages, text with ``[`` shown verbatim.

pytest-asyncio is not installed: each test is a sync function running an async body.
"""

from __future__ import annotations

import io

import shutil
from pathlib import Path

import pytest
import yaml
from textual.widgets import DataTable, Static

from wargame.game.seminar import Seminar
from wargame.game.session import Session
from wargame.model.loader import load_scenario
from wargame.model.records import Order, Override
from wargame.tui.app import WargameApp
from wargame.tui.handover import HandoverScreen
from wargame.report.labels import fmt1
from wargame.report.names import STAGE_WORDS
from wargame.report.words import chart_lines
from wargame.tui.report import CHART_METERS, COMPARE, ReportScreen, chart_y_axis, signed

from conftest import BUILTIN
from tui import run, screen_text

SMALL, LARGE = (80, 24), (160, 50)
VETO = "Not credible [this] year"
AMEND = "The ruling moves it elsewhere"






def squeeze(text: str) -> str:
    """Text with every space and line end removed (wrapping undone, in any language)."""
    return "".join(text.split())


def shown(app: WargameApp, widget: str) -> str:
    """The whole text of a Static (also what is scrolled out of view)."""
    content = app.screen.query_one(f"#{widget}", Static).content
    return getattr(content, "plain", str(content))


def _legal(sem: Seminar, team: str, exclude: set[str] = frozenset()) -> Order | None:
    """A legal order from the team's hand, cheapest card first, preferring cards with targets."""
    cards = sorted(sem.hand(team), key=lambda c: (not c.targets, c.cost))
    for card in cards:
        if card.id in exclude:
            continue
        for actor in sem.actors(team):
            targets = {spec.name: sem.choices(card, spec)[0] for spec in card.targets}
            order = Order(card=card.id, actor=actor if len(sem.actors(team)) > 1 else None, targets=targets)
            if sem.why_not(team, order) is None:
                return order
    return None


def _amendment(sem: Seminar, team: str, order: Order) -> dict[str, str] | None:
    """Other legal targets for an order, for a White Cell amendment (None if there are none)."""
    card = sem.session.content.card(order.card)
    for spec in card.targets:
        for choice in sem.choices(card, spec)[1:]:
            targets = dict(order.targets) | {spec.name: choice}
            trial = Order(card=order.card, actor=order.actor, targets=targets)
            if sem.why_not(team, trial) is None:
                return {spec.name: choice}
    return None


def play_turn(sem: Seminar, rulings: bool = True) -> dict[str, Order]:
    """Every team plays one card (two if it can afford them); the White Cell vetoes the first
    order of the last team and amends one order of another when it can; then resolves."""
    played: dict[str, Order] = {}
    for team in sem.teams:
        order = _legal(sem, team)
        if order is not None:
            sem.add(team, order)
            played[team] = order
            second = _legal(sem, team, {order.card})
            if second is not None:
                sem.add(team, second)
        sem.commit(team)
    if rulings:
        last = sem.teams[-1]
        sem.override(Override(team=last, index=0, action="veto", rationale=VETO))
        for team in sem.teams[:-1]:
            change = _amendment(sem, team, played[team])
            if change is not None:
                sem.override(Override(team=team, index=0, action="amend", targets=change, rationale=AMEND))
                break
    sem.resolve()
    return played


def new_seminar(content, turns: int = 1, rulings: bool = True) -> Seminar:
    sem = Seminar(Session.new(content, 3))
    for _ in range(turns):
        play_turn(sem, rulings)
    return sem


async def open_report(app: WargameApp, pilot, turn: int | None = None) -> ReportScreen:
    await pilot.pause()
    app.show_report(turn)
    await pilot.pause()
    assert isinstance(app.screen, ReportScreen)
    return app.screen


def test_news_reveals_every_teams_orders_and_the_white_cells_rulings(content, tmp_path: Path) -> None:
    sem = new_seminar(content)
    report = sem.report(1)

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=LARGE) as pilot:
            screen = await open_report(app, pilot)
            assert screen.tab == "news" and screen.shown == 1
            news = shown(app, "news-text")
            for team in sem.teams:
                assert sem.team_name(team) in news
                for order in report.orders.get(team, []):
                    assert content.card(order.card).name.en in news
            assert f"VETOED by the White Cell: {VETO}" in news
            assert any(o.action == "amend" for o in report.overrides)
            assert "amended by the White Cell" in news and AMEND in news
            for inject in report.injects:
                assert content.card(inject.card).name.en in news
            for line in report.news[:3]:
                assert line in news
            assert "Orders revealed" in screen_text(app)

    run(body())


def test_the_news_feed_reads_in_chinese_after_f2(content, tmp_path: Path) -> None:
    """Every line the engine wrote for the turn shows in Chinese, with the scenario's own
    Chinese names, and none of the English sentences is left."""
    sem = new_seminar(content)
    report = sem.report(1)
    assert report.news

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=LARGE) as pilot:
            await open_report(app, pilot)
            await pilot.press("f2")
            await pilot.pause()
            news = squeeze(shown(app, "news-text"))
            zh = ({m.id: m.name.zh for m in content.scenario.minerals} | {a.id: a.name.zh for a in content.scenario.actors}
                  | {b.id: b.name.zh for b in content.scenario.blocs} | {s: w["zh"] for s, w in STAGE_WORDS.items()})
            for line in report.news:
                assert squeeze(line) not in news
                assert squeeze(line.words("zh", lambda kind, ident: zh.get(ident, ident))) in news
            await pilot.press("f2")
            await pilot.pause()
            assert all(squeeze(line) in squeeze(shown(app, "news-text")) for line in report.news)

    run(body())


def test_why_lines_add_up_to_the_meters_change_and_name_the_card(content, tmp_path: Path) -> None:
    sem = new_seminar(content)
    cards = {content.card(o.card).name.en for orders in sem.report(1).orders.values() for o in orders}

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=SMALL) as pilot:
            screen = await open_report(app, pilot)
            await pilot.press("2")
            await pilot.pause()
            assert screen.tab == "why"
            assert screen.groups
            for g in screen.groups:
                keys = g.key.split("/") if g.key else []
                hist = sem.series(g.meter, *keys)
                assert g.total == pytest.approx(hist[1] - hist[0], abs=1e-6)  # the meter's real change
                assert sum(c.delta for c in g.causes) == pytest.approx(g.total, abs=0.05)
            by_card = [g for g in screen.groups if any(c.kind == "card" for c in g.causes)]
            assert by_card, "no meter moved because of a card"
            g = by_card[0]
            cause = next(c for c in g.causes if c.kind == "card")
            assert any(cause.text.startswith(name) for name in cards)
            text = shown(app, "why-text")
            assert f"{g.title}  {signed(g.total)}" in text
            assert f"{signed(cause.delta)}  {cause.text}" in text
            assert "Dependency of" in text  # names, not ids
            assert "usa" not in text.split()

    run(body())


def test_the_team_filter_keeps_only_that_teams_actors_and_blocs(content, tmp_path: Path) -> None:
    sem = new_seminar(content)

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=SMALL) as pilot:
            screen = await open_report(app, pilot)
            await pilot.press("2")
            everyone = len(screen.groups)
            await pilot.press("f")
            await pilot.pause()
            team = sem.teams[0]
            assert screen.team == team
            mine = set(sem.actors(team)) | set(sem.blocs_of(team))
            assert all(g.key.split("/")[0] in mine for g in screen.groups)
            assert len(screen.groups) <= everyone
            assert f"showing {sem.team_name(team)}" in shown(app, "why-head")
            await pilot.press("d")
            await pilot.pause()
            assert screen.detail and len(screen.groups) >= 1
            for _ in sem.teams:
                await pilot.press("f")
            await pilot.pause()
            assert screen.team is None

    run(body())


def test_comparison_shows_every_team_as_the_seminar_computes_it(content, tmp_path: Path) -> None:
    sem = new_seminar(content)
    data, start = sem.comparison(), sem.comparison(turn=0)

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=SMALL) as pilot:
            screen = await open_report(app, pilot)
            await pilot.press("4")
            await pilot.pause()
            assert screen.tab == "compare"
            table = screen.query_one("#compare-table", DataTable)
            assert [str(c.label) for c in table.columns.values()][1:] == [sem.team_name(t) for t in sem.teams]
            for meter in COMPARE:
                for team in sem.teams:
                    now, then = data[team][meter], start[team][meter]
                    assert str(table.get_cell(meter, team)) == f"{fmt1(now)} ({signed(now - then)})"
            text = screen_text(app)
            for team in sem.teams:
                assert sem.team_name(team) in text

    run(body())


def test_m_switches_the_chart_meter_and_f_the_lines(content, tmp_path: Path) -> None:
    sem = new_seminar(content, turns=2, rulings=False)

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=SMALL) as pilot:
            screen = await open_report(app, pilot)
            await pilot.press("3")
            await pilot.pause()
            assert screen.chart_meter == CHART_METERS[0]
            assert [name for name, _ in screen.lines] == [sem.team_name(t) for t in sem.teams]
            first = sem.actors(sem.teams[0])
            expected = [sum(v) / len(first) for v in zip(*(sem.series(CHART_METERS[0], a) for a in first))]
            assert screen.lines[0][1] == pytest.approx(expected)
            assert len(screen.lines[0][1]) == 3  # turn 0 and the two resolved turns
            await pilot.press("m")
            await pilot.pause()
            assert screen.chart_meter == CHART_METERS[1]
            assert screen.lines == chart_lines(sem, CHART_METERS[1], "en")
            assert "Cost of supply" in shown(app, "chart-head")
            while screen.chart_meter != "cohesion":
                await pilot.press("m")
            await pilot.pause()
            assert [n for n, _ in screen.lines] == [b.name.en for b in content.scenario.blocs]
            await pilot.press("f")
            await pilot.pause()
            team = sem.teams[0]
            assert [n for n, _ in screen.lines] == [b.name.en for b in content.scenario.blocs
                                                    if b.id in sem.blocs_of(team)]
            legend = shown(app, "chart-legend")
            assert all(name in legend for name, _ in screen.lines)
            # prices of every mineral share one chart as an index, 100 = the start
            while screen.chart_meter != "price":
                await pilot.press("m")
            await pilot.pause()
            raw = dict(chart_lines(sem, "price", "en", team))
            assert [n for n, _ in screen.lines] == list(raw)
            for name, values in screen.lines:
                assert values[0] == pytest.approx(100.0)
                assert values[-1] == pytest.approx(raw[name][-1] / raw[name][0] * 100.0)
            assert "price index, 100 = the start" in shown(app, "chart-head")
            # then the ore and the manufactured prices, from the engine's index by stage
            await pilot.press("m")
            await pilot.pause()
            assert screen.chart_meter == "ore_price"
            ore = sem.session.index.mineral_pos
            assert [n for n, _ in screen.lines] == list(raw)
            lithium = dict(screen.lines)[next(m.name.en for m in content.scenario.minerals if m.id == "lithium")]
            assert lithium == pytest.approx([float(m["stage_price_index"][ore["lithium"], 0])
                                             for m in sem.session.history])
            assert "Ore price" in shown(app, "chart-head") and "one line per mineral" in shown(app, "chart-head")
            await pilot.press("m")
            await pilot.pause()
            assert screen.chart_meter == "goods_price"
            assert "Price of manufactured goods" in shown(app, "chart-head")
            await pilot.press("m")
            await pilot.pause()
            assert screen.chart_meter == CHART_METERS[0]  # round to the first again

    run(body())


def test_earlier_turns_can_be_browsed_with_brackets_and_arrows(content, tmp_path: Path) -> None:
    sem = new_seminar(content, turns=2, rulings=False)
    first = {content.card(o.card).name.en for os in sem.report(1).orders.values() for o in os}
    second = {content.card(o.card).name.en for os in sem.report(2).orders.values() for o in os}

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=SMALL) as pilot:
            screen = await open_report(app, pilot)
            assert screen.shown == 2 and all(n in shown(app, "news-text") for n in second)
            await pilot.press("left_square_bracket")
            await pilot.pause()
            assert screen.shown == 1 and all(n in shown(app, "news-text") for n in first)
            assert "Report on turn 1" in screen_text(app)
            assert "earlier turn" in shown(app, "report-hint")
            await pilot.press("left")  # already the first turn: nothing happens
            await pilot.pause()
            assert screen.shown == 1 and screen.check_action("prev_turn", ()) is None
            await pilot.press("right")
            await pilot.pause()
            assert screen.shown == 2
            await pilot.press("right_square_bracket")
            await pilot.pause()
            assert screen.shown == 2 and screen.check_action("next_turn", ()) is None

    run(body())


def test_continue_goes_to_the_next_handover_curtain(content, tmp_path: Path) -> None:
    sem = new_seminar(content)

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=SMALL) as pilot:
            await open_report(app, pilot)
            await pilot.press("2")  # from any tab
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, HandoverScreen)
            assert app.screen.team == sem.due == sem.teams[0]
            assert sem.turn == 2
            assert not app.query(ReportScreen)

    run(body())


def test_the_final_debrief_shows_when_the_game_is_over(content, tmp_path: Path) -> None:
    sem = Seminar(Session.new(content, 3))
    play_turn(sem, rulings=False)
    while not sem.over:
        sem.resolve()  # the teams pass
    turns = content.scenario.turns

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=SMALL) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReportScreen) and screen.final
            assert screen.shown == turns and screen.tab == "compare"
            text = " ".join(screen_text(app).split())
            assert f"Debrief: the game is over after {turns} turns" in text
            assert "Ctrl+Q" in text and "^q Quit" in text
            assert screen.check_action("continue", ()) is False  # not offered
            assert "Continue" not in text  # nor shown in the footer
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is screen
            await pilot.press("left_square_bracket")
            await pilot.pause()
            assert screen.shown == turns - 1
            while screen.shown > 1:
                await pilot.press("left")
            await pilot.pause()
            await pilot.press("1")
            await pilot.pause()
            assert content.card(sem.report(1).orders[sem.teams[0]][0].card).name.en in shown(app, "news-text")
            await pilot.press("ctrl+q")
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
        assert app.return_code == 0

    run(body())


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x50"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_tab_renders_in_both_sizes_and_languages(content, tmp_path: Path, size, lang) -> None:
    sem = new_seminar(content)

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=size) as pilot:
            screen = await open_report(app, pilot)
            if lang == "zh":
                await pilot.press("f2")
                await pilot.pause()
            assert screen.lang == lang
            text = squeeze(screen_text(app))
            assert squeeze(content.scenario.name.get(lang)) in text
            assert squeeze(screen.query_one("#report-hint", Static).content.plain) in text
            for team in sem.teams:
                assert sem.team_name(team, lang) in text or sem.team_name(team, lang) in shown(app, "news-text")
            for key in ("2", "3", "m", "4", "t"):
                await pilot.press(key)
                await pilot.pause()
                assert isinstance(app.screen, ReportScreen)
                assert squeeze(content.scenario.name.get(lang)) in squeeze(screen_text(app))
            assert screen.tab == "timeline"
            await pilot.press("t")
            await pilot.pause()
            assert screen.tab == "news"
            await pilot.press("3")
            await pilot.pause()
            legend = squeeze(screen_text(app))
            assert all(squeeze(sem.team_name(t, lang)) in legend for t in sem.teams)
            await pilot.press("4")
            await pilot.pause()
            table = screen.query_one("#compare-table", DataTable)
            cost = sem.comparison()[sem.teams[0]]["cost"]
            assert str(table.get_cell("cost", sem.teams[0])).startswith(fmt1(cost) + " (")
            if lang == "zh":
                assert "各队当前状况" in squeeze(screen_text(app))
                await pilot.press("f2")
                await pilot.pause()
                assert screen.lang == "en" and "Every team now" in screen_text(app)

    run(body())


def _edited(tmp_path: Path, file: str, edit):
    """The built-in scenario with one of its files changed by ``edit`` (on its YAML data)."""
    root = tmp_path / "decks"
    shutil.copytree(BUILTIN, root)
    path = root / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_scenario(root)


def _team_names(tmp_path: Path, names: dict[str, str]) -> Seminar:
    """A seminar one turn into the built-in scenario, with these teams' English names."""
    def rename(data) -> None:
        for team in data["teams"]:
            if team["id"] in names:
                team["name"]["en"] = names[team["id"]]

    return new_seminar(_edited(tmp_path, "scenario.yaml", rename), turns=1, rulings=False)


def _bracketed(tmp_path: Path):
    """The built-in scenario with every US card named with markup-like brackets."""
    def bracket(data) -> None:
        for card in data["cards"]:
            card["name"] = {"en": f"[bold]{card['name']['en']}[/bold] [x", "zh": f"[{card['name']['zh']}]"}

    return _edited(tmp_path, "us.yaml", bracket)


def test_a_card_name_with_brackets_shows_verbatim(tmp_path: Path) -> None:
    content = _bracketed(tmp_path)
    sem = new_seminar(content, rulings=False)
    card = content.card(sem.report(1).orders["us"][0].card)
    assert card.name.en.startswith("[bold]")

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=LARGE) as pilot:
            await open_report(app, pilot)
            assert card.name.en in screen_text(app)
            await pilot.press("2")
            await pilot.pause()
            causes = [c.text for g in app.screen.groups for c in g.causes if c.text.startswith(card.name.en)]
            if causes:  # the card moved a meter: named verbatim there too
                assert causes[0] in shown(app, "why-text")
            await pilot.press("f2")
            await pilot.press("1")
            await pilot.pause()
            assert card.name.zh in screen_text(app)

    run(body())


def test_a_team_name_that_looks_like_markup_is_shown_as_written_in_every_tab(tmp_path: Path) -> None:
    """A name is content: "[/]" would end the program if read as markup, and "[@click=...]"
    would make it a link to an action of the program."""
    names = {"us": "[/]United States", "china": "[@click=app.quit]China[/]", "eu": "[bold red]EU"}
    sem = _team_names(tmp_path, names)

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=LARGE) as pilot:
            screen = await open_report(app, pilot)
            for tab in "12345":
                await pilot.press(tab)
                await pilot.pause()
                assert app.is_running and app.screen is screen
            table = screen.query_one("#timeline-table", Static).content
            assert [str(c.header) for c in table.columns][1:4] == list(names.values())
            assert all(not c.header.spans for c in table.columns[1:4])  # no style, no link
            text = screen_text(app)
            assert all(name in text for name in names.values())

    run(body())


def test_the_timeline_clips_a_long_name_to_stay_a_glance(tmp_path: Path) -> None:
    """A 200-character team name folded over many lines in every row made a wide game's
    timeline take seconds to lay out: the tab clips names (the debrief keeps them whole)."""
    from wargame.report.debrief import debrief_markdown
    from wargame.tui.report import GLANCE_NAME

    long = "Wide-Name-Without-Breaks" * 8
    sem = _team_names(tmp_path, {"us": long})

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=LARGE) as pilot:
            screen = await open_report(app, pilot)
            await pilot.press("5")
            await pilot.pause()
            header = str(screen.query_one("#timeline-table", Static).content.columns[1].header)
            assert len(header) == GLANCE_NAME and header.endswith("…") and long.startswith(header[:-1])

    run(body())
    assert long in debrief_markdown(sem, "en")


@pytest.mark.parametrize("values, lo, hi", [
    ([36.0542, 36.0103, 36.03], 35.03225, 37.03225),  # a move of hundredths: two points of height
    ([100.0, 100.0], 97.5, 102.5),  # 5% of the level
    ([0.3, 0.31], 0.0, 2.0),  # never below zero for a meter that is not
    ([95.2, 131.7], 95.2, 131.7),  # a real move keeps its own range
    ([-5.0, 3.0], -5.0, 3.0),
])
def test_a_charts_y_axis_is_wide_enough_and_marked_to_one_decimal(values, lo, hi) -> None:
    got_lo, got_hi, ticks = chart_y_axis(values)
    assert (got_lo, got_hi) == (pytest.approx(lo), pytest.approx(hi))
    assert 3 <= len(ticks) <= 6 and all(got_lo - 1e-9 <= t <= got_hi + 1e-9 for t in ticks)
    assert all(abs(t * 10 - round(t * 10)) < 1e-6 for t in ticks)  # one decimal is enough
    assert ticks == sorted(ticks)


def test_the_timeline_tab_has_every_year_each_teams_cards_and_the_vetoes(content, tmp_path: Path) -> None:
    from rich.table import Table

    from wargame.report.words import glance_rows

    sem = new_seminar(content, turns=2)
    rows = glance_rows(sem, "en")

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=LARGE) as pilot:
            screen = await open_report(app, pilot)
            await pilot.press("5")
            await pilot.pause()
            assert screen.tab == "timeline"
            table = screen.query_one("#timeline-table", Static).content
            assert isinstance(table, Table)
            assert [str(c.header) for c in table.columns] == \
                ["Year"] + [sem.team_name(t) for t in sem.teams] + ["Events"]
            assert [str(c) for c in table.columns[0]._cells] == [str(r.year) for r in rows] == ["2026", "2027"]
            last = table.columns[len(sem.teams)]._cells  # the last team: its first order was vetoed each turn
            for cell, row in zip(last, rows):
                text, vetoed = row.orders[-1][0]
                assert vetoed and cell.plain.startswith(text)
                assert any("strike" in str(span.style) for span in cell.spans)
            for k, team in enumerate(sem.teams):  # every card each team played, in its column
                for cell, row in zip(table.columns[1 + k]._cells, rows):
                    assert all(text in cell.plain for text, _ in row.orders[k]) and (row.orders[k] or cell.plain == "—")
            assert "2027" in screen_text(app)  # drawn on the screen
            await pilot.press("f2")
            await pilot.pause()
            table = screen.query_one("#timeline-table", Static).content
            assert str(table.columns[0].header) == "年份" and str(table.columns[-1].header) == "事件"
            # Chinese has no spaces to wrap at: a long card name folds, never cut short with "…"
            from rich.console import Console

            console = Console(width=78, record=True, file=io.StringIO())
            console.print(table)
            assert "…" not in console.export_text()

    run(body())
