"""GOV.UK Content API documents (``https://www.gov.uk/api/content/<path>``).

The document is the page's own structured data: ``title``, ``description``
(the lead paragraph shown under the title), ``details.body`` (the body as
HTML), ``document_type``, ``links.organisations``, ``first_published_at``,
``public_updated_at`` and ``details.change_history``. Every fact taken from
it is *stated*, naming the field it came from.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Final

from cspo_archive.exceptions import IngestError
from cspo_archive.ingestion._html import fragment_paragraphs
from cspo_archive.ingestion._source import Extraction, PageFacts, Stated
from cspo_archive.model import DocumentType

__all__ = ["read_govuk"]

#: GOV.UK document types and ours (the others are ``other``).
_TYPES: Final = {
    "news_story": DocumentType.NEWS_STORY,
    "press_release": DocumentType.PRESS_RELEASE,
    "speech": DocumentType.SPEECH,
    "oral_statement": DocumentType.SPEECH,
    "authored_article": DocumentType.OTHER,
    "policy_paper": DocumentType.POLICY_PAPER,
    "written_statement": DocumentType.OTHER,
    "correspondence": DocumentType.OTHER,
    "government_response": DocumentType.OTHER,
    "notice": DocumentType.OTHER,
}
_SITE: Final = "https://www.gov.uk"


def _drop_attachments(body: str) -> tuple[str, list[str]]:
    """Remove GOV.UK's attachment blocks from a body (title, file type and size, notes)."""
    import lxml.html

    if "attachment" not in body:
        return body, []
    root = lxml.html.fragment_fromstring(body, create_parent="div")
    removed = []
    for element in root.xpath("//*[contains(concat(' ', @class, ' '), 'attachment')]"):
        if element.getparent() is None or any(
            "attachment" in (a.get("class") or "") for a in element.iterancestors()
        ):
            continue
        text = " ".join(element.text_content().split())
        removed.append(
            f"remove furniture: attachment (details.body) '{text[:57]}...'"
            if len(text) > 60
            else f"remove furniture: attachment (details.body) '{text}'"
        )
        element.drop_tree()
    return lxml.html.tostring(root, encoding="unicode"), removed


def _problem(source: str, what: str) -> IngestError:
    msg = (
        f"cannot read {source} as a GOV.UK Content API document: {what}; pass the document "
        f"exactly as https://www.gov.uk/api/content/<path> serves it"
    )
    return IngestError(msg, source=source)


def _date(document: dict[str, Any], key: str, source: str) -> Stated | None:
    value = document.get(key)
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise _problem(source, f"field {key} is {value!r}, not an ISO 8601 date-time") from None
    # The calendar date in the publisher's own offset, as the page shows it.
    return Stated(moment.date(), f"Content API field {key} ({value})")


def read_govuk(data: bytes, source: str) -> Extraction:
    """Read a GOV.UK Content API document: its title, lead, body and stated facts."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _problem(source, f"it is not UTF-8 JSON ({exc})") from exc
    if not isinstance(document, dict):
        raise _problem(source, f"it is JSON but not an object (got {type(document).__name__})")
    details = document.get("details")
    title = document.get("title")
    if not isinstance(details, dict) or not isinstance(title, str) or not title.strip():
        raise _problem(source, "it has no 'title' string and 'details' object")
    body = details.get("body")
    if isinstance(body, list):  # some schemas give [{"content_type": ..., "content": ...}]
        body = next((b.get("content") for b in body if b.get("content_type") == "text/html"), "")
    if not isinstance(body, str):
        raise _problem(source, "details.body is missing: the document has no text")
    title = " ".join(title.split())
    body, removed = _drop_attachments(body)
    paragraphs = fragment_paragraphs(body)
    description = " ".join(str(document.get("description") or "").split())
    lead = [description] if description and description not in paragraphs[:1] else []
    if not paragraphs:
        raise _problem(source, "details.body holds no text")
    text = "\n\n".join([title, *lead, *paragraphs]) + "\n"

    kind = document.get("document_type")
    doc_type = None
    if isinstance(kind, str) and kind:
        doc_type = Stated(
            _TYPES.get(kind, DocumentType.OTHER), f"Content API field document_type ({kind})"
        )
    organisations: list[str] = [
        o["title"]
        for o in (document.get("links") or {}).get("organisations") or []
        if isinstance(o, dict) and isinstance(o.get("title"), str)
    ]
    history = []
    for entry in details.get("change_history") or []:
        if not isinstance(entry, dict):
            continue
        stamp, note = entry.get("public_timestamp"), entry.get("note")
        try:
            when = dt.datetime.fromisoformat(str(stamp)).date()
        except ValueError:
            continue
        if isinstance(note, str) and note.strip():
            history.append((when, " ".join(note.split())))
    history.sort(key=lambda item: item[0])
    published = _date(document, "first_published_at", source)
    updated = [u for u in [_date(document, "public_updated_at", source)] if u is not None]
    updated += [
        Stated(when, f"Content API field details.change_history ({note})")
        for when, note in history[1:]
    ]
    base_path = document.get("base_path")
    facts = PageFacts(
        title=Stated(title, "Content API field title"),
        published=published,
        updated=tuple(u for u in updated if published is None or u.value != published.value),
        document_type=doc_type,
        canonical_url=_SITE + base_path if isinstance(base_path, str) and base_path else None,
        language=document.get("locale") if isinstance(document.get("locale"), str) else None,
        publisher=", ".join(organisations) or None,
        change_notes=tuple(history),
    )
    steps = (
        f"extract: GOV.UK Content API document ({len(paragraphs)} paragraphs of details.body"
        + (", description as the lead paragraph" if lead else "")
        + ")",
        *removed,
    )
    import lxml

    return Extraction(
        text=text,
        media_type="application/json",
        extractor=f"govuk-content-api lxml {lxml.__version__}",
        encoding="utf-8",
        facts=facts,
        steps=steps,
    )
