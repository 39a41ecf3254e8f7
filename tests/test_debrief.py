"""The Markdown debrief: every resolved turn in the report's words, the White Cell's
rulings with their rationales, every team side by side, in either language; written by
`wargame debrief` and from the TUI's command palette."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from wargame.cli import main
from wargame.game.seminar import Seminar
from wargame.game.session import Session
from wargame.model.records import Order, Override
from wargame.store.save import load_seminar, save_seminar
from wargame.report.debrief import debrief_markdown, md
from wargame.report.labels import fmt1
from conftest import ROOT, one_turn_seminar

EXAMPLE = ROOT / "saves" / "critical-minerals-2026-example.json"


@pytest.fixture(scope="module")
def example() -> Seminar:
    return load_seminar(EXAMPLE)


def section(text: str, heading: str) -> str:
    """The lines under a Markdown heading, up to the next heading of the same level or above."""
    level = heading.split(" ")[0]
    start = text.index(heading + "\n") + len(heading) + 1
    nxt = re.search(rf"^#{{1,{len(level)}}} ", text[start:], flags=re.M)
    return text[start:start + nxt.start()] if nxt else text[start:]


def test_every_turn_is_told_with_its_orders_events_news_and_causes(example):
    text = debrief_markdown(example, "en")
    sc = example.session.scenario
    assert text.startswith(f"# Debrief: {sc.name.en}\n")
    assert f"Seed {example.session.seed} · 8 of 8 turns played (2026–2033)" in text
    assert "## Who played" not in text  # a headless game's save does not say
    for turn in range(1, 9):
        year = int(round(sc.year(turn)))
        body = section(text, f"## Turn {turn} · {year}")
        for heading in ("### Orders revealed", "### Events injected", "### What happened", "### Why the meters moved"):
            assert heading in body, (turn, heading)
        report = example.report(turn)
        for team, orders in report.orders.items():
            for order in orders:
                assert md(example.session.content.card(order.card).name.en) in body, (turn, order.card)
        for inject in report.injects:
            assert md(example.session.content.card(inject.card).name.en) in body


def test_the_veto_is_struck_through_with_its_rationale(example):
    text = debrief_markdown(example, "en")
    vetoed = [(t, r) for t in range(1, 9) for r in example.report(t).overrides if r.action == "veto"]
    assert vetoed
    for turn, ruling in vetoed:
        body = section(text, f"## Turn {turn} · {int(round(example.session.scenario.year(turn)))}")
        card = example.report(turn).orders[ruling.team][ruling.index].card
        assert f"~~{md(example.session.content.card(card).name.en)}~~" in body
        assert md(" ".join(ruling.rationale.split())) in body


def test_the_end_table_gives_each_team_now_and_its_change_since_the_start(example):
    text = debrief_markdown(example, "en")
    table = [ln for ln in section(text, "## Where the game stands").splitlines() if ln.startswith("|")]
    now, start = example.comparison(), example.comparison(turn=0)
    assert table[0] == "| Meter | " + " | ".join(example.team_name(t) for t in example.teams) + " |"
    row = next(ln for ln in table if ln.startswith("| Cost "))
    cells = [c.strip() for c in row.strip("|").split("|")][1:]
    for team, cell in zip(example.teams, cells):
        assert cell.startswith(fmt1(now[team]["cost"]) + " (")
    assert all(abs(start[t]["cost"] - 100.0) < 1e-9 for t in example.teams)  # the index starts at 100


def test_in_chinese_the_debrief_reads_in_chinese(example):
    text = debrief_markdown(example, "zh")
    assert text.startswith(f"# 复盘：{example.session.scenario.name.zh}")
    assert "## 第 1 回合 · 2026 年" in text and "### 指标变动的原因" in text
    for turn in range(1, 9):
        for orders in example.report(turn).orders.values():
            for order in orders:
                card = example.session.content.card(order.card)
                assert md(card.name.zh) in text and md(card.name.en) not in text


def test_text_from_decks_and_rationales_cannot_write_markdown(content, tmp_path):
    s = Seminar(Session.new(content, 2), {"china": "hawk"})
    s.session.submit("us", [Order(card="us-ira-credit")], from_hand=False)
    for team in s.humans[1:]:
        s.commit(team)
    s.override(Override(team="us", index=0, action="veto", rationale="see [this](http://x) and **that** | <b>"))
    s.resolve()
    text = debrief_markdown(s, "en")
    assert r"see \[this\](http://x) and \*\*that\*\* \| \<b>" in text
    assert "## Who played" in text and "- **China**: bot (hawk)" in text


def test_wargame_debrief_prints_or_writes_it_and_refuses_bad_input(tmp_path, capsys, example):
    assert main(["debrief", str(EXAMPLE)]) == 0
    assert capsys.readouterr().out == debrief_markdown(example, "en")
    out = tmp_path / "debrief.md"
    assert main(["debrief", str(EXAMPLE), "--lang", "zh", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == debrief_markdown(example, "zh")
    capsys.readouterr()
    copy = tmp_path / "game.json"
    copy.write_bytes(EXAMPLE.read_bytes())
    assert main(["debrief", str(copy), "--out", str(copy)]) == 2  # never over the save being read
    other = tmp_path / "other.json"
    save_seminar(example, other)
    assert main(["debrief", str(copy), "--out", str(other)]) == 2  # nor over any save
    assert "is a wargame save" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert main(["debrief", str(bad)]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_the_palette_writes_the_debrief_in_the_language_shown(content, tmp_path):
    from wargame.tui.app import WargameApp
    from wargame.tui.dialogs import PromptDialog
    from tui import run

    s = one_turn_seminar(content)
    target = tmp_path / "room-debrief.md"

    async def body() -> None:
        app = WargameApp(seminar=s, save_dir=tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("f2")
            commands = [c.title for c in app.get_system_commands(app.screen)]
            assert "复盘：将至今的推演写成 Markdown 文件或带图表的网页…" in commands
            app.action_write_debrief()
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, PromptDialog)
            assert Path(dialog.query_one("Input").value).name.endswith("-debrief-zh.md")
            dialog.query_one("Input").value = str(target)
            await pilot.press("enter")
            await pilot.pause()
            assert not isinstance(app.screen, PromptDialog)

    run(body())
    assert target.read_text(encoding="utf-8") == debrief_markdown(s, "zh")


def test_the_meters_are_tabulated_turn_by_turn_with_a_trend(example):
    from wargame.report.debrief import sparkline
    from wargame.report.words import chart_lines

    text = debrief_markdown(example, "en")
    block = section(text, "## The meters turn by turn")
    assert "| | start | 2026 | 2027 | 2028 | 2029 | 2030 | 2031 | 2032 | 2033 | trend |" in block
    for name, values in chart_lines(example, "cost", "en"):  # every team's cost, the start first
        row = f"| {name} | " + " | ".join(fmt1(v) for v in values) + f" | {sparkline(values)} |"
        assert row in block
    us = next(v for n, v in chart_lines(example, "dependency", "en") if n == "United States")
    assert us[0] != us[-1] and len(us) == 9
    assert "### Cohesion · index 0-100" in block and "| Minerals Security Partnership |" in block
    zh = section(debrief_markdown(example, "zh"), "## 各项指标逐回合变化")
    assert "| | 开局 | 2026 |" in zh and "| 美国 |" in zh


def test_the_ore_and_manufactured_prices_follow_the_refined_price(example):
    """The price meter is the refined price; the tables go on with the other two stages'
    prices, as indices read from the engine's ``stage_price_index``."""
    from wargame.report.debrief import sparkline
    from wargame.report.words import chart_lines

    block = section(debrief_markdown(example, "en"), "## The meters turn by turn")
    ore_at = block.index("### Ore price · price index, 100 = the start")
    goods_at = block.index("### Price of manufactured goods · price index, 100 = the start")
    assert block.index("### Price · USD/kg") < ore_at < goods_at
    nickel = example.session.index.mineral_pos["nickel"]
    history = [np.asarray(m["stage_price_index"]) for m in example.session.history]
    for meter, stage, at in (("ore_price", 0, ore_at), ("goods_price", 2, goods_at)):
        lines = dict(chart_lines(example, meter, "en"))
        assert list(lines) == [m.name.en for m in example.session.scenario.minerals]
        assert lines["Nickel"] == pytest.approx([h[nickel, stage] for h in history])
        row = "| Nickel | " + " | ".join(fmt1(v) for v in lines["Nickel"]) + f" | {sparkline(lines['Nickel'])} |"
        assert row in block[at:]
    # a line of its own, not the refined price again: the nickel ore price moves otherwise
    ore = dict(chart_lines(example, "ore_price", "en"))["Nickel"]
    refined = dict(chart_lines(example, "price", "en"))["Nickel"]
    assert max(ore) > 110.0 and ore != pytest.approx([v / refined[0] * 100.0 for v in refined], abs=1.0)
    zh = section(debrief_markdown(example, "zh"), "## 各项指标逐回合变化")
    assert "### 矿石价格 · 价格指数，开局 = 100" in zh and "### 制成品价格 · 价格指数，开局 = 100" in zh


def test_a_sparkline_runs_from_the_lowest_to_the_highest_value():
    from wargame.report.debrief import sparkline

    assert sparkline([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]) == "▁▂▃▄▅▆▇█"
    assert sparkline([5.0, 1.0, 5.0]) == "█▁█"
    assert sparkline([2.0, 2.0]) == "▄▄"  # flat
    assert sparkline([1.0, float("nan"), 3.0]) == "▁ █"
    assert sparkline([]) == ""


def test_the_game_at_a_glance_has_a_row_per_year_and_a_column_per_team(example):
    text = debrief_markdown(example, "en")
    rows = [ln for ln in section(text, "## The game at a glance").splitlines() if ln.startswith("|")]
    teams = [example.team_name(t) for t in example.teams]
    assert rows[0] == "| Year | " + " | ".join(teams) + " | Events |"
    assert len(rows) == 2 + 8  # heading, rule, then the eight years
    names = example.session.content
    for turn, row in enumerate(rows[2:], 1):
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[0] == str(int(round(example.session.scenario.year(turn))))
        report = example.report(turn)
        for k, team in enumerate(example.teams):
            cards = [names.card(o.card).name.en for o in report.orders.get(team, [])]
            assert all(md(c) in cells[1 + k] for c in cards) and (cards or cells[1 + k] == "—")
        for inj in report.injects:
            assert md(names.card(inj.card).name.en) in cells[-1]
    # the vetoed order is struck through in its year
    turn, ruling = next((t, r) for t in range(1, 9) for r in example.report(t).overrides if r.action == "veto")
    card = names.card(example.report(turn).orders[ruling.team][ruling.index].card).name.en
    assert f"~~{md(card)}" in rows[1 + turn]
    # the section stands before the meters turn by turn, and reads in Chinese too
    assert text.index("## The game at a glance") < text.index("## The meters turn by turn")
    zh = debrief_markdown(example, "zh")
    assert "## 推演概览" in zh and "| 年份 | " in zh
