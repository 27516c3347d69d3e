"""Charts drawn on the server as inline SVG: no JavaScript, no CDN, and they print.

Each chart is an image with a <title> and a <desc> (role="img", aria-labelledby) and shows
every value as text; the page puts a data table next to it for screen readers and exact
figures. Labels (province and campaign names come from users) are escaped one by one, so
the returned Markup is safe to put in a page as it is.

Colours are the design tokens of static/css/site.css (primary lacquer red 7.9:1 and star
gold 5.9:1 on white; text #1f2328), written as attributes so a chart saved or printed on its
own keeps them.

Horizontal bars put each label above its bar: long Vietnamese names stay readable on a
390-px phone without being cut, which labels beside the bars would not allow. Monthly charts
are grouped columns, one group per month.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

TEXT = "#1f2328"
MUTED = "#555d66"
LINE = "#d9dde1"
SERIES_COLOURS = ("#9a2d1f", "#8a5a00", "#1f6f3a")  # primary, accent (stars), success
MAX_LABEL = 60

BAR_WIDTH = 420
BAR_ROW = 46
BAR_TOP = 8


def _label(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _head(chart_id: str, title: str, desc: str, width: int, height: int) -> str:
    return (
        f'<svg class="chart" id="{escape(chart_id)}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="inherit">'
        f'<title id="{escape(chart_id)}-t">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-d">{escape(desc)}</desc>'
    )


def _describe(rows: Sequence[tuple[str, int]]) -> str:
    if not rows:
        return "Không có số liệu."
    return "; ".join(f"{label}: {_number(value)}" for label, value in rows) + "."


def bar_chart(chart_id: str, title: str, rows: Sequence[tuple[str, int]]) -> Markup:
    """Horizontal bars, one per (label, value), the value written after each bar."""
    height = BAR_TOP * 2 + max(len(rows), 1) * BAR_ROW
    parts = [_head(chart_id, title, _describe(rows), BAR_WIDTH, height)]
    if not rows:
        parts.append(
            f'<text x="0" y="{BAR_TOP + 20}" fill="{MUTED}" font-size="14">Không có số liệu</text>'
        )
    peak = max((value for _, value in rows), default=0) or 1
    room = BAR_WIDTH - 60  # keep space for the value after the longest bar
    for i, (label, value) in enumerate(rows):
        y = BAR_TOP + i * BAR_ROW
        length = round(room * value / peak) if value else 0
        parts.append(
            f'<text x="0" y="{y + 14}" fill="{TEXT}" font-size="14">{escape(_label(label))}</text>'
            f'<rect x="0" y="{y + 20}" width="{room}" height="16" fill="{LINE}" opacity="0.35"/>'
        )
        if length:
            parts.append(
                f'<rect class="chart-bar" x="0" y="{y + 20}" width="{length}" height="16" '
                f'fill="{SERIES_COLOURS[0]}"/>'
            )
        parts.append(
            f'<text x="{length + 6}" y="{y + 33}" fill="{TEXT}" font-size="14" '
            f'font-weight="600">{_number(value)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def column_chart(
    chart_id: str,
    title: str,
    months: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
) -> Markup:
    """Grouped columns per month (at most three series; two stay readable on a phone for a
    year of months), values above the columns, a legend on top, months ("01/2026") below."""
    series = list(series)[: len(SERIES_COLOURS)]
    column, gap, group_gap, left = 10, 2, 10, 8
    group = len(series) * (column + gap) + group_gap
    width = max(BAR_WIDTH, left * 2 + group * len(months))
    plot_top, plot_height = 58, 150
    base = plot_top + plot_height
    height = base + 56
    desc = "; ".join(
        f"{name}: " + ", ".join(f"{m} {_number(v)}" for m, v in zip(months, values, strict=False))
        for name, values in series
    )
    parts = [_head(chart_id, title, desc + ".", width, height)]
    x = 0
    for colour, (name, _) in zip(SERIES_COLOURS, series, strict=False):
        parts.append(
            f'<rect x="{x}" y="4" width="14" height="14" fill="{colour}"/>'
            f'<text x="{x + 20}" y="16" fill="{TEXT}" font-size="13">{escape(_label(name))}</text>'
        )
        x += 28 + 8 * len(_label(name))
    peak = max((v for _, values in series for v in values), default=0) or 1
    parts.append(
        f'<line x1="0" y1="{base}" x2="{width}" y2="{base}" stroke="{MUTED}" stroke-width="1"/>'
    )
    for i, month in enumerate(months):
        gx = left + i * group
        for j, (colour, (_, values)) in enumerate(zip(SERIES_COLOURS, series, strict=False)):
            value = values[i] if i < len(values) else 0
            h = round(plot_height * value / peak)
            cx = gx + j * (column + gap)
            if h:
                parts.append(
                    f'<rect x="{cx}" y="{base - h}" width="{column}" height="{h}" fill="{colour}"/>'
                )
            ty, tx = base - h - 4, cx + column / 2 + 4
            parts.append(
                f'<text x="{tx}" y="{ty}" transform="rotate(-90 {tx} {ty})" fill="{TEXT}" '
                f'font-size="12">{_number(value)}</text>'
            )
        lx, ly = gx + 4, base + 12
        parts.append(
            f'<text x="{lx}" y="{ly}" transform="rotate(45 {lx} {ly})" fill="{TEXT}" '
            f'font-size="12">{escape(month)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
