"""The debrief as a Markdown document: a handout of the whole game for after the seminar.

It says in words what the report screens said turn by turn — the orders revealed with the
White Cell's rulings and rationales, the events, the news, and why each headline meter
moved — and ends with every team side by side at the start and now. The words are the
report's own (``wargame.report.words``), in either language. Written from the TUI's
command palette, or with ``wargame debrief SAVE``.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from wargame.engine.meters import LEDGER_METERS
from wargame.report.charts import Chart
from wargame.report.labels import fmt1, tr, unit
from wargame.report.words import (CHARTED, COMPARE, HEADLINE, STAGE_PRICES, Names, chart_lines, fork_words, glance_rows, meter_chart, meter_name, inject_line, news_words, order_lines, short_meter,
                                  signed, turn_year, why_groups, with_change)
from wargame.report.words import WORDS as REPORT_WORDS

if TYPE_CHECKING:
    from wargame.game.seminar import Seminar

WORDS = {
    "title": {"en": "Debrief: {name}", "zh": "复盘：{name}"},
    "facts": {"en": "Seed {seed} · {n} of {t} turns played ({first}–{last})",
              "zh": "随机种子 {seed} · 已进行 {n} 回合，共 {t} 回合（{first}–{last} 年）"},
    "none_played": {"en": "Seed {seed} · no turn played yet", "zh": "随机种子 {seed} · 尚未进行任何回合"},
    "seats": {"en": "Who played", "zh": "参与方"},
    "human": {"en": "people at the keyboard", "zh": "真人"},
    "bot": {"en": "bot ({policy})", "zh": "电脑（{policy}）"},
    "end": {"en": "Where the game stands", "zh": "推演结果"},
    "end_note": {"en": "Each cell: now (change since the start). Means over a team's actors; value added is "
                       "their sum; cohesion is the mean over the team's blocs.",
                 "zh": "每格为当前值（括号内为与开局相比的变化）。团队取其行为体的平均值；增加值为总和；"
                       "凝聚力为该队所在集团的平均值。"},
    "turn": {"en": "Turn {n} · {year}", "zh": "第 {n} 回合 · {year} 年"},
    "timeline": {"en": "The meters turn by turn", "zh": "各项指标逐回合变化"},
    "timeline_note": {"en": "Each headline meter after every turn, the start first; the last column draws the "
                            "line from its lowest to its highest value. A team is the mean of its actors "
                            "(value added: their sum). After the refined price come the ore and "
                            "manufactured-goods prices, as indices.",
                      "zh": "每项主要指标在每个回合之后的数值，首列为开局；末列以迷你图显示该行从最低到最高的走势。"
                            "团队取其行为体的平均值（增加值为总和）。加工环节价格之后是矿石价格和制成品价格（以指数表示）。"},
    "start": {"en": "start", "zh": "开局"},
    "trend": {"en": "trend", "zh": "走势"},
    "why": {"en": "Why the meters moved", "zh": "指标变动的原因"},
    "glance": {"en": "The game at a glance", "zh": "推演概览"},
    "glance_note": {"en": "What each team played each year, as the White Cell ruled it (struck through: vetoed), "
                          "and the events of the year.",
                    "zh": "各队每年所出的牌（以白方裁定为准；删除线表示被否决），以及当年的事件。"},
    "year": {"en": "Year", "zh": "年份"},
    "events": {"en": "Events", "zh": "事件"},
}


def md(text: str) -> str:
    """Text from a deck or a rationale, shown as written: Markdown's own characters escaped
    (``~`` too: struck-through text is on; ``&``: no entity is read; ``#``: no heading is
    opened or closed), a mark at the start that would open a quote, a list or a rule
    escaped, and line breaks folded into spaces."""
    out = re.sub(r"([\\`*_\[\]<|~&#])", r"\\\1", " ".join(str(text).split()))  # & : no entity
    out = re.sub(r"^([>+=-])", r"\\\1", out)  # "> ...", "- ...", "===", "---"
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", out)  # "1. ...", "2) ..."


def _at_table(seminar: "Seminar", meter: str, key: str) -> bool:
    """Whether a meter value concerns the teams: an actor a team plays, a bloc a team
    belongs to, or the world (securitisation, prices). Actors nobody plays are left to the
    report screens and the tables."""
    dims = LEDGER_METERS.get(meter, ())
    first = key.split("/")[0]
    if dims and dims[0] == "actor":
        return any(first in seminar.actors(t) for t in seminar.teams)
    if dims and dims[0] == "bloc":
        return any(first in seminar.blocs_of(t) for t in seminar.teams)
    return True


BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float]) -> str:
    """The values as a line of block characters, lowest ▁ to highest █ (a flat line: ▄;
    a value that is not a number: a space)."""
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return ""
    lo, hi = min(finite), max(finite)
    if hi - lo < 1e-9 * max(1.0, abs(hi)):
        return "".join(BARS[3] if math.isfinite(v) else " " for v in values)
    top = len(BARS) - 1
    return "".join(BARS[round((v - lo) / (hi - lo) * top)] if math.isfinite(v) else " " for v in values)


def glance(seminar: "Seminar", lang: str, names: Names) -> list[str]:
    """The whole game as one table: a row per year, a column per team and one for the
    events; each cell the cards played, vetoed ones struck through."""
    s = seminar
    sep = "；" if lang == "zh" else "; "
    out = ["", f"## {tr(WORDS, 'glance', lang)}", "", md(tr(WORDS, "glance_note", lang)), "",
           "| " + " | ".join([tr(WORDS, "year", lang)] + [md(s.team_name(t, lang)) for t in s.teams]
                             + [tr(WORDS, "events", lang)]) + " |",
           "|---" * (len(s.teams) + 2) + "|"]
    for row in glance_rows(s, lang, names):
        cells = [sep.join(f"~~{md(text)}~~" if vetoed else md(text) for text, vetoed in played) or "—"
                 for played in row.orders]
        cells.append(sep.join(md(e) for e in row.events) or "—")
        out.append(f"| {row.year} | " + " | ".join(cells) + " |")
    return out


def timeline(seminar: "Seminar", lang: str) -> list[str | Chart]:
    """Each headline meter after every turn as a chart and a table: a row per team (per bloc
    for cohesion, per mineral for prices, one for the world's securitisation); then the
    ore and manufactured prices, as indices."""
    s = seminar
    played = len(s.session.records)
    heads = [tr(WORDS, "start", lang)] + [str(turn_year(s, t)) for t in range(1, played + 1)]
    out: list[str | Chart] = ["\n".join(["", f"## {tr(WORDS, 'timeline', lang)}", "",
                                         md(tr(WORDS, "timeline_note", lang))])]
    for meter in CHARTED:
        chart = meter_chart(s, meter, lang, heads)
        # the tables give the refined price in USD/kg; the other stages' prices are indices
        shown = chart.unit if meter in STAGE_PRICES else unit(meter, lang)
        out.append("\n".join(["", f"### {md(meter_name(meter, lang))} · {md(shown)}", ""]))
        out.append(chart)
        table = ["| | " + " | ".join(heads) + f" | {tr(WORDS, 'trend', lang)} |",
                 "|---" + "|---:" * len(heads) + "|---|"]
        for name, values in chart_lines(s, meter, lang):
            table.append(f"| {md(name)} | " + " | ".join(fmt1(v) if math.isfinite(v) else "—" for v in values)
                         + f" | {sparkline(values)} |")
        out.append("\n".join(table))
    return out


def debrief_markdown(seminar: "Seminar", lang: str = "en") -> str:
    """The whole game so far as Markdown, in ``lang`` (the charts are the tables' rows)."""
    return "\n".join(b for b in debrief_blocks(seminar, lang) if isinstance(b, str)) + "\n"


def debrief_blocks(seminar: "Seminar", lang: str = "en") -> list[str | Chart]:
    """The debrief as Markdown blocks with a chart of each headline meter between them (the
    web page draws the charts; the Markdown file leaves them out)."""
    s, names = seminar, Names(seminar, lang)
    sc = s.session.scenario
    played = len(s.session.records)
    out = [f"# {md(tr(WORDS, 'title', lang, name=sc.name.get(lang)))}", ""]
    if played:
        out.append(md(tr(WORDS, "facts", lang, seed=s.session.seed, n=played, t=sc.turns,
                         first=turn_year(s, 1), last=turn_year(s, played))))
    else:
        out.append(md(tr(WORDS, "none_played", lang, seed=s.session.seed)))
    forks = fork_words(s.session, lang)
    if forks:  # a what-if: say which game it branched from
        out += [""] + [md(f[0].upper() + f[1:] + ("。" if lang == "zh" else ".")) for f in forks]
    if s.seats_known:  # a headless game's save does not say who played
        out += ["", f"## {tr(WORDS, 'seats', lang)}", ""]
        for team in s.teams:
            seat = s.seats.get(team, "human")
            policy = tr(WORDS, "human", lang) if seat == "human" else tr(WORDS, "bot", lang, policy=seat)
            out.append(f"- **{md(s.team_name(team, lang))}**: {md(policy)}")

    # where the game stands: every team side by side, now and against the start
    now, start = s.comparison(), s.comparison(turn=0)
    out += ["", f"## {tr(WORDS, 'end', lang)}", "", md(tr(WORDS, "end_note", lang)), ""]
    out.append("| " + " | ".join([tr(REPORT_WORDS, "meter_col", lang)] + [md(s.team_name(t, lang))
                                                                         for t in s.teams]) + " |")
    out.append("|---" + "|---:" * len(s.teams) + "|")
    for meter in COMPARE:
        cells = [with_change(now[t].get(meter, math.nan), start[t].get(meter, math.nan)) for t in s.teams]
        out.append("| " + " | ".join([md(f"{short_meter(meter, lang)} ({unit(meter, lang)})")] + cells) + " |")

    blocks: list[str | Chart] = ["\n".join(out)]
    if played:
        blocks.append("\n".join(glance(s, lang, names)))
        blocks += timeline(s, lang)

    out = []
    for turn in range(1, played + 1):
        report = s.report(turn)
        out += ["", f"## {tr(WORDS, 'turn', lang, n=turn, year=turn_year(s, turn))}", "",
                f"### {tr(REPORT_WORDS, 'orders', lang)}", ""]
        for team in s.teams:
            lines = order_lines(s, report, team, names)
            if not lines:
                out.append(f"- **{md(s.team_name(team, lang))}**: {md(tr(REPORT_WORDS, 'passed', lang))}")
                continue
            out.append(f"- **{md(s.team_name(team, lang))}**")
            for ln in lines:
                card = f"~~{md(ln.card)}~~" if ln.vetoed is not None else md(ln.card)
                what = card + (f" ({md(ln.actor)})" if ln.actor else "") + (f" → {md(ln.targets)}" if ln.targets
                                                                          else "")
                out.append(f"  - {what}")
                if ln.vetoed is not None:
                    out.append(f"    - {md(tr(REPORT_WORDS, 'vetoed', lang, why=ln.vetoed))}")
                elif ln.amended is not None:
                    out.append(f"    - {md(tr(REPORT_WORDS, 'amended', lang, why=ln.amended, was=ln.was or '—'))}")
        out += ["", f"### {tr(REPORT_WORDS, 'injects', lang)}", ""]
        out += [f"- {md(inject_line(inj, names).plain)}" for inj in report.injects] or \
               [f"- {md(tr(REPORT_WORDS, 'no_injects', lang))}"]
        out += ["", f"### {tr(REPORT_WORDS, 'news', lang)}", ""]
        out += [f"- {md(news_words(line, names))}" for line in report.news] or \
               [f"- {md(tr(REPORT_WORDS, 'no_news', lang))}"]
        if report.events:
            out += ["", f"### {tr(REPORT_WORDS, 'events', lang)}", ""]
            out += [f"- **{md(news_words(line, names))}**" for line in report.events]
        out += ["", f"### {tr(WORDS, 'why', lang)}", ""]
        groups = [g for g in why_groups(s, turn, lang) if g.meter in HEADLINE and _at_table(s, g.meter, g.key)]
        if not groups:
            out.append(f"- {md(tr(REPORT_WORDS, 'nothing_moved', lang, x='0.05'))}")
        sep = "；" if lang == "zh" else "; "
        for g in groups:
            causes = sep.join(f"{md(c.text)} {signed(c.delta)}" for c in g.causes)
            out.append(f"- **{md(g.title)}** {signed(g.total)} ({md(unit(g.meter, lang))}): {causes}")
    if out:
        blocks.append("\n".join(out))
    return blocks
