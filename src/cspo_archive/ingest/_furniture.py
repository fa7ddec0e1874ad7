"""Page furniture recognised by its lines, and the labels publishers print above titles."""

from __future__ import annotations

import re
from typing import Final, Literal

from attrs import frozen

from cspo_archive.ingest._dates import _DATE
from cspo_archive.model import DocumentType

# --- furniture patterns ----------------------------------------------------------


@frozen
class _Pattern:
    """A kind of page furniture found by its lines.

    ``start`` must match a whole line (case-insensitive, link syntax removed).
    ``follow`` lines after it belong to the block too (across blank lines if
    ``gap``; at most ``limit`` of them; a line that starts another pattern
    ends the block unless ``absorb``). ``needs_follow``: the start line alone
    is not furniture. ``paragraph``: the paragraph after the block belongs to
    it if its first line starts with this. ``reappear``: follow lines must
    reappear later in the capture (a contents list). ``notes``: a line after a
    bare date is its change note. ``dates``: what a date in the block means.
    """

    kind: str
    start: re.Pattern[str]
    follow: re.Pattern[str] | None = None
    gap: bool = False
    limit: int = 10_000
    needs_follow: bool = False
    absorb: bool = False
    paragraph: re.Pattern[str] | None = None
    reappear: bool = False
    notes: bool = False
    dates: Literal["published", "updated", "history"] | None = None


def _ci(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# A short line that reads like a name or heading: at most 20 words, not starting
# lowercase, not ending a sentence.
_NAME_LIKE = re.compile(r"(?![a-z])(?:\S+\s+){0,19}\S+(?<![.!?:;,])")
_ENTRY_LIKE = re.compile(r"(?:[-*•·]\s*|\d{1,2}[.)]\s*)?(?![a-z])(?:\S+\s+){0,19}\S+(?<![.!?:;,])")
_ENTRY_PREFIX = re.compile(r"(?:[-*•·]\s*|\d{1,2}[.)]\s*)")
_PUBLISHED = r"(?:first\s+|date\s+)?published(?:\s+on)?:?"
_UPDATED = r"(?:(?:last\s+)?updated|(?:date|last)\s+modified|modified)(?:\s+on)?:?"
_DATE_KEYWORD = _ci(f"{_PUBLISHED}|{_UPDATED}")
_SOCIAL = _ci(
    r"(?:share\s+(?:on|via)\s+)?(?:facebook|twitter|x|x\s+\(formerly\s+twitter\)|linkedin"
    r"|e-?mail|whatsapp|print|copy\s+link|reddit|bluesky|threads|telegram|mastodon)"
)
_FEEDBACK = _ci(
    r"maybe|yes|no|yes,?\s+this\s+page\s+is\s+useful|no,?\s+this\s+page\s+is\s+not\s+useful"
    r"|thank\s+you\s+for\s+your\s+feedback\.?|report\s+a\s+problem\s+with\s+this\s+page"
    r"|help\s+us\s+improve\s+gov\.uk|don[’']t\s+include\s+personal\s+or\s+financial\s+"
    r"information.{0,200}|this\s+field\s+is\s+for\s+robots\s+only.{0,80}"
    r"|what\s+were\s+you\s+doing\??|what\s+went\s+wrong\??|send|cancel|close"
    r"|to\s+help\s+us\s+improve\s+gov\.uk,.{0,300}|please\s+fill\s+in\s+this\s+survey.{0,200}"
)
_HISTORY = _ci(
    rf"(?:{_PUBLISHED}|{_UPDATED})?\s*{_DATE}.{{0,250}}|[+-]?\s*(?:see|show|hide)\s+all"
    r"\s+updates|first\s+published\.?"
)

#: Page furniture recognised by its lines, in the order tried. Adding a
#: publisher's furniture is one entry here.
_FURNITURE: Final[tuple[_Pattern, ...]] = (
    _Pattern("skip-link", _ci(r"skip\s+to\s+(?:main\s+)?content")),
    _Pattern(
        "history-banner",
        _ci(r"this\s+(?:[\w-]+\s+){0,3}was\s+published\s+under\s+the\s+.{3,120}?\s+government\.?"),
    ),
    _Pattern("breadcrumb", _ci(r"home(?:\s*[>\u203a\u00bb/|]\s*[^>\u203a\u00bb/|]{1,100}){1,10}")),
    _Pattern(
        "page-metadata",
        _ci(r"(?:from|part\s+of|organi[sz]ations?|departments?):\s*\S.{0,200}"),
        follow=_NAME_LIKE,
    ),
    _Pattern(
        "page-metadata",
        _ci(r"(?:from|part\s+of|organi[sz]ations?|departments?):"),
        follow=_NAME_LIKE,
        gap=True,
        limit=3,
        needs_follow=True,
    ),
    _Pattern("page-metadata", _ci(rf"{_PUBLISHED}\s*{_DATE}\.?"), dates="published"),
    _Pattern(
        "page-metadata",
        _ci(_PUBLISHED),
        follow=_ci(rf"{_DATE}\.?"),
        gap=True,
        limit=1,
        needs_follow=True,
        dates="published",
    ),
    _Pattern(
        "page-metadata",
        _ci(rf"(?:release\s+date|date\s+released|released(?:\s+on)?):?\s*{_DATE}"),
        dates="published",
    ),
    _Pattern(
        "page-metadata",
        _ci(rf"{_UPDATED}\s*{_DATE}\.?(?:\s*[-—–|]?\s*(?:see|show)\s+all\s+updates)?"),
        dates="updated",
    ),
    _Pattern(
        "page-metadata",
        _ci(r"last\s+updated:?|date\s+modified:?"),
        follow=_ci(rf"{_DATE}\.?"),
        gap=True,
        limit=1,
        needs_follow=True,
        dates="updated",
    ),
    _Pattern("page-metadata", _ci(r"[+-]?\s*(?:see|show|hide)\s+all\s+updates")),
    _Pattern(
        "page-history",
        _ci(r"updates\s+to\s+this\s+page|page\s+history|change\s+history"),
        follow=_HISTORY,
        gap=True,
        absorb=True,
        notes=True,
        dates="history",
    ),
    _Pattern(
        "accessible-format",
        _ci(r"request\s+an\s+accessible\s+format\.?"),
        paragraph=_ci(r"if\s+you\s+use\s+assistive\s+technology\b"),
    ),
    _Pattern(
        "attachment-details",
        _ci(
            r"(?:pdf|html|odt|ods|csv|txt|ms\s+word\s+document|ms\s+excel\s+spreadsheet"
            r"|ms\s+powerpoint\s+presentation),\s*\d+(?:\.\d+)?\s*[kmg]i?b(?:,\s*\d+\s+pages?)?"
        ),
    ),
    _Pattern(
        "attachment-details",
        _ci(
            r"this\s+file\s+may\s+not\s+be\s+suitable\s+for\s+users\s+of\s+assistive\s+technology\.?"
        ),
    ),
    _Pattern(
        "contents",
        _ci(r"contents|table\s+of\s+contents|on\s+this\s+page|in\s+this\s+(?:article|section)"),
        follow=_ENTRY_LIKE,
        gap=True,
        needs_follow=True,
        reappear=True,
    ),
    _Pattern(
        "share-links",
        _ci(r"share\s+(?:this\s+(?:page|article|story)|on\s+[\w ()]{1,30}|via\s+[\w ]{1,20}):?"),
        follow=_SOCIAL,
        gap=True,
    ),
    _Pattern(
        "print-link",
        _ci(
            r"print\s+(?:this\s+)?(?:page|article)|print\s*\|\s*e-?mail|printer[- ]friendly.{0,20}"
        ),
    ),
    _Pattern(
        "feedback",
        _ci(
            r"is\s+this\s+page\s+useful\?|was\s+this\s+page\s+(?:useful|helpful)\??"
            r"|report\s+a\s+problem\s+(?:or\s+mistake\s+)?(?:on|with)\s+this\s+page\.?"
        ),
        follow=_FEEDBACK,
        gap=True,
    ),
    _Pattern("back-to-top", _ci(r"back\s+to\s+top|return\s+to\s+top")),
    _Pattern(
        "related-links",
        _ci(r"related\s+(?:content|links|pages|articles|news)|explore\s+the\s+topic"),
        follow=_NAME_LIKE,
        gap=True,
    ),
    _Pattern(
        "licence-footer",
        _ci(r"all\s+content\s+is\s+available\s+under\s+the\s+open\s+government\s+licence.{0,120}"),
    ),
    _Pattern("licence-footer", _ci(r"©\s*crown\s+copyright(?:\s+\d{4})?")),
)
_ANY_START = _ci("|".join(f"(?:{p.start.pattern})" for p in _FURNITURE))

#: Labels a publisher prints alone just above a title, and the document type
#: each means (``None``: a generic label; the title decides, else OTHER).
_LABELS: Final[dict[str, DocumentType | None]] = {
    "news story": DocumentType.NEWS_STORY,
    "news article": DocumentType.NEWS_STORY,
    "press release": DocumentType.PRESS_RELEASE,
    "media release": DocumentType.PRESS_RELEASE,
    "news release": DocumentType.PRESS_RELEASE,
    "release": DocumentType.PRESS_RELEASE,
    "immediate release": DocumentType.PRESS_RELEASE,
    "for immediate release": DocumentType.PRESS_RELEASE,
    "speech": DocumentType.SPEECH,
    "policy paper": DocumentType.POLICY_PAPER,
    "joint statement": DocumentType.JOINT_STATEMENT,
    "communiqué": DocumentType.COMMUNIQUE,
    "communique": DocumentType.COMMUNIQUE,
    "fact sheet": DocumentType.FACT_SHEET,
    "guidance": DocumentType.OTHER,
    "correspondence": DocumentType.OTHER,
    "statement to parliament": DocumentType.OTHER,
    "written statement to parliament": DocumentType.OTHER,
    "oral statement to parliament": DocumentType.OTHER,
    "notice": DocumentType.OTHER,
    "research and analysis": DocumentType.OTHER,
    "corporate report": DocumentType.OTHER,
    "independent report": DocumentType.OTHER,
    "transparency data": DocumentType.OTHER,
    "government response": DocumentType.OTHER,
    "case study": DocumentType.OTHER,
    "statement": None,
    "transcript": None,
    "readout": None,
}
