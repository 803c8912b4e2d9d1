# ruff: noqa: E501 - theme markup is kept as the site prints it, long lines included
"""www.syriahr.com: the Syrian Observatory for Human Rights, Arabic (``/``) and English
(``/en/``) editions, two WordPress installs with the tagDiv "Newspaper" theme.

URL shapes (see OUTLETS.md):

- Arabic article ``/<percent-encoded Arabic slug>/<6-digit id>/``; ``<link rel=canonical>``,
  archives, related posts and the sidebar use lower-case escapes (``%d8%a7``), the feed
  ``/feed/`` upper case (``%D8%A7``). Monthly archives ``/date/YYYY/MM/[page/N/]``.
- English article ``/en/<6-digit id>/`` (no slug); legacy ``/en/?p=<id>`` serves the same
  page (200, canonical to ``/en/<id>/``). Feed ``/en/feed/``; daily archives
  ``/en/date/YYYY/MM/DD/[page/N/]`` and monthly ``/en/date/YYYY/MM/[page/N/]``.
- Archives use the site's local time (Asia/Damascus, +03:00), so a post published at 01:10
  local is listed under that local day although its UTC date is the day before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta, timezone
from typing import Any
from urllib.parse import quote

from devkit.mirror.catalog import Catalog, MirrorPage
from devkit.mirror.sites.common import (
    Request,
    Response,
    Slot,
    attr,
    esc,
    pick_slot,
    plan_slots,
    post_ids,
    robots_txt,
    stable_rng,
)
from devkit.mirror.sites.wordpress import (
    Post,
    WordPress,
    iso,
    json_ld,
    make_excerpt,
    term_slug,
)
from devkit.mirror.text import (
    AR_MONTHS,
    AR_WEEKDAYS,
    EN_MONTHS,
    EN_WEEKDAYS,
    Story,
    arabic_slug,
    sohr_story,
    upper_pct,
)

name = "syriahr"
hosts = ("www.syriahr.com", "syriahr.com")

ORIGIN = "https://www.syriahr.com"
DAMASCUS = timezone(timedelta(hours=3))
SITE_AR = "المرصد السوري لحقوق الإنسان"
SITE_EN = "The Syrian Observatory For Human Rights"
AUTHOR_AR = "المرصد السوري لحقوق الإنسان"
AUTHOR_EN = "SOHR"
COOKIE_TEXT = (
    "This website uses cookies to improve your experience. We'll assume you're ok "
    "with this, but you can opt-out if you wish."
)

# Publications per local day (oldest first) and the deliberate near-midnight times.
AR_COUNTS = (4, 4, 4, 4, 4, 4, 3)
AR_EDGES = {
    0: [(0, 40)],  # 21:40 UTC the day before the first day: outside a 7-day UTC window
    2: [(2, 35)],  # 23:35 UTC the day before
    4: [(23, 50)],  # 20:50 UTC, same day, ten minutes before local midnight
    6: [(3, 25)],  # 00:25 UTC on the anchor day
}
# trap -> local day offset (0 = oldest day, 6 = anchor)
AR_TRAPS: tuple[tuple[str, int], ...] = (
    ("not_article", 6),
    ("bot_challenge", 5),
    ("http_404", 4),
    ("empty_body", 3),
    ("bad_encoding", 2),
)
AR_CP1256_DAY = 1
EN_COUNTS = (2, 3, 2, 6, 2, 2, 1)
EN_EDGES = {
    0: [(0, 50)],  # 21:50 UTC the day before the first day: outside the window
    2: [(1, 10)],  # 22:10 UTC on day 1, listed in day 2's daily archive
    5: [(23, 40)],  # 20:40 UTC, same day
}
EN_TRAPS: tuple[tuple[str, int], ...] = (("too_large", 3), ("bot_challenge", 4), ("http_500", 5))
EN_LEGACY_DAY = 3


# ---- catalog -------------------------------------------------------------------------------


def build(anchor: date, seed: int) -> list[tuple[MirrorPage, dict[str, object]]]:
    return _build_edition(anchor, seed, "ar") + _build_edition(anchor, seed, "en")


def _unique_stories(rng: Any, lang: str, n: int) -> list[Story]:
    stories: list[Story] = []
    titles: set[str] = set()
    leads: set[str] = set()
    while len(stories) < n:
        s = sohr_story(rng, lang)
        if s.title in titles or s.sentences[0][0] in leads:
            continue
        titles.add(s.title)
        leads.add(s.sentences[0][0])
        stories.append(s)
    return stories


def _build_edition(
    anchor: date, seed: int, lang: str
) -> list[tuple[MirrorPage, dict[str, object]]]:
    outlet = f"sohr_{lang}"
    rng = stable_rng(seed, outlet)
    if lang == "ar":
        counts, edges, traps = AR_COUNTS, AR_EDGES, AR_TRAPS
    else:
        counts, edges, traps = EN_COUNTS, EN_EDGES, EN_TRAPS
    slots = plan_slots(rng, anchor, DAMASCUS, counts, edges)
    taken: set[int] = set()
    expect_of: dict[int, str] = {}
    for expect, day in traps:
        expect_of[pick_slot(slots, taken, day)] = expect
    special_slot = pick_slot(slots, taken, AR_CP1256_DAY if lang == "ar" else EN_LEGACY_DAY)
    ids = post_ids(rng, anchor, len(slots), 600_000 if lang == "ar" else 200_000)
    stories = _unique_stories(rng, lang, len(slots))
    not_article_tag = Counter(s.tags[1] for s in stories).most_common(1)[0][0]

    out: list[tuple[MirrorPage, dict[str, object]]] = []
    n_stored = 0
    for i, (slot, post_id, story) in enumerate(zip(slots, ids, stories, strict=True)):
        expect = expect_of.get(i, "stored")
        if expect == "not_article":
            out.append(_tag_page(lang, outlet, slot, not_article_tag))
            continue
        page, extra = _article(rng, lang, outlet, slot, post_id, story, expect)
        if expect == "stored":
            # markup variants on ordinary articles
            extra["plain_comment_form"] = n_stored % 4 == 3
            extra["cookie_in_body"] = n_stored % 9 == 5
            n_stored += 1
        if expect == "bot_challenge":
            extra["status"] = 503 if lang == "ar" else 200
        if i == special_slot and lang == "ar":
            extra["charset"] = "windows-1256"
        if i == special_slot and lang == "en":
            extra["legacy_link"] = True
            page = replace(page, alt_urls=(f"{ORIGIN}/en/?p={post_id}",))
        out.append((page, extra))
    return out


def _article(
    rng: Any, lang: str, outlet: str, slot: Slot, post_id: int, story: Story, expect: str
) -> tuple[MirrorPage, dict[str, object]]:
    if lang == "ar":
        _, encoded = arabic_slug(story.title)
        url = f"{ORIGIN}/{encoded}/{post_id}/"
        alt: tuple[str, ...] = (upper_pct(url),)
        authors = (AUTHOR_AR,)
    else:
        url = f"{ORIGIN}/en/{post_id}/"
        alt = ()
        authors = (AUTHOR_EN,)
    inline_dateline = rng.random() < 0.3
    paras = [" ".join(p) for p in story.sentences]
    if inline_dateline:
        paragraphs = (f"{story.dateline} {paras[0]}", *paras[1:])
    else:
        paragraphs = (story.dateline, *paras)
    if expect in ("empty_body", "http_404"):
        paragraphs = ()
    published = slot.utc
    modified = published + timedelta(minutes=rng.randint(4, 240)) if rng.random() < 0.5 else None
    page = MirrorPage(
        outlet=outlet,
        url=url,
        alt_urls=alt,
        published_at=published,
        modified_at=modified,
        title=story.title,
        paragraphs=paragraphs,
        language=lang,
        authors=authors,
        section=story.section,
        expect=expect,
    )
    extra: dict[str, object] = {
        "post_id": post_id,
        "tags": story.tags,
        "dateline": story.dateline,
        "strong_dateline": rng.random() < 0.5,
        "justify": rng.random() < 0.4,
        "nbsp_after": tuple(rng.random() < 0.6 for _ in range(len(paragraphs) + 1)),
        "views": rng.randint(120, 24000),
    }
    return page, extra


def _tag_page(lang: str, outlet: str, slot: Slot, tag: str) -> tuple[MirrorPage, dict[str, object]]:
    base = "/" if lang == "ar" else "/en/"
    url = f"{ORIGIN}{base}tag/{term_slug(tag)}/"
    page = MirrorPage(
        outlet=outlet,
        url=url,
        alt_urls=(upper_pct(url),) if "%" in url else (),
        published_at=slot.utc,
        modified_at=None,
        title=tag,
        paragraphs=(),
        language=lang,
        authors=(),
        section=None,
        expect="not_article",
    )
    return page, {"tag": tag}


# ---- serving -------------------------------------------------------------------------------


def mount(catalog: Catalog) -> Callable[[Request], Response]:
    theme = TagDivTheme()
    ar = WordPress(
        outlet="sohr_ar",
        origin=ORIGIN,
        base="/",
        name=SITE_AR,
        tagline="المرصد السوري لحقوق الإنسان",
        language="ar",
        html_lang="ar",
        tz=DAMASCUS,
        per_page=8,
        theme=theme,
        date_prefix="date/",
        day_archives=True,
        feed_link=lambda p: upper_pct(p.url),
    ).load(catalog)
    en = WordPress(
        outlet="sohr_en",
        origin=ORIGIN,
        base="/en/",
        name=SITE_EN,
        tagline="SOHR is a human rights organisation monitoring violations in Syria",
        language="en",
        html_lang="en-US",
        tz=DAMASCUS,
        per_page=5,
        theme=theme,
        date_prefix="date/",
        day_archives=True,
    ).load(catalog)

    def handle(req: Request) -> Response:
        if req.host == "syriahr.com":
            target = ORIGIN + req.path + (f"?{req.query}" if req.query else "")
            return Response(301, [("Location", target)])
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


# ---- the tagDiv "Newspaper" theme ----------------------------------------------------------


def _labels(lang: str) -> dict[str, str]:
    if lang == "ar":
        return {
            "home": "الرئيسية",
            "by": "بواسطة",
            "tags": "الوسوم",
            "related": "مقالات ذات صلة",
            "more_author": "المزيد من الكاتب",
            "latest": "آخر الأخبار",
            "reply": "اترك تعليقاً",
            "prev": "المقال السابق",
            "next": "المقال التالي",
            "page_of": "صفحة {page} من {pages}",
            "most_read": "الأكثر قراءة",
            "not_found": "الصفحة غير موجودة",
            "all_in": "عرض جميع المشاركات في",
            "search": "بحث",
        }
    return {
        "home": "Home",
        "by": "By",
        "tags": "TAGS",
        "related": "RELATED ARTICLES",
        "more_author": "MORE FROM AUTHOR",
        "latest": "Latest News",
        "reply": "LEAVE A REPLY",
        "prev": "Previous article",
        "next": "Next article",
        "page_of": "Page {page} of {pages}",
        "most_read": "Most read",
        "not_found": "Page not found",
        "all_in": "View all posts in",
        "search": "Search",
    }


def _menu(wp: WordPress) -> list[tuple[str, str]]:
    if wp.language == "ar":
        names = [
            "منطقة خفض التصعيد",
            "الجنوب السوري",
            "مناطق الإدارة الذاتية",
            "الوضع الإنساني",
            "الوضع المعيشي",
            "مناطق سيطرة النظام",
            "مخلفات الحرب",
            "تقارير",
            "إحصائيات",
        ]
        items = [("الرئيسية", wp.home)]
        items += [(n, wp.term_url("category", n)) for n in names]
        items += [
            ("English", f"{ORIGIN}/en/"),
            ("من نحن", wp.url("about-us/")),
            ("اتصل بنا", wp.url("contact-us/")),
        ]
        return items
    names = [
        "Violations",
        "Security chaos",
        "ISIS",
        "Humanitarian",
        "Economy",
        "Daily Reports",
        "Syrian Crisis",
        "Statistics",
    ]
    items = [("Home", wp.home)]
    items += [(n, wp.term_url("category", n)) for n in names]
    items += [
        ("العربية", f"{ORIGIN}/"),
        ("About Us", wp.url("about-us/")),
        ("Contact", wp.url("contact-us/")),
    ]
    return items


def _display_date(wp: WordPress, d: date) -> str:
    if wp.language == "ar":
        return f"{d.day} {AR_MONTHS[d.month - 1]}، {d.year}"
    return f"{EN_MONTHS[d.month - 1]} {d.day}, {d.year}"


def _today_line(wp: WordPress) -> str:
    d = wp.today or date(2026, 1, 1)
    if wp.language == "ar":
        return f"{AR_WEEKDAYS[d.weekday()]}، {d.day} {AR_MONTHS[d.month - 1]}، {d.year}"
    return f"{EN_WEEKDAYS[d.weekday()]}, {EN_MONTHS[d.month - 1]} {d.day}, {d.year}"


def _social() -> str:
    return "".join(
        f'<span class="td-social-icon-wrap"><a target="_blank" href="{href}" title="{t}">'
        f'<i class="td-icon-font td-icon-{icon}"></i></a></span>'
        for t, icon, href in (
            ("Facebook", "facebook", "https://www.facebook.com/syriahr"),
            ("Twitter", "twitter", "https://twitter.com/syriahr"),
            ("Youtube", "youtube", "https://www.youtube.com/user/syriahr"),
            ("Telegram", "telegram", "https://t.me/syriahr"),
        )
    )


class TagDivTheme:
    """Markup of tagDiv's "Newspaper" theme as SOHR runs it."""

    # ---- page frame ------------------------------------------------------------------------
    def _head(self, wp: WordPress, title: str, charset: str, extra: str = "") -> str:
        lang_attrs = 'lang="ar" dir="rtl"' if wp.language == "ar" else 'lang="en-US"'
        return f"""<!doctype html >
<!--[if IE 8]>    <html class="ie8" lang="en"> <![endif]-->
<!--[if IE 9]>    <html class="ie9" lang="en"> <![endif]-->
<!--[if gt IE 8]><!--> <html {lang_attrs}> <!--<![endif]-->
<head>
    <title>{esc(title)}</title>
    <meta charset="{charset}" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <link rel="pingback" href="{wp.home}xmlrpc.php" />
    <link rel="icon" type="image/png" href="{ORIGIN}/wp-content/uploads/2019/01/favicon.png">
{extra}    <link rel='stylesheet' id='td-theme-css' href='{ORIGIN}/wp-content/themes/Newspaper/style.css?ver=12.6.8' type='text/css' media='all' />
    <link rel='stylesheet' id='cookie-law-info-css' href='{ORIGIN}/wp-content/plugins/cookie-law-info/legacy/public/css/cookie-law-info-public.css?ver=3.2.8' type='text/css' media='all' />
    <script type="text/javascript" src="{ORIGIN}/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>
    <script type="text/javascript" id="cookie-law-info-js-extra">
/* <![CDATA[ */
var Cli_Data = {{"nn_cookie_ids":[],"cookielist":[],"non_necessary_cookies":[],"ccpaEnabled":"","ccpaRegionBased":"","ccpaBarEnabled":"","strictlyEnabled":["necessary","obligatoire"],"ccpaType":"gdpr","js_blocking":"","custom_integration":"","triggerDomRefresh":"","secure_cookies":""}};
var cli_cookiebar_settings = {{"animate_speed_hide":"500","animate_speed_show":"500","background":"#FFF","border":"#b1a6a6c2","border_on":"","button_1_button_colour":"#000","button_1_link_colour":"#fff","button_1_as_button":"1","notify_animate_hide":"1","notify_animate_show":"","notify_div_id":"#cookie-law-info-bar","notify_position_horizontal":"right","notify_position_vertical":"bottom"}};
/* ]]> */
</script>
    <script>
        window.tdwGlobal = {{"adminUrl":"{ORIGIN}\\/wp-admin\\/","wpRestNonce":"a1b2c3d4e5","wpRestUrl":"{ORIGIN}\\/wp-json\\/","permalinkStructure":"\\/%postname%\\/%post_id%\\/"}};
    </script>
</head>
"""

    def _header(self, wp: WordPress) -> str:
        menu = "".join(
            f'<li id="menu-item-{i}" class="menu-item menu-item-type-taxonomy '
            f'menu-item-object-category td-menu-item td-normal-menu menu-item-{i}">'
            f'<a href="{attr(href)}">{esc(label)}</a></li>'
            for i, (label, href) in enumerate(_menu(wp), start=101)
        )
        trending = "".join(
            f'<div class="td_module_trending_now td-trending-now-post-{j} '
            f'{"td-trending-now-active" if j == 0 else ""}"><h3 class="entry-title '
            f'td-module-title"><a href="{attr(wp.list_link(p))}" rel="bookmark" '
            f'title="{attr(p.title)}">{esc(p.title)}</a></h3></div>'
            for j, p in enumerate(wp.posts[:4])
        )
        trending_label = "الأكثر رواجاً" if wp.language == "ar" else "Trending Now"
        return f"""<div class="td-scroll-up"><i class="td-icon-menu-up"></i></div>
<div class="td-menu-background"></div>
<div id="td-mobile-nav"><div class="td-mobile-container"><div class="td-menu-socials-wrap"><div class="td-menu-socials">{_social()}</div><div class="td-mobile-close"><a href="#"><i class="td-icon-close-mobile"></i></a></div></div><div class="td-mobile-content"><div class="menu-td-demo-header-menu-container"><ul id="menu-td-demo-header-menu" class="td-mobile-main-menu">{menu}</ul></div></div></div></div>
<div id="td-outer-wrap" class="td-theme-wrap">
<div class="td-header-wrap td-header-style-1 ">
<div class="td-header-top-menu-full td-container-wrap "><div class="td-container td-header-row td-header-top-menu"><div class="top-bar-style-1"><div class="td-header-sp-top-menu"><div class="td_data_time"><div>{_today_line(wp)}</div></div><div class="menu-top-container"><ul id="menu-top" class="top-header-menu"><li class="menu-item"><a href="{wp.url("about-us/")}">{"من نحن" if wp.language == "ar" else "About Us"}</a></li><li class="menu-item"><a href="{wp.url("contact-us/")}">{"اتصل بنا" if wp.language == "ar" else "Contact Us"}</a></li></ul></div></div><div class="td-header-sp-top-widget">{_social()}</div></div></div></div>
<div class="td-banner-wrap-full td-logo-wrap-full td-container-wrap "><div class="td-container td-header-row td-header-header"><div class="td-header-sp-logo"><a class="td-main-logo" href="{wp.home}"><img class="td-retina-data" src="{ORIGIN}/wp-content/uploads/2019/01/logo.png" alt="{attr(wp.name)}"/><span class="td-visual-hidden">{esc(wp.name)}</span></a></div></div></div>
<div class="td-header-menu-wrap-full td-container-wrap "><div class="td-header-menu-wrap td-header-gradient "><div class="td-container td-header-row td-header-main-menu"><div id="td-header-menu" role="navigation"><div class="menu-td-demo-header-menu-container"><ul id="menu-td-demo-header-menu-1" class="sf-menu">{menu}</ul></div></div><div class="header-search-wrap"><div class="td-search-btns-wrap"><a id="td-header-search-button" href="#" role="button" class="dropdown-toggle " data-toggle="dropdown"><i class="td-icon-search"></i></a></div><div class="td-drop-down-search"><form method="get" class="td-search-form" action="{wp.home}"><div role="search" class="td-head-form-search-wrap"><input id="td-header-search" type="text" value="" name="s" autocomplete="off" /><input class="wpb_button wpb_btn-inverse btn" type="submit" id="td-header-search-top" value="{_labels(wp.language)["search"]}" /></div></form></div></div></div></div></div>
<div class="td-container td-trending-now-wrapper"><div class="td-trending-now-title">{trending_label}</div><div class="td-trending-now-display-area">{trending}</div></div>
</div>
"""

    def _footer(self, wp: WordPress) -> str:
        about = (
            "المرصد السوري لحقوق الإنسان منظمة حقوقية مستقلة تعنى برصد وتوثيق انتهاكات حقوق"
            " الإنسان في سوريا منذ عام 2006."
            if wp.language == "ar"
            else "The Syrian Observatory for Human Rights is an independent organisation"
            " documenting human rights violations in Syria since 2006."
        )
        links = "".join(
            f'<li class="menu-item"><a href="{attr(h)}">{esc(t)}</a></li>' for t, h in _menu(wp)[:6]
        )
        year = (wp.today or date(2026, 1, 1)).year
        rights = (
            f"© المرصد السوري لحقوق الإنسان {year}"
            if wp.language == "ar"
            else f"© Syrian Observatory For Human Rights, {year}"
        )
        return f"""<div class="td-footer-wrapper td-footer-container td-container-wrap "><div class="td-container"><div class="td-pb-row"><div class="td-pb-span12"><div class="td-footer-info"><div class="footer-logo-wrap"><a href="{wp.home}"><img src="{ORIGIN}/wp-content/uploads/2019/01/logo-footer.png" alt="" /></a></div><div class="footer-text-wrap">{esc(about)}</div><div class="footer-social-wrap td-social-style-2">{_social()}</div></div></div></div><div class="td-pb-row"><div class="td-pb-span12"><ul class="td-footer-menu">{links}</ul></div></div></div></div>
<div class="td-sub-footer-container td-container-wrap "><div class="td-container"><div class="td-pb-row"><div class="td-pb-span-td-sub-footer-menu"><div class="menu-footer-container"><ul id="menu-footer" class="td-subfooter-menu"><li class="menu-item"><a href="{wp.url("privacy-policy/")}">{"سياسة الخصوصية" if wp.language == "ar" else "Privacy Policy"}</a></li><li class="menu-item"><a href="{wp.url("contact-us/")}">{"اتصل بنا" if wp.language == "ar" else "Contact Us"}</a></li></ul></div></div><div class="td-pb-span-td-sub-footer-copy"><div class="td-sub-footer-copy">{esc(rights)}</div></div></div></div></div>
</div><!--close td-outer-wrap-->
"""

    def _cookie_bar(self, wp: WordPress) -> str:
        return (
            f'<div id="cookie-law-info-bar" data-nosnippet="true"><span>{esc(COOKIE_TEXT)}'
            '<a role=\'button\' data-cli_action="accept" id="cookie_action_close_header" '
            'class="medium cli-plain-button cli_action_button wt-cli-accept-btn">Accept</a> '
            f'<a href="{wp.url("privacy-policy/")}" id="CONSTANT_OPEN_URL" target="_blank" '
            'class="cli-plain-button">Read More</a></span></div>'
            '<div id="cookie-law-info-again" data-nosnippet="true"><span id="cookie_hdr_showagain">'
            "Privacy &amp; Cookies Policy</span></div>\n"
        )

    def _sidebar(self, wp: WordPress, extra: str = "") -> str:
        labels = _labels(wp.language)
        items = "".join(
            f'<li><a href="{attr(wp.list_link(p))}">{esc(p.title)}</a></li>' for p in wp.posts[:5]
        )
        return (
            f'<div class="td-pb-span4 td-main-sidebar" role="complementary">'
            f'<div class="td-ss-main-sidebar">{extra}<aside class="td_block_template_1 '
            f'widget widget_recent_entries"><h4 class="block-title"><span>{labels["latest"]}'
            f"</span></h4><ul>{items}</ul></aside></div></div>"
        )

    def _sharing(self, wp: WordPress, post: Post, where: str) -> str:
        u, t = quote(post.url, safe=""), quote(post.title, safe="")
        buttons = (
            ("facebook", "Facebook", f"https://www.facebook.com/sharer.php?u={u}"),
            (
                "twitter",
                "Twitter",
                f"https://twitter.com/intent/tweet?text={t}&url={u}&via=syriahr",
            ),
            ("whatsapp", "WhatsApp", f"https://api.whatsapp.com/send?text={u}"),
            ("telegram", "Telegram", f"https://telegram.me/share/url?url={u}"),
            ("print", "Print", "#"),
        )
        inner = "".join(
            f'<a class="td-social-sharing-button td-social-sharing-button-js td-social-network '
            f'td-social-{key}" href="{attr(href)}" title="{label}"><div class="td-social-but-icon">'
            f'<i class="td-icon-{key}"></i></div><div class="td-social-but-text">{label}</div></a>'
            for key, label, href in buttons
        )
        return (
            f'<div class="td-post-sharing-{where}"><div class="td-post-sharing td-ps-bg '
            f'td-ps-notext td-post-sharing-style1 "><div class="td-post-sharing-visible">'
            f"{inner}</div></div></div>"
        )

    def _comments(self, wp: WordPress, post: Post) -> str:
        labels = _labels(wp.language)
        if post.extra.get("plain_comment_form"):
            # Same texts, but no comment/respond ids or classes: only phrases betray it.
            return f"""<div class="td-block"><h4>{labels["reply"]}</h4>
<form action="{ORIGIN}/wp-comments-post.php" method="post" novalidate>
<p>Please enter your comment!</p>
<p>Please enter your name here</p>
<p>You have entered an incorrect email address!</p>
<p>Please enter your email address here</p>
<textarea name="comment" cols="45" rows="8" placeholder="Comment:"></textarea>
<input name="author" placeholder="Name:*" type="text" value="" size="30" />
<input name="email" placeholder="Email:*" type="text" value="" size="30" />
<input name="url" placeholder="Website:" type="text" value="" size="30" />
<p><input name="wp-comment-cookies-consent" type="checkbox" value="yes" /> Save my name, email, and website in this browser for the next time I comment.</p>
<p><input name="submit" type="submit" value="Post Comment" /><input type="hidden" name="comment_post_ID" value="{post.id}" /></p>
</form></div>
"""
        return f"""<div class="comments" id="comments">
    <div id="respond" class="comment-respond">
        <h3 id="reply-title" class="comment-reply-title">{labels["reply"]} <small><a rel="nofollow" id="cancel-comment-reply-link" href="{attr(post.url)}#respond" style="display:none;">Cancel reply</a></small></h3><form action="{ORIGIN}/wp-comments-post.php" method="post" id="commentform" class="comment-form" novalidate><div class="clearfix"></div>
                <div class="comment-form-input-wrap td-form-comment">
                    <textarea placeholder="Comment:" id="comment" name="comment" cols="45" rows="8" aria-required="true"></textarea>
                    <div class="td-warning-comment">Please enter your comment!</div>
                </div><div class="comment-form-input-wrap td-form-author">
                        <input class="" id="author" name="author" placeholder="Name:*" type="text" value="" size="30"  aria-required='true' />
                        <div class="td-warning-author">Please enter your name here</div>
                     </div>
<div class="comment-form-input-wrap td-form-email">
                        <input class="" id="email" name="email" placeholder="Email:*" type="text" value="" size="30"  aria-required='true' />
                        <div class="td-warning-email-error">You have entered an incorrect email address!</div>
                        <div class="td-warning-email">Please enter your email address here</div>
                     </div>
<div class="comment-form-input-wrap td-form-url">
                        <input class="" id="url" name="url" placeholder="Website:" type="text" value="" size="30" />
                     </div>
<p class="comment-form-cookies-consent"><input id="wp-comment-cookies-consent" name="wp-comment-cookies-consent" type="checkbox" value="yes" /><label for="wp-comment-cookies-consent">Save my name, email, and website in this browser for the next time I comment.</label></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment" /> <input type='hidden' name='comment_post_ID' value='{post.id}' id='comment_post_ID' />
<input type='hidden' name='comment_parent' id='comment_parent' value='0' />
</p></form>    </div><!-- #respond -->
    </div> <!-- /.content -->
"""

    def _related(self, wp: WordPress, post: Post) -> str:
        labels = _labels(wp.language)
        others = [p for p in wp.posts if p.id != post.id]
        rng = stable_rng("related", post.url)
        picks = rng.sample(others, min(3, len(others)))
        cells = "".join(
            f'<div class="td-related-span4"><div class="td_module_related_posts td-animation-stack '
            f'td_mod_related_posts"><div class="td-module-image"><div class="td-module-thumb">'
            f'<a href="{attr(wp.list_link(p))}" rel="bookmark" class="td-image-wrap" '
            f'title="{attr(p.title)}"><img class="entry-thumb" src="{ORIGIN}/wp-content/uploads/'
            f'{p.local:%Y/%m}/{p.id}-218x150.jpg" alt="" title="{attr(p.title)}" /></a></div>'
            f'</div><div class="item-details"><h3 class="entry-title td-module-title">'
            f'<a href="{attr(wp.list_link(p))}" rel="bookmark" title="{attr(p.title)}">'
            f"{esc(p.title)}</a></h3></div></div></div>"
            for p in picks
        )
        return (
            f'<div class="td_block_wrap td_block_related_posts td-related-posts tdi_3 '
            f'td_with_ajax_pagination td-pb-border-top td_block_template_1" '
            f'data-td-block-uid="tdi_3"><h4 class="td-related-title td-block-title">'
            f'<a id="tdi_4" class="td-related-left td-cur-simple-item" href="#">'
            f'{labels["related"]}</a><a id="tdi_5" class="td-related-right" href="#">'
            f'{labels["more_author"]}</a></h4><div id=tdi_3 class="td_block_inner">'
            f'<div class="td-related-row">{cells}</div></div></div>'
        )

    def _body(self, wp: WordPress, post: Post, paragraphs: Sequence[str]) -> str:
        extra = post.extra
        nbsp = list(extra.get("nbsp_after", ())) or [True]
        style = ' style="text-align: justify;"' if extra.get("justify") else ""
        dateline = str(extra.get("dateline", ""))
        parts: list[str] = []
        if nbsp[0] or not paragraphs:
            parts.append("<p>&nbsp;</p>")
        for i, para in enumerate(paragraphs):
            inner = esc(para)
            if i == 0 and dateline and para.startswith(dateline) and extra.get("strong_dateline"):
                inner = f"<strong>{esc(dateline)}</strong>{esc(para[len(dateline) :])}"
            parts.append(f"<p{style}>{inner}</p>")
            if nbsp[(i + 1) % len(nbsp)] or i == 0 or i == len(paragraphs) - 1:
                parts.append("<p>&nbsp;</p>")
        if not paragraphs:
            parts += ["<p>&nbsp;</p>", "<p>&nbsp;</p>"]
        if extra.get("cookie_in_body"):
            parts.append(f"<div>{esc(COOKIE_TEXT)} Accept</div>")
        return "\n".join(parts)

    # ---- pages -----------------------------------------------------------------------------
    def article(self, wp: WordPress, post: Post, paragraphs: Sequence[str], charset: str) -> str:
        page = post.page
        labels = _labels(wp.language)
        section = page.section or ""
        cat_url = wp.term_url("category", section)
        author = page.authors[0] if page.authors else wp.name
        author_url = wp.url(f"author/{term_slug(author)}/")
        published_local = iso(post.local)
        modified_local = iso(post.local_modified) if post.local_modified else None
        excerpt = make_excerpt(page.paragraphs, 30)
        image = f"{ORIGIN}/wp-content/uploads/{post.local:%Y/%m}/{post.id}.jpg"
        og_locale = "ar_AR" if wp.language == "ar" else "en_US"
        full_title = f"{page.title} - {wp.name}"
        ld = {
            "@context": "https://schema.org",
            "@graph": [
                {
                    "@type": "NewsArticle",
                    "@id": f"{page.url}#article",
                    "isPartOf": {"@id": page.url},
                    "author": {
                        "@type": "Person",
                        "name": author,
                        "@id": f"{wp.home}#/schema/person/{post.id % 97}",
                    },
                    "headline": page.title,
                    "datePublished": iso(page.published_at),
                    "dateModified": iso(page.modified_at or page.published_at),
                    "mainEntityOfPage": {"@id": page.url},
                    "publisher": {"@id": f"{wp.home}#organization"},
                    "image": {"@id": f"{page.url}#primaryimage"},
                    "thumbnailUrl": image,
                    "articleSection": [section],
                    "inLanguage": wp.language,
                },
                {
                    "@type": "WebPage",
                    "@id": page.url,
                    "url": page.url,
                    "name": full_title,
                    "datePublished": iso(page.published_at),
                    "breadcrumb": {"@id": f"{page.url}#breadcrumb"},
                },
                {
                    "@type": "Organization",
                    "@id": f"{wp.home}#organization",
                    "name": wp.name,
                    "url": wp.home,
                    "sameAs": ["https://www.facebook.com/syriahr", "https://x.com/syriahr"],
                },
            ],
        }
        meta = [
            "    <meta name='robots' content='index, follow, max-image-preview:large, "
            "max-snippet:-1, max-video-preview:-1' />",
            f'    <meta name="description" content="{attr(excerpt)}" />',
            f'    <link rel="canonical" href="{attr(page.url)}" />',
            f'    <meta property="og:locale" content="{og_locale}" />',
            '    <meta property="og:type" content="article" />',
            f'    <meta property="og:title" content="{attr(full_title)}" />',
            f'    <meta property="og:description" content="{attr(excerpt)}" />',
            f'    <meta property="og:url" content="{attr(page.url)}" />',
            f'    <meta property="og:site_name" content="{attr(wp.name)}" />',
            '    <meta property="article:publisher" content="https://www.facebook.com/syriahr" />',
            f'    <meta property="article:published_time" content="{iso(page.published_at)}" />',
        ]
        if page.modified_at:
            meta.append(
                f'    <meta property="article:modified_time" content="{iso(page.modified_at)}" />'
            )
        meta += [
            f'    <meta property="og:image" content="{image}" />',
            f'    <meta name="author" content="{attr(author)}" />',
            '    <meta name="twitter:card" content="summary_large_image" />',
            f'    <script type="application/ld+json" class="yoast-schema-graph">'
            f"{json_ld(ld, ascii_only=charset.upper() != 'UTF-8')}</script>",
            f'    <link rel="alternate" type="application/rss+xml" title="{attr(wp.name)} &raquo; '
            f'Feed" href="{wp.home}feed/" />',
            f"    <link rel='shortlink' href='{wp.home}?p={post.id}' />",
        ]
        if charset.upper() != "UTF-8":
            meta.insert(
                0, f'    <meta http-equiv="Content-Type" content="text/html; charset={charset}" />'
            )
        head = self._head(wp, full_title, charset, "\n".join(meta) + "\n")
        idx = next((i for i, p in enumerate(wp.posts) if p.id == post.id), 0)
        newer = wp.posts[idx - 1] if idx > 0 else None
        older = wp.posts[idx + 1] if idx + 1 < len(wp.posts) else None
        nav = ""
        if older:
            nav += (
                f'<div class="td-block-span6 td-post-prev-post"><div class="td-post-next-prev-'
                f'content"><span>{labels["prev"]}</span><a href="{attr(wp.list_link(older))}">'
                f"{esc(older.title)}</a></div></div>"
            )
        if newer:
            nav += (
                f'<div class="td-block-span6 td-post-next-post"><div class="td-post-next-prev-'
                f'content"><span>{labels["next"]}</span><a href="{attr(wp.list_link(newer))}">'
                f"{esc(newer.title)}</a></div></div>"
            )
        tags = "".join(
            f'<li><a href="{attr(wp.term_url("tag", t))}">{esc(t)}</a></li>' for t in post.tags
        )
        views = int(post.extra.get("views", 0))
        body_class = ("rtl " if wp.language == "ar" else "") + (
            f"post-template-default single single-post postid-{post.id} single-format-standard "
            "td-standard-pack global-block-template-1 td-full-layout"
        )
        return f"""{head}
<body class="{body_class}" itemscope="itemscope" itemtype="https://schema.org/WebPage">
{self._header(wp)}
<div class="td-main-content-wrap td-container-wrap">
    <div class="td-container td-post-template-default ">
        <div class="td-crumb-container"><div class="entry-crumbs"><span><a title="" class="entry-crumb" href="{wp.home}">{labels["home"]}</a></span> <i class="td-icon-right td-bread-sep"></i> <span><a title="{attr(labels["all_in"] + " " + section)}" class="entry-crumb" href="{attr(cat_url)}">{esc(section)}</a></span></div></div>
        <div class="td-pb-row">
            <div class="td-pb-span8 td-main-content" role="main">
                <div class="td-ss-main-content">
<article id="post-{post.id}" class="post-{post.id} post type-post status-publish format-standard has-post-thumbnail category-{term_slug(section)}" itemscope itemtype="https://schema.org/Article">
    <div class="td-post-header">
        <header class="td-post-title">
            <h1 class="entry-title">{esc(page.title)}</h1>
            <div class="td-module-meta-info">
                <div class="td-post-views"><i class="td-icon-views"></i><span class="td-nr-views-{post.id}">{views}</span></div>
                <ul class="td-category"><li class="entry-category"><a href="{attr(cat_url)}">{esc(section)}</a></li></ul>
                <div class="td-post-author-name"><div class="td-author-by">{labels["by"]}</div> <a href="{attr(author_url)}">{esc(author)}</a><div class="td-author-line"> - </div></div>
                <span class="td-post-date"><time class="entry-date updated td-module-date" datetime="{published_local}">{_display_date(wp, post.local.date())}</time></span>
            </div>
        </header>
    </div>
    {self._sharing(wp, post, "top")}
    <div class="td-post-content tagdiv-type">
<div class="td-post-featured-image"><a href="{image}" data-caption=""><img width="696" height="392" class="entry-thumb td-modal-image" src="{image}" alt="" title="{attr(page.title)}"/></a></div>
{self._body(wp, post, paragraphs)}
    </div>
    <footer>
        <div class="td-post-source-tags"><ul class="td-tags td-post-small-box clearfix"><li><span>{labels["tags"]}</span></li>{tags}</ul></div>
        {self._sharing(wp, post, "bottom")}
        <div class="td-block-row td-post-next-prev">{nav}</div>
        <div class="td-author-name vcard author" style="display: none"><span class="fn"><a href="{attr(author_url)}">{esc(author)}</a></span></div>
        <span class="td-page-meta" itemprop="author" itemscope itemtype="https://schema.org/Person"><meta itemprop="name" content="{attr(author)}"><meta itemprop="url" content="{attr(author_url)}"></span>
        <meta itemprop="datePublished" content="{published_local}"><meta itemprop="dateModified" content="{modified_local or published_local}"><meta itemscope itemprop="mainEntityOfPage" itemType="https://schema.org/WebPage" itemid="{attr(page.url)}"/>
        <meta itemprop="headline " content="{attr(page.title)}">
    </footer>
</article>
{self._related(wp, post)}
{self._comments(wp, post)}
                </div>
            </div>
            {self._sidebar(wp)}
        </div>
    </div>
</div>
{self._footer(wp)}
{self._cookie_bar(wp)}
</body>
</html>
"""

    def _module(self, wp: WordPress, post: Post) -> str:
        section = post.page.section or ""
        author = post.page.authors[0] if post.page.authors else wp.name
        link = wp.list_link(post)
        excerpt = make_excerpt(post.page.paragraphs, 25)
        return (
            f'<div class="td-block-span6"><div class="td_module_2 td_module_wrap '
            f'td-animation-stack"><div class="td-module-image"><div class="td-module-thumb">'
            f'<a href="{attr(link)}" rel="bookmark" class="td-image-wrap" title="{attr(post.title)}">'
            f'<img class="entry-thumb" src="{ORIGIN}/wp-content/uploads/{post.local:%Y/%m}/'
            f'{post.id}-324x160.jpg" alt="" title="{attr(post.title)}" /></a></div>'
            f'<a href="{attr(wp.term_url("category", section))}" class="td-post-category">'
            f'{esc(section)}</a></div><h3 class="entry-title td-module-title"><a href="{attr(link)}"'
            f' rel="bookmark" title="{attr(post.title)}">{esc(post.title)}</a></h3>'
            f'<div class="td-module-meta-info"><span class="td-post-author-name"><a href="'
            f'{attr(wp.url("author/" + term_slug(author) + "/"))}">{esc(author)}</a> <span>-</span>'
            f' </span><span class="td-post-date"><time class="entry-date updated td-module-date" '
            f'datetime="{iso(post.local)}">{_display_date(wp, post.local.date())}</time></span>'
            f'<span class="td-module-comments"><a href="{attr(link)}#respond">0</a></span></div>'
            f'<div class="td-excerpt">{esc(excerpt)}</div></div></div>'
        )

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
        labels = _labels(wp.language)
        title = f"{heading} - {wp.name}" if context.get("kind") != "home" else wp.name
        if page > 1:
            title = f"{heading} - {labels['page_of'].format(page=page, pages=pages)} - {wp.name}"
        links = [f'    <link rel="canonical" href="{attr(page_url(page))}" />']
        if page > 1:
            links.append(f'    <link rel="prev" href="{attr(page_url(page - 1))}" />')
        if page < pages:
            links.append(f'    <link rel="next" href="{attr(page_url(page + 1))}" />')
        links.append(
            "    <meta name='robots' content='noindex, follow' />"
            if context.get("kind") in ("day", "month")
            else "    <meta name='robots' content='index, follow' />"
        )
        head = self._head(wp, title, "UTF-8", "\n".join(links) + "\n")
        rows = []
        for i in range(0, len(posts), 2):
            pair = "".join(self._module(wp, p) for p in posts[i : i + 2])
            rows.append(f'<div class="td-block-row">{pair}</div>')
        nav = ""
        if pages > 1:
            items = []
            if page > 1:
                items.append(
                    f'<a href="{attr(page_url(page - 1))}"><i class="td-icon-menu-left"></i></a>'
                )
            for n in range(1, pages + 1):
                items.append(
                    f'<span class="current">{n}</span>'
                    if n == page
                    else f'<a href="{attr(page_url(n))}" class="page" title="{n}">{n}</a>'
                )
            if page < pages:
                items.append(
                    f'<a href="{attr(page_url(page + 1))}"><i class="td-icon-menu-right"></i></a>'
                )
            items.append(
                f'<span class="pages">{labels["page_of"].format(page=page, pages=pages)}</span>'
            )
            nav = (
                f'<div class="page-nav td-pb-padding-side">{"".join(items)}'
                '<div class="clearfix"></div></div>'
            )
        widget = ""
        if context.get("kind") == "day":
            # A "most read" widget that links by WordPress short link (?p=<id>).
            legacy = [
                p
                for p in wp.posts
                if p.extra.get("legacy_link") and p.local.date() == context["day"]
            ]
            if legacy:
                lis = "".join(
                    f'<li><a href="{wp.home}?p={p.id}">{esc(p.title)}</a></li>' for p in legacy
                )
                widget = (
                    f'<aside class="td_block_template_1 widget widget_top_posts">'
                    f'<h4 class="block-title"><span>{labels["most_read"]}</span></h4>'
                    f"<ul>{lis}</ul></aside>"
                )
        return f"""{head}
<body class="{"rtl " if wp.language == "ar" else ""}archive date td-standard-pack global-block-template-1 td-full-layout" itemscope="itemscope" itemtype="https://schema.org/WebPage">
{self._header(wp)}
<div class="td-main-content-wrap td-container-wrap">
    <div class="td-container ">
        <div class="td-crumb-container"><div class="entry-crumbs"><span><a title="" class="entry-crumb" href="{wp.home}">{labels["home"]}</a></span></div></div>
        <div class="td-pb-row">
            <div class="td-pb-span8 td-main-content">
                <div class="td-ss-main-content">
                    <div class="td-page-header"><h1 class="entry-title td-page-title"><span>{esc(heading)}</span></h1></div>
{chr(10).join(rows)}
{nav}
                </div>
            </div>
            {self._sidebar(wp, widget)}
        </div>
    </div>
</div>
{self._footer(wp)}
{self._cookie_bar(wp)}
</body>
</html>
"""

    def not_found(self, wp: WordPress) -> str:
        labels = _labels(wp.language)
        head = self._head(
            wp,
            f"{labels['not_found']} - {wp.name}",
            "UTF-8",
            "    <meta name='robots' content='noindex, follow' />\n",
        )
        latest = "".join(self._module(wp, p) for p in wp.posts[:4])
        return f"""{head}
<body class="{"rtl " if wp.language == "ar" else ""}error404 td-standard-pack global-block-template-1 td-full-layout">
{self._header(wp)}
<div class="td-main-content-wrap td-container-wrap"><div class="td-container"><div class="td-pb-row"><div class="td-pb-span12 td-main-content"><div class="td-404-head">
<div class="td-404-title">Ooops... Error 404</div>
<div class="td-404-sub-title">Sorry, but the page you are looking for doesn't exist.</div>
<div class="td-404-sub-sub-title">You can go to the <a href="{wp.home}">HOMEPAGE</a></div>
</div><h4 class="td-related-title"><span>OUR LATEST POSTS</span></h4><div class="td-block-row">{latest}</div></div></div></div></div>
{self._footer(wp)}
{self._cookie_bar(wp)}
</body>
</html>
"""
