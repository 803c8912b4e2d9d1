import hashlib

import pytest

from processing.core.urls import article_id, canonical_url, identity_url


def test_percent_encoding_case_is_normalised():
    lower = "https://www.syriahr.com/%d8%a7%d9%84%d8%b1%d9%82%d8%a9/123456/"
    upper = "https://www.syriahr.com/%D8%A7%D9%84%D8%B1%D9%82%D8%A9/123456/"
    assert canonical_url(lower) == canonical_url(upper) == upper
    assert article_id(canonical_url(lower)) == article_id(canonical_url(upper))


def test_raw_arabic_and_encoded_slug_are_one_url():
    raw = "https://sarabic.ae/20241002/الرقة-1093361261.html"
    enc = "https://sarabic.ae/20241002/%D8%A7%D9%84%D8%B1%D9%82%D8%A9-1093361261.html"
    assert canonical_url(raw) == canonical_url(enc)


def test_tracking_parameters_and_fragment_dropped():
    url = (
        "https://sputnikglobe.com/20261101/slug-1120000000.html"
        "?utm_source=rss&utm_medium=feed&fbclid=x#comments"
    )
    assert canonical_url(url) == "https://sputnikglobe.com/20261101/slug-1120000000.html"


def test_host_lowercased_default_port_dropped():
    assert canonical_url("HTTPS://WWW.Politico.com:443/news/a") == "https://www.politico.com/news/a"


def test_keep_query_whitelist():
    url = "https://www.syriahr.com/en/?p=12345&utm_campaign=x&lang=en"
    assert canonical_url(url, keep_query=["p"]) == "https://www.syriahr.com/en/?p=12345"
    assert canonical_url(url) == "https://www.syriahr.com/en/?lang=en&p=12345"


def test_article_id_is_stable_and_distinct():
    a = article_id("https://x.example/a")
    assert a == article_id("https://x.example/a")
    assert a != article_id("https://x.example/b")
    assert len(a) == 16


# ---- identity: http/https and trailing-slash spellings of one article -----------------------
def test_scheme_and_trailing_slash_variants_share_one_article_id():
    variants = [
        "http://www.syriahr.com/en/654321/",
        "https://www.syriahr.com/en/654321/",
        "http://www.syriahr.com/en/654321",
        "https://www.syriahr.com/en/654321",
        "HTTP://WWW.SyriaHR.com:80/en/654321//",
    ]
    ids = {article_id(canonical_url(v)) for v in variants}
    assert len(ids) == 1
    assert identity_url(canonical_url(variants[0])) == "https://www.syriahr.com/en/654321"


def test_the_crawler_still_fetches_the_url_the_outlet_gave():
    # canonical_url (what is requested and stored) keeps the scheme and the slash
    assert canonical_url("http://www.syriahr.com/en/654321/") == "http://www.syriahr.com/en/654321/"


def test_identity_keeps_what_tells_articles_apart():
    assert identity_url("https://x.example/") == "https://x.example/"  # the root keeps its slash
    assert identity_url("http://x.example") == "https://x.example/"
    assert identity_url("https://x.example/en/?p=12345") == "https://x.example/en?p=12345"
    assert identity_url("http://x.example:8080/a/") == "https://x.example:8080/a"
    assert identity_url("https://x.example:443/a") == "https://x.example/a"
    assert identity_url("https://x.example/a#c") == "https://x.example/a"
    assert article_id("https://x.example/a") != article_id("https://y.example/a")
    assert article_id("https://x.example/a?p=1") != article_id("https://x.example/a?p=2")


@pytest.mark.parametrize(
    "url",
    [
        "https://sarabic.ae/20241002/%D8%A7%D9%84%D8%B1%D9%82%D8%A9-1093361261.html",
        "https://sputnikglobe.com/20261101/slug-1120000000.html",
        "https://www.politico.com/news/2024/07/24/some-story-00170882",
        "https://www.enabbaladi.net/archives/712345",
        "https://x.example/",
    ],
)
def test_ids_of_urls_already_in_identity_form_do_not_change(url):
    assert identity_url(url) == url
    assert article_id(url) == hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]  # as before
