"""Charts of the meters over the turns: the scales and colours the TUI's charts and the
handout's share, and the handout's charts drawn with matplotlib (as SVG for the web page,
PNG for slides).

matplotlib is imported only when a chart is drawn: the TUI and the other commands never
load it. Text from content (a team's or a mineral's name) is drawn as plain text: maths
markup is switched off, so a name with ``$`` in it reads as written.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from typing import NamedTuple

# colour-blind friendly line colours (Okabe-Ito first), as RGB for plotext, rich and matplotlib
PALETTE: tuple[tuple[int, int, int], ...] = (
    (86, 180, 233), (230, 159, 0), (0, 158, 115), (240, 228, 66), (204, 121, 167),
    (213, 94, 0), (0, 114, 178), (200, 200, 200), (153, 153, 255), (255, 128, 128),
    (128, 255, 170), (255, 204, 153), (170, 120, 60), (120, 200, 200),
)
# on paper, lines are told apart by their marks as well as their colours
MARKS = ("o", "s", "^", "D", "v", "P", "X", "<", ">", "p", "h", "*", "d", "8")


def chart_y_axis(values: list[float], ticks: int = 5) -> tuple[float, float, list[float]]:
    """The y range and ticks of a chart: at least 2 points, or 5% of the level, wide (so a
    move of a few hundredths does not fill the height and look like a swing), with ticks
    at round steps shown to one decimal, as the meters are everywhere else."""
    lo, hi = min(values), max(values)
    least = max(2.0, 0.05 * max(abs(lo), abs(hi)))
    if hi - lo < least:
        mid = (lo + hi) / 2.0
        widened = (mid - least / 2.0, mid + least / 2.0)
        # a meter that is never below zero is not drawn against negative values
        lo, hi = widened if lo < 0.0 or widened[0] >= 0.0 else (0.0, least)
    raw = (hi - lo) / (ticks - 1)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * magnitude >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    marks = [round(first + k * step, 6) for k in range(ticks + 1) if first + k * step <= hi + 1e-9]
    return lo, hi, marks


LABEL_CHARS = 40  # a legend entry or panel title longer than this is cut (with …): the plot keeps its room


def short(name: str) -> str:
    """A name as a chart shows it: cut to LABEL_CHARS characters."""
    return name if len(name) <= LABEL_CHARS else name[:LABEL_CHARS - 1] + "…"


def slug(name: str) -> str:
    """``name`` as a file-name-safe, id-safe word."""
    return re.sub(r"[^a-z0-9_-]", "-", name.lower())


class Chart(NamedTuple):
    """One meter over the turns: a line per team (per bloc, per mineral...), one value per
    column of ``columns`` (the start, then each turn's year); NaN where there is none."""

    meter: str
    title: str  # the meter's name, in the document's language
    unit: str
    columns: list[str]
    lines: list[tuple[str, list[float]]]
    note: str = ""  # how to read it, when the chart differs from its table

    @property
    def slug(self) -> str:
        """A file-name-safe name for the chart (the meter's id)."""
        return slug(self.meter)


def indexed(lines: list[tuple[str, list[float]]]) -> list[tuple[str, list[float]]]:
    """Each line as an index, 100 = its first value (prices of very different sizes on one
    chart); a line that starts at zero or at no value is left out."""
    out = []
    for name, values in lines:
        first = values[0] if values else math.nan
        if math.isfinite(first) and abs(first) > 1e-12:
            out.append((name, [v / first * 100.0 for v in values]))
    return out


class ChartError(Exception):
    """A chart that cannot be drawn as asked (its message says why and what to do)."""


# Families that hold Chinese characters, as the usual systems name them; a PNG in Chinese
# needs one of them installed (an SVG leaves the fonts to the browser).
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
                "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback", "AR PL UMing CN",
                "AR PL UKai CN", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "SimHei", "SimSun")


# Chinese, Japanese and Korean characters and punctuation, full-width forms, and the
# supplementary ideographs: what a font for Chinese must hold
_CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f]")


def _needs_cjk(chart: "Chart | Panels") -> bool:
    lines = chart.lines if isinstance(chart, Chart) else [ln for _, group in chart.panels for ln in group]
    titles = [] if isinstance(chart, Chart) else [name for name, _ in chart.panels]
    texts = [chart.title, chart.unit, *chart.columns, *titles, *(name for name, _ in lines)]
    return any(_CJK.search(text) for text in texts)


def _cjk_family() -> str | None:
    """The first installed family that holds Chinese characters, if any."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((f for f in CJK_FAMILIES if f in installed), None)


# Settings for every chart, so that the same game always gives the same bytes: SVG ids
# from a fixed salt, no date, text kept as text (a browser draws it in its own fonts,
# Chinese included), and no maths markup read from names.
_RC = {
    "svg.hashsalt": "wargame",
    "svg.fonttype": "none",
    "text.parse_math": False,
    "text.usetex": False,
    "font.size": 9.0,
    "axes.titlesize": 10.0,
    "axes.edgecolor": "#555555",
    "axes.labelcolor": "#333333",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
}


class Panels(NamedTuple):
    """One meter in several panels side by side (one per team, say), each with its own lines
    (one per game); ``marks`` are the columns where a game parts from the first, drawn as
    a dotted line."""

    meter: str
    title: str
    unit: str
    columns: list[str]
    panels: list[tuple[str, list[tuple[str, list[float]]]]]  # (panel title, lines)
    marks: list[int] = []
    note: str = ""

    @property
    def slug(self) -> str:
        return slug(self.meter)


def _draw(ax, columns: list[str], lines: list[tuple[str, list[float]]], marks: list[int] = ()) -> list:
    """Draw the lines on one set of axes, with the scales every chart uses; returns the
    lines drawn, for the legend (which is given them and their names outright: matplotlib
    would leave out on its own a name that starts with "_")."""
    from matplotlib.patheffects import withStroke
    from matplotlib.ticker import FixedLocator, NullLocator

    from wargame.report.labels import fmt1

    xs = list(range(len(columns)))
    finite: list[float] = []
    outline = [withStroke(linewidth=3.4, foreground="#4d4d4d")]
    for x in sorted(set(marks)):
        ax.axvline(x - 0.5, color="#8c8c8c", linewidth=1.0, linestyle=(0, (2, 2)))
    drawn = []
    for k, (name, ys) in enumerate(lines):
        colour = tuple(c / 255.0 for c in PALETTE[k % len(PALETTE)])
        values = [y if math.isfinite(y) else math.nan for y in ys]
        finite += [y for y in values if not math.isnan(y)]
        drawn += ax.plot(xs[:len(values)], values, color=colour, linewidth=2.0, marker=MARKS[k % len(MARKS)],
                         markersize=4.5, markeredgecolor="#4d4d4d", markeredgewidth=0.6, path_effects=outline)
    ax.set_xticks(xs, columns)
    ax.set_xlim(-0.3, max(len(xs) - 1, 1) + 0.3)
    if finite:
        lo, hi, ticks = chart_y_axis(finite)
        pad = 0.04 * (hi - lo)
        ax.set_ylim(lo - pad, hi + pad)
        ax.yaxis.set_major_locator(FixedLocator(ticks))
        ax.set_yticklabels([fmt1(m) for m in ticks])
    ax.yaxis.set_minor_locator(NullLocator())
    ax.grid(axis="y", color="#d9d9d9", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return drawn


def _figure(chart: "Chart | Panels"):
    """The chart as a matplotlib Figure (no pyplot: no global state, no window)."""
    from matplotlib.figure import Figure

    if isinstance(chart, Chart):
        fig = Figure(figsize=(7.6, 3.1), dpi=100, layout="constrained")
        ax = fig.add_subplot()
        drawn = _draw(ax, chart.columns, chart.lines)
        ax.set_ylabel(chart.unit)
        if chart.lines:
            fig.legend(drawn, [short(name) for name, _ in chart.lines], loc="outside right upper", frameon=False,
                       handlelength=2.4)
        return fig
    n = max(len(chart.panels), 1)  # (no panel at all: one empty frame)
    ncols = 1 if n == 1 else 2 if n <= 4 else 3
    nrows = -(-n // ncols)
    fig = Figure(figsize=(7.6, 0.5 + 2.1 * nrows), dpi=100, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    many = len(chart.columns) > 6  # narrow panels: every other year
    legend: tuple[list, list[str]] = ([], [])
    for k, ax in enumerate(axes.ravel()):
        if k >= len(chart.panels):
            ax.set_visible(False)
            continue
        name, lines = chart.panels[k]
        drawn = _draw(ax, chart.columns, lines, chart.marks)
        if k == 0:
            legend = (drawn, [short(n) for n, _ in lines])
        ax.set_title(short(name), loc="left")
        if many:
            for j, label in enumerate(ax.get_xticklabels()):
                label.set_visible(j % 2 == 0)
    fig.supylabel(chart.unit, fontsize=9.0)
    if legend[0]:
        fig.legend(*legend, loc="outside upper center", ncols=min(len(legend[1]), 6), frameon=False,
                   handlelength=2.4)
    return fig


def chart_svg(chart: "Chart | Panels") -> str:
    """The chart as an inline ``<svg>`` element: deterministic, text kept as text (so a
    browser draws Chinese in its own fonts, whatever fonts this machine has)."""
    import matplotlib

    with matplotlib.rc_context(_RC), warnings.catch_warnings():
        # the layout is measured in the default font, which may lack Chinese characters;
        # the browser draws them, so the warning says nothing about the page
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        buf = io.StringIO()
        _figure(chart).savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    # inline in a page, the SVG needs neither the XML prologue nor its metadata block, and
    # its ids (and the references to them) take the chart's name, so that several charts
    # in one page never share an id
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", text[text.index("<svg"):], flags=re.S).strip()
    pre = f"{chart.slug}-"

    def tag(m: re.Match) -> str:  # inside tags only: text (names) is left as written
        return m.group(0).replace(' id="', f' id="{pre}').replace('href="#', f'href="#{pre}') \
            .replace("url(#", f"url(#{pre}")

    return re.sub(r"<[^>]+>", tag, svg)


def chart_png(chart: "Chart | Panels", dpi: int = 150) -> bytes:
    """The chart as a PNG image, for slides; ChartError when its text is Chinese and no
    font on this machine holds Chinese characters (the image would show empty boxes)."""
    import matplotlib

    rc = dict(_RC)
    if _needs_cjk(chart):
        family = _cjk_family()
        if family is None:
            raise ChartError("no font with Chinese characters is installed, so the charts cannot be drawn "
                             "in Chinese as images; install one (for example Debian's fonts-noto-cjk), or "
                             "draw them in English (--lang en); the web page (.html) shows Chinese without it")
        rc["font.family"] = [family, "DejaVu Sans"]
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        # a sign no font here holds (an emoji in a name) is drawn as a box: the image is
        # still right, and the warning would only clutter the output
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        buf = io.BytesIO()
        _figure(chart).savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()
