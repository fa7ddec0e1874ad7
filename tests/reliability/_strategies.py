"""Hypothesis strategies shared by the reliability tests: hostile strings of every kind."""

from __future__ import annotations

from hypothesis import strategies as st

from cspo_archive import canonicalize

#: Pieces of markup, script, style, Markdown and JSON that must stay literal text.
HOSTILE_PIECES = (
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '" onmouseover="alert(1)',
    "' autofocus onfocus='alert(1)",
    "</ins></del></td></tr></table></main>",
    "</title></style><style>body{background:url(https://evil.example/x)}</style>",
    "expression(alert(1))",
    "url(javascript:alert(1))",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<b>x</b>",
    "<!-- comment -->",
    "<![CDATA[ x ]]>",
    "&lt;script&gt; &amp; &#60;b&#62; &#x3C;",
    "[link](https://evil.example/)",
    "[x](javascript:alert(1))",
    "![img](https://evil.example/x.png)",
    "<https://evil.example/>",
    "https://evil.example/path?q=1",
    "www.evil.com",
    "evil.com sub.evil.org/x?y пример.рф",
    "mail me@evil.com",
    "[ref]: https://evil.example/",
    "| a | b |\n| --- | --- |\n| c | d |",
    "# heading",
    "Heading\n===",
    "- item",
    "1. item",
    "    indented code",
    "```\ncode\n```",
    "**bold** _em_ ~~strike~~ `code`",
    "\\",
    '"quoted" \\"escaped\\" \\u0041 \\n',
    "\u2028\u2029",
    "\U0001f680 \U0001d54f \U00010000",
    "\u202e\u2066\u200f\u200b\u200d\ufeff",
    "x" * 3000,
)

_CHARS = st.characters(exclude_categories=["Cs"])
#: Any text at all (no lone surrogates: Python cannot encode them as UTF-8).
any_text = st.text(_CHARS, max_size=80)
#: Hostile text: the pieces above mixed with arbitrary characters.
hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_PIECES), any_text), min_size=1, max_size=4
).map(" ".join)


def _drop_controls(text: str) -> str:
    """*text* without C0/C1 controls and DEL (but line feed and tab), which Metadata refuses."""
    return "".join(c for c in text if c in "\n\t" or not (ord(c) < 32 or 0x7F <= ord(c) <= 0x9F))


def one_line(text: str) -> str:
    """*text* as a metadata value: one line, stripped, never empty."""
    line = " ".join(_drop_controls(text).split())
    return line or "x"


#: A title or publisher: one hostile line.
hostile_line = hostile_text.map(one_line)
#: A snapshot text: hostile paragraphs in canonical form (controls left out).
hostile_body = (
    st.lists(hostile_text, min_size=1, max_size=4)
    .map(lambda parts: canonicalize("\n\n".join(parts)))
    .map(_drop_controls)
    .map(canonicalize)
    .filter(lambda t: bool(t.strip()))
)
#: A source URL that Metadata accepts (https?://, no white space) with hostile parts.
hostile_url = st.sampled_from(
    [
        "https://evil.example/<script>alert(1)</script>",
        'https://evil.example/"onmouseover="alert(1)',
        "https://evil.example/'><img/src=x/onerror=alert(1)>",
        "http://evil.example/a_b*c*[d](e)",
        "https://evil.example/</style><style>x{}",
        "https://xn--80ak6aa92e.example/\U0001f680",
        "https://evil.example/javascript:alert(1)",
        "https://www.gov.uk/government/news/a-test-publication",
    ]
)
#: Series and tags are slugs; a slug can still look like a word that means something.
slug = st.sampled_from(["script", "javascript", "onerror", "style", "x", "a-b", "www-evil-example"])
