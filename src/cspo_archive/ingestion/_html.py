"""The HTML source reader: a web page's bytes to the text of its main content, with the
facts the page states about itself.

:func:`read_html` decodes the bytes (byte-order mark, then the caller's Content-Type
charset, then a ``<meta>`` declaration in the first 4 KB, then :func:`decode`'s own
rules), parses them once with lxml, reads the page's own facts from its markup
(Open Graph and ``article:`` meta, JSON-LD, Dublin Core meta, ``<time>``, ``<link
rel=canonical>``, ``<html lang>``), and extracts the main content.

Main content is found by a *site rule* when one matches the page (the publisher
templates in ``profiles/sites.toml``: CSS selectors, or XPath where CSS cannot say
it, that select the content and remove what is furniture inside it), turned to text
by our own walk of the selected elements; otherwise by trafilatura. The text holds
one paragraph, heading or list item per line, separated by blank lines, as the line
pipeline reads it; the page's title heading is its first line.

Evidence for the choice, measured on the five pages of ``tests/data/pages`` against
their ``expected.toml`` (46 body paragraphs; recall: expected paragraphs found, whole
and in order; precision: paragraphs after the title that are expected ones or the
page's summary; leaked: furniture strings left in the text; summaries: standfirsts
kept, of 2; ms: median over the pages of each page's median of 25 runs, on a shared
2-core machine, so within about 50%)::

    candidate                                    recall  precision  leaked  summaries  ms
    trafilatura 2.3.1, balanced (its default)    46/46   46/60       10     2/2        8.4
    trafilatura 2.3.1, favor_precision           46/46   46/59        9     1/2        7.4
    trafilatura 2.3.1, favor_recall              46/46   46/60       10     2/2        6.7
    site rules, then trafilatura on the choice   39/46   39/39        0     2/2        2.7
    site rules, then trafilatura favor_recall    43/46   43/43        0     2/2        2.4
    site rules, the choice walked with lxml      46/46   46/46        0     2/2        1.0
      (no rule matches: trafilatura balanced)

Alone, trafilatura keeps every paragraph but also the page furniture it cannot know
(GOV.UK's "Published 3 March 2024" and change notes, canada.ca's dateline, "News
release" label, contacts and "Date modified:"); favor_precision drops one such line
and the news site's standfirst with it. Given a rule's selection, trafilatura drops
headings and list items (canada.ca's "Quotes", "Quick facts"), so a selection is
turned to text by our own walk, which is exact: it keeps all of the selection's text
and nothing else. Where no rule matches (the news site), trafilatura in its balanced
mode extracts (all 7 paragraphs, no furniture, the standfirst kept); it is given the
parsed tree (it parses nothing again) with ``<template>`` and ``hidden`` elements
pruned, and its XML body is walked the same way (``head``, ``p``, ``item``, ``row``),
so headings and list items stay paragraphs of their own.
"""

from __future__ import annotations

import codecs
import contextlib
import copy
import datetime as dt
import functools
import json
import logging
import re
import threading
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final
from urllib.parse import urljoin, urlsplit

from attrs import frozen

from cspo_archive._lazy_re import LazyPattern
from cspo_archive._validators import URL_RE
from cspo_archive.exceptions import ArchiveFormatError, IngestError, UndecodableContentError
from cspo_archive.ingestion._decode import _BOMS, _as_bytes, decode
from cspo_archive.ingestion._records import Decoded
from cspo_archive.ingestion._source import Extraction, PageFacts, Stated

__all__ = ["read_html"]

# --- what the bytes are ----------------------------------------------------------

#: Signatures of files that are not HTML, and what to call them in a message.
_NOT_HTML: Final = (
    (b"%PDF-", "a PDF document (it starts with '%PDF-'); read it with the PDF reader"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.odt document, which are ZIP files)"),
    (b"\x1f\x8b", "gzip-compressed data; decompress it first (Content-Encoding: gzip)"),
    (b"(\xb5/\xfd", "zstd-compressed data; decompress it first"),
    (b"\xd0\xcf\x11\xe0", "a Microsoft Office (OLE2) document"),
    (b"WARC/", "a WARC file; read its records with the WARC reader"),
    (b"{\\rtf", "an RTF document"),
)
_RIFF_KINDS: Final = {b"WEBP": "a WebP image", b"WAVE": "a WAV audio file", b"AVI ": "a video"}
#: Tags that make a text HTML (one of them must be in it).
_HTML_TAG = LazyPattern(
    r"<(?:!doctype\s+html|html|head|body|title|meta|p|div|article|main|section|h[1-6]"
    r"|br|span|a|table|ul|ol|li|header|footer|nav|script|style|link)[\s/>]",
    re.IGNORECASE,
)

# --- decoding --------------------------------------------------------------------

#: How far into the bytes a <meta> charset declaration is looked for (as browsers do).
_PRESCAN: Final = 4096
_META_TAG = LazyPattern(rb"<meta(?=[\s/])([^>]*)>", re.IGNORECASE)
_ATTRIBUTE = LazyPattern(rb"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")
_CHARSET_IN_CONTENT = LazyPattern(rb"""charset\s*=\s*["']?\s*([^\s"';]+)""", re.IGNORECASE)
_COMMENT_BYTES = LazyPattern(rb"<!--.*?(?:-->|\Z)", re.DOTALL)
#: Labels the WHATWG Encoding Standard (what browsers do) reads as another encoding
#: than their name says: Latin-1 and ASCII are windows-1252, and so on. Keys and values
#: are Python codec names.
_AS_BROWSERS_READ: Final = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gbk",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
}


def _attributes(tag: bytes) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(tag):
        value = match.group(2) or match.group(3) or match.group(4) or b""
        found.setdefault(
            match.group(1).decode("ascii", "replace").lower(), value.decode("ascii", "replace")
        )
    return found


def _meta_charset(data: bytes) -> tuple[str, str] | None:
    """The charset a ``<meta>`` in the first 4 KB declares, and the tag as evidence."""
    prefix = _COMMENT_BYTES.sub(b"", data[:_PRESCAN])
    for match in _META_TAG.finditer(prefix):
        attributes = _attributes(match.group(1))
        if attributes.get("charset", "").strip():
            label = attributes["charset"].strip()
            return label, f"<meta charset='{label}'>"
        if attributes.get("http-equiv", "").strip().lower() == "content-type":
            content = attributes.get("content", "")
            found = _CHARSET_IN_CONTENT.search(content.encode("ascii", "replace"))
            if found is not None:
                label = found.group(1).decode("ascii", "replace")
                return label, f"<meta http-equiv='Content-Type' content='{_clip(content)}'>"
    return None


def _codec(label: str) -> str | None:
    """The Python codec for an encoding label, as browsers read it; None if unknown."""
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    return _AS_BROWSERS_READ.get(name, name)


def _decode_html(data: bytes, source: str, encoding: str | None) -> tuple[Decoded, str]:
    """Decode *data* choosing the encoding as a browser does; return it and the step."""
    notes: list[str] = []
    declared = _meta_charset(data)
    bom = next((codec for mark, codec in _BOMS if data.startswith(mark)), None)
    chosen: str | None = None
    how = ""
    if bom is not None:
        chosen, how = bom, "byte-order mark"
        if encoding is not None:
            notes.append(f"it overrides the charset {encoding!r} given by the caller")
    elif encoding is not None:
        codec = _codec(encoding)
        chosen = codec or encoding  # decode() says what is wrong with an unknown one
        how = f"charset {encoding!r} given by the caller"
        if codec is not None and codecs.lookup(encoding.strip()).name != codec:
            notes.append(f"read as {codec}, as browsers read {encoding!r}")
        if declared is not None and _codec(declared[0]) not in {None, chosen}:
            notes.append(f"the page's {declared[1]} is overridden")
    elif declared is not None:
        label, tag = declared
        codec = _codec(label)
        if codec is None:
            notes.append(f"{tag} names no encoding Python knows; ignored")
        elif codec.startswith(("utf-16", "utf-32")):
            # A declaration readable as ASCII cannot be in UTF-16: browsers read UTF-8.
            chosen, how = "utf-8", f"declared by {tag}"
            notes.append("read as UTF-8, as browsers do: the declaration itself is not UTF-16")
        else:
            chosen, how = codec, f"declared by {tag}"
            if codecs.lookup(label).name != codec:
                notes.append(f"read as {codec}, as browsers read {label!r}")
    try:
        decoded = decode(data, encoding=chosen, source=source)
    except UndecodableContentError:
        if declared is None or not how.startswith("declared"):
            raise
        # A page that says the wrong charset (cp1252 bytes declaring UTF-8 is common):
        # its bytes are read as if it declared none; decode() still refuses garbage.
        decoded = decode(data, source=source)
        how = f"{declared[1]} is wrong: the bytes are not {chosen}"
        chosen = None
        notes.clear()
    if chosen is None and not how:
        how = "no charset declared" if declared is None else "no usable charset declared"
    if chosen is None:
        if decoded.detected:
            how += "; detected" if "is wrong" in how else "; detected, the bytes are not UTF-8"
        else:
            how += "; UTF-8" if decoded.replacement_characters else "; strict UTF-8"
    count = decoded.replacement_characters
    if count:
        notes.append(
            f"{count} undecodable byte sequence{'s' if count > 1 else ''} replaced by U+FFFD"
        )
    if decoded.bom and bom is None:
        notes.append("byte-order mark removed")
    return decoded, f"decode: {decoded.encoding} ({'; '.join([how, *notes])})"


def _not_html(data: bytes, source: str) -> None:
    """Raise if the bytes are plainly another kind of file."""
    head = data[:16]
    for signature, kind in _NOT_HTML:
        if head.startswith(signature):
            raise _not_html_error(source, kind)
    if head.startswith(b"RIFF") and head[8:12] in _RIFF_KINDS:
        raise _not_html_error(source, _RIFF_KINDS[head[8:12]])


def _not_html_text(text: str, source: str) -> None:
    """Raise if the decoded text has no HTML in it; say what it looks like."""
    if _HTML_TAG.search(text) is not None:
        return
    start = text.lstrip()
    if start.startswith(("{", "[")):
        kind = "JSON (a GOV.UK Content API response is read by its own reader)"
    elif start.startswith("<"):
        kind = "XML, not HTML (an RSS or Atom feed, or another XML document)"
    elif not start:
        kind = "only white space"
    else:
        first = start.split("\n", 1)[0].strip()
        kind = f"plain text (it begins {_clip(first, 60)!r}); read it with the text reader"
    raise _not_html_error(source, kind)


def _not_html_error(source: str, kind: str) -> IngestError:
    msg = f"cannot read {source} as HTML: the bytes are not an HTML page, they look like {kind}"
    return IngestError(msg, source=source)


# --- small helpers ---------------------------------------------------------------


#: Control characters (a page can write them as character references, ``&#7;``): never
#: text, and no fact may hold one.
_CONTROLS = LazyPattern(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _one_line(text: str) -> str:
    """Collapse all white space (line breaks included) to single spaces and strip; drop
    control characters."""
    return " ".join(_CONTROLS.sub("", text).split())


def _clip(text: str, limit: int = 120) -> str:
    text = _one_line(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --- parsing ---------------------------------------------------------------------


def _parse(text: str, source: str) -> Any:
    """The page as an lxml.html document (comments and processing instructions dropped)."""
    from lxml import etree, html

    parser = html.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
        default_doctype=False,
        no_network=True,
    )
    try:
        root = html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        msg = (
            f"cannot read {source} as HTML: lxml could not parse it ({exc}); "
            f"check that the capture is a whole page"
        )
        raise IngestError(msg, source=source) from exc
    limits = [e for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"]
    if limits:
        line = limits[0].line
        msg = (
            f"cannot read {source} as HTML: lxml stopped reading it at line {line}: "
            f"{limits[0].message.split(',')[0].lower()} (its limit against hostile pages), "
            f"so the rest of the page would be lost; a real page is far simpler: check the "
            f"capture"
        )
        raise IngestError(msg, source=source)
    return root


_CHARACTER_REFERENCE = LazyPattern(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _drop_controls(root: Any, text: str) -> int:
    """Remove the control characters the page wrote as character references (``&#7;``;
    decode() lets none in as bytes) from the parsed page; return how many there were.

    No text or fact may hold one, and trafilatura discards a whole page with one in it.
    """
    references = (int(m[1], 16) if m[1] else int(m[2]) for m in _CHARACTER_REFERENCE.finditer(text))
    if not any(n < 0x20 or 0x7F <= n < 0xA0 for n in references):
        return 0
    removed = 0

    def clean(value: str | None) -> str | None:
        nonlocal removed
        if not value or _CONTROLS.search(value) is None:
            return value
        cleaned = _CONTROLS.sub("", value)
        removed += len(value) - len(cleaned)
        return cleaned

    for element in root.iter():
        if isinstance(element.tag, str):
            element.text = clean(element.text)
            for name, value in element.attrib.items():
                element.set(name, clean(value))
        element.tail = clean(element.tail)
    return removed


# --- text of elements ------------------------------------------------------------

#: Elements whose content is never text a reader sees.
_NEVER_TEXT: Final = frozenset(
    "script style noscript template head svg math iframe object embed canvas audio video "
    "input button select option textarea datalist".split()
)
#: HTML elements that start and end a paragraph (one line of the text).
_HTML_BLOCKS: Final = frozenset(
    "html body p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote section article header "
    "footer aside nav main figure figcaption table caption thead tbody tfoot tr pre address "
    "details summary hr form fieldset legend center menu hgroup search dialog".split()
)
_HTML_CELLS: Final = frozenset({"td", "th"})
#: The same for trafilatura's XML (``head`` is a heading there).
_XML_BLOCKS: Final = frozenset("doc main body p head list item quote table row code div".split())
_XML_CELLS: Final = frozenset({"cell"})
#: Marks a line break (``<br>``, ``<lb>``) until paragraphs are cut (decode() lets no NUL in).
_BREAK: Final = "\x00"
_PARAGRAPH_BREAK = LazyPattern(r"\x00\s*(?:\x00\s*)+")


#: Page furniture by its HTML element or ARIA role: no article text is in these.
_LANDMARKS: Final = frozenset({"nav", "header", "footer", "aside"})
_LANDMARK_ROLES: Final = frozenset(
    {"navigation", "banner", "contentinfo", "search", "complementary"}
)


class _Walk:
    """Paragraphs of an element tree, one per block element (see :func:`_paragraphs`).

    *landmarks* false leaves out navigation, headers, footers and sidebars too.
    """

    def __init__(
        self, blocks: frozenset[str], cells: frozenset[str], br: str, *, landmarks: bool = True
    ) -> None:
        self.blocks, self.cells, self.br = blocks, cells, br
        self.html = br == "br"
        self.never_text = _NEVER_TEXT if self.html else frozenset()
        self.landmarks = landmarks
        self.paragraphs: list[str] = []
        self.pieces: list[str] = []
        self.never: Counter[str] = Counter()
        self.hidden = 0

    def flush(self) -> None:
        if not self.pieces:
            return
        raw = "".join(self.pieces)
        self.pieces.clear()
        for part in _PARAGRAPH_BREAK().split(raw):
            line = _one_line(part.replace(_BREAK, " "))
            if line:
                self.paragraphs.append(line)

    def _skip(self, name: str, node: Any) -> bool:
        if name in self.never_text:
            self.never[name] += 1
            return True
        if not self.html:
            return False
        if node.get("hidden") is not None:
            self.hidden += 1
            return True
        return not self.landmarks and (
            name in _LANDMARKS or (node.get("role") or "").strip().lower() in _LANDMARK_ROLES
        )

    def walk(self, element: Any) -> None:
        from lxml import etree

        walker = etree.iterwalk(element, events=("start", "end"))
        row_cells: list[int] = []
        for event, node in walker:
            name = node.tag.lower() if isinstance(node.tag, str) else None
            if event == "start":
                if name is None:  # a comment or processing instruction
                    continue
                if self._skip(name, node):
                    walker.skip_subtree()
                    continue
                if name in self.blocks:
                    self.flush()
                    if name in {"tr", "row"}:
                        row_cells.append(0)
                elif name in self.cells:
                    if row_cells:
                        if row_cells[-1]:
                            self.pieces.append(" | ")
                        row_cells[-1] += 1
                elif name == self.br:
                    self.pieces.append(_BREAK)
                if node.text:
                    self.pieces.append(node.text)
            else:
                if name in self.blocks:
                    self.flush()
                    if name in {"tr", "row"} and row_cells:
                        row_cells.pop()
                if node.tail and node is not element:
                    self.pieces.append(node.tail)
        self.flush()


def _paragraphs(elements: Iterable[Any], *, xml: bool = False) -> _Walk:
    """Walk *elements*: each block element's text is one paragraph, white space collapsed.

    HTML (*xml* false): ``<br>`` is a space, two or more in a row a paragraph break;
    table cells are joined with ``" | "``, one row a line; script, style, forms'
    controls, embedded objects and ``hidden`` elements are never text. *xml*: the
    same for trafilatura's XML (``head``, ``p``, ``item``, ``row``/``cell``, ``lb``).
    """
    walk = _Walk(_XML_BLOCKS, _XML_CELLS, "lb") if xml else _Walk(_HTML_BLOCKS, _HTML_CELLS, "br")
    for element in elements:
        walk.flush()
        walk.walk(element)
    walk.flush()
    return walk


def fragment_paragraphs(fragment: str) -> list[str]:
    """The paragraphs of an HTML fragment (a body kept as a string, as in a GOV.UK
    Content API document), by the same rules as a page's (see :func:`_paragraphs`)."""
    import lxml.html

    if not fragment.strip():
        return []
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return _paragraphs([root]).paragraphs


def _article_text(root: Any, title: str | None) -> bool:
    """Whether the page's body has text outside its landmarks (navigation, header,
    footer, sidebars) other than its title: the least an article has."""
    body = root.find("body")
    if body is None:
        return False
    walk = _Walk(_HTML_BLOCKS, _HTML_CELLS, "br", landmarks=False)
    walk.walk(body)
    walk.flush()
    return any(p != title for p in walk.paragraphs)


def _inline_text(element: Any) -> str:
    """The text of one element as one line (for a heading or a title)."""
    return " ".join(_paragraphs([element]).paragraphs)


# --- facts -----------------------------------------------------------------------

#: schema.org types whose ``headline`` and dates are the page's own.
_ARTICLE_TYPES: Final = frozenset(
    "Article NewsArticle ReportageNews AnalysisNewsArticle BackgroundNewsArticle "
    "OpinionNewsArticle ReviewNewsArticle BlogPosting Report ScholarlyArticle "
    "TechArticle".split()
)
_ISO_DATE = LazyPattern(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?)?",
    re.IGNORECASE,
)
_TITLE_SEPARATORS: Final = (" | ", " - ", " – ", " — ", " :: ", " > ", " » ", " · ")
_SUBTAG = LazyPattern(r"[A-Za-z0-9]{2,8}")
_HOST = LazyPattern(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*")


def _date(value: str) -> dt.date | None:
    """The calendar date an ISO 8601 date or date-time states, in its own offset.

    ``2025-03-12T23:30:00-05:00`` is 12 March: the day the publisher states, not the
    UTC day. Anything else (no date, another shape) is None: nothing is guessed.
    """
    match = _ISO_DATE.fullmatch(value.strip())
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


class _Meta:
    """The ``<meta>`` elements of a page by lowercased ``property``/``name``/``itemprop``."""

    def __init__(self, root: Any) -> None:
        self.found: dict[str, tuple[str, str, str]] = {}
        for meta in root.iter("meta"):
            content = meta.get("content")
            if content is None or not content.strip():
                continue
            for attribute in ("property", "name", "itemprop"):
                key = meta.get(attribute)
                if key and key.strip():
                    self.found.setdefault(
                        key.strip().lower(), (attribute, key.strip(), content.strip())
                    )

    def element(self, key: str) -> str:
        """The first meta named *key* as evidence, without its content."""
        attribute, name, _ = self.found[key]
        return f"<meta {attribute}='{name}'>"

    def get(self, key: str) -> tuple[str, str] | None:
        """(content, where) of the first meta named *key*."""
        found = self.found.get(key)
        if found is None:
            return None
        attribute, name, content = found
        return content, f"<meta {attribute}='{name}' content='{_clip(content)}'>"


#: JSON-LD items looked at per page, at most (a hostile page may hold millions).
_MAX_LD_ITEMS: Final = 10_000


def _json_ld(root: Any, notes: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """The typed JSON-LD objects on the page (top level and ``@graph``), in page order,
    each with its type (its first article type if it has several)."""
    found: list[tuple[str, dict[str, Any]]] = []
    budget = _MAX_LD_ITEMS
    for number, script in enumerate(root.iter("script"), 1):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            document = json.loads(script.text or "")
        except (ValueError, RecursionError):
            notes.append(f"facts: JSON-LD block (script {number}) is not valid JSON; ignored")
            continue
        queue: deque[Any] = deque([document])
        while queue and budget > 0:
            budget -= 1
            item = queue.popleft()
            if isinstance(item, list):
                queue.extendleft(reversed(item[:budget]))
            elif isinstance(item, dict):
                kinds = item.get("@type")
                kinds = [kinds] if isinstance(kinds, str) else kinds
                if isinstance(kinds, list) and kinds and all(isinstance(k, str) for k in kinds):
                    found.append((next((k for k in kinds if k in _ARTICLE_TYPES), kinds[0]), item))
                graph = item.get("@graph")
                if isinstance(graph, list):
                    queue.extendleft(reversed(graph[:budget]))
    return found


def _ld_value(objects: list[tuple[str, dict[str, Any]]], key: str) -> tuple[str, str] | None:
    """(value, where) of *key* in the first article-typed JSON-LD object that states it."""
    for kind, item in objects:
        value = item.get(key)
        if kind in _ARTICLE_TYPES and isinstance(value, str) and value.strip():
            return value.strip(), f"JSON-LD {kind} {key} '{_clip(value)}'"
    return None


def _ld_publisher(objects: list[tuple[str, dict[str, Any]]]) -> str | None:
    for kind, item in objects:
        publisher = item.get("publisher")
        if kind not in _ARTICLE_TYPES and kind != "WebPage":
            continue
        if isinstance(publisher, list) and publisher:
            publisher = publisher[0]
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            name = _one_line(publisher["name"])
            if name:
                return name
    return None


def _language(raw: str | None) -> str | None:
    """A BCP 47 tag as usually written ("en", "en-GB", "zh-Hant-TW"); None for junk."""
    if raw is None:
        return None
    parts = raw.strip().replace("_", "-").split("-")
    if not re.fullmatch(r"[A-Za-z]{2,3}", parts[0]) or not all(
        _SUBTAG.fullmatch(p) for p in parts[1:]
    ):
        return None
    tag = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 2 and part.isalpha():
            tag.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            tag.append(part.title())
        else:
            tag.append(part.lower())
    return "-".join(tag)


def _http_url(href: str, base: str | None) -> str | None:
    """*href* made absolute against *base*; None unless an http(s) URL."""
    href = href.strip()
    if not href:
        return None
    if base is not None and urlsplit(base).scheme.lower() in {"http", "https"}:
        href = urljoin(base, href)
    parts = urlsplit(href)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return href if URL_RE.fullmatch(href) else None


def _host(url: str | None) -> str | None:
    if url is None:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return host.rstrip(".").lower() if host else None


def _strip_site_suffix(title: str, site_name: str | None) -> tuple[str, str | None]:
    """*title* without a " | Site" suffix that repeats *site_name*, and why (None if kept).

    (A ``<title>`` is the page's title only when it has no ``<h1>``, so a suffix is
    removed only when ``og:site_name`` names it: nothing is guessed.)
    """
    if site_name:
        for separator in _TITLE_SEPARATORS:
            suffix = separator + site_name
            if title.casefold().endswith(suffix.casefold()) and len(title) > len(suffix):
                rest = title[: -len(suffix)].rstrip()
                return rest, f"suffix {suffix.strip()!r} removed: it repeats og:site_name"
    return title, None


def _first_h1(root: Any) -> str | None:
    """The text of the first ``<h1>`` in the page's ``<main>`` or ``<article>``, else of
    the first ``<h1>`` (a site's logo is sometimes an ``<h1>`` in its header)."""
    for path in ("//main//h1 | //article//h1", "//body//h1"):
        for h1 in root.xpath(path):
            text = _inline_text(h1)
            if text:
                return text
    return None


def _title(
    root: Any, meta: _Meta, objects: list[tuple[str, dict[str, Any]]], site_name: str | None
) -> Stated | None:
    og_title = meta.get("og:title")
    if og_title is not None:
        return Stated(_one_line(og_title[0]), meta.element("og:title"))
    headline = _ld_value(objects, "headline")
    if headline is not None:
        return Stated(_one_line(headline[0]), headline[1].split(" '", 1)[0])
    h1 = _first_h1(root)
    if h1 is not None:
        return Stated(h1, "first <h1>")
    titles = root.xpath("/html/head/title | //title[not(ancestor::svg)]")
    if titles:
        text = _one_line(titles[0].text_content())
        if text:
            text, why = _strip_site_suffix(text, site_name)
            return Stated(text, "<title>" + (f" ({why})" if why else ""))
    return None


def _time_elements(root: Any) -> list[Any]:
    return list(root.xpath("//article//time[@datetime] | //main//time[@datetime]"))


def _time_where(time: Any, value: str) -> str:
    inside = time.xpath("ancestor::*[self::article or self::main][1]")
    place = f" in <{inside[0].tag}>" if inside else ""
    marker = ""
    for attribute in ("property", "itemprop"):
        if time.get(attribute):
            marker = f" {attribute}='{time.get(attribute)}'"
    return f"<time{marker} datetime='{_clip(value)}'>{place}"


def _time_candidate(time: Any) -> tuple[str, str]:
    """(date, where) of a ``<time datetime>``: the date its text shows when it shows one
    (the publisher's day: ``datetime='2023-11-13T22:00:00Z'`` shown as "14 November
    2023" is the 14th), else its ``datetime``."""
    from cspo_archive.ingestion._dates import _DATE_RE, _parse_date

    value = time.get("datetime")
    shown = _one_line(time.text_content())
    match = _DATE_RE.search(shown)
    day = _parse_date(match.group()) if match is not None else None
    if day is None or _date(value) == day:
        return value, _time_where(time, value)
    return day.isoformat(), f"{_time_where(time, value)} showing {_clip(shown, 60)!r}"


def _modified_time(time: Any) -> tuple[str, str]:
    """(date, where) of a ``<time property="dateModified">``: its datetime, else its text."""
    value = time.get("datetime")
    if value is not None:
        return value, _time_where(time, value)
    value = _one_line(time.text_content())
    marker = next(f"{a}='{time.get(a)}'" for a in ("property", "itemprop") if time.get(a))
    return value, f"<time {marker}>{_clip(value, 60)}</time>"


def _is_modified(time: Any) -> bool:
    return any(
        (time.get(a) or "").strip().lower().endswith("datemodified")
        for a in ("property", "itemprop")
    )


def _dated(
    candidates: Iterable[tuple[str, str] | None], notes: list[str], role: str
) -> list[Stated]:
    """The dates the candidates state, in order; a candidate that is not an ISO 8601
    date is told in *notes* when it comes before the first that is (it was passed over)."""
    stated: list[Stated] = []
    for found in candidates:
        if found is None:
            continue
        value, where = found
        date = _date(value)
        if date is not None:
            stated.append(Stated(date, where))
        elif not stated:
            notes.append(f"facts: {role}: {where} is not an ISO 8601 date; passed over")
    return stated


def _facts(root: Any, url: str | None, notes: list[str]) -> tuple[PageFacts, str | None]:
    """What the page states about itself in its markup (a fact not stated is None), and
    its ``og:site_name``."""
    meta = _Meta(root)
    objects = _json_ld(root, notes)
    site = meta.get("og:site_name")
    site_name = _one_line(site[0]) if site is not None else None
    publisher = site_name or _ld_publisher(objects)
    title = _title(root, meta, objects, site_name)
    times = _time_elements(root)
    published_candidates = [
        meta.get("article:published_time"),
        _ld_value(objects, "datePublished"),
        meta.get("dcterms.issued"),
        meta.get("dc.date.issued"),
        *(_time_candidate(time) for time in times if not _is_modified(time)),
    ]
    published = _dated(published_candidates, notes, "published")
    updated_candidates = [
        meta.get("article:modified_time"),
        _ld_value(objects, "dateModified"),
        meta.get("dcterms.modified"),
        *(_modified_time(time) for time in root.iter("time") if _is_modified(time)),
    ]
    updated: list[Stated] = []
    for stated in _dated(updated_candidates, notes, "updated"):
        if all(stated.value != seen.value for seen in updated):
            updated.append(stated)
    updated.sort(key=lambda s: str(s.value))
    canonical = None
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and link.get("href") is not None:
            canonical = _http_url(link.get("href"), url)
            if canonical is not None and canonical != link.get("href").strip():
                notes.append(
                    f"facts: canonical URL {canonical} (<link rel='canonical' "
                    f"href='{_clip(link.get('href'))}'> made absolute against the page URL)"
                )
            if canonical is None:
                notes.append(
                    f"facts: <link rel='canonical' href='{_clip(link.get('href'))}'> is not "
                    f"an http(s) URL"
                    + ("" if url else " and no page URL was given to resolve it against")
                    + "; ignored"
                )
            break
    raw_lang = root.get("lang") or root.get("xml:lang")
    language = _language(raw_lang)
    if raw_lang is not None and language is None:
        notes.append(f"facts: <html lang='{_clip(raw_lang, 40)}'> is not a language tag; ignored")
    facts = PageFacts(
        title=title,
        published=published[0] if published else None,
        updated=tuple(updated),
        document_type=_document_type(meta),
        canonical_url=canonical,
        language=language,
        publisher=publisher,
    )
    notes.extend(_fact_steps(facts, published[1:]))
    return facts, site_name


#: Metadata that names a page's kind: Dublin Core's type (used by Canada.ca and the
#: Australian government's AGLS), and GOV.UK's format ("news_story").
_TYPE_METAS: Final = ("dcterms.type", "dc.type", "govuk:format")


def _document_type(meta: _Meta) -> Stated | None:
    """The document type the page's metadata names, read as a label is (the
    ``[labels]`` of ``profiles/ingest.toml``: "news release" is a press release)."""
    from cspo_archive.ingestion._furniture import _LABELS

    for key in _TYPE_METAS:
        found = meta.get(key)
        if found is None:
            continue
        content, where = found
        kind = _LABELS.get(" ".join(content.replace("_", " ").split()).casefold())
        if kind is not None:
            return Stated(kind, where)
    return None


def _fact_steps(facts: PageFacts, other_published: Sequence[Stated]) -> list[str]:
    steps = []
    if facts.title is not None:
        steps.append(f"facts: title from {facts.title.where}")
    if facts.published is not None:
        other = next((s for s in other_published if s.value != facts.published.value), None)
        also = "" if other is None else f" (another date stated: {other.value} by {other.where})"
        steps.append(f"facts: published {facts.published.value} from {facts.published.where}{also}")
    steps.extend(f"facts: updated {s.value} from {s.where}" for s in facts.updated)
    missing = [
        name
        for name, value in (
            ("title", facts.title),
            ("published", facts.published),
            ("canonical URL", facts.canonical_url),
            ("language", facts.language),
            ("publisher", facts.publisher),
        )
        if value is None
    ]
    if missing:
        steps.append(f"facts: not stated: {', '.join(missing)}")
    return steps


# --- site rules ------------------------------------------------------------------

_SITE_KEYS: Final = ("name", "hosts", "site_names", "select", "remove")
#: How an XPath expression begins (or an axis inside it); anything else is CSS.
_XPATH_START: Final = ("/", "./", "..", "(")


def _to_xpath(expression: str) -> str:
    """*expression* as XPath: CSS selectors are translated by cssselect (relative to the
    context element and including it, as lxml's ``CSSSelector`` does); XPath is kept.
    Raises ``cssselect.SelectorError`` for a CSS selector it cannot read."""
    if expression.startswith(_XPATH_START) or "::" in expression:
        return expression
    from cssselect import HTMLTranslator

    return str(HTMLTranslator().css_to_xpath(expression, prefix="descendant-or-self::"))


_REQUIRED: Final = ("name", "hosts", "select")


@frozen
class _Site:
    """One publisher template: where its main content is, and what inside it is not."""

    name: str
    hosts: tuple[str, ...]
    site_names: tuple[str, ...]
    #: (expression as written, compiled XPath), tried in order.
    select: tuple[tuple[str, Any], ...]
    remove: tuple[tuple[str, Any], ...]

    def matches_host(self, host: str | None) -> str | None:
        if host is None:
            return None
        return next((h for h in self.hosts if host == h or host.endswith("." + h)), None)


def _rules_error(path: str, where: str, problem: str, fix: str) -> ArchiveFormatError:
    name = path.rsplit("/", 1)[-1]
    return ArchiveFormatError(f"site rules file {name}: {where}: {problem}; {fix}", path=path)


def _compile_sites(document: object, path: str) -> tuple[_Site, ...]:
    """Check the site rules read from *path* and compile their selectors (as XPath).

    Raises :class:`ArchiveFormatError` naming the file, the site and the fix for an
    unknown key, a missing or mistyped value, a bad host name, an expression that is
    neither a CSS selector nor XPath 1.0, or one that selects a value, not elements.
    """
    from cssselect import SelectorError
    from lxml import etree, html

    if not isinstance(document, dict):
        raise _rules_error(path, "top level", "not a table", "write [[site]] tables")
    unknown = sorted(set(document) - {"site"})
    if unknown:
        raise _rules_error(
            path,
            "top level",
            f"unknown key {unknown[0]!r}",
            "the file holds only [[site]] tables (name, hosts, site_names, select, remove)",
        )
    sites = document.get("site", [])
    if not isinstance(sites, list) or not all(isinstance(s, dict) for s in sites):
        raise _rules_error(path, "site", "not an array of tables", "write each as [[site]]")
    probe = html.document_fromstring("<html><body><p>probe</p></body></html>")
    compiled: list[_Site] = []
    names: set[str] = set()
    for number, site in enumerate(sites, 1):
        label = f"[[site]] {number}" + (
            f" ({site['name']!r})" if isinstance(site.get("name"), str) else ""
        )
        unknown = sorted(set(site) - set(_SITE_KEYS))
        if unknown:
            raise _rules_error(
                path,
                label,
                f"unknown key {unknown[0]!r}",
                f"the keys are {', '.join(_SITE_KEYS)}: fix its spelling or remove it",
            )
        for key in _REQUIRED:
            if key not in site:
                raise _rules_error(path, label, f"no {key!r}", f"add {key} = ...")
        name = site["name"]
        if not isinstance(name, str) or _one_line(name) != name or not name:
            raise _rules_error(path, label, "'name' is not a one-line string", "name it")
        if name in names:
            raise _rules_error(path, label, f"a second site named {name!r}", "rename one")
        names.add(name)
        lists: dict[str, tuple[str, ...]] = {}
        for key in ("hosts", "site_names", "select", "remove"):
            value = site.get(key, [])
            if not isinstance(value, list) or not all(
                isinstance(v, str) and v.strip() for v in value
            ):
                raise _rules_error(
                    path, label, f"{key!r} is not a list of strings", f'write {key} = ["..."]'
                )
            lists[key] = tuple(v.strip() for v in value)
        for key in ("hosts", "select"):
            if not lists[key]:
                raise _rules_error(path, label, f"{key!r} is empty", "give at least one")
        for host in lists["hosts"]:
            if _HOST.fullmatch(host) is None:
                raise _rules_error(
                    path,
                    label,
                    f"host {host!r} is not a lowercase host name",
                    "write it like 'www.gov.uk' (it also matches its subdomains)",
                )
        expressions: dict[str, list[tuple[str, Any]]] = {"select": [], "remove": []}
        for key, found in expressions.items():
            for expression in lists[key]:
                try:
                    xpath = etree.XPath(_to_xpath(expression))
                    result = xpath(probe)
                except (SelectorError, etree.XPathSyntaxError, etree.XPathEvalError) as exc:
                    raise _rules_error(
                        path,
                        label,
                        f"{key} expression {expression!r} is neither a CSS selector nor XPath "
                        f"1.0 ({exc})",
                        "write a CSS selector such as 'main div.govuk-govspeak', or XPath "
                        "starting with '/' or './'",
                    ) from exc
                if not isinstance(result, list):
                    raise _rules_error(
                        path,
                        label,
                        f"{key} expression {expression!r} gives a "
                        f"{type(result).__name__}, not elements",
                        "write an expression that selects elements",
                    )
                found.append((expression, xpath))
        compiled.append(
            _Site(
                name,
                lists["hosts"],
                lists["site_names"],
                tuple(expressions["select"]),
                tuple(expressions["remove"]),
            )
        )
    return tuple(compiled)


@functools.cache
def _sites() -> tuple[_Site, ...]:
    """The site rules of ``profiles/sites.toml`` (read and checked on first use)."""
    from cspo_archive.profiles import FOLDER, load_table

    return _compile_sites(load_table("sites"), str(FOLDER / "sites.toml"))


def _match_site(
    sites: Sequence[_Site], url: str | None, canonical: str | None, site_name: str | None
) -> tuple[_Site, str] | None:
    """The site rule for the page and how it matched: the page URL's host first, then
    the canonical URL's, then ``og:site_name``."""
    for what, host in (("the URL", _host(url)), ("the canonical URL", _host(canonical))):
        for site in sites:
            matched = site.matches_host(host)
            if matched is not None:
                return site, f"host {host} of {what}"
    if site_name:
        key = site_name.casefold()
        for site in sites:
            if any(key == n.casefold() for n in (*site.site_names, *site.hosts)):
                return site, f"og:site_name {site_name!r}"
    return None


def _inside(element: Any, roots: Sequence[Any]) -> bool:
    """*element* is still attached under one of *roots*."""
    node = element
    while node is not None:
        if any(node is root for root in roots):
            return True
        node = node.getparent()
    return False


def _apply_site(site: _Site, root: Any) -> tuple[list[Any], str, Counter[str]] | None:
    """Copies of the elements the site's first matching ``select`` finds, with its
    ``remove`` expressions applied (each evaluated with every selected element as the
    context node: one that matches a selected element itself drops it); None if no
    ``select`` expression finds an element."""
    found: list[Any] = []
    expression = ""
    for expression, xpath in site.select:  # noqa: B007 (the one that found is named)
        found = [e for e in xpath(root) if isinstance(getattr(e, "tag", None), str)]
        if found:
            break
    if not found:
        return None
    # Outermost only: an element inside another selected one is in it already.
    members = set(found)
    found = [e for e in found if not any(a in members for a in e.iterancestors())]
    chosen = [copy.deepcopy(element) for element in found]
    removed: Counter[str] = Counter()
    for remove_expression, remove_xpath in site.remove:
        for selected in list(chosen):
            if not any(selected is c for c in chosen):
                continue
            for element in remove_xpath(selected):
                if not isinstance(getattr(element, "tag", None), str):
                    continue
                if element is selected:
                    chosen = [c for c in chosen if c is not selected]
                    removed[remove_expression] += 1
                    break
                if element.getparent() is not None and _inside(element, [selected]):
                    element.drop_tree()
                    removed[remove_expression] += 1
    return chosen, expression, removed


def _rule_step(site: _Site, how: str, expression: str, removed: Counter[str]) -> str:
    total = sum(removed.values())
    listed = ", ".join(f"{n} x '{e}'" for e, n in removed.items())
    what = f"removed {total} element{'s' if total != 1 else ''}" + (f": {listed}" if listed else "")
    return f"extract: site rule '{site.name}' (matched {how}; select '{expression}'; {what})"


# --- trafilatura -----------------------------------------------------------------

#: What trafilatura would read as text though a browser never shows it: template
#: contents and ``hidden`` elements (pruned from its copy of the page first).
_NEVER_SHOWN: Final = ["//template", "//*[@hidden]"]


class _Collect(logging.Handler):
    """Keeps what trafilatura logs (warnings and worse), by thread, instead of printing."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: dict[int, list[str]] = {}

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):
            message = _clip(record.getMessage(), 200)
            self.messages.setdefault(threading.get_ident(), []).append(message)


#: Loggers trafilatura and the libraries it calls write to.
_LOGGERS: Final = ("trafilatura", "justext", "htmldate", "courlan", "readability")
_COLLECT = _Collect()
_QUIET_LOCK = threading.Lock()
_quiet_calls: list[tuple[logging.Logger, bool]] = []  # loggers changed, while in use
_quiet_depth = [0]


@contextlib.contextmanager
def _quiet() -> Iterator[list[str]]:
    """While trafilatura runs, its log records go to a collector, not to the screen; the
    messages logged in this thread are yielded. Thread-safe: the loggers are changed by
    the first caller in and restored by the last one out."""
    with _QUIET_LOCK:
        if _quiet_depth[0] == 0:
            for name in _LOGGERS:
                logger = logging.getLogger(name)
                _quiet_calls.append((logger, logger.propagate))
                logger.addHandler(_COLLECT)
                logger.propagate = False
        _quiet_depth[0] += 1
    messages: list[str] = []
    try:
        yield messages
    finally:
        with _QUIET_LOCK:
            messages.extend(_COLLECT.messages.pop(threading.get_ident(), []))
            _quiet_depth[0] -= 1
            if _quiet_depth[0] == 0:
                for logger, propagate in _quiet_calls:
                    logger.removeHandler(_COLLECT)
                    logger.propagate = propagate
                _quiet_calls.clear()


def _trafilatura(tree: Any, url: str | None, focus: str, source: str) -> tuple[_Walk, list[str]]:
    """The paragraphs trafilatura finds in *tree* (focus 'balanced', 'precision' or
    'recall'), as a walk of its XML body, and what it logged."""
    import trafilatura

    with _quiet() as messages:
        try:
            document = trafilatura.bare_extraction(
                tree,
                url=url,
                favor_precision=focus == "precision",
                favor_recall=focus == "recall",
                include_comments=False,
                include_tables=True,
                include_images=False,
                include_links=False,
                include_formatting=False,
                deduplicate=False,
                with_metadata=False,
                output_format="xml",
                prune_xpath=_NEVER_SHOWN,
            )
        except Exception as exc:  # any failure inside trafilatura is the same to us
            msg = (
                f"cannot read {source} as HTML: trafilatura {trafilatura.__version__} failed "
                f"on it ({type(exc).__name__}: {_clip(str(exc), 200)}); add a site rule for "
                f"its template to profiles/sites.toml, or pass the page's text to the text "
                f"reader"
            )
            raise IngestError(msg, source=source) from exc
    body = getattr(document, "body", None)
    return _paragraphs([] if body is None else [body], xml=True), messages


# --- the reader ------------------------------------------------------------------

#: How main content is found where no site rule applies: trafilatura's focus.
_FOCUS: Final = "balanced"
#: A site rule's selection is turned to text by our own walk ("lxml") or given to
#: trafilatura ("trafilatura").
_RULE_TEXT: Final = "lxml"


def read_html(
    data: bytes, source: str, *, url: str | None = None, encoding: str | None = None
) -> Extraction:
    """Read an HTML page: the text of its main content and the facts it states.

    *source* names the capture in messages; *url* is the address the page was
    fetched from (it resolves a relative canonical link and chooses a site rule);
    *encoding* is the charset of the response's Content-Type header, if any.

    The encoding is the one a byte-order mark names, else *encoding*, else the
    page's ``<meta charset>`` (or ``http-equiv`` Content-Type) in its first 4 KB,
    else :func:`~cspo_archive.ingestion.decode`'s (strict UTF-8, or detected); labels
    are read as browsers read them (ISO-8859-1 is windows-1252). A ``<meta>``
    declaration the bytes do not fit is wrong, and they are read as undeclared; a
    wrong *encoding* is an error.

    Returns an :class:`~cspo_archive.ingestion._source.Extraction` whose text holds
    the page's title heading, then each paragraph, heading, list item and table
    row of the main content on its own line, separated by blank lines; and whose
    steps say how the bytes were decoded, where each fact was found, which site
    rule or extractor found the content and what it removed.

    Raises :class:`~cspo_archive.exceptions.UndecodableContentError` for bytes
    that are not text in the encoding chosen, and
    :class:`~cspo_archive.exceptions.IngestError` for bytes that are not HTML (a
    PDF, an image, JSON, plain text...) and for a page with no main content.
    """
    return _read(data, source, url=url, encoding=encoding, focus=_FOCUS, rules=True)


def _read(
    data: bytes,
    source: str,
    *,
    url: str | None,
    encoding: str | None,
    focus: str = _FOCUS,
    rules: bool = True,
    rule_text: str = _RULE_TEXT,
) -> Extraction:
    """:func:`read_html`, with the choices measured in this module's docstring open:
    trafilatura's *focus*, site *rules* on or off, and how a rule's selection becomes
    text (*rule_text*: ``"lxml"``, our walk, or ``"trafilatura"``)."""
    data = _as_bytes(data, source)
    _not_html(data, source)
    decoded, decode_step = _decode_html(data, source, encoding)
    _not_html_text(decoded.text, source)
    import lxml
    from lxml import etree

    root = _parse(decoded.text, source)
    steps = [decode_step, f"parse: lxml {lxml.__version__} HTML parser (comments dropped)"]
    controls = _drop_controls(root, decoded.text)
    if controls:
        steps.append(
            f"parse: {controls} control character{'s' if controls > 1 else ''} written as "
            f"character references dropped (never text)"
        )
    fact_steps: list[str] = []
    facts, site_name = _facts(root, url, fact_steps)
    steps.extend(fact_steps)

    paragraphs: list[str] = []
    extractor = ""
    matched = _match_site(_sites(), url, facts.canonical_url, site_name) if rules else None
    if matched is not None:
        site, how = matched
        try:
            applied = _apply_site(site, root)
        except etree.XPathError as exc:
            msg = (
                f"cannot read {source} as HTML: site rule {site.name!r} of profiles/sites.toml "
                f"failed on it ({exc}); fix the rule's expressions"
            )
            raise IngestError(msg, source=source) from exc
        if applied is None:
            steps.append(
                f"extract: site rule '{site.name}' (matched {how}) found none of its select "
                f"expressions in the page; main content left to trafilatura"
            )
        else:
            chosen, expression, removed = applied
            steps.append(_rule_step(site, how, expression, removed))
            if rule_text == "lxml":
                walk = _paragraphs(chosen)
                extractor = f"lxml {lxml.__version__} (site rule '{site.name}')"
            else:
                walk, messages = _trafilatura(_wrap(chosen), url, focus, source)
                extractor = f"{_trafilatura_name()} (site rule '{site.name}')"
                steps.extend(f"extract: trafilatura reported: {m}" for m in messages)
            paragraphs = walk.paragraphs
            steps.extend(_skipped_step(walk))
            if not paragraphs:
                steps.append(
                    f"extract: site rule '{site.name}' selected no text; "
                    f"main content left to trafilatura"
                )
    heading, heading_where = _heading(root, facts)
    if not paragraphs and not _article_text(root, heading):
        raise _no_content_error(source, facts, root)
    if not paragraphs:
        walk, messages = _trafilatura(root, url, focus, source)
        paragraphs = walk.paragraphs
        extractor = _trafilatura_name()
        steps.extend(f"extract: trafilatura reported: {m}" for m in messages)
        steps.extend(_skipped_step(walk))
        if paragraphs:
            mode = "" if focus == "balanced" else f"favor_{focus}, "
            visible = _visible_characters(root)
            kept = sum(len(p) for p in paragraphs)
            steps.append(
                f"extract: trafilatura ({mode}no comments, tables kept, images and links "
                f"dropped) kept {kept:,} of the {visible:,} characters of the page's "
                f"visible text; the rest is outside its main content"
            )
    if not any(p != heading for p in paragraphs):
        said = "; ".join(s.split(": ", 2)[2] for s in steps if "trafilatura reported" in s)
        raise _no_content_error(source, facts, root, extractor, said)
    paragraphs, title_step = _with_title(paragraphs, heading, heading_where)
    if title_step:
        steps.append(title_step)
    count = len(paragraphs)
    steps.append(
        f"extract: main content by {extractor} ({count} paragraph{'s' if count != 1 else ''})"
    )
    return Extraction(
        text="\n\n".join(paragraphs) + "\n",
        media_type="text/html",
        extractor=extractor,
        encoding=decoded.encoding,
        facts=facts,
        steps=tuple(steps),
        replacement_characters=decoded.replacement_characters,
        bom=decoded.bom,
        detected_encoding=decoded.detected,
    )


def _visible_characters(root: Any) -> int:
    body = root.find("body")
    return sum(len(p) for p in _paragraphs([body]).paragraphs) if body is not None else 0


def _trafilatura_name() -> str:
    import trafilatura

    return f"trafilatura {trafilatura.__version__}"


def _wrap(elements: Sequence[Any]) -> Any:
    """A document holding *elements* as its body (for trafilatura)."""
    from lxml import html

    document = html.document_fromstring("<html><body></body></html>")
    body = document.find("body")
    for element in elements:
        body.append(copy.deepcopy(element))
    return document


def _skipped_step(walk: _Walk) -> list[str]:
    """What the walk left out as never text (none: no step)."""
    kinds = [f"{n} <{tag}>" for tag, n in sorted(walk.never.items())]
    if walk.hidden:
        kinds.append(f"{walk.hidden} hidden element{'s' if walk.hidden > 1 else ''}")
    if not kinds:
        return []
    return [f"extract: not text, left out of the main content: {', '.join(kinds)}"]


def _heading(root: Any, facts: PageFacts) -> tuple[str | None, str]:
    """The page's title heading and where it is: its first ``<h1>`` (of ``<main>`` or
    ``<article>`` first), else the title the page states."""
    h1 = _first_h1(root)
    if h1 is not None:
        return h1, "the page's first <h1>"
    if facts.title is not None:
        return str(facts.title.value), facts.title.where
    return None, ""


def _with_title(
    paragraphs: list[str], heading: str | None, where: str
) -> tuple[list[str], str | None]:
    """The paragraphs with the page's title *heading* first, unless it is among the first
    three already (the pipeline takes the first heading as the title)."""
    if heading is None or heading in paragraphs[:3]:
        return paragraphs, None
    return [heading, *paragraphs], f"title: {_clip(heading, 60)!r} (from {where}) put first"


def _no_content_error(
    source: str, facts: PageFacts, root: Any, extractor: str | None = None, said: str = ""
) -> IngestError:
    """No main content: the body has no article text, or (*extractor* given) it has some
    but the extractor kept none of it (*said*: what it reported)."""
    page = (
        f"the page titled {str(facts.title.value)!r}"
        if facts.title is not None
        else "the page (it states no title)"
    )
    visible = _visible_characters(root)
    if extractor is None:
        found = (
            f"{page} has no article text in its body ({visible:,} characters of visible "
            f"text, all of it navigation, header, footer or the title); if the text is there "
            f"when the page is seen in a browser (written by its scripts), pass that text to "
            f"the text reader instead, or"
        )
    else:
        found = (
            f"{page} has {visible:,} characters of visible text in its body, but {extractor} "
            f"kept none of it as main content{f' (it reported: {said})' if said else ''}; "
            f"pass the page's text to the text reader instead, or"
        )
    msg = (
        f"cannot read {source} as HTML: no main content found: {found} add a site rule for "
        f"its template to profiles/sites.toml"
    )
    return IngestError(msg, source=source)
