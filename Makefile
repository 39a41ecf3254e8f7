# The two entry points: `make play` and `make test`.  Each creates the
# virtualenv in .venv when it is missing and installs the project into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_PLAY := $(VENV)/.installed-play
STAMP_TEST := $(VENV)/.installed-test

.PHONY: play test bench check clean saves calibration balance

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# compileall: start-up reads cached bytecode even where PYTHONDONTWRITEBYTECODE is set
$(STAMP_PLAY): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m compileall -q wargame
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q wargame
	touch $@ $(STAMP_PLAY)

play: $(STAMP_PLAY)
	$(BIN)/wargame play

test: $(STAMP_TEST)
	$(BIN)/python -m pytest -q

check: $(STAMP_PLAY)
	$(BIN)/wargame check decks/

bench: $(STAMP_PLAY)
	$(BIN)/python -m compileall -q wargame
	$(BIN)/python bench/run.py
	$(BIN)/python bench/tui.py

clean:
	rm -rf $(VENV) build *.egg-info

# Re-create the example save from the example orders (after a change to the engine or decks).
saves: $(STAMP_PLAY)
	$(BIN)/wargame run --orders decks/critical-minerals-2026/orders-example.yaml \
		--out saves/critical-minerals-2026-example.json --quiet

# Re-create the tables of docs/CALIBRATION.md from the episodes in decks/calibration/.
calibration: $(STAMP_PLAY)
	$(BIN)/python -m wargame.analysis.calibration --update docs/CALIBRATION.md

# Re-run the balance study (several hundred bot games) into docs/BALANCE.md.
balance: $(STAMP_PLAY)
	$(BIN)/python -m wargame.analysis.balance --games 400 --seed 1 --out docs/BALANCE.md
