"""The YAML side of content loading: a restricted reader built on PyYAML's *compose*
step (see ``wargame.model.loader``). Kept apart so that reading a save, which holds
JSON only, never imports PyYAML."""

from __future__ import annotations

import math
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from wargame.model.content import PathT, Problem, Source, clean, show
from wargame.model import loader as limits  # the limits are set there, for saves as well
from wargame.model.loader import bad_char

# --------------------------------------------------------------------------- YAML reading

_T = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = _T + "str", _T + "int", _T + "float", _T + "bool", _T + "null"
_SEQ, _MAP, _TIMESTAMP = _T + "seq", _T + "map", _T + "timestamp"
_SCALAR_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP})

_INT_RE = re.compile(r"^[-+]?[0-9][0-9_]*$")
_FLOAT_RE = re.compile(
    r"^(?:[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NULL_RE = re.compile(r"^(?:~|null|Null|NULL|)$")


class _Refused(Exception):
    """The file is refused outright (alias, too deep, too many values)."""

    def __init__(self, mark: Any, message: str):
        super().__init__(message)
        self.line = mark.line + 1 if mark is not None else None
        self.message = message


class _Guard:
    """Composer guard: no anchors or aliases, bounded depth and number of values."""

    _depth = 0
    _nodes = 0

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                event.start_mark,
                f"aliases are not allowed in content files (found alias '*{clean(str(event.anchor))}'); "
                "write the value out in full",
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _Refused(
                event.start_mark,
                f"aliases are not allowed in content files (found anchor '&{clean(str(anchor))}'); "
                "write the value out in full",
            )
        self._nodes += 1
        if self._nodes > limits.MAX_NODES:
            raise _Refused(event.start_mark, f"too many values in one file (the limit is {limits.MAX_NODES:,})")
        nested = isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent))
        if nested:
            self._depth += 1
            if self._depth > limits.MAX_DEPTH:
                raise _Refused(
                    event.start_mark,
                    f"nesting is too deep (more than {limits.MAX_DEPTH} levels of lists and mappings)",
                )
        try:
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            if nested:
                self._depth -= 1


class ContentLoader(_Guard, yaml.SafeLoader):
    """SafeLoader restricted for content files: no anchors or aliases, bounded depth and size.

    Only used to *compose* a node tree (``yaml.compose``); plain data is then
    built by ``_Builder``, never by PyYAML's constructors. Implicit typing
    follows the YAML 1.2 core schema.
    """

    yaml_implicit_resolvers: dict = {}


ContentLoader.add_implicit_resolver(_BOOL, _BOOL_RE, list("tTfF"))
ContentLoader.add_implicit_resolver(_INT, _INT_RE, list("-+0123456789"))
ContentLoader.add_implicit_resolver(_FLOAT, _FLOAT_RE, list("-+0123456789."))
ContentLoader.add_implicit_resolver(_NULL, _NULL_RE, ["~", "n", "N", ""])

try:  # libyaml's event parser is several times faster; our composer and guards stay the same
    from yaml.cyaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CParser = None

if _CParser is not None:

    class _FastContentLoader(_Guard, yaml.composer.Composer, _CParser, yaml.resolver.Resolver):  # type: ignore[misc,valid-type]
        """ContentLoader's twin on libyaml's event parser (positions in errors count bytes)."""

        yaml_implicit_resolvers = ContentLoader.yaml_implicit_resolvers

        def __init__(self, stream: str):
            _CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    _LOADERS: tuple[type, ...] = (_FastContentLoader, ContentLoader)
else:  # pragma: no cover
    _LOADERS = (ContentLoader,)

USE_LIBYAML = _CParser is not None
"""Parse with libyaml's events when available (set False to use the pure-Python parser)."""


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_T):] if tag.startswith(_T) else tag


_NODE_WORD = {yaml.ScalarNode: "a plain value", yaml.SequenceNode: "a list", yaml.MappingNode: "a mapping"}


class _Builder:
    """Turns a composed node tree into plain data, recording the line of every path."""

    def __init__(self) -> None:
        self.lines: dict[PathT, int] = {}
        self.bad: set[PathT] = set()
        self.issues: list[tuple[PathT, int | None, str]] = []  # (path, line, message)

    def fail(self, path: PathT, node: yaml.Node, message: str) -> None:
        self.bad.add(path)
        self.issues.append((path, node.start_mark.line + 1, message))

    def build(self, node: yaml.Node, path: PathT) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        tag = node.tag
        if isinstance(node, yaml.MappingNode):
            if tag != _MAP:
                return self.fail(path, node, self._tag_refusal(tag, node))
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if tag != _SEQ:
                return self.fail(path, node, self._tag_refusal(tag, node))
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        if tag not in _SCALAR_TAGS:
            return self.fail(path, node, self._tag_refusal(tag, node))
        return self._scalar(node, path)

    def _tag_refusal(self, tag: str, node: yaml.Node) -> str:
        if tag in _SCALAR_TAGS or tag in (_SEQ, _MAP):
            return f"tag '{_tag_name(tag)}' cannot be used on {_NODE_WORD[type(node)]}"
        return (
            f"tag '{clean(_tag_name(tag))}' is not allowed: content files may only hold plain "
            "values (text, numbers, true/false, null), lists and mappings"
        )

    def _scalar(self, node: yaml.ScalarNode, path: PathT) -> Any:
        value: str = node.value
        tag = node.tag
        if tag in (_STR, _TIMESTAMP):
            bad = bad_char(value)
            if bad is not None:
                return self.fail(path, node, bad)
            return value
        if tag == _NULL:
            if not _NULL_RE.match(value):
                return self.fail(path, node, f"{show(value)} is not null")
            return None
        if tag == _BOOL:
            if not _BOOL_RE.match(value):
                return self.fail(path, node, f"{show(value)} is not true or false")
            return value.lower() == "true"
        if tag == _INT:
            digits = value.replace("_", "")
            if not _INT_RE.match(value):
                return self.fail(path, node, f"expected a whole number, got {show(value)}")
            if len(digits.lstrip("+-")) > limits.MAX_NUMBER_DIGITS:
                return self.fail(path, node, f"number is too long ({len(digits)} digits)")
            return int(digits)
        # float
        if not _FLOAT_RE.match(value):
            return self.fail(path, node, f"expected a number, got {show(value)}")
        lowered = value.lower()
        if lowered.endswith(("inf", "nan")):
            return self.fail(path, node, f"expected a finite number, got {clean(value)}")
        if len(value) > 400:
            return self.fail(path, node, f"number is too long ({len(value)} characters)")
        number = float(value.replace("_", ""))
        if not math.isfinite(number):
            return self.fail(path, node, f"expected a finite number, got {clean(value)} (too large)")
        return number

    def _mapping(self, node: yaml.MappingNode, path: PathT) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.issues.append((path, line, f"{_NODE_WORD[type(key_node)]} cannot be used as a key; keys must be text"))
                continue
            if key_node.tag not in (_STR, _TIMESTAMP):
                if key_node.tag in _SCALAR_TAGS:
                    word = {_INT: "the number", _FLOAT: "the number", _BOOL: "", _NULL: ""}[key_node.tag]
                    shown = clean(key_node.value) or "an empty key"
                    self.issues.append((path, line, f"keys must be text, got {word} {shown}".replace("  ", " ") + f" (quote it: \"{clean(key_node.value)}\")"))
                else:
                    self.issues.append((path, line, self._tag_refusal(key_node.tag, key_node)))
                continue
            key = key_node.value
            bad = bad_char(key)
            if bad is not None:
                self.issues.append((path, line, "key: " + bad))
                continue
            if key in out or key in first_line:
                self.issues.append((path + (key,), line, f"duplicate key '{clean(key)}' (first given at line {first_line[key]})"))
                continue
            first_line[key] = line
            self.lines[path + (key,)] = line
            out[key] = self.build(value_node, path + (key,))
        return out


def _syntax_problem(file: str, text: str, exc: yaml.YAMLError, byte_positions: bool) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):
        pos = exc.position if isinstance(exc.position, int) else 0
        if byte_positions:
            line = text.encode("utf-8", "surrogatepass").count(b"\n", 0, pos) + 1
        else:
            line = text.count("\n", 0, pos) + 1
        char = exc.character
        what = f"U+{char:04X}" if isinstance(char, int) else clean(str(char))
        return Problem(file, line, "", f"character {what} is not allowed in a YAML file")
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = clean(exc.problem or "")
        context = clean(exc.context or "")
        if "another document" in problem or "single document" in context:
            return Problem(file, line, "", "a content file holds a single YAML document (found a second '---')")
        message = "YAML syntax error: " + (problem or "malformed YAML")
        if context:
            cline = exc.context_mark.line + 1 if exc.context_mark is not None else None
            message += f" ({context}" + (f" started at line {cline}" if cline and cline != line else "") + ")"
        return Problem(file, line, "", message)
    return Problem(file, None, "", "YAML error: " + clean(str(exc))[:300])


def read_yaml(path: str | Path, display: str | None = None) -> tuple[Source | None, list[Problem]]:
    """Read one YAML content file safely into a ``Source`` (plain data plus lines).

    Returns ``(None, problems)`` when the file cannot be read at all; otherwise
    the source and the problems found while building its data (offending
    values are blanked and listed in ``source.bad``).
    """
    file = display if display is not None else str(path)
    try:
        return _read_yaml(Path(path), file)
    except Exception as exc:  # last resort: never a traceback for a content file
        return None, [Problem(file, None, "", f"could not read the file ({clean(type(exc).__name__)}: {clean(str(exc))[:200]})")]


def _read_yaml(path: Path, file: str) -> tuple[Source | None, list[Problem]]:
    def whole(message: str, line: int | None = None) -> tuple[None, list[Problem]]:
        return None, [Problem(file, line, "", message)]

    try:
        st = os.stat(path)
    except FileNotFoundError:
        return whole("no such file")
    except OSError as exc:
        return whole(f"cannot read the file: {clean(exc.strerror or str(exc))}")
    if stat.S_ISDIR(st.st_mode):
        return whole("is a directory, expected a YAML file")
    if not stat.S_ISREG(st.st_mode):
        return whole("not a regular file")
    if st.st_size > limits.MAX_FILE_BYTES:
        return whole(f"file is too large ({st.st_size / 1048576:.1f} MiB; the limit is {limits.MAX_FILE_BYTES // 1048576} MiB)")
    try:
        with open(path, "rb") as fh:
            raw = fh.read(limits.MAX_FILE_BYTES + 1)
    except OSError as exc:
        return whole(f"cannot read the file: {clean(exc.strerror or str(exc))}")
    if len(raw) > limits.MAX_FILE_BYTES:
        return whole(f"file is too large (more than {limits.MAX_FILE_BYTES // 1048576} MiB)")
    return parse_yaml_bytes(raw, file)


_ODD_BREAK = re.compile("[\u0085\u2028\u2029]")
_BREAK_NAMES = {"\u0085": "next-line character", "\u2028": "line separator", "\u2029": "paragraph separator"}


def parse_yaml_bytes(raw: bytes, file: str) -> tuple[Source | None, list[Problem]]:
    """Parse the bytes of a content file (see ``read_yaml``)."""

    def whole(message: str, line: int | None = None) -> tuple[None, list[Problem]]:
        return None, [Problem(file, line, "", message)]

    if len(raw) > limits.MAX_FILE_BYTES:
        return whole(f"file is too large (more than {limits.MAX_FILE_BYTES // 1048576} MiB)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return whole(
            f"file is not UTF-8 text: byte 0x{raw[exc.start]:02x} at offset {exc.start} (line {line}) "
            "is not valid UTF-8; save the file as UTF-8",
            line,
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        return whole("file is empty")
    # YAML counts these as line breaks, but editors and grep do not: every line number after
    # one would be off, and in a comment or a plain value they give a baffling syntax error
    odd = _ODD_BREAK.search(text)
    if odd is not None:
        line = text.count("\n", 0, odd.start()) + 1
        return whole(f"this line holds a {_BREAK_NAMES[odd.group()]} (U+{ord(odd.group()):04X}); "
                     "content files break lines with a newline only", line)
    loader = _LOADERS[0] if USE_LIBYAML else ContentLoader
    try:
        node = yaml.compose(text, Loader=loader)
    except _Refused as exc:
        return whole(exc.message, exc.line)
    except yaml.YAMLError as exc:
        return None, [_syntax_problem(file, text, exc, loader is not ContentLoader)]
    except RecursionError:
        return whole(f"nesting is too deep (more than {limits.MAX_DEPTH} levels)")
    if node is None:
        return whole("file is empty (it holds no YAML document)")
    if not isinstance(node, yaml.MappingNode) or node.tag != _MAP:
        what = {yaml.SequenceNode: "a list", yaml.ScalarNode: "a single value"}.get(type(node), "something else")
        if isinstance(node, yaml.ScalarNode) and node.tag == _NULL:
            what = "nothing (null)"
        return whole(f"the top level must be a mapping of fields (key: value lines), got {what}", node.start_mark.line + 1)
    builder = _Builder()
    data = builder.build(node, ())
    src = Source(file, data, builder.lines, builder.bad)
    problems = [Problem(file, line, src.where(path), msg) for path, line, msg in builder.issues]
    return src, problems
