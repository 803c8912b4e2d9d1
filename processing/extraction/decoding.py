"""Bytes to text: the page's charset, decided the way browsers and trafilatura decide it.

Order: a byte-order mark (UTF-8, UTF-16, UTF-32) wins; then the HTTP ``Content-Type``
charset (the server's word comes first); then UTF-8 when the bytes are valid UTF-8 and a
``<meta>`` tag names another charset (a page saved or re-encoded as UTF-8 whose template kept
``iso-8859-1``: reading it as Latin-1 gives mojibake, reading it as UTF-8 gives the page);
then the ``<meta>`` charset; then UTF-8. Latin-1 and ASCII labels are read as windows-1252, as
the WHATWG encoding standard says. A page whose bytes decode only to control characters or
C1 garbage is refused: ``ExtractionError("bad_encoding")``.
"""

from __future__ import annotations

import codecs
import re

from processing.extraction.model import ExtractionError

_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset=[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_BROKEN_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x80-\x9f\ufffd]")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# labels browsers read as windows-1252 (WHATWG encoding standard)
_AS_WINDOWS_1252 = {"latin_1", "ascii", "iso8859-1", "cp1252"}
# a meta charset that cannot describe the bytes of an ASCII-compatible document
_NOT_IN_META = {"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}


def _lookup(name: str | None) -> str | None:
    if not name:
        return None
    try:
        enc = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return "cp1252" if enc in _AS_WINDOWS_1252 else enc


def bom_encoding(body: bytes) -> str | None:
    """The encoding a byte-order mark announces, or None."""
    for bom, enc in _BOMS:
        if body.startswith(bom):
            return enc
    return None


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _utf16_without_bom(body: bytes) -> str | None:
    """UTF-16 without a byte-order mark: ASCII markup shows as every other byte zero."""
    head = body[:4000]
    if len(head) < 8 or head.count(0) < len(head) // 4:
        return None
    odd_zeros = head[1::2].count(0)
    even_zeros = head[0::2].count(0)
    return "utf-16-le" if odd_zeros > even_zeros else "utf-16-be"


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` of a page (see the module docstring for the order).

    Raises ``ExtractionError("empty_body")`` for an empty document and
    ``ExtractionError("bad_encoding")`` when no candidate decodes the bytes cleanly: a page of
    mojibake is worse than a recorded rejection.
    """
    if not body.strip(b" \t\r\n\x00\xef\xbb\xbf\xfe\xff"):
        raise ExtractionError("empty_body", "the response body is empty")
    bom = bom_encoding(body)
    if bom:
        try:
            return body.decode(bom), bom.removesuffix("-sig")
        except UnicodeDecodeError as exc:
            raise ExtractionError("bad_encoding", f"byte-order mark says {bom}: {exc}") from exc
    candidates: list[str] = []
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m and (enc := _lookup(m.group(1))):
            candidates.append(enc)
    m2 = _META_CHARSET.search(body[:4096])
    meta = _lookup(m2.group(1).decode("ascii", "ignore")) if m2 else None
    if meta in _NOT_IN_META:  # a UTF-16 page would not have an ASCII-readable meta tag
        meta = None
    if meta and meta != "utf-8" and _is_utf8(body):
        candidates.append("utf-8")
    if meta:
        candidates.append(meta)
    candidates.append("utf-8")
    if (guess := _utf16_without_bom(body)) is not None:
        candidates.append(guess)
    tried: list[str] = []
    for enc in dict.fromkeys(candidates):
        tried.append(enc)
        try:
            text = body.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_broken(text):
            continue
        return text, enc
    raise ExtractionError("bad_encoding", f"bytes do not decode cleanly as {', '.join(tried)}")


def _looks_broken(text: str) -> bool:
    """Control characters or C1 garbage beyond a trace: the charset is wrong."""
    sample = text[:200000]
    if not _BROKEN_CHARS.search(sample):
        return False
    return len(_BROKEN_CHARS.findall(sample)) > max(5, len(sample) // 500)
