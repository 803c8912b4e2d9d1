"""Authors (people) and sources (news agencies): processing/extraction/authors.py."""

from __future__ import annotations

import json

import pytest

from processing.extraction import ExtractionProfile, extract
from processing.extraction.authors import credited_in_text, split_sources

PARA = "<p>" + "A paragraph of the article that runs long enough to be the body here. " * 5 + "</p>"


def page(head: str = "", header: str = "", body: str = PARA, lang: str = "en") -> str:
    return (
        f'<html lang="{lang}"><head><meta charset="utf-8">{head}</head><body><main><article>'
        f"<h1>A headline of the story for the test</h1>{header}{body}</article>"
        f"<aside class='related'><a href='/author/other-person'>Other Person</a></aside>"
        "</main></body></html>"
    )


def ld(obj: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def test_the_visible_byline_under_the_headline():
    got = extract(
        page(header='<div class="meta">By <a href="/p/jd">Jane Doe</a>, <a href="/p/jr">John'
             ' Roe</a> <span>Staff Writer</span> • <time>Dec 22, 2023</time></div>'),
        "https://news.example/a",
    )  # fmt: skip
    assert got.authors == ["Jane Doe", "John Roe"]
    assert got.sources == []


def test_a_byline_and_an_agency_credit():
    got = extract(
        page(header="<p class='byline'>By <span>Brian Doe</span> and <span>AFP</span></p>"),
        "https://news.example/a",
    )
    assert got.authors == ["Brian Doe"]
    assert got.sources == ["AFP"]


def test_an_agency_alone_is_a_source_not_an_author():
    got = extract(page(header="<div>By Associated Press</div>"), "https://news.example/a")
    assert got.authors == []
    assert got.sources == ["The Associated Press"]


def test_json_ld_author_references_are_resolved():
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "NewsArticle", "headline": "x", "author": {"@id": "#/person/1"}},
            {"@type": "Person", "@id": "#/person/1", "name": "Echo Lawrence"},
        ],
    }
    assert extract(page(ld(graph)), "https://news.example/a").authors == ["Echo Lawrence"]


def test_json_ld_people_kept_to_the_one_the_byline_confirms():
    head = (
        ld(
            {
                "@type": "NewsArticle",
                "author": [
                    {"@type": "Person", "name": "Robbie Dunlop"},
                    {"@type": "Person", "name": "Megan Garside"},
                ],
            }
        )
        + '<meta name="author" content="Robbie Dunlop">'
    )
    assert extract(page(head), "https://news.example/a").authors == ["Robbie Dunlop"]


def test_a_name_credited_with_another_role_is_not_an_author():
    head = ld(
        {
            "@type": "NewsArticle",
            "author": [
                {"@type": "Person", "name": "Shamira Ibrahim"},
                {"@type": "Person", "name": "Whitney Lens"},
            ],
        }
    )
    got = extract(page(head, "<p>Photography by Whitney Lens</p>"), "https://news.example/a")
    assert got.authors == ["Shamira Ibrahim"]


def test_an_organisation_as_json_ld_author_gives_way_to_the_visible_byline():
    head = ld({"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Weather"}})
    got = extract(page(head, "<h4>By <span>Simone M. Scully</span></h4>"), "https://news.example/a")
    assert got.authors == ["Simone M. Scully"]


def test_the_byline_in_the_headlines_tail():
    html = (
        "<html><body><div id='title'><h1>The vtuber of the year is crowned today</h1> by"
        " MrAJCosplay, <small><time>Dec 19th 2023</time></small></div>" + PARA + "</body></html>"
    )
    assert extract(html, "https://news.example/a").authors == ["MrAJCosplay"]


def test_a_sentence_after_a_by_word_is_not_a_byline():
    html = page(header="<p>Por fuera parecía tener éxito, pero tuve que replantearme todo.</p>")
    assert extract(html, "https://diario.example/a").authors == []


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("بقلم: محمد أحمد", ["محمد أحمد"]),
        ("كتب أحمد وليد و وائل حسن", ["أحمد وليد", "وائل حسن"]),
        ("بقلم <a href='/author/x'>سارة علي</a> - 17 نوفمبر، 2026", ["سارة علي"]),
    ],
)
def test_arabic_bylines(byline: str, expected: list[str]) -> None:
    got = extract(
        page(header=f"<div class='byline'>{byline}</div>", lang="ar"), "https://a.example/x"
    )
    assert got.authors == expected


def test_agencies_in_the_dateline_and_the_closing_line():
    assert credited_in_text("DAMASCUS (Reuters) - Shelling hit the town.\nMore.") == ["Reuters"]
    assert credited_in_text("دمشق - سانا - أعلنت الوزارة اليوم أن …\nنص") == ["SANA"]
    assert credited_in_text("The minister said.\nMore text.\n(AFP)") == ["AFP"]
    assert credited_in_text("The minister said.\nالمصدر: سانا") == ["SANA"]
    assert credited_in_text("The AP style guide (AP) is cited in the middle.") == []


def test_an_outlets_own_agencies_come_from_its_profile():
    profile = ExtractionProfile(agencies=(("سبوتنيك", "Sputnik"),))
    html = page(header="<div class='byline'>بقلم سبوتنيك</div>", lang="ar")
    assert extract(html, "https://a.example/x").sources == []
    assert extract(html, "https://a.example/x", profile=profile).sources == ["Sputnik"]


def test_split_sources_takes_the_agency_off_a_persons_name():
    forms = (("The Associated Press", "The Associated Press"), ("AP", "The Associated Press"))
    assert split_sources(["John O'Connor The Associated Press"], forms) == (
        ["John O'Connor"],
        ["The Associated Press"],
    )
