"""Date parsing for feeds, sitemaps, metadata and URLs, always to timezone-aware UTC.

Handles ISO 8601 with or without a colon in the offset (``-0400``), Sputnik's compact
``20260729T1319+0800``, RFC 822 (RSS ``pubDate``), Unix timestamps, plain dates, dates in
URL paths (``/2024/07/24/``, ``/20241002/``) and, in :func:`parse_visible_date`, datelines as
people write them: "December 21, 2023 1:00 PM ET", "Saturday 14 June 2025 05:39, UK",
"الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00 (GMT+0400)", "٢٨ أكتوبر ٢٠٢٤" - English month
names, both Arabic month series (Levantine كانون الثاني … كانون الأول and Egyptian/Gulf يناير …
ديسمبر, with spelling variants and the Maghreb forms) and Arabic-Indic digits.
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


def parse_datetime(
    value: str | int | float | None, default_tz: str | None = None
) -> datetime | None:
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
                int(m["y"]),
                int(m["m"]),
                int(m["d"]),
                int(m["H"] or 0),
                int(m["M"] or 0),
                int(m["S"] or 0),
                int((m["f"] or "0").ljust(6, "0")[:6]),
            )
        except ValueError:
            return None
        tz = _offset(m["tz"]) if m["tz"] else zone(default_tz)
        return _to_utc(naive.replace(tzinfo=tz))
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone(default_tz))
    return _to_utc(parsed)


def _to_utc(value: datetime) -> datetime | None:
    """``value`` in UTC; None at the edges of the calendar (year 1 or 9999 shifted past
    them by the offset: placeholders such as ``0001-01-01T00:00:00+05:00``)."""
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


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


# ---- visible datelines ------------------------------------------------------------------
_MONTHS: dict[str, int] = {}
for _num, _names in enumerate(
    (
        # English
        "january jan",
        "february feb",
        "march mar",
        "april apr",
        "may",
        "june jun",
        "july jul",
        "august aug",
        "september sept sep",
        "october oct",
        "november nov",
        "december dec",
    ),
    start=1,
):
    for _n in _names.split():
        _MONTHS[_n] = _num
_ARABIC_MONTHS = {
    # Levantine / Iraqi (Syriac) series
    "كانون الثاني": 1,
    "شباط": 2,
    "آذار": 3,
    "اذار": 3,
    "أذار": 3,
    "نيسان": 4,
    "أيار": 5,
    "ايار": 5,
    "إيار": 5,
    "حزيران": 6,
    "تموز": 7,
    "آب": 8,
    "اب": 8,
    "أب": 8,
    "أيلول": 9,
    "ايلول": 9,
    "إيلول": 9,
    "تشرين الأول": 10,
    "تشرين الاول": 10,
    "تشرين أول": 10,
    "تشرين اول": 10,
    "تشرين الثاني": 11,
    "تشرين ثاني": 11,
    "كانون الأول": 12,
    "كانون الاول": 12,
    "كانون أول": 12,
    "كانون اول": 12,
    "كانون ثاني": 1,
    # Egyptian / Gulf (transliterated) series and spelling variants
    "يناير": 1,
    "فبراير": 2,
    "فبراىر": 2,
    "مارس": 3,
    "أبريل": 4,
    "ابريل": 4,
    "إبريل": 4,
    "أبرىل": 4,
    "مايو": 5,
    "يونيو": 6,
    "يونيه": 6,
    "يوليو": 7,
    "يوليه": 7,
    "أغسطس": 8,
    "اغسطس": 8,
    "أغسطوس": 8,
    "آغسطس": 8,
    "سبتمبر": 9,
    "سبتمير": 9,
    "أكتوبر": 10,
    "اكتوبر": 10,
    "إكتوبر": 10,
    "نوفمبر": 11,
    "نونبر": 11,
    "ديسمبر": 12,
    "دجنبر": 12,
    # Maghreb
    "جانفي": 1,
    "فيفري": 2,
    "أفريل": 4,
    "افريل": 4,
    "ماي": 5,
    "جوان": 6,
    "جويلية": 7,
    "أوت": 8,
    "اوت": 8,
}
_MONTHS.update(_ARABIC_MONTHS)
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_M = rf"(?P<mon>{_MONTH_ALT})\.?(?:\s*/\s*(?:{_MONTH_ALT}))?"
_VISIBLE_PATTERNS = [
    # 2023-12-21, 2023/12/21, 2023.12.21
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"),
    # 21 December 2023, 28 آب/اغسطس 2013, 21st of Dec, 2023
    re.compile(
        rf"(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:of\s+)?[-\s]?{_M}(?!\w)"
        rf"[\s,،-]*(?P<y>(?:19|20)\d{{2}})(?!\d)",
        re.IGNORECASE,
    ),
    # December 21, 2023 / Dec. 21st 2023 / ديسمبر 21، 2023
    re.compile(
        rf"(?<!\w){_M}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[\s,،]+(?P<y>(?:19|20)\d{{2}})(?!\d)",
        re.IGNORECASE,
    ),
    # 21.12.2023, 21/12/2023, 12/21/2023 (day first unless that cannot be)
    re.compile(r"(?<!\d)(?P<a>\d{1,2})[./-](?P<b>\d{1,2})[./-](?P<y>(?:19|20)\d{2})(?!\d)"),
]
_TIME = re.compile(
    r"(?<!\d)(?P<H>\d{1,2})[:.](?P<M>\d{2})(?::(?P<S>\d{2}))?\s*"
    r"(?P<ampm>a\.?m\.?|p\.?m\.?|ص(?:باحا|باحاً)?|م(?:ساء|ساءً)?)?(?!\w)",
    re.IGNORECASE,
)
_TZ_OFFSET = re.compile(
    r"(?:GMT|UTC|غرينتش|جرينتش)?\s*(?P<off>[+-]\d{1,2}(?::?\d{2})?)(?!\d)"
    r"|(?P<name>(?<![A-Za-z])(?:GMT|UTC|[ECMP][SD]?T|BST|CES?T|UK)(?![A-Za-z]))"
    r"|(?P<ar>غرينتش|جرينتش)"
)
_TZ_NAMES = {
    "ET": "America/New_York",
    "EST": -5,
    "EDT": -4,
    "CT": "America/Chicago",
    "CST": -6,
    "CDT": -5,
    "MT": "America/Denver",
    "MST": -7,
    "MDT": -6,
    "PT": "America/Los_Angeles",
    "PST": -8,
    "PDT": -7,
    "GMT": 0,
    "UTC": 0,
    "BST": 1,
    "CET": 1,
    "CEST": 2,
    "UK": "Europe/London",
}
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")


def _find_day(text: str) -> tuple[date, int] | None:
    """The first written date in ``text`` (ASCII digits) and where its match ends."""
    found = _find_day_span(text)
    return (found[0], found[2]) if found else None


def _find_day_span(text: str) -> tuple[date, int, int] | None:
    """The first written date in ``text`` (ASCII digits), where its match starts and ends."""
    for i, pat in enumerate(_VISIBLE_PATTERNS):
        for m in pat.finditer(text):
            try:
                if i == 0:
                    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
                elif i in (1, 2):
                    y, mo, d = int(m["y"]), _MONTHS[m["mon"].lower().rstrip(".")], int(m["d"])
                else:
                    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
                    us_order = not _ARABIC_LETTER.search(text) and "/" in m.group(0)
                    if a > 12 or (b <= 12 and not us_order):
                        d, mo = a, b
                    else:
                        mo, d = a, b
                return date(y, mo, d), m.start(), m.end()
            except (KeyError, ValueError):
                continue
    return None


def _visible_text(text: str) -> str:
    return to_ascii_digits(str(text)).replace("\u0640", "")  # tatweel


def parse_visible_date(text: str | None, default_tz: str | None = None) -> datetime | None:
    """The first date written in ``text`` (a dateline, a timestamp label), to aware UTC.

    A time next to the date is used when present ("1:00 PM ET", "14:00 (GMT+0400)",
    "٢:٣٠ م"); without an offset or zone name the time is read in ``default_tz`` (else UTC).
    A date without a time becomes midnight UTC of that calendar day.
    """
    if not text:
        return None
    s = _visible_text(text)
    found = _find_day_span(s)
    if found is None:
        return None
    day, start, end = found
    return _with_time(day, _time_text(s, start, end), default_tz)


def _time_text(s: str, start: int, end: int) -> str:
    """Where the time of a dateline is: right after the date ("December 19, 2023 8:00 PM
    EST"), else right before it ("Published 8:00 PM EST, Tue December 19, 2023")."""
    after = s[end : end + 60]
    if _TIME.search(after):
        return after
    before = s[max(0, start - 40) : start]
    return before if _TIME.search(before) else after


def _with_time(day: date, rest: str, default_tz: str | None) -> datetime:
    t = _TIME.search(rest)
    if not t:
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    hour, minute, second = int(t["H"]), int(t["M"]), int(t["S"] or 0)
    ampm = (t["ampm"] or "").lower().replace(".", "")
    if ampm in ("pm", "م", "مساء", "مساءً") and hour < 12:
        hour += 12
    elif ampm in ("am", "ص", "صباحا", "صباحاً") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    naive = datetime(day.year, day.month, day.day, hour, minute, second)
    tz: tzinfo = zone(default_tz)
    z = _TZ_OFFSET.search(rest[t.end() : t.end() + 25])
    if z and z["off"]:
        off = z["off"]
        sign, digits = off[0], off[1:].replace(":", "")
        digits = digits.zfill(2) if len(digits) <= 2 else digits.zfill(4)
        tz = _offset(sign + digits)
    elif z and z["name"]:
        named = _TZ_NAMES.get(z["name"].upper())
        if isinstance(named, int):
            tz = _offset(f"{'+' if named >= 0 else '-'}{abs(named):02d}00")
        elif isinstance(named, str):
            tz = zone(named)
    elif z and z["ar"]:
        tz = UTC
    return _to_utc(naive.replace(tzinfo=tz)) or datetime(day.year, day.month, day.day, tzinfo=UTC)


def parse_date_value(
    value: str | int | float | None, default_tz: str | None = None
) -> datetime | None:
    """A metadata date value (meta tag, JSON-LD, ``<time datetime>``) to aware UTC.

    Like :func:`parse_datetime`, but a bare calendar date ("2023-12-17") stays on its day
    (midnight UTC) instead of being read as local midnight, and free-form values ("Dec 21,
    2023 1:00 PM") go through :func:`parse_visible_date`.
    """
    if isinstance(value, str):
        text = to_ascii_digits(value).strip()
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
        if m:
            try:
                return datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=UTC)
            except ValueError:
                return None
    return parse_datetime(value, default_tz) or (
        parse_visible_date(value, default_tz) if isinstance(value, str) else None
    )


_WRITTEN_ISO = re.compile(r"^\s*(?P<y>(?:19|20)\d{2})-?(?P<m>\d{2})-?(?P<d>\d{2})(?:[T\s]|$)")


def written_day(value: str | int | float | None) -> date | None:
    """The calendar day as the value writes it, before any time-zone conversion.

    "2023-12-19T20:00:00-05:00" is the 19th even though it is the 20th in UTC; Unix
    timestamps carry no local day (None).
    """
    if value is None or isinstance(value, int | float):
        return None
    text = to_ascii_digits(str(value)).strip()
    if re.fullmatch(r"\d{10}(\d{3})?", text):
        return None
    m = _WRITTEN_ISO.match(text)
    if m:
        try:
            return date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            return None
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return parsed.date()
    found = _find_day(_visible_text(text))  # the day as written; only a time would move
    return found[0] if found else None


def has_time(text: str) -> bool:
    """Whether a dateline shows a time of day next to its date."""
    s = _visible_text(text)
    found = _find_day_span(s)
    return bool(found and _TIME.search(_time_text(s, found[1], found[2])))
