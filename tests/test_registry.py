from pathlib import Path

import pytest

from crawlers.registry import Outlet, RegistryError, load_registry
from tests import reliability


def test_builtin_registry_loads_and_validates():
    reg = load_registry()
    assert {"sohr_ar", "sohr_en"} <= set(reg)
    for outlet in reg.values():
        assert outlet.backfill_routes(), outlet.id
        assert outlet.owns(outlet.homepage)


def test_sohr_article_patterns():
    reg = load_registry()
    ar, en = reg["sohr_ar"], reg["sohr_en"]
    assert ar.is_article("https://www.syriahr.com/%D8%A7%D9%84%D8%B1%D9%82%D8%A9/654321/")
    assert not ar.is_article("https://www.syriahr.com/en/654321/")
    assert not ar.is_article("https://www.syriahr.com/category/news/")
    assert en.is_article("https://www.syriahr.com/en/654321/")
    assert en.is_article("https://www.syriahr.com/en/?p=654321")
    assert not en.is_article("https://www.syriahr.com/en/date/2026/11/20/")


def _write(tmp: Path, text: str) -> Path:
    d = tmp / "outlets"
    d.mkdir(exist_ok=True)
    (d / "x.yaml").write_text(text, encoding="utf-8")
    return d


def test_bad_pattern_names_the_file(tmp_path):
    d = _write(
        tmp_path,
        """
id: broken
name: Broken
languages: [en]
domains: [broken.example]
homepage: https://broken.example/
feeds: [https://broken.example/feed/]
article_patterns: ['(unclosed']
""",
    )
    with pytest.raises(RegistryError, match=r"(?s)x\.yaml.*does not compile"):
        load_registry([d], strict=True)


def test_unknown_key_rejected(tmp_path):
    d = _write(
        tmp_path,
        """
id: typo
name: Typo
languages: [en]
domains: [typo.example]
homepage: https://typo.example/
feedz: [https://typo.example/feed/]
article_patterns: ['/\\d+/$']
""",
    )
    with pytest.raises(RegistryError, match="feedz"):
        load_registry([d], strict=True)


def test_offsite_feed_rejected():
    with pytest.raises(ValueError, match="outside"):
        Outlet.model_validate(
            {
                "id": "off",
                "name": "Off",
                "languages": ["en"],
                "domains": ["a.example"],
                "homepage": "https://a.example/",
                "feeds": ["https://b.example/feed"],
                "article_patterns": ["/x/"],
            }
        )


def test_duplicate_id_rejected(tmp_path):
    d = _write(tmp_path, (Path(__file__).parents[1] / "crawlers/outlets/sohr_ar.yaml").read_text())
    with pytest.raises(RegistryError, match="defined twice"):
        load_registry([d], strict=True)


def test_route_order():
    reg = load_registry()
    assert reg["sohr_ar"].backfill_routes() == ["archive", "feed"]
    assert reg["sohr_ar"].daily_routes() == ["feed"]


# ---- route templates must stay on the outlet's domains -------------------------------
_BASE = {
    "id": "tmpl",
    "name": "Templates",
    "languages": ["en"],
    "domains": ["a.example"],
    "homepage": "https://a.example/",
    "feeds": ["https://a.example/feed/"],
    "article_patterns": ["/x/"],
}


@pytest.mark.reliability
@pytest.mark.parametrize(
    ("field", "extra"),
    [
        ("sitemaps.ranged", {"sitemaps": {"ranged": "https://cdn.b.example/s?f={start}&t={end}"}}),
        (
            "sitemaps.monthly",
            {"sitemaps": {"monthly": "https://cdn.b.example/sitemap-{yyyy}{mm}.xml"}},
        ),
        (
            "archives[0].template",
            {"archives": [{"template": "https://cdn.b.example/{yyyy}/{mm}/page/{page}/"}]},
        ),
        (
            "archives[0].first_page",
            {
                "archives": [
                    {
                        "template": "https://a.example/{yyyy}/{mm}/page/{page}/",
                        "first_page": "https://cdn.b.example/{yyyy}/{mm}/",
                    }
                ]
            },
        ),
        ("sitemaps.news[0]", {"sitemaps": {"news": ["https://cdn.b.example/news.xml"]}}),
    ],
)
def test_route_template_on_a_foreign_host_is_rejected(field, extra):
    with pytest.raises(ValueError, match="outside") as err:
        Outlet.model_validate({**_BASE, **extra})
    message = str(err.value)
    named = field in message and "cdn.b.example" in message
    row = reliability.record(
        area="crawl",
        case=f"registry: {field} on a foreign host",
        expected="rejected at load, field and host named",
        observed="rejected at load, field and host named" if named else message,
    )
    assert row.observed == row.expected


def test_template_with_an_unknown_placeholder_is_rejected():
    with pytest.raises(ValueError, match=r"sitemaps\.monthly.*unknown placeholder.*'month'"):
        Outlet.model_validate(
            {**_BASE, "sitemaps": {"monthly": "https://a.example/sitemap-{yyyy}{month}.xml"}}
        )


def test_templates_on_the_outlets_own_hosts_load():
    outlet = Outlet.model_validate(
        {
            **_BASE,
            "domains": ["a.example", "cdn.a.example"],
            "sitemaps": {"ranged": "https://cdn.a.example/s?f={start}&t={end}"},
            "archives": [{"template": "https://a.example/{yyyy}/{mm}/{dd}/page/{page}/"}],
        }
    )
    assert (
        dict(outlet.route_urls())["sitemaps.ranged"]
        == "https://cdn.a.example/s?f=20260101&t=20260131"
    )


def test_every_registered_outlet_keeps_its_routes_on_its_domains():
    for outlet in load_registry().values():
        assert all(outlet.owns(url) for _, url in outlet.route_urls()), outlet.id
