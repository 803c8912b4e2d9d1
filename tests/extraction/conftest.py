"""Fixtures of the extraction tests: the real-world data beside the project (skipped when
absent) and small synthetic pages shaped like the outlets' real structures."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest

from tests.conftest import (  # ../shared/data, or where NEWSLOOM_SHARED_DATA says
    SHARED_DATA,
    missing_shared_data,
)

NAEB = SHARED_DATA / "naeb"
MULTILINGUAL = SHARED_DATA / "multilingual"


@pytest.fixture(scope="session")
def naeb_sample() -> list[dict[str, Any]]:
    """A fixed, spread-out sample of naeb pages: entry fields plus ``html`` bytes."""
    index = NAEB / "news_articles.json"
    if not index.is_file():
        missing_shared_data(index)
    entries = [
        e
        for e in json.loads(index.read_text(encoding="utf-8"))
        if (NAEB / "html" / f"{e['html_file']}.html.gz").is_file()
    ]
    sample = entries[::14][:30]  # every 14th page: 30 pages from ~30 different sites
    for e in sample:
        e["html"] = gzip.decompress((NAEB / "html" / f"{e['html_file']}.html.gz").read_bytes())
    return sample


@pytest.fixture(scope="session")
def arabic_page() -> dict[str, Any]:
    html = MULTILINGUAL / "html" / "arabic_article.html"
    if not html.is_file():
        missing_shared_data(html)
    meta_path = MULTILINGUAL / "metadata" / "arabic_article.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    return {
        "html": html.read_bytes(),
        "meta": meta,
        "text": (MULTILINGUAL / "txt" / "arabic_article.txt").read_text(encoding="utf-8"),
    }
