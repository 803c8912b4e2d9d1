# ruff: noqa: E501 - theme markup is kept as the site prints it
"""Enab Baladi: ``www.enabbaladi.net`` (Arabic) and ``english.enabbaladi.net`` (English), two
WordPress installs with the site's own theme (see OUTLETS.md).

- Arabic permalinks ``/archives/<6-digit id>`` (no slug, no trailing slash); English
  ``/archives/YYYY/MM/<slug>/`` (the local year and month).
- Feeds: ``https://www.enabbaladi.net/feed`` (WordPress redirects it to ``/feed/``),
  ``https://english.enabbaladi.net/feed/``, and per category
  ``/archives/category/<slug>/feed/``.
- Archives: Arabic monthly ``/archives/date/YYYY/MM/[page/N/]``; English
  ``/archives/YYYY/MM/[page/N/]`` (WordPress puts the date right after ``/archives/`` when the
  permalink starts with the date); category listings ``/archives/category/<slug>/[page/N/]``
  (every article is in ``online``; each also in its own section's category).
- Local time is Damascus (UTC+3); Yoast prints ``article:published_time`` in UTC
  (``+00:00``).
- The Arabic feed lists one category page (``/archives/category/economy/``): not an article.
- Page: ``h1.post-title``; body ``.post-content`` paragraphs, with an inline "اقرأ أيضًا" /
  "Read also" box (``.related-inline``), a photo with its caption, then share buttons, tags
  and the author box.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, timedelta, timezone
from typing import Any
from urllib.parse import quote

from devkit.mirror.catalog import Catalog, MirrorPage
from devkit.mirror.prose import Composed, compose, rotation, unique_stories, weekday_name
from devkit.mirror.sites.common import (
    Request,
    Response,
    attr,
    esc,
    pick_slot,
    plan_slots,
    post_ids,
    robots_txt,
    stable_rng,
    xml_response,
)
from devkit.mirror.sites.wordpress import Post, WordPress, iso, json_ld, make_excerpt
from devkit.mirror.text import AR_MONTHS, EN_MONTHS, ascii_slug
from devkit.mirror.text_ar import SYRIA_AR
from devkit.mirror.text_ar import syria_values as ar_values
from devkit.mirror.text_en import SYRIA_EN
from devkit.mirror.text_en import syria_values as en_values

name = "enabbaladi"
hosts = ("www.enabbaladi.net", "enabbaladi.net", "english.enabbaladi.net")

AR_ORIGIN = "https://www.enabbaladi.net"
EN_ORIGIN = "https://english.enabbaladi.net"
DAMASCUS = timezone(timedelta(hours=3))
BEATS = ("currency", "bread", "returnees", "exams", "water")
AR_CATEGORIES = {
    "اقتصاد": "economy",
    "خدمات": "services",
    "سوريا": "syria",
    "أمن": "security",
    "تعليم": "education",
    "أخبار سوريا": "online",
}
EN_CATEGORIES = {
    "Economy": "economy",
    "Services": "services",
    "Syria": "syria",
    "Security": "security",
    "Education": "education",
    "News": "online",
}
AR_AUTHORS = ("ريم الحسن", "علي درويش", "ميس حمد", "حسن إبراهيم", "لمى الأحمد")
EN_AUTHORS = ("Reem al-Hasan", "Ali Darwish", "Mais Hamad", "Hassan Ibrahim", "Lama al-Ahmad")
AR_COUNTS = (2, 1, 2, 1, 2, 1, 2)
AR_EDGES = {3: [(0, 35)], 6: [(23, 45)]}  # 21:35 UTC on day 2; 20:45 UTC on the anchor
EN_COUNTS = (1, 2, 1, 2, 1, 2, 1)
EN_EDGES = {0: [(1, 10)], 4: [(0, 20)]}  # 22:10 UTC the day before the first day; 21:20 UTC


@dataclass(frozen=True)
class Edition:
    outlet: str
    origin: str
    lang: str
    counts: tuple[int, ...]
    edges: dict[int, list[tuple[int, int]]]
    id_floor: int


AR = Edition("enab_ar", AR_ORIGIN, "ar", AR_COUNTS, AR_EDGES, 700_000)
EN = Edition("enab_en", EN_ORIGIN, "en", EN_COUNTS, EN_EDGES, 60_000)


# ---- catalog -------------------------------------------------------------------------------


def build(anchor: date, seed: int) -> list[tuple[MirrorPage, dict[str, object]]]:
    return _build(AR, anchor, seed) + _build(EN, anchor, seed)


def _build(ed: Edition, anchor: date, seed: int) -> list[tuple[MirrorPage, dict[str, object]]]:
    rng = stable_rng(seed, ed.outlet)
    slots = plan_slots(rng, anchor, DAMASCUS, ed.counts, ed.edges)
    taken: set[int] = set()
    category_page = pick_slot(slots, taken, 5) if ed.lang == "ar" else -1
    ids = post_ids(rng, anchor, len(slots), ed.id_floor)
    bank = SYRIA_AR if ed.lang == "ar" else SYRIA_EN
    beat_of = rotation(rng, [b for b in bank if b.key in BEATS])

    def make(r: Any, i: int) -> Composed:
        beat = beat_of(i)
        if ed.lang == "ar":
            values = ar_values(r, beat, "nw", "عنب بلدي")
        else:
            values = en_values(r, beat, "nw", "Enab Baladi")
        values["weekday"] = weekday_name(ed.lang, slots[i].local)
        return compose(r, beat, values, details=(3, 5), paragraphs=(4, 6))

    stories = unique_stories(rng, len(slots), make)
    out: list[tuple[MirrorPage, dict[str, object]]] = []
    for i, (slot, post_id, story) in enumerate(zip(slots, ids, stories, strict=True)):
        if i == category_page:
            url = f"{AR_ORIGIN}/archives/category/economy/"
            page = MirrorPage(
                ed.outlet, url, (), slot.utc, None, "اقتصاد", (), "ar", (), None, "not_article"
            )
            out.append((page, {"post_id": post_id, "kind": "category"}))
            continue
        if ed.lang == "ar":
            url = f"{AR_ORIGIN}/archives/{post_id}"
            authors: tuple[str, ...] = (rng.choice(AR_AUTHORS),)
        else:
            url = f"{EN_ORIGIN}/archives/{slot.local:%Y/%m}/{ascii_slug(story.title, 75)}/"
            authors = (rng.choice(EN_AUTHORS),)
        modified = slot.utc + timedelta(minutes=rng.randint(5, 300)) if rng.random() < 0.4 else None
        page = MirrorPage(
            ed.outlet,
            url,
            (),
            slot.utc,
            modified,
            story.title,
            story.paragraphs,
            ed.lang,
            authors,
            story.section,
            "stored",
        )
        out.append(
            (
                page,
                {
                    "post_id": post_id,
                    "tags": story.tags,
                    "related_at": rng.randint(1, 2),
                    "caption_city": story.tags[0] if story.tags else "",
                },
            )
        )
    return out


# ---- serving -------------------------------------------------------------------------------


@dataclass
class EnabPress(WordPress):
    """WordPress with Enab Baladi's ``/archives/`` taxonomy URLs and category feeds."""

    categories: dict[str, str] = field(default_factory=dict)  # category name -> slug

    def term_url(self, taxonomy: str, name: str) -> str:
        if taxonomy == "category":
            return self.url(f"archives/category/{self.categories.get(name, 'online')}/")
        return self.url(f"archives/{taxonomy}/{quote(name.replace(' ', '-'))}/")

    def category_posts(self, slug: str) -> list[Post]:
        if slug == "online":
            return list(self.posts)
        return [p for p in self.posts if self.categories.get(p.page.section or "") == slug]

    def category_name(self, slug: str) -> str:
        return next((n for n, s in self.categories.items() if s == slug), slug)

    def _dispatch(self, rel: str) -> Response | None:
        if m := re.fullmatch(r"archives/category/([a-z-]+)/feed/", rel):
            posts = self.category_posts(m.group(1))
            if not posts:
                return None
            sub = replace(
                self,
                posts=posts,
                specials=[],
                name=f"{self.name} » {self.category_name(m.group(1))}",
            )
            return xml_response(sub.feed_xml(), "application/rss+xml; charset=UTF-8")
        if rel.endswith("/") and (self.base + rel[:-1]) in self._by_path:
            return self.redirect_to(rel[:-1])  # /archives/<id>/ -> /archives/<id>
        return super()._dispatch(rel)

    def redirect_to(self, rel: str) -> Response:
        from devkit.mirror.sites.common import redirect

        return redirect(self.url(rel))

    def _listing_for(self, prefix: str, page: int) -> Response | None:
        if m := re.fullmatch(r"archives/category/([a-z-]+)/", prefix):
            posts = self.category_posts(m.group(1))
            if not posts:
                return None
            return self.listing_response(
                prefix, posts, page, {"kind": "category", "name": self.category_name(m.group(1))}
            )
        if re.match(r"(?:category|tag|author)/", prefix):
            return None  # this install's taxonomies live under /archives/
        return super()._listing_for(prefix, page)


def _labels(lang: str) -> dict[str, str]:
    if lang == "ar":
        return {
            "also": "اقرأ أيضًا",
            "share": "شارك",
            "tags": "الوسوم",
            "home": "الرئيسية",
            "latest": "الأكثر قراءة",
            "more": "المزيد",
            "older": "الأقدم",
            "newer": "الأحدث",
            "not_found": "الصفحة غير موجودة",
            "about": "عن عنب بلدي",
            "rights": "جميع الحقوق محفوظة لعنب بلدي",
        }
    return {
        "also": "Read also",
        "share": "Share",
        "tags": "Tags",
        "home": "Home",
        "latest": "Most read",
        "more": "More",
        "older": "Older posts",
        "newer": "Newer posts",
        "not_found": "Page not found",
        "about": "About Enab Baladi",
        "rights": "All rights reserved to Enab Baladi",
    }


def _date(lang: str, d: date) -> str:
    if lang == "ar":
        return f"{d.day} {AR_MONTHS[d.month - 1]} {d.year}"
    return f"{EN_MONTHS[d.month - 1]} {d.day}, {d.year}"


class EnabTheme:
    """Enab Baladi's own theme."""

    def _head(self, wp: WordPress, title: str, extra: str = "") -> str:
        lang = 'dir="rtl" lang="ar"' if wp.language == "ar" else 'lang="en-US"'
        return f"""<!DOCTYPE html>
<html {lang}>
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
{extra}<link rel="alternate" type="application/rss+xml" title="{attr(wp.name)} &raquo; Feed" href="{wp.home}feed/">
<link rel="stylesheet" id="enab-style-css" href="{wp.home}wp-content/themes/enab/style.css?ver=3.2.1" media="all">
<meta name="generator" content="WordPress 6.8.3">
</head>
"""

    def _header(self, wp: EnabPress) -> str:
        labels = _labels(wp.language)
        items = "".join(
            f'<li class="menu-item"><a href="{attr(wp.term_url("category", n))}">{esc(n)}</a></li>'
            for n in wp.categories
        )
        return (
            f'<header id="header" class="site-header"><div class="logo"><a href="{wp.home}">{esc(wp.name)}</a></div>'
            f'<nav class="main-menu"><ul><li class="menu-item"><a href="{wp.home}">{labels["home"]}</a></li>{items}</ul></nav>'
            f'<form class="search-form" action="{wp.home}" method="get"><input type="search" name="s"></form></header>'
        )

    def _sidebar(self, wp: EnabPress) -> str:
        labels = _labels(wp.language)
        rows = "".join(f'<li><a href="{attr(p.url)}">{esc(p.title)}</a></li>' for p in wp.posts[:5])
        return (
            f'<aside id="sidebar" class="sidebar"><div class="widget widget-most-read"><h3 class="widget-title">'
            f"{labels['latest']}</h3><ul>{rows}</ul></div></aside>"
        )

    def _footer(self, wp: EnabPress) -> str:
        labels = _labels(wp.language)
        year = (wp.today or date(2026, 1, 1)).year
        return (
            f'<footer id="footer" class="site-footer"><div class="footer-about"><a href="{wp.url("about/")}">{labels["about"]}</a></div>'
            f'<div class="copyright">© {year} {labels["rights"]}</div></footer>'
        )

    def article(self, wp: WordPress, post: Post, paragraphs: Sequence[str], charset: str) -> str:
        assert isinstance(wp, EnabPress)
        page = post.page
        labels = _labels(wp.language)
        author = page.authors[0] if page.authors else wp.name
        published = page.published_at.astimezone(UTC)
        modified = (page.modified_at or page.published_at).astimezone(UTC)
        graph = {
            "@context": "https://schema.org",
            "@graph": [
                {
                    "@type": "NewsArticle",
                    "@id": f"{page.url}#article",
                    "headline": page.title,
                    "datePublished": iso(published),
                    "dateModified": iso(modified),
                    "author": {"@type": "Person", "name": author},
                    "mainEntityOfPage": {"@id": page.url},
                    "articleSection": [page.section],
                    "inLanguage": wp.html_lang,
                    "publisher": {"@type": "Organization", "name": wp.name},
                },
                {"@type": "WebPage", "@id": page.url, "url": page.url, "name": page.title},
            ],
        }
        meta = (
            "\n".join(
                [
                    f'<link rel="canonical" href="{attr(page.url)}">',
                    '<meta property="og:type" content="article">',
                    f'<meta property="og:title" content="{attr(page.title)}">',
                    f'<meta property="og:url" content="{attr(page.url)}">',
                    f'<meta property="og:site_name" content="{attr(wp.name)}">',
                    f'<meta property="article:section" content="{attr(page.section or "")}">',
                    f'<meta property="article:published_time" content="{iso(published)}">',
                    f'<meta property="article:modified_time" content="{iso(modified)}">',
                    f'<meta name="author" content="{attr(author)}">',
                    f'<script type="application/ld+json" class="yoast-schema-graph">{json_ld(graph)}</script>',
                ]
            )
            + "\n"
        )
        others = [p for p in wp.posts if p.id != post.id]
        rel = others[stable_rng("related", page.url).randrange(len(others))] if others else None
        body: list[str] = []
        for i, p in enumerate(paragraphs):
            body.append(f"<p>{esc(p)}</p>")
            if rel is not None and i + 1 == post.extra.get("related_at"):
                body.append(
                    f'<div class="related-inline"><span class="related-inline__label">{labels["also"]}</span>'
                    f'<a href="{attr(rel.url)}">{esc(rel.title)}</a></div>'
                )
            if i == 2:
                city = str(post.extra.get("caption_city", ""))
                caption = (
                    f"سوق شعبي في {city} - (عنب بلدي)"
                    if wp.language == "ar"
                    else f"A market in {city} (Enab Baladi)"
                )
                body.append(
                    f'<figure class="wp-caption"><img src="{wp.home}wp-content/uploads/{post.local:%Y/%m}/{post.id}.jpg" alt="">'
                    f'<figcaption class="wp-caption-text">{esc(caption)}</figcaption></figure>'
                )
        tags = "".join(
            f'<a href="{attr(wp.term_url("tag", t))}" rel="tag">{esc(t)}</a>' for t in post.tags
        )
        section = page.section or ""
        return f"""{self._head(wp, f"{page.title} | {wp.name}", meta)}<body class="post-template-default single single-post postid-{post.id}">
{self._header(wp)}
<div id="main" class="container"><div class="content-area">
<article id="post-{post.id}" class="post-single">
<div class="post-header"><div class="post-category"><a href="{attr(wp.term_url("category", section))}">{esc(section)}</a></div>
<h1 class="post-title">{esc(page.title)}</h1>
<div class="post-meta"><span class="post-author"><a href="{wp.url("archives/author/" + str(post.id % 97) + "/")}">{esc(author)}</a></span>
<span class="post-date"><time datetime="{iso(post.local)}">{_date(wp.language, post.local.date())}</time></span></div></div>
<div class="post-content entry-content">
{chr(10).join(body)}
</div>
<div class="share-post"><span>{labels["share"]}</span><a href="https://www.facebook.com/sharer.php?u={quote(page.url, safe="")}">Facebook</a><a href="https://twitter.com/intent/tweet?url={quote(page.url, safe="")}">X</a><a href="https://api.whatsapp.com/send?text={quote(page.url, safe="")}">WhatsApp</a></div>
<div class="post-tags"><span>{labels["tags"]}:</span>{tags}</div>
<div class="author-box"><div class="author-name">{esc(author)}</div></div>
</article>
</div>
{self._sidebar(wp)}
</div>
{self._footer(wp)}
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
        assert isinstance(wp, EnabPress)
        labels = _labels(wp.language)
        links = [f'<link rel="canonical" href="{attr(page_url(page))}">']
        if page < pages:
            links.append(f'<link rel="next" href="{attr(page_url(page + 1))}">')
        if page > 1:
            links.append(f'<link rel="prev" href="{attr(page_url(page - 1))}">')
        rows = "".join(
            f'<article class="post-item post-{p.id}"><div class="post-item__thumb"><a href="{attr(p.url)}"><img src="{wp.home}wp-content/uploads/{p.local:%Y/%m}/{p.id}-300x180.jpg" alt=""></a></div>'
            f'<h2 class="post-item__title"><a href="{attr(p.url)}">{esc(p.title)}</a></h2>'
            f'<time class="post-item__date" datetime="{iso(p.local)}">{_date(wp.language, p.local.date())}</time>'
            f'<p class="post-item__excerpt">{esc(make_excerpt(p.page.paragraphs, 24))}</p></article>'
            for p in posts
        )
        nav = ""
        if page < pages:
            nav += f'<a class="next page-numbers" href="{attr(page_url(page + 1))}">{labels["older"]}</a>'
        if page > 1:
            nav += f'<a class="prev page-numbers" href="{attr(page_url(page - 1))}">{labels["newer"]}</a>'
        return f"""{self._head(wp, f"{heading} | {wp.name}", chr(10).join(links) + chr(10))}<body class="archive">
{self._header(wp)}
<div id="main" class="container"><div class="content-area"><h1 class="archive-title">{esc(heading)}</h1>
<div class="posts-list">{rows}</div><nav class="pagination">{nav}</nav></div>
{self._sidebar(wp)}</div>
{self._footer(wp)}
</body>
</html>
"""

    def not_found(self, wp: WordPress) -> str:
        assert isinstance(wp, EnabPress)
        labels = _labels(wp.language)
        return f"""{self._head(wp, f"{labels['not_found']} | {wp.name}")}<body class="error404">
{self._header(wp)}<div id="main" class="container"><h1>{labels["not_found"]}</h1></div>{self._footer(wp)}
</body>
</html>
"""


def mount(catalog: Catalog) -> Callable[[Request], Response]:
    theme = EnabTheme()
    ar = EnabPress(
        outlet="enab_ar",
        origin=AR_ORIGIN,
        base="/",
        name="عنب بلدي",
        tagline="صحيفة سورية أسبوعية مستقلة",
        language="ar",
        html_lang="ar",
        tz=DAMASCUS,
        per_page=4,
        theme=theme,
        date_prefix="archives/date/",
        day_archives=False,
        categories=AR_CATEGORIES,
    ).load(catalog)
    en = EnabPress(
        outlet="enab_en",
        origin=EN_ORIGIN,
        base="/",
        name="Enab Baladi",
        tagline="Independent Syrian news",
        language="en",
        html_lang="en-US",
        tz=DAMASCUS,
        per_page=4,
        theme=theme,
        date_prefix="archives/",
        day_archives=True,
        categories=EN_CATEGORIES,
    ).load(catalog)

    def handle(req: Request) -> Response:
        if req.host == "enabbaladi.net":
            from devkit.mirror.sites.common import redirect

            return redirect(AR_ORIGIN + req.path + (f"?{req.query}" if req.query else ""))
        site = en if req.host == "english.enabbaladi.net" else ar
        if req.path == "/robots.txt":
            return robots_txt(
                [
                    "User-agent: *",
                    "Disallow: /wp-admin/",
                    "Allow: /wp-admin/admin-ajax.php",
                    "",
                    f"Sitemap: {site.home}sitemap_index.xml",
                ]
            )
        return site.handle(req)

    return handle
