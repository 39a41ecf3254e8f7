"""The debrief as one self-contained web page: the Markdown handout's words, with a chart
of each headline meter over the turns above its table.

The page needs nothing beside it (the charts are inline SVG and the style sheet is in the
page), so it can be mailed, opened offline, projected or printed. The Markdown is turned
into HTML by markdown-it with raw HTML switched off, and every text from content was
already escaped for Markdown (``debrief.md``): nothing from a deck, a scenario or a save
can add markup, a link or a script to the page. The same save gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from wargame.report.charts import Chart, Panels, chart_svg
from wargame.report.debrief import WORDS as DEBRIEF_WORDS
from wargame.report.debrief import debrief_blocks
from wargame.report.labels import tr

if TYPE_CHECKING:
    from wargame.game.seminar import Seminar
    from wargame.report.compare import Game, Parting, Relations, Table

WORDS = {
    "title": {"en": "Debrief: {name}", "zh": "复盘：{name}"},
    "chart_alt": {"en": "Chart: {meter} ({unit}) at the start and after each turn, one line per row of the "
                        "table below.",
                  "zh": "图表：{meter}（{unit}），开局及每个回合之后的数值，每一行对应下表的一行。"},
    "generator": {"en": "Written by wargame.", "zh": "由 wargame 生成。"},
    "compare_title": {"en": "Comparison: {name}", "zh": "推演对比：{name}"},
    "compare_charts": {"en": "The meters turn by turn, game by game", "zh": "各项指标逐回合变化（按推演）"},
    "compare_note": {"en": "One line per game, a panel per team (per bloc for cohesion). A dotted line marks "
                           "the turn where a game parts from {first}. A team is the mean of its actors "
                           "(value added: their sum).",
                     "zh": "每局推演一条线，每队一个小图（凝聚力为每个集团一个小图）。虚线标出某局与 {first} "
                           "分道的回合。团队取其行为体的平均值（增加值为总和）。"},
    "world": {"en": "the world", "zh": "全球"},
    "panels_alt": {"en": "Chart: {meter} ({unit}) at the start and after each turn, a panel each for {panels}, "
                         "one line per game.",
                   "zh": "图表：{meter}（{unit}），开局及每个回合之后的数值，分别为 {panels}，每局推演一条线。"},
}

SUFFIXES = (".html", ".htm")  # a document written to a file of these names is a web page


def is_page(path) -> bool:
    """Whether a document written to ``path`` is a web page (its name ends in .html or .htm;
    a name that is only the ending counts too)."""
    return str(path).lower().endswith(SUFFIXES)

# The page's look: readable on a screen, a projector and paper; Chinese fonts named for the
# systems that have them.
STYLE = """
:root { color-scheme: light; }
body { margin: 0; background: #fafafa; color: #1f1f1f;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "PingFang SC",
    "Microsoft YaHei", sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 2rem 3rem; background: #fff; }
h1 { font-size: 1.7rem; margin: 0.5rem 0 0.3rem; }
h2 { font-size: 1.3rem; margin-top: 2.2rem; padding-top: 0.6rem; border-top: 2px solid #d0d0d0; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 0.4rem; }
table { border-collapse: collapse; margin: 0.6rem 0 1rem; font-variant-numeric: tabular-nums; }
th, td { padding: 0.22rem 0.6rem; border-bottom: 1px solid #e3e3e3; vertical-align: top; }
thead th { border-bottom: 2px solid #9a9a9a; text-align: left; }
tbody tr:nth-child(even) { background: #f6f6f6; }
td.num { text-align: right; white-space: nowrap; }
figure { margin: 0.4rem 0 0.2rem; }
figure svg { width: 100%; height: auto; max-width: 48rem; }
figcaption { font-size: 0.8rem; color: #5a5a5a; }
ul { padding-left: 1.4rem; }
li { margin: 0.15rem 0; }
del { color: #8a2a2a; }
footer { margin-top: 3rem; font-size: 0.8rem; color: #6a6a6a; }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  figure, table, h3 { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  main > h1 ~ h1 { break-before: page; }  /* each team's briefing on pages of its own */
}
"""


def _markdown():
    """A Markdown renderer that writes no raw HTML of its own input: CommonMark with tables
    and struck-through text."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}) \
        .enable("table").enable("strikethrough")


def figure(chart: "Chart | Panels", lang: str) -> str:
    """A chart as an HTML ``<figure>``, described for screen readers."""
    if isinstance(chart, Chart):
        alt = tr(WORDS, "chart_alt", lang, meter=chart.title, unit=chart.unit)
    else:
        alt = tr(WORDS, "panels_alt", lang, meter=chart.title, unit=chart.unit,
                 panels=("、" if lang == "zh" else ", ").join(name for name, _ in chart.panels))
    svg = chart_svg(chart).replace("<svg ", f'<svg role="img" aria-label="{escape(alt)}" ', 1)
    note = f"<figcaption>{escape(chart.note)}</figcaption>\n" if chart.note else ""
    return f'<figure class="chart" id="chart-{chart.slug}">\n{svg}\n{note}</figure>\n'


def page(title: str, body: list[str], lang: str) -> str:
    """A self-contained page: the title (plain text, escaped here) and the body's HTML."""
    return (f'<!DOCTYPE html>\n<html lang="{"zh-Hans" if lang == "zh" else "en"}">\n<head>\n'
            f'<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
            + "".join(body)
            + f"<footer>{escape(tr(WORDS, 'generator', lang))}</footer>\n</main>\n</body>\n</html>\n")


def debrief_html(seminar: "Seminar", lang: str = "en") -> str:
    """The whole game so far as a web page, in ``lang``."""
    return html_page(debrief_blocks(seminar, lang), debrief_title(seminar, lang), lang)


def debrief_title(seminar: "Seminar", lang: str) -> str:
    return tr(WORDS, "title", lang, name=seminar.session.scenario.name.get(lang))


def briefing_html(seminar: "Seminar", teams: list[str], lang: str = "en", white_cell: bool = False) -> str:
    """The briefings of ``teams`` (and the White Cell's) as one web page, each from a new
    page when printed."""
    from wargame.report.briefing import all_blocks, briefing_title

    return html_page(all_blocks(seminar, teams, lang, white_cell), briefing_title(seminar, teams, lang, white_cell),
                     lang)


def html_page(blocks: "list[str | Chart]", title: str, lang: str) -> str:
    """The page of Markdown blocks and charts (``debrief_blocks``, ``briefing_blocks``):
    reads nothing but its arguments, so it can be drawn away from the game (the TUI draws
    it in a thread)."""
    render = _markdown().render
    body = [figure(b, lang) if isinstance(b, Chart) else render(b) for b in blocks]
    return page(title, body, lang)


@dataclass(frozen=True)
class ComparePage:
    """What the comparison page shows, read from the games (``compare_parts``) so that it
    can be drawn away from them (``compare_page``)."""

    title: str
    first: str  # the first game's label
    relations: "Relations"
    partings: "list[tuple[str, Parting]]"  # (the other game's label, what differed)
    charts: "list[Panels]"
    table: "Table"


def compare_parts(games: "list[Game]", turn: int, lang: str = "en") -> ComparePage:
    from wargame.report.compare import TEAM_METERS, parting, relations, table

    first = games[0]
    rel = relations(games, lang)
    return ComparePage(tr(WORDS, "compare_title", lang, name=first.seminar.session.scenario.name.get(lang)),
                       first.label, rel, [(g.label, parting(first, g, p, lang)) for g, p in rel.partings],
                       compare_charts(games, rel.partings, lang, TEAM_METERS), table(games, turn, lang))


def compare_html(games: "list[Game]", turn: int, lang: str = "en") -> str:
    """The comparison of games (``wargame compare``) as a web page: how they are related,
    what differed where they part, each headline meter of every team turn by turn with a
    line per game, and the table at ``turn``."""
    return compare_page(compare_parts(games, turn, lang), lang)


def compare_page(parts: ComparePage, lang: str) -> str:
    """The page of ``compare_parts``; every text is escaped here."""
    from wargame.report.compare import WORDS as CWORDS

    rel, first = parts.relations, parts.first
    out = [f"<h1>{escape(parts.title)}</h1>\n", f"<h2>{escape(tr(CWORDS, 'games', lang))}</h2>\n<ul>\n"]
    out += [f"<li>{escape(line)}</li>\n" for line in rel.games]
    out.append("</ul>\n")
    out += [f"<p>{escape(line)}</p>\n" for line in rel.sentences]
    for label, part in parts.partings:
        out.append(f"<h2>{escape(part.title)}</h2>\n")
        if part.alike is not None:
            out.append(f"<p>{escape(part.alike)}</p>\n")
            continue
        out.append(f"<table>\n<thead><tr><th></th><th>{escape(first)}</th><th>{escape(label)}</th></tr>"
                   "</thead>\n<tbody>\n")
        out += [f"<tr><th>{escape(what)}</th><td>{escape(a)}</td><td>{escape(b)}</td></tr>\n"
                for what, a, b in part.rows]
        out.append("</tbody>\n</table>\n")

    out.append(f"<h2>{escape(tr(WORDS, 'compare_charts', lang))}</h2>\n"
               f"<p>{escape(tr(WORDS, 'compare_note', lang, first=first))}</p>\n")
    for chart in parts.charts:
        out.append(f"<h3>{escape(chart.title)} · {escape(chart.unit)}</h3>\n")
        out.append(figure(chart, lang))

    t = parts.table
    width = 1 + len(t.heads)
    out.append(f"<h2>{escape(t.title)}</h2>\n<table>\n<thead><tr><th></th>")
    out += [f"<th>{escape(h)}</th>" for h in t.heads]
    out.append("</tr></thead>\n<tbody>\n")
    for name, cells in t.rows:
        if not cells:
            out.append(f'<tr><th colspan="{width}">{escape(name)}</th></tr>\n')
        else:
            out.append(f"<tr><td>{escape(name)}</td>" + "".join(f'<td class="num">{escape(c)}</td>' for c in cells)
                       + "</tr>\n")
    out.append(f"</tbody>\n</table>\n<p>{escape(t.note)}</p>\n")
    return page(parts.title, out, lang)


def compare_charts(games: "list[Game]", partings: "list[tuple[Game, int]]", lang: str,
                   meters: "tuple[str, ...]") -> "list[Panels]":
    """Each of ``meters`` with a panel per team, then securitisation and each bloc's
    cohesion; a line per game (NaN where a game has no such bloc)."""
    import math

    from wargame.report.labels import unit
    from wargame.report.words import Names, meter_name, turn_year

    first = games[0].seminar
    played = max(len(g.seminar.session.records) for g in games)
    columns = [tr(DEBRIEF_WORDS, "start", lang)] + [str(turn_year(first, t)) for t in range(1, played + 1)]
    marks = sorted({p for _, p in partings})
    teams = [first.team_name(t, lang) for t in first.teams]
    out = []
    # every team's meters in every game after every turn, as the table gives them
    values = [[g.seminar.comparison(turn=t) for t in range(len(g.seminar.session.history))] for g in games]
    for meter in meters:
        panels = [(name, [(g.label, [v[team].get(meter, math.nan) for v in values[k]]) for k, g in enumerate(games)])
                  for team, name in zip(first.teams, teams)]
        out.append(Panels(meter, meter_name(meter, lang), unit(meter, lang), columns, panels, marks))
    world = [(tr(WORDS, "world", lang), [(g.label, g.seminar.series("securitisation")) for g in games])]
    out.append(Panels("securitisation", meter_name("securitisation", lang), unit("securitisation", lang), columns,
                      world, marks))
    names = Names(first, lang)

    def cohesion(g: "Game", bloc: str) -> list[float]:
        blocs = g.seminar.session.index.blocs
        return g.seminar.series("cohesion", bloc) if bloc in blocs else [math.nan] * len(g.seminar.session.history)

    blocs = [(names.blocs.get(b, b), [(g.label, cohesion(g, b)) for g in games]) for b in first.session.index.blocs]
    if blocs:  # a scenario may have no bloc at all
        out.append(Panels("cohesion", meter_name("cohesion", lang), unit("cohesion", lang), columns, blocs, marks))
    return out
