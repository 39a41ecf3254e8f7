"""The US deck does what its cards say.

Each row of the table plays one card of the built-in scenario's US deck headlessly
(``from_hand=False``, so the shuffle does not matter) and compares the meters with
a run in which the US passes, on the same seed and with the same setup orders. A
check names the turn after which the meter is read, the meter, its keys (actor,
bloc, mineral, stage, as in ``HEADLINE_METERS`` and ``DETAIL_METERS``) and the
direction the card's text promises. Cards that can only be played after another
card carry that card as setup, played in both runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pytest

from wargame.engine.meters import DETAIL_METERS, HEADLINE_METERS
from wargame.game.session import Session
from wargame.model.common import STAGES
from wargame.model.loader import load_scenario
from wargame.model.records import Order

from conftest import BUILTIN

SEED = 0
TOL = 1e-3  # smallest movement that counts, in the meter's own unit
AXES = HEADLINE_METERS | DETAIL_METERS

UP, DOWN = 1, -1


@dataclass(frozen=True)
class Check:
    turn: int  # the meters after this turn are compared
    meter: str
    keys: tuple[str, ...]
    sign: int  # UP or DOWN against the run without the card


@dataclass(frozen=True)
class Case:
    card: str
    targets: tuple[tuple[str, str], ...]
    checks: tuple[Check, ...]
    turn: int = 1  # the turn the card is played in
    # orders played in both runs: (turn, team, card, targets)
    setup: tuple[tuple[int, str, str, tuple[tuple[str, str], ...]], ...] = ()


def c(turn: int, meter: str, *keys: str, sign: int) -> Check:
    return Check(turn, meter, tuple(keys), sign)


def t(**targets: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(targets.items()))


VAULT_GALLIUM = (1, "us", "us-project-vault", t(mineral="gallium"))
CHINA_CUTS_GALLIUM = (2, "china", "cn-export-control", t(mineral="gallium", target="usa"))
EXPANSION_CHILE = (1, "us", "us-msp-expansion", t(partner="chl"))
MINISTERIAL = (1, "us", "us-minerals-ministerial", t())

CASES: tuple[Case, ...] = (
    # subsidies: capacity after the lead time, and what it costs
    Case("us-ira-credit", t(), (
        c(1, "cohesion", "msp", sign=DOWN),  # the EU and Japan are left outside
        c(1, "cohesion", "g7", sign=DOWN),
        c(3, "processing_share", "usa", "lithium", sign=UP),
        c(3, "processing_share", "usa", "graphite", sign=UP),
    )),
    Case("us-dpa-grant", t(mineral="ree"), (
        c(1, "lock_in", "usa", sign=UP),
        c(4, "processing_share", "usa", "ree", sign=UP),
        c(4, "import_reliance", "usa", "ree", "processing", sign=DOWN),
    )),
    Case("us-lpo-loan", t(), (
        c(1, "cost", "usa", sign=UP),
        c(3, "import_reliance", "usa", "lithium", "manufacturing", sign=DOWN),
        c(3, "import_reliance", "usa", "graphite", "manufacturing", sign=DOWN),
        # the new plants still run on refined material from abroad
        c(3, "import_reliance", "usa", "lithium", "processing", sign=UP),
    )),
    Case("us-mp-price-floor", t(), (
        c(1, "cost", "usa", sign=UP),
        c(1, "lock_in", "usa", sign=UP),
        c(3, "import_reliance", "usa", "ree", "manufacturing", sign=DOWN),
        # producers covered by the floor invest as if the price were the floor
        c(4, "processing_share", "usa", "ree", sign=UP),
    )),
    # stockpiles
    Case("us-project-vault", t(mineral="ree"), (
        c(1, "cost", "usa", sign=UP),
        c(1, "lock_in", "usa", sign=UP),
    )),
    # sold into a market squeezed by a Chinese licence stop in the same turn
    Case("us-stockpile-release", t(mineral="gallium"), (
        c(2, "shortage", "usa", "gallium", sign=DOWN),
        c(2, "price", "gallium", sign=DOWN),
    ), turn=2, setup=(VAULT_GALLIUM, CHINA_CUTS_GALLIUM)),
    # trade defence
    Case("us-section-232", t(mineral="ree"), (
        c(1, "securitisation", sign=UP),
        c(2, "cost", "usa", sign=UP),
    )),
    Case("us-copper-232", t(), (
        c(1, "cost", "usa", sign=UP),
        c(1, "cohesion", "us-fta", sign=DOWN),
        c(1, "cohesion", "msp", sign=DOWN),
    )),
    Case("us-graphite-duty", t(), (
        c(1, "cost", "usa", sign=UP),
        c(1, "securitisation", sign=UP),
    )),
    # law and lists
    Case("us-feoc-screen", t(), (
        c(1, "securitisation", sign=UP),
        c(1, "lock_in", "usa", sign=UP),
    )),
    Case("us-minerals-list", t(), (
        c(1, "securitisation", sign=UP),
        c(4, "processing_share", "usa", "copper", sign=UP),
    )),
    Case("us-deep-sea-order", t(), (
        c(1, "cohesion", "g7", sign=DOWN),
        c(1, "securitisation", sign=UP),
        c(6, "import_reliance", "usa", "cobalt", "extraction", sign=DOWN),
        c(6, "import_reliance", "usa", "nickel", "extraction", sign=DOWN),
    )),
    # clubs
    Case("us-msp-expansion", t(partner="chl"), (
        c(1, "cohesion", "msp", sign=DOWN),  # a wider club is a looser one
    )),
    Case("us-msp-finance-network", t(mineral="lithium"), (
        c(2, "cost", "usa", sign=UP),
        c(2, "lock_in", "usa", sign=UP),
        c(5, "processing_share", "usa", "lithium", sign=UP),
    ), turn=2, setup=(EXPANSION_CHILE,)),
    Case("us-minerals-ministerial", t(), (
        c(1, "cohesion", "msp", sign=UP),
        c(1, "cohesion", "g7", sign=UP),
        c(1, "securitisation", sign=UP),
    )),
    Case("us-price-floor-club", t(mineral="ree"), (
        c(2, "cost", "usa", sign=UP),  # Washington pays the gap to the floor
        c(5, "processing_share", "msp", "ree", sign=UP),  # the club's refiners together
    ), turn=2, setup=(MINISTERIAL,)),
    # finance abroad
    Case("us-dfc-lobito", t(), (
        c(1, "cost", "usa", sign=UP),
        c(4, "processing_share", "drc", "cobalt", sign=UP),
        c(4, "processing_share", "drc", "copper", sign=UP),
    )),
    Case("us-project-finance", t(host="arg", mineral="lithium"), (
        c(1, "lock_in", "usa", sign=UP),
        c(4, "processing_share", "arg", "lithium", sign=UP),
    )),
    # coercive bargains
    Case("us-minerals-for-aid", t(mineral="ree"), (
        c(1, "securitisation", sign=UP),
        c(1, "cohesion", "g7", sign=DOWN),
    )),
    Case("us-greenland-pressure", t(), (
        c(1, "cohesion", "g7", sign=DOWN),
        c(1, "cohesion", "msp", sign=DOWN),
    )),
)


@lru_cache(maxsize=None)
def _content():
    return load_scenario(BUILTIN)


@lru_cache(maxsize=None)
def history(script: tuple, turns: int) -> tuple[Session, list[dict[str, np.ndarray]]]:
    """Play ``script`` ((turn, team, card, targets), ...) for ``turns`` turns; the US and
    every team without an order pass."""
    s = Session.new(_content(), SEED)
    for turn in range(1, turns + 1):
        by_team: dict[str, list[Order]] = {}
        for when, team, card, targets in script:
            if when == turn:
                by_team.setdefault(team, []).append(Order(card=card, targets=dict(targets)))
        for team, orders in by_team.items():
            s.submit(team, orders, from_hand=False)
        s.resolve(explain=False)
    return s, list(s.history)


def value(s: Session, meters: dict[str, np.ndarray], meter: str, keys: tuple[str, ...]) -> float:
    """One entry of a meter; a bloc id given for an actor key sums over the bloc's members
    as the scenario lists them."""
    axes = AXES[meter]
    assert len(axes) == len(keys), f"{meter} is keyed by {axes}, got {keys}"
    ix = s.index
    members = {b.id: [ix.actor_pos[a] for a in b.members] for b in s.scenario.blocs}
    pos = {"actor": ix.actor_pos, "bloc": ix.bloc_pos, "mineral": ix.mineral_pos,
           "stage": {name: i for i, name in enumerate(STAGES)}}
    where = [members[key] if axis == "actor" and key in members else [pos[axis][key]]
             for axis, key in zip(axes, keys)]
    return float(np.asarray(meters[meter])[np.ix_(*where)].sum())


def movement(case: Case, check: Check) -> float:
    horizon = max(ch.turn for ch in case.checks)
    base = tuple(case.setup)
    played = base + ((case.turn, "us", case.card, case.targets),)
    s, with_card = history(played, horizon)
    _, without = history(base, horizon)
    return (value(s, with_card[check.turn], check.meter, check.keys)
            - value(s, without[check.turn], check.meter, check.keys))


def test_the_table_covers_every_us_card(content):
    deck = {card.id for card in content.team_cards("us")}
    table = [case.card for case in CASES]
    assert len(table) == len(set(table)), "a card appears twice in the table"
    assert deck == set(table), (f"cards without a row: {sorted(deck - set(table))}; "
                                f"rows without a card: {sorted(set(table) - deck)}")


def test_the_deck_has_at_least_sixteen_cards(content):
    assert len(content.team_cards("us")) >= 16


@pytest.mark.parametrize("case", CASES, ids=[case.card for case in CASES])
def test_card_moves_the_meters_its_text_promises(case: Case):
    failures = []
    for check in case.checks:
        moved = movement(case, check)
        if moved * check.sign <= TOL:
            failures.append(f"turn {check.turn} {check.meter}{list(check.keys)}: expected "
                            f"{'up' if check.sign > 0 else 'down'}, moved {moved:+.4f}")
    assert not failures, f"{case.card}: " + "; ".join(failures)


# Cards whose player picks a target: every allowed choice must do what the text says.
# Row: card, the target swept over its `choices`, the other targets held fixed, the check
# ("$" in its keys stands for the choice) and the setup orders.
CHOICE_CASES: tuple[tuple[str, str, dict[str, str], Check, tuple], ...] = (
    ("us-dpa-grant", "mineral", {}, c(4, "processing_share", "usa", "$", sign=UP), ()),
    ("us-project-vault", "mineral", {}, c(1, "cost", "usa", sign=UP), ()),
    ("us-section-232", "mineral", {}, c(2, "cost", "usa", sign=UP), ()),
    ("us-msp-finance-network", "mineral", {}, c(5, "processing_share", "usa", "$", sign=UP),
     (EXPANSION_CHILE,)),
    ("us-price-floor-club", "mineral", {}, c(2, "cost", "usa", sign=UP), (MINISTERIAL,)),
    ("us-msp-expansion", "partner", {}, c(1, "cohesion", "msp", sign=DOWN), ()),
    ("us-project-finance", "host", {"mineral": "lithium"},
     c(4, "processing_share", "$", "lithium", sign=UP), ()),
)


def _choice_rows():
    for card_id, target, fixed, check, setup in CHOICE_CASES:
        spec = next(s for s in _content().card(card_id).targets if s.name == target)
        for choice in spec.choices:
            keys = tuple(choice if k == "$" else k for k in check.keys)
            case = Case(card_id, t(**fixed, **{target: choice}),
                        (Check(check.turn, check.meter, keys, check.sign),),
                        turn=2 if setup else 1, setup=setup)
            yield pytest.param(case, id=f"{card_id}-{choice}")


@pytest.mark.parametrize("case", list(_choice_rows()))
def test_every_choice_of_a_target_does_what_the_card_says(case: Case):
    (check,) = case.checks
    moved = movement(case, check)
    assert moved * check.sign > TOL, (
        f"{case.card} {dict(case.targets)}: turn {check.turn} {check.meter}{list(check.keys)} "
        f"expected {'up' if check.sign > 0 else 'down'}, moved {moved:+.4f}")
