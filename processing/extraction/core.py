"""Article extraction: decode, parse once, read metadata, extract the body, filter boilerplate.

``extract(html, url, profile=...)`` is the single extraction function used by the pipeline,
``newsloom extract`` and the benchmarks. Each metadata field has its own small function; the
body is built in :mod:`processing.extraction.body`. The page is parsed once; trafilatura runs
once (its fast main extractor, for the body only); metadata comes from our own precompiled
selectors (:mod:`processing.extraction.selectors`), with htmldate as the last resort for a
date only when nothing else on the page or in the URL gives one.
"""

from __future__ import annotations

import html as html_lib
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import trafilatura
from cssselect import ExpressionError, SelectorError
from lxml import etree
from lxml import html as lxml_html
from lxml.etree import ParserError

from processing.core.dates import (
    date_from_url,
    has_time,
    parse_date_value,
    parse_visible_date,
    written_day,
)
from processing.extraction import selectors as sel
from processing.extraction.body import finish_lines, generic_body
from processing.extraction.boilerplate import normalise_line
from processing.extraction.profile import ExtractionProfile

logger = logging.getLogger(__name__)

EXTRACTOR_NAME = "newsloom-extract"
EXTRACTOR_REVISION = 4


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
    # the publication day as the page writes it, in the page's own time zone (published_at
    # is UTC, so a late-evening article in New York is on the next day there)
    published_local_date: date | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "canonical_url": self.canonical_url,
            "title": self.title,
            "text": self.text,
            "description": self.description,
            "published": self.published_at.isoformat() if self.published_at else None,
            "published_source": self.published_source,
            "modified": self.modified_at.isoformat() if self.modified_at else None,
            "authors": self.authors,
            "section": self.section,
            "tags": self.tags,
            "declared_language": self.declared_language,
            "published_local_date": (
                self.published_local_date.isoformat() if self.published_local_date else None
            ),
        }


# ---- decoding ---------------------------------------------------------------------------
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset=[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_BROKEN_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x80-\x9f\ufffd]")


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
    return len(_BROKEN_CHARS.findall(sample)) > max(5, len(sample) // 500)


# ---- JSON-LD ----------------------------------------------------------------------------
def _json_ld(tree: Any) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for raw in sel.JSON_LD(tree):
        try:
            data = json.loads(raw.strip().rstrip(";"), strict=False)
        except (ValueError, TypeError):
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            obj = stack.pop(0)
            if isinstance(obj, dict):
                if "@graph" in obj and isinstance(obj["@graph"], list):
                    stack.extend(obj["@graph"])
                objects.append(obj)
            elif isinstance(obj, list):
                stack.extend(obj)
    return objects


_ARTICLE_TYPES = (
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "Article",
    "BlogPosting",
    "LiveBlogPosting",
    "OpinionNewsArticle",
    "WebPage",
)


def _types(obj: dict[str, Any]) -> list[str]:
    t = obj.get("@type")
    return [x for x in (t if isinstance(t, list) else [t]) if isinstance(x, str)]


def _ld_article(objs: list[dict[str, Any]]) -> dict[str, Any]:
    for wanted in _ARTICLE_TYPES:
        for o in objs:
            if wanted in _types(o):
                return o
    for o in objs:  # any other *Article / *Posting type
        if any(t.endswith(("Article", "Posting")) for t in _types(o)):
            return o
    return {}


def _ld_str(ld: dict[str, Any], key: str) -> str | None:
    v = ld.get(key)
    if isinstance(v, list) and v and isinstance(v[0], str):
        v = v[0]
    return html_lib.unescape(v).strip() if isinstance(v, str) and v.strip() else None


# ---- dates ------------------------------------------------------------------------------
def published_at(
    tree: Any, ld: dict[str, Any], url: str, tz: str | None, css: str | None = None
) -> tuple[datetime | None, str | None, date | None]:
    """(publication time in UTC, where it came from, the calendar day as the page writes it).

    Sources in order of trust: the outlet's selector, ``article:published_time``-style meta
    tags, JSON-LD ``datePublished``, ``itemprop=datePublished``, ``<time datetime>`` (inside
    the article first; clocks, navigation and related-article lists excluded),
    ``data-unixtime``, a visible dateline, the date in the URL, and htmldate last.

    - When the meta tags and JSON-LD disagree by more than a day (a CMS that writes the
      creation or the last-modified time into ``article:published_time``), the one that the
      page's visible dateline confirms wins.
    - A ``<time>``/unixtime/visible date more than a day away from the URL's date loses to the
      URL (page clocks and event dates are common ``<time>`` elements).
    """
    if css:
        for node in _css(tree, css):
            for v in (node.get("datetime"), node.get("content"), node.text_content()):
                dt = parse_date_value(v, tz) if v else None
                if dt:
                    return dt, "selector", written_day(v) or dt.date()
    url_day = date_from_url(url)
    found: list[list[str]] = []

    def datelines() -> list[str]:
        if not found:
            found.append(_visible_candidates(tree))
        return found[0]

    time_values = [v for xp in sel.TIME_DATETIME for v in xp(tree)]
    machine: list[tuple[str, str | int | float, datetime, date]] = []
    for source, values in (
        ("meta", sel.META_PUBLISHED(tree)),
        ("json-ld", [ld.get("datePublished") or ld.get("dateCreated")]),
        ("itemprop", sel.ITEMPROP_PUBLISHED(tree)),
    ):
        for v in values:
            if not isinstance(v, str | int | float):
                continue
            dt = parse_date_value(v, tz)
            if dt is not None:
                machine.append((source, v, dt, written_day(v) or dt.date()))
                break
    if machine:
        source, v, dt, day = machine[0]
        # meta tags and JSON-LD both describe the page itself (itemprop=datePublished repeats
        # for every item of a live blog or a list, so it does not take part)
        contenders = [m for m in machine if m[0] in ("meta", "json-ld")]
        if len(contenders) > 1 and abs((contenders[1][2] - dt).total_seconds()) > 86400:
            visible = visible_date(datelines(), tz)
            if visible:
                for cand in contenders:
                    if visible[1] in (cand[3], cand[2].date()):
                        source, v, dt, day = cand
                        break
        if _is_utc_value(v, tz):  # written in UTC: the page's own dateline tells the local day
            day = _local_day(datelines(), time_values, dt) or day
        return dt, source, day
    for source, values in (("time", time_values), ("unixtime", sel.DATA_UNIXTIME(tree))):
        for v in values:
            dt = parse_date_value(v, tz)
            if dt is None:
                continue
            day = written_day(v) or dt.date()
            if url_day and abs((day - url_day).days) > 1:
                continue
            if _is_utc_value(v, tz):
                day = _local_day(datelines(), [], dt) or day
            return dt, source, day
    visible = visible_date(datelines(), tz)
    if visible and (url_day is None or abs((visible[1] - url_day).days) <= 1):
        return visible[0], "visible", visible[1]
    if url_day:
        return (datetime(url_day.year, url_day.month, url_day.day, tzinfo=UTC), "url", url_day)
    dt = _htmldate(tree, url, tz)
    return dt, "htmldate", dt.date() if dt else None


_UTC_SUFFIX = re.compile(r"(?:Z|[+-]00:?00|UTC|GMT)\s*$", re.IGNORECASE)
_HAS_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT|[A-Z]{2,4}T)\s*$", re.IGNORECASE)
_HAS_CLOCK = re.compile(r"\d[T\s]\d{1,2}:\d{2}")


def _is_utc_value(value: str | int | float, tz: str | None = None) -> bool:
    """Whether a metadata value gives a UTC time: an explicit Z/+00:00, a Unix timestamp, or
    (without an outlet zone) a time of day with no offset at all, which is read as UTC."""
    if not isinstance(value, str):
        return True
    text = value.strip()
    if _UTC_SUFFIX.search(text):
        return True
    return tz is None and bool(_HAS_CLOCK.search(text)) and not _HAS_OFFSET.search(text)


def _visible_candidates(tree: Any) -> list[str]:
    """Short texts that may be datelines: elements whose class/id names a date, time or
    publication, then the first elements after the ``h1``."""
    nodes = sel.VISIBLE_DATE(tree)[:12]
    for h1 in sel.H1(tree)[:1]:
        nodes += h1.xpath(
            "following::*[self::div or self::span or self::p or self::time]"
            "[normalize-space(text())][position() <= 8]"
        )
    texts = (normalise_line(n.text_content()) for n in nodes)
    return [t for t in texts if 6 <= len(t) <= 120]


def visible_date(lines: list[str], tz: str | None) -> tuple[datetime, date] | None:
    """The first date in the page's dateline candidates (``_visible_candidates``): UTC time
    and the day as written."""
    for text in lines:
        dt = parse_visible_date(text, tz)
        if dt:
            return dt, written_day(text) or dt.date()
    return None


def _local_day(lines: list[str], values: list[str], utc: datetime) -> date | None:
    """The local day of a UTC timestamp, from the page's own rendering of the same instant in
    its zone: a ``<time datetime>`` value with a non-zero offset, or a dateline whose written
    time differs from ``utc`` by a whole zone offset ("Published 8:00 PM EST, Tue December 19,
    2023" for 01:00 UTC on the 20th)."""
    for value in values:
        if not isinstance(value, str) or _UTC_SUFFIX.search(value.strip()):
            continue
        seen = parse_date_value(value)
        if seen is not None and abs((seen - utc).total_seconds()) <= 90 and written_day(value):
            return written_day(value)
    for text in lines:
        if not has_time(text):
            continue
        seen = parse_visible_date(text, "UTC")  # a written zone is honoured, else read as UTC
        if seen is None:
            continue
        minutes = (seen - utc).total_seconds() / 60
        if abs(minutes) <= 14 * 60 + 1 and abs(minutes - 15 * round(minutes / 15)) <= 1.5:
            return written_day(text)
    return None


def _htmldate(tree: Any, url: str, tz: str | None) -> datetime | None:
    try:
        from htmldate import find_date
    except ImportError:  # pragma: no cover - htmldate ships with trafilatura
        return None
    try:
        value = find_date(tree, url=url, extensive_search=False, original_date=True)
    except (ValueError, TypeError) as exc:  # htmldate raises on odd trees
        logger.debug("htmldate failed on %s: %s", url, exc)
        return None
    return parse_date_value(value, tz) if value else None


def modified_at(tree: Any, ld: dict[str, Any], tz: str | None) -> datetime | None:
    for v in [*sel.META_MODIFIED(tree), ld.get("dateModified")]:
        dt = parse_date_value(v, tz) if isinstance(v, str | int | float) else None
        if dt:
            return dt
    return None


# ---- authors ----------------------------------------------------------------------------
def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


_AUTHOR_PREFIX = re.compile(
    r"^(?:view all posts by|posts by|written by|words by|story by|by|"
    r"بقلم|بواسطة|كتب|كتبت|إعداد|اعداد|تحرير)\s*:?\s+",
    re.IGNORECASE,
)
# "و" ("and") only as a separate word: many names start with it (وليد، وائل، وسام)
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|\||,|&|/|\band\b|\s+و\s+)\s*", re.IGNORECASE)
_AUTHOR_ROLE = re.compile(
    r"\s+[-–—]\s+.*$"  # "Jane Doe - Contributing Writer"
    r"|\s+(?:published|updated|link copied|share|follow)\b.*$",
    re.IGNORECASE,
)
_CREDENTIAL = re.compile(r"^[A-Z]{1,4}$")  # "MS", "RDN", "CNN": not a person's name
_NOT_A_NAME = re.compile(
    r"https?:|www\.|@|\d|^(?:sponsored|staff|admin|administrator|editor|editorial"
    r"|updated|published|posted|share|follow|none|null|unknown)$|\b(?:officer|head of|director"
    r"|president|contributing|correspondent|staff (?:writer|reporter)|editor in chief)\b",
    re.IGNORECASE,
)


def clean_authors(raw: list[str], exclude: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Split "A, B and C", drop "By", URLs, emails, roles, credentials ("MS, RDN"), names of
    the publication itself (``exclude``) and duplicates; keep the case as written."""
    excluded = {_key(e) for e in exclude if e}
    out: list[str] = []
    for value in raw:
        value = normalise_line(html_lib.unescape(value or ""))
        if not value or value.lower().startswith(("http", "www.")):
            continue
        value = _AUTHOR_PREFIX.sub("", value)
        for part in _AUTHOR_SPLIT.split(value):
            part = _AUTHOR_ROLE.sub("", _AUTHOR_PREFIX.sub("", normalise_line(part)))
            part = part.strip(" .,-–—:")
            if (
                not part
                or len(part) > 60
                or len(part.split()) > 6
                or _NOT_A_NAME.search(part)
                or _CREDENTIAL.match(part)
            ):
                continue
            if " " not in part and "-" in part and part.lower() == part:  # a URL slug
                continue
            if _key(part) in excluded or part.casefold() in {o.casefold() for o in out}:
                continue
            out.append(part)
    return out


def _ld_people(value: Any) -> tuple[list[str], list[str]]:
    """JSON-LD ``author`` as (people, organisations)."""
    people: list[str] = []
    orgs: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict) and "Organization" in " ".join(_types(item)):
            orgs.extend(_names(item))
        else:
            people.extend(_names(item))
    return people, orgs


def publisher_names(tree: Any, ld: dict[str, Any], url: str) -> list[str]:
    pub = ld.get("publisher")
    names = _names(pub) if isinstance(pub, dict | list) else []
    names += site_names(tree, url)
    return [*names, *(n.removeprefix("the ") for n in names if n.lower().startswith("the "))]


def authors(tree: Any, ld: dict[str, Any], url: str = "", css: str | None = None) -> list[str]:
    """Selector, JSON-LD people, author meta tags, byline markup, trafilatura's byline
    search; the publication's own name counts only when nothing names a person."""
    if css:
        names = clean_authors([n.text_content() for n in _css(tree, css)])
        if names:
            return names
    publisher = publisher_names(tree, ld, url)
    people, orgs = _ld_people(ld.get("author"))
    for raw in (
        people,
        list(sel.META_AUTHOR(tree)),
        [n.text_content() for n in sel.BYLINE_AUTHOR(tree)[:4]],
    ):
        names = clean_authors(raw, publisher)
        if names:
            return names
    names = clean_authors(_trafilatura_author(tree), publisher)
    return names or clean_authors([*orgs, *sel.META_AUTHOR(tree)])


def _trafilatura_author(tree: Any) -> list[str]:
    try:
        from trafilatura.metadata import extract_author
    except ImportError:  # pragma: no cover - internal helper moved
        return []
    try:
        found = extract_author(tree)
    except (ValueError, TypeError):
        return []
    return found.split("; ") if found else []


# ---- title and other fields -------------------------------------------------------------
_SEPARATORS = re.compile(r"\s+[-–—|:•·]\s+|\s+[|]\s*")
_SPUTNIK_SUFFIX = re.compile(r"\s+[-–—|]\s+\d{2}\.\d{2}\.\d{4},\s*[^-–—|]{2,60}$")


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


def strip_site_suffix(text: str, site_names: list[str]) -> str:
    """Drop a trailing (or leading) " - Site name" / " | Site" from a document title."""
    text = _SPUTNIK_SUFFIX.sub("", normalise_line(text))
    sites = {_key(s) for s in site_names if s and _key(s)}
    seps = list(_SEPARATORS.finditer(text))
    if not seps:
        return text
    last, first = seps[-1], seps[0]
    tail = _key(text[last.end() :])
    if tail in sites or (
        len(tail.split()) <= 4
        and len(tail) < 0.5 * len(text)
        and any(s in tail or tail in s for s in sites)
    ):
        return text[: last.start()].strip()
    if _key(text[: first.start()]) in sites:
        return text[first.end() :].strip()
    return text


def site_names(tree: Any, url: str) -> list[str]:
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    names = [*sel.META_SITE_NAME(tree), host, host.split(".")[0] if host else ""]
    return [n for n in names if n]


def title(tree: Any, ld: dict[str, Any], url: str, css: str | None = None) -> str | None:
    """Selector, then the ``h1`` confirmed by the document's own title metadata, then JSON-LD
    ``headline``, ``og:title`` and ``<title>`` with the site name stripped."""
    if css:
        for node in _css(tree, css):
            t = normalise_line(node.text_content())
            if t:
                return t
    sites = site_names(tree, url)
    meta_titles = [
        strip_site_suffix(t, sites)
        for t in (
            _ld_str(ld, "headline"),
            *sel.OG_TITLE(tree),
            *sel.TWITTER_TITLE(tree),
            *sel.TITLE(tree),
        )
        if t and t.strip()
    ]
    meta_titles = [t for t in meta_titles if t]
    h1s = [normalise_line(h.text_content()) for h in sel.H1(tree)]
    h1s = [h for h in h1s if len(h) > 3]
    for h in h1s:  # the h1 that the page's own title metadata agrees with
        k = _key(h)
        if not k:
            continue
        for t in meta_titles:
            m = _key(t)
            if k == m or (k in m and len(k) >= 0.4 * len(m)):
                return h
            if len(m) > 20 and k.endswith(m) and k != m:  # a kicker ("Opinion | ...")
                return t
    for h in h1s:
        if len(h.split()) >= 4:
            return h
    if meta_titles:
        return meta_titles[0]
    return h1s[0] if h1s else None


def canonical(tree: Any, url: str) -> str | None:
    hrefs = sel.CANONICAL(tree) or sel.OG_URL(tree)
    return urljoin(url, hrefs[0].strip()) if hrefs and hrefs[0].strip() else None


def description(tree: Any, ld: dict[str, Any]) -> str | None:
    for v in (*sel.META_DESCRIPTION(tree), _ld_str(ld, "description")):
        if v and v.strip():
            return normalise_line(html_lib.unescape(v))
    return None


def declared_language(tree: Any) -> str | None:
    langs = [v for v in (*sel.HTML_LANG(tree), *sel.META_LANGUAGE(tree)) if v and v.strip()]
    return langs[0].strip().replace("_", "-").split("-")[0].lower() if langs else None


def section_and_tags(tree: Any, ld: dict[str, Any]) -> tuple[str | None, list[str]]:
    sections = list(sel.META_SECTION(tree)) or _names(ld.get("articleSection"))
    tags: list[str] = []
    raw_tags = list(sel.META_TAGS(tree)) or _names(ld.get("keywords"))
    for raw in raw_tags:
        for t in re.split(r"\s*[,،;]\s*", raw):
            t = normalise_line(html_lib.unescape(t))
            if t and t not in tags:
                tags.append(t)
    return (normalise_line(sections[0]) if sections else None), tags[:30]


# ---- body -------------------------------------------------------------------------------
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _css(tree: Any, css: str) -> list[Any]:
    """``tree.cssselect(css)``; a selector that does not compile is logged and matches
    nothing, so the generic path takes over instead of every page of the outlet failing."""
    try:
        return list(tree.cssselect(css))
    except (SelectorError, ExpressionError) as exc:
        logger.warning("outlet selector %r does not compile: %s", css, exc)
        return []


def _prepare(tree: Any, drop: list[str]) -> None:
    for css in drop:
        for node in _css(tree, css):
            node.drop_tree()


def selector_body(tree: Any, body_css: str, titles: list[str]) -> str | None:
    """Paragraph-like blocks inside the outlet's body selector, filtered like the generic
    path; None when the selector matches nothing (another layout: use the generic path)."""
    nodes = _css(tree, body_css)
    if not nodes:
        return None
    paras: list[str] = []
    for node in nodes:
        blocks = node.xpath(".//p | .//h2 | .//h3 | .//h4 | .//li | .//blockquote")
        if not blocks:
            blocks = [node]
        for p in blocks:
            if p is not node and p.xpath("ancestor::p|ancestor::li|ancestor::blockquote"):
                continue
            t = normalise_line(p.text_content())
            if t:
                paras.append(("- " + t) if p.tag == "li" else t)
    return finish_lines("\n".join(paras), titles)


def json_ld_body(ld: dict[str, Any]) -> str:
    """``articleBody`` from JSON-LD (live blogs, script-rendered pages), as paragraphs."""
    raw = _ld_str(ld, "articleBody")
    if not raw:
        return ""
    if "<" in raw and ">" in raw:
        try:
            raw = lxml_html.fromstring(raw).text_content()
        except (ParserError, ValueError):
            pass
    lines = [normalise_line(x) for x in re.split(r"\n+|\r+|(?<=[.!?؟])\s{2,}", raw)]
    return finish_lines("\n".join(x for x in lines if x))


def body_text(
    tree: Any, url: str, ld: dict[str, Any], titles: list[str], body_css: str | None
) -> tuple[str, str]:
    """(text, method): the outlet's body selector when it matches (an empty article stays
    empty: the caller rejects it as ``empty_body`` instead of storing the sidebar), else the
    generic path; JSON-LD ``articleBody`` when the page's visible text gives much less."""
    ld_text = json_ld_body(ld)
    if body_css:
        text = selector_body(tree, body_css, titles)
        if text is not None:
            if len(ld_text) > 500 and len(text) < 0.5 * len(ld_text):
                return ld_text, "json-ld"
            return text, "selector"
    descriptions = [*sel.META_DESCRIPTION(tree), _ld_str(ld, "description")]
    text = generic_body(tree, url, titles)
    if len(ld_text) > 500 and len(text) < 0.5 * len(ld_text):
        return ld_text, "json-ld"
    if (
        ld_text
        and ld_text.count("\n") > text.count("\n")
        and "".join(ld_text.split()) == "".join(text.split())
    ):
        # the same words, but trafilatura's JSON fallback flattened the paragraphs
        return ld_text, "json-ld"
    dek = standfirst(tree, descriptions, text)
    if dek:
        text = f"{dek}\n{text}" if text else dek
    return text, "generic"


_NOT_SHOWN = {"script", "style", "noscript", "template", "title", "meta", "head"}
_STARTS_LIKE = etree.XPath("//body//text()[starts-with(normalize-space(.), $head)]")
_INSIDE_LINK_OR_SCRIPT = "boolean(ancestor::a|ancestor::script|ancestor::noscript)"


def standfirst(tree: Any, descriptions: list[str | None], text: str) -> str | None:
    """The standfirst (dek, summary line under the headline) when trafilatura left it out.

    It is recognised by the page's own description metadata (``description``,
    ``og:description``, JSON-LD ``description``): an element of the page whose whole visible
    text is that description is the standfirst. Returned as shown on the page, or None when
    the page does not show it or the body already starts with / contains it.
    """
    wanted: dict[str, str] = {}
    for d in descriptions:
        norm = normalise_line(html_lib.unescape(d or ""))
        if len(norm) >= 20 and len(norm.split()) >= 4:
            wanted.setdefault(norm.casefold(), norm)
    if not wanted:
        return None
    body_key = normalise_line(text).casefold()
    wanted = {k: v for k, v in wanted.items() if k not in body_key}
    if not wanted:
        return None
    for key, norm in wanted.items():
        # text nodes that start like the description (XPath: fast, in C), then the element
        # around such a node must show exactly the description
        for node in _STARTS_LIKE(tree, head=norm[:24]):
            el = node.getparent()
            if el is not None and node.is_tail:  # text after a child element: its parent's
                el = el.getparent()
            if el is None or el.tag in _NOT_SHOWN or el.xpath(_INSIDE_LINK_OR_SCRIPT):
                continue
            shown = normalise_line(el.text_content())
            if shown.casefold() == key:
                return shown
    return None


def extract(
    html: bytes | str,
    url: str,
    *,
    profile: ExtractionProfile | None = None,
    content_type: str | None = None,
) -> Extraction:
    """Extract one article. ``profile`` (an outlet's selectors and time zone) is optional.

    Raises :class:`ExtractionError` with a reason (``empty_body``, ``bad_encoding``,
    ``unparsable``) when the document cannot be read at all; quality gates (length, title,
    language) are applied by the caller through :func:`processing.extraction.gates.check_quality`.
    """
    text_html = decode_html(html, content_type)[0] if isinstance(html, bytes) else html
    if not text_html.strip():
        raise ExtractionError("empty_body", "the document is empty")
    # lxml refuses str input that carries an encoding declaration (XHTML pages)
    text_html = _XML_DECLARATION.sub("", text_html, count=1)
    try:
        tree = lxml_html.document_fromstring(text_html)
    except (ParserError, ValueError) as exc:
        raise ExtractionError("unparsable", str(exc)) from exc
    prof = profile or ExtractionProfile()
    tz = prof.timezone
    ld = _ld_article(_json_ld(tree))
    pub, pub_source, pub_day = published_at(tree, ld, url, tz, prof.published)
    sec, tags = section_and_tags(tree, ld)
    result = Extraction(
        url=url,
        title=title(tree, ld, url, prof.title),
        canonical_url=canonical(tree, url),
        description=description(tree, ld),
        published_at=pub,
        published_source=pub_source if pub else None,
        modified_at=modified_at(tree, ld, tz),
        authors=authors(tree, ld, url, prof.author),
        section=sec,
        tags=tags,
        declared_language=declared_language(tree),
        published_local_date=pub_day if pub else None,
        text="",
    )
    titles = [t for t in (result.title, *sel.OG_TITLE(tree), *sel.TITLE(tree)) if t]
    _prepare(tree, list(prof.drop))
    result.text, method = body_text(tree, url, ld, titles, prof.body)
    if result.title and result.text.startswith(result.title):
        result.text = result.text[len(result.title) :].lstrip()
    logger.debug(
        "extracted %s: %d chars via %s, title=%r, published=%s (%s)",
        url,
        len(result.text),
        method,
        result.title,
        pub,
        pub_source,
    )
    return result
