"""The phrase-level boilerplate filter: what it removes, and what it must never touch."""

from __future__ import annotations

import pytest

from processing.extraction import clean_text, is_boilerplate, leaks
from processing.extraction.boilerplate import drop_label_runs, is_dateline, trim_edges


@pytest.mark.parametrize("line", [
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
    "- سبوتنيك عربي, 1920",
    "© Sputnik / Mikhail Voskresenskiy",
    "Photo: Reuters",
    "(Photo: Example Studios)",
    "Copyright 2025 Example Media Group. All rights reserved.",
    "— Jane Example (@janeexample) March 3, 2025",
    "What a day in the capital. pic.twitter.com/AbC123xYz9",
    # Sputnik's radio schedule and SOHR's view counter, datelines on their own
    "13:00",
    "مدار الليل والنهار",
    "بث مباشر",
    "1234",
    "Saturday 14 June 2025 05:39, UK",
    "الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00 (GMT+0400)",
    # comment-section disclaimers
    "الآراء الواردة أدناه لا تعبر عن رأي الموقع، بل تعكس وجهات نظر أصحابها فقط.",
    "",
    "   ",
])
def test_boilerplate_lines(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", [
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
])
def test_article_lines_are_kept(line):
    assert not is_boilerplate(line)


def test_clean_text_keeps_lines_exactly_and_asterisk_words():
    text = ("Idlib province, the Syrian Observatory for Human Rights:\n"
            "Fata*lities rose to 12 after the assa*ssination of a local commander.\n"
            "Please enter your comment!\n"
            "Please enter your name here\n"
            "This website uses cookies to improve your experience. We'll assume you're ok "
            "with this, but you can opt-out if you wish. Accept\n"
            "1530")
    cleaned = clean_text(text)
    assert cleaned == ("Idlib province, the Syrian Observatory for Human Rights:\n"
                       "Fata*lities rose to 12 after the assa*ssination of a local commander.")
    assert "fata*lities" in cleaned.lower() and "assa*ssination" in cleaned
    assert leaks(cleaned) == []


def test_leaks_finds_form_phrases_inside_lines():
    assert leaks("Great report. Please enter your comment! Please enter your name here") == [
        "Please enter your comment", "Please enter your name here"]
    assert leaks("Shares of Apple fell") == []


def test_trim_edges_drops_labels_before_and_credits_after():
    lines = ["Middle East", "Breaking", "By Jane Doe",
             "The first paragraph of the article, which is a real sentence.",
             "A second paragraph with more reporting from the ground.",
             "Jane Doe is a senior reporter at the Example Times covering Syria.",
             "Contact her at jane.doe@example.com",
             "Tags"]
    assert trim_edges(lines) == lines[3:5]


def test_trim_edges_keeps_list_items_and_never_empties():
    lines = ["Results:", "- 2012: Silviu Petrescu", "- 2011: Mark Geiger"]
    assert trim_edges(lines) == lines
    assert trim_edges(["Only a label"]) == ["Only a label"]


def test_label_runs_are_dropped_but_not_lists():
    lines = ["A real paragraph about the news of the day.", "Home", "World", "Sport",
             "- Beans and lentils", "- Tofu and tempeh", "- Nuts",
             "Another real paragraph ends here."]
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
