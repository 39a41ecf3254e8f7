"""The balance study on a handful of games: structure, determinism, and the committed report."""

from __future__ import annotations

import dataclasses
import re
import shutil

import pytest

from wargame.analysis import balance
from wargame.game.bots import POLICIES, play_bot_game
from wargame.game.session import Session
from conftest import BUILTIN, ROOT

GAMES, SEED = 12, 3


def _strip(markdown: str) -> str:
    """The report without the wall-time line (the one line that may differ between runs)."""
    return "\n".join(line for line in markdown.splitlines() if not line.startswith("- wall time:"))


@pytest.fixture(scope="module")
def study():
    return balance.build_study(BUILTIN, GAMES, SEED, 1, "cmd")


@pytest.fixture(scope="module")
def report(study):
    return balance.render(study)


def _rows(markdown: str, first_header: str) -> list[list[str]]:
    """The body rows of the first table whose header row starts with ``first_header``."""
    lines = markdown.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(f"| {first_header} |"):
            out = []
            for row in lines[i + 2:]:
                if not row.startswith("|"):
                    break
                out.append([c.strip() for c in row.strip("|").split("|")])
            return out
    raise AssertionError(f"no table starting with '{first_header}'")


def test_plan_is_seeded_and_uses_every_policy_name():
    teams = ["us", "china", "eu", "resource-states"]
    a, b = balance.plan(SEED, 50, teams), balance.plan(SEED, 50, teams)
    assert a == b
    assert balance.plan(SEED + 1, 50, teams) != a
    assert len({g.seed for g in a}) == 50
    assert {p for g in a for p in g.policies.values()} == set(POLICIES)
    assert balance.plan(SEED, 10, teams) == a[:10]  # a game does not depend on how many follow


def test_a_study_game_is_the_same_game_as_play_bot_game(content):
    game = balance.plan(SEED, 1, [t.id for t in content.scenario.teams])[0]
    result = balance.play_game(content, game)
    session = play_bot_game(content, game.seed, game.policies)
    played = {t: {} for t in result.played}
    for entry in session.log:
        if entry.type == "orders":
            for order in entry.orders:
                played[entry.team][order.card] = played[entry.team].get(order.card, 0) + 1
    assert result.played == {t: dict(sorted(c.items())) for t, c in played.items()}
    assert sum(row[0] for row in result.moves.values()) >= sum(sum(c.values()) for c in played.values())
    shapes = balance.team_shapes(content, session)
    for s in shapes:
        first = balance.team_meters(session.history[0], s)
        last = balance.team_meters(session.history[-1], s)
        assert result.change[s.id] == {k: last[k] - first[k] for k in balance.SPREAD_METERS}


def test_every_team_meter_has_ordered_percentiles(study, report):
    teams = [t.id for t in study.teams]
    assert teams == ["us", "china", "eu", "resource-states"]
    rows = _rows(report, "team | meter")
    seen = {(r[0], r[1]) for r in rows}
    assert seen == {(t, m) for t in teams for m in balance.SPREAD_METERS}
    for t in teams:
        for m in balance.SPREAD_METERS:
            p = study.spread(t, m)
            assert p == sorted(p), (t, m, p)
    for r in rows:
        values = [float(v) for v in r[3:]]
        assert values == sorted(values), r


def test_every_team_has_a_policy_table_with_every_policy(study, report):
    for t in study.teams:
        other = study.counterparts[t.id][0]
        assert other != t.id
        assert f"### {t.id}: policy → score by the policy of {other}" in report
        rows = _rows(report, f"{t.id} policy")
        assert [r[0] for r in rows] == list(POLICIES)
        assert len(rows[0]) == 1 + len(POLICIES) + 1
        table = study.policy_table(t.id)
        assert sum(table[p]["all"][0] for p in POLICIES) == GAMES


def test_every_card_of_the_scenario_is_in_both_card_tables(content, study, report):
    cards = {c.id for t in content.scenario.teams for c in content.team_cards(t.id)}
    assert {c.id for c in study.cards} == cards
    moves = {r[0].strip("`") for r in _rows(report, "card | team | cost")}
    effects = {r[0].strip("`") for r in _rows(report, "card | team | within hawk")}
    assert moves == cards
    assert effects == cards


def test_scores_are_bounded(study):
    for t in study.teams:
        scores = study.scores[t.id]
        assert len(scores) == GAMES
        assert all(abs(s) <= balance.Z_CLIP for s in scores)


def test_same_seed_gives_the_same_report(report):
    again = balance.render(balance.build_study(BUILTIN, GAMES, SEED, 1, "cmd"))
    assert _strip(again) == _strip(report)


def test_worker_count_does_not_change_the_results(study):
    pooled = balance.build_study(BUILTIN, GAMES, SEED, 2, "cmd")
    assert [dataclasses.asdict(r) for r in pooled.results] == [dataclasses.asdict(r) for r in study.results]
    pooled.workers = study.workers
    assert _strip(balance.render(pooled)) == _strip(balance.render(study))


def test_the_command_line_writes_a_report_naming_its_command(tmp_path, capsys):
    out = tmp_path / "b.md"
    assert balance.main(["--games", "3", "--seed", "5", "--workers", "1", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert f"{balance.COMMAND} --games 3 --seed 5 --workers 1 --out {out}" in text
    assert "- games: 3; study seed: 5; workers: 1" in text
    assert "- wall time: " in text


def test_the_reports_command_runs_as_printed_whatever_the_paths_hold(tmp_path):
    """The report says "every table below comes from one run of" a command: a path that holds
    "$(...)", a quote, a line break or a terminal escape is quoted so that pasting the line
    runs that command and nothing else, and it stays one line inside its code block."""
    import subprocess

    odd = tmp_path / "sc$(touch PWNED) it's\n```\n# heading\x1b[2J"
    shutil.copytree(ROOT / "decks" / "critical-minerals-2026", odd)
    out = tmp_path / "a b.md"
    assert balance.main(["--games", "2", "--seed", "5", "--workers", "1", "--scenario", str(odd),
                         "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    line = re.search(r"```\n(\S+ -m wargame\.analysis\.balance [^\n]*)\n```", text).group(1)
    assert "\x1b" not in text and "# heading" not in text.replace(line, "")
    words = subprocess.run(["bash", "-c", f"printf '%s\\0' {line}"], capture_output=True, cwd=tmp_path,
                           check=True).stdout.decode().split("\0")[:-1]
    assert words[words.index("--scenario") + 1] == str(odd) and words[words.index("--out") + 1] == str(out)
    assert not (tmp_path / "PWNED").exists()


def test_the_committed_report_names_the_command_it_came_from():
    text = (ROOT / "docs" / "BALANCE.md").read_text(encoding="utf-8")
    m = re.search(r"```\n(\S+ -m wargame\.analysis\.balance --games (\d+) --seed (\d+) --workers (\d+)[^\n]*)\n```",
                  text)
    assert m, "docs/BALANCE.md does not state the command it was generated with"
    assert m.group(1).startswith(balance.COMMAND)
    assert "--out docs/BALANCE.md" in m.group(1)
    assert f"- games: {m.group(2)}; study seed: {m.group(3)}; workers: {m.group(4)}" in text
    assert "- scenario: `critical-minerals-2026`" in text
    assert re.search(r"^- wall time: [0-9.]+ s$", text, re.M)
    for heading in ("## 1. Spread of outcomes", "## 2. Which cards move the meters", "## 3. Dominance",
                    "## Findings", "## Tuning"):
        assert heading in text


def test_the_committed_report_was_made_from_the_decks_as_they_are(content):
    # a deck edited since the study (a card's text, its numbers) leaves the report stale:
    # `make balance` writes it again
    from wargame.store.save import content_hash

    text = (ROOT / "docs" / "BALANCE.md").read_text(encoding="utf-8")
    scenario, decks = content.to_dicts()
    assert f"(content hash `{content_hash(scenario)}`)" in text, "docs/BALANCE.md is stale: run `make balance`"
    for deck in decks:
        assert f"`{deck['id']}` `{content_hash(deck)[:16]}`" in text, \
            f"docs/BALANCE.md is stale for deck {deck['id']}: run `make balance`"


def test_the_card_moves_read_from_the_ledger_arrays_equal_a_line_by_line_reading(content):
    # play_game reads the ledger chunk by chunk, as arrays; here the same sums line by line
    game = balance.plan(SEED, 2, [t.id for t in content.scenario.teams])[1]
    result = balance.play_game(content, game)
    bots = play_bot_game(content, game.seed, game.policies)
    session = Session.new(content, game.seed)  # the same game, with its ledgers
    for rec in bots.records:
        for team_id, orders in rec.orders.items():
            session.submit(team_id, list(orders))
        session.resolve(explain=True)
    assert [r.state_hash for r in session.records] == [r.state_hash for r in bots.records]
    shapes = balance.team_shapes(content, session)
    team_of_actor = {a: s.id for s in shapes for a in s.actors}
    size = {s.id: len(s.actors) for s in shapes}
    blocs_of = {s.id: set(s.bloc_ids) for s in shapes}
    plays, per_play = {}, {}
    for rec in session.records:
        for team_id, orders in rec.orders.items():
            for i, order in enumerate(orders):
                plays[f"t{rec.turn}/{team_id}/{i}"] = (team_id, order.card)
        for i, inj in enumerate(rec.injects):
            plays[f"t{rec.turn}/inject/{i}"] = (None, inj.card)
        for ln in rec.result.ledger:
            who = plays.get(ln.cause.removeprefix("arrival:"))
            if who is None or (ln.meter not in balance.LEDGER_METERS and ln.meter != "value_added"):
                continue
            acc = per_play.setdefault(ln.cause.removeprefix("arrival:"), [0.0] * 8)
            if ln.meter == "value_added":
                acc[7] += ln.delta if who[0] is not None and team_of_actor.get(ln.key) == who[0] else 0.0
                continue
            acc[balance.LEDGER_METERS.index(ln.meter)] += abs(ln.delta)
            if who[0] is not None and ln.meter == "cohesion" and ln.key in blocs_of[who[0]]:
                acc[6] += ln.delta / len(blocs_of[who[0]])
            if who[0] is not None and team_of_actor.get(ln.key) == who[0] and ln.meter in ("dependency", "cost"):
                acc[4 if ln.meter == "dependency" else 5] += ln.delta / size[who[0]]
    moves = {}
    for cause, (_, card) in plays.items():
        row = moves.setdefault(card, [0.0] * 9)
        row[0] += 1
        for k, v in enumerate(per_play.get(cause, [0.0] * 8)):
            row[1 + k] += v
    assert result.moves == dict(sorted(moves.items()))
    assert any(row[1] for row in moves.values())  # the game moved some dependency
