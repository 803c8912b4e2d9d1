# ruff: noqa: E501 - feed, sitemap and theme markup is kept as WordPress prints it
"""WordPress, as the mirrored sites need it: routing (permalinks, ``?p=<id>`` short links,
trailing-slash redirects), RSS feeds, date archives with WordPress's pagination (no
``page/1/``, a 404 past the last page), category and tag listings and feeds, Yoast or
monthly sitemaps, and the traps an article URL can hold.

One :class:`WordPress` per install; its :class:`Theme` prints the pages. The themes share one
frame (head, masthead, sidebar, footer) and differ only where the real sites differ: the
article markup the registry's selectors point at, and the chrome that must not leak into the
text.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, tzinfo
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit
from xml.sax.saxutils import escape as xml_escape

from devkit.mirror.catalog import Catalog, MirrorPage
from devkit.mirror.sites.common import (
    AR_MONTHS,
    EN_MONTHS,
    Request,
    Response,
    arabic_slug,
    ascii_slug,
    attr,
    cloudflare_challenge,
    display_date,
    esc,
    excerpt,
    html_response,
    iso,
    lower_pct,
    redirect,
    shown,
    stable_rng,
    xml_response,
)

TOO_LARGE_BYTES = 6_600_000  # over the 6 MB a crawler should refuse
COOKIE_TEXT = (
    "This website uses cookies to improve your experience. We'll assume you're ok with this, "
    "but you can opt-out if you wish."
)


class Post:
    """A catalog page as one WordPress install sees it."""

    def __init__(self, page: MirrorPage, extra: Mapping[str, Any], tz: tzinfo) -> None:
        self.page, self.extra = page, extra
        self.id = int(extra["post_id"])
        self.local = page.published_at.astimezone(tz)
        self.path = unquote(urlsplit(page.url).path)
        self.tags: tuple[str, ...] = tuple(extra.get("tags", ()))

    @property
    def url(self) -> str:
        return self.page.url

    @property
    def title(self) -> str:
        return self.page.title


def term_slug(name: str) -> str:
    return arabic_slug(name) if re.search(r"[^\x00-\x7f]", name) else ascii_slug(name)


def rfc822(dt: datetime) -> str:
    return format_datetime(dt.astimezone(UTC).replace(microsecond=0))


def json_ld(obj: object, ascii_only: bool = False) -> str:
    return json.dumps(obj, ensure_ascii=ascii_only, separators=(",", ":")).replace("</", "<\\/")


class WordPress:
    """One WordPress install at ``origin + base`` serving one outlet's catalog pages."""

    def __init__(
        self,
        catalog: Catalog,
        outlet: str,
        theme: Theme,
        *,
        origin: str,
        name: str,
        lang: str,
        tz: tzinfo,
        base: str = "/",
        html_lang: str = "",
        per_page: int = 10,
        archives: str = "date/",  # "" gives /YYYY/MM/, "archives/" /archives/YYYY/MM/
        taxonomies: str = "",  # prefix of category/ and tag/ ("archives/" on Enab Baladi)
        sitemaps: str | None = "yoast",  # "yoast", "monthly" or None
        feed_size: int = 10,
        feed_link: Callable[[Post], str] = lambda p: p.url,
        categories: Mapping[str, str] = {},  # section -> category slug (else from the name)
        all_in: str | None = None,  # a category every post is also filed in
        owns: Callable[[MirrorPage], bool] = lambda p: True,
    ) -> None:
        self.outlet, self.theme, self.origin, self.base = outlet, theme, origin, base
        self.name, self.lang, self.html_lang, self.tz = name, lang, html_lang or lang, tz
        self.per_page, self.archives, self.taxonomies = per_page, archives, taxonomies
        self.sitemaps, self.feed_size, self.feed_link = sitemaps, feed_size, feed_link
        self.categories, self.all_in = dict(categories), all_in
        self.today = catalog.anchor
        pages = [p for p in catalog.for_outlet(outlet) if owns(p)]
        self.specials = [p for p in pages if p.expect == "not_article"]  # listings, in the feed
        self.posts = sorted(
            (Post(p, catalog.extra(p), tz) for p in pages if p.expect != "not_article"),
            key=lambda p: (p.local, p.id),
            reverse=True,
        )  # newest first
        self.by_path = {p.path: p for p in self.posts}
        self.by_id = {p.id: p for p in self.posts}

    # ---- URLs --------------------------------------------------------------------------------
    @property
    def home(self) -> str:
        return self.origin + self.base

    @property
    def lang_attrs(self) -> str:
        return 'lang="ar" dir="rtl"' if self.lang == "ar" else f'lang="{self.html_lang}"'

    def url(self, rel: str) -> str:
        """Absolute URL of a path relative to the install, percent-encoded in lower case."""
        return self.home + lower_pct(quote(rel, safe="/?=&%"))

    def category_slug(self, name: str) -> str:
        return self.categories.get(name) or term_slug(name)

    def term_url(self, taxonomy: str, name: str) -> str:
        slug = self.category_slug(name) if taxonomy == "category" else term_slug(name)
        return self.url(f"{self.taxonomies}{taxonomy}/{slug}/")

    def in_category(self, post: Post, slug: str) -> bool:
        return slug == self.all_in or self.category_slug(post.page.section or "") == slug

    # ---- routing -----------------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        path = unquote(req.path)
        if path + "/" == self.base:
            return redirect(self.home)
        if not path.startswith(self.base):
            return self.not_found()
        rel, query = path[len(self.base) :], parse_qs(req.query)
        if rel == "" and "p" in query:
            post = self.by_id.get(int(query["p"][0])) if query["p"][0].isdigit() else None
            return self.article(post) if post else self.not_found()
        if rel == "" and query.get("feed", [""])[0] in ("rss2", "rss"):
            return self.feed(self.posts, self.specials)
        found = self.route(rel)
        if found is not None:
            return found
        # WordPress's canonical redirects: the slash a permalink has, or lacks
        if rel and not rel.endswith("/") and "." not in rel[-5:] and self.route(rel + "/"):
            return redirect(self.url(rel + "/"))
        if rel.endswith("/") and self.base + rel[:-1] in self.by_path:
            return redirect(self.url(rel[:-1]))
        return self.not_found()

    def route(self, rel: str) -> Response | None:
        post = self.by_path.get(self.base + rel)
        if post is not None:
            return self.article(post)
        if rel == "feed/":
            return self.feed(self.posts, self.specials)
        if m := re.fullmatch(r"(.*?)page/(\d+)/", rel):
            prefix, n = m.group(1), int(m.group(2))
            if n == 1:
                return redirect(self.url(prefix)) if self.listing(prefix, 1) else None
            return self.listing(prefix, n)
        if m := re.fullmatch(re.escape(self.taxonomies) + r"category/([^/]+)/feed/", rel):
            posts = [p for p in self.posts if self.in_category(p, m.group(1))]
            return self.feed(posts, []) if posts else None
        if self.sitemaps and rel.endswith(".xml"):
            return self.sitemap(rel)
        return self.listing(rel, 1)

    def listing(self, prefix: str, page: int) -> Response | None:
        """Page ``page`` of the listing at ``prefix``; None when there is no such listing."""
        a = re.escape(self.archives)
        posts: Sequence[Post]
        daily = False
        if prefix == "":
            posts, heading = self.posts, self.name
        elif m := re.fullmatch(a + r"(\d{4})/(\d{2})/(?:(\d{2})/)?", prefix):
            y, mo, d = int(m[1]), int(m[2]), int(m[3] or 0)
            posts = [p for p in self.posts if (p.local.year, p.local.month) == (y, mo)]
            if d:
                posts = [p for p in posts if p.local.day == d]
            daily = bool(d)
            heading = self.theme.archive_heading(self, date(y, mo, d or 1), bool(d))
        elif m := re.fullmatch(re.escape(self.taxonomies) + r"(category|tag)/([^/]+)/", prefix):
            slug = m[2]
            if m[1] == "category":
                posts = [p for p in self.posts if self.in_category(p, slug)]
            else:
                posts = [
                    p for p in self.posts if any(unquote(term_slug(t)) == slug for t in p.tags)
                ]
            heading = next((t for p in posts[:1] for t in (*p.tags, p.page.section or "")
                            if unquote(term_slug(t)) == slug or self.category_slug(t) == slug), slug)  # fmt: skip
        else:
            return None
        pages = math.ceil(len(posts) / self.per_page)
        if not 1 <= page <= pages:
            return None  # an empty archive or a page past the end is a 404

        def page_url(n: int) -> str:
            return self.url(prefix if n == 1 else f"{prefix}page/{n}/")

        chunk = posts[(page - 1) * self.per_page : page * self.per_page]
        return html_response(self.theme.listing(self, heading, chunk, page, pages, page_url, daily))

    def not_found(self) -> Response:
        return html_response(self.theme.not_found(self), 404)

    # ---- feeds and sitemaps ------------------------------------------------------------------
    def feed(self, posts: Sequence[Post], specials: Sequence[MirrorPage]) -> Response:
        # the newest feed_size entries, rendered once chosen (a year of posts stays cheap)
        chosen: list[tuple[datetime, Post | MirrorPage]] = [(p.page.published_at, p) for p in posts]
        chosen += [(s.published_at, s) for s in specials]
        chosen.sort(key=lambda e: e[0], reverse=True)
        entries = [
            (when, self._item(x) if isinstance(x, Post) else
             f"\t<item>\n\t\t<title>{xml_escape(x.title)}</title>\n\t\t<link>{xml_escape(x.url)}</link>\n"
             f"\t\t<pubDate>{rfc822(x.published_at)}</pubDate>\n\t\t<guid isPermaLink=\"true\">{xml_escape(x.url)}</guid>\n\t</item>\n")
            for when, x in chosen[: self.feed_size]
        ]  # fmt: skip
        newest = max((p.page.modified_at or p.page.published_at for p in posts), default=None)
        return xml_response(
            f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	>
<channel>
	<title>{xml_escape(self.name)}</title>
	<atom:link href="{xml_escape(self.home)}feed/" rel="self" type="application/rss+xml" />
	<link>{xml_escape(self.home.rstrip("/"))}</link>
	<lastBuildDate>{rfc822(newest or datetime(2020, 1, 1, tzinfo=UTC))}</lastBuildDate>
	<language>{self.html_lang}</language>
	<sy:updatePeriod>hourly</sy:updatePeriod>
	<generator>https://wordpress.org/?v=6.8.3</generator>
{"".join(e[1] for e in entries[: self.feed_size])}</channel>
</rss>
""",
            "application/rss+xml; charset=UTF-8",
        )

    def _item(self, post: Post) -> str:
        page, link = post.page, self.feed_link(post)
        text = excerpt(page.paragraphs, 40) or page.title
        cats = "".join(
            f"\t\t<category><![CDATA[{c}]]></category>\n"
            for c in (page.section or "", *post.tags)
            if c
        )
        return f"""	<item>
		<title>{xml_escape(page.title)}</title>
		<link>{xml_escape(link)}</link>
		<dc:creator><![CDATA[{page.authors[0] if page.authors else self.name}]]></dc:creator>
		<pubDate>{rfc822(page.published_at)}</pubDate>
{cats}		<guid isPermaLink="false">{xml_escape(self.home)}?p={post.id}</guid>
		<description><![CDATA[{text} [&#8230;]]]></description>
		<content:encoded><![CDATA[<p>{xml_escape(text)} [&#8230;]</p>
<p>The post <a href="{xml_escape(page.url)}">{xml_escape(page.title)}</a> appeared first on <a href="{xml_escape(self.home)}">{xml_escape(self.name)}</a>.</p>]]></content:encoded>
	</item>
"""

    def sitemap(self, rel: str) -> Response | None:
        """Yoast (``sitemap_index.xml`` -> ``post-sitemap.xml``) or a monthly plugin
        (``sitemap.xml`` -> ``sitemap-pt-post-YYYY-MM.xml``); ``lastmod`` in UTC."""
        posts = [p for p in reversed(self.posts) if p.page.expect != "http_404"]  # oldest first

        def lastmod(items: Sequence[Post]) -> str:
            newest = max(p.page.modified_at or p.page.published_at for p in items)
            return iso(newest.astimezone(UTC))

        def urlset(items: Sequence[Post]) -> str:
            return "".join(
                f"\t<url>\n\t\t<loc>{xml_escape(p.url)}</loc>\n\t\t<lastmod>{lastmod([p])}</lastmod>\n\t</url>\n"
                for p in items
            )

        def index(children: Sequence[tuple[str, Sequence[Post]]]) -> str:
            return ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                    + "".join(f"\t<sitemap>\n\t\t<loc>{xml_escape(self.home + c)}</loc>\n\t\t<lastmod>{lastmod(items)}</lastmod>\n\t</sitemap>\n" for c, items in children if items)
                    + "</sitemapindex>\n")  # fmt: skip

        head = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        months: dict[str, list[Post]] = {}
        for p in posts:
            months.setdefault(f"{p.local:%Y-%m}", []).append(p)
        if self.sitemaps == "yoast" and rel == "sitemap_index.xml":
            body = index([("post-sitemap.xml", posts), ("category-sitemap.xml", posts)])
        elif self.sitemaps == "yoast" and rel == "post-sitemap.xml":
            body = head + urlset(posts) + "</urlset>\n"
        elif self.sitemaps == "yoast" and rel == "category-sitemap.xml":
            cats = sorted({p.page.section or "" for p in posts} - {""})
            body = (
                head
                + "".join(
                    f"\t<url>\n\t\t<loc>{xml_escape(self.term_url('category', c))}</loc>\n\t</url>\n"
                    for c in cats
                )
                + "</urlset>\n"
            )
        elif self.sitemaps == "monthly" and rel == "sitemap.xml":
            body = index(
                [(f"sitemap-pt-post-{m}.xml", months[m]) for m in sorted(months, reverse=True)]
            )
        elif self.sitemaps == "monthly" and (
            m := re.fullmatch(r"sitemap-pt-post-(\d{4}-\d{2})\.xml", rel)
        ):
            body = head + urlset(months.get(m[1], [])) + "</urlset>\n"
        else:
            return None
        return xml_response(body, "text/xml; charset=UTF-8")

    # ---- articles and their traps ------------------------------------------------------------
    def article(self, post: Post) -> Response:
        expect, host = post.page.expect, urlsplit(self.origin).hostname or ""
        if expect == "bot_challenge":
            return cloudflare_challenge(host, int(post.extra.get("status", 503)), post.url)
        if expect == "http_404":
            return self.not_found()
        if expect == "http_500":
            return html_response(
                "<!DOCTYPE html>\n<html dir='ltr'><head><meta charset=\"utf-8\"><title>WordPress &rsaquo; Error</title></head>\n"
                '<body id="error-page"><div class="wp-die-message"><p>There has been a critical error on this website.</p></div></body></html>\n',
                500,
            )
        if expect == "too_large":
            return self._too_large(post)
        if expect == "bad_encoding":
            rng = stable_rng("bad-encoding", post.url)
            text = self.theme.article(
                self, post, [_corrupt(rng, p) for p in post.page.paragraphs], "windows-1256"
            )
            return Response(
                200,
                [("Content-Type", "text/html; charset=windows-1256")],
                text.encode("utf-8", "surrogateescape"),
            )
        charset = str(post.extra.get("charset", "UTF-8"))
        text = self.theme.article(self, post, post.page.paragraphs, charset)
        return html_response(
            text, charset=charset, headers=[("Link", f"<{self.home}?p={post.id}>; rel=shortlink")]
        )

    def _too_large(self, post: Post) -> Response:
        """The article with megabytes of cache padding before ``</body>``, streamed."""
        head, _, tail = self.theme.article(self, post, post.page.paragraphs, "UTF-8").rpartition(
            "</body>"
        )
        head_b, tail_b = (
            (head + "<!-- td-cache-padding\n").encode(),
            ("\n-->\n</body>" + tail).encode(),
        )
        line = f"td_block_cache {post.url} {'0123456789abcdef' * 4}\n".encode()
        pad = TOO_LARGE_BYTES - len(head_b) - len(tail_b)

        def chunks() -> Iterator[bytes]:
            yield head_b
            block, left = line * (65536 // len(line)), pad
            while left > 0:
                yield block[:left]
                left -= min(left, len(block))
            yield tail_b

        return Response(
            200,
            [("Content-Type", "text/html; charset=UTF-8")],
            stream=chunks,
            length=len(head_b) + pad + len(tail_b),
        )


_CONTROL = [chr(c) for c in (*range(1, 9), 0x0B, *range(0x0E, 0x20))]
_INVALID = [chr(0xDC00 + b) for b in (0x80, 0x8F, 0x9D, 0xA0, 0xBF, 0xC0, 0xC1, 0xF5, 0xFE, 0xFF)]


def _corrupt(rng: Any, text: str) -> str:
    """``text`` with runs of control characters and (surrogate-escaped) invalid UTF-8 bytes."""
    out, i = [], 0
    while i < len(text):
        step = rng.randint(4, 9)
        out += [
            text[i : i + step],
            rng.choice(_CONTROL) + rng.choice(_INVALID) + rng.choice(_CONTROL),
        ]
        i += step
    return "".join(out)


# ---- themes ------------------------------------------------------------------------------------

LABELS = {
    "en": {"home": "Home", "latest": "Recent Posts", "tags": "Tags", "related": "Related articles",
           "reply": "Leave a Reply", "older": "Older posts", "newer": "Newer posts", "by": "By",
           "not_found": "Page not found", "share": "Share", "also": "Read also", "most_read": "Most read",
           "month": "Monthly Archives: {}", "day": "Daily Archives: {}"},
    "ar": {"home": "الرئيسية", "latest": "آخر الأخبار", "tags": "الوسوم", "related": "مقالات ذات صلة",
           "reply": "اترك تعليقاً", "older": "الأقدم", "newer": "الأحدث", "by": "بواسطة",
           "not_found": "الصفحة غير موجودة", "share": "شارك", "also": "اقرأ أيضًا", "most_read": "الأكثر قراءة",
           "month": "أرشيف الشهر: {}", "day": "أرشيف اليوم: {}"},
}  # fmt: skip


class Theme:
    """A stock WordPress theme (underscores markup): ``<article class="post">``,
    ``.entry-content``, ``<time class="entry-date published">``, the core comment form."""

    slug = "newsroom"
    utc_meta = True  # article:published_time in UTC (Yoast) rather than local time

    def label(self, wp: WordPress, key: str) -> str:
        return LABELS[wp.lang][key]

    def archive_heading(self, wp: WordPress, d: date, daily: bool) -> str:
        month = f"{(AR_MONTHS if wp.lang == 'ar' else EN_MONTHS)[d.month - 1]} {d.year}"
        return self.label(wp, "day" if daily else "month").format(
            display_date(wp.lang, d) if daily else month
        )

    # ---- the frame shared by every page ------------------------------------------------------
    def document(
        self,
        wp: WordPress,
        title: str,
        head: str,
        body_class: str,
        main: str,
        charset: str = "UTF-8",
    ) -> str:
        return f"""<!doctype html>
<html {wp.lang_attrs}>
<head>
<meta charset="{charset}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
{head}<link rel="alternate" type="application/rss+xml" title="{attr(wp.name)} &raquo; Feed" href="{wp.home}feed/">
<link rel="stylesheet" id="theme-css" href="{wp.home}wp-content/themes/{self.slug}/style.css?ver=6.8.3" media="all">
<meta name="generator" content="WordPress 6.8.3">
</head>
<body class="{body_class}">
{self.header(wp)}
{main}
{self.sidebar(wp)}
{self.footer(wp)}
{self.after(wp)}</body>
</html>
"""

    def header(self, wp: WordPress) -> str:
        sections = list(dict.fromkeys(p.page.section for p in wp.posts if p.page.section))[:6]
        items = (
            f'<li class="menu-item"><a href="{wp.home}">{self.label(wp, "home")}</a></li>'
            + "".join(
                f'<li class="menu-item"><a href="{attr(wp.term_url("category", s))}">{esc(s)}</a></li>'
                for s in sections
            )
        )
        return (f'<header id="masthead" class="site-header"><p class="site-title"><a href="{wp.home}" rel="home">{esc(wp.name)}</a></p>'
                f'<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">{items}</ul></nav></header>')  # fmt: skip

    def sidebar(self, wp: WordPress) -> str:
        recent = "".join(
            f'<li><a href="{attr(p.url)}">{esc(p.title)}</a></li>' for p in wp.posts[:5]
        )
        return (
            f'<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries">'
            f'<h2 class="widget-title">{self.label(wp, "latest")}</h2><ul>{recent}</ul></section></aside>'
        )

    def footer(self, wp: WordPress) -> str:
        return f'<footer id="colophon" class="site-footer"><div class="site-info">&copy; {wp.today.year} {esc(wp.name)}</div></footer>'

    def after(self, wp: WordPress) -> str:
        return ""

    # ---- articles ------------------------------------------------------------------------------
    def meta(self, wp: WordPress, post: Post, charset: str) -> str:
        page = post.page
        zone = UTC if self.utc_meta else wp.tz

        def stamp(dt: datetime) -> str | None:
            return shown(page, dt, lambda d: iso(d.astimezone(zone)))

        published, modified = stamp(page.published_at), stamp(page.modified_at or page.published_at)
        ld: dict[str, Any] = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": page.title,
                              "mainEntityOfPage": page.url, "datePublished": published, "dateModified": modified,
                              "author": [{"@type": "Person", "name": a} for a in page.authors or (wp.name,)],
                              "publisher": {"@type": "Organization", "name": wp.name}, "inLanguage": wp.html_lang}  # fmt: skip
        lines = [f'<link rel="canonical" href="{attr(page.url)}" />', '<meta property="og:type" content="article" />',
                 f'<meta property="og:title" content="{attr(page.title)}" />', f'<meta property="og:url" content="{attr(page.url)}" />',
                 f'<meta property="og:site_name" content="{attr(wp.name)}" />']  # fmt: skip
        if published:
            lines.append(f'<meta property="article:published_time" content="{published}" />')
        if page.modified_at and modified:
            lines.append(f'<meta property="article:modified_time" content="{modified}" />')
        lines.append(
            f'<meta name="author" content="{attr(page.authors[0] if page.authors else wp.name)}" />'
        )
        ld = {k: v for k, v in ld.items() if v is not None}
        lines.append(
            f'<script type="application/ld+json">{json_ld(ld, ascii_only=charset.upper() != "UTF-8")}</script>'
        )
        return "\n".join(lines) + "\n"

    def upload(self, wp: WordPress, post: Post) -> str:
        """The folder of the post's images: ``uploads/YYYY/MM/``, without the date folders on
        an undated page (whose every date signal is gone)."""
        dated = post.page.dates == "real"
        return f"{wp.home}wp-content/uploads/" + (f"{post.local:%Y/%m}/" if dated else "")

    def time(
        self, wp: WordPress, post: Post, css: str = "entry-date published", indic: bool = False
    ) -> str:
        """The visible publication date as ``<time datetime>`` (nothing on an undated page)."""
        stamp = shown(post.page, post.local, iso)
        text = shown(
            post.page,
            post.local,
            lambda d: display_date(wp.lang, d.date(), indic),
            bogus="January 1, 0001",
        )
        return f'<time class="{css}" datetime="{stamp}">{text}</time>' if stamp else ""

    def article(self, wp: WordPress, post: Post, paragraphs: Sequence[str], charset: str) -> str:
        title = f"{post.title} – {wp.name}"
        body_class = f"post-template-default single single-post postid-{post.id}"
        return self.document(
            wp,
            title,
            self.meta(wp, post, charset),
            body_class,
            self.article_main(wp, post, paragraphs),
            charset,
        )

    def byline(self, wp: WordPress, post: Post) -> str:
        return ", ".join(
            f'<a class="url fn n" href="{wp.url("author/" + term_slug(a) + "/")}">{esc(a)}</a>'
            for a in post.page.authors
        )

    def article_main(self, wp: WordPress, post: Post, paragraphs: Sequence[str]) -> str:
        page, section = post.page, post.page.section or "News"
        tags = ", ".join(
            f'<a href="{attr(wp.term_url("tag", t))}" rel="tag">{esc(t)}</a>' for t in post.tags
        )
        i = wp.posts.index(post)
        nav = "".join(f'<div class="nav-{cls}"><a href="{attr(p.url)}" rel="{rel}">{esc(p.title)}</a></div>'
                      for cls, rel, p in (("previous", "prev", wp.posts[i + 1] if i + 1 < len(wp.posts) else None),
                                          ("next", "next", wp.posts[i - 1] if i else None)) if p)  # fmt: skip
        return f"""<main id="primary" class="site-main">
<article id="post-{post.id}" class="post-{post.id} post type-post status-publish format-standard hentry category-{term_slug(section)}">
<header class="entry-header"><h1 class="entry-title">{esc(page.title)}</h1>
<div class="entry-meta"><span class="posted-on">{self.time(wp, post)}</span><span class="byline"> by {self.byline(wp, post)}</span></div></header>
<div class="entry-content">
{chr(10).join(f"<p>{esc(p)}</p>" for p in paragraphs)}
</div>
<footer class="entry-footer"><span class="cat-links">Posted in <a href="{attr(wp.term_url("category", section))}" rel="category tag">{esc(section)}</a></span> <span class="tags-links">Tagged {tags}</span></footer>
</article>
<nav class="navigation post-navigation" aria-label="Posts"><div class="nav-links">{nav}</div></nav>
<div id="comments" class="comments-area"><div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">{self.label(wp, "reply")}</h3>
<form action="{wp.home}wp-comments-post.php" method="post" id="commentform" class="comment-form"><p class="comment-notes">Your email address will not be published. Required fields are marked *</p>
<p class="comment-form-comment"><label for="comment">Comment *</label><textarea id="comment" name="comment" required></textarea></p>
<p class="comment-form-author"><label for="author">Name *</label><input id="author" name="author" type="text" required /></p>
<p class="comment-form-cookies-consent"><input id="wp-comment-cookies-consent" name="wp-comment-cookies-consent" type="checkbox" value="yes" /><label for="wp-comment-cookies-consent">Save my name, email, and website in this browser for the next time I comment.</label></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment" /></p></form></div></div>
</main>"""

    # ---- listings ------------------------------------------------------------------------------
    def card(self, wp: WordPress, post: Post) -> str:
        return (f'<article id="post-{post.id}" class="post-{post.id} post type-post hentry">\n<header class="entry-header"><h2 class="entry-title">'
                f'<a href="{attr(post.url)}" rel="bookmark">{esc(post.title)}</a></h2>\n<div class="entry-meta"><time class="entry-date published" '
                f'datetime="{iso(post.local)}">{display_date(wp.lang, post.local.date())}</time></div></header>\n'
                f'<div class="entry-summary"><p>{esc(excerpt(post.page.paragraphs, 30))} &hellip;</p></div>\n</article>')  # fmt: skip

    def listing(self, wp: WordPress, heading: str, posts: Sequence[Post], page: int, pages: int,
                page_url: Callable[[int], str], daily: bool) -> str:  # fmt: skip
        head = f'<link rel="canonical" href="{attr(page_url(page))}" />\n'
        nav = ""
        if page < pages:
            head += f'<link rel="next" href="{attr(page_url(page + 1))}" />\n'
            nav += f'<div class="nav-previous"><a class="next" href="{attr(page_url(page + 1))}">{self.label(wp, "older")}</a></div>'
        if page > 1:
            head += f'<link rel="prev" href="{attr(page_url(page - 1))}" />\n'
            nav += f'<div class="nav-next"><a href="{attr(page_url(page - 1))}">{self.label(wp, "newer")}</a></div>'
        cards = "\n".join(self.card(wp, p) for p in posts)
        widget = ""
        if daily:  # a "most read" box that links by WordPress short link (?p=<id>)
            legacy = "".join(
                f'<li><a href="{wp.home}?p={p.id}">{esc(p.title)}</a></li>'
                for p in posts
                if p.extra.get("legacy_link")
            )
            widget = (
                f'<aside class="widget widget_top_posts"><h4 class="block-title">{self.label(wp, "most_read")}</h4><ul>{legacy}</ul></aside>'
                if legacy
                else ""
            )
        title = heading if page == 1 else f"{heading} – {page}"
        main = (f'<main id="primary" class="site-main"><header class="page-header"><h1 class="page-title">{esc(heading)}</h1></header>\n'
                f'{cards}\n<nav class="navigation posts-navigation page-nav"><div class="nav-links">{nav}</div></nav>{widget}</main>')  # fmt: skip
        return self.document(wp, f"{title} – {wp.name}", head, "archive blog", main)

    def not_found(self, wp: WordPress) -> str:
        main = f'<main id="primary" class="site-main"><section class="error-404 not-found"><h1 class="page-title">{self.label(wp, "not_found")}</h1></section></main>'
        return self.document(wp, f"{self.label(wp, 'not_found')} – {wp.name}", "", "error404", main)


class TagDivTheme(Theme):
    """tagDiv "Newspaper" as SOHR runs it: a view counter and the category under the title,
    ``.td-post-content`` with empty ``&nbsp;`` paragraphs, share bars, related posts, its
    comment form ("Please enter your comment!") and a cookie banner."""

    slug = "Newspaper"

    def card(self, wp: WordPress, post: Post) -> str:
        return (f'<div class="td_module_2 td_module_wrap td-animation-stack"><h3 class="entry-title td-module-title"><a href="{attr(post.url)}" rel="bookmark">'
                f'{esc(post.title)}</a></h3><div class="td-module-meta-info"><span class="td-post-date"><time class="entry-date updated td-module-date" '
                f'datetime="{iso(post.local)}">{display_date(wp.lang, post.local.date())}</time></span></div><div class="td-excerpt">{esc(excerpt(post.page.paragraphs, 25))}</div></div>')  # fmt: skip

    def after(self, wp: WordPress) -> str:
        return (f'<div id="cookie-law-info-bar" data-nosnippet="true"><span>{esc(COOKIE_TEXT)}<a role="button" id="cookie_action_close_header" '
                f'class="cli_action_button wt-cli-accept-btn">Accept</a> <a href="{wp.url("privacy-policy/")}" class="cli-plain-button">Read More</a></span></div>\n')  # fmt: skip

    def sharing(self, post: Post, where: str) -> str:
        u = quote(post.url, safe="")
        links = "".join(f'<a class="td-social-sharing-button td-social-{k}" href="{h}"><div class="td-social-but-text">{k.title()}</div></a>'
                        for k, h in (("facebook", f"https://www.facebook.com/sharer.php?u={u}"), ("twitter", f"https://twitter.com/intent/tweet?url={u}&via=syriahr"),
                                     ("whatsapp", f"https://api.whatsapp.com/send?text={u}"), ("telegram", f"https://telegram.me/share/url?url={u}")))  # fmt: skip
        return f'<div class="td-post-sharing-{where}"><div class="td-post-sharing td-ps-bg">{links}</div></div>'

    def comments(self, wp: WordPress, post: Post) -> str:
        fields = ("<p>Please enter your comment!</p><p>Please enter your name here</p><p>You have entered an incorrect email address!</p>"
                  "<p>Please enter your email address here</p>")  # fmt: skip
        inputs = '<textarea name="comment" placeholder="Comment:"></textarea><input name="author" placeholder="Name:*" type="text" /><input name="email" placeholder="Email:*" type="text" />'
        submit = f'<p><input name="submit" type="submit" value="Post Comment" /><input type="hidden" name="comment_post_ID" value="{post.id}" /></p>'
        if post.extra.get(
            "plain_comment_form"
        ):  # the same texts, no comment/respond ids or classes
            return f'<div class="td-block"><h4>{self.label(wp, "reply")}</h4><form action="{wp.origin}/wp-comments-post.php" method="post">{fields}{inputs}{submit}</form></div>'
        warnings = "".join(f'<div class="td-warning-{k}">{t}</div>' for k, t in (("comment", "Please enter your comment!"), ("author", "Please enter your name here"),
                                                                              ("email-error", "You have entered an incorrect email address!"), ("email", "Please enter your email address here")))  # fmt: skip
        return (f'<div class="comments" id="comments"><div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">{self.label(wp, "reply")}</h3>'
                f'<form action="{wp.origin}/wp-comments-post.php" method="post" id="commentform" class="comment-form">{inputs}{warnings}{submit}</form></div></div>')  # fmt: skip

    def article_main(self, wp: WordPress, post: Post, paragraphs: Sequence[str]) -> str:
        page, section = post.page, post.page.section or ""
        nbsp = list(post.extra.get("nbsp_after", ())) or [True]
        body = ["<p>&nbsp;</p>"] if nbsp[0] or not paragraphs else []
        for i, para in enumerate(paragraphs):
            body.append(f"<p>{esc(para)}</p>")
            if nbsp[(i + 1) % len(nbsp)] or i in (0, len(paragraphs) - 1):
                body.append("<p>&nbsp;</p>")
        if not paragraphs:
            body += ["<p>&nbsp;</p>", "<p>&nbsp;</p>"]
        if post.extra.get("cookie_in_body"):
            body.append(f"<div>{esc(COOKIE_TEXT)} Accept</div>")
        others = [p for p in wp.posts if p is not post]
        related = "".join(f'<div class="td-related-span4"><h3 class="entry-title td-module-title"><a href="{attr(p.url)}" rel="bookmark">{esc(p.title)}</a></h3></div>'
                          for p in stable_rng("related", post.url).sample(others, min(3, len(others))))  # fmt: skip
        author = page.authors[0] if page.authors else wp.name
        return f"""<div class="td-main-content-wrap td-container-wrap"><div class="td-pb-span8 td-main-content" role="main">
<article id="post-{post.id}" class="post-{post.id} post type-post status-publish category-{term_slug(section)}">
<div class="td-post-header"><header class="td-post-title"><h1 class="entry-title">{esc(page.title)}</h1>
<div class="td-module-meta-info"><div class="td-post-views"><i class="td-icon-views"></i><span class="td-nr-views-{post.id}">{post.extra.get("views", 0)}</span></div>
<ul class="td-category"><li class="entry-category"><a href="{attr(wp.term_url("category", section))}">{esc(section)}</a></li></ul>
<div class="td-post-author-name"><div class="td-author-by">{self.label(wp, "by")}</div> <a href="{wp.url("author/" + term_slug(author) + "/")}">{esc(author)}</a></div>
<span class="td-post-date">{self.time(wp, post, "entry-date updated td-module-date")}</span></div></header></div>
{self.sharing(post, "top")}
<div class="td-post-content tagdiv-type">
<div class="td-post-featured-image"><img width="696" height="392" class="entry-thumb" src="{self.upload(wp, post)}{post.id}.jpg" alt="" /></div>
{chr(10).join(body)}
</div>
<footer><div class="td-post-source-tags"><ul class="td-tags"><li><span>{self.label(wp, "tags")}</span></li>{"".join(f'<li><a href="{attr(wp.term_url("tag", t))}">{esc(t)}</a></li>' for t in post.tags)}</ul></div>
{self.sharing(post, "bottom")}</footer>
</article>
<div class="td_block_wrap td_block_related_posts td-related-posts"><h4 class="td-related-title">{self.label(wp, "related")}</h4><div class="td-related-row">{related}</div></div>
{self.comments(wp, post)}
</div></div>"""


class EnabTheme(Theme):
    """Enab Baladi's theme: ``h1.post-title``, ``.post-content`` with an inline "read also"
    box and a captioned photo, then share buttons, tags and the author box."""

    slug = "enab"

    def article_main(self, wp: WordPress, post: Post, paragraphs: Sequence[str]) -> str:
        page, section = post.page, post.page.section or ""
        others = [p for p in wp.posts if p is not post]
        rel = others[stable_rng("related", page.url).randrange(len(others))] if others else None
        body: list[str] = []
        for i, p in enumerate(paragraphs):
            body.append(f"<p>{esc(p)}</p>")
            if rel is not None and i + 1 == post.extra.get("related_at"):
                body.append(
                    f'<div class="related-inline"><span>{self.label(wp, "also")}</span> <a href="{attr(rel.url)}">{esc(rel.title)}</a></div>'
                )
            if i == 2:
                caption = (
                    f"سوق شعبي في {post.tags[0]} - (عنب بلدي)"
                    if wp.lang == "ar"
                    else f"A market in {post.tags[0]} (Enab Baladi)"
                )
                body.append(
                    f'<figure class="wp-caption"><img src="{self.upload(wp, post)}{post.id}.jpg" alt=""><figcaption class="wp-caption-text">{esc(caption)}</figcaption></figure>'
                )
        tags = "".join(
            f'<a href="{attr(wp.term_url("tag", t))}" rel="tag">{esc(t)}</a>' for t in post.tags
        )
        author = page.authors[0] if page.authors else wp.name
        return f"""<div id="main" class="container"><article id="post-{post.id}" class="post-single">
<div class="post-header"><div class="post-category"><a href="{attr(wp.term_url("category", section))}">{esc(section)}</a></div>
<h1 class="post-title">{esc(page.title)}</h1>
<div class="post-meta"><span class="post-author">{esc(author)}</span> <span class="post-date">{self.time(wp, post, "post-date")}</span></div></div>
<div class="post-content entry-content">
{chr(10).join(body)}
</div>
<div class="share-post"><span>{self.label(wp, "share")}</span><a href="https://www.facebook.com/sharer.php?u={quote(page.url, safe="")}">Facebook</a><a href="https://twitter.com/intent/tweet?url={quote(page.url, safe="")}">X</a></div>
<div class="post-tags"><span>{self.label(wp, "tags")}:</span>{tags}</div>
<div class="author-box"><div class="author-name">{esc(author)}</div></div>
</article></div>"""


class JNewsTheme(Theme):
    """JNews as North Press runs it: ``h1.jeg_post_title``, ``.content-inner`` interrupted by
    an inline related-posts block, share buttons, tags, prev/next and author boxes; local
    times in ``article:published_time``; Arabic-Indic digits in the Arabic dates."""

    slug = "jnews"
    utc_meta = False

    def article_main(self, wp: WordPress, post: Post, paragraphs: Sequence[str]) -> str:
        page, section = post.page, post.page.section or ""
        others = [p for p in wp.posts if p is not post]
        related = "".join(f'<div class="jeg_post"><h3 class="jeg_post_title"><a href="{attr(r.url)}">{esc(r.title)}</a></h3></div>'
                          for r in stable_rng("jnews-related", page.url).sample(others, min(2, len(others))))  # fmt: skip
        body: list[str] = []
        for i, p in enumerate(paragraphs):
            body.append(f"<p>{esc(p)}</p>")
            if related and i + 1 == post.extra.get("related_at"):
                body.append(f'<div class="jnews_inline_related_post_wrapper"><div class="jnews_inline_related_post"><div class="jeg_block_heading">'
                            f'<h3 class="jeg_block_title"><span>{self.label(wp, "related")}</span></h3></div>{related}</div></div>')  # fmt: skip
        share = "".join(f'<a href="{h}" class="jeg_btn-{k}"><span>{k.title()}</span></a>' for k, h in
                        (("facebook", f"https://www.facebook.com/sharer.php?u={quote(page.url, safe='')}"), ("whatsapp", f"https://api.whatsapp.com/send?text={quote(page.url, safe='')}")))  # fmt: skip
        tags = "".join(
            f'<a href="{attr(wp.term_url("tag", t))}" rel="tag">{esc(t)}</a>' for t in post.tags
        )
        author = page.authors[0] if page.authors else wp.name
        return f"""<div class="jeg_main"><div class="jeg_inner_content">
<div class="entry-header"><h1 class="jeg_post_title">{esc(page.title)}</h1>
<div class="jeg_post_meta"><div class="jeg_meta_author">{self.label(wp, "by")} <a href="{wp.url("author/" + str(post.id % 89) + "/")}">{esc(author)}</a></div>
<div class="jeg_meta_date">{self.time(wp, post, "jeg_date", indic=wp.lang == "ar")}</div>
<div class="jeg_meta_category"><a href="{attr(wp.term_url("category", section))}" rel="category tag">{esc(section)}</a></div></div></div>
<div class="entry-content no-share">
<div class="jeg_share_button share-float jeg_sticky_share">{share}</div>
<div class="content-inner ">
{chr(10).join(body)}
</div>
<div class="jeg_post_tags"><span>{self.label(wp, "tags")}:</span> {tags}</div>
</div>
<div class="jnews_prev_next_container"></div>
<div class="jnews_author_box_container"><h3 class="jeg_author_name">{esc(author)}</h3></div>
</div></div>"""


class PoliticoEuTheme(Theme):
    """politico.eu's theme: ``h1.article-meta__title``, ``.article__content > p`` with an ad
    and a newsletter box nested between them, a captioned photo; dates in UTC."""

    slug = "politico-new"

    def article_main(self, wp: WordPress, post: Post, paragraphs: Sequence[str]) -> str:
        page = post.page
        body: list[str] = []
        for i, p in enumerate(paragraphs):
            body.append(f"<p>{esc(p)}</p>")
            if i == 1:
                body.append(
                    '<div class="ad ad__instory-1"><div class="ad-wrapper"><div id="div-gpt-ad-instory-1"></div></div></div>'
                )
            if i == 2:
                body.append(
                    '<div class="newsletter-promo"><p class="newsletter-promo__title">Brussels Playbook</p><p>Your guide to the EU, every weekday morning.</p></div>'
                )
        author = page.authors[0] if page.authors else "POLITICO"
        return f"""<main class="main"><article class="article" id="post-{post.id}">
<header class="article-meta"><p class="article-meta__label">{esc(page.section or "")}</p>
<h1 class="article-meta__title">{esc(page.title)}</h1>
<p class="article-meta__excerpt">{esc(str(post.extra.get("dek", "")))}</p>
<div class="article-meta__author">By <a href="{wp.url("author/" + term_slug(author) + "/")}">{esc(author)}</a></div>
<p class="article-meta__datetime-duo">{self.time(wp, post, "article-meta__date")}</p></header>
<div class="article__content">
{chr(10).join(body)}
<figure class="wp-block-image"><img src="{self.upload(wp, post)}GettyImages-{post.id}.jpg" alt=""><figcaption>Officials arrive for a meeting in Brussels. | Getty Images</figcaption></figure>
</div>
<footer class="article__footer"><p class="article__tags">Tags: {esc(", ".join(post.tags))}</p></footer>
</article></main>"""
