"""JSON Schemas of the file formats, for ``wargame schema``."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from wargame.model.deck import Deck
from wargame.model.records import LogEntry, OrdersFile
from wargame.model.scenario import Scenario


class SeminarTable(BaseModel):
    """Who played each team ("human" or a bot policy) and the White Cell passphrase digest."""

    model_config = ConfigDict(extra="forbid")

    seats: dict[str, str]
    passphrase: str | None = Field(default=None, description="salted SHA-256 of the passphrase, or null")


class SaveDocument(BaseModel):
    """A saved game (see docs/ARCHITECTURE.md, "Saves and replay")."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["wargame-save"]
    format_version: Literal[1]
    engine_version: str
    wargame_version: str
    scenario: Scenario
    decks: list[Deck]
    content_hash: dict[str, Any]
    seed: int = Field(ge=0)
    turn: int = Field(ge=0)
    log: list[LogEntry]
    turn_hashes: list[str]
    history: list[dict[str, Any]] = Field(description="headline meters after each turn, turn 0 first")
    table: SeminarTable | None = Field(default=None, description="who sat where in a seminar game; replay ignores it")


SCHEMAS = {"scenario": Scenario, "deck": Deck, "orders": OrdersFile, "save": SaveDocument}


def schema(kind: str) -> dict[str, Any]:
    return SCHEMAS[kind].model_json_schema(by_alias=True)
