"""The one-paragraph summaries that open every report (plain text, escaped by each format)."""

from __future__ import annotations

from collections.abc import Sequence

from cspo_archive._text import counted
from cspo_archive.analysis import Comparison, Release, Timeline
from cspo_archive.analysis.membership import Membership
from cspo_archive.report._format import join_names, percent, rate

__all__ = [
    "comparison_summary",
    "copies_sentence",
    "membership_sentence",
    "relation_sentence",
    "timeline_summary",
]


def _labels(items: Sequence[str]) -> str:
    quoted = [f"“{item}”" for item in items]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _stated(side: Membership) -> str:
    totals = sorted({c.value for c in side.counts if c.kind == "total"})
    if not totals:
        return ""
    return " (it states " + " and ".join(f"{t} nations" for t in totals) + ")"


def membership_sentence(comparison: Comparison) -> str:
    """What happened to membership, in one sentence."""
    m = comparison.membership
    if m.comparable:
        if not (m.joined or m.left):
            return f"Membership is unchanged at {m.new_count} nations."
        if m.old_count == m.new_count:  # as many joined as left: say so, not "from 10 to 10"
            return (
                f"{m.new_count} nations before and after: {join_names(m.joined)} joined, "
                f"{join_names(m.left)} left."
            )
        moves = []
        if m.joined:
            moves.append(f"{join_names(m.joined)} joined")
        moves.append(f"{join_names(m.left)} left" if m.left else "none left")
        return (
            f"Membership went from {m.old_count} to {m.new_count} nations: "
            + "; ".join(moves)
            + "."
        )
    unknown = [
        f"the {name} text lists no member nations{_stated(side)}"
        for name, side in (("old", m.old), ("new", m.new))
        if side.members is None
    ]
    return "Membership cannot be compared: " + " and ".join(unknown) + "."


def copies_sentence(comparison: Comparison) -> str:
    """How two copies or revisions differ, in one sentence (empty for releases)."""
    d = comparison.copies
    if d is None:
        return ""
    if d.identical:
        moves = ["the same text"]
    else:
        moves = [
            counted(n, what)
            for n, what in (
                (len(d.omitted), "paragraph omitted"),
                (len(d.added), "paragraph added"),
                (len(d.replaced), "paragraph replaced"),
                (len(d.reworded), "sentence reworded"),
            )
            if n
        ]
    spelled = sum(v.count for v in d.spelling)
    if spelled:
        moves.append(f"{counted(spelled, 'word')} spelled differently (not counted as change)")
    return f"{percent(d.similarity)} alike: " + ", ".join(moves) + "."


def relation_sentence(comparison: Comparison) -> str:
    """What the two snapshots are to each other, said first (empty for releases)."""
    if comparison.relation == "same":
        return "The same snapshot is compared with itself."
    if comparison.relation == "revisions":
        return "These are two revisions of one page. " + copies_sentence(comparison)
    if comparison.relation == "copies":
        publishers = [m for m in comparison.metadata if m.field == "publisher"]
        by = f" ({publishers[0].old} and {publishers[0].new})" if publishers else ""
        return f"These are copies of one statement{by}. " + copies_sentence(comparison)
    return ""


def comparison_summary(comparison: Comparison) -> str:
    """One paragraph: how the two relate (copies, revisions), then what changed in
    membership, principles and language."""
    p = comparison.principles
    parts = [relation_sentence(comparison)] if comparison.relation != "releases" else []
    parts.append(membership_sentence(comparison))
    principle_bits = []
    if p.added:
        principle_bits.append(f"{_labels([c.principle.label for c in p.added])} added")
    if p.dropped:
        principle_bits.append(f"{_labels([c.principle.label for c in p.dropped])} dropped")
    if p.reworded:
        principle_bits.append(f"{len(p.reworded)} reworded")
    if p.retained:
        principle_bits.append(f"{len(p.retained)} stated in the same words")
    if principle_bits:
        parts.append("Principles: " + "; ".join(principle_bits) + ".")
    else:
        parts.append("Neither text states a principle of the taxonomy.")
    if p.new_unclassified:
        count = len(p.new_unclassified)
        noun, verb = ("commitment", "matches") if count == 1 else ("commitments", "match")
        parts.append(
            f"{count} new {noun} {verb} no principle of the taxonomy "
            f"(see Unclassified commitments)."
        )
    d = comparison.diff
    if not d.changed:
        parts.append("The texts are identical.")
    else:
        parts.append(
            f"Language: {percent(d.similarity)} of words unchanged ({d.words_added} added, "
            f"{d.words_removed} removed)."
        )
        tone = {t.category: t for t in comparison.language.tone}
        moves = [
            f"{name} language {rate(t.old_per_1000)} → {rate(t.new_per_1000)} per 1,000 words"
            for name, t in sorted(tone.items())
            if t.old_per_1000 != t.new_per_1000
        ]
        if moves:
            parts.append("Tone: " + "; ".join(moves) + ".")
        significant = [s for s in comparison.language.term_shifts if s.significance != "ns"]
        if significant:
            terms = [f"“{s.term}” ({s.direction})" for s in significant[:5]]
            parts.append("Strongest term shifts: " + ", ".join(terms) + ".")
    if comparison.metadata:
        fields = ", ".join(m.field.replace("_", " ") for m in comparison.metadata)
        parts.append(f"Metadata changed: {fields}.")
    return " ".join(parts)


def _stated_against_lists(releases: Sequence[Release]) -> list[str]:
    """For each release that lists no members but states a total: whether the total
    matches the last member list published by its day (the same day included)."""
    sentences = []
    for number, release in enumerate(releases, start=1):
        if release.members is not None or not release.stated_totals:
            continue
        lists = [r for r in releases if r.members is not None and r.published <= release.published]
        if not lists:
            continue
        last = lists[-1]
        listed = len(last.members or ())
        states = " and ".join(str(t) for t in release.stated_totals)
        lead = f"R{number} ({release.published.isoformat()}) lists no members but states {states}"
        if listed in release.stated_totals:
            sentences.append(f"{lead} nations, consistent with the {listed} last listed.")
        else:
            sentences.append(
                f"{lead} nations; the last list ({last.published.isoformat()}) had {listed}."
            )
    return sentences


def timeline_summary(result: Timeline) -> str:
    """One paragraph: how many releases, how membership and principles moved."""
    releases = result.releases
    if not releases:
        return "The timeline holds no releases."
    first, last = releases[0], releases[-1]
    parts = [
        f"{len(releases)} release{'s' if len(releases) != 1 else ''} from "
        f"{first.published.isoformat()} to {last.published.isoformat()}."
    ]
    known = [r for r in releases if r.members is not None]
    if known:
        counts = " → ".join(str(len(r.members or ())) for r in known)
        parts.append(f"Member lists are known for {len(known)} of them, with {counts} nations.")
    else:
        parts.append("No release lists its member nations.")
    if result.nations:
        newest = max(n.first_published for n in result.nations)
        joiners = [n.code for n in result.nations if n.first_published == newest]
        if newest != min(n.first_published for n in result.nations):
            parts.append(f"Most recently listed for the first time: {join_names(joiners)}.")
    if known:
        latest = known[-1]
        gone = [n for n in result.nations if n.code not in (latest.members or ())]
        if gone:
            parts.append(
                f"Not in the latest list ({latest.published.isoformat()}): "
                + "; ".join(f"{n.code}, last listed {n.last_published.isoformat()}" for n in gone)
                + "."
            )
    parts.extend(_stated_against_lists(releases))
    parts.append(
        f"{len(result.principles)} principle{'s' if len(result.principles) != 1 else ''} "
        f"of the taxonomy appear across the releases."
    )
    return " ".join(parts)
