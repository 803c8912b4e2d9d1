from processing.core.urls import article_id, canonical_url


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
