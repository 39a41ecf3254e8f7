"""The words of the screens and reports in both languages the game speaks, and number formatting.

Content (scenario, team, actor names) carries its own ``Text`` with ``en``/``zh``;
these are only the labels around it. No textual import here.
"""

from __future__ import annotations

LANGS: tuple[str, ...] = ("en", "zh")

LABELS: dict[str, dict[str, str]] = {
    "turn": {"en": "Turn {n} of {t}", "zh": "第 {n} 回合，共 {t} 回合"},
    "over": {"en": "Game over after {t} turns", "zh": "推演结束（共 {t} 回合）"},
    "teams": {"en": "Teams", "zh": "队伍"},
    "team": {"en": "Team", "zh": "队伍"},
    "actors": {"en": "Actors", "zh": "行为体"},
    "actor": {"en": "Actor", "zh": "行为体"},
    "budget": {"en": "Budget", "zh": "预算"},
    "hand": {"en": "Hand", "zh": "手牌"},
    "meters": {"en": "Meters by actor", "zh": "各行为体指标"},
    "dependency": {"en": "Depend.", "zh": "依赖度"},
    "cost": {"en": "Cost", "zh": "成本"},
    "leverage": {"en": "Leverage", "zh": "杠杆"},
    "value_added": {"en": "Val. add", "zh": "增加值"},
    "lock_in": {"en": "Lock-in", "zh": "锁定"},
    "blocs": {"en": "Blocs", "zh": "集团"},
    "bloc": {"en": "Bloc", "zh": "集团"},
    "members": {"en": "Members", "zh": "成员"},
    "cohesion": {"en": "Cohesion", "zh": "凝聚力"},
    "securitisation": {"en": "Securitisation index", "zh": "安全化指数"},
    "prices": {"en": "Mineral prices (USD/kg, processing stage)", "zh": "矿产价格（加工环节，美元/千克）"},
    "securitisation_unit": {"en": "index 0-100", "zh": "指数 0-100"},
    "mineral": {"en": "Mineral", "zh": "矿产"},
    "price": {"en": "USD/kg", "zh": "美元/千克"},
    "no_team": {"en": "—", "zh": "—"},
}

# What each meter shown on the main screen means; its unit comes from engine.meters.UNITS.
METER_HELP: dict[str, dict[str, str]] = {
    "dependency": {
        "en": "How much of an actor's strategically weighted mineral needs come from abroad or "
              "from rivals.",
        "zh": "行为体按战略权重计算的矿产需求中，依赖进口或依赖对手供应的程度。",
    },
    "cost": {
        "en": "Economic plus fiscal cost of securing supply, against the starting level.",
        "zh": "保障供应的经济成本与财政成本之和，相对于初始水平。",
    },
    "leverage": {
        "en": "How much of everyone else's needs the actor meets at the chokepoint stage, weighted by "
              "its control of that stage and by how hard each mineral is to replace.",
        "zh": "行为体在卡点环节满足其他各方需求的程度，按其对该环节的控制力以及各矿产的难以替代程度加权。",
    },
    "value_added": {
        "en": "Value created by the actor's mining, processing and manufacturing.",
        "zh": "行为体在开采、加工和制造环节创造的价值。",
    },
    "lock_in": {
        "en": "Money sunk into policies so far: commitments that are costly to reverse.",
        "zh": "已投入政策的沉没资金：事后撤回代价高昂的承诺。",
    },
    "cohesion": {
        "en": "Per bloc: the mean affinity between its members, rescaled.",
        "zh": "每个集团成员之间的平均亲近度（经换算）。",
    },
    "securitisation": {
        "en": "How far minerals are treated as a security matter worldwide; it raises costs.",
        "zh": "全球将矿产视为安全问题的程度；它会推高成本。",
    },
    "price": {
        "en": "World price of each mineral at the processing stage.",
        "zh": "各矿产在加工环节的世界价格。",
    },
}

ACTOR_METERS: tuple[str, ...] = ("dependency", "cost", "leverage", "value_added", "lock_in")


def label(key: str, lang: str, **fields: object) -> str:
    """A UI label in the given language, with ``{fields}`` filled in."""
    text = LABELS[key].get(lang) or LABELS[key]["en"]
    return text.format(**fields) if fields else text


def fmt1(value: float) -> str:
    """One decimal place, as the meters are shown everywhere (no "-0.0")."""
    text = f"{float(value):.1f}"
    return "0.0" if text == "-0.0" else text


def tr(table: dict[str, dict[str, str]], key: str, lang: str, **fields: object) -> str:
    """A label from a screen's own table (``{key: {"en": ..., "zh": ...}}``), in ``lang``,
    falling back to English, with ``{fields}`` filled in."""
    words = table[key]
    text = words.get(lang) or words["en"]
    return text.format(**fields) if fields else text


def tr_in(table: dict[str, dict[str, str]], key: str, **fields: object):
    """``tr`` for a language chosen later: a dialog's words that follow F2."""
    return lambda lang: tr(table, key, lang, **fields)


# Units in Chinese; English comes from wargame.engine.meters.UNITS.
UNITS_ZH = {
    "dependency": "指数 0-100",
    "cost": "指数，第 0 回合 = 100",
    "cohesion": "指数 0-100",
    "leverage": "指数 0-100",
    "lock_in": "沉没投入，十亿美元",
    "securitisation": "指数 0-100",
    "price": "美元/千克（加工环节）",
    "value_added": "十亿美元",
    "shortage": "最终需求未满足的百分比",
    "processing_share": "占全球加工的百分比",
    "import_reliance": "依赖进口（或未满足）的需求百分比",
    "rival_reliance": "依赖对手的需求百分比",
    "hhi": "供应商集中度 0-10000",
}


def unit(meter: str, lang: str) -> str:
    """A meter's unit in ``lang`` (English from ``wargame.engine.meters.UNITS``)."""
    if lang == "zh" and meter in UNITS_ZH:
        return UNITS_ZH[meter]
    from wargame.engine.meters import UNITS  # numpy: only when a unit is asked for

    return UNITS.get(meter, "")
