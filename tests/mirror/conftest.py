"""Helpers for the mirror's own tests: one module-scoped server on a free port (anchor
2026-11-20, the default 7 days), talked to over HTTP with urllib the way the crawler's mirror
middleware does (real host in ``Host``, path and query unchanged, no redirect following)."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import pytest
from lxml import html as lxml_html

from devkit.mirror.catalog import Catalog
from devkit.mirror.server import MirrorServer

ANCHOR = date(2026, 11, 20)
FIRST = ANCHOR - timedelta(days=6)
MIRROR_OUTLETS = Path(__file__).resolve().parents[2] / "devkit" / "mirror" / "outlets"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NS_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # redirects point at the real (unreachable) hosts: report them instead


_OPENER = urllib.request.build_opener(_NoRedirect, urllib.request.ProxyHandler({}))


class Fetched:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def ctype(self) -> str:
        return self.headers.get("content-type", "")

    def doc(self) -> lxml_html.HtmlElement:
        charset = "windows-1256" if "1256" in self.ctype else "utf-8"
        return lxml_html.fromstring(self.body.decode(charset))


def fetch(server: MirrorServer, url: str, method: str = "GET") -> Fetched:
    """GET a real URL through the mirror, as the mirror middleware does."""
    parts = urlsplit(url)
    target = server.url + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {"Host": parts.netloc, "X-Newsloom-Original-Url": url}
    req = urllib.request.Request(target, method=method, headers=headers)
    try:
        with _OPENER.open(req, timeout=10) as resp:
            return Fetched(
                resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
            )
    except urllib.error.HTTPError as err:
        return Fetched(err.code, {k.lower(): v for k, v in err.headers.items()}, err.read())


def upper(url: str) -> str:
    return re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group(0).upper(), url)


def lower(url: str) -> str:
    return re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group(0).lower(), url)


def norm(url: str) -> str:
    """One spelling per URL: upper-case escapes, no fragment, no utm_* parameters."""
    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not k.startswith("utm_")])
    return upper(urlunsplit((parts.scheme, parts.netloc, parts.path, query, "")))


def hrefs(page: Fetched, base: str) -> set[str]:
    return {norm(urljoin(base, h)) for h in page.doc().xpath("//a/@href")}


def items(page: Fetched) -> list[ET.Element]:
    root = ET.fromstring(page.body)
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.findall("./channel/item")


def feed_links(page: Fetched) -> list[str]:
    return [i.findtext("link") or "" for i in items(page)]


def locs(page: Fetched) -> list[str]:
    return [e.text or "" for e in ET.fromstring(page.body).iter(f"{SM}loc")]


def json_lds(doc: lxml_html.HtmlElement) -> list[dict]:
    return [json.loads(s) for s in doc.xpath("//script[@type='application/ld+json']/text()")]


def texts(doc: lxml_html.HtmlElement, css: str) -> list[str]:
    return [" ".join(n.text_content().split()) for n in doc.cssselect(css)]


def walk(server: MirrorServer, first: str) -> tuple[set[str], int, int]:
    """Links on every page of a paginated listing: (links, pages, status past the end)."""
    seen: set[str] = set()
    n = 1
    while (got := fetch(server, first if n == 1 else f"{first}page/{n}/")).status == 200:
        seen |= hrefs(got, first)
        n += 1
    return seen, n - 1, got.status


@pytest.fixture(scope="module")
def server() -> Iterator[MirrorServer]:
    with MirrorServer(anchor=ANCHOR) as mirror:
        yield mirror


@pytest.fixture(scope="module")
def catalog(server: MirrorServer) -> Catalog:
    return server.catalog
