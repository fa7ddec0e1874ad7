"""A Comparison or a Timeline as one self-contained, printable, accessible HTML5 page.

The page needs nothing outside itself: CSS is inline, there are no scripts, no
fonts, no images (the timeline chart is inline SVG) and the only links are
in-page anchors and the publications' own ``http(s)`` source URLs.

Escaping
--------
Templates are rendered with the shared HTML environment (autoescape on), and no
template marks data ``|safe``. The two pieces of markup built here, the word
diff and the timeline chart, escape every fragment of data with
:func:`markupsafe.escape` before wrapping it in tags written in this module
(``Markup`` is only ever applied to this module's own literal tags). A URL is
put into ``href`` only when it parses as ``http``/``https`` with a host.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import jinja2
from attrs import frozen
from markupsafe import Markup, escape

from cspo_archive._lazy_re import LazyPattern
from cspo_archive.analysis import Comparison, Sentence, Timeline
from cspo_archive.analysis.principles import PrincipleHit
from cspo_archive.analysis.textdiff import WordDiff
from cspo_archive.model import SnapshotRef
from cspo_archive.report import _charts
from cspo_archive.report._charts import svg_shape, svg_text
from cspo_archive.report._env import environment
from cspo_archive.report._format import written_as
from cspo_archive.report._summary import (
    comparison_summary,
    copies_sentence,
    membership_sentence,
    timeline_summary,
)

__all__ = ["render"]

DELETE, EQUAL, INSERT = -1, 0, 1

#: At most this many words are listed under "appeared" and "disappeared".
VOCABULARY_LIMIT = 150

_BLANK_LINE = LazyPattern(r"\n[^\S\n]*\n\s*")


# --- filters -----------------------------------------------------------------------


def safe_url(value: object) -> str | None:
    """*value* if it is an absolute ``http``/``https`` URL with a host, else ``None``."""
    if not isinstance(value, str) or not value or any(c.isspace() or ord(c) < 32 for c in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return value


def where(sentence: Sentence) -> str:
    """Where a sentence stands, 1-based: ``"paragraph 3, sentence 5"``."""
    return f"paragraph {sentence.paragraph + 1}, sentence {sentence.index + 1}"


def pinned(ref: SnapshotRef) -> str:
    """A reference as cited: ``<id>@sha256:<hex>`` (or the id alone when not pinned)."""
    return str(ref)


def number(value: float, digits: int = 2) -> str:
    """A float with fixed digits, so output diffs cleanly."""
    return f"{value:.{digits}f}"


@functools.cache
def _environment() -> jinja2.Environment:
    """The shared HTML environment with this module's filters (built once)."""
    env = environment("html").overlay()
    env.filters.update(
        {
            "safe_url": safe_url,
            "where": where,
            "pinned": pinned,
            "number": number,
            "marked": marked,
        }
    )
    return env


def marked(text: str, phrase: str | None) -> Markup:
    """*text*, escaped, with *phrase* (found regardless of case and apostrophes) in
    ``<mark>``: the words that matched."""
    from cspo_archive.report.markdown import matched_span

    spot = matched_span(text, phrase)
    if spot is None:
        return Markup("{}").format(text)
    start, end = spot
    return Markup("{}<mark>{}</mark>{}").format(text[:start], text[start:end], text[end:])


# --- the word diff ------------------------------------------------------------------


_LABELS = {DELETE: ("del", "deleted"), INSERT: ("ins", "inserted")}


def _marked(op: int, text: str) -> Markup:
    """One removed or added fragment, escaped, in ``<del>``/``<ins>`` with a hidden label.

    The label ("deleted:"/"inserted:") is read by screen readers and kept when
    the page is copied as text; the strike-through or underline and the
    minus/plus marks make the change visible without colour.
    """
    tag, label = _LABELS[op]
    shown = escape(text)
    if not text.strip():
        # A change of white space only: show what came or went.
        mark, name = ("¶", "line break") if "\n" in text or not text else ("␣", "space")
        shown = Markup(
            '<span class="ws" aria-hidden="true">{}</span><span class="vh">{}</span>{}'
        ).format(mark, name, text)
    # Markup.format escapes every argument that is not Markup already.
    return Markup(
        '<{0} class="{0}"><span class="vh">[{1}: </span>{2}<span class="vh">]</span></{0}>'
    ).format(tag, label, shown)


def inline_diff(diff: WordDiff) -> Markup:
    """The whole diff in one text: unchanged text as is, changes in ``<del>``/``<ins>``."""
    parts = [escape(text) if op == EQUAL else _marked(op, text) for op, text in diff.ops]
    return Markup("").join(parts)


@frozen
class DiffRow:
    """One row of the side-by-side view: a paragraph of each text (either may be empty)."""

    number: int
    old: Markup
    new: Markup
    changed: bool


class _Side:
    """The paragraphs of one text within a run of changes, as escaped markup."""

    def __init__(self) -> None:
        self.paragraphs: list[list[Markup]] = [[]]
        self.changed: list[bool] = [False]

    def reset(self) -> None:
        """Start a new run."""
        self.paragraphs = [[]]
        self.changed = [False]

    def add(self, op: int, text: str) -> None:
        """Add *text* (unchanged or changed by *op*), starting a paragraph at each blank line."""
        pieces = _BLANK_LINE().split(text)
        breaks_only = op != EQUAL and not text.strip()
        for i, piece in enumerate(pieces):
            if i:
                if breaks_only:  # a paragraph break came or went, and nothing else: show it
                    self.paragraphs[-1].append(_marked(op, ""))
                    self.changed[-1] = True
                self.paragraphs.append([])
                self.changed.append(op != EQUAL)
            if piece:
                self.paragraphs[-1].append(escape(piece) if op == EQUAL else _marked(op, piece))
                self.changed[-1] = self.changed[-1] or op != EQUAL

    def take(self, *, keep_last: bool = False) -> list[tuple[Markup, bool]]:
        """The paragraphs collected (empty ones left out); all, or all but the current one."""
        cut = len(self.paragraphs) - 1 if keep_last else len(self.paragraphs)
        out = [
            (Markup("").join(parts), changed)
            for parts, changed in zip(self.paragraphs[:cut], self.changed[:cut], strict=True)
            if parts
        ]
        if keep_last:
            self.paragraphs, self.changed = self.paragraphs[cut:], self.changed[cut:]
        else:
            self.reset()
        return out


def side_by_side(diff: WordDiff) -> tuple[DiffRow, ...]:
    """Rows of paragraphs, old text on the left and new on the right.

    Unchanged text is where both texts are in step: the paragraph holding it
    is one row, and the whole paragraphs removed and added before it are
    paired in order (the first removed with the first added, and so on, an
    empty cell where one text has fewer), as a side-by-side diff pairs the
    lines of a replaced block. The old column
    shows unchanged and deleted text, the new column unchanged and inserted
    text; no ``<del>``/``<ins>`` crosses a paragraph.
    """
    rows: list[DiffRow] = []
    old, new = _Side(), _Side()

    def flush(*, keep_last: bool = False) -> None:
        left, right = old.take(keep_last=keep_last), new.take(keep_last=keep_last)
        for i in range(max(len(left), len(right))):
            a, a_changed = left[i] if i < len(left) else (Markup(""), True)
            b, b_changed = right[i] if i < len(right) else (Markup(""), True)
            rows.append(DiffRow(len(rows) + 1, a, b, a_changed or b_changed))

    ops = list(diff.ops)
    if ops and ops[-1][0] == EQUAL:  # no empty last line in the cells
        ops[-1] = (EQUAL, ops[-1][1].rstrip("\n"))
    for op, text in ops:
        if op == DELETE:
            old.add(op, text)
        elif op == INSERT:
            new.add(op, text)
        else:
            if text.strip():  # the current paragraphs of both texts share this text
                flush(keep_last=True)
            pieces = _BLANK_LINE().split(text)
            for i, piece in enumerate(pieces):
                if i:
                    flush()
                old.add(EQUAL, piece)
                new.add(EQUAL, piece)
    flush()
    return tuple(rows)


# --- the comparison page -----------------------------------------------------------


@frozen
class NationRow:
    """A nation in either member list, with where it stands."""

    code: str
    in_old: bool
    in_new: bool
    status: str
    #: How the text names it ("the Republic of Korea").
    written: str


def _nation_rows(comparison: Comparison) -> tuple[NationRow, ...]:
    m = comparison.membership
    rows = [NationRow(c, False, True, "joined", written_as(m, c)) for c in m.joined]
    rows += [NationRow(c, True, False, "left", written_as(m, c)) for c in m.left]
    rows += [NationRow(c, True, True, "continuing", written_as(m, c)) for c in m.continuing]
    return tuple(rows)


@frozen
class Mention:
    """A nation or grouping named in one text, in one role, with its first sentence."""

    side: str
    name: str
    code: str | None
    role: str
    sentence: Sentence


def _mentions(comparison: Comparison) -> tuple[Mention, ...]:
    """Venues, nations named as joining, and other groupings, once per side and name."""
    found: list[Mention] = []
    for side, membership in (
        ("old", comparison.membership.old),
        ("new", comparison.membership.new),
    ):
        seen: set[tuple[str, str]] = set()
        for mention in membership.mentions:
            role = mention.role.value
            if role not in ("venue", "joined") or (mention.code, role) in seen:
                continue
            seen.add((mention.code, role))
            found.append(Mention(side, mention.code, mention.code, role, mention.sentence))
        for group in membership.groups:
            if (group.name, "group") in seen:
                continue
            seen.add((group.name, "group"))
            found.append(Mention(side, group.name, None, "group", group.sentence))
    return tuple(found)


def _limited(words: Sequence[str]) -> tuple[tuple[str, ...], int]:
    """The first words to show and how many are left out."""
    return tuple(words[:VOCABULARY_LIMIT]), max(0, len(words) - VOCABULARY_LIMIT)


def _phrases(hits: Sequence[PrincipleHit]) -> dict[str, dict[int, str]]:
    """The phrase matched in each sentence stating a principle: by principle id, then
    sentence index."""
    return {
        hit.principle.id: {s.index: m for s, m in zip(hit.evidence, hit.matches, strict=True)}
        for hit in hits
    }


def _comparison_context(comparison: Comparison) -> dict[str, Any]:
    language = comparison.language
    used_modals = [m for m in language.modality if m.old_count or m.new_count]
    appeared, appeared_more = _limited(language.appeared)
    disappeared, disappeared_more = _limited(language.disappeared)
    return {
        "c": comparison,
        "lang": language,
        "profile_version": comparison.profile_version,
        "summary": comparison_summary(comparison),
        "membership_sentence": membership_sentence(comparison),
        "copies_heading": (
            "Copies of one statement"
            if comparison.relation == "copies"
            else "Revisions of one page"
        ),
        "copies_side": "copy" if comparison.relation == "copies" else "revision",
        "copies_sentence": copies_sentence(comparison),
        "phrases": {
            "old": _phrases(comparison.principles.old.hits),
            "new": _phrases(comparison.principles.new.hits),
        },
        "shifts_chart": _charts.shifts_chart(comparison),
        "nations": _nation_rows(comparison),
        "mentions": _mentions(comparison),
        "sides": (("old", comparison.membership.old), ("new", comparison.membership.new)),
        "modals": tuple(used_modals),
        "unused_modals": tuple(m.modal for m in language.modality if m not in used_modals),
        "appeared": appeared,
        "appeared_more": appeared_more,
        "disappeared": disappeared,
        "disappeared_more": disappeared_more,
        "inline": inline_diff(comparison.diff),
        "rows": side_by_side(comparison.diff),
        "vocabulary_limit": VOCABULARY_LIMIT,
    }


# --- the timeline page -------------------------------------------------------------


#: Chart geometry (SVG user units, drawn one to one as CSS pixels): the least width, the
#: margins and the height of the plot.
_WIDTH, _TOP, _PLOT, _BOTTOM, _LEFT, _RIGHT = 720, 30, 200, 58, 48, 16
#: The least width of one release's slot, so that its date and type never overlap the next
#: release's: a chart of many releases is wider (and scrolls) rather than crowded.
_MIN_SLOT = 100
#: The least width of the white plate under "unknown" (the bold label is about 62 wide).
_PLATE = 70


def membership_chart(result: Timeline) -> Markup:
    """Members listed per release as an inline SVG bar chart.

    A release with no complete member list gets a dashed, empty box labelled
    "unknown" (with the totals it states, if any), never a bar of zero.

    The chart is drawn at its own size (``width`` and ``height`` equal the
    ``viewBox``), so its text keeps the sizes the stylesheet gives it whatever
    the screen; it is at least ``_WIDTH`` wide and grows by ``_MIN_SLOT`` a
    release past six, and the page lets it scroll sideways in its own box.
    """
    releases = result.releases
    known = [len(r.members) for r in releases if r.members is not None]
    stated = [t for r in releases for t in r.stated_totals]
    top = max([*known, *stated, 1])
    step = 5 if top > 10 else 2 if top > 4 else 1
    scale_max = -(-top // step) * step
    width = max(_WIDTH, _LEFT + _RIGHT + _MIN_SLOT * len(releases))
    height = _TOP + _PLOT + _BOTTOM
    slot = (width - _LEFT - _RIGHT) / max(len(releases), 1)
    bar = min(slot * 0.6, 90.0)
    base = _TOP + _PLOT

    def y_of(value: float) -> float:
        return base - _PLOT * value / scale_max

    described = []
    for i, r in enumerate(releases, 1):
        if r.members is None:
            note = f"; it states {' and '.join(str(t) for t in sorted(set(r.stated_totals)))}"
            described.append(
                f"R{i} ({r.published.isoformat()}): unknown, no complete member list"
                + (note if r.stated_totals else "")
            )
        else:
            described.append(f"R{i} ({r.published.isoformat()}): {len(r.members)} members")
    desc = "Members listed per release. " + "; ".join(described) + "."
    label = "Chart of members listed per release: " + "; ".join(described) + "."

    parts: list[Markup] = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {0} {1}" width="{0}" '
            'height="{1}" role="img" aria-label="{2}" class="chart">'
        ).format(width, height, label),
        Markup("<title>Members listed per release</title>"),
        Markup("<desc>{}</desc>").format(desc),
    ]
    for value in range(0, scale_max + 1, step):
        y = y_of(value)
        parts.append(svg_shape("line", "grid", x1=_LEFT, y1=y, x2=width - _RIGHT, y2=y))
        parts.append(svg_text(_LEFT - 6, y + 4, str(value), "axis", "end"))
    for i, r in enumerate(releases, 1):
        centre = _LEFT + slot * (i - 0.5)
        x = centre - bar / 2
        parts.append(Markup("<g>"))
        if r.members is None:
            parts.append(svg_shape("rect", "unknown", x=x, y=_TOP, width=bar, height=_PLOT))
            # Diagonal hatching, drawn as lines (no pattern references needed).
            gap = 14.0
            offset = gap
            while offset < bar + _PLOT:
                x1, y1 = x + max(0.0, offset - _PLOT), base - min(offset, _PLOT)
                x2, y2 = x + min(offset, bar), base - max(0.0, offset - bar)
                parts.append(svg_shape("line", "hatch", x1=x1, y1=y1, x2=x2, y2=y2))
                offset += gap
            # The plate under the label, as wide as "unknown" even when the box is narrower.
            plate = max(bar - 8, _PLATE)
            plate_y = _TOP + _PLOT / 2 - 24
            parts.append(
                svg_shape("rect", "plate", x=centre - plate / 2, y=plate_y, width=plate, height=44)
            )
            parts.append(svg_text(centre, _TOP + _PLOT / 2 - 4, "unknown", "label"))
            if r.stated_totals:
                totals = " and ".join(str(t) for t in sorted(set(r.stated_totals)))
                parts.append(svg_text(centre, _TOP + _PLOT / 2 + 14, f"(states {totals})", "note"))
        else:
            count = len(r.members)
            y = y_of(count)
            parts.append(svg_shape("rect", "bar", x=x, y=y, width=bar, height=base - y))
            parts.append(svg_text(centre, y - 6, str(count), "label"))
        parts.append(svg_text(centre, base + 18, f"R{i}", "axis"))
        parts.append(svg_text(centre, base + 34, r.published.isoformat(), "axis"))
        parts.append(svg_text(centre, base + 50, r.document_type.value.replace("-", " "), "note"))
        parts.append(Markup("</g>"))
    parts.append(Markup("</svg>"))
    return Markup("\n").join(parts)


def _rates(result: Timeline, kind: str) -> Markup | None:
    """Tone (or modality) over the releases as lines; modals no release uses are left out."""
    releases = result.releases
    if not releases:
        return None
    rates = [dict(getattr(r, kind)) for r in releases]
    names = [
        n
        for n in dict.fromkeys(n for found in rates for n in found)
        if any(f.get(n) for f in rates)
    ]
    if not names:
        return None
    title = "Tone over releases" if kind == "tone" else "Modality over releases"
    heads = [f"R{i}" for i in range(1, len(releases) + 1)]
    series = [(name, [found.get(name, 0.0) for found in rates]) for name in names]
    return _charts.rates_chart(title, heads, series)


def _timeline_context(result: Timeline) -> dict[str, Any]:
    member_sets = [set(r.members) if r.members is not None else None for r in result.releases]
    principle_sets = [set(r.principles) for r in result.releases]
    nation_cells = tuple(
        (
            nation.code,
            tuple(
                "unknown" if members is None else "member" if nation.code in members else "absent"
                for members in member_sets
            ),
        )
        for nation in result.nations
    )
    principle_cells = tuple(
        (principle, tuple(principle.id in present for present in principle_sets))
        for principle in result.principles
    )
    return {
        "t": result,
        "profile_version": result.profile_version,
        "summary": timeline_summary(result),
        "chart": membership_chart(result) if result.releases else None,
        "matrix": _charts.membership_matrix(result) if result.nations else None,
        "principles_matrix": _charts.principles_matrix(result) if result.principles else None,
        "tone_chart": _rates(result, "tone"),
        "modality_chart": _rates(result, "modality"),
        "nation_cells": nation_cells,
        "principle_cells": principle_cells,
    }


# --- entry point --------------------------------------------------------------------


def render(result: Comparison | Timeline) -> str:
    """*result* as one self-contained HTML5 document (see the module docstring)."""
    value: object = result  # checked at run time too: callers may not be typed
    if isinstance(value, Comparison):
        template, context = "comparison.html.j2", _comparison_context(value)
    elif isinstance(value, Timeline):
        template, context = "timeline.html.j2", _timeline_context(value)
    else:
        kind = type(value).__name__
        msg = f"render() takes a Comparison or a Timeline (got {value!r} that is a {kind})"
        raise TypeError(msg)
    return _environment().get_template(template).render(context)
