from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILTIN = ROOT / "decks" / "critical-minerals-2026"
EXAMPLE_ORDERS = BUILTIN / "orders-example.yaml"


@pytest.fixture(scope="session")
def content():
    from wargame.model.loader import load_scenario

    return load_scenario(BUILTIN)
