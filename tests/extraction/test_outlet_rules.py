"""Outlet rules live with the outlet: the generic extractor names no outlet, and what one
outlet's YAML says (``selectors.drop_lines``, ``agencies``) applies to that outlet's pages
only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crawlers.registry import get_outlet, load_registry
from processing.extraction import extract
from processing.pipeline.outlets import extraction_profile

EXTRACTION = Path(__file__).resolve().parents[2] / "processing" / "extraction"
PARA_AR = (
    "قال المتحدث باسم الوزارة إن الاجتماع سيعقد الأسبوع المقبل لمناقشة الخطة الجديدة للنقل "
    "العام في المدينة، وإن اللجنة ستقدم تقريرها قبل نهاية الشهر."
)
PARA_EN = (
    "The ministry spokesman said the meeting would take place next week to discuss the new "
    "public transport plan for the city, and the committee would report before the month ends."
)


def outlet_words() -> set[str]:
    """Names an outlet goes by: its id's stem, its domains' names, the parts of its display
    name, the forms of the agencies it declares."""
    words: set[str] = set()
    for o in load_registry().values():
        words.add(o.id.split("_")[0])
        # a domain's name ("sarabic" in sarabic.ae; "enabbaladi" in english.enabbaladi.net)
        words.update(d.split(".")[-2] for d in o.domains)
        words.update(p.strip() for p in re.split(r"[(),]", o.name) if len(p.strip()) > 3)
        for name, forms in o.agencies.items():
            words.update([name, *forms])
    return {w for w in words if w and w.lower() not in {"english", "arabic"}}


def test_the_extraction_package_names_no_outlet():
    words = outlet_words()
    assert {"sputnik", "sohr", "politico", "enab", "npa", "سبوتنيك"} <= {w.lower() for w in words}
    found = []
    for path in sorted(EXTRACTION.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        for word in words:
            if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE):
                found.append(f"{path.name}: {word}")
    assert found == []


def test_no_outlet_line_pattern_is_in_the_generic_filter():
    source = (EXTRACTION / "boilerplate.py").read_text(encoding="utf-8")
    for outlet in load_registry().values():
        for pattern in outlet.selectors.drop_lines:
            assert pattern not in source, (outlet.id, pattern)


def sputnik_page(extra: str) -> str:
    return (
        '<html lang="ar" dir="rtl"><head><meta charset="utf-8"></head><body>'
        '<div class="article"><h1 class="article__title">عنوان الخبر الرئيسي للاختبار</h1>'
        '<div class="article__body">'
        f'<div class="article__block" data-type="text"><div class="article__text">{PARA_AR}'
        "</div></div>"
        f'<div class="article__block" data-type="text"><div class="article__text">{extra}'
        "</div></div>"
        f'<div class="article__block" data-type="text"><div class="article__text">{PARA_AR} '
        "الجزء الثالث.</div></div></div></div></body></html>"
    )


@pytest.mark.parametrize("line", ["- سبوتنيك عربي, 1920", "مدار الليل والنهار", "بث مباشر"])
def test_sputnik_arabic_lines_go_for_sputnik_arabic_only(line: str) -> None:
    html = sputnik_page(line)
    url = "https://sarabic.ae/20260729/slug-1093361261.html"
    own = extract(html, url, profile=extraction_profile(get_outlet("sputnik_ar")))
    assert line not in own.text and "الجزء الثالث" in own.text
    # another outlet's pages, or an unknown site, keep the line: it may be their text
    for profile in (None, extraction_profile(get_outlet("enab_ar"))):
        other = extract(html, "https://www.enabbaladi.net/archives/1", profile=profile)
        assert line in other.text


def sohr_page(lang: str, para: str) -> str:
    return (
        f'<html lang="{lang}"><head><meta charset="utf-8"></head><body><div class="td-post-header">'
        '<h1 class="entry-title">Title of the report for the test</h1></div>'
        f'<div class="td-post-content"><p>{para}</p><p>1530</p><p>{para} Second part.</p>'
        "</div></body></html>"
    )


@pytest.mark.parametrize("outlet", ["sohr_ar", "sohr_en"])
def test_sohrs_bare_view_counter_goes_for_sohr_only(outlet: str) -> None:
    html = sohr_page("en", PARA_EN)
    own = extract(
        html, "https://www.syriahr.com/en/1/", profile=extraction_profile(get_outlet(outlet))
    )
    assert "1530" not in own.text.split("\n")
    for profile in (None, extraction_profile(get_outlet("npa_en"))):
        other = extract(html, "https://npasyria.com/en/1/", profile=profile)
        assert "1530" in other.text.split("\n")  # a bare number elsewhere is text (a score…)


def test_an_outlets_own_agency_credit_is_a_source_on_its_pages_only():
    html = (
        '<html lang="ar"><body><h1 class="jeg_post_title">عنوان الخبر الرئيسي للاختبار</h1>'
        f'<div class="content-inner"><p>القامشلي – نورث برس: {PARA_AR}</p><p>{PARA_AR}</p>'
        "</div></body></html>"
    )
    own = extract(html, "https://npasyria.com/1/", profile=extraction_profile(get_outlet("npa_ar")))
    assert own.sources == ["North Press"]
    assert extract(html, "https://npasyria.com/1/").sources == []
