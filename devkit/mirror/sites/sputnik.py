# ruff: noqa: E501 - page, feed and sitemap markup is kept as the platform prints it
"""Sputnik Arabic (``sarabic.ae``) and Sputnik International (``sputnikglobe.com``): the
Rossiya Segodnya ("RIA") news platform.

- Article URL ``/YYYYMMDD/<slug>-<10-digit id>.html``; the date is Moscow's (UTC+3). Arabic
  slugs are percent-encoded in upper case (canonical, feed, sitemaps) and in lower case in
  the in-page "read also" links; both spellings serve the page.
- Feed ``/export/rss2/archive/index.xml`` (also on ``sputnikarabic.ae``). The English feed's
  links carry ``utm_*`` parameters. The Arabic feed lists one article a second time under
  the old domain ``arabic.sputniknews.com`` (which answers with a 301 to ``sarabic.ae``: one
  article, two URLs) and a radio programme page (not an article).
- ``robots.txt`` -> ``/sitemap_article_index.xml``: one child per month, newest first, as
  ``/sitemap_article.xml?date_start=YYYYMMDD&amp;date_end=YYYYMMDD``; that endpoint serves ANY
  range of Moscow days (the ``sitemaps.ranged`` backfill route), with ``image:`` entries.
- Page: ``h1.article__title``; lead ``.article__announce-text``; blocks
  ``.article__body .article__block[data-type=text] .article__text``, a quotation block, a
  photo credited "- سبوتنيك عربي, 1920" and a "read also" card between them; the date as the
  compact ``20261120T1319+0300`` in ``article:published_time``, in ``[data-unixtime]`` and in
  JSON-LD; ``og:title`` ends `` - 20.11.2026, Sputnik عربي``; no author. The radio schedule
  (``00:00`` ... ``23:00``, "مدار الليل والنهار", "بث مباشر") sits in the header, "تابعنا عبر" in
  the footer.
- Articles of Moscow days up to ``OLD_LAYOUT_UNTIL`` (2020-12-31, the registry's layout
  switch; anchor the mirror there to serve both eras), and one recent Arabic article in five,
  use the OLD layout: ``div.b-article__text
  [itemprop=articleBody]``, ``<time itemprop=datePublished>`` in Moscow time without an
  offset, no JSON-LD nor compact meta, zero-width spaces (U+200B) next to spaces; the
  catalog's paragraphs are the text without them.
- Sputnik International answers the FIRST request for one article (3 days before the anchor)
  with ``429`` and ``Retry-After: 1``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape as xml_escape

from devkit.mirror.catalog import Catalog, MirrorPage, Plan
from devkit.mirror.prose import fresh
from devkit.mirror.sites.common import (
    Handler,
    Request,
    Response,
    Rhythm,
    Slot,
    arabic_slug,
    ascii_slug,
    attr,
    esc,
    excerpt,
    html_response,
    lower_pct,
    plan_slots,
    post_ids,
    redirect,
    robots_txt,
    shown,
    stable_rng,
    take,
    text_response,
    upper_pct,
    xml_response,
)
from devkit.mirror.sites.wordpress import json_ld

name = "sputnik"
hosts = ("sarabic.ae", "sputnikarabic.ae", "arabic.sputniknews.com", "sputnikglobe.com")
outlets = ("sputnik_ar", "sputnik_en")  # the registry outlets it publishes

MSK = timezone(timedelta(hours=3))
# the last Moscow day of the old ("b-article") template, as the registry's layouts date it
OLD_LAYOUT_UNTIL = date(2020, 12, 31)
OLD_AR = "https://arabic.sputniknews.com"
FEED = "/export/rss2/archive/index.xml"
RADIO_URL = "https://sarabic.ae/radio_madar_allail_wa_alnahar/"


@dataclass(frozen=True)
class Edition:
    outlet: str
    origin: str
    lang: str
    site: str
    floor: int
    rhythm: Rhythm
    first_month: tuple[int, int]  # the oldest monthly child sitemap
    feed_size: int
    cdn: str


AR = Edition(
    "sputnik_ar",
    "https://sarabic.ae",
    "ar",
    "Sputnik عربي",
    1_100_000_000,
    Rhythm(3.0),
    (2014, 11),
    20,
    "cdn.sputnikarabic.ae",
)
EN = Edition(
    "sputnik_en",
    "https://sputnikglobe.com",
    "en",
    "Sputnik International",
    1_120_000_000,
    Rhythm(2.2),
    (2004, 9),
    15,
    "cdn1.img.sputnikglobe.com",
)
LABELS = {
    "ar": {
        "live": "بث مباشر",
        "follow": "تابعنا عبر",
        "also": "اقرأ أيضا",
        "latest": "آخر الأخبار",
        "credit": "- سبوتنيك عربي, 1920",
        "tags": "الكلمات الدالة",
    },
    "en": {
        "live": "Live",
        "follow": "Follow us on",
        "also": "Also read",
        "latest": "Latest news",
        "credit": "- Sputnik International, 1920",
        "tags": "Tags",
    },
}
PROGRAMMES = {"ar": ("مدار الليل والنهار", "نشرة الأخبار", "البعد الآخر", "عالم سبوتنيك"),
              "en": ("News Bulletin", "Fault Lines", "The Critical Hour", "The Backstory")}  # fmt: skip


# ---- catalog ---------------------------------------------------------------------------------


def build(plan: Plan) -> list[tuple[MirrorPage, dict[str, object]]]:
    return _edition(AR, plan) + _edition(EN, plan)


def _edition(ed: Edition, plan: Plan) -> list[tuple[MirrorPage, dict[str, object]]]:
    rng = stable_rng(plan.seed, ed.outlet)
    slots = [
        Slot(s.k, s.local.replace(second=0), s.kind)
        for s in plan_slots(
            f"{plan.seed}:{ed.outlet}", plan, MSK, ed.rhythm, reserve={0: 1, 1: 1, 3: 1}
        )
    ]
    taken: set[int] = set()
    radio, old_domain = (
        (take(slots, 1, taken), take(slots, 0, taken)) if ed.lang == "ar" else (None, None)
    )
    throttled = take(slots, 3, taken) if ed.lang == "en" else None
    ids = post_ids(slots, ed.floor, 30_000)
    seen: set[str] = set()
    out: list[tuple[MirrorPage, dict[str, object]]] = []
    n_stored = 0
    for i, slot in enumerate(slots):
        s = fresh(rng, seen, ed.lang, "world", slot.day)
        if i == radio:
            out.append((MirrorPage(ed.outlet, RADIO_URL, (), slot.utc, None, "مدار الليل والنهار", (), "ar", (), "راديو",
                                   "not_article", listed_on=slot.day), {}))  # fmt: skip
            continue
        # the old template: every article of the era before the switch (sputnik_*.yaml
        # layouts), and one recent Arabic article in five (a page still served in it)
        old = slot.local.date() <= OLD_LAYOUT_UNTIL or (
            ed.lang == "ar" and n_stored % 5 == 2 and i != old_domain
        )
        n_stored += 1
        slug = upper_pct(arabic_slug(s.title, 180)) if ed.lang == "ar" else ascii_slug(s.title, 90)
        path = f"/{slot.local:%Y%m%d}/{slug}-{ids[i]}.html"
        url = ed.origin + path
        alt = (
            [lower_pct(url)]
            if ed.lang == "ar"
            else [f"{url}?utm_source=rss&utm_medium=rss&utm_campaign=sputnik_rss"]
        )
        if i == old_domain:
            alt.append(OLD_AR + path)
        paragraphs = list(s.paragraphs)
        quote_at = None
        if s.quote and not old and rng.random() < 0.5:
            quote_at = min(2, len(paragraphs))  # after the lead and one body paragraph
            paragraphs.insert(quote_at, s.quote)
        modified = slot.utc + timedelta(minutes=rng.randint(8, 180)) if rng.random() < 0.4 else None
        page = MirrorPage(ed.outlet, url, tuple(alt), slot.utc, modified, s.title, tuple(paragraphs), ed.lang, (),
                          s.section, "stored", listed_on=slot.day)  # fmt: skip
        extra: dict[str, object] = {"id": ids[i], "layout": "old" if old else "current", "tags": s.tags, "quote_at": quote_at,
                 "media_at": rng.randint(1, max(1, len(paragraphs) - 1)), "related_at": rng.randint(2, max(2, len(paragraphs))),
                 "photographer": rng.choice(("Mikhail Voskresensky", "Ramil Sitdikov", "Iliya Pitalev")),
                 "old_domain": i == old_domain, "throttle_first": i == throttled}  # fmt: skip
        out.append((page, extra))
    return out


# ---- serving ---------------------------------------------------------------------------------


def _compact(dt: datetime) -> str:
    """Sputnik's compact ``20261120T1319+0300``."""
    return dt.astimezone(MSK).strftime("%Y%m%dT%H%M%z")


def _iso_min(dt: datetime) -> str:
    return dt.astimezone(MSK).isoformat(timespec="minutes")


def _ymd(text: str) -> date:
    if len(text) != 8 or not text.isdigit():
        raise ValueError(text)
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


class Article:
    def __init__(self, page: MirrorPage, extra: Any) -> None:
        self.page, self.extra = page, extra
        self.local = page.published_at.astimezone(MSK)
        self.path = unquote(urlsplit(page.url).path)
        self.unix = int(page.published_at.timestamp())

    @property
    def url(self) -> str:
        return self.page.url


class RiaSite:
    """One Sputnik edition served from the catalog."""

    def __init__(self, ed: Edition, catalog: Catalog) -> None:
        self.ed, self.anchor, self.labels = ed, catalog.anchor, LABELS[ed.lang]
        pages = catalog.for_outlet(ed.outlet)
        self.specials = [p for p in pages if p.expect == "not_article"]
        self.articles = sorted((Article(p, catalog.extra(p)) for p in pages if p.expect != "not_article"),
                               key=lambda a: a.local, reverse=True)  # fmt: skip
        self.by_path = {a.path: a for a in self.articles}
        self._lock, self._throttled = threading.Lock(), set[str]()

    def handle(self, req: Request) -> Response:
        path = unquote(req.path)
        if path == "/robots.txt":
            return robots_txt("User-agent: *", "Disallow: /search/", "Disallow: /services/", "",
                              f"Sitemap: {self.ed.origin}/sitemap_article_index.xml")  # fmt: skip
        if path == FEED:
            return xml_response(self.feed(), "application/rss+xml; charset=utf-8")
        if path == "/sitemap_article_index.xml":
            return xml_response(self.sitemap_index())
        if path == "/sitemap_article.xml":
            return self.sitemap_range(req.query)
        if (a := self.by_path.get(path)) is not None:
            return self.article(a)
        if any(urlsplit(s.url).path == path for s in self.specials):
            return html_response(
                self.frame(
                    "مدار الليل والنهار",
                    "",
                    "m-radio",
                    '<div class="radio-program">برنامج إذاعي يومي.</div>',
                )
            )
        return html_response(self.frame("404", "", "m-404", "<h1>404</h1>"), 404)

    # ---- feed and sitemaps -------------------------------------------------------------------
    def feed(self) -> str:
        entries: list[tuple[datetime, str]] = []
        # only the newest articles can reach the feed (a year of them stays cheap)
        newest = sorted(self.articles, key=lambda a: a.page.published_at, reverse=True)
        for a in newest[: self.ed.feed_size]:
            links = (
                [a.page.alt_urls[0]]
                if self.ed.lang == "en"
                else [a.url, *(u for u in a.page.alt_urls if u.startswith(OLD_AR))]
            )
            for link in links:
                entries.append((a.page.published_at, f"<item><title>{xml_escape(a.page.title)}</title><link>{xml_escape(link)}</link><guid>{xml_escape(a.url)}</guid>"
                                f"<pubDate>{format_datetime(a.local)}</pubDate><description><![CDATA[{a.page.paragraphs[0]}]]></description>"
                                f'<category>{xml_escape(a.page.section or "")}</category><enclosure url="{self.image(a)}" type="image/jpeg" length="0"/></item>\n'))  # fmt: skip
        for s in self.specials:
            entries.append((s.published_at, f"<item><title>{xml_escape(s.title)}</title><link>{s.url}</link><guid>{s.url}</guid>"
                            f"<pubDate>{format_datetime(s.published_at.astimezone(MSK))}</pubDate><category>راديو</category></item>\n"))  # fmt: skip
        entries.sort(key=lambda e: e[0], reverse=True)
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>{xml_escape(self.ed.site)}</title>'
                f"<link>{self.ed.origin}/</link><language>{self.ed.lang}</language><ttl>60</ttl>\n{''.join(e[1] for e in entries[: self.ed.feed_size])}</channel></rss>\n")  # fmt: skip

    def sitemap_index(self) -> str:
        rows: list[str] = []
        y, m = self.anchor.year, self.anchor.month
        while (y, m) >= self.ed.first_month:
            last = (date(y + m // 12, m % 12 + 1, 1) - timedelta(days=1)).day
            rows.append(
                f"<sitemap><loc>{self.ed.origin}/sitemap_article.xml?date_start={y:04d}{m:02d}01&amp;date_end={y:04d}{m:02d}{last:02d}</loc></sitemap>"
            )
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
        return f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{"".join(rows)}</sitemapindex>\n'

    def sitemap_range(self, query: str) -> Response:
        params = parse_qs(query)
        try:
            first, last = _ymd(params["date_start"][0]), _ymd(params["date_end"][0])
        except (KeyError, ValueError, IndexError):
            return text_response(
                "Bad Request: date_start and date_end (YYYYMMDD) are required\n", 400
            )
        rows = "".join(f"<url><loc>{xml_escape(a.url)}</loc><lastmod>{_iso_min(a.page.modified_at or a.page.published_at)}</lastmod>"
                       f"<changefreq>monthly</changefreq><image:image><image:loc>{self.image(a)}</image:loc></image:image></url>"
                       for a in self.articles if first <= a.local.date() <= last)  # fmt: skip
        return xml_response('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                            f'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">{rows}</urlset>\n')  # fmt: skip

    def image(self, a: Article) -> str:
        return f"https://{self.ed.cdn}/img/{a.extra['id'] % 997}/{a.extra['id']}_0:0:1920:1080_1920x0_80_0_0.jpg"

    # ---- pages -------------------------------------------------------------------------------
    def article(self, a: Article) -> Response:
        if a.extra.get("throttle_first"):
            with self._lock:
                first = a.path not in self._throttled
                self._throttled.add(a.path)
            if first:
                return Response(429, [("Content-Type", "text/html; charset=utf-8"), ("Retry-After", "1")],
                                b"<html><head><title>429 Too Many Requests</title></head><body><center><h1>429 Too Many Requests</h1></center></body></html>\n")  # fmt: skip
        old = a.extra.get("layout") == "old"
        return html_response(
            self.old_article(a) if old else self.current_article(a), charset="utf-8"
        )

    def frame(self, title: str, head: str, body_class: str, main: str, dated: bool = True) -> str:
        names = PROGRAMMES[self.ed.lang]
        schedule = "".join(
            f'<li class="radio-schedule__item"><span class="radio-schedule__time">{h:02d}:00</span><span>{esc(names[h % len(names)])}</span></li>'
            for h in range(24)
        )
        latest = "".join(f'<li class="list__item"><a href="{attr(a.url)}">{esc(a.page.title)}</a>'
                         + (f'<div class="list__date" data-unixtime="{a.unix}">{a.local:%H:%M}</div>' if dated else "") + "</li>"
                         for a in self.articles[:6])  # fmt: skip
        social = "".join(
            f'<li><a href="https://{h}/sputnik">{t}</a></li>'
            for t, h in (("Telegram", "t.me"), ("X", "x.com"), ("Facebook", "www.facebook.com"))
        )
        lang = 'lang="ar" dir="rtl"' if self.ed.lang == "ar" else 'lang="en"'
        return f"""<!DOCTYPE html>
<html {lang}>
<head>
<meta charset="utf-8">
<title>{esc(title)}</title>
{head}<link rel="stylesheet" href="{self.ed.origin}/css/common.min.css">
<link rel="alternate" type="application/rss+xml" href="{self.ed.origin}{FEED}">
</head>
<body class="body {body_class}">
<header class="header"><a class="header__logo" href="{self.ed.origin}/">{esc(self.ed.site)}</a>
<div class="radio-schedule"><a class="radio-schedule__live" href="{self.ed.origin}/radio/">{self.labels["live"]}</a><ul class="radio-schedule__list">{schedule}</ul></div></header>
<div class="layout">{main}<div class="sidebar"><div class="sidebar__title">{self.labels["latest"]}</div><ul class="list">{latest}</ul></div></div>
<footer class="footer"><div class="footer__social"><div class="footer__social-title">{self.labels["follow"]}</div><ul>{social}</ul></div><div class="footer__copyright">© {self.anchor.year} {esc(self.ed.site)}</div></footer>
</body>
</html>
"""

    def meta(self, a: Article, compact: bool) -> tuple[str, str]:
        """The head's metadata and the ``og:title`` (which is also the ``<title>``)."""
        page = a.page
        day = (
            shown(page, page.published_at, lambda d: f" - {a.local:%d.%m.%Y},", bogus=" -") or " -"
        )
        og = f"{page.title}{day} {self.ed.site}"
        lines = [f'<link rel="canonical" href="{attr(page.url)}">', f'<meta property="og:title" content="{attr(og)}">',
                 f'<meta property="og:url" content="{attr(page.url)}">', '<meta property="og:type" content="article">',
                 f'<meta property="og:site_name" content="{attr(self.ed.site)}">', f'<meta property="og:image" content="{self.image(a)}">']  # fmt: skip
        if compact:
            published = shown(page, page.published_at, _compact)
            modified = shown(page, page.modified_at or page.published_at, _compact)
            if published:
                lines.append(f'<meta property="article:published_time" content="{published}">')
            if page.modified_at and modified:
                lines.append(f'<meta property="article:modified_time" content="{modified}">')
            ld = {"@context": "https://schema.org", "@type": "NewsArticle", "mainEntityOfPage": {"@type": "WebPage", "@id": page.url},
                  "headline": page.title, "description": excerpt(page.paragraphs[:1], 40),
                  "datePublished": shown(page, page.published_at, _iso_min), "dateModified": shown(page, page.modified_at or page.published_at, _iso_min),
                  "image": [self.image(a)], "inLanguage": self.ed.lang, "articleSection": page.section,
                  "publisher": {"@type": "Organization", "name": self.ed.site}}  # fmt: skip
            lines.append(
                f'<script type="application/ld+json">{json_ld({k: v for k, v in ld.items() if v is not None})}</script>'
            )
        return "\n".join(lines) + "\n", og

    def related(self, a: Article) -> Article:
        others = [o for o in self.articles if o is not a]
        return others[stable_rng("related", a.url).randrange(len(others))]

    def current_article(self, a: Article) -> str:
        page, extra, labels = a.page, a.extra, self.labels
        dated = page.dates == "real"
        unix = f' data-unixtime="{a.unix}"' if dated else ""
        blocks: list[str] = []
        for i, p in enumerate(page.paragraphs[1:], start=1):
            if i == extra["media_at"]:
                blocks.append(f'<div class="article__block" data-type="media"><div class="media"><img src="{self.image(a)}" alt="">'
                              f'<div class="media__copyright">© Sputnik . {esc(extra["photographer"])} {labels["credit"]}</div></div></div>')  # fmt: skip
            if i == extra["related_at"]:
                rel = self.related(a)
                rel_date = (
                    f'<div class="article__article-date" data-unixtime="{rel.unix}">{rel.local:%d.%m.%Y}</div>'
                    if dated
                    else ""
                )
                blocks.append(f'<div class="article__block" data-type="article"><div class="article__article"><span>{labels["also"]}</span>'
                              f'<a class="article__article-link" href="{attr(lower_pct(rel.url))}">{esc(rel.page.title)}</a>{rel_date}</div></div>')  # fmt: skip
            if i == extra["quote_at"]:
                blocks.append(
                    f'<div class="article__block" data-type="quote"><div class="article__quote"><div class="article__quote-text">{esc(p)}</div></div></div>'
                )
            else:
                blocks.append(
                    f'<div class="article__block" data-type="text"><div class="article__text">{esc(p)}</div></div>'
                )
        info = (
            f'<div class="article__info-date"><a href="{self.ed.origin}/{a.local:%Y%m%d}/"{unix}>{a.local:%H:%M %d.%m.%Y}</a></div>'
            if dated
            else ""
        )
        tags = "".join(
            f'<li class="tag"><span class="tag__text">{esc(t)}</span></li>' for t in extra["tags"]
        )
        head, og = self.meta(a, compact=True)
        main = f"""<div class="article m-article" data-article-id="{extra["id"]}"{unix}>
<div class="article__header"><div class="article__info">{info}</div>
<h1 class="article__title">{esc(page.title)}</h1>
<div class="article__announce"><div class="article__announce-text">{esc(page.paragraphs[0])}</div></div></div>
<div class="article__body js-mediator-article">
{chr(10).join(blocks)}
</div>
<div class="article__footer"><ul class="tags">{tags}</ul></div>
</div>"""
        return self.frame(og, head, f"m-article m-{self.ed.lang}", main, dated)

    def old_article(self, a: Article) -> str:
        page, extra = a.page, a.extra
        rng = stable_rng("zwsp", page.url)
        rel = self.related(a)
        body: list[str] = []
        for i, p in enumerate(page.paragraphs):
            words = p.split(" ")  # U+200B at the start and after some spaces, never inside a word
            text = "\u200b" + " ".join(
                [words[0]] + [("\u200b" + w) if rng.random() < 0.12 else w for w in words[1:]]
            )
            body.append(f"<p>{esc(text)}</p>" if i else f"<p><strong>{esc(text)}</strong></p>")
            if i == 1:
                body.append(
                    f'<div class="b-inject"><div class="b-inject__title">{self.labels["also"]}</div><a href="{attr(lower_pct(rel.url))}">{esc(rel.page.title)}</a></div>'
                )
            if i == extra["media_at"]:
                body.append(
                    f'<div class="b-article__text-media"><img src="{self.image(a)}" alt=""><div>© Sputnik . {esc(extra["photographer"])}</div></div>'
                )
        stamp = shown(page, page.published_at, lambda d: f"{d.astimezone(MSK):%Y-%m-%dT%H:%M}")
        time_el = (
            f'<time datetime="{stamp}" itemprop="datePublished">{a.local:%H:%M %d.%m.%Y}</time>'
            if page.dates == "real"
            else ""
        )
        head, og = self.meta(a, compact=False)
        main = f"""<div class="b-article" itemscope itemtype="http://schema.org/NewsArticle">
<div class="b-article__header"><h1 itemprop="headline">{esc(page.title)}</h1><div class="b-article__refs">{time_el}<span>{esc(page.section or "")}</span></div></div>
<div class="b-article__text" itemprop="articleBody">
{chr(10).join(body)}
</div>
<div class="b-article__tags">{self.labels["tags"]}: {esc(", ".join(extra["tags"]))}</div>
</div>"""
        return self.frame(og, head, "b-page", main, page.dates == "real")


def mount(catalog: Catalog) -> Handler:
    ar, en = RiaSite(AR, catalog), RiaSite(EN, catalog)

    def handle(req: Request) -> Response:
        target = AR.origin + req.path + (f"?{req.query}" if req.query else "")
        if req.host == "arabic.sputniknews.com":
            return redirect(target)
        if req.host == "sputnikarabic.ae" and unquote(req.path) not in (FEED, "/robots.txt"):
            return redirect(target)
        return en.handle(req) if req.host == "sputnikglobe.com" else ar.handle(req)

    return handle
