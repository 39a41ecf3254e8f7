"""The debrief as one self-contained web page: the Markdown handout's words, with a chart
of each headline meter over the turns above its table.

The page needs nothing beside it (the charts are inline SVG and the style sheet is in the
page), so it can be mailed, opened offline, projected or printed. The Markdown is turned
into HTML by markdown-it with raw HTML switched off, and every text from content was
already escaped for Markdown (``debrief.md``): nothing from a deck, a scenario or a save
can add markup, a link or a script to the page. The same save gives the same bytes.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from wargame.report.charts import Chart, chart_svg
from wargame.report.debrief import debrief_blocks
from wargame.report.labels import tr

if TYPE_CHECKING:
    from wargame.game.seminar import Seminar

WORDS = {
    "title": {"en": "Debrief: {name}", "zh": "复盘：{name}"},
    "chart_alt": {"en": "Chart: {meter} ({unit}) at the start and after each turn, one line per row of the "
                        "table below.",
                  "zh": "图表：{meter}（{unit}），开局及每个回合之后的数值，每一行对应下表的一行。"},
    "generator": {"en": "Written by wargame.", "zh": "由 wargame 生成。"},
}

SUFFIXES = (".html", ".htm")  # a debrief written to a file of these names is a web page

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
}
"""


def _markdown():
    """A Markdown renderer that writes no raw HTML of its own input: CommonMark with tables
    and struck-through text."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}) \
        .enable("table").enable("strikethrough")


def figure(chart: Chart, lang: str) -> str:
    """A chart as an HTML ``<figure>``, described for screen readers."""
    alt = escape(tr(WORDS, "chart_alt", lang, meter=chart.title, unit=chart.unit))
    svg = chart_svg(chart).replace("<svg ", f'<svg role="img" aria-label="{alt}" ', 1)
    note = f"<figcaption>{escape(chart.note)}</figcaption>\n" if chart.note else ""
    return f'<figure class="chart" id="chart-{chart.slug}">\n{svg}\n{note}</figure>\n'


def debrief_html(seminar: "Seminar", lang: str = "en") -> str:
    """The whole game so far as a web page, in ``lang``."""
    return html_page(debrief_blocks(seminar, lang), seminar.session.scenario.name.get(lang), lang)


def html_page(blocks: "list[str | Chart]", name: str, lang: str) -> str:
    """The page of a debrief's blocks (``debrief_blocks``): reads nothing but its arguments,
    so it can be drawn away from the game (the TUI draws it in a thread)."""
    render = _markdown().render
    body = [figure(b, lang) if isinstance(b, Chart) else render(b) for b in blocks]
    title = escape(tr(WORDS, "title", lang, name=name))
    return (f'<!DOCTYPE html>\n<html lang="{"zh-Hans" if lang == "zh" else "en"}">\n<head>\n'
            f'<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
            + "".join(body)
            + f"<footer>{escape(tr(WORDS, 'generator', lang))}</footer>\n</main>\n</body>\n</html>\n")
