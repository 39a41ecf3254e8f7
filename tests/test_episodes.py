"""Episodes outside the calibration set, played on the built-in scenario the way a
facilitator would: the cards of the built-in decks, through the path `wargame run` takes
(orders file, `Session.play_script`, `Session.resolve`), set against the same game with
no orders. Only the shape the brief describes is pinned: direction, lag and which side
bears it, not decimals (docs/CALIBRATION.md holds the four calibrated episodes)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from wargame.game.session import Session
from wargame.model.loader import load_orders

HEAD = "format: 1\nscenario: critical-minerals-2026\nseed: 7\nturns:\n"


class Played:
    """A finished game: its meters and its world after each turn (0 = the start)."""

    def __init__(self, session: Session, history: list[dict[str, np.ndarray]], worlds: list):
        self.index, self.history, self.worlds = session.index, history, worlds

    def m(self, t: int, meter: str, *keys: str) -> float:
        ix = self.index
        pos = []
        for k in keys:
            if k in ix.actor_pos:
                pos.append(ix.actor_pos[k])
            elif k in ix.mineral_pos:
                pos.append(ix.mineral_pos[k])
            elif k in ix.blocs:
                pos.append(ix.blocs.index(k))
            else:
                pos.append(("extraction", "processing", "manufacturing").index(k))
        return float(np.asarray(self.history[t][meter])[tuple(pos)])

    def affinity(self, t: int, a: str, b: str) -> float:
        return float(self.worlds[t].affinity[self.index.actor_pos[a], self.index.actor_pos[b]])


def play(content, tmp: Path, orders: str) -> Played:
    path = tmp / "orders.yaml"
    path.write_text(HEAD + orders, encoding="utf-8")
    script = load_orders(path, content)
    session = Session.new(content, script.seed or 0)
    history = [{k: np.asarray(v).copy() for k, v in session.meters.items()}]
    worlds = [session.world]


    def keep(s: Session) -> None:
        history.append({k: np.asarray(v).copy() for k, v in s.meters.items()})
        worlds.append(s.world)

    session.play_out(script, after_turn=keep)
    return Played(session, history, worlds)


@pytest.fixture(scope="module")
def quiet(content, tmp_path_factory):
    return play(content, tmp_path_factory.mktemp("quiet"), "  - turn: 1\n    orders: {}\n")


def test_a_drc_cobalt_ore_ban_shocks_the_price_then_moves_refining_into_the_drc(content, tmp_path, quiet):
    """BRIEF §2.5 and §1 (the DRC holds most cobalt ore): a ban is a supply and price shock
    at once, and in-country processing later. Once the DRC's smelters stand they take the
    orders that refineries abroad cannot fill for want of ore, so they run and the price
    comes back down instead of staying scarce for as long as the ban lasts."""
    g = play(content, tmp_path, "  - turn: 1\n    orders:\n      resource-states:\n"
                                "        - {card: rs-ore-ban, actor: drc, targets: {mineral: cobalt}}\n")
    assert g.m(1, "price", "cobalt") > 2.0 * quiet.m(1, "price", "cobalt")
    assert g.m(1, "processing_share", "drc", "cobalt") < 20.0  # the smelters are not built yet
    assert g.m(8, "processing_share", "drc", "cobalt") > 40.0
    assert g.m(8, "processing_share", "drc", "cobalt") > 10 * quiet.m(8, "processing_share", "drc", "cobalt")
    # the new smelters run, and the DRC's mines with them
    drc, cobalt = g.index.actor_pos["drc"], g.index.mineral_pos["cobalt"]
    cap = g.worlds[8].cap[drc, cobalt]
    assert g.m(8, "capacity_used", "drc", "cobalt", "processing") > 0.6 * cap[1]
    assert g.m(8, "capacity_used", "drc", "cobalt", "extraction") > \
        0.6 * quiet.m(8, "capacity_used", "drc", "cobalt", "extraction")
    # the shock passes: the price ends no higher than in the game without the ban
    assert g.m(8, "price", "cobalt") < 1.2 * quiet.m(8, "price", "cobalt")
    # the rent of the shock goes to the scarce ore, not to the plants it leaves idle: ore
    # is dearest, China's refiners and cathode makers earn less in the shock years and the
    # DRC more over the game
    ore, refined, made = g.worlds[1].price[cobalt]
    assert ore > refined > made
    va = lambda who, t: g.m(t, "value_added", who) - quiet.m(t, "value_added", who)  # noqa: E731
    for t in (1, 2):
        assert va("chn", t) < 0
    assert sum(va("drc", t) for t in range(1, 9)) > 0


def test_chinese_graphite_licensing_hurts_now_and_costs_china_its_share_later(content, tmp_path, quiet):
    """DATA.md (Chinese graphite restrictions from Dec 2023) and BRIEF §2.1-2.2: the target
    goes short at once; backlash then builds refining outside China, and China's share of
    graphite processing, the base of its leverage, erodes."""
    g = play(content, tmp_path, "  - turn: 1\n    orders:\n      china:\n"
                                "        - {card: cn-global-licensing, targets: {mineral: graphite}}\n"
                                "        - {card: cn-graphite-end-use, targets: {target: usa}}\n")
    assert g.m(1, "shortage", "usa", "graphite") > quiet.m(1, "shortage", "usa", "graphite") + 10.0
    assert g.m(1, "price", "graphite") > quiet.m(1, "price", "graphite")
    assert g.m(1, "cost", "usa") > quiet.m(1, "cost", "usa")
    # backlash: the US refines graphite of its own after the lead time and relies less on China
    assert g.m(8, "import_reliance", "usa", "graphite", "processing") < \
        0.5 * quiet.m(8, "import_reliance", "usa", "graphite", "processing")
    assert g.m(8, "processing_share", "chn", "graphite") < quiet.m(8, "processing_share", "chn", "graphite") - 3.0
    assert g.m(8, "leverage", "chn") < quiet.m(8, "leverage", "chn")


def test_rare_earth_controls_on_the_us_push_it_to_refine_its_need_and_no_more(content, tmp_path, quiet):
    """BRIEF §3 China (rare-earth controls, Apr and Oct 2025) and §2.2: the US goes short at
    once and pays more; under that pressure it builds separation plants of its own after the
    lead time, enough to meet most of its need but not more than it needs (the drive counts
    the plants already built and on their way), and China's share and leverage erode."""
    g = play(content, tmp_path, "  - turn: 1\n    orders:\n      china:\n"
                                "        - {card: cn-export-control, targets: {mineral: ree, target: usa}}\n"
                                "        - {card: cn-ree-technology-ban, targets: {target: usa}}\n")
    assert g.m(1, "shortage", "usa", "ree") > quiet.m(1, "shortage", "usa", "ree") + 10.0
    assert g.m(1, "cost", "usa") > quiet.m(1, "cost", "usa")
    usa, ree = g.index.actor_pos["usa"], g.index.mineral_pos["ree"]
    built = [float(w.cap[usa, ree, 1]) for w in g.worlds]
    need = float(g.worlds[8].demand(g.index)[usa, ree])
    assert built[8] > 3 * built[0]
    assert built[8] <= need  # the drive stops at what the US needs
    assert g.m(8, "import_reliance", "usa", "ree", "processing") < \
        0.5 * quiet.m(8, "import_reliance", "usa", "ree", "processing")
    assert g.m(8, "processing_share", "chn", "ree") < quiet.m(8, "processing_share", "chn", "ree")
    assert g.m(8, "leverage", "chn") < quiet.m(8, "leverage", "chn")


def test_rare_earth_controls_on_the_whole_msp_cost_china_leverage_in_the_end(content, tmp_path, quiet):
    """BRIEF §2.1-2.2: controls on every MSP member leave them short and sour them on China
    (Japan, the EU, Australia and Canada turn from partners into rivals), and they build
    separation plants of their own. Leverage is over everyone's needs, so making rivals of
    its customers gives China no more of it: the plants built abroad leave it with less."""
    g = play(content, tmp_path, "  - turn: 1\n    orders:\n      china:\n"
                                "        - {card: cn-export-control, targets: {mineral: ree, target: msp}}\n"
                                "        - {card: cn-ree-technology-ban, targets: {target: msp}}\n")
    for who in ("eu", "jpn"):
        assert g.m(1, "shortage", who, "ree") > quiet.m(1, "shortage", who, "ree") + 10.0
        assert g.affinity(8, "chn", who) < min(quiet.affinity(8, "chn", who), -0.3)
    assert g.m(8, "processing_share", "chn", "ree") < quiet.m(8, "processing_share", "chn", "ree") - 5.0
    for t in range(4, 9):
        assert g.m(t, "leverage", "chn") < quiet.m(t, "leverage", "chn")


def test_the_gallium_ban_on_the_us_leaves_it_short_and_pushes_it_to_refine(content, tmp_path, quiet):
    """BRIEF §3 China (MOFCOM No. 46, Dec 2024): gallium, germanium and antimony banned to
    the US. China mines nearly all primary gallium (DATA.md), so the US goes short; it then
    builds refining of its own, and trade grows more securitised."""
    g = play(content, tmp_path, "  - turn: 1\n    orders:\n      china:\n        - {card: cn-mofcom-46-ban}\n")
    assert g.m(1, "shortage", "usa", "gallium") > quiet.m(1, "shortage", "usa", "gallium") + 10.0
    assert g.m(1, "shortage", "usa", "antimony") > quiet.m(1, "shortage", "usa", "antimony") + 10.0
    assert g.m(0, "processing_share", "usa", "gallium") == pytest.approx(0.0, abs=1e-9)
    assert g.m(8, "processing_share", "usa", "gallium") > 5.0
    assert g.m(1, "securitisation") > quiet.m(1, "securitisation")
    assert g.affinity(1, "usa", "chn") < quiet.affinity(1, "usa", "chn")


def test_zimbabwes_lithium_ore_ban_starts_refining_at_home(content, tmp_path, quiet):
    """BRIEF §3 Resource states (Zimbabwe's raw lithium ore ban, Dec 2022): ore stops
    leaving, the refiners that bought it go short for a while, and Zimbabwe, which refined
    no lithium, refines some after the lead time."""
    g = play(content, tmp_path, "  - turn: 1\n    orders:\n      resource-states:\n"
                                "        - {card: rs-ore-ban, actor: zwe, targets: {mineral: lithium}}\n")
    assert g.m(1, "capacity_used", "zwe", "lithium", "extraction") < \
        0.5 * quiet.m(1, "capacity_used", "zwe", "lithium", "extraction")
    assert g.m(1, "shortage", "chn", "lithium") > quiet.m(1, "shortage", "chn", "lithium")
    assert g.m(2, "processing_share", "zwe", "lithium") == pytest.approx(0.0, abs=1e-9)
    assert g.m(6, "processing_share", "zwe", "lithium") > 2.0
    assert g.m(6, "value_added", "zwe") > quiet.m(6, "value_added", "zwe")


def test_the_ira_credit_strains_the_clubs_that_its_origin_rules_leave_out(content, tmp_path, quiet):
    """BRIEF §2.4: subsidies with origin rules pull capacity into an allied network, and
    the discriminatory terms anger excluded allies (the EU objected to the IRA)."""
    g = play(content, tmp_path, "  - turn: 1\n    orders:\n      us:\n        - {card: us-ira-credit}\n")
    assert g.m(1, "cohesion", "g7") < quiet.m(1, "cohesion", "g7")
    assert g.m(1, "cohesion", "msp") < quiet.m(1, "cohesion", "msp")
    assert g.affinity(1, "usa", "eu") < quiet.affinity(1, "usa", "eu")
    assert g.m(1, "lock_in", "usa") > quiet.m(1, "lock_in", "usa")
    assert g.m(8, "processing_share", "usa", "lithium") > quiet.m(8, "processing_share", "usa", "lithium")


def test_chiles_copper_royalty_raises_its_value_added_while_in_force(content, tmp_path, quiet):
    """BRIEF §3 Resource states (royalty increases, Chile) and §2.5: the royalty is rent
    taken mostly from the mines' margins, so the state's value added rises for as long as it
    is in force (three years), at the cost of a few sales, and goes back when it lapses."""
    g = play(content, tmp_path, "  - turn: 1\n    orders:\n      resource-states:\n"
                                "        - {card: rs-royalty-rise, actor: chl, targets: {mineral: copper}}\n")
    for t in (1, 2, 3):
        assert g.m(t, "value_added", "chl") > quiet.m(t, "value_added", "chl") + 1.0  # USD bn
        sold = g.m(t, "capacity_used", "chl", "copper", "extraction")
        assert 0.9 * quiet.m(t, "capacity_used", "chl", "copper", "extraction") < sold
    assert g.m(6, "value_added", "chl") == pytest.approx(quiet.m(6, "value_added", "chl"), rel=0.02)



def test_a_first_refinery_lowers_the_dependency_it_was_built_to_cut(content, tmp_path, quiet):
    """BRIEF §2.4 (friend-shoring builds allied supply): a grant for the first US graphite
    plant cuts US imports of refined graphite. The plant's own ore comes from abroad, but a
    stage counts in dependency by the size of its need, so the small ore need of one plant
    does not outweigh the refined imports it replaces."""
    g = play(content, tmp_path, "  - turn: 1\n    orders:\n      us:\n"
                                "        - {card: us-dpa-grant, targets: {mineral: graphite}}\n")
    arrived = next(t for t in range(1, 9) if g.m(t, "import_reliance", "usa", "graphite", "processing")
                   < quiet.m(t, "import_reliance", "usa", "graphite", "processing") - 1.0)
    assert g.m(arrived, "import_reliance", "usa", "graphite", "extraction") > 50.0  # its ore is imported
    for t in range(arrived, 9):
        assert g.m(t, "dependency", "usa") < quiet.m(t, "dependency", "usa")


def test_the_ira_credit_lowers_us_dependency_by_the_end(content, tmp_path, quiet):
    """BRIEF §2.4: the credit builds US refining of lithium, nickel, cobalt and graphite;
    the ore those plants need does not make the US read as more dependent than without it."""
    g = play(content, tmp_path, "  - turn: 1\n    orders:\n      us:\n        - {card: us-ira-credit}\n")
    for mineral in ("lithium", "graphite"):
        assert g.m(8, "import_reliance", "usa", mineral, "processing") < \
            quiet.m(8, "import_reliance", "usa", mineral, "processing")
    assert g.m(8, "dependency", "usa") < quiet.m(8, "dependency", "usa")


def test_less_demand_blunts_an_ore_ban_instead_of_sharpening_it(content, tmp_path):
    """BRIEF §2.5 and §2.9: the same DRC ban with the same supply left is a smaller shock in
    a market whose demand has fallen (cobalt-free chemistries, injected two years before).
    What factories cannot make for want of input is scarcity of the ore, all of it, so the
    price follows the shortfall."""
    ban = ("  - turn: 3\n    orders:\n      resource-states:\n"
           "        - {card: rs-ore-ban, actor: drc, targets: {mineral: cobalt}}\n")
    full = play(content, tmp_path, ban)
    slack = play(content, tmp_path, "  - turn: 1\n    injects:\n      - {card: ev-cobalt-free}\n" + ban)
    assert slack.m(3, "shortage", "usa", "cobalt") < full.m(3, "shortage", "usa", "cobalt")
    for stage in ("extraction", "processing", "manufacturing"):
        assert slack.m(3, "stage_price_index", "cobalt", stage) < full.m(3, "stage_price_index", "cobalt", stage)


def test_refineries_idled_by_an_ore_ban_book_no_new_capacity(content, tmp_path, quiet):
    """BRIEF §2.9 (supply answers high prices) and MODEL.md §9: the price spike of a DRC ban
    draws capacity only from producers that run; China's refineries, idle for want of the
    DRC's ore, book none, so the glut after the ban is not of their making."""
    g = play(content, tmp_path, "  - turn: 1\n    orders:\n      resource-states:\n"
                                "        - {card: rs-ore-ban, actor: drc, targets: {mineral: cobalt}}\n")
    chn, cobalt = g.index.actor_pos["chn"], g.index.mineral_pos["cobalt"]
    running = g.m(1, "capacity_used", "chn", "cobalt", "processing") / float(g.worlds[1].cap[chn, cobalt, 1])
    assert running < 0.5 and g.m(1, "stage_price_index", "cobalt", "processing") > 300.0
    booked = [p for w in g.worlds for p in w.pending
              if p.mechanism == "market response" and (p.actor, p.mineral, p.stage) == (chn, cobalt, 1)]
    assert booked == []
    assert float(g.worlds[8].cap[chn, cobalt, 1]) <= float(quiet.worlds[8].cap[chn, cobalt, 1]) + 1e-9


SUSPENSION = """
  - id: ev-test-export-suspension
    name: {en: "Export suspension of an ore", zh: "矿石出口暂停"}
    text:
      en: "Almost all of the state's ore exports are refused for a year; no smelter programme."
      zh: "一年内几乎全部矿石出口不予许可，不配套冶炼项目。"
    targets:
      - name: mineral
        kind: mineral
    effects:
      - kind: restrict_exports
        mineral: $mineral
        stage: extraction
        to: [others]
        severity: 0.7
        duration: 1
"""


def test_a_one_year_ore_export_suspension_leaves_no_lasting_glut(tmp_path):
    """BRIEF §2.5 (a short-term shock) and §2.9: the DRC stops most cobalt ore exports for
    one year (as it did in 2025). The spike is large, but once the suspension lapses the
    market is no longer short and the price falls back, only part of the way each year:
    investors read where it is going, so the suspending state's mines, running again, do not
    book capacity on the price left over from the year before, and the price is back near
    where it would have been instead of sinking into a glut of the state's own making."""
    import shutil

    from conftest import BUILTIN
    from wargame.model.loader import load_scenario

    root = tmp_path / "decks"
    shutil.copytree(BUILTIN, root)
    with (root / "events.yaml").open("a", encoding="utf-8") as f:
        f.write(SUSPENSION)
    content = load_scenario(root)
    quiet = play(content, tmp_path, "  - turn: 1\n    orders: {}\n")
    g = play(content, tmp_path, "  - turn: 1\n    injects:\n"
                                "      - {card: ev-test-export-suspension, actor: drc, targets: {mineral: cobalt}}\n")
    assert g.m(1, "stage_price_index", "cobalt", "extraction") > 5 * quiet.m(1, "stage_price_index", "cobalt", "extraction")
    assert g.m(2, "shortage", "chn", "cobalt") == pytest.approx(quiet.m(2, "shortage", "chn", "cobalt"), abs=1.0)
    drc, cobalt = g.index.actor_pos["drc"], g.index.mineral_pos["cobalt"]
    assert float(g.worlds[8].cap[drc, cobalt, 0]) <= float(quiet.worlds[8].cap[drc, cobalt, 0]) + 1e-6
    for stage in ("extraction", "processing"):
        assert g.m(8, "stage_price_index", "cobalt", stage) > 0.85 * quiet.m(8, "stage_price_index", "cobalt", stage)
