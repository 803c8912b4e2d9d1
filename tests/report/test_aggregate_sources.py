"""The health checks' notion of "a date from the page" matches what the pipeline writes."""

from __future__ import annotations

import pyarrow as pa

from processing.core.records import LISTING_DATE_SOURCES
from processing.pipeline.stages import listing_source
from processing.report.aggregate import _field_flags


def test_every_listing_source_the_pipeline_writes_is_not_counted_as_on_the_page():
    written = {
        listing_source(route, kind)
        for route in (None, "feed", "news_sitemap", "sitemap", "sitemap_index", "archive", "x")
        for kind in (None, "published", "archive_day", "day")
    }
    assert written - {"url"} <= LISTING_DATE_SOURCES  # a URL's day is the page's own
    sources = ["meta", "json-ld", "url", "missing", *sorted(LISTING_DATE_SOURCES)]
    t = pa.table(
        {
            "published_at": pa.array([0] * len(sources), pa.timestamp("us", tz="UTC")),
            "published_at_source": sources,
        }
    )
    flags = _field_flags(t)
    on_page = dict(zip(sources, flags["published_at"].tolist(), strict=True))
    assert on_page == {s: s in ("meta", "json-ld", "url") for s in sources}
    assert flags["published_any"].tolist() == [s != "missing" for s in sources]
