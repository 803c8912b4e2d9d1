# ruff: noqa: E501 - verbatim third-party markup (Cloudflare) keeps its long lines
"""Pieces every mirrored site uses: the response type, time planning, Cloudflare's challenge
page, robots.txt, and small HTML helpers."""

from __future__ import annotations

import base64
import hashlib
import html
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Protocol

from devkit.mirror.catalog import Catalog, MirrorPage

DAYS = 7  # the mirror publishes on the anchor day and the 6 days before it


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
    # A large body streamed in chunks; ``length`` is then its total size.
    stream: Callable[[], Iterator[bytes]] | None = None
    length: int | None = None

    @property
    def content_length(self) -> int:
        return (
            self.length if self.stream is not None and self.length is not None else len(self.body)
        )


class Site(Protocol):
    """A mirrored web site: one module under ``devkit.mirror.sites``."""

    name: str
    hosts: tuple[str, ...]

    def build(self, anchor: date, seed: int) -> list[tuple[MirrorPage, dict[str, object]]]:
        """Catalog entries (page, rendering extras) for this site; pure."""
        ...

    def mount(self, catalog: Catalog) -> Callable[[Request], Response]:
        """A request handler serving this site from ``catalog``."""
        ...


# ---- responses -----------------------------------------------------------------------------

HTML_UTF8 = "text/html; charset=UTF-8"


def html_response(
    text: str,
    status: int = 200,
    *,
    charset: str = "UTF-8",
    headers: Sequence[tuple[str, str]] = (),
    errors: str = "strict",
) -> Response:
    body = text.encode(charset, errors)
    return Response(status, [("Content-Type", f"text/html; charset={charset}"), *headers], body)


def text_response(
    text: str, status: int = 200, content_type: str = "text/plain; charset=utf-8"
) -> Response:
    return Response(status, [("Content-Type", content_type)], text.encode("utf-8"))


def xml_response(body: bytes, content_type: str = "application/xml; charset=UTF-8") -> Response:
    return Response(200, [("Content-Type", content_type)], body)


def redirect(location: str, status: int = 301) -> Response:
    return Response(status, [("Location", location), ("Content-Type", HTML_UTF8)], b"")


def robots_txt(lines: Sequence[str]) -> Response:
    return text_response("\n".join(lines) + "\n")


# ---- time ----------------------------------------------------------------------------------


def days_of(anchor: date) -> list[date]:
    """The mirror's local publishing days, oldest first."""
    return [anchor - timedelta(days=DAYS - 1 - i) for i in range(DAYS)]


@dataclass(frozen=True)
class Slot:
    """A publication time: the local day offset (0 = oldest day) and the UTC instant."""

    day: int
    local: datetime  # aware, in the site's offset
    edge: bool  # deliberately near a midnight (local or UTC)

    @property
    def utc(self) -> datetime:
        return self.local.astimezone(UTC)


def plan_slots(
    rng: random.Random,
    anchor: date,
    tz: timezone,
    counts: Sequence[int],
    edges: Mapping[int, Sequence[tuple[int, int]]],
) -> list[Slot]:
    """``counts[d]`` publication times on local day ``d``, the ``edges`` among them fixed.

    Ordinary times fall between 06:00 and 22:45 local, at least 20 minutes apart.
    Returned oldest first.
    """
    days = days_of(anchor)
    slots: list[Slot] = []
    for d, n in enumerate(counts):
        fixed = list(edges.get(d, ()))
        minutes: list[int] = [h * 60 + m for h, m in fixed]
        while len(minutes) < n:
            cand = rng.randint(6 * 60, 22 * 60 + 45)
            if all(abs(cand - x) >= 20 for x in minutes):
                minutes.append(cand)
        for i, mins in enumerate(minutes[:n]):
            local = datetime.combine(days[d], time(mins // 60, mins % 60), tz)
            local = local.replace(second=rng.randint(0, 59))
            slots.append(Slot(d, local, edge=i < len(fixed)))
    slots.sort(key=lambda s: s.local)
    return slots


def pick_slot(slots: Sequence[Slot], taken: set[int], day: int) -> int:
    """Index of the first free, non-edge slot on ``day`` (for placing a trap)."""
    for i, s in enumerate(slots):
        if s.day == day and not s.edge and i not in taken:
            taken.add(i)
            return i
    raise ValueError(f"no free slot on day {day}")


def post_ids(rng: random.Random, anchor: date, n: int, floor: int) -> list[int]:
    """``n`` increasing 6-digit WordPress post ids, drifting upward with the anchor date."""
    base = floor + (anchor.toordinal() % 4000) * 40
    ids, cur = [], base
    for _ in range(n):
        cur += rng.randint(3, 41)  # attachments and revisions take ids in between
        ids.append(cur)
    return ids


def stable_rng(*parts: object) -> random.Random:
    """A Random seeded from a string (deterministic across processes)."""
    return random.Random(":".join(str(p) for p in parts))


def short_hash(*parts: object, n: int = 16) -> str:
    return hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()[:n]


# ---- HTML ----------------------------------------------------------------------------------


def esc(text: str) -> str:
    """Escape text content (quotes left alone, as WordPress prints them)."""
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


# ---- Cloudflare ----------------------------------------------------------------------------


def cloudflare_challenge(host: str, status: int, ray_seed: str) -> Response:
    """Cloudflare's managed-challenge interstitial ("Just a moment...")."""
    ray = short_hash("ray", ray_seed)
    nonce = short_hash("nonce", ray_seed, n=8)
    ru = base64.b64encode(f"https://{host}/".encode()).decode()
    page = f"""<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta http-equiv="X-UA-Compatible" content="IE=Edge"><meta name="robots" content="noindex,nofollow"><meta name="viewport" content="width=device-width,initial-scale=1"><style>*{{box-sizing:border-box;margin:0;padding:0}}html{{line-height:1.15;-webkit-text-size-adjust:100%;color:#313131}}body{{display:flex;flex-direction:column;height:100vh;min-height:100vh}}.main-content{{margin:8rem auto;max-width:60rem;padding-left:1.5rem}}</style><meta http-equiv="refresh" content="390"></head><body class="no-js"><div class="main-wrapper" role="main"><div class="main-content"><h1 class="zone-name-title h1">{host}</h1><h2 class="h2" id="challenge-running">Checking your browser before accessing {host}.</h2><noscript><div id="challenge-error-title"><div class="h2"><span class="icon-wrapper"><div class="heading-icon warning-icon"></div></span><span id="challenge-error-text">Enable JavaScript and cookies to continue</span></div></div></noscript><div id="trk_jschal_js" style="display:none;background-image:url('/cdn-cgi/images/trace/managed/nojs/transparent.gif?ray={ray}')"></div><div id="challenge-body-text" class="core-msg spacer">{host} needs to review the security of your connection before proceeding.</div><form id="challenge-form" action="/?__cf_chl_f_tk={nonce}" method="POST" enctype="application/x-www-form-urlencoded"><input type="hidden" name="md" value="{short_hash("md", ray_seed, n=40)}"></form></div></div><script>(function(){{window._cf_chl_opt={{cvId: '3',cZone: "{host}",cType: 'managed',cNounce: '{nonce}',cRay: '{ray}',cHash: '{short_hash("h", ray_seed)}',cUPMDTk: "\\/?__cf_chl_tk={nonce}",cFPWv: 'g',cTTimeMs: '1000',cMTimeMs: '390000',cTplV: 5,cTplB: 'cf',cK: "",fa: "\\/?__cf_chl_f_tk={nonce}",md: "{short_hash("md2", ray_seed, n=40)}",cRq: {{ru: '{ru}',ra: 'TW96aWxsYS81LjA=',rm: 'R0VU',d: '{short_hash("d", ray_seed, n=32)}',t: 'MTc2MzYzNjQwMC4wMDAwMDA=',cT: Math.floor(Date.now() / 1000),m: '{short_hash("m", ray_seed, n=24)}',i1: '{short_hash("i1", ray_seed, n=12)}',i2: '{short_hash("i2", ray_seed, n=12)}',zh: '{short_hash("zh", ray_seed, n=24)}',uh: '{short_hash("uh", ray_seed, n=24)}',hh: '{short_hash("hh", ray_seed, n=24)}',}}}};var cpo = document.createElement('script');cpo.src = '/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray={ray}';window._cf_chl_opt.cOgUHash = location.hash === '' && location.href.indexOf('#') !== -1 ? '#' : location.hash;window._cf_chl_opt.cOgUQuery = location.search === '' && location.href.slice(0, location.href.length - window._cf_chl_opt.cOgUHash.length).indexOf('?') !== -1 ? '?' : location.search;if (window.history && window.history.replaceState) {{var ogU = location.pathname + window._cf_chl_opt.cOgUQuery + window._cf_chl_opt.cOgUHash;history.replaceState(null, null, "\\/?__cf_chl_rt_tk={nonce}" + window._cf_chl_opt.cOgUHash);cpo.onload = function() {{history.replaceState(null, null, ogU);}};}}document.getElementsByTagName('head')[0].appendChild(cpo);}}());</script><div class="footer" role="contentinfo"><div class="footer-inner"><div class="clearfix diagnostic-wrapper"><div class="ray-id">Ray ID: <code>{ray}</code></div></div><div class="text-center" id="footer-text">Performance &amp; security by <a rel="noopener noreferrer" href="https://www.cloudflare.com?utm_source=challenge&amp;utm_campaign=m" target="_blank">Cloudflare</a></div></div></div></body></html>"""
    headers = [
        ("Server", "cloudflare"),
        ("CF-RAY", f"{ray}-FRA"),
        ("cf-mitigated", "challenge"),
        (
            "Cache-Control",
            "private, max-age=0, no-store, no-cache, must-revalidate, post-check=0, pre-check=0",
        ),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("X-Frame-Options", "SAMEORIGIN"),
    ]
    return html_response(page, status, headers=headers)


def bad_host(host: str) -> Response:
    return text_response(f"502 Bad Gateway: the mirror serves no site for host {host!r}\n", 502)
