"""Hostile saves: random damage to a real save never escapes as anything but a clean refusal
(SaveError), a divergence, or a verified replay."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wargame.game.session import Session
from wargame.model.records import Order
from wargame.store import save as store

JUNK = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=False),
                 st.text(max_size=12), st.lists(st.integers(), max_size=3),
                 st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))


@pytest.fixture(scope="module")
def document(content):
    s = Session.new(content, 5)
    s.submit("china", [Order(card="cn-export-control", targets={"mineral": "ree", "target": "usa"})],
             from_hand=False)
    s.resolve()
    s.submit("resource-states", [Order(card="rs-ore-ban", actor="idn", targets={"mineral": "nickel"})],
             from_hand=False)
    s.resolve()
    return store.to_document(s)


def _paths(obj, prefix=()):
    """Every (path) to a value inside a JSON document."""
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, prefix + (i,))


def _set(doc, path, value):
    target = doc
    for key in path[:-1]:
        target = target[key]
    if isinstance(target, list) and value is _DELETE:
        del target[path[-1]]
    elif isinstance(target, dict) and value is _DELETE:
        target.pop(path[-1])
    else:
        target[path[-1]] = value


_DELETE = object()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          database=None)
@given(data=st.data())
def test_random_damage_is_refused_cleanly(document, tmp_path_factory, data):
    paths = [p for p in _paths(document) if p and p[0] not in ("history",)]
    doc = copy.deepcopy(document)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        try:
            _set(doc, path, data.draw(st.one_of(JUNK, st.just(_DELETE))))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed the parent
    path = tmp_path_factory.mktemp("fuzz") / "save.json"
    path.write_text(json.dumps(doc))
    try:
        loaded = store.read(path)
    except store.SaveError as exc:
        assert str(path) in str(exc)
        return
    report = store.replay(loaded)
    assert report.ok or report.problem
