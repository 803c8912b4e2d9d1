"""``newsloom extract``: the outlet's profile, the local day beside the UTC one, the new
fields."""

from __future__ import annotations

import json

from processing.cli import main
from tests.conftest import shared_data


def _jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


PARAS = "".join(
    f"<p>Paragraph {i}: the council met late on Tuesday evening and voted on the budget.</p>"
    for i in range(5)
)
PAGE = (
    "<html><head><title>Late news - Example Times</title>"
    '<meta property="article:published_time" content="2023-12-19T20:30:00-05:00">'
    '<meta property="article:tag" content="City hall">'
    '<script type="application/ld+json">{"@type": "NewsArticle", "isAccessibleForFree": '
    '"False"}</script></head><body><article><h1>Late news</h1>' + PARAS + "</article></body></html>"
)


def test_published_local_beside_published_and_the_new_fields(tmp_path, capsys):
    path = tmp_path / "late.html"
    path.write_text(PAGE, encoding="utf-8")
    assert main(["extract", "--url", "https://example.com/late", str(path)]) == 0
    (row,) = _jsonl(capsys.readouterr().out)
    assert row["published"] == "2023-12-20T01:30:00+00:00"  # UTC: the next day
    assert row["published_local"] == "2023-12-19"  # as the page writes it
    assert row["published_source"] == "meta"
    assert row["tags"] == ["City hall"]
    assert row["accessible_for_free"] is False
    assert row["outlet"] is None


def test_fetched_at_bounds_the_publication_date(tmp_path, capsys):
    path = tmp_path / "late.html"
    path.write_text(PAGE, encoding="utf-8")
    argv = ["extract", "--url", "https://example.com/late", "--fetched-at", "2023-12-01"]
    assert main([*argv, str(path)]) == 0
    (row,) = _jsonl(capsys.readouterr().out)
    assert row["published_source"] != "meta"


def test_unknown_outlet_is_a_named_error(tmp_path, capsys):
    path = tmp_path / "late.html"
    path.write_text(PAGE, encoding="utf-8")
    assert main(["extract", "--outlet", "no_such_outlet", str(path)]) == 2
    assert "unknown outlet" in capsys.readouterr().err


def test_the_outlet_profile_is_applied(capsys):
    """politico.eu's real page: the profile's selector path and the generic path both give
    the expected body; the output says which outlet it used."""
    folder = shared_data("outlets-real")
    meta = json.loads((folder / "pages.json").read_text(encoding="utf-8"))
    name = "politico_eu_2025-10-23.html.gz"
    expected = meta[name]["expected"]
    url = meta[name]["url"].split()[0]
    for extra in (["--outlet", "politico"], []):
        assert main(["extract", "--url", url, *extra, str(folder / name)]) == 0
        (row,) = _jsonl(capsys.readouterr().out)
        assert row["text"].split("\n") == expected["body"].split("\n"), extra
        assert row["title"] == expected["title"]
        assert row["authors"] == expected["authors"]
        assert row["published_local"] == meta[name]["published"]
    assert row["outlet"] is None
