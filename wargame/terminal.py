"""Text printed to a terminal outside the TUI: what comes from outside (a file name, a
name in a content file) is shown, never obeyed. Control characters, which a terminal reads
as commands (retitle the window, clear the screen), and the marks that reorder a line
right to left (so that it reads otherwise than it is written) are printed as escapes."""

from __future__ import annotations

import re

# the marks that set or reorder the direction of text, as the inside of a regex class: one
# list for what is printed (here), what content may hold (model.loader) and what a shell
# line must escape (analysis.balance)
DIRECTION_MARKS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_DIRECTION = re.compile(f"[{DIRECTION_MARKS}]")
_UNPRINTABLE = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{DIRECTION_MARKS}]")


def is_direction_mark(char: str) -> bool:
    return _DIRECTION.fullmatch(char) is not None


def printable(text: str) -> str:
    """``text`` with each control character or direction mark as a ``\\x..`` or ``\\u....``
    escape (line breaks and tabs kept)."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                            else f"\\u{ord(m.group()):04x}", text)
