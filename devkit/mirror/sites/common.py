# ruff: noqa: E501 - Cloudflare's interstitial keeps its long lines
"""What every mirrored site shares: the request/response types, publication-time planning,
post ids, slugs, date signals, Cloudflare's challenge page and small HTML helpers."""

from __future__ import annotations

import hashlib
import html
import random
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from urllib.parse import quote

from devkit.mirror.catalog import BOGUS_DATE, MirrorPage, Plan
from devkit.mirror.prose import AR_MONTHS, EN_MONTHS

# ---- HTTP ------------------------------------------------------------------------------------


@dataclass
class Request:
    """What a site sees of one HTTP request (the Host already matched)."""

    method: str
    host: str
    path: str  # raw path as sent, percent-encoding untouched
    query: str  # raw query string, without "?"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes = b""
    stream: Callable[[], Iterator[bytes]] | None = None  # a large body, sent in chunks
    length: int | None = None  # the streamed body's total size

    @property
    def content_length(self) -> int:
        return (
            self.length if self.stream is not None and self.length is not None else len(self.body)
        )


Handler = Callable[[Request], Response]


def html_response(
    text: str, status: int = 200, *, charset: str = "UTF-8", headers: Sequence[tuple[str, str]] = ()
) -> Response:
    body = text.encode(charset, "xmlcharrefreplace")
    return Response(status, [("Content-Type", f"text/html; charset={charset}"), *headers], body)


def text_response(text: str, status: int = 200) -> Response:
    return Response(status, [("Content-Type", "text/plain; charset=utf-8")], text.encode())


def xml_response(text: str, content_type: str = "application/xml; charset=UTF-8") -> Response:
    return Response(200, [("Content-Type", content_type)], text.encode())


def redirect(location: str, status: int = 301) -> Response:
    return Response(status, [("Location", location), ("Content-Type", "text/html; charset=UTF-8")])


def robots_txt(*lines: str) -> Response:
    return text_response("\n".join(lines) + "\n")


def to_host(origin: str) -> Handler:
    """Answer every request with a 301 to the same path on ``origin`` (bare domain -> www)."""
    return lambda req: redirect(origin + req.path + (f"?{req.query}" if req.query else ""))


def bad_host(host: str) -> Response:
    return text_response(f"502 Bad Gateway: the mirror serves no site for host {host!r}\n", 502)


# ---- publication times -------------------------------------------------------------------------


@dataclass(frozen=True)
class Rhythm:
    """How an outlet publishes: articles per local day (at volume 1) and where the edges fall."""

    rate: float
    quiet: tuple[int, ...] = ()  # weekdays (0 = Monday) with 60% of the volume
    busy: tuple[int, ...] = ()  # days before the anchor with twice the volume (big news)
    crossing: float = 1.0  # share of days with a post whose UTC day is not its local day
    late: float = 0.3  # share of days with a post in the half hour before local midnight


@dataclass(frozen=True)
class Slot:
    """One publication: ``k`` local days before the anchor, at ``local`` time."""

    k: int
    local: datetime  # aware, in the site's zone
    kind: str  # "day" (06:00-22:45), "crossing" (another UTC day), "late" (23:30-23:55)

    @property
    def utc(self) -> datetime:
        return self.local.astimezone(UTC)

    @property
    def day(self) -> date:
        return self.local.date()


def plan_slots(
    key: str, plan: Plan, tz: tzinfo, rhythm: Rhythm, reserve: Mapping[int, int] = {}
) -> list[Slot]:
    """Publication times, newest local day first. Each day's times come from its own random
    stream (``key`` and the date), so a longer span only adds older days.

    ``reserve[k]``: ordinary ("day") slots day ``k`` must have at least, for its traps.
    """
    out: list[Slot] = []
    for k in range(plan.days):
        day = plan.anchor - timedelta(days=k)
        rng = stable_rng(key, plan.volume, day.isoformat())
        mean = rhythm.rate * plan.volume
        mean *= (0.6 if day.weekday() in rhythm.quiet else 1) * (2 if k in rhythm.busy else 1)
        n = max(1, int(mean) + (rng.random() < mean % 1))
        special: list[tuple[int, str]] = []
        if rng.random() < rhythm.crossing and (m := _crossing_minute(rng, day, tz)) is not None:
            special.append((m, "crossing"))
        if rng.random() < rhythm.late and n > len(special) + reserve.get(k, 0):
            special.append((rng.randint(23 * 60 + 30, 23 * 60 + 55), "late"))
        normal = max(n - len(special), reserve.get(k, 0))
        gap = max(1, min(20, 1000 // (normal + 1)))
        minutes: list[int] = []
        while len(minutes) < normal:
            cand = rng.randint(6 * 60, 22 * 60 + 45)
            if all(abs(cand - x) >= gap for x in minutes):
                minutes.append(cand)
        chosen = [(m, "day") for m in minutes] + special
        for m, kind in sorted(chosen):
            local = datetime.combine(day, time(m // 60, m % 60, rng.randint(0, 59)), tz)
            out.append(Slot(k, local, kind))
    return out


def _crossing_minute(rng: random.Random, day: date, tz: tzinfo) -> int | None:
    """A local minute of ``day`` that falls on another UTC day (None in a UTC+0 zone)."""
    offset = tz.utcoffset(datetime.combine(day, time(12)))
    hours = int(offset.total_seconds() // 3600) if offset else 0
    if hours > 0:  # east of Greenwich: just after local midnight is the UTC day before
        return rng.randint(5, hours * 60 - 10)
    if hours < 0:  # west: the local evening is the next UTC day
        return rng.randint(24 * 60 + hours * 60 + 10, 24 * 60 - 5)
    return None


def take(slots: list[Slot], k: int, taken: set[int]) -> int | None:
    """Index of the first free ordinary slot on day ``k`` (for a trap), moved into local
    working hours so that its UTC day is its local day; None past the span."""
    for i, s in enumerate(slots):
        if s.k == k and s.kind == "day" and i not in taken:
            taken.add(i)
            if s.utc.date() != s.day:
                slots[i] = Slot(k, s.local.replace(hour=9 + s.local.hour % 8), "day")
            return i
    return None


def midday(slot: Slot) -> Slot:
    """The slot moved to local midday (its local, UTC and listed days all agree)."""
    return Slot(slot.k, slot.local.replace(hour=12, minute=slot.local.minute % 50), "day")


EPOCH = date(2020, 1, 1)


def post_ids(slots: Sequence[Slot], floor: int, per_day: int) -> list[int]:
    """Ids increasing with publication: each local day owns ``per_day`` ids after ``floor``."""
    by_day: dict[date, list[int]] = {}
    for i, s in enumerate(slots):
        by_day.setdefault(s.day, []).append(i)
    ids = [0] * len(slots)
    for day, members in by_day.items():
        members.sort(key=lambda i: slots[i].local)
        step = per_day // (len(members) + 1)
        base = floor + (day - EPOCH).days * per_day
        rng = stable_rng("ids", floor, day.isoformat())
        for rank, i in enumerate(members):
            ids[i] = base + rank * step + rng.randint(1, max(1, step // 2))
    return ids


def stable_rng(*parts: object) -> random.Random:
    """A Random seeded from a string (deterministic across processes)."""
    return random.Random(":".join(str(p) for p in parts))


def short_hash(*parts: object, n: int = 16) -> str:
    return hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()[:n]


# ---- date signals on a page -------------------------------------------------------------------


def shown(
    page: MirrorPage, when: datetime, fmt: Callable[[datetime], str], bogus: str = ""
) -> str | None:
    """What ``page`` prints for the instant ``when``: ``fmt(when)``; the zero date on a
    bogus-date page; None (leave the element out) on an undated one (``no_dates`` fault)."""
    if page.dates == "none":
        return None
    if page.dates == "bogus":
        return bogus or BOGUS_DATE
    return fmt(when)


def iso(dt: datetime) -> str:
    """ISO 8601 with a colon offset, to the second (``2026-11-20T13:19:05+03:00``)."""
    return dt.replace(microsecond=0).isoformat()


# ---- slugs and text ----------------------------------------------------------------------------

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_AR_PUNCT = re.compile(r"[“”\"'«»،؛؟!?.,:;()\[\]{}…–—/\\|]+")
_PCT = re.compile(r"%[0-9a-fA-F]{2}")
_STOP = {"a", "an", "the", "of", "to", "in", "on", "as", "for", "and", "at", "by", "with"}


def ascii_slug(title: str, limit: int = 80, drop_stop_words: bool = False) -> str:
    """WordPress-like ASCII slug: lower case, other characters become one hyphen."""
    words = _NON_SLUG.sub(" ", title.lower().replace("’", "").replace("'", "")).split()
    if drop_stop_words:
        words = [w for w in words if w not in _STOP][:7]
    slug = "-".join(words)
    return slug if len(slug) <= limit else slug[:limit].rsplit("-", 1)[0]


def arabic_slug(title: str, limit: int = 200) -> str:
    """The lower-case percent-encoded slug WordPress makes of an Arabic title, cut at a
    character boundary to stay within ``limit`` characters (``utf8_uri_encode``)."""
    decoded = "-".join(_AR_PUNCT.sub(" ", title.replace("ـ", "")).split())
    encoded = ""
    for ch in decoded:
        piece = quote(ch, safe="-").lower()
        if len(encoded) + len(piece) > limit:
            break
        encoded += piece
    return encoded.strip("-")


def unique_url(url: str, taken: set[str]) -> str:
    """``url`` (a permalink ending in ``/``) made unique the way WordPress makes a slug
    unique: ``…/slug-2/``, ``…/slug-3/`` when it is taken. Spans of a few weeks never need it;
    over months the prose banks run out of fresh titles and slugs cut to a length repeat."""
    out, n = url, 2
    while out in taken:
        out = f"{url[:-1]}-{n}/"
        n += 1
    taken.add(out)
    return out


def upper_pct(url: str) -> str:
    """The same URL with upper-case escapes (``%d8%a7`` -> ``%D8%A7``)."""
    return _PCT.sub(lambda m: m.group(0).upper(), url)


def lower_pct(url: str) -> str:
    return _PCT.sub(lambda m: m.group(0).lower(), url)


def esc(text: str) -> str:
    """Escape text content (quotes left alone, as WordPress prints them)."""
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def excerpt(paragraphs: Sequence[str], words: int = 40) -> str:
    return " ".join(" ".join(paragraphs).split()[:words])


AR_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def display_date(lang: str, d: date, indic: bool = False) -> str:
    """ "November 20, 2026" / "20 نوفمبر، 2026" (Arabic-Indic digits with ``indic``)."""
    if lang == "ar":
        text = f"{d.day} {AR_MONTHS[d.month - 1]}، {d.year}"
        return text.translate(AR_DIGITS) if indic else text
    return f"{EN_MONTHS[d.month - 1]} {d.day}, {d.year}"


# ---- Cloudflare --------------------------------------------------------------------------------


def cloudflare_challenge(host: str, status: int, seed: str) -> Response:
    """Cloudflare's managed-challenge interstitial ("Just a moment..."), any status."""
    ray, nonce = short_hash("ray", seed), short_hash("nonce", seed, n=8)
    page = f"""<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta name="robots" content="noindex,nofollow"><meta name="viewport" content="width=device-width,initial-scale=1"><meta http-equiv="refresh" content="390"></head><body class="no-js"><div class="main-wrapper" role="main"><div class="main-content"><h1 class="zone-name-title h1">{host}</h1><h2 class="h2" id="challenge-running">Checking your browser before accessing {host}.</h2><noscript><div id="challenge-error-title"><div class="h2"><span id="challenge-error-text">Enable JavaScript and cookies to continue</span></div></div></noscript><div id="challenge-body-text" class="core-msg spacer">{host} needs to review the security of your connection before proceeding.</div><form id="challenge-form" action="/?__cf_chl_f_tk={nonce}" method="POST" enctype="application/x-www-form-urlencoded"><input type="hidden" name="md" value="{short_hash("md", seed, n=40)}"></form></div></div><script>(function(){{window._cf_chl_opt={{cvId: '3',cZone: "{host}",cType: 'managed',cNounce: '{nonce}',cRay: '{ray}',cHash: '{short_hash("h", seed)}'}};var cpo = document.createElement('script');cpo.src = '/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray={ray}';document.getElementsByTagName('head')[0].appendChild(cpo);}}());</script><div class="footer" role="contentinfo"><div class="ray-id">Ray ID: <code>{ray}</code></div><div class="text-center" id="footer-text">Performance &amp; security by <a rel="noopener noreferrer" href="https://www.cloudflare.com?utm_source=challenge&amp;utm_campaign=m" target="_blank">Cloudflare</a></div></div></body></html>"""
    headers = [
        ("Server", "cloudflare"),
        ("CF-RAY", f"{ray}-FRA"),
        ("cf-mitigated", "challenge"),
        ("Cache-Control", "private, max-age=0, no-store, no-cache, must-revalidate"),
    ]
    return html_response(page, status, headers=headers)
