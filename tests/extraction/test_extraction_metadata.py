"""Tags, descriptions and sections: filled from every place a page puts them, never cut."""

from __future__ import annotations

from processing.extraction import extract

PARAS = "".join(
    f"<p>Paragraph {i}: the council met on Tuesday and voted on the budget again today.</p>"
    for i in range(5)
)


def _page(head: str = "", body: str = "", body_start: str = "", body_end: str = "") -> str:
    return (
        f"<html><head><title>Council votes</title>{head}</head><body>{body_start}"
        f"<article><h1>Council votes</h1>{PARAS}{body}{body_end}</article></body></html>"
    )


def test_tags_from_article_tag_meta_json_ld_keywords_and_rel_tag_links():
    head = (
        '<meta property="article:tag" content="Budget">'
        '<meta property="article:tag" content="City council">'
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "keywords": "budget, Elections,  Taxes"}</script>'
        '<meta name="keywords" content="news, breaking, site-wide">'
    )
    body = (
        '<div class="post-tags"><a href="/tag/vote" rel="tag">Vote</a>'
        '<a href="/tag/taxes" rel="tag">taxes</a>'
        '<a href="/cat/politics" rel="category tag">Politics</a></div>'
    )
    ext = extract(_page(head, body), "https://example.com/a")
    assert ext.tags == ["Budget", "City council", "Elections", "Taxes", "Vote"]


def test_json_ld_keywords_as_a_list_and_rel_tag_outside_the_sidebar():
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "keywords": ["Syria", "Idlib"]}</script>'
    )
    body = '<aside><a rel="tag" href="/tag/cloud">Tag cloud</a></aside>'
    ext = extract(_page(head, body), "https://example.com/a")
    assert ext.tags == ["Syria", "Idlib"]


def test_the_keywords_meta_tag_only_when_nothing_else_names_tags():
    ext = extract(_page('<meta name="keywords" content="Aleppo, shelling">'), "https://x.org/a")
    assert ext.tags == ["Aleppo", "shelling"]
    assert extract(_page(), "https://x.org/a").tags == []


LONG = (
    "Hama province, the Syrian Observatory for Human Rights: A farmer was killed when a war "
    "remnant exploded while he was ploughing his land near Al-Ziyarah in Al-Ghab Plain in "
    "north-western rural Hama, in the latest of a series of such incidents this autumn."
)


def test_the_description_is_never_cut():
    head = f'<meta name="description" content="{LONG}">'
    assert extract(_page(head), "https://example.com/a").description == LONG


def test_a_description_the_page_shortened_gives_way_to_the_whole_one():
    short = LONG[:150].rsplit(" ", 1)[0] + "…"
    head = (
        f'<meta name="description" content="{short}">'
        f'<meta property="og:description" content="{short}">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "description": "'
        + LONG
        + '"}</script>'
    )
    assert extract(_page(head), "https://example.com/a").description == LONG


def test_section_from_meta_or_json_ld():
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "articleSection": ["Violations"]}</script>'
    )
    assert extract(_page(head), "https://example.com/a").section == "Violations"


def test_section_from_the_breadcrumb_trail_not_home_nor_the_headline():
    crumbs = (
        '<script type="application/ld+json">{"@type": "BreadcrumbList", "itemListElement": ['
        '{"@type": "ListItem", "position": 1, "name": "Home"},'
        '{"@type": "ListItem", "position": 2, "name": "World"},'
        '{"@type": "ListItem", "position": 3, "name": "Middle East"},'
        '{"@type": "ListItem", "position": 4, "name": "Council votes"}]}</script>'
    )
    assert extract(_page(crumbs), "https://example.com/a").section == "Middle East"
    markup = (
        '<nav aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li>'
        '<li><a href="/w">World</a></li></ol></nav>'
    )
    assert extract(_page(body_start=markup), "https://example.com/a").section == "World"


def test_section_from_the_wordpress_category_link_tatweel_removed():
    cat = '<span class="cat-links"><a href="/category/x" rel="category tag">مجتـمع</a></span>'
    assert extract(_page(body_end=cat), "https://example.com/a").section == "مجتمع"


def test_tags_from_a_visible_tag_list_when_the_metadata_has_none():
    tag_list = (
        '<div class="article__tags"><span>Tags:</span><ul><li>Aleppo</li><li>#Idlib</li>'
        "<li>2024</li></ul></div>"
    )
    assert extract(_page(body_end=tag_list), "https://example.com/a").tags == ["Aleppo", "Idlib"]
    text_list = '<div class="b-article__tags">Tags: Damascus, Homs</div>'
    assert extract(_page(body_end=text_list), "https://example.com/a").tags == ["Damascus", "Homs"]


def test_tags_and_descriptions_from_parsely_and_twitter_tags():
    head = (
        '<meta name="parsely-tags" content="budget, council">'
        '<meta name="twitter:description" content="The council voted on the budget for next year.">'
    )
    got = extract(_page(head), "https://example.com/a")
    assert got.tags == ["budget", "council"]
    assert got.description == "The council voted on the budget for next year."
