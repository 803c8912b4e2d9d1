"""The mirror over a year: ``days=365`` with ``outlets=`` (the pages a full catalog has, built
in seconds), a full year of every outlet (unique permalinks), held requests (for tests that
kill a client at a known point), and ``python -m devkit mirror --days N --outlets …``."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from devkit.mirror.catalog import build_catalog
from devkit.mirror.server import MirrorServer
from tests.mirror.conftest import ANCHOR, fetch, locs, norm, walk

YEAR = 365
TWO = ("sputnik_ar", "sohr_en")


@pytest.fixture(scope="module")
def year() -> Iterator[MirrorServer]:
    with MirrorServer(anchor=ANCHOR, days=YEAR, outlets=TWO) as mirror:
        yield mirror


def test_a_year_of_two_outlets(year: MirrorServer) -> None:
    c = year.catalog
    assert c.days == YEAR and c.first_day == ANCHOR - timedelta(days=YEAR - 1)
    assert c.only == TWO and set(c.outlets) == set(TWO)
    for outlet in TWO:
        days = Counter(p.listed_on for p in c.for_outlet(outlet, "stored"))
        assert set(days) == {ANCHOR - timedelta(days=k) for k in range(YEAR)}, outlet
    # the newest month is the full mirror's, page for page
    month = build_catalog(ANCHOR, days=30)
    span = (ANCHOR - timedelta(days=25), ANCHOR)
    for outlet in TWO:
        assert c.stored_between(outlet, *span) == month.stored_between(outlet, *span)
    # the backfill routes reach the oldest days
    old = c.first_day + timedelta(days=2)
    sputnik = {p.url for p in c.for_outlet("sputnik_ar", "stored") if p.listed_on == old}
    got = fetch(
        year,
        f"https://sarabic.ae/sitemap_article.xml?date_start={old:%Y%m%d}&date_end={old:%Y%m%d}",
    )
    assert sputnik and set(locs(got)) == sputnik
    sohr = {norm(p.url) for p in c.for_outlet("sohr_en") if p.listed_on == old}
    assert sohr and sohr <= walk(year, f"https://www.syriahr.com/en/date/{old:%Y/%m/%d}/")[0]
    page = next(p for p in c.for_outlet("sohr_en", "stored") if p.listed_on == old)
    assert page.title in fetch(year, page.url).text
    # an outlet left out serves no article, and its site still answers
    feed = fetch(year, "https://npasyria.com/feed/")
    assert feed.status == 200 and "<item>" not in feed.text
    assert "365 days" in fetch(year, "http://127.0.0.1/").text


def test_unknown_outlet_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown mirror outlet"):
        build_catalog(ANCHOR, outlets=["sohr"])


@pytest.mark.slow
def test_a_year_of_every_outlet_has_unique_permalinks() -> None:
    """Over a year the prose banks run out of fresh titles: slugs cut to a length repeat,
    and the sites number them as WordPress does (``slug-2``)."""
    c = build_catalog(ANCHOR, days=YEAR)
    urls = [u for p in c.pages for u in p.urls]
    assert len(urls) == len(set(urls))
    numbered = [p for p in c.pages if p.url.endswith(("-2/", "-3/"))]
    assert numbered
    with MirrorServer(anchor=ANCHOR, days=YEAR) as mirror:
        for page in numbered[:20]:
            if page.expect == "stored":
                assert page.title in fetch(mirror, page.url).text


def _get(mirror: MirrorServer, path: str, host: str = "www.syriahr.com") -> bytes:
    """A raw HTTP/1.1 GET: the answer's bytes, b"" when the mirror closed without one."""
    with socket.create_connection(("127.0.0.1", int(mirror.url.rsplit(":", 1)[1])), 30) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_held_requests_wait_and_can_be_dropped(year: MirrorServer) -> None:
    pages = [p for p in year.catalog.for_outlet("sohr_en", "stored")][:4]
    paths = [p.url.split("www.syriahr.com", 1)[1] for p in pages]
    year.reset_log()
    hold = year.hold(r"^https://www\.syriahr\.com/en/\d+/$", after=2)
    try:
        assert _get(year, paths[0]).startswith(b"HTTP/1.1 200")
        assert _get(year, paths[1]).startswith(b"HTTP/1.1 200")
        assert _get(year, "/en/feed/").startswith(b"HTTP/1.1 200")  # not matched: answered
        got: list[bytes] = []
        waiter = threading.Thread(target=lambda: got.append(_get(year, paths[2])))
        waiter.start()
        deadline = time.monotonic() + 30
        while hold.waiting == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert hold.waiting == 1 and not got
        hold.release(drop=True)
        waiter.join(30)
        assert got == [b""] and hold.dropped == 1
    finally:
        year.release_all()
    assert [r.status for r in year.requests] == [200, 200, 200, 0]
    assert _get(year, paths[3]).startswith(b"HTTP/1.1 200")  # no hold left


def test_command_line_serves_a_chosen_span() -> None:
    probe = (
        "import os, urllib.request as u; "
        "body = u.build_opener(u.ProxyHandler({})).open(os.environ['DEVKIT_MIRROR_URL'] + '/',"
        " timeout=5).read(); "
        "raise SystemExit(0 if b'60 days' in body and b'sarabic.ae' in body else 5)"
    )
    cmd = [sys.executable, "-m", "devkit", "mirror", "--anchor", ANCHOR.isoformat()]
    cmd += ["--days", "60", "--outlets", "sputnik_ar"]
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([*cmd, "--", sys.executable, "-c", probe], cwd=root, timeout=120)
    assert done.returncode == 0
    bad = subprocess.run([*cmd[:-2], "--days", "0"], cwd=root, capture_output=True, timeout=60)
    assert bad.returncode == 2 and b"--days" in bad.stderr
