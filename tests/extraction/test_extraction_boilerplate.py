"""The phrase-level boilerplate filter: what it removes, and what it must never touch."""

from __future__ import annotations

import pytest

from processing.extraction import clean_text, is_boilerplate, leaks
from processing.extraction.boilerplate import (
    cut_at_end_marker,
    drop_label_runs,
    drop_teaser_blocks,
    is_dateline,
    trim_edges,
)


@pytest.mark.parametrize(
    "line",
    [
        # comment forms in plain markup (SOHR's tagDiv theme, WordPress)
        "Please enter your comment!",
        "Please enter your name here",
        "You have entered an incorrect email address!",
        "Save my name, email, and website in this browser for the next time I comment.",
        "Leave a Reply",
        "الرجاء إدخال تعليقك!",
        "اترك تعليقاً",
        # cookie banners
        "This website uses cookies to improve your experience. We'll assume you're ok with this, "
        "but you can opt-out if you wish. Accept",
        "Accept all cookies",
        # follow / share / newsletter prompts
        "Follow us on Twitter",
        "تابعنا عبر تيليجرام",
        "Share this article: Facebook Twitter WhatsApp",
        "Sign up for our free newsletter and get the best stories every morning.",
        "Thanks for signing up!",
        "Get the Example Weekly newsletter in your inbox",
        # teasers and ads
        "Read more: Ten ways to stay warm this winter",
        "اقرأ أيضاً: الجيش يعلن السيطرة على المدينة",
        "Advertisement",
        "Article continues below this ad",
        "We may earn a commission when you buy through links on our site.",
        # credits, copyright, embeds
        "© Sputnik / Mikhail Voskresenskiy",
        "Photo: Reuters",
        "(Photo: Example Studios)",
        "Copyright 2025 Example Media Group. All rights reserved.",
        "— Jane Example (@janeexample) March 3, 2025",
        "What a day in the capital. pic.twitter.com/AbC123xYz9",
        # Sputnik's radio schedule and SOHR's view counter, datelines on their own
        "13:00",
        "Saturday 14 June 2025 05:39, UK",
        "الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00 (GMT+0400)",
        # comment-section and opinion disclaimers
        "الآراء الواردة أدناه لا تعبر عن رأي الموقع، بل تعكس وجهات نظر أصحابها فقط.",
        "The opinions expressed here are the author’s. Example Media values diversity of thought.",
        "The views expressed in this column are solely those of the writer.",
        # a template's inline style printed as text
        ".embed-container { position: relative; padding-bottom: 56.25%; height: 0; } "
        ".embed-container iframe, .embed-container object { position: absolute; top: 0; }",
        # section separators
        "* * *",
        "• • •",
        "",
        "   ",
    ],
)
def test_boilerplate_lines(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "Shares of Apple fell 3% on Tuesday after the company cut its forecast.",
        "The Syrian Observatory for Human Rights documented the fata*lities of 12 civilians.",
        "Idlib province, the Syrian Observatory for Human Rights:",
        "محافظة إدلب – المرصد السوري لحقوق الإنسان::",
        "Follow-up talks are expected next week in Geneva, officials said.",
        "He said the newsletter he founded in 1998 had 40,000 readers.",
        "The photo shows the destroyed bridge near the town of Jisr al-Shughur.",
        "قال المرصد إن 3 مدنيين قتلوا في قصف على ريف إدلب الجنوبي.",
        "The Copyright Office issued new guidance on AI-generated works on Monday.",
        "Accept the offer, the union told its members in a statement.",
        "The set {a: 1, b: 2} is a mapping, the tutorial explains.",
        "Braces {like these} appear in prose: rarely, but they do.",
        "The opinions expressed here are not shared by the committee, its chairman said.",
    ],
)
def test_article_lines_are_kept(line):
    assert not is_boilerplate(line)


def test_clean_text_keeps_lines_exactly_and_asterisk_words():
    text = (
        "Idlib province, the Syrian Observatory for Human Rights:\n"
        "Fata*lities rose to 12 after the assa*ssination of a local commander.\n"
        "Please enter your comment!\n"
        "Please enter your name here\n"
        "This website uses cookies to improve your experience. We'll assume you're ok "
        "with this, but you can opt-out if you wish. Accept"
    )
    cleaned = clean_text(text)
    assert cleaned == (
        "Idlib province, the Syrian Observatory for Human Rights:\n"
        "Fata*lities rose to 12 after the assa*ssination of a local commander."
    )
    assert "fata*lities" in cleaned.lower() and "assa*ssination" in cleaned
    assert leaks(cleaned) == []


def test_leaks_finds_form_phrases_inside_lines():
    assert leaks("Great report. Please enter your comment! Please enter your name here") == [
        "Please enter your comment",
        "Please enter your name here",
    ]
    assert leaks("Shares of Apple fell") == []


def test_trim_edges_drops_labels_before_and_credits_after():
    lines = [
        "Middle East",
        "Breaking",
        "By Jane Doe",
        "The first paragraph of the article, which is a real sentence.",
        "A second paragraph with more reporting from the ground.",
        "Jane Doe is a senior reporter at the Example Times covering Syria.",
        "Contact her at jane.doe@example.com",
        "Tags",
    ]
    assert trim_edges(lines) == lines[3:5]


def test_trim_edges_keeps_list_items_and_never_empties():
    lines = ["Results:", "- 2012: Silviu Petrescu", "- 2011: Mark Geiger"]
    assert trim_edges(lines) == lines
    assert trim_edges(["Only a label"]) == ["Only a label"]


def test_label_runs_are_dropped_but_not_lists():
    lines = [
        "A real paragraph about the news of the day.",
        "Home",
        "World",
        "Sport",
        "- Beans and lentils",
        "- Tofu and tempeh",
        "- Nuts",
        "Another real paragraph ends here.",
    ]
    assert drop_label_runs(lines) == [lines[0], *lines[4:]]


def test_dateline_detection():
    assert is_dateline("December 22, 2023")
    assert is_dateline("Updated: Mar 3, 2025 1:00 p.m. ET")
    assert is_dateline("٢٨ أكتوبر ٢٠٢٤")
    assert not is_dateline("On December 22, 2023 the council voted to approve the plan.")
    assert not is_dateline("Breaking news")


def test_bylines_with_a_date_are_meta_lines():
    assert is_boilerplate("منطقة خفض التصعيد بواسطة المرصد السوري لحقوق الإنسان - 17 نوفمبر، 2026")
    assert is_boilerplate("Politics By Jane Example - March 3, 2025")
    # a sentence that happens to contain "by" and a date is text
    assert not is_boilerplate("The bill was passed by the Senate on March 3, 2025.")


# tail furniture after the last paragraph: each line alone after two article paragraphs
ARTICLE = [
    "The first paragraph of the article, which is a real sentence about the news.",
    "A second paragraph with more reporting from the ground, quoting officials.",
]


@pytest.mark.parametrize(
    "tail",
    [
        # bios: possessive employer, long text after the role
        "Alex Example (she/her) is Example Magazine’s first-ever food columnist. In her column she "
        "shares easy recipes for the most impressive meals, and she has written for many other "
        "publications over a long career that started in local radio in the nineties. " * 2,
        "Sam Example is the news editor for Best Things, covering gifting, lifestyle and pop culture. "  # noqa: E501
        "He has covered pop culture and commerce professionally for over a decade, and his work has "  # noqa: E501
        "appeared in many outlets including several national magazines and newspapers. " * 2,
        "Chris Example is a film critic for The Example Herald.",
        "The Example Sentinel Editorial Board consists of Editorial Page Editor Jo Example and Deputy "  # noqa: E501
        "Editor Sam Example.",
        # corrections, disclosures, credits, newsletter blurbs
        "A previous version of this article incorrectly stated the date of the vote.",
        "A previous verison of this story misspelled a name.",
        "The author or authors do not own shares in any securities mentioned in this article.",
        "Stats courtesy of Example Sports Data.",
        "Hair: Dana Example with Example Salon",
        "Styling: Jo Example. Styling assistance: Sam Example. Grooming: Alex Example.",
        "Lead image: Example Top. Example Jeans.",
        "The Booklist is a weekly newsletter for book lovers. Get it delivered every Friday.",
        "* Follow Example Celebs on Snapchat, Instagram, Twitter and YouTube.",
        "All the latest news, showbiz and sports updates, brought to you by our dedicated team.",
    ],
)
def test_trim_edges_drops_new_kinds_of_tail_furniture(tail):
    assert trim_edges([*ARTICLE, tail]) == ARTICLE


def test_trim_edges_keeps_article_sentences_that_look_like_tails():
    lines = [*ARTICLE, "The minister said the report was accurate and would be published."]
    assert trim_edges(lines) == lines


def test_teaser_blocks_are_dropped_anywhere_with_their_list():
    lines = [
        "First paragraph of the story, a full sentence of reporting.",
        "Most read in Music",  # a widget label left behind mid-article
        "Second paragraph of the story, another full sentence.",
        "Example Fair’s Most Read Stories of 2023",
        "- The first teaser headline",
        "- The second teaser headline",
        "Third paragraph continues the story after the widget.",
        "Read more on noughties stars",
        "Fourth paragraph of the story.",
    ]
    assert drop_teaser_blocks(lines) == [lines[0], lines[2], lines[6], lines[8]]
    # sentences that mention such words are text
    keep = [
        "It was the most read story of the year, the editor said.",
        "Related reporting found the same pattern across the region.",
    ]
    assert drop_teaser_blocks(keep) == keep


@pytest.mark.parametrize(
    "marker",
    [
        "More information:",
        "Story Source:",
        "Footnotes",
        "Our Sources",
        "References",
        "Journal information:",
        "Cite This Page:",
        "Newsletter",
    ],
)
def test_citation_and_newsletter_headings_end_the_text_in_the_second_half(marker):
    body = [f"Paragraph {i} of the article, a full sentence." for i in range(4)]
    assert cut_at_end_marker([*body, marker, "Jane Example et al, Some Journal (2023)."]) == body
    # in the first half it is not the end of the article
    early = [body[0], marker, *body[1:]]
    assert cut_at_end_marker(early) == early


def test_numbered_lines_are_not_label_runs():
    lines = [
        "The standings after Thursday's game:",
        "1. San Francisco (11-3)",
        "2. Dallas (10-4)",
        "3. Detroit (10-4)",
        "That is the top of the table.",
    ]
    assert drop_label_runs(lines) == lines


def test_a_text_of_short_lines_only_is_not_a_label_run():
    lines = ["abc", "def", "ghi"]
    assert drop_label_runs(lines) == lines
    assert drop_label_runs(["Home", "News", "Sport", "A sentence of the article."]) == [
        "A sentence of the article."
    ]


@pytest.mark.parametrize(
    "line",
    [
        # phrases that each matched one page of the development sets: not kept as rules
        # (docs/extraction.md, "What each rule serves"); such a line stays text
        "Our journalism needs your support. Please subscribe today to Example.com.",
        "Not a subscriber to Example Monthly? Then head on over here to get the latest issues!",
        "Special offer for Gear readers: Get a 1-year subscription for $5 ($25 off).",
        "Waiting for your permission to load the Instagram Media.",
    ],
)
def test_one_page_phrases_are_not_generic_rules(line):
    assert not is_boilerplate(line)


def test_more_recirculation_headings_go_with_their_list():
    body = "A full sentence of the story, with its reporting."
    for heading in ("Don't Miss:", "People are also reading…", "You might be interested in"):
        lines = [body, heading, "- A teaser headline", "- Another teaser headline", body]
        assert drop_teaser_blocks(lines) == [body, body]
    # a sentence that starts the same way is text
    assert drop_teaser_blocks(["Don't miss the final act, which is the best of the show."]) == [
        "Don't miss the final act, which is the best of the show."
    ]


def test_an_our_standards_line_after_the_article_is_a_tail():
    lines = [
        "A full sentence of the story, with its reporting and more words.",
        "Another full sentence of the story, with its reporting.",
        "Our Standards: The Example Trust Principles.",
    ]
    assert trim_edges(lines) == lines[:2]


def test_normalise_line_is_the_whitespace_regex_on_every_code_point():
    import re
    import sys

    from processing.extraction.boilerplate import normalise_line

    pattern = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
    for code in range(sys.maxunicode + 1):
        line = f"a{chr(code)}b"
        assert normalise_line(line) == pattern.sub(" ", line).strip(), hex(code)
    assert normalise_line("  Zero\u200bwidth\u00a0and\u3000ideographic \n spaces ") == (
        "Zero width and ideographic spaces"
    )
