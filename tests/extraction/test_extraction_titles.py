"""The headline a reader sees, and the SEO title beside it (processing/extraction/titles.py)."""

from __future__ import annotations

import pytest

from processing.extraction import extract
from processing.extraction.titles import without_genre

BODY = (
    "<p>" + "The article body goes on for a while so that the page has a text at all. " * 6 + "</p>"
)


def page(head: str, header: str) -> str:
    return (
        f'<html lang="en"><head><meta charset="utf-8">{head}</head><body><main>'
        f"<article>{header}{BODY}</article></main></body></html>"
    )


def test_the_h1_the_metadata_agrees_with_keeps_its_own_form():
    got = extract(
        page(
            "<title>Trump's inner circle: who are the insiders? | The Example Post</title>"
            '<meta property="og:site_name" content="The Example Post">',
            "<h1>Trump’s inner circle: Who are the insiders?</h1>",
        ),
        "https://post.example/a",
    )
    assert got.title == "Trump’s inner circle: Who are the insiders?"
    assert got.seo_title is None  # the same words: not a different title


def test_a_differently_worded_seo_title_goes_to_its_own_field():
    got = extract(
        page(
            '<meta property="og:title" content="Why neon is the symbol of a century">'
            "<title>A brief history of neon signage - Example City</title>",
            "<h1>The modern ambitions behind neon light</h1>",
        ),
        "https://city.example/neon",
    )
    assert got.title == "The modern ambitions behind neon light"
    assert got.seo_title == "Why neon is the symbol of a century"


def test_a_kicker_shown_before_the_h1_is_kept_when_the_metadata_has_it():
    got = extract(
        page(
            '<meta property="og:title" content="Kenia: Nairobi von unten">',
            '<header><span class="kicker">Kenia</span><h1>Nairobi von unten</h1></header>',
        ),
        "https://zeitung.example/kenia",
    )
    assert got.title == "Kenia: Nairobi von unten"


def test_a_kicker_only_in_the_metadata_is_not_added():
    got = extract(
        page(
            '<meta property="og:title" content="Kenia: Nairobi von unten">',
            "<header><h1>Nairobi von unten</h1></header>",
        ),
        "https://zeitung.example/kenia",
    )
    assert got.title == "Nairobi von unten"


def test_a_genre_label_is_not_part_of_the_headline():
    got = extract(
        page(
            '<script type="application/ld+json">{"@type": "NewsArticle",'
            ' "headline": "What I will be praying for this Christmas"}</script>'
            '<meta property="og:title" content="Opinion | What I will be praying for this'
            ' Christmas">',
            '<h1><span class="label">Opinion</span> What I will be praying for this Christmas</h1>',
        ),
        "https://post.example/opinion",
    )
    assert got.title == "What I will be praying for this Christmas"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Opinion | The case for trains", "The case for trains"),
        ("The case for trains | Editorial", "The case for trains"),
        ("Cat video beamed from deep space (video)", "Cat video beamed from deep space"),
        ("[Watch] Dan and Shay at the finale", "Dan and Shay at the finale"),
        ("Opinion: the case for trains", "Opinion: the case for trains"),  # written into it
        ("Watch the moment the bridge fell", "Watch the moment the bridge fell"),
        ("رأي | عن القطارات", "عن القطارات"),
        ("Opinion", "Opinion"),
    ],
)
def test_without_genre(raw: str, expected: str) -> None:
    assert without_genre(raw) == expected


def test_an_h1_holding_the_title_and_the_site_logo_gives_the_title():
    got = extract(
        page(
            '<meta name="twitter:title" content="Anticorrupción decidirá en Madrid si recurre">',
            '<h1>Anticorrupción decidirá en Madrid si recurre<span class="logo">Última Hora'
            "</span></h1>",
        ),
        "https://diario.example/x",
    )
    assert got.title == "Anticorrupción decidirá en Madrid si recurre"


def test_metadata_titles_in_rdfa_property_lists_and_dublin_core():
    got = extract(
        page(
            '<title>Title Element</title><meta property="x:title dc:title"'
            ' content="Preferred title">',
            "<h1>Short h1</h1>",
        ),
        "https://site.example/x",
    )
    assert got.title == "Preferred title"


def test_several_h1s_without_agreement_give_the_metadata_title():
    got = extract(
        page(
            "<title>Site Reliability Engineering</title>",
            "<h1>Monitoring Systems</h1><h1>Definitions</h1><h1>Setting Reasonable"
            " Expectations for Monitoring</h1>",
        ),
        "https://book.example/x",
    )
    assert got.title == "Site Reliability Engineering"


def test_the_first_h1_of_four_words_when_the_metadata_disagrees():
    got = extract(
        page(
            "<title>Something else entirely</title>",
            "<h1>The astonishing collapse of the season</h1><h1>Recently in sports</h1>",
        ),
        "https://mag.example/x",
    )
    assert got.title == "The astonishing collapse of the season"
    assert got.seo_title == "Something else entirely"


def test_a_site_logo_h1_is_not_the_headline():
    got = extract(
        page(
            '<meta property="og:site_name" content="EXAMPLE">'
            '<meta property="og:title" content="Senate passes the border bill">',
            "<h1>EXAMPLE</h1><h2>Senate passes the border bill</h2>",
        ),
        "https://example.com/story",
    )
    assert got.title == "Senate passes the border bill"


def test_an_h1_that_is_the_documents_site_part_is_not_the_headline():
    # documentation pages: a header h1 with the project's name, the page's own h1 after it
    got = extract(
        page(
            "<title>Evolve: Shared Mutable History — evolve extension for Mercurial</title>",
            "<h1>evolve extension for Mercurial</h1><h1>Evolve: Shared Mutable History"
            '<a class="headerlink" href="#evolve">¶</a></h1>',
        ),
        "https://docs.example/evolve",
    )
    assert got.title == "Evolve: Shared Mutable History"  # no site part, no permalink mark


def test_a_header_h1_naming_the_site_gives_way_to_the_metadata():
    got = extract(
        page(
            '<meta property="og:site_name" content="MSN">'
            '<meta property="og:title"'
            ' content="Nintendo\'s first phone game launches in December">',
            "<h1>msn back to msn home news</h1>",
        ),
        "https://portal.example/story",
    )
    assert got.title == "Nintendo's first phone game launches in December"


def test_a_short_display_headline_over_a_dek_that_the_metadata_carries():
    got = extract(
        page(
            '<meta property="og:title" content="A ghostly quasiparticle could unlock quantum'
            ' computing">',
            '<div><h1>The quantum phantom</h1><h2 class="subtitle">A ghostly quasiparticle could'
            " unlock quantum computing, if only it could be pinned down</h2></div>",
        ),
        "https://science.example/phantom",
    )
    assert got.title == "The quantum phantom"
    assert got.seo_title == "A ghostly quasiparticle could unlock quantum computing"


def test_an_unknown_site_name_after_the_document_title_is_left_out():
    got = extract(
        page("<title>Lorem ipsum dolor sit amet – My website</title>", ""),
        "https://blog.example/lorem",
    )
    assert got.title == "Lorem ipsum dolor sit amet"
    # a last part as long as the headline is a part of it, not a site's name
    got = extract(
        page("<title>Talks stall over the budget - what comes next for the city</title>", ""),
        "https://blog.example/budget",
    )
    assert got.title == "Talks stall over the budget - what comes next for the city"
