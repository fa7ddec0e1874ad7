"""Charts for the HTML reports, as inline SVG (no scripts, no external resources).

Each chart is drawn at its own size (``width`` and ``height`` equal to its
``viewBox``), like the membership bar chart, so its text keeps the sizes the
stylesheet gives it on any screen; the page lets a wide chart scroll sideways in
its own box. Every chart has a ``<title>`` and a ``<desc>`` that say in words
what it shows, and marks that do not rely on colour alone (a "+" for a nation
that joins, a minus sign for one that leaves, dash patterns for lines).
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from cspo_archive.analysis import Comparison, Timeline
from cspo_archive.analysis.membership import country_name

__all__ = [
    "matrix_chart",
    "membership_matrix",
    "principles_matrix",
    "rates_chart",
    "shifts_chart",
    "svg_shape",
    "svg_text",
]

#: Matrix geometry: a cell's size, the room for row labels and for column heads.
_CELL, _ROW_LABEL, _HEAD = 26, 210, 44
#: Line chart geometry.
_SLOT, _LINE_LEFT, _LINE_TOP, _LINE_PLOT, _LINE_BOTTOM, _LEGEND = 90, 56, 20, 160, 40, 170
#: The dash pattern of each series, in turn (lines stay apart without colour).
_DASHES = ("", "6 3", "2 3", "10 3 2 3", "1 5", "12 4")


def _fmt(value: float) -> str:
    """An SVG coordinate: at most one decimal, no trailing zeros."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def svg_text(x: float, y: float, text: str, css: str, anchor: str = "middle") -> Markup:
    """A ``<text>`` element; *text* is escaped (by ``Markup.format``)."""
    return Markup('<text x="{}" y="{}" text-anchor="{}" class="{}">{}</text>').format(
        _fmt(x), _fmt(y), anchor, css, text
    )


def svg_shape(name: str, css: str, **coordinates: float) -> Markup:
    """An empty SVG element (``rect``, ``line``) with numeric attributes and a class."""
    attributes = Markup(" ").join(
        Markup('{}="{}"').format(key, _fmt(value)) for key, value in coordinates.items()
    )
    return Markup('<{} {} class="{}"/>').format(name, attributes, css)


def _svg(width: float, height: float, title: str, desc: str) -> list[Markup]:
    return [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {0} {1}" width="{0}" '
            'height="{1}" role="img" aria-label="{2}" class="chart">'
        ).format(round(width), round(height), f"{title}: {desc}"),
        Markup("<title>{}</title>").format(title),
        Markup("<desc>{}</desc>").format(desc),
    ]


def matrix_chart(
    title: str,
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Sequence[Sequence[str]],
    desc: str,
) -> Markup:
    """A grid: one row per *rows* label, one column per *columns* head; each cell
    ``"yes"`` (a filled square), ``"no"`` (an empty one), ``"unknown"`` (a dashed
    one with "?"), ``"joined"`` (filled, with "+") or ``"left"`` (empty, with a minus sign)."""
    width = _ROW_LABEL + _CELL * len(columns) + 8
    height = _HEAD + _CELL * len(rows) + 8
    parts = _svg(width, height, title, desc)
    for j, head in enumerate(columns):
        parts.append(svg_text(_ROW_LABEL + _CELL * (j + 0.5), _HEAD - 10, head, "axis"))
    for i, label in enumerate(rows):
        y = _HEAD + _CELL * i
        parts.append(svg_text(_ROW_LABEL - 8, y + _CELL / 2 + 4, label, "axis", "end"))
        for j, state in enumerate(cells[i]):
            x = _ROW_LABEL + _CELL * j
            box = {"x": x + 3, "y": y + 3, "width": _CELL - 6, "height": _CELL - 6}
            css = {"yes": "cell-yes", "joined": "cell-yes", "unknown": "cell-unknown"}
            parts.append(svg_shape("rect", css.get(state, "cell-no"), **box))
            mark = {"joined": "+", "left": "\u2212", "unknown": "?"}.get(state)
            if mark is not None:
                centre_x, centre_y = x + _CELL / 2, y + _CELL / 2 + 5
                parts.append(svg_text(centre_x, centre_y, mark, f"mark-{state}"))
    parts.append(Markup("</svg>"))
    return Markup("\n").join(parts)


def membership_matrix(result: Timeline) -> Markup:
    """Who is a member in each release, with joins (+) and departures (a minus sign) against the
    last release that lists its members; "?" where a release lists none."""
    releases = result.releases
    codes = [n.code for n in result.nations]
    rows, moves = [], []
    for code in codes:
        row, last = [], None
        for r in releases:
            if r.members is None:
                row.append("unknown")
                continue
            now = code in r.members
            if last is not None and now != last:
                row.append("joined" if now else "left")
            else:
                row.append("yes" if now else "no")
            last = now
        rows.append(row)
        joined = [f"R{j + 1}" for j, state in enumerate(row) if state == "joined"]
        left = [f"R{j + 1}" for j, state in enumerate(row) if state == "left"]
        if joined or left:
            what = [f"joins in {', '.join(joined)}"] if joined else []
            what += [f"leaves in {', '.join(left)}"] if left else []
            moves.append(f"{country_name(code)} {' and '.join(what)}")
    desc = (
        f"{len(codes)} nations across {len(releases)} releases"
        + (": " + "; ".join(moves) if moves else "; no nation joins or leaves between lists")
        + "."
    )
    labels = [f"{country_name(code)} ({code})" for code in codes]
    heads = [f"R{j}" for j in range(1, len(releases) + 1)]
    return matrix_chart("Members in each release", labels, heads, rows, desc)


def principles_matrix(result: Timeline) -> Markup:
    """Which principles each release states."""
    releases = result.releases
    rows = [
        ["yes" if r.ref.id in p.releases else "no" for r in releases] for p in result.principles
    ]
    desc = "; ".join(f"{p.label}: {len(p.releases)} of {len(releases)}" for p in result.principles)
    labels = [p.label if len(p.label) <= 30 else p.label[:29] + "…" for p in result.principles]
    heads = [f"R{j}" for j in range(1, len(releases) + 1)]
    return matrix_chart("Principles stated in each release", labels, heads, rows, desc + ".")


def rates_chart(
    title: str, releases: Sequence[str], series: Sequence[tuple[str, Sequence[float]]]
) -> Markup:
    """Lines over releases: each series' rate per 1,000 words at each release, with
    its own dash pattern and a legend."""
    count = max(len(releases), 2)
    plot_width = _SLOT * (count - 1)
    width = _LINE_LEFT + plot_width + 24 + _LEGEND
    height = _LINE_TOP + _LINE_PLOT + _LINE_BOTTOM
    top = max([v for _, values in series for v in values] + [1.0])
    step = 10 if top > 40 else 5 if top > 10 else 1
    scale = -(-top // step) * step
    base = _LINE_TOP + _LINE_PLOT

    def x_of(i: int) -> float:
        return _LINE_LEFT + (_SLOT * i if len(releases) > 1 else plot_width / 2)

    def y_of(value: float) -> float:
        return base - _LINE_PLOT * value / scale

    desc = "; ".join(
        f"{name}: "
        + ", ".join(f"{head} {value:.1f}" for head, value in zip(releases, values, strict=True))
        for name, values in series
    )
    parts = _svg(width, height, title, f"rates per 1,000 words. {desc}.")
    value = 0.0
    while value <= scale:
        y = y_of(value)
        parts.append(
            svg_shape("line", "grid", x1=_LINE_LEFT, y1=y, x2=_LINE_LEFT + plot_width, y2=y)
        )
        parts.append(svg_text(_LINE_LEFT - 6, y + 4, f"{value:g}", "axis", "end"))
        value += step
    for i, head in enumerate(releases):
        parts.append(svg_text(x_of(i), base + 18, head, "axis"))
    for k, (name, values) in enumerate(series):
        dash = _DASHES[k % len(_DASHES)]
        points = " ".join(f"{x_of(i):.1f},{y_of(v):.1f}" for i, v in enumerate(values))
        parts.append(
            Markup('<polyline class="series series-{}" points="{}"{}/>').format(
                k % len(_DASHES),
                points,
                Markup(' stroke-dasharray="{}"').format(dash) if dash else "",
            )
        )
        for i, v in enumerate(values):
            parts.append(
                svg_shape("circle", f"dot series-{k % len(_DASHES)}", cx=x_of(i), cy=y_of(v), r=3)
            )
        legend_y = _LINE_TOP + 14 + 20 * k
        legend_x = _LINE_LEFT + plot_width + 24
        parts.append(
            Markup('<line class="series series-{}" x1="{}" y1="{}" x2="{}" y2="{}"{}/>').format(
                k % len(_DASHES),
                legend_x,
                legend_y - 4,
                legend_x + 28,
                legend_y - 4,
                Markup(' stroke-dasharray="{}"').format(dash) if dash else "",
            )
        )
        parts.append(svg_text(legend_x + 34, legend_y, name, "axis", "start"))
    parts.append(Markup("</svg>"))
    return Markup("\n").join(parts)


def shifts_chart(comparison: Comparison, limit: int = 12) -> Markup | None:
    """The strongest term shifts of a comparison as bars: how many times more (right)
    or less (left) often the new text uses each term, on a log2 scale."""
    shifts = [s for s in comparison.language.term_shifts if s.log_ratio][:limit]
    if not shifts:
        return None
    half = 180
    label = 190
    row = 22
    width = label + 2 * half + 60
    height = 30 + row * len(shifts) + 10
    top = max(abs(s.log_ratio) for s in shifts)
    centre = label + half
    desc = "; ".join(f"“{s.term}” {s.direction} ({s.old_count} → {s.new_count})" for s in shifts)
    parts = _svg(width, height, "Strongest term shifts", desc + ".")
    parts.append(svg_text(centre - half / 2, 16, "less in the new text", "axis"))
    parts.append(svg_text(centre + half / 2, 16, "more in the new text", "axis"))
    parts.append(svg_shape("line", "grid", x1=centre, y1=22, x2=centre, y2=height - 6))
    for i, shift in enumerate(shifts):
        y = 30 + row * i
        length = half * abs(shift.log_ratio) / top
        x = centre if shift.log_ratio > 0 else centre - length
        css = "bar-more" if shift.log_ratio > 0 else "bar-less"
        parts.append(svg_shape("rect", css, x=x, y=y + 3, width=max(length, 1.0), height=row - 8))
        parts.append(svg_text(label - 8, y + row / 2 + 3, shift.term, "axis", "end"))
        counts = f"{shift.old_count} → {shift.new_count}"
        # Beside the bar's end for "more"; beside the centre line, away from the
        # terms' labels, for "less".
        at = centre + length + 6 if shift.log_ratio > 0 else centre + 6
        parts.append(svg_text(at, y + row / 2 + 3, counts, "note", "start"))
    parts.append(Markup("</svg>"))
    return Markup("\n").join(parts)
