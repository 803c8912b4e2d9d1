"""Extraction on mirror pages whose truth the catalog knows (beyond the one golden page)."""

import urllib.request
from urllib.parse import urlsplit

from crawlers.registry import load_registry
from processing.extraction import extract
from processing.pipeline.outlets import extraction_profile


def _fetch(mirror, url: str) -> bytes:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    req = urllib.request.Request(mirror.url + path, headers={"Host": parts.netloc})
    return urllib.request.urlopen(req).read()


def test_live_updates_keep_their_paragraphs(mirror):
    """Politico live updates carry their text only in JSON-LD ``articleBody``; the updates
    stay separate paragraphs (trafilatura's own JSON fallback joins them with spaces)."""
    outlet = load_registry()["politico"]
    pages = [
        p for p in mirror.catalog.for_outlet("politico", "stored") if "/live-updates/" in p.url
    ]
    assert pages
    for page in pages:
        ext = extract(_fetch(mirror, page.url), page.url, profile=extraction_profile(outlet))
        assert ext.text.split("\n") == list(page.paragraphs)
