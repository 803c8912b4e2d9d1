"""Discovery: pure parsers for feeds, sitemaps and date-archive listings.

Each parser takes bytes (and the page URL) and returns typed entries; no network, no Scrapy,
so each is unit-tested on saved documents.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urljoin

from lxml import etree, html

from processing.core.dates import date_from_url, parse_datetime

logger = logging.getLogger(__name__)

_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=True)


@dataclass(frozen=True)
class Link:
    """A discovered URL with what the listing said about it."""

    url: str
    published: datetime | None = None  # pubDate, news:publication_date, lastmod, <time>
    title: str | None = None
    day_only: bool = False  # ``published`` is only a day (from the URL), not a time


@dataclass(frozen=True)
class Sitemap:
    is_index: bool
    links: list[Link]  # children (index) or pages (urlset)


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _children(node: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in node if _local(c.tag) == name]


def _text(node: etree._Element | None) -> str | None:
    if node is None:
        return None
    text = "".join(node.itertext()).strip()
    return text or None


def _first(node: etree._Element, *names: str) -> etree._Element | None:
    for el in node.iter():
        if _local(el.tag) in names:
            return el
    return None


def _xml_root(data: bytes) -> etree._Element | None:
    data = data.lstrip()
    if not data:
        return None
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return None


def parse_feed(data: bytes, base_url: str, default_tz: str | None = None) -> list[Link]:
    """RSS 2.0, RSS 1.0 (RDF) and Atom items: link, date, title."""
    root = _xml_root(data)
    if root is None:
        return []
    links: list[Link] = []
    for item in root.iter():
        kind = _local(item.tag)
        if kind not in ("item", "entry"):
            continue
        url: str | None = None
        if kind == "entry":  # Atom: <link rel="alternate" href=...>
            for ln in _children(item, "link"):
                if ln.get("rel", "alternate") == "alternate" and ln.get("href"):
                    url = ln.get("href")
                    break
        else:
            link_el = _first(item, "link")
            url = _text(link_el)
            if not url and link_el is not None:
                url = link_el.get("href")
            if not url:
                url = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
            if not url:
                guid = _first(item, "guid")
                if guid is not None and guid.get("isPermaLink", "true") != "false":
                    url = _text(guid)
        if not url:
            continue
        when = None
        for name in ("pubDate", "published", "date", "updated", "issued"):
            when = parse_datetime(_text(_first(item, name)), default_tz)
            if when:
                break
        links.append(Link(urljoin(base_url, url.strip()), when, _text(_first(item, "title"))))
    return links


def parse_sitemap(data: bytes, base_url: str, default_tz: str | None = None) -> Sitemap | None:
    """A sitemap index or a urlset (Google News ``news:`` fields included)."""
    root = _xml_root(data)
    if root is None:
        return None
    kind = _local(root.tag)
    if kind not in ("sitemapindex", "urlset"):
        return None
    entry = "sitemap" if kind == "sitemapindex" else "url"
    links: list[Link] = []
    for node in _children(root, entry):
        loc = _text(_first(node, "loc"))
        if not loc:
            continue
        when = parse_datetime(
            _text(_first(node, "publication_date")), default_tz
        ) or parse_datetime(_text(_first(node, "lastmod")), default_tz)
        title_node = _first(node, "title")
        title = (
            _text(title_node)
            if title_node is not None and "news" in (etree.QName(title_node).namespace or "")
            else None
        )
        links.append(Link(urljoin(base_url, loc), when, title))
    return Sitemap(kind == "sitemapindex", links)


@dataclass(frozen=True)
class ArchivePage:
    links: list[Link]
    next_page: str | None


_NEXT_TEXT = re.compile(r"^(next|older|›|»|التالي|الأقدم|→)", re.IGNORECASE)


def parse_archive(data: bytes | str, base_url: str, default_tz: str | None = None) -> ArchivePage:
    """Post links on a listing page, with the nearest ``<time datetime>`` of each post.

    Pass the page as text decoded with its HTTP charset when there is one: a ``<title>``
    before ``<meta charset>`` makes lxml guess latin-1 for bytes.

    Every ``<a href>`` is returned (the caller filters by the outlet's article patterns);
    a post's date comes from a ``<time>`` inside the same ``<article>``/post container.
    """
    if not data.strip():
        return ArchivePage([], None)
    doc = html.fromstring(data, base_url=base_url)
    doc.make_links_absolute(base_url, resolve_base_href=True)
    dated: dict[str, datetime] = {}
    for container in doc.xpath(
        "//article | //*[contains(concat(' ', normalize-space(@class), ' '), ' post ')]"
        " | //*[contains(@class, 'td_module_wrap')] | //li[.//time]"
    ):
        times = container.xpath(".//time[@datetime]/@datetime")
        if not times:
            continue
        when = parse_datetime(times[0], default_tz)
        if not when:
            continue
        for href in container.xpath(".//a/@href"):
            dated.setdefault(href.split("#")[0], when)
    links: list[Link] = []
    seen: set[str] = set()
    for a in doc.xpath("//a[@href]"):
        href = a.get("href").split("#")[0]
        if href in seen or not href.startswith("http"):
            continue
        seen.add(href)
        when = dated.get(href)
        day_only = False
        if when is None:
            d = date_from_url(href)  # the outlet's local day: kept as that date, 00:00 UTC
            when = datetime(d.year, d.month, d.day, tzinfo=UTC) if d else None
            day_only = when is not None
        links.append(Link(href, when, (a.text_content() or "").strip() or None, day_only))
    nxt = doc.xpath("//link[@rel='next']/@href | //a[@rel='next']/@href")
    if not nxt:
        nxt = [
            a.get("href")
            for a in doc.xpath("//a[@href]")
            if _NEXT_TEXT.match((a.text_content() or "").strip())
            or "next" in (a.get("class") or "").split()
        ]
    return ArchivePage(links, nxt[0] if nxt else None)


def month_range(first: date, last: date) -> list[tuple[int, int]]:
    """(year, month) pairs covering [first, last], newest first."""
    months: list[tuple[int, int]] = []
    y, m = last.year, last.month
    while (y, m) >= (first.year, first.month):
        months.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return months
