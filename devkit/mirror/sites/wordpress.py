# ruff: noqa: E501 - feed, sitemap and theme markup is kept as WordPress prints it
"""WordPress, as mirrored sites need it: URL routing, RSS feeds, date archives with WordPress's
pagination (page 1 has no ``page/1/``, past the last page is a 404), taxonomy listings,
Yoast and core sitemaps, ``?p=<id>`` short links, and the traps an article URL can hold.

A site module describes one install with :class:`WordPress` and supplies a :class:`Theme`
(the markup); everything else is shared.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timezone
from email.utils import format_datetime
from typing import Any, Literal, Protocol
from urllib.parse import parse_qs, quote, unquote, urlsplit
from xml.sax.saxutils import escape as xml_escape

from devkit.mirror.catalog import Catalog, MirrorPage
from devkit.mirror.sites.common import (
    HTML_UTF8,
    Request,
    Response,
    attr,
    cloudflare_challenge,
    esc,
    html_response,
    redirect,
    stable_rng,
    xml_response,
)

TOO_LARGE_BYTES = 6_600_000  # over the 6 MB a crawler should refuse


@dataclass(frozen=True)
class Post:
    """A catalog page as one WordPress install sees it."""

    page: MirrorPage
    id: int
    local: datetime  # publication time in the site's offset
    path: str  # decoded path of the canonical URL
    tags: tuple[str, ...]
    extra: Mapping[str, Any]

    @property
    def url(self) -> str:
        return self.page.url

    @property
    def title(self) -> str:
        return self.page.title

    @property
    def local_modified(self) -> datetime | None:
        m = self.page.modified_at
        return m.astimezone(self.local.tzinfo) if m else None


class Theme(Protocol):
    def article(
        self, wp: WordPress, post: Post, paragraphs: Sequence[str], charset: str
    ) -> str: ...

    def listing(
        self,
        wp: WordPress,
        heading: str,
        posts: Sequence[Post],
        page: int,
        pages: int,
        page_url: Callable[[int], str],
        context: Mapping[str, Any],
    ) -> str: ...

    def not_found(self, wp: WordPress) -> str: ...


@dataclass
class WordPress:
    """One WordPress install at ``origin + base`` serving the posts of one outlet."""

    outlet: str
    origin: str  # "https://www.syriahr.com"
    base: str  # "/" or "/en/"
    name: str
    tagline: str
    language: str  # "ar", "en"
    html_lang: str  # "ar", "en-US"
    tz: timezone
    per_page: int
    theme: Theme
    date_prefix: str = "date/"  # "" gives /YYYY/MM/ archives
    day_archives: bool = True
    feed_size: int = 10
    sitemaps: Literal["yoast", "core"] = "yoast"
    feed_link: Callable[[Post], str] = lambda p: p.url
    list_link: Callable[[Post], str] = lambda p: p.url
    today: date | None = None  # the catalog's anchor (headers print "today")
    posts: list[Post] = field(default_factory=list)  # newest first: everything listed
    specials: list[MirrorPage] = field(default_factory=list)  # not_article pages (feed only)

    # ---- set up ----------------------------------------------------------------------------
    def load(self, catalog: Catalog) -> WordPress:
        """Take this outlet's pages from the catalog."""
        self.today = catalog.anchor
        posts: list[Post] = []
        for page in catalog.for_outlet(self.outlet):
            extra = catalog.extra(page)
            if page.expect == "not_article":
                self.specials.append(page)
                continue
            posts.append(
                Post(
                    page,
                    int(extra["post_id"]),
                    page.published_at.astimezone(self.tz),
                    unquote(urlsplit(page.url).path),
                    tuple(extra.get("tags", ())),
                    extra,
                )
            )
        posts.sort(key=lambda p: (p.local, p.id), reverse=True)
        self.posts = posts
        self._by_path = {p.path: p for p in posts}
        self._by_id = {p.id: p for p in posts}
        return self

    @property
    def home(self) -> str:
        return self.origin + self.base

    def url(self, rel: str) -> str:
        """Absolute URL of a path relative to the install, percent-encoded (lower case)."""
        from devkit.mirror.text import lower_pct

        return self.origin + self.base + lower_pct(quote(rel, safe="/?=&%"))

    def term_url(self, taxonomy: str, name: str) -> str:
        return self.url(f"{taxonomy}/{term_slug(name)}/")

    def local_now(self) -> datetime:
        """The newest moment the site knows about (feeds' lastBuildDate)."""
        stamps = [p.page.modified_at or p.page.published_at for p in self.posts]
        stamps += [s.published_at for s in self.specials]
        return max(stamps) if stamps else datetime(2000, 1, 1, tzinfo=UTC)

    # ---- routing ---------------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        path = unquote(req.path)
        if path + "/" == self.base:
            return redirect(self.home)
        if not path.startswith(self.base):
            return self.not_found_response()
        rel = path[len(self.base) :]
        query = parse_qs(req.query)
        if rel == "" and "p" in query:
            try:
                post = self._by_id.get(int(query["p"][0]))
            except ValueError:
                post = None
            return self.article_response(post) if post else self.not_found_response()
        if rel == "" and query.get("feed", [""])[0] in ("rss2", "rss"):
            return self.feed_response()
        found = self._dispatch(rel)
        if found is not None:
            return found
        if (
            rel
            and not rel.endswith("/")
            and "." not in rel.rsplit("/", 1)[-1]
            and self._dispatch(rel + "/") is not None
        ):
            return redirect(self.url(rel + "/"))
        return self.not_found_response()

    def _dispatch(self, rel: str) -> Response | None:
        post = self._by_path.get(self.base + rel)
        if post is not None:
            return self.article_response(post)
        if rel == "":
            return self.listing_response("", self.posts, 1, {"kind": "home"})
        if rel == "feed/":
            return self.feed_response()
        if m := re.fullmatch(r"(.*?)page/(\d+)/", rel):
            prefix, n = m.group(1), int(m.group(2))
            if n == 1:
                return redirect(self.url(prefix)) if self._dispatch(prefix) else None
            return self._listing_for(prefix, n)
        if self.sitemaps == "yoast" and rel in (
            "sitemap_index.xml",
            "post-sitemap.xml",
            "category-sitemap.xml",
        ):
            return self._yoast(rel)
        if self.sitemaps == "core" and rel.startswith("wp-sitemap"):
            return self._core_sitemap(rel)
        return self._listing_for(rel, 1)

    def _listing_for(self, prefix: str, page: int) -> Response | None:
        """A listing's page ``page``; None when ``prefix`` is not a listing."""
        dp = re.escape(self.date_prefix)
        if prefix == "":
            return self.listing_response("", self.posts, page, {"kind": "home"})
        if m := re.fullmatch(dp + r"(\d{4})/(\d{2})/", prefix):
            y, mo = int(m.group(1)), int(m.group(2))
            posts = [p for p in self.posts if (p.local.year, p.local.month) == (y, mo)]
            return self.listing_response(
                prefix, posts, page, {"kind": "month", "year": y, "month": mo}
            )
        if self.day_archives and (m := re.fullmatch(dp + r"(\d{4})/(\d{2})/(\d{2})/", prefix)):
            try:
                day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
            posts = [p for p in self.posts if p.local.date() == day]
            return self.listing_response(prefix, posts, page, {"kind": "day", "day": day})
        if m := re.fullmatch(r"(category|tag|author)/([^/]+)/", prefix):
            taxonomy, slug = m.group(1), m.group(2)

            def named(name: str) -> bool:  # the route is already percent-decoded
                return unquote(term_slug(name)) == slug

            if taxonomy == "category":
                posts = [p for p in self.posts if named(p.page.section or "")]
            elif taxonomy == "tag":
                posts = [p for p in self.posts if any(named(t) for t in p.tags)]
            else:
                posts = [p for p in self.posts if any(named(a) for a in p.page.authors)]
            if not posts:
                return None
            names = {
                "category": [posts[0].page.section or ""],
                "tag": list(posts[0].tags),
                "author": list(posts[0].page.authors),
            }[taxonomy]
            name = next(n for n in names if named(n))
            return self.listing_response(prefix, posts, page, {"kind": taxonomy, "name": name})
        return None

    # ---- listings --------------------------------------------------------------------------
    def listing_response(
        self, prefix: str, posts: Sequence[Post], page: int, context: Mapping[str, Any]
    ) -> Response | None:
        pages = math.ceil(len(posts) / self.per_page)
        if page < 1 or page > pages:
            return None  # WordPress: an empty archive or a page past the end is a 404

        def page_url(n: int) -> str:
            return self.url(prefix if n == 1 else f"{prefix}page/{n}/")

        chunk = posts[(page - 1) * self.per_page : page * self.per_page]
        text = self.theme.listing(
            self, archive_heading(self, context), chunk, page, pages, page_url, context
        )
        return html_response(text)

    def not_found_response(self) -> Response:
        return html_response(self.theme.not_found(self), 404)

    # ---- feed ------------------------------------------------------------------------------
    def feed_response(self) -> Response:
        return xml_response(self.feed_xml(), "application/rss+xml; charset=UTF-8")

    def feed_xml(self) -> bytes:
        entries: list[tuple[datetime, Post | MirrorPage]] = [
            (p.page.published_at, p) for p in self.posts
        ] + [(s.published_at, s) for s in self.specials]
        entries.sort(key=lambda e: e[0], reverse=True)
        items = "".join(self._feed_item(e) for _, e in entries[: self.feed_size])
        build = rfc822(self.local_now())
        return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
	>

<channel>
	<title>{xml_escape(self.name)}</title>
	<atom:link href="{xml_escape(self.home)}feed/" rel="self" type="application/rss+xml" />
	<link>{xml_escape(self.home.rstrip("/"))}</link>
	<description>{xml_escape(self.tagline)}</description>
	<lastBuildDate>{build}</lastBuildDate>
	<language>{self.html_lang}</language>
	<sy:updatePeriod>
	hourly	</sy:updatePeriod>
	<sy:updateFrequency>
	1	</sy:updateFrequency>
	<generator>https://wordpress.org/?v=6.8.3</generator>
{items}</channel>
</rss>
""".encode()

    def _feed_item(self, entry: Post | MirrorPage) -> str:
        if isinstance(entry, MirrorPage):  # a listing page pushed into the feed
            return f"""	<item>
		<title>{xml_escape(entry.title)}</title>
		<link>{xml_escape(entry.url)}</link>
		<pubDate>{rfc822(entry.published_at)}</pubDate>
		<guid isPermaLink="true">{xml_escape(entry.url)}</guid>
		<description><![CDATA[{entry.title}]]></description>
	</item>
"""
        post = entry
        link = self.feed_link(post)
        excerpt = make_excerpt(post.page.paragraphs, 40) or post.title
        cats = "".join(
            f"\t\t<category><![CDATA[{c}]]></category>\n"
            for c in ([post.page.section] if post.page.section else []) + list(post.tags)
        )
        creator = post.page.authors[0] if post.page.authors else self.name
        return f"""	<item>
		<title>{xml_escape(post.title)}</title>
		<link>{xml_escape(link)}</link>
		<comments>{xml_escape(link)}#respond</comments>
		<dc:creator><![CDATA[{creator}]]></dc:creator>
		<pubDate>{rfc822(post.page.published_at)}</pubDate>
{cats}		<guid isPermaLink="false">{xml_escape(self.home)}?p={post.id}</guid>

		<description><![CDATA[{excerpt} [&#8230;]]]></description>
		<content:encoded><![CDATA[<p>{xml_escape(excerpt)} [&#8230;]</p>
<p>The post <a href="{xml_escape(post.url)}">{xml_escape(post.title)}</a> appeared first on <a href="{xml_escape(self.home)}">{xml_escape(self.name)}</a>.</p>
]]></content:encoded>
		<wfw:commentRss>{xml_escape(link)}feed/</wfw:commentRss>
		<slash:comments>0</slash:comments>
	</item>
"""

    # ---- sitemaps --------------------------------------------------------------------------
    def _sitemap_posts(self) -> list[Post]:
        return [p for p in reversed(self.posts) if p.page.expect != "http_404"]

    def _yoast(self, rel: str) -> Response:
        posts = self._sitemap_posts()
        if rel == "sitemap_index.xml":
            last = max((p.page.modified_at or p.page.published_at) for p in posts)
            body = (
                '<?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet type="text/xsl" '
                f'href="{self.home}main-sitemap.xsl"?>\n'
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                f"\t<sitemap>\n\t\t<loc>{self.home}post-sitemap.xml</loc>\n"
                f"\t\t<lastmod>{iso(last.astimezone(UTC))}</lastmod>\n\t</sitemap>\n"
                f"\t<sitemap>\n\t\t<loc>{self.home}category-sitemap.xml</loc>\n"
                f"\t\t<lastmod>{iso(last.astimezone(UTC))}</lastmod>\n\t</sitemap>\n"
                "</sitemapindex>\n<!-- XML Sitemap generated by Yoast SEO -->"
            )
            return xml_response(body.encode(), "text/xml; charset=UTF-8")
        if rel == "post-sitemap.xml":
            urls = "".join(
                f"\t<url>\n\t\t<loc>{xml_escape(p.url)}</loc>\n\t\t<lastmod>"
                f"{iso((p.page.modified_at or p.page.published_at).astimezone(UTC))}"
                "</lastmod>\n\t</url>\n"
                for p in posts
            )
        else:
            cats = sorted({p.page.section for p in posts if p.page.section})
            urls = "".join(
                f"\t<url>\n\t\t<loc>{xml_escape(self.term_url('category', c))}</loc>\n\t</url>\n"
                for c in cats
            )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet type="text/xsl" '
            f'href="{self.home}main-sitemap.xsl"?>\n'
            '<urlset xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1" '
            'xsi:schemaLocation="http://www.sitemaps.org/schemas/sitemap/0.9 '
            "http://www.sitemaps.org/schemas/sitemap/0.9/sitemap.xsd "
            "http://www.google.com/schemas/sitemap-image/1.1 "
            'http://www.google.com/schemas/sitemap-image/1.1/sitemap-image.xsd" '
            'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{urls}</urlset>\n<!-- XML Sitemap generated by Yoast SEO -->"
        )
        return xml_response(body.encode(), "text/xml; charset=UTF-8")

    def _core_sitemap(self, rel: str) -> Response | None:
        xsl = f'<?xml-stylesheet type="text/xsl" href="{self.home}wp-sitemap.xsl" ?>\n'
        if rel == "wp-sitemap.xml":
            body = (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<?xml-stylesheet type="text/xsl" href="{self.home}wp-sitemap-index.xsl" ?>\n'
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<sitemap><loc>{self.home}wp-sitemap-posts-post-1.xml</loc></sitemap>"
                f"<sitemap><loc>{self.home}wp-sitemap-taxonomies-category-1.xml</loc>"
                "</sitemap></sitemapindex>\n"
            )
        elif rel == "wp-sitemap-posts-post-1.xml":
            urls = "".join(
                f"<url><loc>{xml_escape(p.url)}</loc></url>"
                for p in reversed(self._sitemap_posts())
            )
            body = (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                + xsl
                + f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}'
                "</urlset>\n"
            )
        elif rel == "wp-sitemap-taxonomies-category-1.xml":
            cats = sorted({p.page.section for p in self.posts if p.page.section})
            urls = "".join(
                f"<url><loc>{xml_escape(self.term_url('category', c))}</loc></url>" for c in cats
            )
            body = (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                + xsl
                + f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}'
                "</urlset>\n"
            )
        else:
            return None
        return xml_response(body.encode(), "application/xml; charset=UTF-8")

    # ---- articles and their traps ----------------------------------------------------------
    def article_response(self, post: Post) -> Response:
        expect = post.page.expect
        host = urlsplit(self.origin).hostname or ""
        if expect == "bot_challenge":
            return cloudflare_challenge(host, int(post.extra.get("status", 503)), post.url)
        if expect == "http_404":
            return self.not_found_response()
        if expect == "http_500":
            return wordpress_critical_error()
        if expect == "too_large":
            return self._too_large(post)
        if expect == "bad_encoding":
            return self._bad_encoding(post)
        charset = str(post.extra.get("charset", "UTF-8"))
        text = self.theme.article(self, post, post.page.paragraphs, charset)
        return html_response(
            text,
            charset=charset,
            errors="xmlcharrefreplace",
            headers=[("Link", f"<{self.home}?p={post.id}>; rel=shortlink")],
        )

    def _too_large(self, post: Post) -> Response:
        """The article with megabytes of cache padding before ``</body>``, streamed."""
        text = self.theme.article(self, post, post.page.paragraphs, "UTF-8")
        head, _, tail = text.rpartition("</body>")
        head_b = (head + "<!-- td-cache-padding\n").encode()
        tail_b = ("\n-->\n</body>" + tail).encode()
        line = ("td_block_cache " + post.url + " " + "0123456789abcdef" * 4 + "\n").encode()
        pad = TOO_LARGE_BYTES - len(head_b) - len(tail_b)

        def chunks() -> Iterator[bytes]:
            yield head_b
            block = line * max(1, 65536 // len(line))
            left = pad
            while left > 0:
                piece = block[:left]
                left -= len(piece)
                yield piece
            yield tail_b

        return Response(
            200,
            [("Content-Type", HTML_UTF8)],
            stream=chunks,
            length=len(head_b) + pad + len(tail_b),
        )

    def _bad_encoding(self, post: Post) -> Response:
        """Declared windows-1256; really UTF-8 with control and invalid bytes strewn through
        the body text (as after a broken transcoding)."""
        rng = stable_rng("bad-encoding", post.url)
        broken = tuple(corrupt(rng, p) for p in post.page.paragraphs)
        text = self.theme.article(self, post, broken, "windows-1256")
        body = text.encode("utf-8", "surrogateescape")
        return Response(200, [("Content-Type", "text/html; charset=windows-1256")], body)


# ---- helpers -------------------------------------------------------------------------------

_CONTROL = [chr(c) for c in (*range(1, 9), 0x0B, *range(0x0E, 0x20))]
_INVALID = [chr(0xDC00 + b) for b in (0x80, 0x8F, 0x9D, 0xA0, 0xBF, 0xC0, 0xC1, 0xF5, 0xFE, 0xFF)]


def corrupt(rng: Any, text: str) -> str:
    """``text`` with runs of control characters and (surrogate-escaped) invalid UTF-8 bytes."""
    out: list[str] = []
    i = 0
    while i < len(text):
        step = rng.randint(4, 9)
        out.append(text[i : i + step])
        i += step
        out.append(rng.choice(_CONTROL) + rng.choice(_INVALID) + rng.choice(_CONTROL))
    return "".join(out)


def term_slug(name: str) -> str:
    """WordPress term slug (lower-case percent-encoded for non-ASCII names)."""
    from devkit.mirror.text import arabic_slug, ascii_slug

    if re.search(r"[^\x00-\x7f]", name):
        return arabic_slug(name)[1]
    return ascii_slug(name)


def rfc822(dt: datetime) -> str:
    return format_datetime(dt.astimezone(UTC).replace(microsecond=0))


def iso(dt: datetime) -> str:
    """ISO 8601 with a colon offset (``+03:00``), as WordPress prints it."""
    return dt.replace(microsecond=0).isoformat()


def make_excerpt(paragraphs: Sequence[str], words: int = 55) -> str:
    tokens = " ".join(paragraphs).split()
    return " ".join(tokens[:words])


def archive_heading(wp: WordPress, context: Mapping[str, Any]) -> str:
    from devkit.mirror.text import AR_MONTHS, EN_MONTHS

    kind = context["kind"]
    months = AR_MONTHS if wp.language == "ar" else EN_MONTHS
    if kind == "month":
        label = f"{months[context['month'] - 1]} {context['year']}"
        return f"أرشيف الشهر: {label}" if wp.language == "ar" else f"Monthly Archives: {label}"
    if kind == "day":
        d: date = context["day"]
        if wp.language == "ar":
            return f"أرشيف اليوم: {d.day} {months[d.month - 1]}، {d.year}"
        return f"Daily Archives: {months[d.month - 1]} {d.day}, {d.year}"
    if kind in ("category", "tag", "author"):
        return str(context["name"])
    return wp.name


def wordpress_critical_error() -> Response:
    page = """<!DOCTYPE html>
<html dir='ltr'>
<head>
	<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
	<meta name="viewport" content="width=device-width, initial-scale=1.0">
	<meta name='robots' content='max-image-preview:large, noindex, follow' />
	<title>WordPress &rsaquo; Error</title>
</head>
<body id="error-page">
	<div class="wp-die-message"><p>There has been a critical error on this website.</p><p><a href="https://wordpress.org/documentation/article/faq-troubleshooting/">Learn more about troubleshooting WordPress.</a></p></div></body>
</html>
"""
    return html_response(page, 500)


def json_ld(obj: object, ascii_only: bool = False) -> str:
    text = json.dumps(obj, ensure_ascii=ascii_only, separators=(",", ":"))
    return text.replace("</", "<\\/")


# ---- a plain WordPress theme (underscores/Twenty-* style markup) ----------------------------


class PlainTheme:
    """Markup of a stock WordPress theme: ``<article class="post">``, ``.entry-content``,
    ``<time class="entry-date published" datetime>``, core comment form and widgets."""

    def __init__(self, menu: Sequence[str] = ()) -> None:
        self.menu = tuple(menu)

    def _date(self, dt: datetime) -> str:
        from devkit.mirror.text import EN_MONTHS

        return f"{EN_MONTHS[dt.month - 1]} {dt.day}, {dt.year}"

    def _head(self, wp: WordPress, title: str, extra: str = "") -> str:
        return f"""<!doctype html>
<html lang="{wp.html_lang}">
<head>
	<meta charset="UTF-8">
	<meta name="viewport" content="width=device-width, initial-scale=1">
	<link rel="profile" href="https://gmpg.org/xfn/11">
	<title>{esc(title)}</title>
{extra}	<link rel="alternate" type="application/rss+xml" title="{attr(wp.name)} &raquo; Feed" href="{wp.home}feed/" />
	<link rel='stylesheet' id='wp-block-library-css' href='{wp.home}wp-includes/css/dist/block-library/style.min.css?ver=6.8.3' media='all' />
	<link rel='stylesheet' id='theme-style-css' href='{wp.home}wp-content/themes/newsroom/style.css?ver=1.4.2' media='all' />
	<link rel="https://api.w.org/" href="{wp.home}wp-json/" />
	<meta name="generator" content="WordPress 6.8.3" />
</head>
"""

    def _masthead(self, wp: WordPress) -> str:
        items = [f'<li class="menu-item"><a href="{wp.home}">Home</a></li>']
        items += [
            f'<li class="menu-item"><a href="{attr(wp.term_url("category", m))}">{esc(m)}</a></li>'
            for m in self.menu
        ]
        items += [
            f'<li class="menu-item"><a href="{wp.url("about/")}">About</a></li>',
            f'<li class="menu-item"><a href="{wp.url("contact/")}">Contact</a></li>',
        ]
        return f"""<div id="page" class="site">
	<a class="skip-link screen-reader-text" href="#primary">Skip to content</a>
	<header id="masthead" class="site-header">
		<div class="site-branding">
			<p class="site-title"><a href="{wp.home}" rel="home">{esc(wp.name)}</a></p>
			<p class="site-description">{esc(wp.tagline)}</p>
		</div>
		<nav id="site-navigation" class="main-navigation">
			<button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">Menu</button>
			<div class="menu-primary-container"><ul id="primary-menu" class="menu">{"".join(items)}</ul></div>
		</nav>
	</header>
"""

    def _sidebar(self, wp: WordPress) -> str:
        recent = "".join(
            f'<li><a href="{attr(wp.list_link(p))}">{esc(p.title)}</a></li>' for p in wp.posts[:5]
        )
        months = sorted({(p.local.year, p.local.month) for p in wp.posts}, reverse=True)
        archives = "".join(
            f'<li><a href="{wp.url(f"{wp.date_prefix}{y:04d}/{m:02d}/")}">'
            f"{self._date(datetime(y, m, 1)).split(' ')[0]} {y}</a></li>"
            for y, m in months
        )
        cats = "".join(
            f'<li class="cat-item"><a href="{attr(wp.term_url("category", c))}">{esc(c)}</a></li>'
            for c in sorted({p.page.section for p in wp.posts if p.page.section})
        )
        return f"""	<aside id="secondary" class="widget-area">
		<section id="search-2" class="widget widget_search"><form role="search" method="get" class="search-form" action="{wp.home}"><label><span class="screen-reader-text">Search for:</span><input type="search" class="search-field" placeholder="Search &hellip;" value="" name="s" /></label><input type="submit" class="search-submit" value="Search" /></form></section>
		<section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul>{recent}</ul></section>
		<section id="archives-2" class="widget widget_archive"><h2 class="widget-title">Archives</h2><ul>{archives}</ul></section>
		<section id="categories-2" class="widget widget_categories"><h2 class="widget-title">Categories</h2><ul>{cats}</ul></section>
	</aside>
"""

    def _colophon(self, wp: WordPress) -> str:
        year = (wp.today or date(2026, 1, 1)).year
        return f"""	<footer id="colophon" class="site-footer">
		<div class="site-info">&copy; {year} {esc(wp.name)}. <a href="https://wordpress.org/">Proudly powered by WordPress</a> <span class="sep"> | </span> <a href="{wp.url("privacy-policy/")}">Privacy Policy</a></div>
	</footer>
</div><!-- #page -->
"""

    def article(self, wp: WordPress, post: Post, paragraphs: Sequence[str], charset: str) -> str:
        page = post.page
        section = page.section or "News"
        authors = page.authors or (wp.name,)
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": page.title,
            "datePublished": iso(post.local),
            "dateModified": iso(post.local_modified or post.local),
            "author": [{"@type": "Person", "name": a} for a in authors],
            "publisher": {"@type": "Organization", "name": wp.name},
            "mainEntityOfPage": page.url,
        }
        meta = [
            f'	<link rel="canonical" href="{attr(page.url)}" />',
            '	<meta property="og:type" content="article" />',
            f'	<meta property="og:title" content="{attr(page.title)}" />',
            f'	<meta property="og:url" content="{attr(page.url)}" />',
            f'	<meta property="og:site_name" content="{attr(wp.name)}" />',
            f'	<meta property="article:published_time" content="{iso(page.published_at)}" />',
        ]
        if page.modified_at:
            meta.append(
                f'	<meta property="article:modified_time" content="{iso(page.modified_at)}" />'
            )
        meta.append(f'	<script type="application/ld+json">{json_ld(ld)}</script>')
        head = self._head(
            wp, f"{page.title} &#8211; {wp.name}".replace("&#8211;", "–"), "\n".join(meta) + "\n"
        )
        body = "\n\n".join(f"<p>{esc(p)}</p>" for p in paragraphs)
        byline = ", ".join(
            f'<span class="author vcard"><a class="url fn n" href="{wp.url("author/" + term_slug(a) + "/")}">{esc(a)}</a></span>'
            for a in authors
        )
        updated = (
            (
                f'<time class="updated" datetime="{iso(post.local_modified)}">'
                f"{self._date(post.local_modified)}</time>"
            )
            if post.local_modified
            else ""
        )
        tags = ", ".join(
            f'<a href="{attr(wp.term_url("tag", t))}" rel="tag">{esc(t)}</a>' for t in post.tags
        )
        idx = next((i for i, p in enumerate(wp.posts) if p.id == post.id), 0)
        older = wp.posts[idx + 1] if idx + 1 < len(wp.posts) else None
        newer = wp.posts[idx - 1] if idx > 0 else None
        nav = ""
        if older:
            nav += (
                f'<div class="nav-previous"><a href="{attr(wp.list_link(older))}" rel="prev">'
                f'<span class="nav-subtitle">Previous:</span> <span class="nav-title">'
                f"{esc(older.title)}</span></a></div>"
            )
        if newer:
            nav += (
                f'<div class="nav-next"><a href="{attr(wp.list_link(newer))}" rel="next">'
                f'<span class="nav-subtitle">Next:</span> <span class="nav-title">'
                f"{esc(newer.title)}</span></a></div>"
            )
        return f"""{head}
<body class="post-template-default single single-post postid-{post.id} single-format-standard">
{self._masthead(wp)}
	<main id="primary" class="site-main">
<article id="post-{post.id}" class="post-{post.id} post type-post status-publish format-standard hentry category-{term_slug(section)}">
	<header class="entry-header">
		<h1 class="entry-title">{esc(page.title)}</h1>
		<div class="entry-meta">
			<span class="posted-on">Posted on <a href="{attr(page.url)}" rel="bookmark"><time class="entry-date published" datetime="{iso(post.local)}">{self._date(post.local)}</time>{updated}</a></span><span class="byline"> by {byline}</span>
		</div>
	</header>
	<div class="entry-content">
{body}
	</div>
	<footer class="entry-footer">
		<span class="cat-links">Posted in <a href="{attr(wp.term_url("category", section))}" rel="category tag">{esc(section)}</a></span><span class="tags-links">Tagged {tags}</span>
	</footer>
</article>
	<nav class="navigation post-navigation" aria-label="Posts"><h2 class="screen-reader-text">Post navigation</h2><div class="nav-links">{nav}</div></nav>
<div id="comments" class="comments-area">
	<div id="respond" class="comment-respond">
		<h3 id="reply-title" class="comment-reply-title">Leave a Reply <small><a rel="nofollow" id="cancel-comment-reply-link" href="{attr(page.url)}#respond" style="display:none;">Cancel reply</a></small></h3><form action="{wp.home}wp-comments-post.php" method="post" id="commentform" class="comment-form" novalidate><p class="comment-notes"><span id="email-notes">Your email address will not be published.</span> <span class="required-field-message">Required fields are marked <span class="required">*</span></span></p><p class="comment-form-comment"><label for="comment">Comment <span class="required">*</span></label> <textarea id="comment" name="comment" cols="45" rows="8" maxlength="65525" required></textarea></p><p class="comment-form-author"><label for="author">Name <span class="required">*</span></label> <input id="author" name="author" type="text" value="" size="30" maxlength="245" autocomplete="name" required /></p>
<p class="comment-form-email"><label for="email">Email <span class="required">*</span></label> <input id="email" name="email" type="email" value="" size="30" maxlength="100" aria-describedby="email-notes" autocomplete="email" required /></p>
<p class="comment-form-url"><label for="url">Website</label> <input id="url" name="url" type="url" value="" size="30" maxlength="200" autocomplete="url" /></p>
<p class="comment-form-cookies-consent"><input id="wp-comment-cookies-consent" name="wp-comment-cookies-consent" type="checkbox" value="yes" /> <label for="wp-comment-cookies-consent">Save my name, email, and website in this browser for the next time I comment.</label></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment" /> <input type='hidden' name='comment_post_ID' value='{post.id}' id='comment_post_ID' />
<input type='hidden' name='comment_parent' id='comment_parent' value='0' />
</p></form>	</div><!-- #respond -->
</div><!-- #comments -->
	</main><!-- #main -->
{self._sidebar(wp)}
{self._colophon(wp)}
</body>
</html>
"""

    def listing(
        self,
        wp: WordPress,
        heading: str,
        posts: Sequence[Post],
        page: int,
        pages: int,
        page_url: Callable[[int], str],
        context: Mapping[str, Any],
    ) -> str:
        links = []
        if page > 1:
            links.append(f'	<link rel="prev" href="{attr(page_url(page - 1))}" />')
        if page < pages:
            links.append(f'	<link rel="next" href="{attr(page_url(page + 1))}" />')
        title = wp.name if context.get("kind") == "home" else f"{heading} – {wp.name}"
        if page > 1:
            title = f"{heading} – Page {page} – {wp.name}"
        head = self._head(wp, title, "\n".join(links) + ("\n" if links else ""))
        articles = "\n".join(
            f'<article id="post-{p.id}" class="post-{p.id} post type-post status-publish '
            f'format-standard hentry category-{term_slug(p.page.section or "news")}">\n'
            f'	<header class="entry-header"><h2 class="entry-title"><a href="{attr(wp.list_link(p))}"'
            f' rel="bookmark">{esc(p.title)}</a></h2>\n'
            f'	<div class="entry-meta"><span class="posted-on">Posted on <a href="{attr(wp.list_link(p))}"'
            f' rel="bookmark"><time class="entry-date published" datetime="{iso(p.local)}">'
            f"{self._date(p.local)}</time></a></span></div></header>\n"
            f'	<div class="entry-summary"><p>{esc(make_excerpt(p.page.paragraphs, 30))} '
            f"&hellip;</p></div>\n</article>"
            for p in posts
        )
        nav = ""
        if pages > 1:
            older = (
                (
                    f'<div class="nav-previous"><a href="{attr(page_url(page + 1))}">Older posts'
                    "</a></div>"
                )
                if page < pages
                else ""
            )
            newer = (
                (
                    f'<div class="nav-next"><a href="{attr(page_url(page - 1))}">Newer posts'
                    "</a></div>"
                )
                if page > 1
                else ""
            )
            nav = (
                f'<nav class="navigation posts-navigation" aria-label="Posts"><h2 '
                f'class="screen-reader-text">Posts navigation</h2><div class="nav-links">'
                f"{older}{newer}</div></nav>"
            )
        header = (
            ""
            if context.get("kind") == "home"
            else f'<header class="page-header"><h1 class="page-title">{esc(heading)}</h1></header>'
        )
        return f"""{head}
<body class="archive blog hfeed">
{self._masthead(wp)}
	<main id="primary" class="site-main">
{header}
{articles}
{nav}
	</main><!-- #main -->
{self._sidebar(wp)}
{self._colophon(wp)}
</body>
</html>
"""

    def not_found(self, wp: WordPress) -> str:
        head = self._head(wp, f"Page not found – {wp.name}")
        return f"""{head}
<body class="error404 hfeed">
{self._masthead(wp)}
	<main id="primary" class="site-main">
		<section class="error-404 not-found">
			<header class="page-header"><h1 class="page-title">Oops! That page can&rsquo;t be found.</h1></header>
			<div class="page-content"><p>It looks like nothing was found at this location. Maybe try one of the links below or a search?</p></div>
		</section>
	</main><!-- #main -->
{self._sidebar(wp)}
{self._colophon(wp)}
</body>
</html>
"""
