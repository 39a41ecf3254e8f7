"""Where the built-in content lives, whether installed editable or as a wheel."""

from __future__ import annotations

from pathlib import Path

DEFAULT_SCENARIO = "critical-minerals-2026"


def decks_dir() -> Path:
    """The built-in decks: ``wargame/decks`` in a wheel, the repository's ``decks/`` otherwise."""
    packaged = Path(__file__).resolve().parent / "decks"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "decks"


def default_scenario() -> Path:
    return decks_dir() / DEFAULT_SCENARIO



def scenario_file(path: Path) -> Path:
    """The scenario file a path names: the file itself, or a folder's ``scenario.yaml``
    (``scenario.yml`` if only that exists)."""
    if path.is_dir():
        for name in ("scenario.yaml", "scenario.yml"):
            if (path / name).is_file():
                return path / name
        return path / "scenario.yaml"
    return path
