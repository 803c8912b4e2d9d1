"""Article extraction: decode, clean, run trafilatura, read metadata, filter boilerplate.

``extract(html, url, outlet=...)`` is the single extraction function used by the pipeline,
``newsloom extract`` and the benchmarks. Each metadata field has its own small function.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

import trafilatura
from lxml import html as lxml_html
from lxml.etree import ParserError

from processing.dates import parse_datetime
from processing.extraction import selectors as sel
from processing.extraction.boilerplate import clean_text, normalise_line

logger = logging.getLogger(__name__)

EXTRACTOR_NAME = "newsloom-extract"
EXTRACTOR_REVISION = 1


def extractor_version() -> str:
    """Stamped on every row: our revision plus trafilatura's version."""
    return f"{EXTRACTOR_NAME}/{EXTRACTOR_REVISION}+trafilatura-{trafilatura.__version__}"


class ExtractionError(ValueError):
    """The document cannot be turned into an article; ``reason`` is a manifest key."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass
class Extraction:
    url: str
    title: str | None
    text: str
    canonical_url: str | None = None
    description: str | None = None
    published_at: datetime | None = None
    published_source: str | None = None
    modified_at: datetime | None = None
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    declared_language: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "url": self.url, "canonical_url": self.canonical_url, "title": self.title,
            "text": self.text, "description": self.description,
            "published": self.published_at.isoformat() if self.published_at else None,
            "modified": self.modified_at.isoformat() if self.modified_at else None,
            "authors": self.authors, "section": self.section, "tags": self.tags,
            "declared_language": self.declared_language,
        }


# ---- decoding ---------------------------------------------------------------------------
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset=[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)


def _lookup(name: str | None) -> str | None:
    import codecs

    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Bytes to text: BOM, then the HTTP charset, then ``<meta charset>``, then UTF-8.

    Raises ``ExtractionError("bad_encoding")`` when the declared (or guessed) charset does not
    decode the bytes cleanly: a page of mojibake is worse than a recorded rejection.
    """
    if not body.strip():
        raise ExtractionError("empty_body", "the response body is empty")
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", errors="replace"), "utf-8"
    candidates: list[str] = []
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m and (enc := _lookup(m.group(1))):
            candidates.append(enc)
    m2 = _META_CHARSET.search(body[:4096])
    if m2 and (enc := _lookup(m2.group(1).decode("ascii", "ignore"))):
        candidates.append(enc)
    candidates.append("utf-8")
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
    bad = sum(1 for ch in sample if ("\x80" <= ch <= "\x9f") or ch == "\ufffd"
              or (ch < " " and ch not in "\t\n\r\f"))
    return bad > max(5, len(sample) // 500)


# ---- metadata fields --------------------------------------------------------------------
def _json_ld(tree: Any) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for raw in sel.JSON_LD(tree):
        try:
            data = json.loads(raw.strip().rstrip(";"))
        except (ValueError, TypeError):
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            obj = stack.pop()
            if isinstance(obj, dict):
                if "@graph" in obj and isinstance(obj["@graph"], list):
                    stack.extend(obj["@graph"])
                objects.append(obj)
            elif isinstance(obj, list):
                stack.extend(obj)
    return objects


_ARTICLE_TYPES = ("NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting",
                  "AnalysisNewsArticle", "LiveBlogPosting", "WebPage")


def _ld_article(objs: list[dict[str, Any]]) -> dict[str, Any]:
    for wanted in _ARTICLE_TYPES:
        for o in objs:
            t = o.get("@type")
            types = t if isinstance(t, list) else [t]
            if wanted in types:
                return o
    return {}


def published_at(tree: Any, ld: dict[str, Any], tz: str | None) -> tuple[datetime | None, str | None]:
    for source, values in (
        ("meta", sel.META_PUBLISHED(tree)),
        ("json-ld", [ld.get("datePublished")] if ld.get("datePublished") else []),
        ("itemprop", sel.ITEMPROP_PUBLISHED(tree)),
        ("time", sel.TIME_DATETIME(tree)),
        ("unixtime", sel.DATA_UNIXTIME(tree)),
    ):
        for v in values:
            dt = parse_datetime(v, tz)
            if dt:
                return dt, source
    return None, None


def modified_at(tree: Any, ld: dict[str, Any], tz: str | None) -> datetime | None:
    for v in [*sel.META_MODIFIED(tree), ld.get("dateModified")]:
        dt = parse_datetime(v, tz) if v else None
        if dt:
            return dt
    return None


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def authors(tree: Any, ld: dict[str, Any], fallback: str | None) -> list[str]:
    names = _names(ld.get("author")) or list(sel.META_AUTHOR(tree))
    if not names and fallback:
        names = re.split(r"\s*[;|]\s*", fallback)
    out: list[str] = []
    for n in names:
        n = normalise_line(n)
        if n and not n.startswith("http") and n not in out:
            out.append(n)
    return out


_TITLE_SUFFIX = re.compile(r"\s+[-–—|]\s+(\d{2}\.\d{2}\.\d{4}, )?[^-–—|]{2,60}$")


def title(tree: Any, ld: dict[str, Any], fallback: str | None, css: str | None) -> str | None:
    if css:
        nodes = tree.cssselect(css)
        if nodes:
            t = normalise_line(nodes[0].text_content())
            if t:
                return t
    h1s = [normalise_line(h.text_content()) for h in sel.H1(tree)]
    h1s = [h for h in h1s if len(h) > 3]
    headline = ld.get("headline") if isinstance(ld.get("headline"), str) else None
    for cand in (headline, h1s[0] if len(h1s) == 1 else None, fallback):
        if cand:
            return normalise_line(cand)
    og = sel.OG_TITLE(tree)
    if og:
        return _TITLE_SUFFIX.sub("", normalise_line(og[0]))
    return None


def canonical(tree: Any, url: str) -> str | None:
    hrefs = sel.CANONICAL(tree)
    return urljoin(url, hrefs[0].strip()) if hrefs and hrefs[0].strip() else None


def declared_language(tree: Any) -> str | None:
    langs = sel.HTML_LANG(tree)
    return langs[0].split("-")[0].lower() if langs and langs[0].strip() else None


def section_and_tags(tree: Any, ld: dict[str, Any], categories: list[str] | None,
                     tags_fallback: list[str] | None) -> tuple[str | None, list[str]]:
    sections = list(sel.META_SECTION(tree)) or _names(ld.get("articleSection")) or (
        categories or [])
    tags: list[str] = []
    for raw in sel.META_TAGS(tree) or tags_fallback or []:
        for t in re.split(r"\s*[,،]\s*", raw):
            t = normalise_line(t)
            if t and t not in tags:
                tags.append(t)
    return (normalise_line(sections[0]) if sections else None), tags[:30]


# ---- body -------------------------------------------------------------------------------
def _prepare(tree: Any, drop: list[str]) -> None:
    for css in drop:
        for node in tree.cssselect(css):
            node.drop_tree()


def body_text(tree: Any, url: str, body_css: str | None) -> str:
    """Per-outlet selector first (when it yields enough), trafilatura otherwise."""
    if body_css:
        nodes = tree.cssselect(body_css)
        if nodes:
            paras = []
            for node in nodes:
                for p in node.xpath(".//p | .//h2 | .//h3 | .//li | .//blockquote"):
                    if p.xpath("ancestor::p|ancestor::li|ancestor::blockquote"):
                        continue
                    t = normalise_line(p.text_content())
                    if t:
                        paras.append(t)
            text = clean_text("\n".join(paras))
            if len(text) >= 80:
                return text
    text = trafilatura.extract(tree, url=url, include_comments=False, include_tables=False,
                               favor_precision=False, deduplicate=False, with_metadata=False)
    return clean_text(text or "")


def extract(html: bytes | str, url: str, *, outlet: Any = None,
            content_type: str | None = None) -> Extraction:
    """Extract one article. ``outlet`` (a registry ``Outlet``) adds selectors and a timezone.

    Raises :class:`ExtractionError` with a reason (``empty_body``, ``bad_encoding``,
    ``unparsable``) when the document cannot be read at all; quality gates (length, title,
    date) are applied by the caller, which knows the policy.
    """
    text_html = decode_html(html, content_type)[0] if isinstance(html, bytes) else html
    if not text_html.strip():
        raise ExtractionError("empty_body", "the document is empty")
    try:
        tree = lxml_html.document_fromstring(text_html)
    except (ParserError, ValueError) as exc:
        raise ExtractionError("unparsable", str(exc)) from exc
    selectors = getattr(outlet, "selectors", None)
    tz = getattr(outlet, "timezone", None)
    ld = _ld_article(_json_ld(tree))
    meta_doc = trafilatura.bare_extraction(tree, url=url, with_metadata=True, only_with_metadata=False,
                                           include_comments=False, fast=True)
    meta = meta_doc.as_dict() if meta_doc is not None and hasattr(meta_doc, "as_dict") else (
        meta_doc or {})
    pub, pub_source = published_at(tree, ld, tz)
    if pub is None and meta.get("date"):
        pub, pub_source = parse_datetime(meta["date"], tz), "htmldate"
    sec, tags = section_and_tags(tree, ld, meta.get("categories"), meta.get("tags"))
    result = Extraction(
        url=url,
        title=title(tree, ld, meta.get("title"), getattr(selectors, "title", None)),
        canonical_url=canonical(tree, url),
        description=normalise_line(meta["description"]) if meta.get("description") else None,
        published_at=pub, published_source=pub_source,
        modified_at=modified_at(tree, ld, tz),
        authors=authors(tree, ld, meta.get("author")),
        section=sec, tags=tags,
        declared_language=declared_language(tree),
        text="",
    )
    _prepare(tree, list(getattr(selectors, "drop", []) or []))
    result.text = body_text(tree, url, getattr(selectors, "body", None))
    if result.title and result.text.startswith(result.title):
        result.text = result.text[len(result.title):].lstrip()
    logger.debug("extracted %s: %d chars, title=%r", url, len(result.text), result.title)
    return result
