"""Hostile pages through the whole pipeline (crawl, extract, translate, publish, validate) of
a fictional outlet on a local server: each ends as a stored row with the right fields or a
named rejection in the manifest, never a crash, a lost row or a duplicate. Each case is a
row of docs/RELIABILITY.md."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from processing.core.config import Settings
from processing.core.runspec import RunSpec
from processing.corpus import open_corpus
from processing.pipeline.runner import run_pipeline
from tests import reliability
from tests.conftest import route_to_mirror, rows_of
from tests.hostile_site import (
    DAY,
    OUTLET_ID,
    HostileSite,
    Reply,
    article_html,
    article_path,
    article_url,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.reliability]

TEXT = "".join(
    f"<p>Paragraph {i}: the council met again on Tuesday and the river crossing stayed shut "
    f"while engineers inspected the bridge, residents said in interviews.</p>"
    for i in range(6)
)


def _page(title: str, head: str = "", body: str = TEXT, charset: str = "utf-8") -> str:
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='{charset}'>{head}"
        f"<title>{title}</title></head><body><article><h1>{title}</h1>{body}</article>"
        "</body></html>"
    )


PUBLISHED = "<meta property='article:published_time' content='2026-11-20T09:30:00Z'>"
CASES: dict[str, tuple[bytes, str]] = {
    # slug: (response body, content type)
    "utf16-with-bom": (
        _page("Bridge closed at Zürich crossing", PUBLISHED, charset="utf-16").encode("utf-16"),
        "text/html",
    ),
    "utf8-under-latin1-meta": (
        _page("Café reopens in Ürümqi", PUBLISHED, charset="iso-8859-1").encode("utf-8"),
        "text/html",
    ),
    "control-bytes": (bytes(range(0, 32)) * 200, "text/html"),
    "paywalled-teaser": (
        _page(
            "Subscribers only: the budget",
            PUBLISHED + '<script type="application/ld+json">{"@type": "NewsArticle", '
            '"isAccessibleForFree": "False", "headline": "Subscribers only: the budget"}'
            "</script>",
        ).encode(),
        "text/html; charset=utf-8",
    ),
    "title-of-200000-characters": (_page("x" * 200_000, PUBLISHED).encode(), "text/html"),
    "placeholder-date": (
        _page(
            "Harvest forecast rises",
            "<meta property='article:published_time' content='0001-01-01T00:00:00Z'>",
        ).encode(),
        "text/html; charset=utf-8",
    ),
    "empty-body": (b"", "text/html"),
    "plain-article": (article_html("plain-article"), "text/html; charset=utf-8"),
}
# what each case must end as: stored (with a check) or rejected for a named reason
EXPECTED = {
    "utf16-with-bom": "stored",
    "utf8-under-latin1-meta": "stored",
    "control-bytes": "rejected: bad_encoding",
    "paywalled-teaser": "stored, accessible_for_free = false",
    "title-of-200000-characters": "rejected: title_too_long",
    "placeholder-date": "stored on its day from the URL or the feed, not 0001-01-01",
    "empty-body": "rejected: empty_body",
    "plain-article": "stored",
}


@pytest.fixture
def hostile_run(env: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator:
    with HostileSite() as site:
        site.write_outlet(tmp_path / "outlets")
        monkeypatch.setenv("NEWSLOOM_OUTLETS_DIR", str(tmp_path / "outlets"))
        route_to_mirror(monkeypatch, site.url)
        for slug, (body, ctype) in CASES.items():
            site.route(article_path(slug), Reply(200, body, {"Content-Type": ctype}))
        site.set_feed([article_url(slug) for slug in CASES])
        settings = Settings.from_env()
        corpus = open_corpus(settings=settings, write=True)
        manifest = run_pipeline(RunSpec.daily(OUTLET_ID, DAY, 0), settings, corpus)
        yield corpus, manifest


def _observed(slug: str, rows: dict[str, dict], events: dict[str, dict]) -> str:
    row = rows.get(article_url(slug))
    if row is not None:
        if row["accessible_for_free"] is False:
            return "stored, accessible_for_free = false"
        if row["published_at_source"] in ("feed", "url") and row["published_at"].date() == DAY:
            return "stored on its day from the URL or the feed, not 0001-01-01"
        return "stored"
    event = events.get(article_url(slug))
    return f"rejected: {event['outcome']}" if event else "lost"


def test_hostile_pages_end_as_rows_or_named_rejections(hostile_run):
    corpus, manifest = hostile_run
    rows = {r["url"]: r for r in rows_of(corpus, OUTLET_ID)}
    events = {e["url"]: e for e in manifest["events"]}
    ids = [r["article_id"] for r in rows.values()]
    failures = []
    for slug, expected in EXPECTED.items():
        observed = _observed(slug, rows, events)
        lost = int(observed == "lost")
        r = reliability.record(
            "extract", f"page: {slug.replace('-', ' ')}", expected, observed, lost
        )
        if (r.observed, r.rows_lost) != (r.expected, 0):
            failures.append(r)
    assert not failures, failures
    assert len(ids) == len(set(ids))
    # the rows that were stored are readable and sane
    assert rows[article_url("utf16-with-bom")]["title"] == "Bridge closed at Zürich crossing"
    assert rows[article_url("utf8-under-latin1-meta")]["title"] == "Café reopens in Ürümqi"
    placeholder = rows[article_url("placeholder-date")]
    assert placeholder["published_at"].date() == DAY
    assert manifest["counts"]["stored"]["total"] == sum(
        1 for e in EXPECTED.values() if e.startswith("stored")
    )
