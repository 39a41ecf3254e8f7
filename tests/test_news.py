"""News lines: English as the engine writes them, the same line in Chinese from its
template, and nothing lost when a line is copied between processes."""

from __future__ import annotations

import pickle
import re
import string
from functools import lru_cache
from pathlib import Path

import pytest

from wargame.engine.news import EMPTY, TEMPLATES, News, Ref, Refs, english, news, render
from wargame.engine.world import build_world
from wargame.game.bots import play_bot_game
from wargame.model.loader import load_scenario

from conftest import BUILTIN

ENGINE = Path(__file__).resolve().parent.parent / "wargame" / "engine"
NAME_FIELDS = {"actor": "actor", "mineral": "mineral", "bloc": "bloc", "stage": "stage"}
LIST_FIELDS = {"who", "others", "hosts", "excluded", "blocked"}
LATIN = re.compile(r"[A-Za-z]")


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@lru_cache(maxsize=1)
def content():
    return load_scenario(BUILTIN)


@lru_cache(maxsize=1)
def games() -> list[News]:
    """Every news and event line of a few bot games with the built-in scenario."""
    lines = []
    for seed in range(6):
        for policy in ("hawk", "random"):
            session = play_bot_game(content(), seed, policy)
            for rec in session.records:
                lines.extend(rec.result.news)
                lines.extend(rec.result.events)
    return lines


def chinese_names(kind: str, ident: str) -> str:
    sc = content().scenario
    table = {"actor": sc.actors, "mineral": sc.minerals, "bloc": sc.blocs}.get(kind)
    if table is None:
        return {"extraction": "开采", "processing": "加工", "manufacturing": "制造"}[ident]
    return next(x.name.zh for x in table if x.id == ident)


def sample_args(key: str) -> dict:
    """Arguments of the right kind for every field of a template."""
    args = {}
    for name in fields(TEMPLATES[key]["en"]):
        if name in NAME_FIELDS:
            ident = {"actor": "usa", "mineral": "lithium", "bloc": "msp", "stage": "processing"}[name]
            args[name] = Ref(NAME_FIELDS[name], ident)
        elif name in LIST_FIELDS:
            args[name] = Refs((Ref("actor", "chn"), Ref("actor", "drc")))
        else:
            args[name] = 0.25
    return args


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_each_template_has_both_languages_with_the_same_fields(key):
    assert set(TEMPLATES[key]) == {"en", "zh"}
    assert fields(TEMPLATES[key]["en"]) == fields(TEMPLATES[key]["zh"])


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_each_template_reads_in_chinese_without_english_words(key):
    index, _ = build_world(content().scenario)
    line = news(index, key, **sample_args(key))
    assert str(line) == render(key, line.args, "en", english(index))
    zh = line.words("zh", chinese_names)
    assert not LATIN.search(zh), zh
    assert line.words("en", chinese_names) == str(line)  # English is the engine's own text


def test_every_template_is_used_by_the_engine():
    source = "".join(p.read_text(encoding="utf-8") for p in ENGINE.glob("*.py") if p.name != "news.py")
    unused = [key for key in TEMPLATES if f'"{key}"' not in source]
    assert not unused


def test_news_of_real_games_read_in_chinese():
    lines = games()
    assert len(lines) > 50
    keys = {line.key for line in lines}
    assert {"restrict", "subsidise", "market_boom", "backlash"} <= keys
    for line in lines:
        assert isinstance(line, News) and line.key in TEMPLATES, line
        zh = line.words("zh", chinese_names)
        assert zh != str(line)
        assert not LATIN.search(zh), (str(line), zh)


def test_lists_use_the_language_separator_and_the_word_for_none():
    index, _ = build_world(content().scenario)
    line = news(index, "subsidise", actor=Ref("actor", "usa"), amount=5.0, stage=Ref("stage", "processing"),
                mineral=Ref("mineral", "lithium"), cost=1.5, n=5,
                excluded=Refs((Ref("actor", "eu"), Ref("actor", "jpn")), "none"))
    assert str(line).endswith("excluded allies: European Union, Japan")
    assert line.words("zh", chinese_names).endswith("欧盟、日本")
    alone = news(index, "subsidise", actor=Ref("actor", "usa"), amount=5.0, stage=Ref("stage", "processing"),
                 mineral=Ref("mineral", "lithium"), cost=1.5, n=1, excluded=Refs((), "none"))
    assert str(alone).endswith("excluded allies: none")
    assert alone.words("zh", chinese_names).endswith(EMPTY["none"]["zh"])


def test_a_news_line_survives_pickling_with_its_template():
    line = games()[0]
    copy = pickle.loads(pickle.dumps(line))
    assert copy == line and copy.key == line.key and copy.args == line.args
    assert copy.words("zh", chinese_names) == line.words("zh", chinese_names)


def test_a_plain_line_reads_the_same_in_every_language():
    plain = News("a line from elsewhere")
    assert plain.words("zh", chinese_names) == "a line from elsewhere"
