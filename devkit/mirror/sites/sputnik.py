# ruff: noqa: E501 - page, feed and sitemap markup is kept as the platform prints it
"""Sputnik Arabic (``sarabic.ae``) and Sputnik International (``sputnikglobe.com``): the
Rossiya Segodnya ("RIA") news platform, see OUTLETS.md.

- Article URL ``/YYYYMMDD/<slug>-<10-digit id>.html``; the date is the Moscow (UTC+3) day.
  Arabic slugs are percent-encoded: upper case in ``<link rel=canonical>``, feeds and sitemaps,
  lower case in the in-page "related" links (both spellings serve the page).
- Feed ``/export/rss2/archive/index.xml`` (the newest items; also on ``sputnikarabic.ae``).
  The English feed's links carry ``utm_*`` parameters. The Arabic feed lists one article a
  second time under the old domain ``arabic.sputniknews.com``, which answers every request
  with a 301 to ``sarabic.ae`` (the same article reachable by two URLs), and a radio programme
  page (``/radio_…/``, not an article).
- ``robots.txt`` points to ``/sitemap_article_index.xml``: one child per month, newest first,
  ``/sitemap_article.xml?date_start=YYYYMMDD&amp;date_end=YYYYMMDD``. The child endpoint
  serves ANY range, even one day (the ``sitemaps.ranged`` backfill route). Its dates are the
  site's own (Moscow) days, like the URLs: an article published at 00:40 Moscow time on the
  17th (21:40 UTC on the 16th) is listed for the 17th.
- Page (current layout): ``h1.article__title``; lead ``.article__announce-text``; body blocks
  ``.article__body .article__block[data-type=text] .article__text``, a quotation in a
  ``data-type=quote`` block, a photo (``data-type=media``, credit "- سبوتنيك عربي, 1920") and a
  "read also" card (``data-type=article``) between them; date in
  ``meta[property=article:published_time]`` in the compact form ``20261120T1319+0300``, in
  ``[data-unixtime]`` and in JSON-LD ``datePublished``; ``og:title`` ends
  `` - 20.11.2026, Sputnik عربي``; no author. The radio schedule (``00:00`` … ``23:00``,
  "مدار الليل والنهار", "بث مباشر") sits in the header, "تابعنا عبر" in the footer.
- Four Arabic articles use the OLD layout (before about 2021): ``div.b-article__text
  [itemprop=articleBody]`` with ``<p>`` paragraphs, ``<time itemprop=datePublished>`` without
  an offset (Moscow time), no JSON-LD and no compact meta date, and zero-width spaces (U+200B)
  at paragraph starts and after some spaces. The catalog's paragraphs are the text WITHOUT
  them (the extractor's ``normalise_line`` strips them; placed next to spaces, stripping never
  joins two words).
- Sputnik International answers the FIRST request for one article with ``429 Too Many
  Requests`` and ``Retry-After: 1`` (then 200): a polite crawler backs off and retries.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit
from xml.sax.saxutils import escape as xml_escape

from devkit.mirror.catalog import Catalog, MirrorPage
from devkit.mirror.prose import Beat, Composed, compose, rotation, unique_stories, weekday_name
from devkit.mirror.sites.common import (
    Request,
    Response,
    attr,
    esc,
    html_response,
    pick_slot,
    plan_slots,
    redirect,
    robots_txt,
    stable_rng,
    text_response,
    xml_response,
)
from devkit.mirror.sites.wordpress import json_ld, make_excerpt
from devkit.mirror.text import arabic_slug, ascii_slug, lower_pct, upper_pct
from devkit.mirror.text_ar import WORLD_AR
from devkit.mirror.text_ar import world_values as ar_values
from devkit.mirror.text_en import WORLD_EN
from devkit.mirror.text_en import world_values as en_values

name = "sputnik"
hosts = ("sarabic.ae", "sputnikarabic.ae", "arabic.sputniknews.com", "sputnikglobe.com")

MSK = timezone(timedelta(hours=3))
AR_ORIGIN = "https://sarabic.ae"
OLD_AR_ORIGIN = "https://arabic.sputniknews.com"
EN_ORIGIN = "https://sputnikglobe.com"
FEED_PATH = "/export/rss2/archive/index.xml"
RADIO_URL = f"{AR_ORIGIN}/radio_madar_allail_wa_alnahar/"


@dataclass(frozen=True)
class Edition:
    outlet: str
    origin: str
    lang: str
    site_name: str
    id_floor: int
    counts: tuple[int, ...]
    edges: dict[int, list[tuple[int, int]]]
    beats: tuple[Beat, ...]
    values: Callable[[Any, Beat], dict[str, object]]
    first_month: tuple[int, int]  # the oldest monthly child sitemap
    sections: dict[str, str]  # section name -> path segment
    feed_size: int


AR = Edition(
    outlet="sputnik_ar",
    origin=AR_ORIGIN,
    lang="ar",
    site_name="Sputnik عربي",
    id_floor=1_100_000_000,
    counts=(3, 3, 3, 3, 3, 3, 3),
    edges={
        0: [(1, 20)],  # 22:20 UTC the day before the first day: outside a 7-day UTC window
        3: [(0, 40)],  # 21:40 UTC on day 2: listed (and dated in its URL) under day 3
        5: [(23, 50)],  # 20:50 UTC, same day
        6: [(2, 10)],  # 23:10 UTC on day 5
    },
    beats=WORLD_AR,
    values=ar_values,
    first_month=(2014, 11),
    sections={
        "العالم العربي": "arab_world",
        "روسيا": "russia",
        "اقتصاد": "economy",
        "العالم": "world",
    },
    feed_size=20,
)
EN = Edition(
    outlet="sputnik_en",
    origin=EN_ORIGIN,
    lang="en",
    site_name="Sputnik International",
    id_floor=1_120_000_000,
    counts=(2, 2, 3, 2, 2, 2, 2),
    edges={
        0: [(0, 30)],  # 21:30 UTC the day before the first day: outside the window
        2: [(1, 5)],  # 22:05 UTC on day 1
        6: [(23, 40)],  # 20:40 UTC on the anchor day
    },
    beats=WORLD_EN,
    values=en_values,
    first_month=(2004, 9),
    sections={
        "World": "world",
        "Middle East": "middle_east",
        "Economy": "economy",
        "Russia": "russia",
    },
    feed_size=15,
)
EDITIONS = (AR, EN)
OLD_LAYOUT_AR = 4  # Arabic articles still on the pre-2021 template


# ---- catalog -------------------------------------------------------------------------------


def build(anchor: date, seed: int) -> list[tuple[MirrorPage, dict[str, object]]]:
    return _build_edition(AR, anchor, seed) + _build_edition(EN, anchor, seed)


def _ids(rng: Any, anchor: date, n: int, floor: int) -> list[int]:
    cur = floor + (anchor.toordinal() % 4000) * 30_000
    out = []
    for _ in range(n):
        cur += rng.randint(300, 9000)
        out.append(cur)
    return out


def _build_edition(
    ed: Edition, anchor: date, seed: int
) -> list[tuple[MirrorPage, dict[str, object]]]:
    rng = stable_rng(seed, ed.outlet)
    slots = [
        replace(s, local=s.local.replace(second=0))
        for s in plan_slots(rng, anchor, MSK, ed.counts, ed.edges)
    ]
    taken: set[int] = set()
    radio = pick_slot(slots, taken, 5) if ed.lang == "ar" else -1
    old_domain = pick_slot(slots, taken, 6) if ed.lang == "ar" else -1
    throttled = pick_slot(slots, taken, 3) if ed.lang == "en" else -1
    ids = _ids(rng, anchor, len(slots), ed.id_floor)

    beat_of = rotation(rng, ed.beats)

    def make(r: Any, i: int) -> Composed:
        beat = beat_of(i)
        values = ed.values(r, beat)
        values["weekday"] = weekday_name(ed.lang, slots[i].local)
        return compose(
            r, beat, values, details=(3, 5), paragraphs=(3, 5), with_quote=r.random() < 0.5
        )

    stories = unique_stories(rng, len(slots), make)
    out: list[tuple[MirrorPage, dict[str, object]]] = []
    n_stored = 0
    for i, (slot, art_id, story) in enumerate(zip(slots, ids, stories, strict=True)):
        if i == radio:
            page = MirrorPage(
                outlet=ed.outlet,
                url=RADIO_URL,
                alt_urls=(),
                published_at=slot.utc,
                modified_at=None,
                title="مدار الليل والنهار",
                paragraphs=(),
                language="ar",
                authors=(),
                section="راديو",
                expect="not_article",
            )
            out.append((page, {"kind": "radio"}))
            continue
        old = (
            ed.lang == "ar"
            and n_stored % 5 == 2
            and n_stored // 5 < OLD_LAYOUT_AR
            and i != old_domain
        )
        n_stored += 1
        if ed.lang == "ar":
            encoded = upper_pct(arabic_slug(story.title, limit=180)[1])
        else:
            encoded = ascii_slug(story.title, limit=90)
        path = f"/{slot.local:%Y%m%d}/{encoded}-{art_id}.html"
        url = ed.origin + path
        alt: list[str] = []
        if ed.lang == "ar":
            alt.append(lower_pct(url))
        else:
            alt.append(f"{url}?utm_source=rss&utm_medium=rss&utm_campaign=sputnik_rss")
        if i == old_domain:
            alt.append(OLD_AR_ORIGIN + path)
        quote_text = None if old else story.quote
        paragraphs = list(story.paragraphs)
        quote_at = 0
        if quote_text:
            quote_at = min(2, len(paragraphs))  # after the lead and one body paragraph
            paragraphs.insert(quote_at, quote_text)
        published = slot.utc
        modified = (
            published + timedelta(minutes=rng.randint(8, 180)) if rng.random() < 0.4 else None
        )
        page = MirrorPage(
            outlet=ed.outlet,
            url=url,
            alt_urls=tuple(alt),
            published_at=published,
            modified_at=modified,
            title=story.title,
            paragraphs=tuple(paragraphs),
            language=ed.lang,
            authors=(),
            section=story.section,
            expect="stored",
        )
        extra: dict[str, object] = {
            "id": art_id,
            "layout": "old" if old else "current",
            "tags": story.tags,
            "quote_at": quote_at if quote_text else None,
            "media_at": rng.randint(1, max(1, len(paragraphs) - 1)),
            "related_at": rng.randint(2, max(2, len(paragraphs))),
            "photographer": rng.choice(
                (
                    "Mikhail Voskresensky",
                    "Ramil Sitdikov",
                    "Alexei Druzhinin",
                    "Iliya Pitalev",
                    "Sergey Guneev",
                )
            ),
            "old_domain": i == old_domain,
            "throttle_first": i == throttled,
        }
        out.append((page, extra))
    return out


# ---- serving -------------------------------------------------------------------------------


@dataclass
class Article:
    page: MirrorPage
    extra: dict[str, Any]
    local: datetime

    @property
    def url(self) -> str:
        return self.page.url

    @property
    def path(self) -> str:
        return unquote(urlsplit(self.page.url).path)


class RiaSite:
    """One Sputnik edition served from the catalog."""

    def __init__(self, ed: Edition, catalog: Catalog) -> None:
        self.ed = ed
        self.anchor = catalog.anchor
        self.articles: list[Article] = []
        self.specials: list[MirrorPage] = []
        for page in catalog.for_outlet(ed.outlet):
            if page.expect == "not_article":
                self.specials.append(page)
                continue
            self.articles.append(
                Article(page, dict(catalog.extra(page)), page.published_at.astimezone(MSK))
            )
        self.articles.sort(key=lambda a: a.local, reverse=True)  # newest first
        self.by_path = {a.path: a for a in self.articles}
        self._lock = threading.Lock()
        self._throttled: set[str] = set()

    # ---- routing -----------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        path = unquote(req.path)
        if path == "/robots.txt":
            return robots_txt(
                [
                    "User-agent: *",
                    "Disallow: /search/",
                    "Disallow: /services/",
                    "Disallow: /*?*share=",
                    "",
                    f"Sitemap: {self.ed.origin}/sitemap_article_index.xml",
                ]
            )
        if path == FEED_PATH:
            return xml_response(self.feed_xml(), "application/rss+xml; charset=utf-8")
        if path == "/sitemap_article_index.xml":
            return xml_response(self.sitemap_index())
        if path == "/sitemap_article.xml":
            return self.sitemap_range(req.query)
        article = self.by_path.get(path)
        if article is not None:
            return self.article_response(article)
        if path == "/":
            return html_response(self.listing(self.ed.site_name, self.articles[:20]))
        for section, segment in self.ed.sections.items():
            if path == f"/{segment}/":
                return html_response(
                    self.listing(section, [a for a in self.articles if a.page.section == section])
                )
        if path.startswith("/tags/"):
            return html_response(self.listing(path.strip("/").split("/")[-1], self.articles[:10]))
        for special in self.specials:
            if urlsplit(special.url).path == path:
                return html_response(self.radio_page(special))
        return html_response(self.not_found(), 404)

    # ---- feed and sitemaps -------------------------------------------------------------
    def feed_links(self, a: Article) -> list[str]:
        if self.ed.lang == "en":
            return [a.page.alt_urls[0]]  # the utm_* spelling
        links = [a.url]
        links += [u for u in a.page.alt_urls if u.startswith(OLD_AR_ORIGIN)]
        return links

    def feed_xml(self) -> bytes:
        entries: list[tuple[datetime, str]] = []
        for a in self.articles:
            for link in self.feed_links(a):
                entries.append((a.page.published_at, self._feed_item(a, link)))
        for s in self.specials:
            entries.append(
                (
                    s.published_at,
                    f"""<item><title>{xml_escape(s.title)}</title><link>{xml_escape(s.url)}</link><guid>{xml_escape(s.url)}</guid><pubDate>{_rss_date(s.published_at)}</pubDate><description><![CDATA[برنامج إذاعي يومي على راديو سبوتنيك]]></description><category>راديو</category></item>
""",
                )
            )
        entries.sort(key=lambda e: e[0], reverse=True)
        items = "".join(e[1] for e in entries[: self.ed.feed_size])
        newest = max(a.page.published_at for a in self.articles)
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>{xml_escape(self.ed.site_name)}</title><link>{self.ed.origin}/</link><description>{xml_escape(self.ed.site_name)}</description><language>{self.ed.lang}</language><copyright>{xml_escape(self.ed.site_name)}</copyright><lastBuildDate>{_rss_date(newest)}</lastBuildDate><ttl>60</ttl><image><url>{self.ed.origin}/i/logo/logo-rss.png</url><title>{xml_escape(self.ed.site_name)}</title><link>{self.ed.origin}/</link></image>
{items}</channel></rss>
""".encode()

    def _feed_item(self, a: Article, link: str) -> str:
        lead = a.page.paragraphs[0] if a.page.paragraphs else a.page.title
        return (
            f"<item><title>{xml_escape(a.page.title)}</title><link>{xml_escape(link)}</link>"
            f"<guid>{xml_escape(a.url)}</guid><pubDate>{_rss_date(a.page.published_at)}</pubDate>"
            f"<description><![CDATA[{lead}]]></description>"
            f"<category>{xml_escape(a.page.section or '')}</category>"
            f'<enclosure url="https://cdn.sputnikarabic.ae/img/{a.extra["id"] % 997}/{a.extra["id"]}_0:0:1920:1080_1920x0_80_0_0.jpg" type="image/jpeg" length="0"/>'
            if self.ed.lang == "ar"
            else f"<item><title>{xml_escape(a.page.title)}</title><link>{xml_escape(link)}</link>"
            f"<guid>{xml_escape(a.url)}</guid><pubDate>{_rss_date(a.page.published_at)}</pubDate>"
            f"<description><![CDATA[{lead}]]></description>"
            f"<category>{xml_escape(a.page.section or '')}</category>"
            f'<enclosure url="https://cdn1.img.sputnikglobe.com/img/{a.extra["id"] % 997}/{a.extra["id"]}_0:0:1920:1080_1920x0_80_0_0.jpg" type="image/jpeg" length="0"/>'
        ) + "</item>\n"

    def sitemap_index(self) -> bytes:
        months = []
        y, m = self.anchor.year, self.anchor.month
        while (y, m) >= self.ed.first_month:
            months.append((y, m))
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
        rows = "".join(
            f"<sitemap><loc>{self.ed.origin}/sitemap_article.xml?date_start={y:04d}{m:02d}01"
            f"&amp;date_end={y:04d}{m:02d}{_month_days(y, m):02d}</loc></sitemap>"
            for y, m in months
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</sitemapindex>\n'
        ).encode()

    def sitemap_range(self, query: str) -> Response:
        params = parse_qs(query)
        try:
            first = _ymd(params["date_start"][0])
            last = _ymd(params["date_end"][0])
        except (KeyError, ValueError, IndexError):
            return text_response(
                "Bad Request: date_start and date_end (YYYYMMDD) are required\n", 400
            )
        chosen = [a for a in self.articles if first <= a.local.date() <= last]
        rows = "".join(
            f"<url><loc>{xml_escape(a.url)}</loc><lastmod>"
            f"{_iso_min(a.page.modified_at or a.page.published_at)}</lastmod>"
            f"<changefreq>monthly</changefreq><priority>0.8</priority><image:image><image:loc>"
            f"{self._image(a)}</image:loc></image:image></url>"
            for a in chosen
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<urlset '
            'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">'
            f"{rows}</urlset>\n"
        )
        return xml_response(body.encode())

    def _image(self, a: Article) -> str:
        host = "cdn.sputnikarabic.ae" if self.ed.lang == "ar" else "cdn1.img.sputnikglobe.com"
        return f"https://{host}/img/{a.extra['id'] % 997}/{a.extra['id']}_0:0:1920:1080_1920x0_80_0_0.jpg"

    # ---- pages -------------------------------------------------------------------------
    def article_response(self, a: Article) -> Response:
        if a.extra.get("throttle_first"):
            with self._lock:
                first = a.path not in self._throttled
                self._throttled.add(a.path)
            if first:
                return Response(
                    429,
                    [("Content-Type", "text/html; charset=utf-8"), ("Retry-After", "1")],
                    b"<html><head><title>429 Too Many Requests</title></head><body>"
                    b"<center><h1>429 Too Many Requests</h1></center><hr>"
                    b"<center>nginx</center></body></html>\n",
                )
        text = self.old_article(a) if a.extra.get("layout") == "old" else self.current_article(a)
        return html_response(
            text, charset="utf-8", headers=[("Cache-Control", "public, max-age=60")]
        )

    def _labels(self) -> dict[str, str]:
        if self.ed.lang == "ar":
            return {
                "live": "بث مباشر",
                "follow": "تابعنا عبر",
                "also": "اقرأ أيضا",
                "latest": "آخر الأخبار",
                "tags": "الكلمات الدالة",
                "home": "الرئيسية",
                "credit": "- سبوتنيك عربي, 1920",
                "updated": "مُحدثة",
                "share": "مشاركة",
                "radio": "راديو",
            }
        return {
            "live": "Live",
            "follow": "Follow us on",
            "also": "Also read",
            "latest": "Latest news",
            "tags": "Tags",
            "home": "Home",
            "credit": "- Sputnik International, 1920",
            "updated": "Updated",
            "share": "Share",
            "radio": "Radio",
        }

    def _head(self, title: str, extra: str) -> str:
        lang = 'lang="ar" dir="rtl"' if self.ed.lang == "ar" else 'lang="en"'
        return f"""<!DOCTYPE html>
<html {lang} prefix="og: http://ogp.me/ns# article: http://ogp.me/ns/article#">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1.0, minimum-scale=1.0">
<title>{esc(title)}</title>
{extra}<link rel="stylesheet" href="{self.ed.origin}/css/common.min.css?9e1a2f3b">
<link rel="alternate" type="application/rss+xml" href="{self.ed.origin}{FEED_PATH}">
<script>window.ria = window.ria || {{}}; ria.site = "{self.ed.outlet}"; ria.lang = "{self.ed.lang}";</script>
</head>
"""

    def _radio(self) -> str:
        names_ar = (
            "مدار الليل والنهار",
            "نشرة الأخبار",
            "البعد الآخر",
            "عالم سبوتنيك",
            "حول العالم",
            "بين السطور",
        )
        names_en = (
            "News Bulletin",
            "Fault Lines",
            "The Critical Hour",
            "The Backstory",
            "Political Misfits",
            "Sputnik Newsroom",
        )
        names = names_ar if self.ed.lang == "ar" else names_en
        rows = "".join(
            f'<li class="radio-schedule__item"><span class="radio-schedule__time">{h:02d}:00</span>'
            f'<span class="radio-schedule__name">{esc(names[h % len(names)])}</span></li>'
            for h in range(24)
        )
        labels = self._labels()
        return (
            f'<div class="radio-schedule" data-section="radio"><a class="radio-schedule__live" '
            f'href="{self.ed.origin}/radio/">{labels["live"]}</a><div class="radio-schedule__now">'
            f'{esc(names[0])}</div><ul class="radio-schedule__list">{rows}</ul></div>'
        )

    def _header(self) -> str:
        nav = "".join(
            f'<li class="nav__item"><a class="nav__link" href="{self.ed.origin}/{seg}/">'
            f"{esc(sec)}</a></li>"
            for sec, seg in self.ed.sections.items()
        )
        labels = self._labels()
        return f"""<header class="header"><div class="header__logo"><a href="{self.ed.origin}/"><img src="{self.ed.origin}/i/logo/logo.svg" alt="{attr(self.ed.site_name)}"></a></div>
<nav class="nav"><ul class="nav__list"><li class="nav__item"><a class="nav__link" href="{self.ed.origin}/">{labels["home"]}</a></li>{nav}<li class="nav__item"><a class="nav__link" href="{self.ed.origin}/radio/">{labels["radio"]}</a></li></ul></nav>
{self._radio()}</header>
"""

    def _footer(self) -> str:
        labels = self._labels()
        social = "".join(
            f'<li class="footer__social-item"><a href="{href}" target="_blank" rel="noopener">{label}</a></li>'
            for label, href in (
                ("Telegram", "https://t.me/sputnik"),
                ("X", "https://x.com/sputnik"),
                ("Facebook", "https://www.facebook.com/sputnik"),
                ("YouTube", "https://www.youtube.com/sputnik"),
            )
        )
        year = self.anchor.year
        return f"""<footer class="footer"><div class="footer__social"><div class="footer__social-title">{labels["follow"]}</div><ul class="footer__social-list">{social}</ul></div>
<div class="footer__copyright">© {year} {esc(self.ed.site_name)}</div></footer>
"""

    def _latest(self, exclude: str | None = None) -> str:
        rows = "".join(
            f'<li class="list__item"><a class="list__title" href="{attr(a.url)}">{esc(a.page.title)}</a>'
            f'<div class="list__date" data-unixtime="{int(a.page.published_at.timestamp())}">'
            f"{a.local:%H:%M}</div></li>"
            for a in self.articles[:8]
            if a.url != exclude
        )
        return (
            f'<div class="sidebar"><div class="sidebar__title">{self._labels()["latest"]}</div>'
            f'<ul class="list">{rows}</ul></div>'
        )

    def _meta(self, a: Article, compact_dates: bool) -> str:
        page = a.page
        og_title = f"{page.title} - {a.local:%d.%m.%Y}, {self.ed.site_name}"
        desc = make_excerpt(page.paragraphs[:1], 40)
        lines = [
            f'<meta name="description" content="{attr(desc)}">',
            f'<link rel="canonical" href="{attr(page.url)}">',
            f'<meta property="og:title" content="{attr(og_title)}">',
            f'<meta property="og:description" content="{attr(desc)}">',
            f'<meta property="og:url" content="{attr(page.url)}">',
            '<meta property="og:type" content="article">',
            f'<meta property="og:site_name" content="{attr(self.ed.site_name)}">',
            f'<meta property="og:image" content="{self._image(a)}">',
            f'<meta name="twitter:title" content="{attr(og_title)}">',
        ]
        if compact_dates:
            lines.append(
                f'<meta property="article:published_time" content="{_compact(page.published_at)}">'
            )
            if page.modified_at:
                lines.append(
                    f'<meta property="article:modified_time" content="{_compact(page.modified_at)}">'
                )
            lines.append(f'<meta property="article:section" content="{attr(page.section or "")}">')
            ld = {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "mainEntityOfPage": {"@type": "WebPage", "@id": page.url},
                "headline": page.title,
                "name": page.title,
                "description": desc,
                "datePublished": _iso_min(page.published_at),
                "dateModified": _iso_min(page.modified_at or page.published_at),
                "image": [self._image(a)],
                "inLanguage": self.ed.lang,
                "articleSection": page.section,
                "publisher": {
                    "@type": "Organization",
                    "name": self.ed.site_name,
                    "logo": {
                        "@type": "ImageObject",
                        "url": f"{self.ed.origin}/i/logo/logo-social.png",
                    },
                },
            }
            lines.append(f'<script type="application/ld+json">{json_ld(ld)}</script>')
        return "\n".join(lines) + "\n"

    def _related(self, a: Article) -> Article:
        others = [o for o in self.articles if o.url != a.url]
        return others[stable_rng("related", a.url).randrange(len(others))]

    def current_article(self, a: Article) -> str:
        page, extra = a.page, a.extra
        labels = self._labels()
        paras = list(page.paragraphs)
        lead, body = paras[0], paras[1:]
        quote_at = extra.get("quote_at")
        blocks: list[str] = []
        for i, p in enumerate(body, start=1):
            if i == extra.get("media_at"):
                blocks.append(
                    f'<div class="article__block" data-type="media"><div class="media" data-media-type="ar16x9">'
                    f'<div class="media__size"><img src="{self._image(a)}" alt="{attr(page.title)}"></div>'
                    f'<div class="media__copyright"><div class="media__copyright-item m-copyright">© Sputnik . {esc(str(extra["photographer"]))}</div>'
                    f'<div class="media__copyright-item m-buy">{labels["credit"]}</div></div></div></div>'
                )
            if i == extra.get("related_at"):
                rel = self._related(a)
                blocks.append(
                    f'<div class="article__block" data-type="article"><div class="article__article">'
                    f'<span class="article__article-label">{labels["also"]}</span>'
                    f'<a class="article__article-link" href="{attr(lower_pct(rel.url))}">{esc(rel.page.title)}</a>'
                    f'<div class="article__article-date" data-unixtime="{int(rel.page.published_at.timestamp())}">'
                    f"{rel.local:%d.%m.%Y}</div></div></div>"
                )
            if quote_at is not None and i == quote_at:
                blocks.append(
                    f'<div class="article__block" data-type="quote"><div class="article__quote">'
                    f'<div class="article__quote-bg"></div><div class="article__quote-text">{esc(p)}</div></div></div>'
                )
            else:
                blocks.append(
                    f'<div class="article__block" data-type="text"><div class="article__text">{esc(p)}</div></div>'
                )
        tags = "".join(
            f'<li class="tag"><a class="tag__text" href="{self.ed.origin}/tags/{quote(t.replace(" ", "_"))}/">{esc(t)}</a></li>'
            for t in (page.section or "", *extra.get("tags", ()))
            if t
        )
        unix = int(page.published_at.timestamp())
        updated = ""
        if page.modified_at:
            m = page.modified_at.astimezone(MSK)
            updated = (
                f'<div class="article__info-date-modified" data-unixtime="{int(page.modified_at.timestamp())}">'
                f"({labels['updated']} {m:%H:%M %d.%m.%Y})</div>"
            )
        return f"""{self._head(f"{page.title} - {a.local:%d.%m.%Y}, {self.ed.site_name}", self._meta(a, True))}<body class="body m-article m-{self.ed.lang}">
<div class="page">
{self._header()}
<div class="layout-article"><div class="layout-article__main">
<div class="article m-article" data-article-id="{extra["id"]}" data-unixtime="{unix}">
<div class="article__header">
<div class="article__info"><div class="article__info-date"><a href="{self.ed.origin}/{a.local:%Y%m%d}/" data-unixtime="{unix}">{a.local:%H:%M %d.%m.%Y}</a></div>{updated}</div>
<h1 class="article__title">{esc(page.title)}</h1>
<div class="article__announce"><div class="article__announce-text">{esc(lead)}</div></div>
</div>
<div class="article__body js-mediator-article">
{chr(10).join(blocks)}
</div>
<div class="article__footer"><ul class="tags">{tags}</ul><div class="article__share"><span>{labels["share"]}</span></div></div>
</div>
</div>{self._latest(a.url)}</div>
{self._footer()}
</div>
</body>
</html>
"""

    def old_article(self, a: Article) -> str:
        page, extra = a.page, a.extra
        labels = self._labels()
        rng = stable_rng("zwsp", page.url)
        paras = [_zwsp(rng, p) for p in page.paragraphs]
        rel = self._related(a)
        body: list[str] = []
        for i, p in enumerate(paras):
            body.append(f"<p>{esc(p)}</p>" if i else f"<p><strong>{esc(p)}</strong></p>")
            if i == 1:
                body.append(
                    f'<div class="b-inject b-inject_article"><div class="b-inject__title">{labels["also"]}</div>'
                    f'<a class="b-inject__link" href="{attr(lower_pct(rel.url))}">{esc(rel.page.title)}</a></div>'
                )
            if i == extra.get("media_at"):
                body.append(
                    f'<div class="b-article__text-media"><img src="{self._image(a)}" alt="">'
                    f'<div class="b-article__text-media-credit">© Sputnik . {esc(str(extra["photographer"]))}</div></div>'
                )
        local = f"{a.local:%Y-%m-%dT%H:%M}"
        return f"""{self._head(f"{page.title} - {a.local:%d.%m.%Y}, {self.ed.site_name}", self._meta(a, False))}<body class="b-page">
<div class="l-wrap">
{self._header()}
<div class="l-main"><div class="b-article" itemscope itemtype="http://schema.org/NewsArticle">
<div class="b-article__header">
<h1 itemprop="headline">{esc(page.title)}</h1>
<div class="b-article__refs"><span class="b-article__refs-date"><time datetime="{local}" itemprop="datePublished">{a.local:%H:%M %d.%m.%Y}</time></span><span class="b-article__refs-rubric"><a href="{self.ed.origin}/{self.ed.sections.get(page.section or "", "world")}/">{esc(page.section or "")}</a></span></div>
</div>
<div class="b-article__text" itemprop="articleBody">
{chr(10).join(body)}
</div>
<div class="b-article__tags">{labels["tags"]}: {esc(", ".join(extra.get("tags", ())))}</div>
</div>{self._latest(a.url)}</div>
{self._footer()}
</div>
</body>
</html>
"""

    def listing(self, heading: str, articles: Sequence[Article]) -> str:
        rows = "".join(
            f'<div class="list__item"><a class="list__title" href="{attr(a.url)}">{esc(a.page.title)}</a>'
            f'<div class="list__date" data-unixtime="{int(a.page.published_at.timestamp())}">'
            f"{a.local:%H:%M %d.%m.%Y}</div></div>"
            for a in articles
        )
        return f"""{self._head(f"{heading} - {self.ed.site_name}", "")}<body class="body m-list">
{self._header()}<div class="layout"><h1 class="title">{esc(heading)}</h1><div class="list">{rows}</div></div>
{self._footer()}</body></html>
"""

    def radio_page(self, page: MirrorPage) -> str:
        return f"""{self._head(f"{page.title} - {self.ed.site_name}", "")}<body class="body m-radio">
{self._header()}<div class="layout"><h1 class="title">{esc(page.title)}</h1><div class="radio-program">برنامج إذاعي يومي يقدم أبرز الأحداث على مدار الساعة.</div></div>
{self._footer()}</body></html>
"""

    def not_found(self) -> str:
        return f"""{self._head(f"404 - {self.ed.site_name}", "")}<body class="body m-404">
{self._header()}<div class="layout"><h1 class="title">404</h1></div>{self._footer()}</body></html>
"""


def mount(catalog: Catalog) -> Callable[[Request], Response]:
    ar, en = RiaSite(AR, catalog), RiaSite(EN, catalog)

    def handle(req: Request) -> Response:
        target = AR_ORIGIN + req.path + (f"?{req.query}" if req.query else "")
        if req.host == "arabic.sputniknews.com":
            return redirect(target)
        if req.host == "sputnikarabic.ae":
            if unquote(req.path) in (FEED_PATH, "/robots.txt"):
                return ar.handle(req)
            return redirect(target)
        if req.host == "sputnikglobe.com":
            return en.handle(req)
        return ar.handle(req)

    return handle


# ---- helpers -------------------------------------------------------------------------------


def _compact(dt: datetime) -> str:
    """Sputnik's compact ``20261120T1319+0300``."""
    return dt.astimezone(MSK).strftime("%Y%m%dT%H%M%z")


def _iso_min(dt: datetime) -> str:
    """ISO 8601 to the minute in Moscow time: ``2026-11-20T13:19+03:00``."""
    return dt.astimezone(MSK).isoformat(timespec="minutes")


def _rss_date(dt: datetime) -> str:
    """RFC 822 in Moscow time, as the platform's feeds print it."""
    return format_datetime(dt.astimezone(MSK))


def _ymd(text: str) -> date:
    if len(text) != 8 or not text.isdigit():
        raise ValueError(text)
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


def _month_days(y: int, m: int) -> int:
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return (nxt - timedelta(days=1)).day


def _zwsp(rng: Any, text: str) -> str:
    """``text`` with U+200B at its start and after some spaces (never between letters)."""
    words = text.split(" ")
    out = [words[0]]
    for w in words[1:]:
        out.append(("\u200b" + w) if rng.random() < 0.12 else w)
    return "\u200b" + " ".join(out)
