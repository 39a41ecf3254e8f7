"""Shared building blocks of every content file: strict models, ids, bilingual text."""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

STAGES: tuple[str, str, str] = ("extraction", "processing", "manufacturing")

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,47}$"),
]
"""An identifier: lower-case letters, digits, '-' and '_', at most 48 characters."""

ShortText = Annotated[str, StringConstraints(max_length=2000)]
Fraction = Annotated[float, Field(ge=0.0, le=1.0)]
Signed = Annotated[float, Field(ge=-1.0, le=1.0)]
Turns = Annotated[int, Field(ge=1, le=60)]


class Strict(BaseModel):
    """Every content model rejects unknown fields and is immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Text(Strict):
    """Text in both languages the game speaks."""

    en: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    zh: Annotated[str, StringConstraints(min_length=1, max_length=2000)]

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def visible(text: str) -> bool:
    """Whether text shows anything: a character that is neither a space, a separator nor an
    invisible format or control character."""
    return any(unicodedata.category(c)[0] not in "ZC" for c in text)


def _a_name(text: str) -> str:
    if any(c in text for c in "\n\r\t"):
        raise ValueError("expected a name on one line (no line break or tab): a name heads rows and "
                         "columns and starts lines of news")
    if not visible(text):
        raise ValueError("expected a name with at least one visible character")
    return text


NameText = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(_a_name)]


class Name(Text):
    """A name in both languages: one line of at most 200 characters each, something of it
    visible (tables, charts and news lines are headed by names)."""

    en: NameText
    zh: NameText
