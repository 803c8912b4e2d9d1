# ruff: noqa: E501 - page, feed and sitemap markup is kept as the sites print it
"""Politico: ``www.politico.com`` (Brightspot CMS, server-rendered), ``www.politico.eu``
(WordPress) and the paywalled ``subscriber.politicopro.com``; one registry outlet,
``politico``. See OUTLETS.md.

politico.com
- ``robots.txt`` disallows Scrapy's default user agent and a few named bots (``Scrapy``,
  ``GPTBot``, ``CCBot``: ``Disallow: /``) and lets everyone else in (``newsloom/0.1`` too).
- Feeds ``/rss/politicopicks.xml`` (with Politico Pro links and a podcast episode) and
  ``/rss/politics08.xml`` (with a ``/_preview/`` link leaked by the CMS).
- ``/sitemap.xml``: an index of monthly ``sitemap-YYYYMM.xml`` since 2007 (the
  ``sitemaps.monthly`` backfill route); ``/news-sitemap.xml``: a Google News sitemap
  (``news:`` and ``image:`` namespaces, ``news:publication_date`` with a ``-05:00`` offset)
  covering the newest two New York days only. Both list a video and a gallery page.
- URLs ``/news/YYYY/MM/DD/<slug>-<8 digits>``, ``/newsletters/<name>/YYYY/MM/DD/<slug>-<8
  digits>``, ``/live-updates/YYYY/MM/DD/<slug>``; the date is New York's. Not articles:
  ``/video/``, ``/gallery/``, ``/podcasts/``, ``/_preview/``.
- Page: JSON-LD ``NewsArticle`` (headline, ``datePublished`` like
  ``2026-11-20T06:30:00-0500`` WITHOUT a colon, author list), no ``article:published_time``
  meta; body ``main#main p[class*=font-text]`` (current template) or
  ``p.story-text__paragraph`` (older, two articles), with ``figcaption``, ``.story-meta``
  (byline, timestamp), ``.ad``, ``.story-interrupt`` (a newsletter promo whose paragraphs
  also carry ``font-text`` classes) and ``aside`` (related links, again ``font-text``) among
  the paragraphs: a selector without the ``drop`` list reads them as text. Some paragraphs
  hold a link whose text starts on a new line, as Brightspot prints them.
- Live updates (``LiveBlogPosting``): the visible page holds only a loading placeholder; the
  text is only in JSON-LD ``articleBody`` (updates separated by blank lines, oldest first).
- One article answers with Cloudflare's challenge, status 403.

politico.eu: WordPress, ``/feed/``, ``/news-sitemap.xml``, Yoast ``/sitemap_index.xml``;
``https://www.politico.eu/article/<slug>/``; body ``.article__content > p`` (an ad and a
newsletter box sit between them, nested: not direct children); ``article:published_time``
in UTC (``+00:00``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any, cast
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape as xml_escape
from zoneinfo import ZoneInfo

from devkit.mirror.catalog import Catalog, MirrorPage
from devkit.mirror.prose import Composed, compose, rotation, unique_stories, weekday_name
from devkit.mirror.sites.common import (
    Request,
    Response,
    Slot,
    attr,
    cloudflare_challenge,
    esc,
    html_response,
    pick_slot,
    plan_slots,
    redirect,
    robots_txt,
    stable_rng,
    xml_response,
)
from devkit.mirror.sites.wordpress import Post, WordPress, json_ld, make_excerpt, term_slug
from devkit.mirror.text import ascii_slug
from devkit.mirror.text_en import (
    LIVE_TITLES,
    LIVE_UPDATES,
    NEWSLETTER,
    POLITICO_EU,
    POLITICO_EU_STAFF,
    POLITICO_STAFF,
    POLITICO_US,
    live_values,
    newsletter_values,
    politico_eu_values,
    politico_values,
)

name = "politico"
hosts = ("www.politico.com", "politico.com", "www.politico.eu", "politico.eu",
         "subscriber.politicopro.com")

OUTLET = "politico"
COM = "https://www.politico.com"
EU = "https://www.politico.eu"
PRO = "https://subscriber.politicopro.com"
ET = ZoneInfo("America/New_York")
CET = ZoneInfo("Europe/Brussels")
FIRST_SITEMAP_MONTH = (2007, 1)

# politico.com: New York days, oldest first; the near-midnight publications
COM_COUNTS = (3, 3, 3, 2, 3, 4, 5)
COM_EDGES = {
    0: [(0, 15)],  # 05:15 UTC on the first day
    2: [(23, 30)],  # 04:30 UTC the next day: URL says day 2, UTC day 3
    6: [(21, 40)],  # 02:40 UTC the day after the anchor: outside a 7-day UTC window
}
EU_COUNTS = (1, 0, 1, 1, 0, 1, 1)
EU_EDGES = {6: [(0, 20)]}  # 23:20 UTC the day before the anchor
OLDER_TEMPLATE = 2  # articles still on the story-text__paragraph template
DEKS = {
    "Congress": ("The fight is the latest test of leadership's narrow majority.",
                 "Lawmakers are running short on time before the holiday recess."),
    "Trade": ("The move would be the latest escalation in the administration's trade agenda.",
              "Business groups are lobbying hard against the plan."),
    "Elections": ("Both parties see the race as an early test for next year.",
                  "The contest is already drawing national money."),
    "Supreme Court": ("The case could redraw the limits of federal power.",
                      "A ruling is expected by the end of June."),
    "Defense": ("The agreement sets up final votes before the end of the year.",
                "Shipyard delays have alarmed Navy leaders."),
}
STOP = {"a", "an", "the", "of", "to", "in", "on", "as", "for", "and", "at", "by", "with"}


def _slug(title: str, words: int = 7) -> str:
    parts = [w for w in ascii_slug(title).split("-") if w and w not in STOP]
    return "-".join(parts[:words])


def _id8(n: int) -> str:
    return f"{n:08d}"


# ---- catalog -------------------------------------------------------------------------------


def build(anchor: date, seed: int) -> list[tuple[MirrorPage, dict[str, object]]]:
    rng = stable_rng(seed, OUTLET)
    return _build_com(rng, anchor) + _build_eu(rng, anchor)


def _build_com(rng: Any, anchor: date) -> list[tuple[MirrorPage, dict[str, object]]]:
    # plan_slots only needs a tzinfo; New York's changes offset with DST, which is the point
    slots = plan_slots(rng, anchor, cast(timezone, ET), COM_COUNTS, COM_EDGES)
    taken: set[int] = set()
    role: dict[int, str] = {}
    for r, day_no in (("live", 4), ("bot_challenge", 6), ("newsletter", 3), ("newsletter", 5),
                   ("video", 6), ("gallery", 5), ("podcast", 4), ("preview", 6),
                   ("paywall", 5), ("paywall", 4)):
        role[pick_slot(slots, taken, day_no)] = r
    ids = []
    cur = 171_000 + (anchor.toordinal() % 4000) * 40
    for _ in slots:
        cur += rng.randint(20, 140)
        ids.append(cur)
    beat_of = rotation(rng, POLITICO_US)

    def make(r: Any, i: int) -> Composed:
        kind = role.get(i, "news")
        if kind == "newsletter":
            values = newsletter_values(r)
            values["weekday"] = weekday_name("en", slots[i].local)
            return compose(r, NEWSLETTER, values, details=(5, 7), one_sentence_paragraphs=True)
        beat = beat_of(i)
        values = politico_values(r, beat)
        values["weekday"] = weekday_name("en", slots[i].local)
        return compose(r, beat, values, details=(4, 7), one_sentence_paragraphs=True,
                       with_quote=r.random() < 0.5)

    stories = unique_stories(rng, len(slots), make)
    out: list[tuple[MirrorPage, dict[str, object]]] = []
    n_news = 0
    for i, (slot, num, story) in enumerate(zip(slots, ids, stories, strict=True)):
        kind = role.get(i, "news")
        day = f"{slot.local:%Y/%m/%d}"
        slug = _slug(story.title)
        authors = tuple(rng.sample(POLITICO_STAFF, 2 if rng.random() < 0.3 else 1))
        extra: dict[str, object] = {"id": _id8(num), "kind": kind, "template": "current",
                                    "dek": story.lead, "tags": story.tags,
                                    "link_in": rng.randint(1, 3), "interrupt_at": rng.randint(3, 4),
                                    "ad_at": 2}
        if kind in ("video", "gallery", "podcast", "preview"):
            out.append(_not_article(kind, slot, day, slug, num, story))
            continue
        if kind == "paywall":
            url = f"{PRO}/article/{slot.local:%Y/%m}/{slug}-{_id8(num)}"
            page = MirrorPage(OUTLET, url, (), slot.utc, None, story.title, (), "en", authors,
                              "Politico Pro", "paywall")
            out.append((page, extra))
            continue
        if kind == "live":
            lrng = stable_rng("live", anchor, num)
            values = live_values(lrng)
            title = lrng.choice(LIVE_TITLES).format(**values)
            updates = tuple(u.format(**values) for u in LIVE_UPDATES[: lrng.randint(6, 8)])
            url = f"{COM}/live-updates/{day}/{_slug(title, 6)}"
            page = MirrorPage(OUTLET, url, (), slot.utc, slot.utc + timedelta(hours=3), title,
                              updates, "en", authors, "Elections", "stored")
            extra.update(kind="live", dek="Follow the latest results and reactions.")
            out.append((page, extra))
            continue
        if kind == "newsletter":
            url = f"{COM}/newsletters/playbook/{day}/{slug}-{_id8(num)}"
            paragraphs = story.paragraphs
        else:
            url = f"{COM}/news/{day}/{slug}-{_id8(num)}"
            paragraphs = story.paragraphs
            extra["dek"] = rng.choice(DEKS.get(story.section, DEKS["Congress"]))
            if story.quote:
                paragraphs = (*paragraphs[:2], story.quote, *paragraphs[2:])
            if kind == "news" and n_news % 6 == 4 and n_news // 6 < OLDER_TEMPLATE:
                extra["template"] = "older"
            n_news += 1
        expect = "bot_challenge" if kind == "bot_challenge" else "stored"
        modified = slot.utc + timedelta(minutes=rng.randint(15, 240)) if rng.random() < 0.5 \
            else None
        page = MirrorPage(OUTLET, url, (), slot.utc, modified, story.title, tuple(paragraphs),
                          "en", authors, story.section, expect)
        if kind == "newsletter":
            extra["dek"] = "Presented by the American Council of Life Insurers"
        out.append((page, extra))
    return out


def _not_article(kind: str, slot: Slot, day: str, slug: str, num: int, story: Composed
                 ) -> tuple[MirrorPage, dict[str, object]]:
    path = {"video": f"/video/{day}/{slug}-{_id8(num)}",
            "gallery": f"/gallery/{day}/{slug}-{_id8(num)}",
            "podcast": f"/podcasts/playbook-deep-dive/{day}/{slug}-{_id8(num)}",
            "preview": f"/_preview/news/{day}/{slug}-{_id8(num)}"}[kind]
    title = {"video": f"Video: {story.title}", "gallery": f"Photos: {story.title}",
             "podcast": f"Playbook Deep Dive: {story.title}", "preview": story.title}[kind]
    page = MirrorPage(OUTLET, COM + path, (), slot.utc, None, title, (), "en", (),
                      kind.title(), "not_article")
    return page, {"kind": kind, "id": _id8(num)}


def _build_eu(rng: Any, anchor: date) -> list[tuple[MirrorPage, dict[str, object]]]:
    slots = plan_slots(rng, anchor, cast(timezone, CET), EU_COUNTS, EU_EDGES)
    beat_of = rotation(rng, POLITICO_EU)

    def make(r: Any, i: int) -> Composed:
        beat = beat_of(i)
        values = politico_eu_values(r, beat)
        values["weekday"] = weekday_name("en", slots[i].local)
        return compose(r, beat, values, details=(3, 5), one_sentence_paragraphs=True)

    stories = unique_stories(rng, len(slots), make)
    post_id = 5_000_000 + (anchor.toordinal() % 4000) * 20
    out: list[tuple[MirrorPage, dict[str, object]]] = []
    for slot, story in zip(slots, stories, strict=True):
        post_id += rng.randint(40, 400)
        url = f"{EU}/article/{ascii_slug(story.title, limit=70)}/"
        authors = (rng.choice(POLITICO_EU_STAFF),)
        modified = slot.utc + timedelta(minutes=rng.randint(2, 30))
        page = MirrorPage(OUTLET, url, (), slot.utc, modified, story.title,
                          story.paragraphs, "en", authors, story.section, "stored")
        out.append((page, {"post_id": post_id, "tags": story.tags, "kind": "eu",
                           "dek": make_excerpt(story.paragraphs[1:2], 18)}))
    return out


# ---- serving: politico.com -----------------------------------------------------------------


@dataclass
class Story:
    page: MirrorPage
    extra: Mapping[str, Any]

    @property
    def url(self) -> str:
        return self.page.url

    @property
    def local(self) -> datetime:
        return self.page.published_at.astimezone(ET)

    @property
    def kind(self) -> str:
        return str(self.extra.get("kind", "news"))


def _ld_date(dt: datetime, tz: ZoneInfo = ET) -> str:
    """Brightspot's JSON-LD date: ``2026-11-20T06:30:00-0500`` (no colon in the offset)."""
    return dt.astimezone(tz).strftime("%Y-%m-%dT%H:%M:%S%z")


def _rss(dt: datetime, tz: ZoneInfo = ET) -> str:
    return format_datetime(dt.astimezone(tz).replace(microsecond=0))


class Brightspot:
    """www.politico.com served from the catalog."""

    def __init__(self, catalog: Catalog) -> None:
        self.anchor = catalog.anchor
        items = [Story(p, catalog.extra(p)) for p in catalog.for_outlet(OUTLET)
                 if p.url.startswith(COM) or p.url.startswith(PRO)]
        items.sort(key=lambda s: s.page.published_at, reverse=True)
        self.all = items
        self.articles = [s for s in items if s.page.expect in ("stored", "bot_challenge")]
        self.by_path = {urlsplit(s.url).path: s for s in items if s.url.startswith(COM)}

    # ---- routing -----------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        path = unquote(req.path)
        if path == "/robots.txt":
            return robots_txt([
                "User-agent: Scrapy", "Disallow: /", "",
                "User-agent: GPTBot", "Disallow: /", "",
                "User-agent: CCBot", "Disallow: /", "",
                "User-agent: *", "Disallow: /_preview/", "Disallow: /search", "Disallow: /amp/",
                "Disallow: /subscriber/", "",
                f"Sitemap: {COM}/sitemap.xml",
                f"Sitemap: {COM}/news-sitemap.xml",
            ])
        if path == "/rss/politicopicks.xml":
            return self.feed("POLITICO Picks", self._picks())
        if path == "/rss/politics08.xml":
            return self.feed("Politics News", self._politics())
        if path == "/sitemap.xml":
            return xml_response(self.sitemap_index())
        if path == "/news-sitemap.xml":
            return xml_response(self.news_sitemap())
        if path.startswith("/sitemap-") and path.endswith(".xml"):
            return self.monthly(path)
        story = self.by_path.get(path)
        if story is not None:
            return self.story_response(story)
        if path == "/":
            return html_response(self.listing("POLITICO", self.articles[:15]))
        return html_response(self.not_found(), 404)

    # ---- feeds and sitemaps ------------------------------------------------------------
    def _picks(self) -> list[Story]:
        wanted = [s for s in self.all if s.page.expect in ("stored", "bot_challenge", "paywall")
                  or s.kind == "podcast"]
        return wanted[:14]

    def _politics(self) -> list[Story]:
        wanted = [s for s in self.all
                  if (s.page.expect in ("stored", "bot_challenge")
                      and s.page.section in ("Congress", "Elections", "Supreme Court", "Playbook"))
                  or s.kind == "preview"]
        return wanted[:12]

    def feed(self, title: str, stories: Sequence[Story]) -> Response:
        items = "".join(
            f"""<item><title>{xml_escape(s.page.title)}</title><link>{xml_escape(s.url)}</link><description>{xml_escape(str(s.extra.get('dek') or s.page.title))}</description><pubDate>{_rss(s.page.published_at)}</pubDate><guid isPermaLink="true">{xml_escape(s.url)}</guid>{''.join(f'<dc:creator>{xml_escape(a)}</dc:creator>' for a in s.page.authors)}<media:content url="https://static.politico.com/{s.extra.get('id', '0')[-2:]}/{s.extra.get('id', '0')}/lead.jpg" medium="image"/></item>
""" for s in stories)
        newest = max(s.page.published_at for s in stories)
        body = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>{xml_escape(title)}</title><link>{COM}/</link><description>{xml_escape(title)}</description><language>en-us</language><lastBuildDate>{_rss(newest)}</lastBuildDate><atom:link href="{COM}/rss/" rel="self" type="application/rss+xml"/>
{items}</channel></rss>
"""
        return xml_response(body.encode(), "application/rss+xml; charset=UTF-8")

    def _sitemap_entries(self) -> list[Story]:
        return [s for s in self.all
                if s.page.expect in ("stored", "bot_challenge") or s.kind in ("video", "gallery")]

    def sitemap_index(self) -> bytes:
        months = []
        y, m = self.anchor.year, self.anchor.month
        while (y, m) >= FIRST_SITEMAP_MONTH:
            months.append((y, m))
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
        newest = max(s.page.modified_at or s.page.published_at for s in self._sitemap_entries())
        rows = "".join(
            f"<sitemap><loc>{COM}/sitemap-{y:04d}{m:02d}.xml</loc>"
            + (f"<lastmod>{newest.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}</lastmod>" if i == 0 else
               f"<lastmod>{date(y, m, 28) + timedelta(days=4):%Y-%m-01}T00:00:00Z</lastmod>")
            + "</sitemap>"
            for i, (y, m) in enumerate(months))
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex '
                f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</sitemapindex>\n'
                ).encode()

    def monthly(self, path: str) -> Response:
        stem = path[len("/sitemap-"):-len(".xml")]
        if len(stem) != 6 or not stem.isdigit():
            return html_response(self.not_found(), 404)
        y, m = int(stem[:4]), int(stem[4:])
        if not 1 <= m <= 12 or (y, m) < FIRST_SITEMAP_MONTH or \
                (y, m) > (self.anchor.year, self.anchor.month):
            return html_response(self.not_found(), 404)
        chosen = [s for s in self._sitemap_entries() if (s.local.year, s.local.month) == (y, m)]
        rows = "".join(
            f"<url><loc>{xml_escape(s.url)}</loc><lastmod>"
            f"{(s.page.modified_at or s.page.published_at).astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
            "</lastmod></url>" for s in chosen)
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset '
                f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>\n')
        return xml_response(body.encode())

    def news_sitemap(self) -> bytes:
        newest_day = max(s.local.date() for s in self._sitemap_entries())
        chosen = [s for s in self._sitemap_entries()
                  if s.local.date() >= newest_day - timedelta(days=1)]
        rows = "".join(
            f"<url><loc>{xml_escape(s.url)}</loc><news:news><news:publication><news:name>POLITICO"
            "</news:name><news:language>en</news:language></news:publication>"
            f"<news:publication_date>{s.local.replace(microsecond=0).isoformat()}</news:publication_date>"
            f"<news:title>{xml_escape(s.page.title)}</news:title></news:news><image:image>"
            f"<image:loc>https://static.politico.com/{s.extra.get('id', '0')[-2:]}/{s.extra.get('id', '0')}/lead.jpg</image:loc>"
            "</image:image></url>" for s in chosen)
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset '
                'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" '
                'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">'
                f"{rows}</urlset>\n").encode()

    # ---- pages -------------------------------------------------------------------------
    def story_response(self, s: Story) -> Response:
        if s.page.expect == "bot_challenge":
            return cloudflare_challenge("www.politico.com", 403, s.url)
        if s.kind in ("video", "gallery", "podcast", "preview"):
            return html_response(self.media_page(s))
        if s.kind == "live":
            return html_response(self.live_page(s))
        return html_response(self.story_page(s))

    def _head(self, title: str, extra: str) -> str:
        return f"""<!DOCTYPE html>
<html lang="en" class="no-js">
<head>
<meta charset="utf-8">
<title>{esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="brightspot.cached" content="false">
{extra}<meta property="og:site_name" content="POLITICO">
<meta name="twitter:site" content="@politico">
<link rel="stylesheet" href="{COM}/dist/css/site.min.css">
<script>window.dataLayer = window.dataLayer || [];</script>
</head>
"""

    def _nav(self) -> str:
        links = "".join(f'<li class="nav__item"><a href="{COM}/{p}">{esc(t)}</a></li>'
                        for t, p in (("Congress", "congress"), ("White House", "white-house"),
                                     ("Elections", "elections"), ("Politics", "politics"),
                                     ("Playbook", "playbook"), ("Newsletters", "newsletters"),
                                     ("Podcasts", "podcasts"), ("Video", "video")))
        return (f'<header class="global-header"><a class="global-header__logo" href="{COM}/">POLITICO</a>'
                f'<nav class="global-nav" aria-label="Main"><ul class="nav__list">{links}</ul></nav>'
                '<div class="global-header__subscribe"><a href="https://www.politico.com/subscribe">Subscribe</a></div></header>')

    def _footer(self) -> str:
        return (f'<footer class="global-footer"><p class="footer__copyright">&copy; {self.anchor.year} POLITICO LLC</p>'
                f'<ul class="footer__links"><li><a href="{COM}/privacy">Privacy Policy</a></li><li><a href="{COM}/terms-of-service">Terms of Service</a></li></ul></footer>')

    def _meta(self, s: Story, ld: dict[str, Any]) -> str:
        page = s.page
        dek = str(s.extra.get("dek") or "")
        return "\n".join([
            f'<meta name="description" content="{attr(dek)}">',
            f'<meta property="og:title" content="{attr(page.title)}">',
            f'<meta property="og:description" content="{attr(dek)}">',
            '<meta property="og:type" content="article">',
            f'<meta property="og:url" content="{attr(page.url)}">',
            f'<meta property="twitter:title" content="{attr(page.title)}">',
            f'<link rel="canonical" href="{attr(page.url)}">',
            f'<script type="application/ld+json">{json_ld(ld)}</script>',
        ]) + "\n"

    def _ld(self, s: Story, kind: str = "NewsArticle") -> dict[str, Any]:
        page = s.page
        return {
            "@context": "https://schema.org", "@type": kind, "headline": page.title,
            "description": s.extra.get("dek"), "mainEntityOfPage": page.url,
            "datePublished": _ld_date(page.published_at),
            "dateModified": _ld_date(page.modified_at or page.published_at),
            "author": [{"@type": "Person", "name": a,
                        "url": f"{COM}/staff/{term_slug(a)}"} for a in page.authors],
            "publisher": {"@type": "Organization", "name": "POLITICO",
                          "logo": {"@type": "ImageObject",
                                   "url": "https://static.politico.com/logo.png"}},
            "articleSection": page.section, "isAccessibleForFree": True,
        }

    def _byline(self, s: Story) -> str:
        names = " and ".join(
            f'<span class="vcard"><a href="{COM}/staff/{term_slug(a)}" target="_top">{esc(a)}</a></span>'
            for a in s.page.authors)
        stamp = s.local
        hour = stamp.strftime("%I:%M %p").lstrip("0")
        zone = stamp.tzname() or "ET"
        return (f'<div class="story-meta"><p class="story-meta__authors font-text-byline">By {names}</p>'
                f'<p class="story-meta__timestamp font-text-byline"><time datetime="{stamp:%Y-%m-%d %H:%M:%S}">'
                f"{stamp:%m/%d/%Y} {hour} {zone}</time></p>"
                '<aside class="social-tools"><ul class="social-tools__list"><li><a href="#" data-share-service="facebook">Facebook</a></li>'
                '<li><a href="#" data-share-service="twitter">Twitter</a></li><li><a href="#" data-share-service="copylink">Copy link</a></li></ul></aside></div>')

    def _related(self, s: Story) -> list[Story]:
        others = [o for o in self.articles if o.url != s.url and o.page.expect == "stored"]
        rng = stable_rng("related", s.url)
        return rng.sample(others, min(3, len(others)))

    def story_page(self, s: Story) -> str:
        page, extra = s.page, s.extra
        older = extra.get("template") == "older"
        pclass = "story-text__paragraph  " if older else "text-body font-text-body leading-body"
        rng = stable_rng("brightspot", page.url)
        rows: list[str] = []
        related = self._related(s)
        for i, para in enumerate(page.paragraphs):
            text = esc(para)
            if i == extra.get("link_in") and related:
                words = para.split(" ")
                if len(words) > 8:  # "... <a href>\nlinked words</a> ..." as Brightspot prints it
                    a, b = len(words) - 5, len(words) - 2
                    text = (esc(" ".join(words[:a])) + f' <a href="{attr(related[0].url)}" class=" js-tealium-tracking " target="_blank">\n'
                            + esc(" ".join(words[a:b])) + "</a> " + esc(" ".join(words[b:])))
            rows.append(f'<p class="{pclass}">{text}</p>')
            if i + 1 == extra.get("ad_at"):
                rows.append('<div id="pol-05-wrap" class="content-group ad" aria-label="Advertisement">'
                            '<p class="font-text-label ad__label">Advertisement</p>'
                            '<div id="pol-05" class="ad-slot placeholder placeholder--250" aria-hidden="true" data-ad-refresh="30"></div></div>')
            if i + 1 == extra.get("interrupt_at"):
                rows.append('<div class="story-interrupt story-interrupt--newsletter">'
                            '<p class="font-text-body story-interrupt__title">Start your day with Playbook, the unofficial guide to official Washington.</p>'
                            '<form class="story-interrupt__form" action="/newsletters/signup" method="post"><input type="email" name="email" placeholder="Your email">'
                            '<button type="submit">Sign Up</button></form>'
                            '<p class="font-text-caption">By signing up, you acknowledge and agree to our Privacy Policy and Terms of Service.</p></div>')
        rel = "".join(f'<li class="story-related__item"><a href="{attr(r.url)}">{esc(r.page.title)}</a></li>'
                      for r in related)
        aside = (f'<aside class="story-related"><p class="font-text-label story-related__title">Related</p>'
                 f'<ul class="story-related__list">{rel}</ul></aside>')
        caption = rng.choice(("Lawmakers walk through the Capitol on the way to a vote.",
                              "The Capitol dome is seen at dusk.",
                              "Reporters wait outside a closed-door meeting in the Capitol.",
                              "The White House is seen from Lafayette Park."))
        credit = rng.choice(("Francis Chung/POLITICO", "J. Scott Applewhite/AP",
                             "Kevin Dietsch/Getty Images", "Anna Moneymaker/Getty Images"))
        section = page.section or "Politics"
        return f"""{self._head(f"{page.title} - POLITICO", self._meta(s, self._ld(s)))}<body class="page--story layout--{'newsletter' if s.kind == 'newsletter' else 'article'}">
{self._nav()}
<main id="main" tabindex="-1">
<div class="page-content page-content--story story-type--core" data-content-id="{extra.get('id')}">
<section class="page-content__row page-content__row--story">
<div class="container container--story">
<div class="story-header"><p class="category"><a href="{COM}/{term_slug(section)}">{esc(section)}</a></p>
<h1 class="headline">{esc(page.title)}</h1>
<p class="dek">{esc(str(extra.get('dek') or ''))}</p></div>
<figure class="media-item media-item--story"><picture><img class="Image" src="https://static.politico.com/{str(extra.get('id'))[-2:]}/{extra.get('id')}/lead.jpg" alt="{attr(caption)}"></picture>
<figcaption><p class="font-text-caption media-item__caption">{esc(caption)} | {esc(credit)}</p></figcaption></figure>
<div class="story-text">
{self._byline(s)}
{chr(10).join(rows)}
</div>
{aside}
</div>
</section>
</div>
</main>
{self._footer()}
</body>
</html>
"""

    def live_page(self, s: Story) -> str:
        page = s.page
        ld = self._ld(s, "LiveBlogPosting")
        start = page.published_at
        ld.update({
            "coverageStartTime": _ld_date(start),
            "coverageEndTime": _ld_date(start + timedelta(hours=6)),
            "articleBody": "\n\n".join(page.paragraphs),
            "liveBlogUpdate": [
                {"@type": "BlogPosting", "headline": make_excerpt([u], 8) + " …",
                 "datePublished": _ld_date(start + timedelta(minutes=20 * i))}
                for i, u in enumerate(page.paragraphs)],
        })
        return f"""{self._head(f"{page.title} - POLITICO", self._meta(s, ld))}<body class="page--live-updates">
{self._nav()}
<main id="main" tabindex="-1">
<div class="page-content page-content--live" data-content-id="{s.extra.get('id')}">
<div class="live-header"><span class="live-header__badge">Live</span>
<h1 class="headline">{esc(page.title)}</h1>
<p class="dek">{esc(str(s.extra.get('dek') or ''))}</p></div>
{self._byline(s)}
<div id="live-updates-root" class="live-updates" data-endpoint="/fe-api/live-updates/{s.extra.get('id')}"><div class="live-updates__loading">Loading…</div></div>
</div>
</main>
{self._footer()}
<script src="{COM}/dist/js/live-updates.min.js" defer></script>
</body>
</html>
"""

    def media_page(self, s: Story) -> str:
        page = s.page
        return f"""{self._head(f"{page.title} - POLITICO", f'<link rel="canonical" href="{attr(page.url)}">{chr(10)}')}<body class="page--{s.kind}">
{self._nav()}
<main id="main" tabindex="-1"><div class="media-page"><h1 class="headline">{esc(page.title)}</h1>
<div class="media-player" data-media-id="{s.extra.get('id')}"></div></div></main>
{self._footer()}
</body>
</html>
"""

    def listing(self, heading: str, stories: Sequence[Story]) -> str:
        rows = "".join(f'<article class="story-frag"><h3 class="headline"><a href="{attr(s.url)}">{esc(s.page.title)}</a></h3>'
                       f'<time datetime="{s.local.isoformat()}">{s.local:%m/%d/%Y}</time></article>'
                       for s in stories)
        return f"""{self._head(heading, "")}<body class="page--home">{self._nav()}<main id="main">{rows}</main>{self._footer()}</body></html>
"""

    def not_found(self) -> str:
        return f"""{self._head("Page not found - POLITICO", "")}<body class="page--404">{self._nav()}<main id="main"><h1>Sorry, the page you were looking for cannot be found.</h1></main>{self._footer()}</body></html>
"""


# ---- serving: politico.eu (WordPress) ------------------------------------------------------


class PoliticoEuTheme:
    """politico.eu's WordPress theme ("politico-new")."""

    def _head(self, wp: WordPress, title: str, extra: str = "") -> str:
        return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
{extra}<meta property="og:site_name" content="POLITICO">
<meta property="og:locale" content="en_US">
<link rel="alternate" type="application/rss+xml" title="POLITICO &raquo; Feed" href="{wp.home}feed/">
<link rel="stylesheet" id="politico-style-css" href="{wp.home}wp-content/themes/politico-new/style.css?ver=2.41.0" media="all">
<meta name="generator" content="WordPress 6.8.3">
</head>
"""

    def _header(self, wp: WordPress) -> str:
        links = "".join(f'<li class="menu-item"><a href="{wp.url(f"section/{s}/")}">{esc(t)}</a></li>'
                        for t, s in (("Politics", "politics"), ("Defense", "defense"),
                                     ("Trade", "trade"), ("Energy and Climate", "energy-and-climate"),
                                     ("Newsletters", "newsletters")))
        return (f'<header class="header"><a class="header__logo" href="{wp.home}">POLITICO</a>'
                f'<nav class="header__nav"><ul class="menu">{links}</ul></nav></header>')

    def _footer(self, wp: WordPress) -> str:
        year = (wp.today or date(2026, 1, 1)).year
        return (f'<footer class="footer"><p class="footer__copyright">&copy; {year} POLITICO SRL</p>'
                f'<ul class="footer__menu"><li><a href="{wp.url("privacy/")}">Privacy Policy</a></li>'
                f'<li><a href="{wp.url("cookie-policy/")}">Cookie Policy</a></li></ul></footer>')

    def article(self, wp: WordPress, post: Post, paragraphs: Sequence[str], charset: str) -> str:
        page = post.page
        author = page.authors[0] if page.authors else "POLITICO"
        published = page.published_at.astimezone(UTC)
        modified = (page.modified_at or page.published_at).astimezone(UTC)
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": page.title,
              "url": page.url, "mainEntityOfPage": {"@type": "WebPage", "@id": page.url},
              "articleSection": page.section,
              "author": [{"@type": "Person", "name": author,
                          "url": wp.url(f"author/{term_slug(author)}/")}],
              "publisher": {"@type": "Organization", "name": "POLITICO"},
              "dateCreated": f"{published:%Y-%m-%dT%H:%M:%S}+00:00",
              "datePublished": f"{published:%Y-%m-%dT%H:%M:%S}+00:00",
              "dateModified": f"{modified:%Y-%m-%dT%H:%M:%S}+00:00"}
        meta = "\n".join([
            '<meta property="og:type" content="article">',
            f'<meta property="og:title" content="{attr(page.title)}">',
            f'<meta property="og:url" content="{attr(page.url)}">',
            f'<meta property="og:description" content="{attr(str(post.extra.get("dek", "")))}">',
            f'<meta property="article:published_time" content="{published:%Y-%m-%dT%H:%M:%S}+00:00">',
            f'<meta property="article:modified_time" content="{modified:%Y-%m-%dT%H:%M:%S}+00:00">',
            f'<link rel="canonical" href="{attr(page.url)}">',
            f'<script type="application/ld+json">{json_ld(ld)}</script>',
        ]) + "\n"
        local = page.published_at.astimezone(CET)
        body: list[str] = []
        for i, p in enumerate(paragraphs):
            body.append(f"<p>{esc(p)}</p>")
            if i == 1:
                body.append('<div class="ad ad__instory-1"><!-- AD UNIT Instory-1 --><div class="ad-wrapper"><div id="div-gpt-ad-instory-1"></div></div></div>')
            if i == 2:
                body.append('<div class="newsletter-promo"><p class="newsletter-promo__title">Brussels Playbook</p>'
                            '<p class="newsletter-promo__text">Your guide to the EU, every weekday morning.</p></div>')
        hour = local.strftime("%I:%M %p").lstrip("0").lower()
        return f"""{self._head(wp, f"{page.title} – POLITICO", meta)}<body class="post-template-default single single-post postid-{post.id}">
{self._header(wp)}
<main class="main">
<article class="article" id="post-{post.id}">
<header class="article-meta"><p class="article-meta__label"><a href="{wp.url(f'section/{term_slug(page.section or "politics")}/')}">{esc(page.section or '')}</a></p>
<h1 class="article-meta__title">{esc(page.title)}</h1>
<p class="article-meta__excerpt">{esc(str(post.extra.get('dek', '')))}</p>
<div class="article-meta__author">By <a href="{wp.url(f'author/{term_slug(author)}/')}">{esc(author)}</a></div>
<p class="article-meta__datetime-duo"><span class="article-meta__date">{local:%B} {local.day}, {local.year}</span> <span class="article-meta__time">{hour} {local.tzname()}</span></p>
<div class="social-sharing"><ul class="social-sharing__list"><li class="social-sharing__item"><a class="social-sharing__anchor" href="#">Share</a></li></ul></div>
</header>
<div class="article__content">
<div class="social-sharing__container"></div>
{chr(10).join(body)}
<figure class="wp-block-image"><img src="{wp.home}wp-content/uploads/{local:%Y/%m/%d}/GettyImages-{post.id}.jpg" alt=""><figcaption>Officials arrive for a meeting in Brussels. | Getty Images</figcaption></figure>
</div>
<footer class="article__footer"><p class="article__tags">Tags: {esc(', '.join(post.tags))}</p></footer>
</article>
<aside class="related"><h2>Related</h2></aside>
</main>
{self._footer(wp)}
</body>
</html>
"""

    def listing(self, wp: WordPress, heading: str, posts: Sequence[Post], page: int, pages: int,
                page_url: Callable[[int], str], context: Mapping[str, Any]) -> str:
        rows = "".join(f'<article class="card"><h3 class="card__title"><a href="{attr(p.url)}">{esc(p.title)}</a></h3>'
                       f'<time datetime="{p.local.isoformat()}">{p.local:%B %d, %Y}</time></article>'
                       for p in posts)
        nxt = (f'<a class="next" rel="next" href="{attr(page_url(page + 1))}">Next</a>'
               if page < pages else "")
        return f"""{self._head(wp, f"{heading} – POLITICO")}<body class="archive">{self._header(wp)}<main class="main"><h1>{esc(heading)}</h1>{rows}{nxt}</main>{self._footer(wp)}</body></html>
"""

    def not_found(self, wp: WordPress) -> str:
        return f"""{self._head(wp, "Page not found – POLITICO")}<body class="error404">{self._header(wp)}<main class="main"><h1>Page not found</h1></main>{self._footer(wp)}</body></html>
"""


def _eu_news_sitemap(wp: WordPress) -> bytes:
    newest = max(p.local.date() for p in wp.posts)
    chosen = [p for p in wp.posts if p.local.date() >= newest - timedelta(days=1)]
    rows = "".join(
        f"<url><loc>{xml_escape(p.url)}</loc><news:news><news:publication><news:name>POLITICO"
        "</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{p.local.replace(microsecond=0).isoformat()}</news:publication_date>"
        f"<news:title>{xml_escape(p.title)}</news:title></news:news></url>" for p in chosen)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset '
            'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"{rows}</urlset>\n").encode()


def _pro_login(path: str) -> Response:
    return html_response(f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Log in | POLITICO Pro</title><meta name="robots" content="noindex, nofollow"></head>
<body class="pro-login"><main><h1>POLITICO Pro</h1><p>This content is available to POLITICO Pro subscribers.</p>
<form action="/login?destination={attr(path)}" method="post"><input type="email" name="username"><input type="password" name="password"><button type="submit">Log in</button></form></main></body></html>
""")


def mount(catalog: Catalog) -> Callable[[Request], Response]:
    com = Brightspot(catalog)
    eu = _EuPress(
        outlet=OUTLET, origin=EU, base="/", name="POLITICO",
        tagline="European Politics, Policy, Government News", language="en", html_lang="en-GB",
        tz=cast(timezone, CET), per_page=10, theme=PoliticoEuTheme(), sitemaps="yoast",
    ).load(catalog)

    def handle(req: Request) -> Response:
        if req.host == "politico.com":
            return redirect(COM + req.path + (f"?{req.query}" if req.query else ""))
        if req.host == "politico.eu":
            return redirect(EU + req.path + (f"?{req.query}" if req.query else ""))
        if req.host == "subscriber.politicopro.com":
            if req.path == "/robots.txt":
                return robots_txt(["User-agent: *", "Disallow: /"])
            return _pro_login(unquote(req.path))
        if req.host == "www.politico.eu":
            if req.path == "/robots.txt":
                return robots_txt(["User-agent: *", "Disallow: /wp-admin/",
                                   "Allow: /wp-admin/admin-ajax.php", "",
                                   f"Sitemap: {EU}/sitemap_index.xml",
                                   f"Sitemap: {EU}/news-sitemap.xml"])
            if req.path == "/news-sitemap.xml":
                return xml_response(_eu_news_sitemap(eu))
            return eu.handle(req)
        return com.handle(req)

    return handle


@dataclass
class _EuPress(WordPress):
    """politico.eu: only this outlet's politico.eu pages are WordPress posts."""

    def load(self, catalog: Catalog) -> WordPress:
        self.today = catalog.anchor
        posts = []
        for page in catalog.for_outlet(self.outlet):
            if not page.url.startswith(self.origin):
                continue
            extra = catalog.extra(page)
            posts.append(Post(page, int(extra["post_id"]), page.published_at.astimezone(self.tz),
                              unquote(urlsplit(page.url).path), tuple(extra.get("tags", ())),
                              extra))
        posts.sort(key=lambda p: (p.local, p.id), reverse=True)
        self.posts = posts
        self._by_path = {p.path: p for p in posts}
        self._by_id = {p.id: p for p in posts}
        return self

