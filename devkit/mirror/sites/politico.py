# ruff: noqa: E501 - page, feed and sitemap markup is kept as the sites print it
"""Politico: ``www.politico.com`` (Brightspot CMS), ``www.politico.eu`` (WordPress) and the
paywalled ``subscriber.politicopro.com``; one registry outlet, ``politico``.

politico.com
- ``robots.txt`` disallows Scrapy's default user agent, GPTBot and CCBot and lets everyone
  else in (``newsloom`` too).
- Feeds ``/rss/politicopicks.xml`` (with two Politico Pro links and a podcast) and
  ``/rss/politics08.xml`` (with a leaked ``/_preview/`` link).
- ``/sitemap.xml``: an index of monthly ``sitemap-YYYYMM.xml`` since 2007 (the
  ``sitemaps.monthly`` backfill route); ``/news-sitemap.xml``: a Google News sitemap
  (``news:`` and ``image:`` namespaces, ``news:publication_date`` with a ``-05:00`` offset)
  of the newest two New York days. Both list a video and a gallery page.
- URLs ``/news/YYYY/MM/DD/<slug>-<8 digits>``, ``/newsletters/playbook/...``,
  ``/live-updates/YYYY/MM/DD/<slug>`` (New York's date); not articles: ``/video/``,
  ``/gallery/``, ``/podcasts/``, ``/_preview/``.
- Page: JSON-LD ``NewsArticle`` with ``datePublished`` like ``2026-11-20T06:30:00-0500`` (no
  colon), authors; body ``main#main p[class*=font-text]`` (``p.story-text__paragraph`` on the
  older template), among ``figcaption``, ``.story-meta``, ``.ad``, ``.story-interrupt`` and
  ``aside`` blocks that also carry ``font-text`` classes; a link whose text starts on a new
  line. Live updates keep their text only in JSON-LD ``articleBody``.
- The newest day's first article answers with Cloudflare's challenge, status 403.

politico.eu: WordPress, ``/feed/``, Yoast ``/sitemap_index.xml``, ``/news-sitemap.xml``;
``/article/<slug>/``; body ``.article__content > p``; ``article:published_time`` in UTC.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape as xml_escape
from zoneinfo import ZoneInfo

from devkit.mirror.catalog import Catalog, MirrorPage, Plan
from devkit.mirror.prose import fresh
from devkit.mirror.sites.common import (
    Handler,
    Request,
    Response,
    Rhythm,
    ascii_slug,
    attr,
    cloudflare_challenge,
    esc,
    excerpt,
    html_response,
    plan_slots,
    post_ids,
    robots_txt,
    shown,
    stable_rng,
    take,
    to_host,
    unique_url,
    xml_response,
)
from devkit.mirror.sites.wordpress import PoliticoEuTheme, WordPress, json_ld, term_slug

name = "politico"
hosts = (
    "www.politico.com",
    "politico.com",
    "www.politico.eu",
    "politico.eu",
    "subscriber.politicopro.com",
)
outlets = ("politico",)  # the registry outlets it publishes

OUTLET = "politico"
COM, EU, PRO = (
    "https://www.politico.com",
    "https://www.politico.eu",
    "https://subscriber.politicopro.com",
)
ET, CET = ZoneInfo("America/New_York"), ZoneInfo("Europe/Brussels")
# days before the anchor -> what a slot there becomes
ROLES = ((2, "live"), (0, "bot_challenge"), (3, "newsletter"), (1, "newsletter"), (0, "video"), (1, "gallery"),
         (2, "podcast"), (0, "preview"), (1, "paywall"), (2, "paywall"))  # fmt: skip
MEDIA = {"video": ("/video/", "Video: "), "gallery": ("/gallery/", "Photos: "),
         "podcast": ("/podcasts/playbook-deep-dive/", "Playbook Deep Dive: "), "preview": ("/_preview/news/", "")}  # fmt: skip
STAFF = (
    "Jordan Ellis",
    "Meredith Cole",
    "Sam Okonjo",
    "Alexandra Reyes",
    "Ben Hartley",
    "Nia Brooks",
)
EU_STAFF = ("Camille Durand", "Jakob Weber", "Giulia Romano", "Piotr Nowak")


# ---- catalog ---------------------------------------------------------------------------------


def build(plan: Plan) -> list[tuple[MirrorPage, dict[str, object]]]:
    rng = stable_rng(plan.seed, OUTLET)
    reserve: dict[int, int] = {}
    for k, _ in ROLES:
        reserve[k] = reserve.get(k, 0) + 1
    slots = plan_slots(f"{plan.seed}:{OUTLET}", plan, ET, Rhythm(3.4, quiet=(5, 6)), reserve)
    taken: set[int] = set()
    role = {i: what for k, what in ROLES if (i := take(slots, k, taken)) is not None}
    ids = [f"{n:08d}" for n in post_ids(slots, 170_000, 60)]
    seen: set[str] = set()
    out: list[tuple[MirrorPage, dict[str, object]]] = []
    n_news = 0
    for i, slot in enumerate(slots):
        kind, day, num = role.get(i, "news"), f"{slot.local:%Y/%m/%d}", ids[i]
        topic = "live" if kind == "live" else "us"
        s = fresh(
            rng,
            seen,
            "en",
            topic,
            slot.day,
            paragraphs=(7, 9) if kind == "live" else (5, 8),
            one_sentence=True,
        )
        slug = ascii_slug(s.title, drop_stop_words=True)
        authors = tuple(rng.sample(STAFF, 2 if rng.random() < 0.3 else 1))
        extra: dict[str, object] = {"id": num, "kind": kind, "template": "current", "dek": s.paragraphs[0], "tags": s.tags,
                                    "link_in": rng.randint(1, 3), "interrupt_at": rng.randint(3, 4), "ad_at": 2}  # fmt: skip
        title, paragraphs, section, expect = s.title, s.paragraphs, s.section, "stored"
        modified = (
            slot.utc + timedelta(minutes=rng.randint(15, 240)) if rng.random() < 0.5 else None
        )
        if kind in MEDIA:
            prefix, label = MEDIA[kind]
            url, title, paragraphs, section, expect = (
                f"{COM}{prefix}{day}/{slug}-{num}",
                label + title,
                (),
                kind.title(),
                "not_article",
            )
        elif kind == "paywall":
            url, paragraphs, section, expect = (
                f"{PRO}/article/{slot.local:%Y/%m}/{slug}-{num}",
                (),
                "Politico Pro",
                "paywall",
            )
        elif kind == "live":
            url, modified = f"{COM}/live-updates/{day}/{slug}", slot.utc + timedelta(hours=3)
            extra["dek"] = "Follow the latest results and reactions."
        elif kind == "newsletter":
            url, title, section = (
                f"{COM}/newsletters/playbook/{day}/{slug}-{num}",
                f"Playbook: {title}",
                "Playbook",
            )
            extra["dek"] = "Presented by the American Council of Life Insurers"
        else:
            url = f"{COM}/news/{day}/{slug}-{num}"
            if s.quote:
                paragraphs = (*paragraphs[:2], s.quote, *paragraphs[2:])
            extra["template"] = "older" if n_news % 6 == 4 else "current"
            n_news += 1
            expect = "bot_challenge" if kind == "bot_challenge" else "stored"
        if expect in ("not_article", "paywall"):
            modified = None
        page = MirrorPage(OUTLET, url, (), slot.utc, modified, title, paragraphs, "en", authors, section, expect,
                          listed_on=slot.day)  # fmt: skip
        out.append((page, extra))
    return out + _build_eu(plan)


def _build_eu(plan: Plan) -> list[tuple[MirrorPage, dict[str, object]]]:
    rng = stable_rng(plan.seed, OUTLET, "eu")
    slots = plan_slots(
        f"{plan.seed}:{OUTLET}:eu", plan, CET, Rhythm(0.8, quiet=(5, 6), crossing=0.3)
    )
    ids = post_ids(slots, 5_000_000, 200)
    seen, urls = set[str](), set[str]()
    out: list[tuple[MirrorPage, dict[str, object]]] = []
    for slot, post_id in zip(slots, ids, strict=True):
        s = fresh(rng, seen, "en", "eu", slot.day, one_sentence=True)
        url = unique_url(f"{EU}/article/{ascii_slug(s.title, 70)}/", urls)
        page = MirrorPage(OUTLET, url, (), slot.utc, slot.utc + timedelta(minutes=rng.randint(2, 30)),
                          s.title, s.paragraphs, "en", (rng.choice(EU_STAFF),), s.section, "stored", listed_on=slot.day)  # fmt: skip
        out.append(
            (
                page,
                {
                    "post_id": post_id,
                    "tags": s.tags,
                    "kind": "eu",
                    "dek": excerpt(s.paragraphs[1:2], 18),
                },
            )
        )
    return out


# ---- serving: politico.com -------------------------------------------------------------------


def _ld_date(dt: datetime) -> str:
    """Brightspot's JSON-LD date: ``2026-11-20T06:30:00-0500`` (no colon in the offset)."""
    return dt.astimezone(ET).strftime("%Y-%m-%dT%H:%M:%S%z")


def _lastmod(p: MirrorPage) -> str:
    return f"{(p.modified_at or p.published_at).astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


class Item:
    def __init__(self, page: MirrorPage, extra: Any) -> None:
        self.page, self.extra = page, extra
        self.local = page.published_at.astimezone(ET)
        self.kind = str(extra.get("kind", "news"))

    @property
    def url(self) -> str:
        return self.page.url

    @property
    def image(self) -> str:
        return f"https://static.politico.com/{self.extra['id'][-2:]}/{self.extra['id']}/lead.jpg"


class Brightspot:
    """www.politico.com served from the catalog."""

    def __init__(self, catalog: Catalog) -> None:
        self.anchor = catalog.anchor
        self.items = sorted((Item(p, catalog.extra(p)) for p in catalog.for_outlet(OUTLET) if not p.url.startswith(EU)),
                            key=lambda s: s.page.published_at, reverse=True)  # fmt: skip
        self.by_path = {urlsplit(s.url).path: s for s in self.items if s.url.startswith(COM)}
        self.listed = [
            s
            for s in self.items
            if s.page.expect in ("stored", "bot_challenge") or s.kind in ("video", "gallery")
        ]

    def handle(self, req: Request) -> Response:
        path = unquote(req.path)
        if path == "/robots.txt":
            return robots_txt("User-agent: Scrapy", "Disallow: /", "", "User-agent: GPTBot", "Disallow: /", "",
                              "User-agent: CCBot", "Disallow: /", "", "User-agent: *", "Disallow: /_preview/",
                              "Disallow: /search", "", f"Sitemap: {COM}/sitemap.xml", f"Sitemap: {COM}/news-sitemap.xml")  # fmt: skip
        if path == "/rss/politicopicks.xml":
            picks = [
                s
                for s in self.items
                if s.page.expect in ("stored", "bot_challenge", "paywall") or s.kind == "podcast"
            ]
            return self.feed("POLITICO Picks", picks[:14])
        if path == "/rss/politics08.xml":
            politics = [s for s in self.items if s.kind == "preview" or (s.page.expect in ("stored", "bot_challenge")
                        and s.page.section in ("Congress", "Elections", "Supreme Court", "Playbook"))]  # fmt: skip
            return self.feed("Politics News", politics[:12])
        if path == "/sitemap.xml":
            return xml_response(self.sitemap_index())
        if path == "/news-sitemap.xml":
            return xml_response(
                news_sitemap([(s.page, s.local, s.image) for s in self.listed], "POLITICO")
            )
        if path.startswith("/sitemap-") and path.endswith(".xml"):
            return self.monthly(path[len("/sitemap-") : -len(".xml")])
        s = self.by_path.get(path)
        if s is None:
            return html_response(
                self.frame(
                    "Page not found",
                    "",
                    "page--404",
                    "<h1>Sorry, the page you were looking for cannot be found.</h1>",
                ),
                404,
            )
        if s.page.expect == "bot_challenge":
            return cloudflare_challenge("www.politico.com", 403, s.url)
        if s.kind in MEDIA:
            return html_response(self.frame(s.page.title, f'<link rel="canonical" href="{attr(s.url)}">\n', f"page--{s.kind}",
                                            f'<h1 class="headline">{esc(s.page.title)}</h1><div class="media-player"></div>'))  # fmt: skip
        return html_response(self.live(s) if s.kind == "live" else self.story(s))

    # ---- feeds and sitemaps ------------------------------------------------------------------
    def feed(self, title: str, items: Sequence[Item]) -> Response:
        rows = "".join(f"<item><title>{xml_escape(s.page.title)}</title><link>{xml_escape(s.url)}</link><description>{xml_escape(str(s.extra.get('dek') or ''))}</description>"
                       f'<pubDate>{format_datetime(s.local.replace(microsecond=0))}</pubDate><guid isPermaLink="true">{xml_escape(s.url)}</guid>'
                       f"{''.join(f'<dc:creator>{xml_escape(a)}</dc:creator>' for a in s.page.authors)}</item>\n" for s in items)  # fmt: skip
        return xml_response(f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>{xml_escape(title)}</title>'
                            f"<link>{COM}/</link><language>en-us</language>\n{rows}</channel></rss>\n", "application/rss+xml; charset=UTF-8")  # fmt: skip

    def sitemap_index(self) -> str:
        rows: list[str] = []
        y, m = self.anchor.year, self.anchor.month
        newest = max((_lastmod(s.page) for s in self.listed), default="")
        while (y, m) >= (2007, 1):
            lastmod = newest if not rows else f"{y + m // 12:04d}-{m % 12 + 1:02d}-01T00:00:00Z"
            rows.append(
                f"<sitemap><loc>{COM}/sitemap-{y:04d}{m:02d}.xml</loc><lastmod>{lastmod}</lastmod></sitemap>"
            )
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
        return f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{"".join(rows)}</sitemapindex>\n'

    def monthly(self, stem: str) -> Response:
        if len(stem) != 6 or not stem.isdigit() or not (2007, 1) <= (int(stem[:4]), int(stem[4:])) <= (self.anchor.year, self.anchor.month) \
                or not 1 <= int(stem[4:]) <= 12:  # fmt: skip
            return html_response(
                self.frame("Page not found", "", "page--404", "<h1>Not found</h1>"), 404
            )
        rows = "".join(f"<url><loc>{xml_escape(s.url)}</loc><lastmod>{_lastmod(s.page)}</lastmod></url>"
                       for s in self.listed if f"{s.local:%Y%m}" == stem)  # fmt: skip
        return xml_response(
            f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>\n'
        )

    # ---- pages -------------------------------------------------------------------------------
    def frame(self, title: str, head: str, body_class: str, main: str) -> str:
        nav = "".join(f'<li class="nav__item"><a href="{COM}/{p}">{t}</a></li>' for t, p in
                      (("Congress", "congress"), ("White House", "white-house"), ("Elections", "elections"), ("Playbook", "playbook")))  # fmt: skip
        return f"""<!DOCTYPE html>
<html lang="en" class="no-js">
<head>
<meta charset="utf-8">
<title>{esc(title)} - POLITICO</title>
{head}<meta property="og:site_name" content="POLITICO">
<link rel="stylesheet" href="{COM}/dist/css/site.min.css">
</head>
<body class="{body_class}">
<header class="global-header"><a class="global-header__logo" href="{COM}/">POLITICO</a><nav class="global-nav"><ul class="nav__list">{nav}</ul></nav></header>
<main id="main" tabindex="-1">
{main}
</main>
<footer class="global-footer"><p class="footer__copyright">&copy; {self.anchor.year} POLITICO LLC</p></footer>
</body>
</html>
"""

    def head(self, s: Item, kind: str = "NewsArticle", **more: object) -> str:
        page = s.page
        ld = {"@context": "https://schema.org", "@type": kind, "headline": page.title, "description": s.extra.get("dek"),
              "mainEntityOfPage": page.url, "datePublished": shown(page, page.published_at, _ld_date),
              "dateModified": shown(page, page.modified_at or page.published_at, _ld_date),
              "author": [{"@type": "Person", "name": a, "url": f"{COM}/staff/{term_slug(a)}"} for a in page.authors],
              "publisher": {"@type": "Organization", "name": "POLITICO"}, "articleSection": page.section, **more}  # fmt: skip
        return (f'<meta property="og:title" content="{attr(page.title)}">\n<meta property="og:type" content="article">\n'
                f'<link rel="canonical" href="{attr(page.url)}">\n<script type="application/ld+json">{json_ld({k: v for k, v in ld.items() if v is not None})}</script>\n')  # fmt: skip

    def byline(self, s: Item) -> str:
        names = " and ".join(
            f'<a href="{COM}/staff/{term_slug(a)}">{esc(a)}</a>' for a in s.page.authors
        )
        stamp = "" if s.page.dates != "real" else (
            f'<p class="story-meta__timestamp font-text-byline"><time datetime="{s.local:%Y-%m-%d %H:%M:%S}">'
            f'{s.local:%m/%d/%Y} {s.local.strftime("%I:%M %p").lstrip("0")} {s.local.tzname()}</time></p>')  # fmt: skip
        return f'<div class="story-meta"><p class="story-meta__authors font-text-byline">By {names}</p>{stamp}</div>'

    def story(self, s: Item) -> str:
        page, extra = s.page, s.extra
        pclass = (
            "story-text__paragraph  "
            if extra.get("template") == "older"
            else "text-body font-text-body leading-body"
        )
        others = [o for o in self.items if o is not s and o.page.expect == "stored"]
        related = stable_rng("related", s.url).sample(others, min(3, len(others)))
        rows: list[str] = []
        for i, para in enumerate(page.paragraphs):
            text, words = esc(para), para.split(" ")
            if (
                i == extra["link_in"] and related and len(words) > 8
            ):  # "... <a>\nlinked words</a> ..." as Brightspot prints it
                a, b = len(words) - 5, len(words) - 2
                text = f'{esc(" ".join(words[:a]))} <a href="{attr(related[0].url)}" class=" js-tealium-tracking ">\n{esc(" ".join(words[a:b]))}</a> {esc(" ".join(words[b:]))}'
            rows.append(f'<p class="{pclass}">{text}</p>')
            if i + 1 == extra["ad_at"]:
                rows.append(
                    '<div class="content-group ad"><p class="font-text-label ad__label">Advertisement</p><div class="ad-slot"></div></div>'
                )
            if i + 1 == extra["interrupt_at"]:
                rows.append('<div class="story-interrupt"><p class="font-text-body story-interrupt__title">Start your day with Playbook, the unofficial guide to official Washington.</p>'
                            '<form action="/newsletters/signup" method="post"><input type="email" name="email"><button type="submit">Sign Up</button></form></div>')  # fmt: skip
        aside = "".join(
            f'<li><a href="{attr(r.url)}">{esc(r.page.title)}</a></li>' for r in related
        )
        main = f"""<div class="page-content page-content--story" data-content-id="{extra["id"]}">
<div class="story-header"><p class="category"><a href="{COM}/{term_slug(page.section or "politics")}">{esc(page.section or "")}</a></p>
<h1 class="headline">{esc(page.title)}</h1><p class="dek">{esc(str(extra["dek"]))}</p></div>
<figure class="media-item"><img src="{s.image}" alt=""><figcaption><p class="font-text-caption">The Capitol dome is seen at dusk. | Francis Chung/POLITICO</p></figcaption></figure>
<div class="story-text">
{self.byline(s)}
{chr(10).join(rows)}
</div>
<aside class="story-related"><p class="font-text-label">Related</p><ul>{aside}</ul></aside>
</div>"""
        return self.frame(page.title, self.head(s), f"page--story layout--{s.kind}", main)

    def live(self, s: Item) -> str:
        page, start = s.page, s.page.published_at
        updates = [{"@type": "BlogPosting", "headline": excerpt([u], 8) + " …",
                    "datePublished": shown(page, start + timedelta(minutes=20 * i), _ld_date)} for i, u in enumerate(page.paragraphs)]  # fmt: skip
        head = self.head(
            s, "LiveBlogPosting", articleBody="\n\n".join(page.paragraphs), liveBlogUpdate=updates
        )
        main = f"""<div class="page-content page-content--live" data-content-id="{s.extra["id"]}">
<div class="live-header"><span class="live-header__badge">Live</span><h1 class="headline">{esc(page.title)}</h1><p class="dek">{esc(str(s.extra["dek"]))}</p></div>
{self.byline(s)}
<div id="live-updates-root" class="live-updates"><div class="live-updates__loading">Loading…</div></div>
</div>"""
        return self.frame(page.title, head, "page--live-updates", main)


def news_sitemap(
    entries: Sequence[tuple[MirrorPage, datetime, str | None]], publication: str
) -> str:
    """A Google News sitemap of the newest two local days (``news:``; ``image:`` when given)."""
    newest = max((local.date() for _, local, _ in entries), default=None)
    rows = "".join(f"<url><loc>{xml_escape(p.url)}</loc><news:news><news:publication><news:name>{publication}</news:name><news:language>en</news:language>"
                   f"</news:publication><news:publication_date>{local.replace(microsecond=0).isoformat()}</news:publication_date><news:title>{xml_escape(p.title)}</news:title>"
                   f"</news:news>{f'<image:image><image:loc>{image}</image:loc></image:image>' if image else ''}</url>"
                   for p, local, image in entries if newest and local.date() >= newest - timedelta(days=1))  # fmt: skip
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">'
            f"{rows}</urlset>\n")  # fmt: skip


def mount(catalog: Catalog) -> Handler:
    com = Brightspot(catalog)
    eu = WordPress(catalog, OUTLET, PoliticoEuTheme(), origin=EU, name="POLITICO", lang="en", html_lang="en-GB",
                   tz=CET, owns=lambda p: p.url.startswith(EU))  # fmt: skip
    www_com, www_eu = to_host(COM), to_host(EU)

    def handle(req: Request) -> Response:
        if req.host in ("politico.com", "politico.eu"):
            return www_com(req) if req.host == "politico.com" else www_eu(req)
        if req.host == "subscriber.politicopro.com":
            if req.path == "/robots.txt":
                return robots_txt("User-agent: *", "Disallow: /")
            return html_response('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Log in | POLITICO Pro</title></head><body><main>'
                                 "<h1>POLITICO Pro</h1><p>This content is available to POLITICO Pro subscribers.</p></main></body></html>\n")  # fmt: skip
        if req.host == "www.politico.eu":
            if req.path == "/robots.txt":
                return robots_txt(
                    "User-agent: *",
                    "Disallow: /wp-admin/",
                    "",
                    f"Sitemap: {EU}/sitemap_index.xml",
                    f"Sitemap: {EU}/news-sitemap.xml",
                )
            if req.path == "/news-sitemap.xml":
                return xml_response(
                    news_sitemap([(p.page, p.local, None) for p in eu.posts], "POLITICO")
                )
            return eu.handle(req)
        return com.handle(req)

    return handle
