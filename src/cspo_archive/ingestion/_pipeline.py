"""The pipeline every source shares: text read as lines, furniture removed, split into
publications."""

from __future__ import annotations

import datetime as dt
import functools
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence

import attrs

from cspo_archive._text import canonicalize, sha256_digest
from cspo_archive.ingestion._dates import _Dates
from cspo_archive.ingestion._decode import decode
from cspo_archive.ingestion._lines import _ends_clause, _heading_text, _Line, _line_range, _quote
from cspo_archive.ingestion._parse import _Block, _continues, _Parse
from cspo_archive.ingestion._records import (
    INGEST_VERSION,
    Decoded,
    Furniture,
    Ingested,
    Publication,
)
from cspo_archive.ingestion._source import Extraction, PageFacts
from cspo_archive.ingestion._split import (
    TitleHint,
    _choose_title,
    _datelines,
    _document_type,
    _Draft,
    _drafts,
    _found_furniture,
    _no_text_error,
    _order,
    _publications,
    _settle_labels,
)
from cspo_archive.model import DateSource, DocumentType, PublishedDate

#: A paragraph as its lines, each line as the pieces it is made of: broken
#: paragraphs are rejoined by adding pieces, joined with spaces once at the end
#: (joining strings one by one would copy the text again at every rejoin).
_Paragraph = list[list[str]]


def _join(paragraphs: list[_Paragraph], block_lines: list[str]) -> None:
    paragraphs[-1][-1].append(block_lines[0])
    paragraphs[-1].extend([line] for line in block_lines[1:])


def _paragraph_text(paragraph: _Paragraph) -> str:
    return "\n".join(" ".join(pieces) for pieces in paragraph)


def _body(parse: _Parse, body: Sequence[_Block]) -> tuple[list[_Paragraph], list[str], list[_Line]]:
    """Paragraphs of a publication's text, with broken paragraphs rejoined."""
    paragraphs: list[_Paragraph] = []
    steps: list[str] = []
    used: list[_Line] = []
    previous: _Block | None = None
    for block in body:
        lines = [parse.lines[i] for i in block.lines]
        used.extend(lines)
        texts = [line.text for line in lines]
        if (
            previous is not None
            and not _ends_clause(paragraphs[-1][-1][-1])
            and _continues(block, parse)
        ):
            before = parse.lines[previous.lines[-1]].number
            steps.append(
                f"rejoin paragraph broken mid-sentence ({_line_range(before, lines[0].number)})"
            )
            _join(paragraphs, texts)
        else:
            paragraphs.append([[text] for text in texts])
        previous = block
    return paragraphs, steps, used


def _count_targets(lines: Iterable[_Line]) -> str:
    counts = Counter(target for line in lines for target in line.dead)
    return ", ".join(f"{_quote(target)} x{n}" for target, n in counts.items())


def _decode_step(decoded: Decoded, given: bool) -> str:
    if given:
        how = "given by the caller"
    elif decoded.detected:
        how = "detected; the bytes are not UTF-8"
    elif decoded.replacement_characters:
        how = "mostly valid"
    else:
        how = "strict"
    if decoded.bom:
        how += "; byte-order mark removed"
    count = decoded.replacement_characters
    if count:
        how += f"; {count} undecodable byte sequence{'s' if count > 1 else ''} replaced by U+FFFD"
    return f"decode: {decoded.encoding} ({how})"


def _normalise_step(text: str) -> str:
    crlf = text.count("\r\n")
    endings = [name for name, n in (("CRLF", crlf), ("CR", text.count("\r") - crlf)) if n]
    lf = "LF line endings" + (f" (the capture had {' and '.join(endings)})" if endings else "")
    feeds = ", form feeds read as paragraph breaks" if "\x0c" in text else ""
    return (
        f"normalise: NFC, {lf}, white space at line ends removed, "
        f"runs of blank lines collapsed{feeds}"
    )


def read_text(data: bytes, source: str, *, encoding: str | None = None) -> Extraction:
    """A plain-text capture: its bytes decoded (see :func:`decode`), nothing extracted."""
    decoded = decode(data, encoding=encoding, source=source)
    return Extraction(
        text=decoded.text,
        media_type="text/plain",
        extractor=f"cspo-archive-ingest {INGEST_VERSION}",
        encoding=decoded.encoding,
        steps=(_decode_step(decoded, encoding is not None),),
        replacement_characters=decoded.replacement_characters,
        bom=decoded.bom,
        detected_encoding=decoded.detected,
    )


def publications(
    data: bytes,
    extraction: Extraction,
    *,
    name: str | None = None,
    title: str | None = None,
) -> Ingested:
    """Find the publications in *extraction*, the text a reader made of *data*.

    *title* is a title the caller gives: located in the text when a line is
    that title, recorded as given otherwise (see :func:`_choose_title`); else
    the title the page states (:attr:`PageFacts.title`) is used the same way.
    """
    source = name if name is not None else "<capture>"
    hint = None
    if title is not None:
        hint = TitleHint(title, "given by the caller")
    elif extraction.facts.title is not None:
        stated = extraction.facts.title
        hint = TitleHint(str(stated.value), f"stated by the page ({stated.where})")
    common = [*extraction.steps, _normalise_step(extraction.text)]
    parse = _Parse(extraction.text, source)
    # From here on the lines hold all that is needed of the text: let it go, so a
    # large capture is not held twice (memory is measured in the reliability suite).
    extraction = attrs.evolve(extraction, text="")
    parse.find_line_furniture()
    blocks = parse.blocks()
    if not blocks:
        raise _no_text_error(parse, _found_furniture(parse))
    labelled = _settle_labels(parse, blocks)
    first = _choose_title(parse, blocks, labelled, hint)
    pubs = _publications(parse, blocks, first, labelled)
    _datelines(parse, blocks, pubs, first.heading)

    drafts = _drafts(parse, blocks, pubs)
    for line in parse.lines:
        if line.dead and line.kind is None:
            span = (line.number, line.number)
            parse.furniture.extend((Furniture("link-target", span, t), "") for t in line.dead)
    parse.furniture.sort(key=_order)
    # Each removal is told in the steps of one publication: the first that
    # ends at or after it (the last one for what follows them all).
    ends = [draft.span[1] for draft in drafts]
    notes: list[list[str]] = [[] for _ in drafts]
    for item, note in parse.furniture:
        if item.kind != "link-target":
            first_line = item.text.split("\n", 1)[0]
            notes[min(bisect_left(ends, item.lines[0]), len(ends) - 1)].append(
                f"remove furniture: {item.kind} ({_line_range(*item.lines)}) "
                f"{_quote(first_line, 60)}" + (f": {note}" if note else "")
            )
    for line_number, step in parse.undated:
        notes[min(bisect_left(ends, line_number), len(ends) - 1)].append(step)
    if parse.line_mode:
        common.append("paragraphs: one per line (the capture has no blank lines)")
    if parse.split_lines:
        where = ", ".join(_line_range(*span) for span in parse.split_lines)
        common.append(
            f"paragraphs: one per line in {where} (each line ends a sentence or is a heading, "
            f"and the next begins with a capital)"
        )
    dates = _Dates.of(parse)
    made = [
        _publication(parse, blocks, draft, number, len(drafts), [*common, *notes[number]], dates)
        for number, draft in enumerate(drafts)
    ]
    furniture = tuple(item for item, _ in parse.furniture)
    # The line records are not needed any more: free them before the texts are
    # joined and made canonical (which copies each text a few times), so a large
    # capture never has its lines and its texts in memory at once.
    del parse, blocks, drafts, pubs, labelled
    made_publications = []
    while made:
        paragraphs, make = made.pop(0)
        raw = "\n\n".join(_paragraph_text(p) for p in paragraphs)
        del paragraphs
        made_publications.append(_with_facts(make(text=canonicalize(raw)), extraction.facts))
        del raw
    return Ingested(
        digest=sha256_digest(bytes(data)),
        name=name,
        encoding=extraction.encoding,
        bom=extraction.bom,
        replacement_characters=extraction.replacement_characters,
        detected_encoding=extraction.detected_encoding,
        publications=tuple(made_publications),
        furniture=furniture,
        media_type=extraction.media_type,
        extractor=_extractor(extraction),
        facts=extraction.facts,
        page_starts=extraction.page_starts,
    )


def _with_facts(publication: Publication, facts: PageFacts) -> Publication:
    """Fill what the text does not state from what the page states about itself.

    A date or type the text states wins (it is the publication's own); the
    page's are used only where the text states none, with the page's field
    named as their source.
    """
    steps = list(publication.steps)
    published = publication.published
    if published is None and isinstance(getattr(facts.published, "value", None), dt.date):
        assert facts.published is not None
        value = facts.published.value
        assert isinstance(value, dt.date)
        note = f"stated by the page: {facts.published.where}"
        published = PublishedDate(value, DateSource.STATED, note)
        steps.append(f"published: {value.isoformat()} ({note})")
    document_type = publication.document_type
    if document_type is None and facts.document_type is not None:
        kind = facts.document_type.value
        if isinstance(kind, DocumentType):
            document_type = kind
            said = f"document type: {kind.value}, stated by the page ({facts.document_type.where})"
            # In place of the text's "document type: unknown (...)".
            steps = [said if s.startswith("document type: unknown") else s for s in steps]
    # An update on the day of publication says nothing a reader can use.
    floor = published.value if published is not None else dt.date.min
    updates = [
        u
        for u in facts.updated
        if isinstance(u.value, dt.date) and u.value > floor and u.value not in publication.updated
    ]
    new_updates = sorted({u.value for u in updates if isinstance(u.value, dt.date)})
    if new_updates:
        where = "; ".join(sorted({u.where for u in updates}))
        dates = ", ".join(d.isoformat() for d in new_updates)
        steps.append(f"updated: {dates} (stated by the page: {where})")
    steps += [
        f"change note: {when.isoformat()} {_quote(note, 200)} (stated by the page)"
        for when, note in facts.change_notes
    ]
    if steps == list(publication.steps):
        return publication
    return attrs.evolve(
        publication,
        published=published,
        document_type=document_type,
        updated=tuple(sorted(set(publication.updated) | set(new_updates))),
        steps=tuple(steps),
    )


def _extractor(extraction: Extraction) -> str:
    ours = f"cspo-archive-ingest {INGEST_VERSION}"
    return ours if extraction.extractor == ours else f"{extraction.extractor} + {ours}"


def _publication(
    parse: _Parse,
    blocks: list[_Block],
    draft: _Draft,
    number: int,
    total: int,
    steps: list[str],
    dates: _Dates,
) -> tuple[list[_Paragraph], functools.partial[Publication]]:
    """Assemble publication *number* of *total*; *steps* are those made so far.

    Returns its paragraphs, and the Publication to make from their text.
    """
    head, span = draft.head, draft.span
    outside = draft.pub.outside_title
    title = _heading_text(head.text) if outside is None else outside
    paragraphs, rejoins, used = _body(parse, draft.body)
    own_lines = used if outside is not None else [head, *used]
    dead = _count_targets(own_lines)
    if dead:
        count = sum(len(line.dead) for line in own_lines)
        steps.append(f"remove link targets: {count} ({dead})")
    links = tuple(link for line in own_lines for link in line.links)
    if links:
        steps.append(f"keep link targets: {len(links)} (in links)")
    steps.extend(rejoins)
    if outside is None:
        steps.append(f"title: line {head.number} ({'; '.join(draft.pub.reasons)})")
    else:
        steps.append(f"title: {_quote(title, 200)}, {'; '.join(draft.pub.reasons)}")
    document_type, type_step = _document_type(parse, blocks, draft.pub, title)
    steps.append(type_step)
    published, updated, date_steps = dates.of_publication(number, total)
    steps.extend(date_steps)
    if total > 1:
        steps.append(
            f"split: publication {number + 1} of {total} starts at line "
            f"{head.number} (heading {_quote(title, 60)})"
        )
    plural = "s" if len(paragraphs) > 1 else ""
    steps.append(f"text: {len(paragraphs)} paragraph{plural}, {_line_range(*span)}")
    last = parse.lines[draft.body[-1].lines[-1]]
    return paragraphs, functools.partial(
        Publication,
        title=title,
        document_type=document_type,
        published=published,
        updated=updated,
        lines=span,
        characters=(head.start, last.end),
        steps=tuple(steps),
        links=links,
    )
