# ruff: noqa: E501 - theme markup is kept as the site prints it
"""North Press Agency (``npasyria.com``): Arabic at ``/`` and English at ``/en/``, two
WordPress installs with the JNews theme (see OUTLETS.md).

- Article URLs ``/<id>/`` (Arabic) and ``/en/<id>/`` (English), like SOHR's English edition;
  ``www.npasyria.com`` redirects to the bare domain.
- Feeds ``/feed/`` and ``/en/feed/``; monthly archives ``/date/YYYY/MM/[page/N/]`` and
  ``/en/date/YYYY/MM/[page/N/]`` (Damascus local time, UTC+3), daily ones too.
- Articles open with an inline dateline ("القامشلي – نورث برس:", "QAMISHLI, Syria (North
  Press) –"), part of the text.
- Page (JNews): ``h1.jeg_post_title``; body ``.content-inner`` whose paragraphs are interrupted
  by an inline related-posts block (``.jnews_inline_related_post``, with ``h3`` titles) and
  followed by the tag list; share buttons float beside the text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta, timezone
from typing import Any
from urllib.parse import quote

from devkit.mirror.catalog import Catalog, MirrorPage
from devkit.mirror.prose import Composed, compose, rotation, unique_stories, weekday_name
from devkit.mirror.sites.common import (
    Request,
    Response,
    attr,
    esc,
    plan_slots,
    post_ids,
    redirect,
    robots_txt,
    stable_rng,
)
from devkit.mirror.sites.wordpress import Post, WordPress, iso, json_ld, make_excerpt
from devkit.mirror.text import AR_MONTHS, EN_MONTHS
from devkit.mirror.text_ar import SYRIA_AR
from devkit.mirror.text_ar import syria_values as ar_values
from devkit.mirror.text_en import SYRIA_EN
from devkit.mirror.text_en import syria_values as en_values

name = "npasyria"
hosts = ("npasyria.com", "www.npasyria.com")

ORIGIN = "https://npasyria.com"
DAMASCUS = timezone(timedelta(hours=3))
BEATS = ("water", "wheat_price", "security", "exams", "currency")
AR_REPORTERS = ("جيان محمد", "دلوفان أحمد", "روكن حسن", "عمر العلي", "سلام حسين")
EN_REPORTERS = ("Jiyan Mohammed", "Dilovan Ahmed", "Roken Hasan", "Omar al-Ali", "Salam Hussein")
# Arabic city -> English dateline word
DATELINE_EN = {
    "al-Hasakah": "HASAKAH",
    "Qamishli": "QAMISHLI",
    "Raqqa": "RAQQA",
    "Kobani": "KOBANI",
    "Tabqa": "TABQA",
    "Manbij": "MANBIJ",
    "Amuda": "AMUDA",
    "Derik": "DERIK",
    "Tal Tamr": "TAL TAMR",
    "al-Darbasiyah": "DARBASIYAH",
}


@dataclass(frozen=True)
class Edition:
    outlet: str
    lang: str
    base: str
    counts: tuple[int, ...]
    edges: dict[int, list[tuple[int, int]]]
    id_floor: int


AR = Edition("npa_ar", "ar", "/", (2, 1, 2, 1, 2, 1, 1), {2: [(1, 5)], 5: [(23, 55)]}, 180_000)
EN = Edition("npa_en", "en", "/en/", (1, 2, 1, 2, 1, 1, 2), {0: [(0, 45)], 6: [(0, 15)]}, 110_000)


def build(anchor: date, seed: int) -> list[tuple[MirrorPage, dict[str, object]]]:
    return _build(AR, anchor, seed) + _build(EN, anchor, seed)


def _dateline(lang: str, story: Composed) -> str:
    city = str(story.values.get("city", ""))
    if story.beat == "security":
        city = "دير الزور" if lang == "ar" else "Deir ez-Zor"
    if lang == "ar":
        return f"{city} – نورث برس: "
    word = DATELINE_EN.get(city, city.upper()) if city != "Deir ez-Zor" else "DEIR EZ-ZOR"
    return f"{word}, Syria (North Press) – "


def _build(ed: Edition, anchor: date, seed: int) -> list[tuple[MirrorPage, dict[str, object]]]:
    rng = stable_rng(seed, ed.outlet)
    slots = plan_slots(rng, anchor, DAMASCUS, ed.counts, ed.edges)
    ids = post_ids(rng, anchor, len(slots), ed.id_floor)
    bank = SYRIA_AR if ed.lang == "ar" else SYRIA_EN
    beat_of = rotation(rng, [b for b in bank if b.key in BEATS])

    def make(r: Any, i: int) -> Composed:
        beat = beat_of(i)
        if ed.lang == "ar":
            values = ar_values(r, beat, "ne", "نورث برس")
        else:
            values = en_values(r, beat, "ne", "North Press")
        values["weekday"] = weekday_name(ed.lang, slots[i].local)
        return compose(r, beat, values, details=(3, 5), paragraphs=(4, 6))

    stories = unique_stories(rng, len(slots), make)
    out: list[tuple[MirrorPage, dict[str, object]]] = []
    for slot, post_id, story in zip(slots, ids, stories, strict=True):
        paragraphs = list(story.paragraphs)
        lead = paragraphs[0]
        if ed.lang == "en":
            lead = lead[0].upper() + lead[1:]
        paragraphs[0] = _dateline(ed.lang, story) + lead
        url = f"{ORIGIN}{ed.base}{post_id}/"
        reporters = AR_REPORTERS if ed.lang == "ar" else EN_REPORTERS
        modified = slot.utc + timedelta(minutes=rng.randint(3, 90)) if rng.random() < 0.5 else None
        page = MirrorPage(
            ed.outlet,
            url,
            (),
            slot.utc,
            modified,
            story.title,
            tuple(paragraphs),
            ed.lang,
            (rng.choice(reporters),),
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
                    "views": rng.randint(80, 4000),
                },
            )
        )
    return out


# ---- the JNews theme -----------------------------------------------------------------------


def _labels(lang: str) -> dict[str, str]:
    if lang == "ar":
        return {
            "home": "الرئيسية",
            "by": "بواسطة",
            "related": "اقرأ أيضاً",
            "tags": "الوسوم",
            "share": "مشاركة",
            "latest": "آخر الأخبار",
            "not_found": "الصفحة غير موجودة",
            "next": "التالي",
            "prev": "السابق",
            "rights": "© نورث برس",
        }
    return {
        "home": "Home",
        "by": "By",
        "related": "Read also",
        "tags": "Tags",
        "share": "Share",
        "latest": "Latest news",
        "not_found": "Page not found",
        "next": "Next",
        "prev": "Prev",
        "rights": "© North Press Agency",
    }


_AR_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _display(lang: str, d: date) -> str:
    if lang == "ar":  # Arabic-Indic digits, as the Arabic edition prints dates
        return f"{d.day} {AR_MONTHS[d.month - 1]} {d.year}".translate(_AR_DIGITS)
    return f"{EN_MONTHS[d.month - 1]} {d.day}, {d.year}"


class JNewsTheme:
    """The JNews theme as North Press runs it."""

    def _head(self, wp: WordPress, title: str, extra: str = "") -> str:
        lang = 'lang="ar" dir="rtl"' if wp.language == "ar" else 'lang="en-US"'
        return f"""<!doctype html>
<html {lang}>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
{extra}<link rel="alternate" type="application/rss+xml" title="{attr(wp.name)} &raquo; Feed" href="{wp.home}feed/" />
<link rel='stylesheet' id='jnews-frontend-css' href='{ORIGIN}/wp-content/themes/jnews/assets/dist/frontend.min.css?ver=11.6.4' type='text/css' media='all' />
<meta name="generator" content="WordPress 6.8.3" />
</head>
"""

    def _header(self, wp: WordPress) -> str:
        labels = _labels(wp.language)
        sections = (
            ("اقتصاد", "خدمات", "أمن", "تعليم")
            if wp.language == "ar"
            else ("Economy", "Services", "Security", "Education")
        )
        items = "".join(
            f'<li class="menu-item"><a href="{attr(wp.term_url("category", s))}">{esc(s)}</a></li>'
            for s in sections
        )
        other = (
            f'<li class="menu-item"><a href="{ORIGIN}/en/">English</a></li>'
            if wp.language == "ar"
            else f'<li class="menu-item"><a href="{ORIGIN}/">العربية</a></li>'
        )
        return (
            f'<div class="jeg_header_wrapper"><div class="jeg_header normal"><div class="jeg_midbar jeg_container">'
            f'<div class="jeg_logo"><a href="{wp.home}">{esc(wp.name)}</a></div></div>'
            f'<div class="jeg_bottombar"><div class="jeg_nav_row"><ul class="jeg_menu jeg_main_menu">'
            f'<li class="menu-item"><a href="{wp.home}">{labels["home"]}</a></li>{items}{other}</ul></div></div></div></div>'
        )

    def _footer(self, wp: WordPress) -> str:
        year = (wp.today or date(2026, 1, 1)).year
        return (
            f'<div class="footer-holder" id="footer"><footer class="jeg_footer"><div class="jeg_footer_bottom">'
            f'<p class="copyright">{_labels(wp.language)["rights"]} {year}</p></div></footer></div>'
        )

    def _sidebar(self, wp: WordPress) -> str:
        rows = "".join(f'<li><a href="{attr(p.url)}">{esc(p.title)}</a></li>' for p in wp.posts[:5])
        return (
            f'<div class="jeg_sidebar"><div class="widget widget_recent_entries"><div class="jeg_block_heading">'
            f'<h3 class="jeg_block_title"><span>{_labels(wp.language)["latest"]}</span></h3></div><ul>{rows}</ul></div></div>'
        )

    def article(self, wp: WordPress, post: Post, paragraphs: Sequence[str], charset: str) -> str:
        page = post.page
        labels = _labels(wp.language)
        author = page.authors[0] if page.authors else wp.name
        ld = {
            "@context": "https://schema.org",
            "@type": "Article",
            "mainEntityOfPage": {"@type": "WebPage", "@id": page.url},
            "headline": page.title,
            "datePublished": iso(post.local),
            "dateModified": iso(post.local_modified or post.local),
            "author": {"@type": "Person", "name": author},
            "publisher": {"@type": "Organization", "name": wp.name},
        }
        meta = (
            "\n".join(
                [
                    f'<link rel="canonical" href="{attr(page.url)}" />',
                    '<meta property="og:type" content="article" />',
                    f'<meta property="og:title" content="{attr(page.title)}" />',
                    f'<meta property="og:url" content="{attr(page.url)}" />',
                    f'<meta property="og:site_name" content="{attr(wp.name)}" />',
                    f'<meta property="article:published_time" content="{iso(post.local)}" />',
                    *(
                        [
                            f'<meta property="article:modified_time" content="{iso(post.local_modified)}" />'
                        ]
                        if post.local_modified
                        else []
                    ),
                    f'<script type="application/ld+json">{json_ld(ld)}</script>',
                ]
            )
            + "\n"
        )
        others = [p for p in wp.posts if p.id != post.id]
        rng = stable_rng("jnews-related", page.url)
        related = rng.sample(others, min(2, len(others)))
        inline = "".join(
            f'<div class="jeg_post jeg_pl_sm"><div class="jeg_postblock_content"><h3 class="jeg_post_title">'
            f'<a href="{attr(r.url)}">{esc(r.title)}</a></h3></div></div>'
            for r in related
        )
        body: list[str] = []
        for i, p in enumerate(paragraphs):
            body.append(f"<p>{esc(p)}</p>")
            if i + 1 == post.extra.get("related_at") and related:
                body.append(
                    f'<div class="jnews_inline_related_post_wrapper"><div class="jnews_inline_related_post">'
                    f'<div class="jeg_postblock"><div class="jeg_block_heading"><h3 class="jeg_block_title"><span>{labels["related"]}</span></h3></div>'
                    f"{inline}</div></div></div>"
                )
        tags = "".join(
            f'<a href="{attr(wp.term_url("tag", t))}" rel="tag">{esc(t)}</a>' for t in post.tags
        )
        share = "".join(
            f'<a href="{href}" class="jeg_btn-{k}"><span>{k.title()}</span></a>'
            for k, href in (
                ("facebook", f"https://www.facebook.com/sharer.php?u={quote(page.url, safe='')}"),
                ("twitter", f"https://twitter.com/intent/tweet?url={quote(page.url, safe='')}"),
                ("whatsapp", f"https://api.whatsapp.com/send?text={quote(page.url, safe='')}"),
            )
        )
        section = page.section or ""
        return f"""{self._head(wp, f"{page.title} - {wp.name}", meta)}<body class="post-template-default single single-post postid-{post.id} jeg_single_tpl_1 jnews">
<div class="jeg_viewport">
{self._header(wp)}
<div class="post-wrapper"><div class="post-wrap"><div class="jeg_main"><div class="jeg_container"><div class="jeg_content jeg_singlepage">
<div class="container"><div class="row"><div class="jeg_main_content col-md-8"><div class="jeg_inner_content">
<div class="jeg_breadcrumbs jeg_breadcrumb_container"><div id="breadcrumbs"><span><a href="{wp.home}">{labels["home"]}</a></span> <i class="fa fa-angle-right"></i> <span><a href="{attr(wp.term_url("category", section))}">{esc(section)}</a></span></div></div>
<div class="entry-header">
<h1 class="jeg_post_title">{esc(page.title)}</h1>
<div class="jeg_meta_container"><div class="jeg_post_meta jeg_post_meta_1"><div class="meta_left">
<div class="jeg_meta_author"><span class="meta_text">{labels["by"]}</span> <a href="{wp.url("author/" + str(post.id % 89) + "/")}">{esc(author)}</a></div>
<div class="jeg_meta_date"><a href="{attr(page.url)}">{_display(wp.language, post.local.date())}</a></div>
<div class="jeg_meta_category"><span><a href="{attr(wp.term_url("category", section))}" rel="category tag">{esc(section)}</a></span></div>
</div><div class="meta_right"><div class="jeg_meta_views"><i class="fa fa-eye"></i> {post.extra.get("views", 0)}</div></div></div></div>
</div>
<div class="jeg_featured featured_image"><a href="{ORIGIN}/wp-content/uploads/{post.local:%Y/%m}/{post.id}.jpg"><div class="thumbnail-container"><img src="{ORIGIN}/wp-content/uploads/{post.local:%Y/%m}/{post.id}-750x375.jpg" alt=""></div></a></div>
<div class="jeg_share_top_container"><div class="jeg_share_button clearfix"><div class="jeg_sharelist">{share}</div></div></div>
<div class="entry-content no-share">
<div class="jeg_share_button share-float jeg_sticky_share clearfix share-monocrhome"><div class="jeg_share_float_container"><div class="jeg_sharelist">{share}</div></div></div>
<div class="content-inner ">
{chr(10).join(body)}
</div>
<div class="jeg_post_tags"><span>{labels["tags"]}:</span> {tags}</div>
</div>
<div class="jnews_prev_next_container"></div>
<div class="jnews_author_box_container"><div class="jeg_authorbox"><div class="jeg_author_content"><h3 class="jeg_author_name">{esc(author)}</h3></div></div></div>
</div></div>
<div class="jeg_sidebar_wrap col-md-4">{self._sidebar(wp)}</div>
</div></div></div></div></div></div></div>
{self._footer(wp)}
</div>
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
        links = [f'<link rel="canonical" href="{attr(page_url(page))}" />']
        if page < pages:
            links.append(f'<link rel="next" href="{attr(page_url(page + 1))}" />')
        if page > 1:
            links.append(f'<link rel="prev" href="{attr(page_url(page - 1))}" />')
        rows = "".join(
            f'<article class="jeg_post jeg_pl_lg_2 format-standard"><div class="jeg_thumb"><a href="{attr(p.url)}">'
            f'<img src="{ORIGIN}/wp-content/uploads/{p.local:%Y/%m}/{p.id}-350x250.jpg" alt=""></a></div>'
            f'<div class="jeg_postblock_content"><h3 class="jeg_post_title"><a href="{attr(p.url)}">{esc(p.title)}</a></h3>'
            f'<div class="jeg_post_meta"><div class="jeg_meta_date"><a href="{attr(p.url)}"><time datetime="{iso(p.local)}">'
            f"{_display(wp.language, p.local.date())}</time></a></div></div>"
            f'<div class="jeg_post_excerpt"><p>{esc(make_excerpt(p.page.paragraphs, 22))}</p></div></div></article>'
            for p in posts
        )
        labels = _labels(wp.language)
        nav = ""
        if page > 1:
            nav += (
                f'<a href="{attr(page_url(page - 1))}" class="page_nav prev">{labels["prev"]}</a>'
            )
        nav += "".join(
            f'<span class="page_number active">{n}</span>'
            if n == page
            else f'<a href="{attr(page_url(n))}" class="page_number">{n}</a>'
            for n in range(1, pages + 1)
        )
        if page < pages:
            nav += (
                f'<a href="{attr(page_url(page + 1))}" class="page_nav next">{labels["next"]}</a>'
            )
        return f"""{self._head(wp, f"{heading} - {wp.name}", chr(10).join(links) + chr(10))}<body class="archive date jnews">
<div class="jeg_viewport">{self._header(wp)}
<div class="jeg_main"><div class="jeg_container"><div class="jeg_content"><div class="jeg_section"><div class="container">
<div class="jeg_archive_header"><h1 class="jeg_archive_title">{esc(heading)}</h1></div>
<div class="jeg_posts jeg_load_more_flag">{rows}</div>
<div class="jeg_navigation jeg_pagination jeg_pagenav_1">{nav}</div>
</div></div></div></div></div>
{self._footer(wp)}</div>
</body>
</html>
"""

    def not_found(self, wp: WordPress) -> str:
        labels = _labels(wp.language)
        return f"""{self._head(wp, f"{labels['not_found']} - {wp.name}")}<body class="error404 jnews">
<div class="jeg_viewport">{self._header(wp)}<div class="jeg_main"><h1>404</h1><p>{labels["not_found"]}</p></div>{self._footer(wp)}</div>
</body>
</html>
"""


def mount(catalog: Catalog) -> Callable[[Request], Response]:
    theme = JNewsTheme()
    ar = WordPress(
        outlet="npa_ar",
        origin=ORIGIN,
        base="/",
        name="نورث برس",
        tagline="وكالة أنباء مستقلة",
        language="ar",
        html_lang="ar",
        tz=DAMASCUS,
        per_page=5,
        theme=theme,
    ).load(catalog)
    en = WordPress(
        outlet="npa_en",
        origin=ORIGIN,
        base="/en/",
        name="North Press Agency",
        tagline="Independent news agency",
        language="en",
        html_lang="en-US",
        tz=DAMASCUS,
        per_page=5,
        theme=theme,
    ).load(catalog)

    def handle(req: Request) -> Response:
        if req.host == "www.npasyria.com":
            return redirect(ORIGIN + req.path + (f"?{req.query}" if req.query else ""))
        if req.path == "/robots.txt":
            return robots_txt(
                [
                    "User-agent: *",
                    "Disallow: /wp-admin/",
                    "Allow: /wp-admin/admin-ajax.php",
                    "",
                    f"Sitemap: {ORIGIN}/sitemap_index.xml",
                    f"Sitemap: {ORIGIN}/en/sitemap_index.xml",
                ]
            )
        if req.path == "/en" or req.path.startswith("/en/"):
            return en.handle(req)
        return ar.handle(req)

    return handle
