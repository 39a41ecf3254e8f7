"""The debrief as a web page with charts, and its charts as images for slides: the same
words as the Markdown handout, a chart above each headline meter's table, nothing from
content able to add markup or script, and the same bytes from the same save."""

from __future__ import annotations

import math
import re
from html import unescape

import pytest

from wargame.cli import main
from wargame.game.seminar import Seminar
from wargame.game.session import Session
from wargame.model.loader import content_from_dicts
from wargame.model.records import Order, Override
from wargame.report import charts
from wargame.report.charts import Chart, chart_png, chart_svg, indexed
from wargame.report.debrief import debrief_blocks, debrief_markdown, md
from wargame.report.html import debrief_html
from wargame.report.words import CHARTED, chart_lines
from wargame.store.save import load_seminar
from conftest import ROOT, one_turn_seminar

EXAMPLE = ROOT / "saves" / "critical-minerals-2026-example.json"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def example() -> Seminar:
    return load_seminar(EXAMPLE)


@pytest.fixture(scope="module")
def page(example) -> str:
    return debrief_html(example, "en")


def visible_text(html: str) -> str:
    """The page's words as a reader sees them: tags (the charts' too) dropped, entities read."""
    body = re.sub(r"<svg.*?</svg>|<style>.*?</style>", " ", html, flags=re.S)
    body = re.sub(r"</?(strong|em|del|code)>", "", body)  # inline marks join their words
    return unescape(re.sub(r"<[^>]+>", " ", body))


def test_the_markdown_is_the_blocks_without_their_charts(example):
    blocks = debrief_blocks(example, "en")
    charts_in = [b for b in blocks if isinstance(b, Chart)]
    assert [c.meter for c in charts_in] == list(CHARTED)
    assert debrief_markdown(example, "en") == "\n".join(b for b in blocks if isinstance(b, str)) + "\n"


def test_the_page_has_a_chart_above_each_meter_table_and_every_turn(example, page):
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert page.count("<svg") == len(CHARTED)
    # self-contained and inert: no script, nothing fetched, every reference inside the page
    assert "<script" not in page and " src=" not in page and "<metadata>" not in page
    assert set(re.findall(r'href="(.)', page)) == {"#"} and set(re.findall(r"url\((.)", page)) == {"#"}
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # the charts' ids never clash
    for meter in CHARTED:
        # the chart comes right under its heading, and its table follows before the next heading
        after = page[page.index(f'<figure class="chart" id="chart-{meter}">'):]
        heading = min(after.find(h) for h in ("<h2>", "<h3>") if h in after)
        assert 0 < after.index("<table>") < heading, meter
    for turn in range(1, 9):
        year = int(round(example.session.scenario.year(turn)))
        assert f"<h2>Turn {turn} · {year}</h2>" in page
    # the charts are described for screen readers
    assert page.count('role="img" aria-label="Chart: ') == len(CHARTED)


def test_the_page_says_what_the_markdown_says(example, page):
    words = " ".join(visible_text(page).split())
    md = debrief_markdown(example, "en")
    # every list item of the handout reads the same on the page (Markdown marks aside)
    items = [ln.strip()[2:] for ln in md.splitlines() if ln.strip().startswith("- ")]
    assert len(items) > 50
    for item in items:
        plain = re.sub(r"\\(.)", r"\1", item.replace("**", "").replace("~~", ""))
        assert " ".join(plain.split()) in words, item


def test_the_same_save_gives_the_same_page(example, page):
    assert debrief_html(load_seminar(EXAMPLE), "en") == page
    assert debrief_html(example, "zh") == debrief_html(example, "zh")


def test_the_chinese_page_is_marked_as_chinese(example):
    zh = debrief_html(example, "zh")
    assert zh.startswith('<!DOCTYPE html>\n<html lang="zh-Hans">')
    assert "<title>复盘：" in zh and "图表：" in zh
    assert "美国" in zh  # team names, in the charts' legends and the tables


def test_each_chart_draws_the_lines_of_its_table(example):
    charts_in = {b.meter: b for b in debrief_blocks(example, "en") if isinstance(b, Chart)}
    cost = charts_in["cost"]
    assert cost.lines == chart_lines(example, "cost", "en")
    assert cost.columns == ["start"] + [str(y) for y in range(2026, 2034)]
    svg = chart_svg(cost)
    for name, _ in cost.lines:
        assert f">{name}<" in svg  # the legend, as text
    # prices are drawn as an index, 100 = the start, so minerals of any price share a chart
    price = charts_in["price"]
    assert all(math.isclose(values[0], 100.0) for _, values in price.lines)
    raw = dict(chart_lines(example, "price", "en"))
    for name, values in price.lines:
        assert math.isclose(values[-1], raw[name][-1] / raw[name][0] * 100.0)
    assert price.note and price.unit == "price index, 100 = the start"


def test_indexing_leaves_out_a_line_that_starts_at_nothing():
    assert indexed([("a", [2.0, 3.0]), ("b", [0.0, 1.0]), ("c", [math.nan, 1.0])]) == [("a", [100.0, 150.0])]


def hostile_seminar(content) -> Seminar:
    """A game whose scenario and deck names, and a White Cell rationale, try to write markup,
    links, script and maths into the page."""
    scenario, decks = content.to_dicts()
    scenario["teams"][0]["name"]["en"] = "<script>alert(1)</script> $x^2$"
    scenario["name"]["en"] = "</title><script>alert(2)</script>"
    for deck in decks:
        for card in deck["cards"]:
            if card["id"] == "us-ira-credit":
                card["name"]["en"] = "[click](javascript:alert(3)) <img src=x onerror=alert(4)> $\\frac{1}{2}$"
    hostile = content_from_dicts(scenario, decks, "hostile")
    s = Seminar(Session.new(hostile, 2))
    s.session.submit("us", [Order(card="us-ira-credit")], from_hand=False)
    for team in s.humans[1:]:
        s.commit(team)
    s.override(Override(team="us", index=0, action="amend", rationale="<iframe src=//x></iframe> [a](b)"))
    s.resolve()
    return s


def test_nothing_from_content_adds_markup_links_or_script(content):
    s = hostile_seminar(content)
    html = debrief_html(s, "en")
    lowered = html.lower()
    for tag in ("<script", "<img", "<iframe", "<a "):
        assert tag not in lowered, tag  # the names are there only as escaped text
    assert set(re.findall(r'href="(.)', html)) == {"#"}  # no link but the charts' own references
    assert not re.search(r"<[^>]*(onerror|javascript:)", lowered)  # no such attribute in any tag
    words = visible_text(html)
    assert "<script>alert(1)</script> $x^2$" in words  # shown as written, maths not read
    assert "[click](javascript:alert(3)) <img src=x onerror=alert(4)> $\\frac{1}{2}$" in words
    assert "<title>Debrief: &lt;/title&gt;&lt;script&gt;alert(2)&lt;/script&gt;</title>" in html


def test_wargame_debrief_writes_a_web_page_by_its_name_or_by_format(tmp_path, capsys, example, page):
    out = tmp_path / "room.html"
    assert main(["debrief", str(EXAMPLE), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == page
    assert "(web page)" in capsys.readouterr().out
    md = tmp_path / "room.md"
    assert main(["debrief", str(EXAMPLE), "--out", str(md)]) == 0
    assert md.read_text(encoding="utf-8") == debrief_markdown(example, "en")
    forced = tmp_path / "notes.html"
    assert main(["debrief", str(EXAMPLE), "--out", str(forced), "--format", "md"]) == 0
    assert forced.read_text(encoding="utf-8") == debrief_markdown(example, "en")
    capsys.readouterr()
    assert main(["debrief", str(EXAMPLE), "--format", "html"]) == 0
    assert capsys.readouterr().out == page


def test_the_charts_are_written_as_images_for_slides(tmp_path, capsys):
    folder = tmp_path / "slides"
    assert main(["debrief", str(EXAMPLE), "--out", str(tmp_path / "d.md"), "--charts", str(folder)]) == 0
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(f"{k}-{m}-en.png" for k, m in enumerate(CHARTED, 1))
    first = (folder / "1-dependency-en.png").read_bytes()
    assert first.startswith(PNG) and len(first) > 10_000
    assert f"{len(CHARTED)} chart(s) written to" in capsys.readouterr().out
    # the same save draws the same images
    again = tmp_path / "again"
    assert main(["debrief", str(EXAMPLE), "--charts", str(again)]) == 0
    assert (again / "1-dependency-en.png").read_bytes() == first
    assert f"{len(CHARTED)} chart(s) written to" in capsys.readouterr().err  # the debrief itself went to stdout


def test_a_chart_may_not_land_on_another_output(tmp_path, capsys):
    """--charts writes 1-dependency-en.png and so on: an --out or --meters-csv of one of those
    names in that folder would be written, reported, then replaced by a chart."""
    folder = tmp_path / "slides"
    folder.mkdir()
    out = folder / "1-dependency-en.png"
    assert main(["debrief", str(EXAMPLE), "--out", str(out), "--charts", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "1-dependency-en.png would be written over --out" in err
    assert list(folder.iterdir()) == []  # refused before anything was written
    for option in ("--out", "--meters-csv"):
        other = "--meters-csv" if option == "--out" else "--out"
        argv = ["compare", str(EXAMPLE), str(EXAMPLE), option, str(folder / "2-cost-en.png"),
                other, str(tmp_path / ("t.csv" if other == "--meters-csv" else "t.txt")), "--charts", str(folder)]
        assert main(argv) == 2
        assert f"would be written over {option}" in capsys.readouterr().err
        assert list(folder.iterdir()) == [] and not (tmp_path / "t.csv").exists() and not (tmp_path / "t.txt").exists()


def test_chart_images_in_chinese_need_a_chinese_font(tmp_path, capsys, monkeypatch, example):
    monkeypatch.setattr(charts, "_cjk_family", lambda: None)
    folder = tmp_path / "zh"
    out = tmp_path / "d.html"
    assert main(["debrief", str(EXAMPLE), "--lang", "zh", "--out", str(out), "--charts", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "no font with Chinese characters" in err and "Traceback" not in err
    assert not out.exists() and not folder.exists()  # nothing half-written, not even the folder
    # an English chart needs no such font
    chart = next(b for b in debrief_blocks(example, "en") if isinstance(b, Chart))
    assert chart_png(chart).startswith(PNG)


def test_a_chart_folder_that_cannot_be_one_is_refused(tmp_path, capsys):
    afile = tmp_path / "taken"
    afile.write_text("notes", encoding="utf-8")
    assert main(["debrief", str(EXAMPLE), "--charts", str(afile)]) == 2
    assert "is not a folder; expected a folder" in capsys.readouterr().err
    assert main(["debrief", str(EXAMPLE), "--charts", str(tmp_path / "no" / "such")]) == 2
    assert main(["debrief", str(EXAMPLE), "--charts", " "]) == 2
    assert afile.read_text(encoding="utf-8") == "notes"


def debrief_through_the_palette(seminar, folder, target) -> tuple[type, list[str]]:
    """Ask for the debrief from the palette, answer the prompt with ``target``, and wait
    for any drawing: the screen then on top, and the toasts shown."""
    from wargame.tui.app import WargameApp
    from wargame.tui.dialogs import PromptDialog
    from tui import run

    seen = {}

    async def body() -> None:
        app = WargameApp(seminar=seminar, save_dir=folder)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            app.action_write_debrief()
            await pilot.pause()
            assert isinstance(app.screen, PromptDialog)
            app.screen.query_one("Input").value = str(target)
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            seen["screen"], seen["toasts"] = type(app.screen), [n.message for n in app._notifications]

    run(body())
    return seen["screen"], seen["toasts"]


def test_the_palette_writes_a_web_page_when_the_name_ends_in_html(content, tmp_path):
    s = one_turn_seminar(content)
    target = tmp_path / "room-debrief.html"
    screen, toasts = debrief_through_the_palette(s, tmp_path, target)
    assert screen.__name__ != "PromptDialog"  # the prompt closed
    assert any("Drawing the charts" in t for t in toasts)
    assert any(t.startswith("Debrief of 1 turn(s) written to") for t in toasts)
    assert target.read_text(encoding="utf-8") == debrief_html(s, "en")


def test_the_palette_refuses_a_page_over_a_save(content, tmp_path):
    from wargame.tui.dialogs import MessageDialog
    from wargame.store.save import save_seminar

    s = one_turn_seminar(content)
    target = tmp_path / "game.html"
    save_seminar(s, target)  # a save, whatever its name
    before = target.read_bytes()
    screen, toasts = debrief_through_the_palette(s, tmp_path, target)
    assert screen is MessageDialog and not any("Drawing" in t for t in toasts)
    assert target.read_bytes() == before


def test_figures_never_touch_pyplot(example):
    import sys

    chart_svg(next(b for b in debrief_blocks(example, "en") if isinstance(b, Chart)))
    assert "matplotlib.pyplot" not in sys.modules


def test_the_page_draws_each_chart_from_its_own_data_only(example):
    # a chart drawn from its data alone gives the same SVG the page holds
    from wargame.report.html import figure

    block = next(b for b in debrief_blocks(example, "en") if isinstance(b, Chart) and b.meter == "cohesion")
    copy = Chart(block.meter, block.title, block.unit, list(block.columns), [(n, list(v)) for n, v in block.lines])
    assert figure(copy, "en") in debrief_html(example, "en")


def test_the_debrief_command_is_listed_in_both_languages():
    from wargame.tui.app import WORDS
    assert "web page" in WORDS["cmd_debrief"]["en"] and "网页" in WORDS["cmd_debrief"]["zh"]


def test_chart_files_are_named_for_any_meter():
    assert Chart("value_added", "t", "u", [], []).slug == "value_added"
    assert Chart("Weird Name/..", "t", "u", [], []).slug == "weird-name---"


# --- what a hostile pass over the new outputs found -----------------------------------------

def test_a_name_too_long_for_the_file_system_is_refused_not_a_crash(tmp_path, capsys):
    long = str(tmp_path / ("x" * 300))
    for argv in (["debrief", str(EXAMPLE), "--out", long + ".md"], ["debrief", str(EXAMPLE), "--charts", long],
                 ["briefing", "--out", long + ".html"], ["briefing", "--scenario", long],
                 ["compare", str(EXAMPLE), str(EXAMPLE), "--out", long + ".html"]):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert "cannot be used (File name too long)" in err and "internal error" not in err, argv


def test_a_link_to_a_content_file_is_never_written_through(tmp_path, capsys):
    from conftest import builtin_copy

    (tmp_path / "c").mkdir()
    folder = builtin_copy(tmp_path / "c")
    scenario = folder / "scenario.yaml"
    before = scenario.read_bytes()
    (tmp_path / "notes.md").symlink_to(scenario)
    assert main(["debrief", str(EXAMPLE), "--out", str(tmp_path / "notes.md")]) == 2
    assert "is a scenario, deck or orders file" in capsys.readouterr().err
    charts = tmp_path / "charts"
    charts.mkdir()
    (charts / "1-dependency-en.png").symlink_to(scenario)
    out = tmp_path / "d.html"
    assert main(["debrief", str(EXAMPLE), "--charts", str(charts), "--out", str(out)]) == 2
    assert scenario.read_bytes() == before
    assert not out.exists() and sorted(p.name for p in charts.iterdir()) == ["1-dependency-en.png"]


def test_nothing_is_written_when_one_output_is_refused(tmp_path, capsys):
    charts = tmp_path / "charts"
    assert main(["debrief", str(EXAMPLE), "--charts", str(charts), "--out", str(tmp_path / "new.html") + "/"]) == 2
    assert "ends with a slash" in capsys.readouterr().err and not charts.exists()
    charts.mkdir()
    (charts / "3-leverage-en.png").mkdir()  # a folder where a chart would go
    out = tmp_path / "d.md"
    assert main(["debrief", str(EXAMPLE), "--charts", str(charts), "--out", str(out)]) == 2
    assert not out.exists() and [p.name for p in charts.iterdir()] == ["3-leverage-en.png"]
    text = tmp_path / "t.txt"
    assert main(["compare", str(EXAMPLE), str(EXAMPLE), "--out", str(text), "--meters-csv",
                 str(tmp_path / "m.csv") + "/"]) == 2
    assert not text.exists()


def test_a_game_with_no_turn_says_it_has_no_chart(tmp_path, capsys, content):
    from wargame.store.save import save_seminar

    fresh = save_seminar(Seminar(Session.new(content, 1)), tmp_path / "new.json")
    charts = tmp_path / "charts"
    assert main(["debrief", str(fresh), "--out", str(tmp_path / "d.md"), "--charts", str(charts)]) == 0
    assert "no chart written: no turn has been resolved yet" in capsys.readouterr().out
    assert not charts.exists()


def test_a_name_that_is_only_the_ending_is_a_page_too(tmp_path):
    from wargame.report.html import is_page

    assert is_page(".html") and is_page("room.HTM") and not is_page("room.md") and not is_page("html")


def test_names_read_as_written_in_every_chart_and_page():
    from wargame.report.charts import _needs_cjk

    chart = Chart("cost", "Cost", "index", ["start", "2026"], [("_China", [100.0, 99.0]), ("R&amp;D 🚀", [1.0, 2.0])])
    svg = chart_svg(chart)
    assert ">_China<" in svg  # matplotlib would leave a name starting with "_" out of the legend
    assert not _needs_cjk(chart)  # an emoji is not Chinese: no Chinese font is needed
    assert chart_png(chart).startswith(PNG)
    from markdown_it import MarkdownIt

    render = MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough").render
    assert render(md("R&amp;D &copy; EU")).strip() == "<p>R&amp;amp;D &amp;copy; EU</p>"
    assert render("# " + md("Game ##")).strip() == "<h1>Game ##</h1>"
    assert render("### " + md("IRA credit #")).strip() == "<h3>IRA credit #</h3>"


def test_the_palette_refuses_a_name_ending_in_a_slash(content, tmp_path):
    from wargame.tui.dialogs import MessageDialog

    s = one_turn_seminar(content)
    screen, toasts = debrief_through_the_palette(s, tmp_path, str(tmp_path / "room.html") + "/")
    assert screen is MessageDialog and not toasts
    assert not (tmp_path / "room.html").exists()
