from pathlib import Path

import pytest

from crawlers.registry import Outlet, RegistryError, load_registry


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
        load_registry([d])


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
        load_registry([d])


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
        load_registry([d])


def test_route_order():
    reg = load_registry()
    assert reg["sohr_ar"].backfill_routes() == ["archive", "feed"]
    assert reg["sohr_ar"].daily_routes() == ["feed"]
