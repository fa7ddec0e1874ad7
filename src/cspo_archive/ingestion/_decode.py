"""Decoding: the bytes of a capture to text, refusing to lose content silently."""

from __future__ import annotations

import codecs
import re
from typing import Final

from cspo_archive._lazy_re import LazyPattern
from cspo_archive.exceptions import IngestError, UndecodableContentError
from cspo_archive.ingestion._lines import _BREAK
from cspo_archive.ingestion._records import Decoded

# --- decoding --------------------------------------------------------------------

_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Controls that have no place in text: all C0 but tab, line feed, form feed and
# carriage return; DEL; all C1.
_NOT_TEXT = LazyPattern(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# A charset_normalizer guess above this mess ratio is no guess at all.
_MAX_CHAOS: Final = 0.1
# Characters a Western text may have between two letters (apostrophes, dashes).
_WESTERN_INFIX = LazyPattern(
    r"(?<=[^\W\d_])[^\x00-\x7f\w\u2018\u2019\u00b4\u2013\u2014\u00b7](?=[^\W\d_])"
)
_NON_ASCII = LazyPattern(r"[^\x00-\x7f]")
_ASCII_LETTER = LazyPattern(r"[A-Za-z]")


def decode(
    data: bytes,
    *,
    encoding: str | None = None,
    source: str = "<capture>",
    max_replacement_ratio: float = 0.001,
) -> Decoded:
    """Decode the bytes of a capture, refusing to lose content silently.

    In order:

    - *encoding* given: decode with it (a byte-order mark at the start is
      removed). Bytes it cannot decode are replaced by U+FFFD and counted.
    - A UTF-32, UTF-8 or UTF-16 byte-order mark: decode with that encoding.
    - Strict UTF-8.
    - Not UTF-8 and no valid multi-byte UTF-8 sequence in it: the encoding is
      guessed (``detected=True``). Mostly-ASCII text whose other characters are
      Western letters and punctuation is read as ``cp1252`` (the encoding such
      files nearly always have; charset_normalizer is unreliable on them);
      anything else is offered to charset_normalizer, whose guess is taken if
      it decodes strictly with little mess.
    - Otherwise UTF-8 with U+FFFD for each undecodable sequence.

    Whenever replacements were made, more than *max_replacement_ratio* of the
    text being U+FFFD raises :class:`UndecodableContentError` naming *source*,
    the first bad byte and its offset, and what to do. So does a NUL or other
    control character (tab, line feed, form feed and carriage return
    excepted) in the decoded text: it means binary or mis-encoded bytes
    (UTF-16 without a byte-order mark is a typical cause, and is detected
    when it can be). Empty *data* raises
    :class:`~cspo_archive.exceptions.IngestError`.
    """
    data = _as_bytes(data, source)
    if not data:
        msg = f"cannot ingest {source}: capture is empty (0 bytes); capture the page again"
        raise IngestError(msg, source=source)
    if not 0 <= max_replacement_ratio <= 1:
        msg = (
            f"max_replacement_ratio must be between 0 and 1 "
            f"(got {max_replacement_ratio!r}) while decoding {source}"
        )
        raise IngestError(msg, source=source)
    if encoding is not None:
        return _decode_given(data, encoding, source, max_replacement_ratio)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text, count = _decode_counted(data, codec, source, max_replacement_ratio)
            return _checked(Decoded(text, codec, True, count, False), source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _decode_not_utf8(data, exc, source, max_replacement_ratio)
    bad = _NOT_TEXT.search(text)
    if bad is None:
        return Decoded(text, "utf-8", False, 0, False)
    # Valid UTF-8 with NULs in it is typically UTF-16 or UTF-32 without a BOM;
    # no other guess is taken (it would garble the valid UTF-8).
    guessed = _guess(data, western=False)
    if guessed is not None and guessed.encoding.startswith(("utf-16", "utf-32")):
        return guessed
    raise _control_error(text, bad, "utf-8", source)


def _as_bytes(data: object, source: str) -> bytes:
    if isinstance(data, bytes):
        return data
    if isinstance(data, bytearray | memoryview):
        return bytes(data)
    msg = (
        f"cannot ingest {source}: a capture is bytes as received "
        f"(got {type(data).__name__}); read the file in binary mode"
    )
    raise IngestError(msg, source=source)


def _decode_given(data: bytes, encoding: str, source: str, limit: float) -> Decoded:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        msg = (
            f"cannot decode {source} as {encoding!r}: Python knows no such encoding; "
            f"pass a codec name such as 'utf-8', 'cp1252' or 'utf-16'"
        )
        raise UndecodableContentError(msg, source=source) from None
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    text, count = _decode_counted(data, codec, source, limit, given=True)
    bom = codec in {"utf-8-sig", "utf-16", "utf-32"} and any(
        data.startswith(b) for b, c in _BOMS if c == codec
    )
    if text.startswith("\ufeff"):
        text, bom = text[1:], True
    return _checked(Decoded(text, codec, bom, count, False), source)


def _lenient(data: bytes, codec: str) -> tuple[str, int]:
    """Decode with U+FFFD for bad bytes; return the text and how many were made.

    Replacing and ignoring call the error handler at the same places, so the
    difference in U+FFFD counts is exactly the number produced (U+FFFD
    genuinely in the capture are not counted).
    """
    replaced = data.decode(codec, "replace")
    produced = replaced.count("\ufffd") - data.decode(codec, "ignore").count("\ufffd")
    return replaced, produced


def _decode_counted(
    data: bytes, codec: str, source: str, limit: float, *, given: bool = False
) -> tuple[str, int]:
    try:
        return data.decode(codec), 0
    except UnicodeDecodeError as exc:
        text, count = _lenient(data, codec)
        if count > limit * len(text):
            raise _undecodable(data, exc, codec, count, len(text), limit, source, given) from None
        return text, count


def _decode_not_utf8(data: bytes, exc: UnicodeDecodeError, source: str, limit: float) -> Decoded:
    # Valid multi-byte UTF-8 in it means UTF-8 with damage (or mixed encodings):
    # reading it all in another encoding would garble the valid part, so no guess.
    if not any(ord(c) > 0x7F for c in data.decode("utf-8", "ignore")):
        guessed = _guess(data)
        if guessed is not None:
            return guessed
    text, count = _lenient(data, "utf-8")
    if count > limit * len(text):
        raise _undecodable(data, exc, "utf-8", count, len(text), limit, source, False)
    return _checked(Decoded(text, "utf-8", False, count, False), source)


def _guess(data: bytes, *, western: bool = True) -> Decoded | None:
    """Guess the encoding of bytes that are not UTF-8 (see :func:`decode`)."""
    text = _western(data) if western else None
    if text is not None:
        return Decoded(text, "cp1252", False, 0, True)
    # Imported here: it is slow to import and rarely needed.
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > _MAX_CHAOS:
        return None
    try:
        codec = codecs.lookup(best.encoding).name
        text = data.decode(codec)
    except (LookupError, UnicodeDecodeError):
        return None
    if _NOT_TEXT.search(text) is not None:
        return None
    bom = text.startswith("\ufeff")
    return Decoded(text[1:] if bom else text, codec, bom, 0, True)


def _western(data: bytes) -> str | None:
    """Return *data* as cp1252 if it reads as mostly-ASCII Western text."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if _NOT_TEXT.search(text) is not None:
        return None
    ascii_letters = len(_ASCII_LETTER().findall(text))
    other_letters = sum(1 for c in _NON_ASCII().findall(text) if c.isalpha())
    if ascii_letters == 0 or other_letters * 3 > ascii_letters + other_letters:
        return None
    # Symbols inside words ('Za¿ó³æ') mean another code page was meant.
    if _WESTERN_INFIX.search(text) is not None:
        return None
    return text


def _checked(decoded: Decoded, source: str) -> Decoded:
    bad = _NOT_TEXT.search(decoded.text)
    if bad is not None:
        raise _control_error(decoded.text, bad, decoded.encoding, source)
    return decoded


def _line_of(text: str, offset: int) -> int:
    return len(_BREAK().findall(text, 0, offset)) + 1


def _control_error(
    text: str, bad: re.Match[str], codec: str, source: str
) -> UndecodableContentError:
    char = bad.group()
    name = "NUL" if char == "\x00" else f"U+{ord(char):04X}"
    if 0x80 <= ord(char) <= 0x9F:
        cause = "cp1252 bytes read as latin-1 are a typical cause; try encoding='cp1252'"
    else:
        cause = (
            "UTF-16 or UTF-32 without a byte-order mark is a typical cause; "
            "try encoding='utf-16-le'"
        )
    msg = (
        f"cannot ingest {source}: decoded as {codec}, it holds control character {name} "
        f"at character offset {bad.start()} (line {_line_of(text, bad.start())}), so the "
        f"bytes look binary or mis-encoded ({cause}); if it is text, pass its encoding "
        f"with encoding=... (command line: --encoding)"
    )
    return UndecodableContentError(msg, source=source)


def _undecodable(
    data: bytes,
    exc: UnicodeDecodeError,
    codec: str,
    count: int,
    length: int,
    limit: float,
    source: str,
    given: bool,
) -> UndecodableContentError:
    how = ", the encoding given," if given else ""
    tried = "" if given else " and no other encoding fits it"
    bad = data[exc.start : exc.start + 2]
    if codec.startswith("utf-8") and len(bad) == 2 and bad[0] == 0xED and bad[1] >= 0xA0:
        # ED A0-BF ..: a UTF-16 surrogate (U+D800-U+DFFF) written as UTF-8 (CESU-8, WTF-8).
        tried += ", and the bytes there encode a lone UTF-16 surrogate, which UTF-8 forbids"
    msg = (
        f"cannot decode {source}: it is not valid {codec}{how} (first bad byte "
        f"0x{data[exc.start]:02X} at byte offset {exc.start}){tried}; decoding it anyway "
        f"would replace {count} "
        f"byte sequences with U+FFFD ({count / max(length, 1):.2%} of the text, more than "
        f"the {limit:.2%} allowed); pass the capture's real encoding with encoding=... "
        f"(command line: --encoding)"
    )
    return UndecodableContentError(msg, source=source)
