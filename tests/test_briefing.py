"""Team briefings (`wargame briefing`): what a team is handed before it plays, from the
content and the game as it stands, in either language, as Markdown or a web page."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from wargame.cli import main
from wargame.game.seminar import Seminar
from wargame.game.session import Session
from wargame.model.loader import content_from_dicts
from wargame.report.briefing import briefing_blocks, briefing_markdown
from wargame.report.cards import card_facts
from wargame.report.debrief import md
from wargame.report.html import briefing_html
from wargame.report.labels import fmt1
from wargame.store.save import load_seminar, save_seminar

EXAMPLE = ROOT / "saves" / "critical-minerals-2026-example.json"


@pytest.fixture(scope="module")
def fresh(content) -> Seminar:
    return Seminar(Session.new(content, 0))


def section(text: str, heading: str) -> str:
    start = text.index(heading + "\n") + len(heading) + 1
    level = heading.split(" ")[0]
    nxt = re.search(rf"^#{{1,{len(level)}}} ", text[start:], flags=re.M)
    return text[start:start + nxt.start()] if nxt else text[start:]


@pytest.mark.parametrize("team", ["us", "china", "eu", "resource-states"])
def test_a_briefing_tells_a_team_who_it_is_where_it_stands_and_what_it_holds(fresh, team):
    s = fresh
    text = briefing_markdown(s, [team], "en")
    spec = s.session.content.team(team)
    assert text.startswith(f"# Briefing: {s.team_name(team)}\n")
    assert "briefing for the start of the game" in text
    mine = section(text, "## Your team")
    assert ", ".join(s.actor_name(a) for a in s.actors(team)) in mine
    assert f"a hand of {spec.hand_size} cards" in mine and f"up to {spec.budget} points" in mine
    for other in s.teams:
        if other != team:
            assert s.team_name(other) in mine
    # every meter of the dashboard, at its value
    where = section(text, "## Where you stand")
    values = {(r.meter, r.key): r.value for r in s.dashboard(team)}
    first = s.actors(team)[0]
    row = next(ln for ln in where.splitlines() if ln.startswith("| Depend."))
    assert row.split("|")[2].strip() == fmt1(values[("dependency", first)])
    for bloc in s.blocs_of(team):
        assert fmt1(values[("cohesion", bloc)]) in where
    # a supply table per actor, a row for each mineral and stage it needs
    supply = section(text, "## Your supply chains")
    for actor in s.actors(team):
        needed = [r for r in s.dependency(actor) if r.need]
        block = section(supply, f"### {s.actor_name(actor)}")
        rows = [ln for ln in block.splitlines() if ln.startswith("| ") and not ln.startswith("| Mineral")]
        assert len(rows) == len(needed)
    # every card of its decks, with its cost and what it asks for
    cards = section(text, "## Your cards")
    for card in s.session.content.team_cards(team):
        f = card_facts(s, card, "en")
        body = section(cards, f"### {md(f.name)}")
        assert body.lstrip().startswith(f"**Cost {card.cost}**")
        for prompt, _ in f.targets:
            assert md(prompt) in body
        assert md(f.text) in body


def test_the_rivals_among_suppliers_are_marked(fresh):
    text = briefing_markdown(fresh, ["us"], "en")
    row = next(ln for ln in section(text, "## Your supply chains").splitlines()
               if ln.startswith("| Rare earths | Processing"))
    assert "China" in row and "% !" in row  # China is a rival of the United States


def test_in_chinese_the_briefing_reads_in_chinese(fresh):
    zh = briefing_markdown(fresh, ["china"], "zh")
    assert zh.startswith("# 简报：中国\n")
    for heading in ("## 你的队伍", "## 你方现状", "## 你方供应链", "## 你方卡牌"):
        assert heading in zh
    card = fresh.session.content.team_cards("china")[0]
    assert f"### {md(card.name.zh)}" in zh and md(card.name.en) in zh  # the other language beside it


def test_a_briefing_from_a_save_tells_where_the_game_stands():
    s = load_seminar(EXAMPLE)
    text = briefing_markdown(s, ["eu"], "en")
    assert "briefing after turn 8 (2033)" in text
    values = {(r.meter, r.key): r.value for r in s.dashboard("eu")}
    assert fmt1(values[("cost", s.actors("eu")[0])]) in section(text, "## Where you stand")


def test_several_teams_follow_one_another_in_one_page(fresh):
    html = briefing_html(fresh, ["us", "china"], "en")
    assert html.count("<h1>") == 2 and "<title>Briefings: " in html
    assert "main > h1 ~ h1 { break-before: page; }" in html  # each team on pages of its own
    assert html == briefing_html(fresh, ["us", "china"], "en")


def test_names_from_content_cannot_write_markup(content):
    scenario, decks = content.to_dicts()
    scenario["teams"][0]["name"]["en"] = "<script>alert(1)</script>"
    decks[0]["cards"][0]["text"]["en"] = "see [here](javascript:alert(2)) <img src=x onerror=alert(3)>"
    decks[0]["cards"][1]["text"]["en"] = "# Not a heading ~~nor struck~~"
    decks[0]["cards"][2]["text"]["en"] = "1. not a list"
    s = Seminar(Session.new(content_from_dicts(scenario, decks, "hostile"), 0))
    team = scenario["teams"][0]["id"]
    page = briefing_html(s, [team], "en")
    html = page.lower()
    assert "<script" not in html and "<img" not in html and "href=" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # a card's text never opens a heading, a list or struck-through text of its own
    assert page.count("<h1>") == 1 and "<del>" not in page and "<ol>" not in page
    assert "<p># Not a heading ~~nor struck~~</p>" in page and "<p>1. not a list</p>" in page


def test_wargame_briefing_writes_each_team_or_the_ones_named(tmp_path, capsys, fresh):
    assert main(["briefing"]) == 0
    out = capsys.readouterr().out
    assert out == briefing_markdown(fresh, fresh.teams, "en")
    assert out.count("\n# Briefing: ") + out.startswith("# Briefing: ") == 4
    page = tmp_path / "us.html"
    assert main(["briefing", "--team", "us", "--team", "us", "--out", str(page)]) == 0
    assert page.read_text(encoding="utf-8") == briefing_html(fresh, ["us"], "en")
    assert "the briefing of 1 team(s) written to" in capsys.readouterr().out
    zh = tmp_path / "cn.md"
    assert main(["briefing", str(EXAMPLE), "--team", "china", "--lang", "zh", "--out", str(zh)]) == 0
    assert zh.read_text(encoding="utf-8") == briefing_markdown(load_seminar(EXAMPLE), ["china"], "zh")


def test_wargame_briefing_refuses_what_it_cannot_do(tmp_path, capsys, fresh):
    assert main(["briefing", "--team", "atlantis"]) == 2
    assert "--team atlantis: no such team (teams: us, china, eu, resource-states)" in capsys.readouterr().err
    assert main(["briefing", str(EXAMPLE), "--scenario", str(ROOT / "decks" / "critical-minerals-2026")]) == 2
    assert "not both" in capsys.readouterr().err
    game = tmp_path / "game.json"
    save_seminar(fresh, game)
    before = game.read_bytes()
    assert main(["briefing", "--out", str(game)]) == 2  # never over a save
    assert game.read_bytes() == before
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert main(["briefing", str(bad)]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_the_blocks_are_one_per_section(fresh):
    blocks = briefing_blocks(fresh, "us", "en")
    assert [b.strip().splitlines()[0] for b in blocks] == [
        "# Briefing: United States", "## Your team", "## Where you stand", "## Your supply chains", "## Your cards"]


def test_the_white_cell_writes_every_briefing_from_the_palette(content, tmp_path):
    from wargame.tui.app import WargameApp
    from wargame.tui.dialogs import PromptDialog
    from tui import run

    s = Seminar(Session.new(content, 2), passphrase="owl")
    target = tmp_path / "room-briefings.html"

    async def body() -> None:
        app = WargameApp(seminar=s, save_dir=tmp_path)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert "Briefings: write every team's briefing and the White Cell's as the game stands…" in \
                [c.title for c in app.get_system_commands(app.screen)]
            app.action_write_briefings()
            await pilot.pause()
            assert isinstance(app.screen, PromptDialog) and app.screen.query_one("Input").password  # passphrase
            app.screen.query_one("Input").value = "owl"
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, PromptDialog)
            assert app.screen.query_one("Input").value.endswith("-briefings-en.html")
            app.screen.query_one("Input").value = str(target)
            await pilot.press("enter")
            await pilot.pause()
            assert any("Briefings of 4 teams and the White Cell written to" in n.message for n in app._notifications)

    run(body())
    assert target.read_text(encoding="utf-8") == briefing_html(s, s.teams, "en", white_cell=True)


def test_the_white_cell_briefing_has_the_teams_the_timeline_and_the_events(fresh, capsys):
    from wargame.report.briefing import white_cell_blocks

    assert main(["briefing", "--white-cell"]) == 0
    text = capsys.readouterr().out
    assert text == "\n".join(white_cell_blocks(fresh, "en")) + "\n"
    assert text.startswith("# Briefing: the White Cell\n")
    teams = section(text, "## The teams")
    for t in fresh.teams:
        assert f"| {fresh.team_name(t)} | " in teams
    content = fresh.session.content
    timeline = [ln for ln in section(text, "## The timeline").splitlines() if ln.startswith("| 20")]
    assert len(timeline) == len(fresh.session.scenario.timeline)
    for row, ev in zip(timeline, sorted(fresh.session.scenario.timeline, key=lambda e: e.turn)):
        assert f"(turn {ev.turn})" in row and md(content.card(ev.card).name.en) in row
    events = section(text, "## The events deck")
    for card in content.event_cards():
        body = section(events, f"### {md(card.name.en)}")
        assert "Cost" not in body.splitlines()[1]  # an event costs the White Cell nothing
    assert "(already played)" not in text  # nothing has been played yet


def test_from_a_save_the_timeline_says_what_has_been_played(capsys):
    assert main(["briefing", str(EXAMPLE), "--white-cell", "--team", "us"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("# Briefing: United States\n") and "\n# Briefing: the White Cell\n" in text
    rows = [ln for ln in section(text, "## The timeline").splitlines() if ln.startswith("| 20")]
    assert rows and all("(already played)" in r for r in rows)  # the example game went to the end
