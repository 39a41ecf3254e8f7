"""Loading and checking content files: good content loads, bad and hostile content is
refused with problems that name the file, the line, the card or field, and what was
expected, and nothing from a file is ever executed."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wargame.model import loader, yamlread
from wargame.model.effects import EFFECT_KINDS
from wargame.model.loader import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_NODES,
    Content,
    ContentError,
    Problem,
    check_paths,
    content_from_dicts,
    format_problems,
    load_deck,
    load_orders,
    load_scenario,
    read_yaml,
)

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"
BAD = ROOT / "tests" / "bad_content"


# --------------------------------------------------------------------------- helpers


@pytest.fixture(params=["libyaml", "pure"], autouse=False)
def both_parsers(request, monkeypatch):
    """Run a test with libyaml's event parser and with the pure-Python one."""
    if request.param == "libyaml" and not yamlread.USE_LIBYAML:
        pytest.skip("PyYAML built without libyaml")
    monkeypatch.setattr(yamlread, "USE_LIBYAML", request.param == "libyaml")
    return request.param


def mini_copy(tmp_path: Path, edits: dict[str, list[tuple[str, str]]] | None = None) -> Path:
    """A copy of the mini scenario with textual edits (each edit must apply)."""
    dest = tmp_path / "mini"
    shutil.copytree(MINI, dest)
    for rel, pairs in (edits or {}).items():
        f = dest / rel
        text = f.read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, f"test edit does not apply to {rel}: {old!r}"
            text = text.replace(old, new, 1)
        f.write_text(text, encoding="utf-8")
    return dest


def scenario_problems(path: Path) -> list[Problem]:
    with pytest.raises(ContentError) as info:
        load_scenario(path)
    problems = info.value.problems
    assert problems
    assert str(info.value) == "\n".join(str(p) for p in problems)
    return problems


def deck_problems(tmp_path: Path, text: str | bytes, name: str = "deck.yaml") -> list[Problem]:
    f = tmp_path / name
    f.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    with pytest.raises(ContentError) as info:
        load_deck(f)
    return info.value.problems


def find(problems: list[Problem], needle: str) -> Problem:
    for p in problems:
        if needle in str(p):
            return p
    raise AssertionError(f"no problem mentions {needle!r}:\n" + "\n".join(map(str, problems)))


def line_of(path: Path, needle: str, start: int = 1) -> int:
    """1-based line of the first line at or after ``start`` containing ``needle``."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if n >= start and needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


DECK_HEAD = "id: d\nname: {en: D, zh: D}\ncards:\n"


def card(body: str, card_id: str = "c") -> str:
    return (
        f"  - id: {card_id}\n    name: {{en: C, zh: C}}\n    text: {{en: C, zh: C}}\n" + body
    )


# --------------------------------------------------------------------------- good content


def test_mini_scenario_loads_with_its_decks():
    content = load_scenario(MINI)
    assert isinstance(content, Content)
    assert content.scenario.id == "mini"
    assert content.path == str(MINI / "scenario.yaml")
    assert list(content.decks) == ["west", "east", "events"]
    assert content.card("tariff-hike").cost == 1
    assert content.deck_of("mine-strike").kind == "events"
    assert [c.id for c in content.event_cards()] == ["mine-strike"]
    with pytest.raises(KeyError):
        content.card("nope")
    with pytest.raises(KeyError):
        content.deck_of("nope")


def test_a_mechanism_note_is_one_text_or_both_languages(tmp_path):
    effect = "    effects:\n      - {kind: tariff, mineral: m, on: [all], rate: 0.1}\n"
    f = tmp_path / "ok.yaml"
    f.write_text(DECK_HEAD + card("    mechanism: one note\n" + effect, "a")
                 + card("    mechanism: {en: Leverage, zh: 杠杆}\n" + effect, "b"), encoding="utf-8")
    deck = load_deck(f)
    assert [c.mechanism_in("zh") for c in deck.cards] == ["one note", "杠杆"]
    assert [c.mechanism_in("en") for c in deck.cards] == ["one note", "Leverage"]
    # a mistake in either form gets one message, worded for the form it was written in
    for body, where, said in [
        ("{en: Leverage}", "c/mechanism.zh", "missing required field 'zh'"),
        ("{en: Leverage, zh: 杠杆, fr: Levier}", "c/mechanism.fr", "unknown field 'fr' (allowed: en, zh)"),
        ("[Leverage]", "c/mechanism", "expected text, got a list"),
        ("42", "c/mechanism", "expected text, got 42"),
    ]:
        (problem,) = deck_problems(tmp_path, DECK_HEAD + card(f"    mechanism: {body}\n" + effect))
        assert problem.where == where and said in problem.message, problem


def test_scenario_file_path_loads_the_same_as_its_directory():
    assert load_scenario(MINI / "scenario.yaml").scenario == load_scenario(MINI).scenario


def test_team_cards_respect_decks_and_playable_by(tmp_path):
    # east shares the west deck; the credit is east's alone
    d = mini_copy(tmp_path, {"decks/west.yaml": [("playable_by: [west]", "playable_by: [east]")],
                             "scenario.yaml": [("decks: [east]", "decks: [east, west]")]})
    content = load_scenario(d)
    assert [c.id for c in content.team_cards("west")] == ["tariff-hike"]
    assert [c.id for c in content.team_cards("east")] == ["graphite-controls", "us-ira-credit", "tariff-hike"]
    with pytest.raises(KeyError):
        content.team_cards("nobody")


def test_content_round_trips_through_dicts():
    content = load_scenario(MINI)
    scenario, decks = content.to_dicts()
    assert [d["id"] for d in decks] == ["west", "east", "events"]
    again = content_from_dicts(scenario, decks, "<save>")
    assert again.path == "<save>"
    assert again.scenario == content.scenario
    assert again.decks == content.decks
    assert again.to_dicts() == (scenario, decks)


def test_single_deck_loads():
    deck = load_deck(MINI / "decks" / "west.yaml")
    assert [c.id for c in deck.cards] == ["us-ira-credit", "tariff-hike"]


def test_good_orders_file_loads(tmp_path):
    d = mini_copy(tmp_path)
    (d / "orders.yaml").write_text(
        "scenario: mini\nseed: 3\nturns:\n"
        "  - turn: 1\n    orders:\n      west:\n        - card: tariff-hike\n          actor: usa\n"
        "          targets: {mineral: graphite}\n      east:\n        - card: graphite-controls\n"
        "          targets: {whom: msp}\n    injects:\n      - card: mine-strike\n"
        "        targets: {mineral: lithium}\n    overrides:\n      - {team: east, index: 0, action: amend,"
        " targets: {whom: usa}, rationale: clarify}\n",
        encoding="utf-8",
    )
    orders = load_orders(d / "orders.yaml", load_scenario(d))
    assert orders.seed == 3
    files, problems = check_paths([d])
    assert problems == []
    assert str(d / "orders.yaml") in files and str(d / "decks" / "east.yaml") in files


def test_check_paths_on_good_fixture_finds_nothing():
    files, problems = check_paths([MINI])
    assert problems == []
    assert sorted(files) == sorted(
        str(MINI / f) for f in ("scenario.yaml", "decks/west.yaml", "decks/east.yaml", "decks/events.yaml")
    )
    assert format_problems(problems) == "no problems found"


def test_yaml_12_core_schema_norway_dates_and_exponents(tmp_path):
    f = tmp_path / "x.yaml"
    f.write_text("a: no\nb: yes\nc: 2024-01-02\nd: 1e6\ne: 0x10\nf: true\ng: 1_000\nh: ~\ni: 012\n<<: {j: 1}\n")
    src, problems = read_yaml(f)
    assert problems == []
    assert src.data == {
        "a": "no", "b": "yes", "c": "2024-01-02", "d": 1e6, "e": "0x10", "f": True,
        "g": 1000, "h": None, "i": 12, "<<": {"j": 1},
    }


def test_utf8_bom_and_chinese_text_are_fine(tmp_path):
    text = "\ufeff" + DECK_HEAD.replace("zh: D", "zh: 甲乙") + card("    effects:\n      - {kind: securitise, delta: 0.1}\n")
    f = tmp_path / "d.yaml"
    f.write_bytes(text.encode("utf-8"))
    assert load_deck(f).name.zh == "甲乙"


# --------------------------------------------------------------------------- hostile files


def test_alias_bomb_is_refused_fast(tmp_path, both_parsers):
    f = tmp_path / "bomb.yaml"
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 30):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    f.write_text("\n".join(lines) + "\ncards: [*a29]\n")
    start = time.perf_counter()
    with pytest.raises(ContentError) as info:
        load_deck(f)
    assert time.perf_counter() - start < 1.0
    (p,) = info.value.problems
    assert p.file == str(f) and p.line == 1
    assert "aliases are not allowed in content files" in p.message


def test_python_tags_are_refused_and_never_executed(tmp_path, both_parsers):
    marker = tmp_path / "pwned"
    f = tmp_path / "evil.yaml"
    f.write_text(
        f'id: !!python/object/apply:os.system ["touch {marker}"]\n'
        f"name: !!python/object/new:pathlib.Path ['{marker}']\n"
        "cards: !!python/name:os.system\n"
    )
    with pytest.raises(ContentError) as info:
        load_deck(f)
    assert not marker.exists()
    text = str(info.value)
    assert f"{f}:1: id: tag '!!python/object/apply:os.system' is not allowed" in text
    assert f"{f}:2: name: tag '!!python/object/new:pathlib.Path' is not allowed" in text
    assert f"{f}:3: cards: tag '!!python/name:os.system' is not allowed" in text


def test_custom_and_unusual_tags_are_refused(tmp_path, both_parsers):
    problems = deck_problems(
        tmp_path,
        "id: !card d\nname: !!binary aGk=\nkind: !!set {a}\ncards: !!omap [{a: 1}]\nformat: !!str {a: 1}\n",
    )
    text = "\n".join(map(str, problems))
    assert ":1: id: tag '!card' is not allowed" in text
    assert ":2: name: tag '!!binary' is not allowed" in text
    assert ":3: kind: tag '!!set' is not allowed" in text
    assert ":4: cards: tag '!!omap' is not allowed" in text
    assert ":5: format: tag '!!str' cannot be used on a mapping" in text


def test_tag_directive_cannot_smuggle_python_tags(tmp_path, both_parsers):
    problems = deck_problems(
        tmp_path, "%TAG !p! tag:yaml.org,2002:python/\n---\nid: !p!object/apply:os.system [ls]\ncards: []\n"
    )
    assert find(problems, "'!!python/object/apply:os.system' is not allowed").line == 3


def test_two_mebibyte_file_is_refused_before_reading(tmp_path):
    f = tmp_path / "big.yaml"
    f.write_text("a: " + "x" * (2 * 1024 * 1024) + "\n")
    (p,) = deck_problems(tmp_path, f.read_bytes(), "big.yaml")
    assert p.line is None and "too large" in p.message and "1 MiB" in p.message
    assert "too large" in str(p) and str(p).startswith(str(f) + ": ")


def test_huge_sparse_file_is_refused_without_reading(tmp_path):
    f = tmp_path / "sparse.yaml"
    with open(f, "wb") as fh:
        fh.truncate(8 * 1024**3)
    start = time.perf_counter()
    src, problems = read_yaml(f)
    assert src is None and "too large" in problems[0].message
    assert time.perf_counter() - start < 0.5


def test_file_of_exactly_the_limit_is_read(tmp_path):
    f = tmp_path / "edge.yaml"
    body = "cards: []\n# "
    f.write_text(body + "x" * (MAX_FILE_BYTES - len(body) - 1) + "\n")
    assert f.stat().st_size == MAX_FILE_BYTES
    src, problems = read_yaml(f)
    assert problems == [] and src.data == {"cards": []}


def test_deep_nesting_is_refused(tmp_path, both_parsers):
    problems = deck_problems(tmp_path, "id: d\ncards: " + "[" * 100 + "]" * 100 + "\n")
    (p,) = problems
    assert p.line == 2 and "nesting is too deep" in p.message and str(MAX_DEPTH) in p.message


def test_nesting_within_the_limit_is_not_refused_for_depth(tmp_path):
    f = tmp_path / "ok.yaml"
    f.write_text("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n")
    src, problems = read_yaml(f)
    assert problems == [] and src is not None


def test_very_deep_block_nesting_does_not_crash(tmp_path, both_parsers):
    f = tmp_path / "deep.yaml"
    f.write_text("".join(" " * i + f"k{i}:\n" for i in range(1000)))
    src, problems = read_yaml(f)
    assert src is None and "nesting is too deep" in problems[0].message


def test_too_many_values_are_refused(tmp_path):
    f = tmp_path / "many.yaml"
    f.write_text("cards: [" + ",".join(["1"] * (MAX_NODES + 10)) + "]\n")
    assert f.stat().st_size <= MAX_FILE_BYTES
    src, problems = read_yaml(f)
    assert src is None and "too many values" in problems[0].message


def test_node_limit_applies_to_both_parsers(tmp_path, both_parsers, monkeypatch):
    monkeypatch.setattr(loader, "MAX_NODES", 1000)
    f = tmp_path / "many.yaml"
    f.write_text("cards: [" + ",".join(["{a: 1}"] * 400) + "]\n")
    src, problems = read_yaml(f)
    assert src is None and problems[0].line == 1 and "too many values" in problems[0].message


def test_latin1_bytes_are_refused_with_offset_and_line(tmp_path):
    problems = deck_problems(tmp_path, b"id: d\nname: {en: Caf\xe9, zh: D}\ncards: []\n")
    (p,) = problems
    assert p.line == 2
    assert "not UTF-8" in p.message and "0xe9" in p.message and "offset 20" in p.message


def test_utf16_file_is_refused(tmp_path):
    (p,) = deck_problems(tmp_path, "id: d\ncards: []\n".encode("utf-16"))
    assert "not UTF-8" in p.message


def test_top_level_list_is_refused(tmp_path, both_parsers):
    (p,) = deck_problems(tmp_path, "- id: d\n- cards: []\n")
    assert p.line == 1 and "top level must be a mapping" in p.message and "got a list" in p.message


def test_top_level_scalar_and_null_are_refused(tmp_path):
    (p,) = deck_problems(tmp_path, "hello\n")
    assert "top level must be a mapping" in p.message
    (p,) = deck_problems(tmp_path, "~\n")
    assert "got nothing (null)" in p.message


def test_duplicate_keys_are_refused_with_both_lines(tmp_path, both_parsers):
    problems = deck_problems(tmp_path, "id: d\nname: {en: D, zh: D}\nid: e\ncards: []\n")
    p = find(problems, "duplicate key")
    assert p.line == 3 and p.where == "id" and "first given at line 1" in p.message


def test_duplicate_keys_inside_a_card_name_the_card(tmp_path):
    problems = deck_problems(
        tmp_path, DECK_HEAD + card("    cost: 1\n    cost: 2\n    effects:\n      - {kind: securitise, delta: 0.1}\n", "twice")
    )
    p = find(problems, "duplicate key 'cost'")
    assert p.where == "twice/cost" and p.line == 8


def test_empty_and_comment_only_files_are_refused(tmp_path):
    (p,) = deck_problems(tmp_path, b"")
    assert p.message == "file is empty" and p.where == "" and p.line is None
    assert str(p) == f"{tmp_path / 'deck.yaml'}: file is empty"
    (p,) = deck_problems(tmp_path, b"   \n\n")
    assert p.message == "file is empty"
    (p,) = deck_problems(tmp_path, b"# just a comment\n")
    assert "empty" in p.message


def test_syntax_errors_give_the_parsers_line(tmp_path, both_parsers):
    (p,) = deck_problems(tmp_path, "id: d\ncards: [a, b\nname: x\n")
    assert p.line == 3 and p.message.startswith("YAML syntax error")
    (p,) = deck_problems(tmp_path, "id: d\n  bad: indent\n")
    assert p.line == 2 and "YAML syntax error" in p.message


def test_several_documents_are_refused(tmp_path, both_parsers):
    (p,) = deck_problems(tmp_path, "id: d\ncards: []\n---\nid: e\n")
    assert p.line == 3 and "single YAML document" in p.message


def test_non_string_keys_are_refused(tmp_path, both_parsers):
    problems = deck_problems(tmp_path, "id: d\n1: one\ntrue: t\n~: n\n? [a]\n: b\ncards: []\n")
    text = "\n".join(map(str, problems))
    assert ":2: keys must be text, got the number 1" in text
    assert ":3: keys must be text, got true" in text
    assert ":4: keys must be text, got ~" in text
    assert ":5: a list cannot be used as a key" in text


def test_nan_and_infinity_are_refused(tmp_path, both_parsers):
    problems = deck_problems(
        tmp_path,
        DECK_HEAD + card("    effects:\n      - kind: tariff\n        mineral: m\n        on: [all]\n        rate: .inf\n"
                         "      - {kind: securitise, delta: .NaN}\n      - {kind: securitise, delta: 1e999}\n", "inf"),
    )
    text = "\n".join(map(str, problems))
    assert ":11: inf/effects[0].rate: expected a finite number, got .inf" in text
    assert ":12: inf/effects[1].delta: expected a finite number, got .NaN" in text
    assert ":13: inf/effects[2].delta: expected a finite number, got 1e999" in text


def test_control_characters_that_could_drive_a_terminal_are_refused(tmp_path, both_parsers):
    problems = deck_problems(tmp_path, 'id: d\nname: {en: "\\e[2Jwiped", zh: "\\x9b31m"}\ncards: []\n')
    text = "\n".join(map(str, problems))
    assert ":2: name.en: text holds a control character (U+001B)" in text
    assert ":2: name.zh: text holds a control character (U+009B)" in text
    assert "\x1b" not in text and "\x9b" not in text


def test_raw_control_bytes_are_refused(tmp_path, both_parsers):
    (p,) = deck_problems(tmp_path, b"id: d\ncards: []\nname: a\x00b\n")
    assert p.line == 3 and "U+0000" in p.message


def test_special_files_are_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    src, problems = read_yaml(fifo)
    assert src is None and "not a regular file" in problems[0].message
    files, problems = check_paths([tmp_path])
    assert any("not a regular file" in p.message for p in problems)


def test_missing_file_and_directory_without_scenario(tmp_path):
    with pytest.raises(ContentError) as info:
        load_deck(tmp_path / "nope.yaml")
    assert "no such file" in str(info.value)
    with pytest.raises(ContentError) as info:
        load_scenario(tmp_path)
    assert str(tmp_path / "scenario.yaml") in str(info.value)


# --------------------------------------------------------------------------- schema problems


def test_schema_problems_name_card_field_line_and_expectation(tmp_path):
    d = mini_copy(
        tmp_path,
        {
            "decks/west.yaml": [
                ("cost: 2", "cost: 1.5"),
                ("rate: 0.25", "rate: 9\n        colour: red"),
            ],
            "decks/east.yaml": [("severity: 0.5", "severity: 1.5")],
        },
    )
    problems = scenario_problems(d)
    west, east = d / "decks" / "west.yaml", d / "decks" / "east.yaml"
    assert str(find(problems, "us-ira-credit/cost")) == (
        f"{west}:{line_of(west, 'cost: 1.5')}: us-ira-credit/cost: expected a whole number between 0 and 100, got 1.5"
    )
    assert str(find(problems, "tariff-hike/effects[0].rate")) == (
        f"{west}:{line_of(west, 'rate: 9')}: tariff-hike/effects[0].rate: "
        "expected a number greater than 0 and at most 5, got 9"
    )
    p = find(problems, "tariff-hike/effects[0].colour")
    assert p.line == line_of(west, "colour: red")
    assert p.message == "unknown field 'colour' (allowed: kind, mineral, stage, on, rate, duration)"
    p = find(problems, "graphite-controls/effects[0].severity")
    assert p.file == str(east) and p.line == line_of(east, "severity: 1.5")
    assert "greater than 0 and at most 1, got 1.5" in p.message


def test_fraction_fields_say_between_zero_and_one(tmp_path):
    d = mini_copy(tmp_path, {"scenario.yaml": [("price: 12.5", "price: 12.5\n    substitutability: 1.5")]})
    p = find(scenario_problems(d), "minerals[0].substitutability")
    assert p.message == "expected a number between 0 and 1, got 1.5"
    assert p.line == line_of(d / "scenario.yaml", "substitutability")


def test_unknown_effect_kind_lists_the_vocabulary(tmp_path):
    problems = deck_problems(tmp_path, DECK_HEAD + card("    effects:\n      - kind: nationalise\n        mineral: m\n", "grab"))
    (p,) = problems
    assert p.where == "grab/effects[0].kind" and p.line == 8
    assert p.message == f"unknown effect kind 'nationalise' (expected one of: {', '.join(EFFECT_KINDS)})"


def test_unknown_condition_kind_and_missing_kind(tmp_path):
    problems = deck_problems(
        tmp_path,
        DECK_HEAD + card("    conditions:\n      - {kind: whenever}\n    effects:\n      - {mineral: m}\n"),
    )
    assert "unknown condition kind 'whenever' (expected one of: turn_at_least" in str(find(problems, "c/conditions[0].kind"))
    assert "missing field 'kind' (expected one of: restrict_exports" in str(find(problems, "c/effects[0]"))


def test_misspelt_field_gets_a_suggestion(tmp_path):
    problems = deck_problems(
        tmp_path, DECK_HEAD + card("    effects:\n      - {kind: restrict_exports, mineral: m, to: [all], severty: 0.5}\n")
    )
    assert "unknown field 'severty' (did you mean 'severity'?)" in str(find(problems, "severty"))
    assert find(problems, "c/effects[0].severity").message == "missing required field 'severity'"


def test_common_type_mistakes_read_well(tmp_path):
    problems = deck_problems(
        tmp_path,
        "format: 2\nid: Deck One\nkind: evnts\nname: Just a name\ncards:\n"
        + card("    cost: '3'\n    copies: true\n    effects: {kind: securitise}\n", "c1")
        + card("    effects: []\n    targets:\n      - {name: a, kind: country}\n", "c2"),
    )
    text = "\n".join(map(str, problems))
    assert "format: expected 1 (the only supported format version), got 2" in text
    assert "id: expected an id (lower-case letters a-z" in text and "got 'Deck One'" in text
    assert "kind: expected one of: team, events, got 'evnts' (did you mean 'events'?)" in text
    assert "name: expected a mapping (key: value lines), got 'Just a name'" in text
    assert "c1/cost: expected a whole number between 0 and 100, got '3'" in text
    assert "c1/copies: expected a whole number between 1 and 10, got true" in text
    assert "c1/effects: expected a list, got a mapping" in text
    assert "c2/effects: expected at least 1 item, got 0" in text
    assert "c2/targets[0].kind: expected one of: mineral, actor, bloc, party, stage, got 'country'" in text


def test_bad_card_id_falls_back_to_its_index(tmp_path):
    problems = deck_problems(tmp_path, DECK_HEAD + card("    effects:\n      - {kind: securitise, delta: 0.1}\n", "Bad Id"))
    assert find(problems, "cards[0]/id").line == 4


def test_undeclared_target_reference_points_at_the_effect_field(tmp_path):
    problems = deck_problems(
        tmp_path,
        DECK_HEAD + card("    targets:\n      - {name: m, kind: mineral}\n    effects:\n"
                         "      - {kind: adjust_affinity, with: [$who], delta: 0.1}\n", "ref"),
    )
    (p,) = problems
    assert p.where == "ref/effects[0].with" and p.line == 10
    assert p.message == "refers to $who, but the card has no target named 'who' (declared: m)"


def test_invalid_dict_keys_are_named(tmp_path):
    d = mini_copy(tmp_path, {"scenario.yaml": [("values: {aus: 80, chn: 20}", "values: {aus: 80, USA: 20}")]})
    p = find(scenario_problems(d), "capacity[0].values.USA")
    assert p.message.startswith("invalid key 'USA': expected an id")
    assert p.line == line_of(d / "scenario.yaml", "USA")


def test_problems_are_all_collected_sorted_and_deterministic(tmp_path):
    d = mini_copy(
        tmp_path,
        {
            "scenario.yaml": [("gdp: 27", "gdp: -1"), ("turns: 4", "turns: 99")],
            "decks/west.yaml": [("cost: 2", "cost: -1")],
            "decks/events.yaml": [("fraction: 0.3", "fraction: 3")],
        },
    )
    first = scenario_problems(d)
    assert len(first) == 4
    assert first == scenario_problems(d)
    # the scenario's problems first, then the other files', each by file and line
    keys = [(not p.file.endswith("scenario.yaml"), p.file, p.line or 0) for p in first]
    assert keys == sorted(keys)
    assert {Path(p.file).name for p in first} == {"scenario.yaml", "west.yaml", "events.yaml"}


# --------------------------------------------------------------------------- cross references


def test_duplicate_ids_are_reported(tmp_path):
    d = mini_copy(
        tmp_path,
        {
            "scenario.yaml": [
                ("  - id: graphite\n", "  - id: lithium\n"),
                ("  - id: aus\n", "  - id: chn\n"),
                ("  - id: east\n", "  - id: west\n"),
            ],
            "decks/east.yaml": [("id: graphite-controls", "id: tariff-hike"), ("id: east", "id: west")],
        },
    )
    problems = scenario_problems(d)
    sc = d / "scenario.yaml"
    p = find(problems, "minerals[1].id: duplicate mineral id 'lithium'")
    assert p.line == line_of(sc, "id: lithium", line_of(sc, "id: lithium") + 1)
    assert f"first used at line {line_of(sc, 'id: lithium')}" in p.message
    find(problems, "actors[2].id: duplicate actor id 'chn'")
    find(problems, "teams[1].id: duplicate team id 'west'")
    find(problems, "duplicate deck id 'west'")
    p = find(problems, "tariff-hike/id: duplicate card id 'tariff-hike'")
    assert p.file == str(d / "decks" / "east.yaml") or p.file == str(d / "decks" / "west.yaml")


def test_unknown_actors_and_minerals_in_scenario_tables(tmp_path):
    d = mini_copy(
        tmp_path,
        {
            "scenario.yaml": [
                ("actors: [chn]", "actors: [chn, xyz]"),
                ("members: [usa, aus]", "members: [usa, fra]"),
                ("values: {aus: 80, chn: 20}", "values: {aus: 80, chm: 20}"),
                ("  - mineral: lithium\n    values: {usa: 30", "  - mineral: cobalt\n    values: {usa: 30"),
                ("between: [usa, aus]", "between: [usa, ausx]"),
            ]
        },
    )
    problems = scenario_problems(d)
    sc = d / "scenario.yaml"
    assert str(find(problems, "teams[1].actors[1]")) == (
        f"{sc}:{line_of(sc, 'xyz')}: teams[1].actors[1]: unknown actor 'xyz' (expected an actor id: usa, chn, aus)"
    )
    find(problems, "blocs[0].members[1]: unknown actor 'fra'")
    assert "did you mean 'chn'?" in find(problems, "capacity[0].values.chm").message
    assert find(problems, "demand[0].mineral: unknown mineral 'cobalt'").line == line_of(sc, "cobalt")
    find(problems, "affinity.pairs[0].between[1]: unknown actor 'ausx'")


def test_team_problems(tmp_path):
    d = mini_copy(
        tmp_path,
        {"scenario.yaml": [("actors: [chn]", "actors: [chn, usa]"), ("decks: [east]", "decks: [east, nope, events]")]},
    )
    problems = scenario_problems(d)
    find(problems, "teams[1].actors[1]: actor 'usa' is already played by team 'west'")
    find(problems, "teams[1].decks[1]: no deck with id 'nope' is listed in `decks`")
    find(problems, "teams[1].decks[2]: deck 'events' is an events deck")


def test_duplicate_table_rows(tmp_path):
    d = mini_copy(
        tmp_path,
        {
            "scenario.yaml": [
                ("    stage: processing", "    stage: extraction"),
                ("demand:\n", "demand:\n  - mineral: lithium\n    values: {usa: 1}\n    source: x\n"),
            ]
        },
    )
    problems = scenario_problems(d)
    find(problems, "capacity[1]: a second capacity row for mineral 'lithium' at stage 'extraction'")
    find(problems, "demand[1]: a second demand row for mineral 'lithium'")


def test_card_references_are_checked_against_the_scenario(tmp_path):
    d = mini_copy(
        tmp_path,
        {
            "decks/west.yaml": [
                ("playable_by: [west]", "playable_by: [west, north]"),
                ("mineral: lithium", "mineral: cobalt"),
                ("eligible: [msp]", "eligible: [quad, self]"),
                ("choices: [lithium, graphite]", "choices: [lithium, tin]"),
                ("on: [chn]", "on: [$mineral]"),
            ],
            "decks/east.yaml": [
                ("bloc: msp", "bloc: quad"),
                ("kind: party", "kind: party\n        choices: [usa, msp, moon]"),
            ],
        },
    )
    problems = scenario_problems(d)
    west = d / "decks" / "west.yaml"
    p = find(problems, "us-ira-credit/playable_by[1]")
    assert p.message == "unknown team 'north' (teams: west, east)" and p.line == line_of(west, "playable_by")
    p = find(problems, "us-ira-credit/effects[0].mineral")
    assert p.message == "unknown mineral 'cobalt' (expected a mineral id: lithium, graphite, or a $target of kind mineral)"
    p = find(problems, "us-ira-credit/effects[0].eligible[0]")
    assert "unknown actor or bloc 'quad'" in p.message and "self, all, others, rivals, allies" in p.message
    assert "us-ira-credit/effects[0].eligible[1]" not in "\n".join(map(str, problems))
    find(problems, "tariff-hike/targets[0].choices[1]: unknown mineral 'tin'")
    find(problems, "tariff-hike/effects[0].on[0]: $mineral is a target of kind mineral, but this field needs a target of kind actor, bloc or party")
    find(problems, "graphite-controls/conditions[0].bloc: unknown bloc 'quad'")
    find(problems, "graphite-controls/targets[0].choices[2]: unknown actor or bloc 'moon'")


def test_bloc_fields_and_conditions(tmp_path):
    extra = card(
        "    targets:\n      - {name: who, kind: actor}\n    conditions:\n"
        "      - {kind: played_before, card: nothing-like-it}\n      - {kind: has_capacity, mineral: tin, stage: processing, at_least: 1}\n"
        "      - {kind: played_before, card: clubs, team: north}\n"
        "      - {kind: has_capacity, mineral: $who, stage: extraction, at_least: 1}\n"
        "    effects:\n      - {kind: join_bloc, bloc: $who}\n      - {kind: leave_bloc, bloc: nato}\n",
        "clubs",
    )
    d = mini_copy(tmp_path, {"decks/east.yaml": [("cards:\n", "cards:\n" + extra)]})
    problems = scenario_problems(d)
    find(problems, "clubs/conditions[0].card: unknown card 'nothing-like-it'")
    find(problems, "clubs/conditions[1].mineral: unknown mineral 'tin'")
    find(problems, "clubs/conditions[2].team: unknown team 'north'")
    find(problems, "clubs/conditions[3].mineral: $who is a target of kind actor, but this field needs a target of kind mineral")
    find(problems, "clubs/effects[0].bloc: $who is a target of kind actor, but this field needs a target of kind bloc")
    find(problems, "clubs/effects[1].bloc: unknown bloc 'nato'")


def test_events_deck_and_timeline_checks(tmp_path):
    d = mini_copy(
        tmp_path,
        {
            "scenario.yaml": [
                (
                    "  - turn: 2\n    card: mine-strike\n    targets: {mineral: lithium}",
                    "  - turn: 9\n    card: mine-strike\n    targets: {minral: lithium}\n"
                    "  - turn: 1\n    card: tariff-hike\n"
                    "  - turn: 1\n    card: mine-strike\n    targets: {mineral: tin}",
                )
            ]
        },
    )
    problems = scenario_problems(d)
    find(problems, "timeline[0].turn: turn 9 is beyond the scenario's last turn (4)")
    find(problems, "timeline[0].targets.minral: card 'mine-strike' has no target 'minral' (did you mean 'mineral'?)")
    find(problems, "timeline[0].targets: missing target 'mineral'")
    find(problems, "timeline[1].card: 'tariff-hike' is not a card of the events deck 'events'")
    find(problems, "timeline[2].targets.mineral: unknown mineral 'tin'")


def test_events_deck_must_exist_and_be_of_kind_events(tmp_path):
    d = mini_copy(tmp_path, {"scenario.yaml": [("events_deck: events", "events_deck: west")]})
    find(scenario_problems(d), "events_deck: deck 'west' is of kind 'team'")
    d2 = mini_copy(tmp_path / "b", {"scenario.yaml": [("events_deck: events", "events_deck: happenings")]})
    find(scenario_problems(d2), "events_deck: no deck with id 'happenings'")


def test_deck_paths_must_stay_inside_the_scenario_directory(tmp_path):
    outside = tmp_path / "outside.yaml"
    shutil.copy(MINI / "decks" / "west.yaml", outside)
    d = mini_copy(
        tmp_path,
        {"scenario.yaml": [("  - decks/events.yaml\n", "  - decks/events.yaml\n  - decks/../../outside.yaml\n  - decks/missing.yaml\n  - link.yaml\n")]},
    )
    (d / "link.yaml").symlink_to(outside)
    problems = scenario_problems(d)
    find(problems, "decks[3]: deck path 'decks/../../outside.yaml' leaves the scenario's directory")
    find(problems, "decks[4]: deck file 'decks/missing.yaml' does not exist")
    find(problems, "decks[5]: deck path 'link.yaml' leads outside the scenario's directory")
    d2 = mini_copy(tmp_path / "abs", {"scenario.yaml": [("  - decks/west.yaml", f"  - {outside}")]})
    assert "decks[0]: expected a relative file path" in str(find(scenario_problems(d2), "decks[0]"))


def test_reserved_and_ambiguous_ids(tmp_path):
    d = mini_copy(tmp_path, {"scenario.yaml": [("  - id: msp\n", "  - id: usa\n")]})
    find(scenario_problems(d), "blocs[0].id: bloc id 'usa' is also an actor id")


def test_broken_deck_still_lets_other_problems_through(tmp_path):
    d = mini_copy(
        tmp_path,
        {"decks/west.yaml": [("cost: 2", "cost: many")], "decks/east.yaml": [("mineral: graphite", "mineral: gold")]},
    )
    problems = scenario_problems(d)
    find(problems, "us-ira-credit/cost")
    find(problems, "graphite-controls/effects[0].mineral: unknown mineral 'gold'")
    assert not any("no deck with id 'west'" in str(p) for p in problems)


# --------------------------------------------------------------------------- orders


ORDERS_BAD = """scenario: other
turns:
  - turn: 1
    orders:
      west:
        - card: tariff-hike
          actor: chn
          targets: {mineral: cobalt}
        - card: graphite-controls
          targets: {whom: usa}
        - card: us-ira-credit
          targets: {x: usa}
      east:
        - card: graphite-controls
        - card: no-card
      north: []
    injects:
      - card: tariff-hike
      - card: mine-strike
        targets: {mineral: tin}
    overrides:
      - {team: west, index: 5, action: veto, rationale: too strong}
      - {team: east, index: 0, action: amend, targets: {whom: nowhere}, rationale: fix target}
      - {team: south, index: 0, action: veto, rationale: nope}
      - {team: west, index: 1, action: lift, rationale: nothing was ruled}
      - {team: west, index: 0, action: veto, rationale: too soon}
      - {team: west, index: 0, action: lift, rationale: not too soon after all}
      - {team: west, index: 0, action: lift, rationale: one lift too many}
    withdraw:
      - {index: 1, card: tariff-hike, rationale: the second event was meant}
      - {index: 0, card: tariff-hike, rationale: the first event is gone}
      - {index: 0, card: mine-strike, rationale: and now the second}
      - {index: 0, card: mine-strike, rationale: one too many}
  - turn: 1
  - turn: 12
"""


def test_orders_are_checked_against_the_content(tmp_path):
    d = mini_copy(tmp_path)
    f = d / "orders.yaml"
    f.write_text(ORDERS_BAD)
    with pytest.raises(ContentError) as info:
        load_orders(f, load_scenario(d))
    problems = info.value.problems
    expect = {
        "scenario": "for scenario 'other'",
        "turns[0].orders.west[0].actor": "actor 'chn' is not played by team 'west'",
        "turns[0].orders.west[0].targets.mineral": "'cobalt' is not one of the choices",
        "turns[0].orders.west[1].card": "team 'west' does not draw from",
        "turns[0].orders.west[2].targets.x": "has no target 'x' (it takes no targets)",
        "turns[0].orders.east[0].targets": "missing target 'whom'",
        "turns[0].orders.east[1].card": "unknown card 'no-card'",
        "turns[0].orders.north": "unknown team 'north'",
        "turns[0].injects[0].card": "'tariff-hike' is not an event card",
        "turns[0].injects[1].targets.mineral": "unknown mineral 'tin'",
        "turns[0].overrides[0].index": "there is no order 5",
        "turns[0].overrides[1].targets.whom": "unknown actor or bloc 'nowhere'",
        "turns[0].overrides[2].team": "team 'south' gives no orders",
        "turns[0].overrides[3].action": "no override of team 'west' order 1 in force in turn 1: nothing to lift",
        "turns[0].overrides[6].action": "no override of team 'west' order 0 in force in turn 1",
        "turns[0].withdraw[0].card": "event 1 of turn 1 is 'mine-strike', not 'tariff-hike'",
        "turns[0].withdraw[3].index": "turn 1 has 0 event(s) left to withdraw",
        "turns[1].turn": "turn 1 is scripted twice",
        "turns[2].turn": "beyond the scenario's last turn (4)",
    }
    for where, text in expect.items():
        p = next((p for p in problems if p.where == where and text in p.message), None)
        assert p is not None, f"{where}: {text}\n" + "\n".join(map(str, problems))
        assert p.file == str(f) and p.line is not None
    assert find(problems, "turns[0].orders.west[0].actor").line == line_of(f, "actor: chn")
    assert len(problems) == len(expect)


def test_playable_by_limits_orders(tmp_path):
    d = mini_copy(
        tmp_path,
        {
            "decks/west.yaml": [("playable_by: [west]", "playable_by: [east]")],
            "scenario.yaml": [("decks: [east]", "decks: [east, west]")],
        },
    )
    f = d / "orders.yaml"
    f.write_text("turns:\n  - turn: 1\n    orders:\n      west:\n        - card: us-ira-credit\n")
    with pytest.raises(ContentError) as info:
        load_orders(f, load_scenario(d))
    find(info.value.problems, "turns[0].orders.west[0].card: card 'us-ira-credit' may only be played by east")


def test_check_paths_finds_orders_scenario_by_id_among_checked_paths(tmp_path):
    d = mini_copy(tmp_path)
    elsewhere = tmp_path / "scripts"
    elsewhere.mkdir()
    (elsewhere / "game.yml").write_text(
        "scenario: mini\nturns:\n  - turn: 1\n    orders:\n      east:\n        - card: graphite-controls\n"
        "          targets: {whom: atlantis}\n"
    )
    files, problems = check_paths([d, elsewhere])
    (p,) = problems
    assert p.file == str(elsewhere / "game.yml") and p.line == 7 and "unknown actor or bloc 'atlantis'" in p.message
    files, problems = check_paths([elsewhere])
    assert any("cannot check these orders against scenario 'mini'" in p.message for p in problems)


def test_orders_naming_no_scenario_are_checked_against_the_only_one_checked_with_them(tmp_path):
    d = mini_copy(tmp_path)
    elsewhere = tmp_path / "scripts"
    elsewhere.mkdir()
    (elsewhere / "game.yml").write_text(
        "turns:\n  - turn: 1\n    orders:\n      east:\n        - card: graphite-controls\n"
        "          targets: {whom: atlantis}\n"
    )
    files, problems = check_paths([d, elsewhere])
    (p,) = problems
    assert p.file == str(elsewhere / "game.yml") and "unknown actor or bloc 'atlantis'" in p.message
    # with two scenarios checked, an orders file naming neither cannot be placed
    other = tmp_path / "other"
    shutil.copytree(d, other)
    (other / "scenario.yaml").write_text((d / "scenario.yaml").read_text().replace("id: mini", "id: mini2", 1))
    files, problems = check_paths([d, other, elsewhere])
    assert any("cannot check these orders against a scenario" in p.message for p in problems)


# --------------------------------------------------------------------------- saves


def test_content_from_dicts_runs_the_same_checks():
    content = load_scenario(MINI)
    scenario, decks = content.to_dicts()
    scenario["actors"][0]["gdp"] = float("nan")
    decks[0]["cards"][0]["effects"][0]["mineral"] = "unobtainium"
    with pytest.raises(ContentError) as info:
        content_from_dicts(scenario, decks, "game.save")
    text = str(info.value)
    assert "game.save: scenario.actors[0].gdp: expected a finite number, got nan" in text

    scenario, decks = content.to_dicts()
    decks[0]["cards"][0]["effects"][0]["mineral"] = "unobtainium"
    decks[1]["cards"][0]["cost"] = 1000
    with pytest.raises(ContentError) as info:
        content_from_dicts(scenario, decks, "game.save")
    text = str(info.value)
    assert "game.save: us-ira-credit/effects[0].mineral: unknown mineral 'unobtainium'" in text
    assert "game.save: graphite-controls/cost: expected a whole number between 0 and 100, got 1000" in text


def test_content_from_dicts_refuses_non_plain_data():
    scenario, decks = load_scenario(MINI).to_dicts()
    scenario["description"]["en"] = object()
    with pytest.raises(ContentError) as info:
        content_from_dicts(scenario, decks, "<save>")
    assert "unsupported value of type object" in str(info.value)
    with pytest.raises(ContentError):
        content_from_dicts([], decks, "<save>")  # type: ignore[arg-type]
    nested: dict = {}
    cur = nested
    for _ in range(200):
        cur["x"] = {}
        cur = cur["x"]
    with pytest.raises(ContentError) as info:
        content_from_dicts(nested, decks, "<save>")
    assert "nesting is too deep" in str(info.value)


# --------------------------------------------------------------------------- corpus, reporting


def _corpus() -> list[Path]:
    return sorted(BAD.glob("*.yaml"))


@pytest.mark.parametrize("path", _corpus(), ids=lambda p: p.name)
def test_bad_content_corpus(path, both_parsers):
    expected = [
        line.split("expect:", 1)[1].strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# expect:")
    ]
    assert expected, f"{path.name} needs an '# expect:' line"
    files, problems = check_paths([path])
    assert files == [str(path)]
    assert problems, f"{path.name} was accepted"
    text = "\n".join(map(str, problems))
    for needle in expected:
        assert needle in text, f"{path.name}: expected {needle!r} in:\n{text}"
    for p in problems:
        assert p.file == str(path)
        if p.message != "file is empty":
            assert p.line is not None, str(p)


def test_whole_corpus_directory_is_checked_without_exceptions():
    files, problems = check_paths([BAD])
    assert len(files) == len(_corpus())
    assert {p.file for p in problems} == set(files)
    assert not Path("/tmp/wargame-pwned").exists()


def test_check_paths_reports_missing_paths_and_unknown_files(tmp_path):
    (tmp_path / "notes.yaml").write_text("title: hello\n")
    (tmp_path / "readme.txt").write_text("not yaml: at all: [")
    files, problems = check_paths([tmp_path, tmp_path / "ghost"])
    assert files == [str(tmp_path / "notes.yaml")]
    texts = [str(p) for p in problems]
    assert f"{tmp_path / 'ghost'}: no such file or directory" in texts
    assert any("cannot tell what this file is" in t for t in texts)


def test_problem_text_forms():
    assert str(Problem("a.yaml", 3, "c/effects[0].rate", "bad")) == "a.yaml:3: c/effects[0].rate: bad"
    assert str(Problem("a.yaml", None, "id", "bad")) == "a.yaml: id: bad"
    assert str(Problem("a.yaml", 7, "", "bad")) == "a.yaml:7: bad"
    assert str(Problem("a.yaml", None, "", "bad")) == "a.yaml: bad"
    err = ContentError([Problem("a", 1, "", "x"), Problem("b", None, "", "y")])
    assert str(err) == "a:1: x\nb: y"
    report = format_problems(err.problems)
    assert report.splitlines() == ["a:1: x", "b: y", "2 problems in 2 files"]


def test_flood_of_problems_is_capped(tmp_path):
    body = "".join(card("    cost: -1\n    effects:\n      - {kind: securitise, delta: 0.1}\n", f"c{i}") for i in range(400))
    problems = deck_problems(tmp_path, DECK_HEAD + body)
    assert len(problems) == loader.MAX_PROBLEMS_PER_FILE + 1
    assert "200 more problems not shown" in problems[-1].message


# --------------------------------------------------------------------------- fuzzing


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data):
    src, problems = loader.parse_yaml_bytes(data, "fuzz.yaml")
    assert src is not None or problems


_yamlish = st.lists(
    st.sampled_from(
        ["id:", " d", "\n", "  ", "- ", "cards:", "[", "]", "{", "}", ",", ":", "&a", "*a", "!!python/object:x",
         "!t", "'", '"', "#", "---", "...", "? ", "kind: tariff", "1.5", ".nan", "~", "|", ">", "%TAG ! x\n",
         "\t", "é", "\\e", "<<: ", "effects:", "1e999"]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(_yamlish)
def test_random_yamlish_text_never_raises(text):
    src, problems = loader.parse_yaml_bytes(text.encode("utf-8"), "fuzz.yaml")
    if src is not None:
        deck, more = loader._validate(loader.Deck, src)
        for p in problems + more:
            assert isinstance(str(p), str)
