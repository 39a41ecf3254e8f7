"""Safe loading and checking of content files: scenarios, decks and orders.

Files are read with a restricted YAML loader built on PyYAML's *compose* step
(``wargame.model.yamlread``, imported on first use):
the node tree is turned into plain data by our own code, so nothing in a file
is ever constructed as a Python object, let alone executed. Hostile input
(alias bombs, deep nesting, huge files, custom tags, bad encodings) is refused
with a ``Problem`` naming the file and line; no exception but ``ContentError``
ever leaves this module.

The YAML dialect is the YAML 1.2 core schema: only ``true``/``false`` are
booleans (so ``no``, Norway's id, stays text), only decimal numbers are
numbers, dates stay text, and ``<<`` merge keys are ordinary keys.
"""

from __future__ import annotations

import json
import math
import os
import re
import types
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, Tag, ValidationError
from pydantic.fields import FieldInfo

from wargame.terminal import DIRECTION_MARKS, is_direction_mark
from wargame.model.common import Id
from wargame.model.content import (
    ID_RE,
    Content,
    ContentError,
    DeckSource,
    PathT,
    Problem,
    Source,
    check_deck_alone,
    check_orders,
    check_scenario,
    clean,
    fmt_number,
    fresh_suggestions,
    id_list,
    show,
    sort_problems,
    suggest,
)
from wargame.model.deck import Card, Condition, Deck
from wargame.model.effects import EFFECT_KINDS, Effect, Ref
from wargame.model.records import OrdersFile
from wargame.model.scenario import Scenario
from wargame.paths import scenario_file

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "MAX_PROBLEMS_PER_FILE",
    "Content",
    "ContentError",
    "Problem",
    "check_paths",
    "content_from_dicts",
    "format_problems",
    "load_deck",
    "load_orders",
    "load_scenario",
    "read_yaml",
]

MAX_FILE_BYTES = 1024 * 1024
"""Largest content file accepted (1 MiB); checked before reading."""
MAX_DEPTH = 40
"""Deepest nesting of lists and mappings accepted."""
MAX_NODES = 200_000
"""Most YAML values (scalars, lists, mappings) accepted in one file."""
MAX_PROBLEMS_PER_FILE = 200
"""Past this many problems in one file, the rest are summarised in one line."""
MAX_NUMBER_DIGITS = 40

# control characters (terminal escapes) other than tab, newline and carriage return, C1
# controls and lone surrogates
_BAD_CHAR = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ud800-\\udfff{DIRECTION_MARKS}]")


def bad_char(text: str) -> str | None:
    """A message when text holds control characters (terminal escapes), lone surrogates,
    or the marks that reorder text right to left (they can make a line read otherwise
    than it is written)."""
    found = _BAD_CHAR.search(text)
    if found is None:
        return None
    code = ord(found.group())
    what = "a text-direction mark" if is_direction_mark(found.group()) else "a control character"
    return f"text holds {what} (U+{code:04X}), which content files may not contain"


def one_line(text: str) -> str:
    """Text from outside (a file name, a note) as one line that is safe to print: control
    characters, lone surrogates (bytes of a name that were not UTF-8) and text-direction
    marks become "?", and each run of whitespace (line breaks included) one space."""
    return " ".join(_BAD_CHAR.sub("?", text).split())


# --------------------------------------------------------------------------- YAML reading
# The reader lives in wargame.model.yamlread, imported on first use: reading a save
# (JSON) never needs PyYAML.


def read_yaml(path: str | Path, display: str | None = None) -> tuple[Source | None, list[Problem]]:
    """Read one YAML content file safely into a ``Source`` (plain data plus lines);
    ``(None, problems)`` when it cannot be read at all (see ``wargame.model.yamlread``)."""
    from wargame.model import yamlread

    return yamlread.read_yaml(path, display)


def parse_yaml_bytes(raw: bytes, file: str) -> tuple[Source | None, list[Problem]]:
    """Parse the bytes of a content file (see ``read_yaml``)."""
    from wargame.model import yamlread

    return yamlread.parse_yaml_bytes(raw, file)



def _plain_source(data: Any, file: str, prefix: str = "") -> tuple[Source, list[Problem]]:
    """Wrap data that did not come from YAML (a save) and check it holds only plain, finite values."""
    src = Source(file, data, prefix=prefix)
    problems: list[Problem] = []
    if not isinstance(data, dict):
        problems.append(src.problem((), f"expected a mapping, got {show(data)}"))
        return src, problems
    stack: list[tuple[Any, PathT, int]] = [(data, (), 1)]
    nodes = 0
    while stack:
        value, path, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            problems.append(src.problem((), f"too many values (the limit is {MAX_NODES:,})"))
            break
        if isinstance(value, dict) or isinstance(value, (list, tuple)):
            if depth > MAX_DEPTH:
                problems.append(src.problem(path, f"nesting is too deep (more than {MAX_DEPTH} levels)"))
                continue
            if isinstance(value, dict):
                for key, item in value.items():
                    if not isinstance(key, str):
                        problems.append(src.problem(path, f"keys must be text, got {show(key)}"))
                        continue
                    stack.append((item, path + (key,), depth + 1))
            else:
                stack.extend((item, path + (i,), depth + 1) for i, item in enumerate(value))
        elif isinstance(value, str):
            bad = bad_char(value)
            if bad:
                problems.append(src.problem(path, bad))
        elif isinstance(value, float):
            if not math.isfinite(value):
                problems.append(src.problem(path, f"expected a finite number, got {show(value)}"))
        elif value is None or isinstance(value, (bool, int)):
            pass
        else:
            problems.append(src.problem(path, f"unsupported value of type {clean(type(value).__name__)}"))
    return src, problems


# --------------------------------------------------------------------------- schema errors


def _union_members(tp: Any) -> tuple:
    return tuple(a for a in get_args(tp) if a is not type(None))


def _unwrap(tp: Any, meta: list) -> Any:
    while tp is not None:
        origin = get_origin(tp)
        if origin is Annotated:
            args = get_args(tp)
            tp = args[0]
            for m in args[1:]:
                if isinstance(m, FieldInfo):
                    meta.extend(m.metadata)
                else:
                    meta.append(m)
            continue
        if origin in (Union, types.UnionType):
            members = _union_members(tp)
            if len(members) == 1:
                tp = members[0]
                continue
        break
    return tp


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


_EFFECT_MODELS = frozenset(_union_members(_unwrap(Effect, [])))
_CONDITION_MODELS = frozenset(_union_members(_unwrap(Condition, [])))


def _field(model: type[BaseModel], name: str) -> FieldInfo | None:
    info = model.model_fields.get(name)
    if info is not None and info.alias in (None, name):
        return info
    for fname, finfo in model.model_fields.items():
        if finfo.alias == name:
            return finfo
    return None


def _field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


@dataclass
class _Loc:
    path: list[str | int] = field(default_factory=list)
    tp: Any = None
    meta: list = field(default_factory=list)
    owner: type[BaseModel] | None = None
    is_key: bool = False
    union: tuple = ()


def _walk(model: type[BaseModel], loc: Sequence[str | int]) -> _Loc:
    """Follow a pydantic error location through the model, dropping union tags."""
    out = _Loc(tp=model)
    key_tp = None
    for elem in loc:
        tp = _unwrap(out.tp, out.meta)
        if elem == "[key]" and key_tp is not None:
            out.is_key, out.tp, out.meta, key_tp = True, key_tp, [], None
            continue
        key_tp = None
        if _is_model(tp) and isinstance(elem, str):
            info = _field(tp, elem)
            out.owner = tp
            out.path.append(elem)
            out.meta = list(info.metadata) if info else []
            out.tp = info.annotation if info else None
            continue
        origin = get_origin(tp)
        if origin in (Union, types.UnionType) and isinstance(elem, str):
            member = next(
                (m for m in _union_members(tp) if _is_model(m) and _has_tag(m, elem)), None
            )
            if member is not None:
                out.tp, out.meta = member, []
                continue
            tagged = next((m for m in _union_members(tp) if _tag_of(m) == elem), None)
            if tagged is not None:  # a member picked by a callable discriminator's Tag
                out.meta = []
                out.tp = _unwrap(tagged, out.meta)
                continue
        if origin in (list, tuple) and isinstance(elem, int):
            args = get_args(tp)
            out.path.append(elem)
            out.meta = []
            if origin is tuple and args and args[-1] is not Ellipsis:
                out.tp = args[elem] if elem < len(args) else None
            else:
                out.tp = args[0] if args else None
            continue
        if origin is dict:
            args = get_args(tp)
            out.path.append(elem)
            out.meta = []
            key_tp, out.tp = (args[0], args[1]) if len(args) == 2 else (None, None)
            continue
        out.path.append(elem)
        out.tp, out.meta = None, []
    out.tp = _unwrap(out.tp, out.meta)
    if get_origin(out.tp) in (Union, types.UnionType):
        out.union = _union_members(out.tp)
    return out


def _tag_of(member: Any) -> str | None:
    """The ``Tag`` an ``Annotated`` union member carries (pydantic puts it in error locations)."""
    if get_origin(member) is Annotated:
        return next((m.tag for m in get_args(member)[1:] if isinstance(m, Tag)), None)
    return None


def _has_tag(model: type[BaseModel], tag: str) -> bool:
    for disc in ("kind", "type"):
        info = model.model_fields.get(disc)
        if info is not None and tag in get_args(info.annotation):
            return True
    return False


def _pattern(tp_meta: Any) -> str:
    return getattr(get_args(tp_meta)[1], "pattern", "") if get_args(tp_meta) else ""


_PATTERN_WORDS = {
    _pattern(Id): "an id (lower-case letters a-z, digits, '-' or '_', starting with a letter or digit, at most 48 characters)",
    _pattern(Ref): "an id, a selector (self, all, others, rivals, allies) or a $target reference",
    r"^[a-z][a-z0-9_]{0,31}$": "a name of lower-case letters, digits and '_', starting with a letter (at most 32 characters)",
    r"^[A-Za-z0-9_][A-Za-z0-9_./-]{0,199}$": "a relative file path (letters, digits, '_', '-', '.', '/'; at most 200 characters)",
    r"^[0-9a-f]{64}$": "a 64-character lower-case hex digest",
}


def _bounds(meta: list) -> dict[str, float]:
    out: dict[str, float] = {}
    for m in meta:
        for attr in ("gt", "ge", "lt", "le"):
            v = getattr(m, attr, None)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                out[attr] = v
    return out


def _range_words(b: dict[str, float]) -> str:
    lo = ("ge", b["ge"]) if "ge" in b else ("gt", b["gt"]) if "gt" in b else None
    hi = ("le", b["le"]) if "le" in b else ("lt", b["lt"]) if "lt" in b else None
    if lo and hi and lo[0] == "ge" and hi[0] == "le":
        return f"between {fmt_number(lo[1])} and {fmt_number(hi[1])}"
    words = []
    if lo:
        words.append(("at least " if lo[0] == "ge" else "greater than ") + fmt_number(lo[1]))
    if hi:
        words.append(("at most " if hi[0] == "le" else "less than ") + fmt_number(hi[1]))
    return " and ".join(words)


def _number_word(tp: Any) -> str:
    return "a whole number" if tp is int else "a number"


_TARGET_REF_RE = re.compile(r"effects\[(\d+)\]\.(\w+) refers to \$(\w+)")


def _translate(err: dict, model: type[BaseModel], src: Source) -> Problem | None:
    loc = _walk(model, err.get("loc", ()))
    path = list(loc.path)
    etype = err.get("type", "")
    ctx = err.get("ctx") or {}
    value = err.get("input")
    got = f", got {show(value)}"
    last = path[-1] if path else ""
    message: str

    if etype == "missing":
        message = f"missing required field '{last}'"
    elif etype == "extra_forbidden":
        allowed = _field_names(loc.owner) if loc.owner else []
        message = f"unknown field '{clean(str(last))}'{suggest(str(last), allowed)}" + (
            f" (allowed: {', '.join(allowed)})" if allowed else ""
        )
    elif etype in ("union_tag_invalid", "union_tag_not_found"):
        members = set(loc.union)
        if members and members <= _EFFECT_MODELS:
            what, kinds = "effect kind", list(EFFECT_KINDS)
        elif members and members <= _CONDITION_MODELS:
            what, kinds = "condition kind", [get_args(m.model_fields["kind"].annotation)[0] for m in loc.union]
        else:
            what, kinds = "kind", [k.strip("'\" ") for k in str(ctx.get("expected_tags", "")).split(",") if k.strip()]
        disc = str(ctx.get("discriminator", "'kind'")).strip("'\"")
        if not kinds:  # (pydantic names the tags only when one is given) the members' own tags
            kinds = [str(get_args(m.model_fields[disc].annotation)[0]) for m in loc.union
                     if _is_model(m) and disc in m.model_fields and get_args(m.model_fields[disc].annotation)]
        path.append(disc)
        if etype == "union_tag_invalid":
            tag = ctx.get("tag", "")
            message = f"unknown {what} '{clean(str(tag))}'{suggest(str(tag), kinds)} (expected one of: {', '.join(kinds)})"
        else:
            if isinstance(value, dict) and disc in value:
                message = f"'{disc}' must be text naming the {what}, got {show(value[disc])} (expected one of: {', '.join(kinds)})"
            elif isinstance(value, dict):
                path.pop()
                message = f"missing field '{disc}' (expected one of: {', '.join(kinds)})"
            else:
                path.pop()
                message = f"expected a mapping (key: value lines){got}"
    elif etype in ("int_type", "int_parsing", "int_from_float"):
        rng = _range_words(_bounds(loc.meta))
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            got = f", got the decimal number {value!r} (write {int(value)})"
        message = "expected a whole number" + (f" {rng}" if rng else "") + got
    elif etype in ("float_type", "float_parsing"):
        rng = _range_words(_bounds(loc.meta))
        message = "expected a number" + (f" {rng}" if rng else "") + got
    elif etype == "finite_number":
        message = f"expected a finite number{got}"
    elif etype in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        b = _bounds(loc.meta) or {k: v for k, v in ctx.items() if k in ("gt", "ge", "lt", "le")}
        message = f"expected {_number_word(loc.tp)} {_range_words(b)}{got}"
    elif etype in ("string_type", "string_sub_type"):
        pat = next((getattr(m, "pattern", None) for m in loc.meta if getattr(m, "pattern", None)), None)
        what = _PATTERN_WORDS.get(pat or "", "text")
        message = f"expected {what}{got}"
    elif etype == "string_pattern_mismatch":
        what = _PATTERN_WORDS.get(str(ctx.get("pattern", "")), f"text matching {clean(str(ctx.get('pattern', '')))}")
        message = f"expected {what}{got}"
        if loc.is_key:
            message = f"invalid key {show(value)}: expected {what}"
    elif etype == "string_too_short":
        message = "expected non-empty text" if ctx.get("min_length", 1) <= 1 else f"expected text of at least {ctx['min_length']} characters{got}"
    elif etype == "string_too_long":
        length = len(value) if isinstance(value, str) else "?"
        message = f"expected text of at most {ctx.get('max_length')} characters, got {length}"
    elif etype == "too_short":
        n = ctx.get("min_length")
        message = f"expected at least {n} item{'s' if n != 1 else ''}, got {ctx.get('actual_length')}"
    elif etype == "too_long":
        n = ctx.get("max_length")
        message = f"expected at most {n} item{'s' if n != 1 else ''}, got {ctx.get('actual_length')}"
    elif etype in ("list_type", "tuple_type", "set_type"):
        message = f"expected a list{got}"
    elif etype in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        message = f"expected a mapping (key: value lines){got}"
    elif etype == "literal_error":
        options = [o for o in get_args(loc.tp)] if get_origin(loc.tp) is not None else []
        if len(options) == 1:
            only = options[0]
            message = f"expected {only!r}" + (" (the only supported format version)" if last == "format" else "") + got
        elif options:
            message = f"expected one of: {', '.join(str(o) for o in options)}{got}{suggest(value, [str(o) for o in options])}"
        else:
            message = f"expected {clean(str(ctx.get('expected', '')))}{got}"
    elif etype in ("value_error", "assertion_error"):
        text = str(err.get("msg", ""))
        for prefix in ("Value error, ", "Assertion failed, "):
            if text.startswith(prefix):
                text = text[len(prefix):]
        m = _TARGET_REF_RE.match(text)
        if m:
            i, fld, name = int(m.group(1)), m.group(2), m.group(3)
            path += ["effects", i, "with" if fld == "with_" else fld]
            declared = _declared_targets(src, path)
            has = f"declared: {id_list(declared)}" if declared else "it declares no targets"
            message = f"refers to ${name}, but the card has no target named '{name}'{suggest(name, declared)} ({has})"
        elif text == "two targets share a name":
            path.append("targets")
            message = "two targets share a name; each target needs its own name"
        else:
            message = clean(text)
    elif etype == "bool_type":
        message = f"expected true or false{got}"
    elif etype == "none_required":
        message = f"expected nothing (null){got}"
    else:
        message = clean(str(err.get("msg", "invalid value"))) + got
    if src.under_bad(path):
        return None
    return src.problem(path, message)


def _declared_targets(src: Source, path: list) -> list[str]:
    try:
        card = src.data["cards"][path[1]]
        return [t["name"] for t in card.get("targets", []) if isinstance(t, dict) and isinstance(t.get("name"), str)]
    except (KeyError, IndexError, TypeError, AttributeError):
        return []


def _validate(model: type[BaseModel], src: Source) -> tuple[Any, list[Problem]]:
    """Validate a source's data against a model (strictly: no text-to-number coercion)."""
    try:
        text = json.dumps(src.data, allow_nan=False)
    except (TypeError, ValueError) as exc:
        return None, [Problem(src.file, None, "", f"data cannot be validated ({clean(str(exc))[:200]})")]
    try:
        return model.model_validate_json(text, strict=True), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            try:
                p = _translate(err, model, src)
            except Exception:  # pragma: no cover - translation must never hide a problem
                p = src.problem(tuple(x for x in err.get("loc", ()) if isinstance(x, (str, int))), clean(str(err.get("msg"))))
            if p is not None:
                problems.append(p)
        if not problems and not src.bad:  # (errors under values already reported are dropped)
            problems.append(Problem(src.file, None, "", "the file does not match the schema"))
        return None, problems


def _cap(problems: list[Problem]) -> list[Problem]:
    """Sort and cap problems per file so a hostile file cannot flood the report."""
    by_file: dict[str, list[Problem]] = {}
    for p in sort_problems(problems):
        by_file.setdefault(p.file, []).append(p)
    out: list[Problem] = []
    for file, items in by_file.items():
        if len(items) > MAX_PROBLEMS_PER_FILE:
            rest = len(items) - MAX_PROBLEMS_PER_FILE
            last_line = items[MAX_PROBLEMS_PER_FILE - 1].line
            items = items[:MAX_PROBLEMS_PER_FILE] + [
                Problem(file, last_line, "", f"… and {rest} more problems not shown", more=rest)
            ]
        out.extend(items)
    return out


# --------------------------------------------------------------------------- decks


def _deck_source(src: Source | None, probs: list[Problem]) -> tuple[DeckSource | None, list[Problem]]:
    if src is None:
        return None, probs
    src.is_deck = True
    # rebuild the where of problems found while reading (card ids are known now)
    problems = [p for p in probs]
    deck, vprobs = _validate(Deck, src)
    problems += vprobs
    data = src.data if isinstance(src.data, dict) else {}
    raw_id = data.get("id")
    deck_id = raw_id.strip() if isinstance(raw_id, str) and ID_RE.match(raw_id.strip()) else None
    kind = data.get("kind", "team")
    kind = kind if kind in ("team", "events") else None
    raw_cards = data.get("cards") if isinstance(data.get("cards"), list) else []
    raw_ids = {
        c["id"].strip() for c in raw_cards
        if isinstance(c, dict) and isinstance(c.get("id"), str)
    }
    if deck is not None:
        cards = list(enumerate(deck.cards))
        problems += check_deck_alone(deck, src)
    else:
        cards = []
        for i, raw in enumerate(raw_cards[:500]):  # a deck holds at most 500 cards
            try:
                cards.append((i, Card.model_validate_json(json.dumps(raw, allow_nan=False), strict=True)))
            except (ValidationError, TypeError, ValueError):
                pass
    return DeckSource(src, deck, deck_id, kind, cards, raw_ids), problems


def _read_deck(path: Path, display: str) -> tuple[DeckSource | None, list[Problem]]:
    src, probs = read_yaml(path, display)
    wrong = _wrong_kind(src, "deck")
    if wrong is not None:
        return None, probs + [wrong]
    if src is not None:
        src.is_deck = True
        # problems found while reading used paths without card ids; redo their where
        probs = [_rewhere(src, p) for p in probs]
    return _deck_source(src, probs)


def _rewhere(src: Source, p: Problem) -> Problem:
    if p.where.startswith("cards["):
        m = re.match(r"^cards\[(\d+)\](.*)$", p.where)
        if m:
            label = src.card_label(int(m.group(1)))
            rest = m.group(2).lstrip(".")
            return Problem(p.file, p.line, f"{label}/{rest}" if rest else label, p.message)
    return p


@fresh_suggestions
def load_deck(path: str | Path) -> Deck:
    """Load one deck file; raises ContentError listing every problem found."""
    ds, problems = _read_deck(Path(path), str(path))
    if problems or ds is None or ds.deck is None:
        raise ContentError(_cap(problems) or [Problem(str(path), None, "", "the deck could not be loaded")])
    return ds.deck


# --------------------------------------------------------------------------- scenarios


@dataclass
class _Loaded:
    content: Content | None
    problems: list[Problem]
    files: list[str]
    deck_files: set[Path]
    scenario_id: str | None


_PATH_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_./-]{0,199}$")


def _deck_path_problem(rel: str, base: Path) -> str | None:
    if rel.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", rel) or os.path.isabs(rel):
        return f"deck path '{clean(rel)}' is absolute; list deck files relative to the scenario's directory"
    parts = re.split(r"[/\\]", rel)
    if ".." in parts:
        return f"deck path '{clean(rel)}' leaves the scenario's directory ('..' is not allowed)"
    target = base / rel
    try:
        resolved = target.resolve()
        if not resolved.is_relative_to(base.resolve()):
            return f"deck path '{clean(rel)}' leads outside the scenario's directory"
    except (OSError, RuntimeError):
        return f"deck path '{clean(rel)}' cannot be resolved"
    if not target.exists():
        return f"deck file '{clean(rel)}' does not exist (looked in {clean(str(base))})"
    if not target.is_file():
        return f"deck path '{clean(rel)}' is not a file"
    return None


def _load_scenario(path: str | Path) -> _Loaded:
    file_path = scenario_file(Path(path))
    file = str(file_path)
    src, problems = read_yaml(file_path, file)
    files = [file]
    wrong = _wrong_kind(src, "scenario")
    if src is None or wrong is not None:
        return _Loaded(None, problems + ([wrong] if wrong else []), files, set(), None)
    scenario, vprobs = _validate(Scenario, src)
    problems += vprobs
    data = src.data if isinstance(src.data, dict) else {}
    if scenario is not None:
        deck_paths = list(scenario.decks)
    else:
        raw = data.get("decks")
        deck_paths = [d for d in raw if isinstance(d, str)] if isinstance(raw, list) else []
    raw_id = data.get("id")
    scenario_id = raw_id if isinstance(raw_id, str) else None

    base = file_path.parent
    decks: list[DeckSource] = []
    unread: list[str] = []  # listed deck files that could not be read, by name
    deck_files: set[Path] = set()
    for k, rel in enumerate(deck_paths):
        rel = rel.strip()
        if scenario is None and not _PATH_RE.match(rel):
            continue  # the schema problem already names it
        bad = _deck_path_problem(rel, base)
        if bad:
            if not src.under_bad(("decks", k)):
                problems.append(src.problem(("decks", k), bad))
            continue
        deck_path = base / rel
        try:
            resolved = deck_path.resolve()
            if resolved in deck_files:
                problems.append(src.problem(("decks", k), f"deck file '{clean(rel)}' is listed twice; list each once"))
                continue
            deck_files.add(resolved)
        except OSError:
            pass
        display = str(deck_path)
        files.append(display)
        ds, dprobs = _read_deck(deck_path, display)
        problems += dprobs
        if ds is not None:
            decks.append(ds)
        else:
            unread.append(clean(rel))

    if scenario is None:
        return _Loaded(None, problems, files, deck_files, scenario_id)
    problems += check_scenario(scenario, src, decks, unread)
    if problems or any(ds.deck is None for ds in decks):
        return _Loaded(None, problems, files, deck_files, scenario_id)
    content = Content(scenario, {ds.deck.id: ds.deck for ds in decks if ds.deck}, file)
    return _Loaded(content, problems, files, deck_files, scenario_id)


@fresh_suggestions
def load_scenario(path: str | Path) -> Content:
    """Load a scenario file (or a directory holding scenario.yaml) with the decks it lists.

    Raises ContentError listing every problem found in the scenario and its decks.
    """
    loaded = _load_scenario(path)
    if loaded.problems or loaded.content is None:
        raise ContentError(_scenario_first(_cap(loaded.problems), {loaded.files[0]})
                           or [Problem(str(path), None, "", "the scenario could not be loaded")])
    return loaded.content


def validate_plain(model: type[BaseModel], data: Any, origin: str) -> tuple[Any, list[Problem]]:
    """Validate data that did not come from YAML (part of a save) against a model, with
    the same checks and wording as a content file."""
    src, problems = _plain_source(data, origin)
    if problems:
        return None, problems
    return _validate(model, src)


@fresh_suggestions
def content_from_dicts(scenario: dict, decks: list[dict], origin: str) -> Content:
    """Validate content embedded in a save: same schema and cross checks, no files."""
    problems: list[Problem] = []
    ssrc, probs = _plain_source(scenario, origin, prefix="scenario")
    problems += probs
    sc = None
    if not probs:
        sc, vprobs = _validate(Scenario, ssrc)
        problems += vprobs
    sources: list[DeckSource] = []
    if not isinstance(decks, (list, tuple)):
        problems.append(Problem(origin, None, "decks", f"expected a list of decks, got {show(decks)}"))
        decks = []
    for k, deck in enumerate(decks):
        dsrc, dprobs = _plain_source(deck, origin, prefix=f"decks[{k}]")
        dsrc.is_deck = True
        problems += dprobs
        if dprobs:
            continue
        ds, vprobs = _deck_source(dsrc, [])
        problems += vprobs
        if ds is not None:
            sources.append(ds)
    if sc is not None:
        problems += check_scenario(sc, ssrc, sources)
    if problems or sc is None or any(ds.deck is None for ds in sources):
        raise ContentError(_cap(problems) or [Problem(origin, None, "", "the content could not be loaded")])
    return Content(sc, {ds.deck.id: ds.deck for ds in sources if ds.deck}, origin)


# --------------------------------------------------------------------------- orders


def _check_orders_source(src: Source, content: Content | None) -> tuple[OrdersFile | None, list[Problem]]:
    orders, problems = _validate(OrdersFile, src)
    if orders is not None and content is not None:
        problems += check_orders(orders, src, content)
    return orders, problems


@fresh_suggestions
def load_orders(path: str | Path, content: Content) -> OrdersFile:
    """Load an orders file and check it against the content it will be played with."""
    src, problems = read_yaml(path, str(path))
    orders = None
    wrong = _wrong_kind(src, "orders")
    if wrong is not None:
        problems.append(wrong)
    elif src is not None:
        orders, more = _check_orders_source(src, content)
        problems += more
    if problems or orders is None:
        raise ContentError(_cap(problems) or [Problem(str(path), None, "", "the orders could not be loaded")])
    return orders


# --------------------------------------------------------------------------- checking many files


_YAML_SUFFIXES = (".yaml", ".yml")


def _walk_dir(root: Path) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
        for name in sorted(filenames):
            if name.lower().endswith(_YAML_SUFFIXES) and not name.startswith("."):
                found.append(Path(dirpath) / name)
    return found


_KIND_KEY = {"scenario": "actors", "deck": "cards", "orders": "turns"}


def _wrong_kind(src: Source | None, expected: str) -> Problem | None:
    """One clear line when a file of another kind was given where a ``expected`` file
    belongs (a deck as the scenario, a save as the orders, ...), instead of a screenful
    of unknown and missing fields."""
    data = src.data if src is not None else None
    if not isinstance(data, dict):
        return None
    if data.get("format") == "wargame-save":
        what = "a wargame save"
    else:
        kind = _kind_of(src)  # (told by its keys, as `wargame check` tells them)
        if kind is None or kind == expected:
            return None
        what = f"a{'n' if kind[0] in 'aeiou' else ''} {kind} file (it has '{_KIND_KEY[kind]}:')"
    article = "an" if expected[0] in "aeiou" else "a"
    return src.problem((), f"this is {what}, not {article} {expected} file")


def _inside(path: Path, root: Path) -> bool:
    """Whether a link leads inside ``root``; a link that leads nowhere (a loop, a dangling
    link) counts as inside, and reading it reports what is wrong."""
    try:
        return path.resolve(strict=True).is_relative_to(root)
    except (OSError, RuntimeError):
        return True


def _kind_of(src: Source) -> str | None:
    data = src.data
    if not isinstance(data, dict):
        return None
    if "actors" in data:
        return "scenario"
    if "cards" in data:
        return "deck"
    if "turns" in data:
        return "orders"
    return None


@fresh_suggestions
def check_paths(paths: Sequence[str | Path]) -> tuple[list[str], list[Problem]]:
    """Check content files and directories (recursing into every *.yaml / *.yml).

    The kind of each file is told by its top-level keys: ``actors`` (scenario),
    ``cards`` (deck), ``turns`` (orders). Scenarios are checked with the decks
    they list; orders against the scenario in their directory, or the one
    their ``scenario:`` field names among the checked files. Returns the files
    checked and every problem found, sorted by file and line.
    """
    problems: list[Problem] = []
    candidates: list[tuple[str, Path]] = []
    for given in paths:
        p = Path(given)
        try:
            if p.is_dir():
                root = p.resolve()
                for f in _walk_dir(p):
                    if f.is_symlink() and not _inside(f, root):
                        # as a scenario's deck list does, never follow a link out of the folder
                        problems.append(Problem(str(f), None, "", "is a link to a file outside the folder being "
                                                "checked, so it is not read; name that file itself to check it"))
                    else:
                        candidates.append((str(f), f))
            elif p.exists() or p.is_symlink():
                candidates.append((str(p), p))
            else:
                problems.append(Problem(str(given), None, "", "no such file or directory"))
        except OSError as exc:
            problems.append(Problem(str(given), None, "", f"cannot read: {clean(exc.strerror or str(exc))}"))

    seen: set[Path] = set()
    files: list[str] = []
    parsed: list[tuple[str, Path, Source]] = []
    for display, p in candidates:
        try:
            key = p.resolve()
        except (OSError, RuntimeError):
            key = p.absolute()
        if key in seen:
            continue
        seen.add(key)
        files.append(display)
        src, probs = read_yaml(p, display)
        if src is None:
            problems += probs
            continue
        kind = _kind_of(src)
        if kind is None:
            problems += probs
            problems.append(Problem(display, src.line(()), "", "cannot tell what this file is: expected a scenario (with `actors:`), a deck (with `cards:`) or an orders file (with `turns:`)"))
            continue
        parsed.append((kind, p, src))
        if kind == "orders":
            problems += probs  # scenarios and decks are read again below, with full context

    # scenarios, with their decks
    scenario_results: list[tuple[Path, _Loaded]] = []
    covered: set[Path] = set()
    for kind, p, src in parsed:
        if kind != "scenario":
            continue
        loaded = _load_scenario(p)
        scenario_results.append((p, loaded))
        problems += loaded.problems
        covered |= loaded.deck_files
        for f in loaded.files:
            if f not in files:
                files.append(f)

    # decks no scenario listed
    for kind, p, src in parsed:
        if kind != "deck":
            continue
        try:
            key = p.resolve()
        except (OSError, RuntimeError):
            key = p.absolute()
        if key in covered:
            continue
        _, dprobs = _read_deck(p, str(src.file))
        problems += dprobs

    # orders files, against a scenario
    for kind, p, src in parsed:
        if kind != "orders":
            continue
        wanted = src.data.get("scenario") if isinstance(src.data, dict) else None
        wanted = wanted if isinstance(wanted, str) else None
        chosen = _scenario_for_orders(p, wanted, scenario_results)
        same_id = [sp for sp, loaded in scenario_results if wanted is not None and loaded.scenario_id == wanted]
        if chosen is not None and len(same_id) > 1 and not _same_folder(chosen[0], p):
            # not beside the orders file, and two checked scenarios answer to its name
            problems.append(Problem(src.file, src.line(("scenario",)), "scenario", (
                f"scenario '{clean(wanted)}' is given by {len(same_id)} checked files "
                f"({', '.join(clean(str(s)) for s in same_id)}); put the orders file beside the one it "
                f"plays, or check them apart")))
            continue
        if chosen is None:
            near = scenario_file(p.parent)
            if near.is_file():
                loaded = _load_scenario(near)
                scenario_results.append((near, loaded))
                problems += loaded.problems
                for f in loaded.files:
                    if f not in files:
                        files.append(f)
                chosen = (near, loaded)
        if chosen is None:
            _, oprobs = _check_orders_source(src, None)
            problems += oprobs
            named = f"scenario '{clean(wanted)}'" if wanted else "a scenario"
            problems.append(Problem(src.file, src.line(("scenario",)) if wanted else None, "", f"cannot check these orders against {named}: none is in the same directory or among the checked paths"))
            continue
        sp, loaded = chosen
        _, oprobs = _check_orders_source(src, loaded.content)
        problems += oprobs
        if loaded.content is None:
            problems.append(Problem(src.file, None, "", f"not checked against scenario {clean(str(sp))}, which has problems of its own"))

    return files, _scenario_first(_cap(problems), {loaded.files[0] for _, loaded in scenario_results})


def _scenario_first(problems: list[Problem], scenario_files: set[str]) -> list[Problem]:
    """Problems of scenario files first (what is wrong in a deck or an orders file often
    follows from them), each file's in line order as before."""
    return sorted(problems, key=lambda p: p.file not in scenario_files)


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return a.parent.resolve() == b.parent.resolve()
    except (OSError, RuntimeError):
        return a.parent.absolute() == b.parent.absolute()


def _scenario_for_orders(
    orders_path: Path, wanted: str | None, results: list[tuple[Path, _Loaded]]
) -> tuple[Path, _Loaded] | None:
    try:
        folder = orders_path.parent.resolve()
    except (OSError, RuntimeError):
        folder = orders_path.parent.absolute()
    same_dir = []
    for sp, loaded in results:
        try:
            if sp.parent.resolve() == folder:
                same_dir.append((sp, loaded))
        except (OSError, RuntimeError):
            continue
    if wanted is not None:
        for sp, loaded in same_dir:
            if loaded.scenario_id == wanted:
                return sp, loaded
        for sp, loaded in results:
            if loaded.scenario_id == wanted:
                return sp, loaded
    if same_dir:
        return same_dir[0]
    if wanted is None and len(results) == 1:  # the one scenario checked with it
        return results[0]
    return None


def format_problems(problems: Iterable[Problem]) -> str:
    """The report of ``wargame check``: one problem a line, then a count."""
    items = list(problems)
    if not items:
        return "no problems found"
    files = {p.file for p in items}
    lines = [str(p) for p in items]
    n = len(items)
    lines.append(f"{n} problem{'s' if n != 1 else ''} in {len(files)} file{'s' if len(files) != 1 else ''}")
    return "\n".join(lines)
