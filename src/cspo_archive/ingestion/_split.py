"""Splitting: titles, document types and where each publication starts and ends."""

from __future__ import annotations

import re
from typing import Final

from attrs import frozen

from cspo_archive._lazy_re import LazyPattern
from cspo_archive.exceptions import IngestError
from cspo_archive.ingestion._dates import _DATE, _MONTH
from cspo_archive.ingestion._furniture import _LABELS
from cspo_archive.ingestion._lines import (
    _ends_clause,
    _heading_text,
    _is_heading,
    _key,
    _Line,
    _line_range,
    _quote,
)
from cspo_archive.ingestion._parse import _Block, _Parse, _Pub
from cspo_archive.ingestion._records import Furniture
from cspo_archive.model import DocumentType

#: Words by which a heading names a publication type, most specific first.
_TYPE_WORDS: Final[tuple[tuple[str, DocumentType], ...]] = (
    (r"joint\s+statement", DocumentType.JOINT_STATEMENT),
    (r"(?:joint\s+)?communiqu[eé]", DocumentType.COMMUNIQUE),
    (r"fact\s*sheet", DocumentType.FACT_SHEET),
    (r"vision", DocumentType.VISION),
    (r"(?:press|media|news)\s+release", DocumentType.PRESS_RELEASE),
    (r"policy\s+paper", DocumentType.POLICY_PAPER),
    (r"speech|remarks", DocumentType.SPEECH),
    (r"statement|declaration|read-?out|transcript|annex", DocumentType.OTHER),
)
_TYPE_ALTERNATIVES = "|".join(f"(?P<t{i}>{words})" for i, (words, _) in enumerate(_TYPE_WORDS))
_TYPE_AT_START = LazyPattern(rf"(?:the\s+|a\s+)?(?:{_TYPE_ALTERNATIVES})\b", re.IGNORECASE)
_TYPE_AT_END = LazyPattern(
    rf"\b(?:{_TYPE_ALTERNATIVES})(?:\s*[,:–—-]?\s*(?:{_DATE}|{_MONTH}\s+\d{{4}}|\d{{4}}"
    rf"|[ivx]+|\d+))?$",
    re.IGNORECASE,
)
_TYPE_BEFORE_OBJECT = LazyPattern(
    rf"\b(?:{_TYPE_ALTERNATIVES})(?::|\s+(?:on|of|from|by|regarding|for|to|at|between|with)\b)",
    re.IGNORECASE,
)


@frozen
class _TypeName:
    document_type: DocumentType
    words: str
    bare: bool  # the heading is the single type word and nothing else


#: Words a name may hold in lowercase ("Combined Space Operations Vision of the ...").
_NAME_LOWERCASE: Final = frozenset(
    "a an and at de des du for in la le les of on the to und von".split()
)


def _names_only(words: str) -> bool:
    """Whether *words* read as a name (every word capitalised but small words), not as a
    sentence: "CSpO Vision 2031" names a vision, "UK and partners publish CSpO Vision
    2031" is a headline about one (its verb is lowercase)."""
    return all(
        not word[0].islower() or word in _NAME_LOWERCASE
        for word in words.split()
        if word[0].isalpha()
    )


def _named_type(heading: str) -> _TypeName | None:
    """The publication type *heading* names, if it names one.

    It must begin with the type words ("Joint Statement on ..."), or end with
    them capitalised, perhaps followed by a date or number ("CSpO Vision 2031"),
    or have them capitalised before what they are about ("... Statement on
    ..."), where the words before them read as a name (see :func:`_names_only`).
    A headline that merely mentions one ("UK publishes vision for ...") does
    not name one.
    """
    text = _heading_text(heading)
    found = _TYPE_AT_START.match(text)
    if found is None:
        found = next(
            (
                match
                for regex in (_TYPE_AT_END, _TYPE_BEFORE_OBJECT)
                for match in regex.finditer(text)
                if match[match.lastgroup or 0][0].isupper() and _names_only(text[: match.start()])
            ),
            None,
        )
    if found is None or found.lastgroup is None:
        return None
    words = found[found.lastgroup]
    kind = _TYPE_WORDS[int(found.lastgroup[1:])][1]
    bare = " " not in words and re.sub(r"^(?:the|a)\s+", "", text, flags=re.I) == words
    return _TypeName(kind, words, bare)


def _settle_labels(parse: _Parse, blocks: list[_Block]) -> dict[int, list[int]]:
    """Confirm labels (a label is just above a heading); return heading -> labels."""
    labelled: dict[int, list[int]] = {}
    following: list[int | None] = [None] * len(blocks)  # next block not a label or date
    nxt: int | None = None
    for index in range(len(blocks) - 1, -1, -1):
        following[index] = nxt
        if blocks[index].kind not in {"label", "date"}:
            nxt = index
    for index, block in enumerate(blocks):
        if block.kind != "label":
            continue
        nxt = following[index]
        if nxt is not None and blocks[nxt].kind == "heading":
            labelled.setdefault(nxt, []).append(index)
        else:
            block.kind = "heading" if _is_heading(parse.text_of(block)) else "text"
    return labelled


def _no_text_error(parse: _Parse, found: str) -> IngestError:
    msg = f"no publication text found in {parse.source}: {found}"
    return IngestError(msg, source=parse.source)


def _found_furniture(parse: _Parse) -> str:
    if not parse.furniture:
        return "the capture is only white space"
    parts = [
        f"{f.kind} ({_line_range(*f.lines)})" for f, _ in sorted(parse.furniture, key=_order)[:8]
    ]
    more = len(parse.furniture) - len(parts)
    listed = "; ".join(parts) + (f" and {more} more" if more > 0 else "")
    return f"the capture holds only page furniture ({listed}) and white space"


def _order(item: tuple[Furniture, str]) -> tuple[int, int]:
    return item[0].lines


@frozen
class TitleHint:
    """A title from outside the text: given by the caller, or stated by the page.

    ``where`` says which, for provenance: ``"given by the caller"``,
    ``"<meta property='og:title'>"``...
    """

    title: str
    where: str


#: A block above the title may be dropped as page furniture (a dateline, a banner,
#: a caption, a byline) only if it is this short: real text is never lost this way.
_MAX_ABOVE_TITLE_CHARS: Final = 200


#: ... and, if it ends a sentence, has at most this many words ("Posted by the press
#: office."); a longer sentence is text.
_MAX_ABOVE_TITLE_SENTENCE_WORDS: Final = 6
#: Below such lines, a heading this long (in words) is taken for the title before a
#: shorter one (a menu item, a section name).
_HEADLINE_WORDS: Final = 4


def _short_block(parse: _Parse, block: _Block) -> bool:
    """Whether *block* has the shape of furniture above a title, not of text."""
    lines = [parse.lines[i].text for i in block.lines]
    if len(lines) > 2 or sum(len(text) for text in lines) > _MAX_ABOVE_TITLE_CHARS:
        return False
    words = sum(len(text.split()) for text in lines)
    return not _ends_clause(lines[-1]) or words <= _MAX_ABOVE_TITLE_SENTENCE_WORDS


def _drop_above(parse: _Parse, blocks: list[_Block], title: int, why: str) -> None:
    for block in blocks[:title]:
        if block.kind not in {"furniture", "date"}:
            parse.drop(block, "above-title", why)


def _choose_title(
    parse: _Parse,
    blocks: list[_Block],
    labelled: dict[int, list[int]],
    hint: TitleHint | None = None,
) -> _Pub:
    """The first publication: where its title is, and why.

    In order: a heading below a document-type label; the line that is the
    *hint* (a title given or stated outside the text) when only short lines
    precede it; the first heading when only short lines precede it (those
    lines are page furniture: datelines, banners, captions, bylines); the
    *hint* itself when the text holds no such line (the text then keeps
    every line). Only when none of these exists is the capture refused.
    """
    first_text = next((i for i, b in enumerate(blocks) if b.kind == "text"), len(blocks))
    first_label = next((i for i, b in enumerate(blocks[:first_text]) if b.kind == "label"), None)
    if first_label is not None:
        title = next(h for h, labels in labelled.items() if first_label in labels)
        for block in blocks[:first_label]:
            if block.kind == "heading":
                parse.drop(block, "page-header", "above the document-type label")
        return _Pub(title, ["the first heading"], labelled.get(title, []))
    candidates = [i for i, b in enumerate(blocks) if b.kind not in {"date", "furniture"}]
    if not candidates:
        raise _no_text_error(parse, _found_furniture(parse))
    # How far the title may be from the start: past short blocks only.
    reach = next(
        (n for n, i in enumerate(candidates) if not _short_block(parse, blocks[i])),
        len(candidates),
    )
    if hint is not None:
        key = _key(hint.title)
        found = next(
            (
                index
                for index in candidates
                if len(blocks[index].lines) == 1 and _key(parse.text_of(blocks[index])) == key
            ),
            None,
        )
        if found is not None and found <= candidates[min(reach, len(candidates) - 1)]:
            blocks[found].kind = "heading"
            _drop_above(parse, blocks, found, f"above the title ({hint.where})")
            return _Pub(found, [f"the title {hint.where}"], labelled.get(found, []))
        if found is None:
            reason = (
                f"{hint.where}; no line of the text is this title, so the text keeps every line"
            )
            return _Pub(candidates[0], [reason], outside_title=hint.title)
        # Further on, after text: it names a later publication of the capture.
        blocks[found].kind = "heading"
        blocks[found].hint = hint.where
    headings = [
        index
        for index in candidates[: reach + 1]
        if blocks[index].kind == "heading"
        or (
            len(blocks[index].lines) == 1
            and _is_heading(parse.text_of(blocks[index]), lenient=True)
        )
    ]
    # Below short lines (menus, banners, section names), the title is the first
    # heading of a headline's length; a menu item or section name is shorter. Two
    # short headings before it make a menu (one could be a title and its subtitle)...
    long = [i for i in headings if len(parse.text_of(blocks[i]).split()) >= _HEADLINE_WORDS]
    above = [parse.text_of(blocks[i]) for i in headings if long and i < long[0]]
    # ... and so does one single word (a section's name: "Defence", "World").
    menu = len(above) >= 2 or (len(above) == 1 and len(above[0].split()) == 1)
    if headings and headings[0] == candidates[0] and not menu:
        blocks[headings[0]].kind = "heading"
        return _Pub(headings[0], ["the first heading"], labelled.get(headings[0], []))
    if headings:
        index = long[0] if long else headings[0]
        blocks[index].kind = "heading"
        _drop_above(parse, blocks, index, "short lines above the first headline")
        return _Pub(
            index, ["the first headline after short lines above it"], labelled.get(index, [])
        )
    block = blocks[candidates[0]]
    first, _ = parse.numbers(block)
    msg = (
        f"no title found in {parse.source}: the text begins (line {first}) with "
        f"{_quote(parse.text_of(block))}, which is not a one-line heading, no heading "
        f"follows a few short lines, and no title was given or stated by the page; "
        f"pass the publication's title (title=... in Python, --title on the command line)"
    )
    raise IngestError(msg, source=parse.source)


def _attachment_titles(parse: _Parse, blocks: list[_Block], title: int) -> dict[int, int]:
    """Find headings repeated later with no text after them: repeat -> first occurrence."""
    first_of: dict[str, int] = {}
    repeat_of: dict[int, int] = {}
    for index in range(title, len(blocks)):
        if blocks[index].kind != "heading":
            continue
        key = _key(parse.text_of(blocks[index]))
        if key in first_of:
            repeat_of[index] = first_of[key]
        else:
            first_of[key] = index
    # Right to left: is the next block that matters (not a repeat, label or date)
    # text? A repeat followed by text is a recurring sub-heading, not an attachment.
    attachments: dict[int, int] = {}
    text_follows = False
    for index in range(len(blocks) - 1, title, -1):
        block = blocks[index]
        if index in repeat_of:
            if not text_follows:
                attachments[index] = repeat_of[index]
            continue
        if block.kind in {"label", "date", "furniture"}:
            continue
        text_follows = block.kind == "text"
    return attachments


def _publications(
    parse: _Parse,
    blocks: list[_Block],
    first: _Pub,
    labelled: dict[int, list[int]],
) -> list[_Pub]:
    title = first.heading
    attachments = _attachment_titles(parse, blocks, title)
    repeated_at: dict[int, int] = {}
    for repeat, original in attachments.items():
        repeated_at.setdefault(original, repeat)
        line = parse.numbers(blocks[original])[0]
        parse.drop(blocks[repeat], "attachment-title", f"repeats the heading of line {line}")
    pubs = [first]
    for index in range(title + 1, len(blocks)):
        block = blocks[index]
        if block.kind != "heading":
            continue
        reasons = []
        labels = labelled.get(index, [])
        if labels:
            reasons.append(f"below the label {_quote(parse.text_of(blocks[labels[0]]))}")
        named = _named_type(parse.text_of(block))
        if named is not None and not named.bare:
            reasons.append(f"names a publication type ({_quote(named.words)})")
        if index in repeated_at:
            line = parse.numbers(blocks[repeated_at[index]])[0]
            reasons.append(f"repeated at line {line} as an attachment title")
        if block.hint is not None:
            reasons.append(f"the title {block.hint}")
        if reasons:
            pubs.append(_Pub(index, reasons, labels))
    # A candidate with no text before the next candidate is no publication. What
    # follows it stays with the publication before it; if there is none yet, its
    # headings belong to no publication.
    kept: list[_Pub] = []
    for number, pub in enumerate(pubs):
        end = pubs[number + 1].heading if number + 1 < len(pubs) else len(blocks)
        start = pub.heading if pub.outside_title is not None else pub.heading + 1
        if any(b.kind == "text" for b in blocks[start:end]):
            kept.append(pub)
        elif kept:
            parse.drop(blocks[pub.heading], "attachment-title", "no text follows it")
        else:
            for block in blocks[pub.heading : end]:
                if block.kind == "heading":
                    parse.drop(block, "heading-without-text", "no text follows it")
    if not kept:
        block = blocks[title]
        found = (
            f"the heading {_quote(parse.text_of(block))} (line {parse.numbers(block)[0]}) "
            f"has no text after it"
        )
        raise _no_text_error(parse, found)
    return kept


def _datelines(parse: _Parse, blocks: list[_Block], pubs: list[_Pub], title: int) -> None:
    """Dates just below a publication's heading, or between its label and its heading
    (or above the first title), are its date; other dates are text."""
    starts = {pub.heading: number for number, pub in enumerate(pubs)}
    labelled = {
        index: number
        for number, pub in enumerate(pubs)
        for index in range(min(pub.labels, default=pub.heading), pub.heading)
    }
    back = -1  # the last block before this one that is not a date, label or furniture
    for index, block in enumerate(blocks):
        if block.kind != "date":
            if block.kind not in {"furniture", "label"}:
                back = index
            continue
        owner = 0 if index < title or back < title else starts.get(back, labelled.get(index))
        if owner is None:
            block.kind = "text"
            back = index
            continue
        line = parse.lines[block.lines[0]]
        parse.state("published", line.text, line.text, line.number, line.number, owner)
        parse.drop(block, "dateline", f"the date of publication {owner + 1}")
    for block in blocks:
        if block.kind == "label":
            parse.drop(block, "document-type-label")


@frozen
class _Draft:
    pub: _Pub
    head: _Line  # the title line
    body: list[_Block]  # never empty
    span: tuple[int, int]  # line numbers, title to last line of text


def _drafts(parse: _Parse, blocks: list[_Block], pubs: list[_Pub]) -> list[_Draft]:
    """Each publication's heading and the blocks of its text."""
    drafts = []
    for number, pub in enumerate(pubs):
        end = len(blocks)
        if number + 1 < len(pubs):
            following = pubs[number + 1]
            end = min([following.heading, *following.labels])
        start = pub.heading if pub.outside_title is not None else pub.heading + 1
        body = [b for b in blocks[start:end] if b.kind in {"text", "heading", "date"}]
        head = parse.lines[blocks[pub.heading].lines[0]]
        span = (head.number, parse.lines[body[-1].lines[-1]].number)
        drafts.append(_Draft(pub, head, body, span))
    return drafts


def _document_type(
    parse: _Parse, blocks: list[_Block], pub: _Pub, title: str
) -> tuple[DocumentType | None, str]:
    generic: str | None = None
    for label in pub.labels:
        text = parse.text_of(blocks[label])
        line = parse.numbers(blocks[label])[0]
        kind = _LABELS[text.rstrip(":").casefold()]
        if kind is not None:
            return kind, f"document type: {kind.value}, from the label {_quote(text)} (line {line})"
        generic = generic or f"the label {_quote(text)} (line {line})"
    named = _named_type(title)
    if named is not None:
        return named.document_type, (
            f"document type: {named.document_type.value}, from the title ({_quote(named.words)})"
        )
    if generic is not None:
        return DocumentType.OTHER, f"document type: other, from {generic}"
    return None, "document type: unknown (no label, and the title names no publication type)"
