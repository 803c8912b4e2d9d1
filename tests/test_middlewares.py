from crawlers.middlewares import is_bot_challenge

CF = b"""<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>
<h2>Checking your browser before accessing www.syriahr.com.</h2>
<script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1"></script></body></html>"""


def test_cloudflare_challenge_detected_whatever_the_status():
    for status in (403, 503, 200):
        assert is_bot_challenge(status, {}, CF)


def test_article_mentioning_cloudflare_is_not_a_challenge():
    page = (
        b"<html><head><title>Cloudflare outage hits sites</title></head><body><p>"
        b"Readers saw 'Just a moment...' pages as Cloudflare failed.</p></body></html>"
    )
    assert not is_bot_challenge(200, {}, page)


def test_cf_mitigated_header_counts():
    assert is_bot_challenge(
        403,
        {"cf-mitigated": "challenge"},
        b"<html><body>Enable JavaScript and cookies to continue</body></html>",
    )
