"""Date spans written in child-sitemap URLs, so a window skips sitemaps it cannot need."""

from __future__ import annotations

import calendar
import re
from datetime import date

_RANGED = re.compile(r"date_start=(\d{8}).*?date_end=(\d{8})")
_MONTHLY = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_/]?(0[1-9]|1[0-2])(?!\d)(?:\.xml|/|$)")


def _ymd(text: str) -> date:
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


def sitemap_span(url: str) -> tuple[date, date] | None:
    """``(first, last)`` day a child sitemap covers, when its URL says so."""
    m = _RANGED.search(url.replace("&amp;", "&"))
    if m:
        try:
            return _ymd(m[1]), _ymd(m[2])
        except ValueError:
            return None
    m = _MONTHLY.search(url)
    if m:
        y, mo = int(m[1]), int(m[2])
        return date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])
    return None
