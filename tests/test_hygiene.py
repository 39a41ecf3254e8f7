"""Layering: nothing below the TUI imports textual, and decks never execute."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["wargame.model", "wargame.model.loader", "wargame.engine.resolve",
                                    "wargame.game.session", "wargame.game.bots", "wargame.game.seminar", "wargame.store.save",
                                    "wargame.store.listing", "wargame.analysis.calibration", "wargame.analysis.balance",
                                    "wargame.report.words", "wargame.report.debrief", "wargame.report.compare", "wargame.report.html",
                                    "wargame.report.charts", "wargame.report.cards", "wargame.report.briefing", "wargame.tui.opening",
                                    "wargame.cli"])
def test_core_layers_never_import_textual(module):
    code = (f"import sys, importlib; importlib.import_module({module!r}); "
            "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')); "
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} pulled in {out.stdout.strip()}"


def test_headless_commands_never_import_textual(tmp_path):
    from conftest import EXAMPLE_ORDERS

    save = tmp_path / "g.json"
    code = ("import sys; from wargame.cli import main; "
            f"main(['run', '--orders', {str(EXAMPLE_ORDERS)!r}, '--out', {str(save)!r}, '--quiet']); "
            f"main(['replay', {str(save)!r}, '--verify']); "
            f"main(['debrief', {str(save)!r}, '--out', {str(tmp_path / 'd.md')!r}]); "
            f"main(['debrief', {str(save)!r}, '--out', {str(tmp_path / 'd.html')!r}]); "
            f"main(['briefing', {str(save)!r}, '--out', {str(tmp_path / 'b.html')!r}]); "
            f"main(['fork', {str(save)!r}, '--turn', '2', '--out', {str(tmp_path / 'f.json')!r}]); "
            f"main(['compare', {str(save)!r}, {str(tmp_path / 'f.json')!r}]); "
            "print('TEXTUAL' if any(m.startswith('textual') for m in sys.modules) else 'CLEAN')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("CLEAN")


def test_only_a_drawn_chart_loads_matplotlib(tmp_path):
    # matplotlib takes about half a second to load: the TUI, a Markdown debrief and replay
    # never pay for it; a web page does
    from conftest import ROOT

    save = ROOT / "saves" / "critical-minerals-2026-example.json"
    code = ("import sys; from wargame.cli import main; import wargame.tui.app, wargame.report.html; "
            f"main(['replay', {str(save)!r}, '--verify']); "
            f"main(['debrief', {str(save)!r}, '--out', {str(tmp_path / 'd.md')!r}]); "
            "before = 'matplotlib' in sys.modules; "
            f"main(['debrief', {str(save)!r}, '--out', {str(tmp_path / 'd.html')!r}]); "
            "print(before, 'matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False True"


def test_replaying_a_save_never_imports_yaml():
    # a save is JSON: its replay (interpreter start included, a timed target) skips PyYAML
    from conftest import ROOT

    save = ROOT / "saves" / "critical-minerals-2026-example.json"
    code = ("import sys; from wargame.cli import main; "
            f"code = main(['replay', {str(save)!r}, '--verify']); "
            "print(code, 'YAML' if 'yaml' in sys.modules else 'CLEAN')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "0 CLEAN"


def test_engine_does_not_read_files_or_clocks():
    import ast
    from pathlib import Path

    import wargame.engine as engine

    for path in Path(engine.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
                for name in names:
                    assert name not in ("os", "time", "random", "datetime", "pathlib", "io", "yaml"), \
                        f"{path.name} imports {name}: the engine must stay pure"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("open", "eval", "exec", "__import__"), f"{path.name} calls {node.func.id}"
