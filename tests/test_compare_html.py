"""Comparing games as a web page: how they are related, what differed where they part,
every team's meters turn by turn with a line per game, and the table, with nothing from
a file able to add markup or script."""

from __future__ import annotations

import math
import re
from html import unescape

import pytest
from conftest import ROOT

from wargame.cli import main
from wargame.report.charts import Panels, chart_svg
from wargame.report.compare import TEAM_METERS, Game, compare_text, parting, relations, table
from wargame.report.html import compare_charts, compare_html
from wargame.store.save import load_seminar

EXAMPLE = ROOT / "saves" / "critical-minerals-2026-example.json"


@pytest.fixture(scope="module")
def games(what_if):
    return [Game("A", "example.json", load_seminar(EXAMPLE)), Game("B", "dove.json", load_seminar(what_if))]


def text_of(html: str) -> str:
    body = re.sub(r"<svg.*?</svg>|<style>.*?</style>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_the_page_says_what_the_text_says(games):
    html = compare_html(games, 8, "en")
    words = text_of(html)
    rel = relations(games, "en")
    for line in rel.games + rel.sentences:
        assert " ".join(line.split()) in words
    assert "B shares turns 1-3 with A and parts from it at turn 4." in words
    part = parting(games[0], games[1], 4, "en")
    assert part.rows and part.alike is None
    for what, a, b in part.rows:
        assert f"<tr><th>{what}</th>" in html
        assert " ".join(a.split()) in words and " ".join(b.split()) in words
    # the table has every cell the terminal's table has, in the same order
    t = table(games, 8, "en")
    cells = re.findall(r'<td class="num">([^<]*)</td>', html)
    assert cells == [c for _, row in t.rows if row for c in row]
    assert t.title in words


def test_a_chart_per_meter_with_a_panel_per_team_and_a_line_per_game(games):
    rel = relations(games, "en")
    charts = compare_charts(games, rel.partings, "en", TEAM_METERS)
    assert [c.meter for c in charts] == list(TEAM_METERS) + ["securitisation", "cohesion"]
    a, b = games[0].seminar, games[1].seminar
    cost = charts[[c.meter for c in charts].index("cost")]
    assert [name for name, _ in cost.panels] == [a.team_name(t) for t in a.teams]
    assert cost.marks == [4]  # B parts at turn 4
    us_lines = dict(cost.panels[0][1])
    assert list(us_lines) == ["A", "B"]
    for turn in (0, 3, 8):
        assert math.isclose(us_lines["A"][turn], a.comparison(turn=turn)["us"]["cost"])
        assert math.isclose(us_lines["B"][turn], b.comparison(turn=turn)["us"]["cost"])
    assert us_lines["A"][:4] == us_lines["B"][:4]  # the shared turns are the same game
    cohesion = charts[-1]
    assert [name for name, _ in cohesion.panels] == [bl.name.en for bl in a.session.scenario.blocs]
    svg = chart_svg(cost)
    for name, _ in cost.panels:
        assert f">{name}<" in svg


def test_a_bloc_one_game_lacks_is_drawn_as_no_line():
    from wargame.report.charts import _needs_cjk

    panel = Panels("cohesion", "Cohesion", "index", ["start", "2026"], [("X", [("A", [1.0, 2.0]),
                                                                              ("B", [math.nan, math.nan])])])
    assert "<svg" in chart_svg(panel)
    assert not _needs_cjk(panel)
    assert _needs_cjk(panel._replace(panels=[("集团", [])]))


def test_the_same_games_give_the_same_page(games):
    assert compare_html(games, 8, "en") == compare_html(games, 8, "en")
    zh = compare_html(games, 8, "zh")
    assert zh.startswith('<!DOCTYPE html>\n<html lang="zh-Hans">') and "推演对比" in zh


def test_names_from_files_are_only_text(games):
    hostile = [Game("A", "<script>alert(1)</script>.json", games[0].seminar),
               Game("B", '"><img src=x onerror=alert(2)>.json', games[1].seminar)]
    html = compare_html(hostile, 8, "en")
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.json" in html
    assert set(re.findall(r'href="(.)', html)) == {"#"}


def test_wargame_compare_writes_a_page_or_the_text(what_if, tmp_path, capsys, games):
    page = tmp_path / "groups.html"
    assert main(["compare", str(EXAMPLE), str(what_if), "--out", str(page)]) == 0
    out = capsys.readouterr().out
    assert out.strip() == f"the comparison of 2 games written to {page} (web page)"
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.count("<svg") == len(TEAM_METERS) + 2
    text = tmp_path / "groups.txt"
    assert main(["compare", str(EXAMPLE), str(what_if), "--out", str(text), "--turn", "5"]) == 0
    named = [Game("A", str(EXAMPLE), games[0].seminar), Game("B", str(what_if), games[1].seminar)]
    assert text.read_text(encoding="utf-8") == compare_text(named, 5, "en")


def test_wargame_compare_refuses_to_write_over_what_it_reads(what_if, tmp_path, capsys):
    before = what_if.read_bytes()
    assert main(["compare", str(EXAMPLE), str(what_if), "--out", str(what_if)]) == 2
    assert what_if.read_bytes() == before
    same = tmp_path / "both.html"
    assert main(["compare", str(EXAMPLE), str(what_if), "--out", str(same), "--meters-csv", str(same)]) == 2
    assert "two files" in capsys.readouterr().err
    assert not same.exists()


def test_the_compare_screen_writes_the_page_with_w(content, games, tmp_path):
    from wargame.game.seminar import Seminar
    from wargame.game.session import Session
    from wargame.tui.app import WargameApp
    from wargame.tui.compare import CompareScreen
    from wargame.tui.dialogs import PromptDialog
    from tui import run

    target = tmp_path / "a-vs-b.html"
    expected = compare_html(games, 8, "en")

    async def body() -> None:
        app = WargameApp(seminar=Seminar(Session.new(content, 1)), save_dir=tmp_path)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            app.push_screen(CompareScreen(games, 8))
            await pilot.pause()
            await pilot.press("w")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, PromptDialog)
            assert dialog.query_one("Input").value == str(tmp_path / "example-vs-dove-en.html")
            dialog.query_one("Input").value = str(target)
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, CompareScreen)  # back where it was
            toasts = [n.message for n in app._notifications]
            assert f"Comparison written to {target}" in toasts

    run(body())
    assert target.read_text(encoding="utf-8") == expected


def test_long_names_are_cut_in_the_charts_and_an_empty_chart_still_draws():
    import warnings

    from wargame.report.charts import LABEL_CHARS, Chart, short

    long = "The Extremely Long Name of a Strategic Partnership of Mineral Producers and Consumers"
    assert short(long).endswith("…") and len(short(long)) == LABEL_CHARS and short("G7") == "G7"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no layout warning either
        svg = chart_svg(Chart("cohesion", "Cohesion", "index", ["start", "2026"], [(long, [60.0, 61.0])]))
    assert f">{short(long)}<" in svg and long not in svg
    assert "<svg" in chart_svg(Panels("cohesion", "Cohesion", "index", ["start"], []))


def test_a_name_that_looks_like_an_attribute_is_drawn_as_written():
    from wargame.report.charts import Chart

    name = 'x id="y" href="#z" url(#w)'
    svg = chart_svg(Chart("cost", "Cost", "index", ["start", "2026"], [(name, [100.0, 101.0])]))
    assert '>x id="y" href="#z" url(#w)<' in svg  # the legend, untouched
    ids = re.findall(r'<[^>]* id="([^"]+)"', svg)
    assert ids and all(i.startswith("cost-") for i in ids)


def test_the_comparison_charts_are_written_as_images_for_slides(what_if, tmp_path, capsys):
    folder = tmp_path / "slides"
    page = tmp_path / "c.html"
    assert main(["compare", str(EXAMPLE), str(what_if), "--out", str(page), "--charts", str(folder)]) == 0
    names = sorted(p.name for p in folder.iterdir())
    meters = list(TEAM_METERS) + ["securitisation", "cohesion"]
    assert names == sorted(f"{k}-{m}-en.png" for k, m in enumerate(meters, 1))
    assert (folder / "2-cost-en.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert f"{len(meters)} chart(s) written to {folder}" in capsys.readouterr().out
    again = tmp_path / "again"
    assert main(["compare", str(EXAMPLE), str(what_if), "--charts", str(again)]) == 0
    assert (again / "2-cost-en.png").read_bytes() == (folder / "2-cost-en.png").read_bytes()
    assert "chart(s) written to" in capsys.readouterr().err  # the comparison itself went to stdout
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "1-dependency-en.png").mkdir()  # a folder where a chart would go: nothing is written
    csv = tmp_path / "m.csv"
    assert main(["compare", str(EXAMPLE), str(what_if), "--meters-csv", str(csv), "--charts", str(taken)]) == 2
    assert not csv.exists()
