"""Date parsing for feeds, sitemaps, metadata and URLs, always to timezone-aware UTC.

Handles ISO 8601 with or without a colon in the offset (``-0400``), Sputnik's compact
``20260729T1319+0800``, RFC 822 (RSS ``pubDate``), Unix timestamps, plain dates, and dates in
URL paths (``/2024/07/24/``, ``/20241002/``).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_ISO = re.compile(
    r"^\s*(?P<y>\d{4})-?(?P<m>\d{2})-?(?P<d>\d{2})"
    r"(?:[T\s](?P<H>\d{2}):?(?P<M>\d{2})(?::?(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?)?"
    r"\s*(?P<tz>Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?\s*$"
)
_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d{2})(?:/|-)?(?P<m>0[1-9]|1[0-2])(?:/|-)?(?P<d>0[1-9]|[12]\d|3[01])(?=/|[-_])"
)
# Arabic-Indic (U+0660..) and Extended Arabic-Indic / Persian (U+06F0..) digits.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def to_ascii_digits(text: str) -> str:
    return text.translate(_DIGITS)


def zone(name: str | None) -> tzinfo:
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _offset(tz: str) -> tzinfo:
    if tz in ("Z", "z", "UTC", "GMT"):
        return UTC
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    from datetime import timezone

    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def parse_datetime(value: str | int | float | None, default_tz: str | None = None) -> datetime | None:
    """Parse one date string into aware UTC; None when it is not a date we understand.

    A value without an offset is read in ``default_tz`` (the outlet's zone), else UTC.
    Numbers (or digit strings of 10 or 13 digits) are Unix seconds or milliseconds.
    """
    if value is None:
        return None
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    text = to_ascii_digits(str(value)).strip()
    if not text:
        return None
    if re.fullmatch(r"\d{10}(\d{3})?", text):
        return _from_epoch(float(text))
    m = _ISO.match(text)
    if m:
        try:
            naive = datetime(
                int(m["y"]), int(m["m"]), int(m["d"]),
                int(m["H"] or 0), int(m["M"] or 0), int(m["S"] or 0),
                int((m["f"] or "0").ljust(6, "0")[:6]),
            )
        except ValueError:
            return None
        tz = _offset(m["tz"]) if m["tz"] else zone(default_tz)
        return naive.replace(tzinfo=tz).astimezone(UTC)
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone(default_tz))
    return parsed.astimezone(UTC)


def _from_epoch(seconds: float) -> datetime | None:
    if seconds > 1e12:  # milliseconds
        seconds /= 1000.0
    if not 0 < seconds < 4102444800:  # 1970..2100
        return None
    return datetime.fromtimestamp(seconds, UTC)


def date_from_url(url: str) -> date | None:
    """The publication day written in a URL path (``/2024/07/24/`` or ``/20241002/``)."""
    m = _URL_DATE.search(url)
    if not m:
        return None
    try:
        return date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None


def iso(dt: datetime | None) -> str | None:
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z") if dt else None
