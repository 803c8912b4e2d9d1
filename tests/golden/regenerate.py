"""Regenerate the golden files: ``python -m tests.golden.regenerate``.

For every outlet in the registry (built-in plus ``devkit/mirror/outlets``) one article page
is rendered by the local mirror (anchor 2026-11-20, seed 7) and saved as
``tests/golden/<outlet>/page.html``, byte for byte as the mirror serves it; next to it,
``expected.json`` holds the CATALOG's truth for that page (``url``, ``title``, ``text`` = the
paragraphs joined by newlines, ``published_at`` in UTC, ``language``), never an extractor's
output. The page is chosen deterministically: the middle one of the outlet's stored pages
(robots-blocked ones for an outlet whose robots.txt forbids everything), leaving out pages
served in another charset than UTF-8, the page that answers its first request with 429 and
pages whose own dates are bogus or removed.
Running it twice gives byte-identical files (``tests/test_golden.py`` checks that).
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date
from pathlib import Path
from urllib.parse import urlsplit

from crawlers.registry import load_registry
from devkit.mirror.catalog import Catalog, MirrorPage
from devkit.mirror.server import MirrorServer
from devkit.mirror.sites.common import Request

ANCHOR = date(2026, 11, 20)
SEED = 7
GOLDEN = Path(__file__).resolve().parent
REPO = GOLDEN.parents[1]
MIRROR_OUTLETS = REPO / "devkit" / "mirror" / "outlets"


def outlet_ids() -> list[str]:
    return sorted(load_registry([MIRROR_OUTLETS]))


def choose(catalog: Catalog, outlet: str) -> MirrorPage:
    """The outlet's golden page (see the module docstring)."""
    pages = catalog.for_outlet(outlet, "stored") or catalog.for_outlet(outlet, "robots_blocked")
    eligible = [
        p
        for p in pages
        if str(catalog.extra(p).get("charset", "UTF-8")).upper() == "UTF-8"
        and not catalog.extra(p).get("throttle_first")
        and p.dates == "real"
    ]
    if not eligible:
        raise ValueError(f"the mirror has no page for outlet {outlet!r}")
    return eligible[len(eligible) // 2]


def render(server: MirrorServer, page: MirrorPage) -> bytes:
    parts = urlsplit(page.url)
    response = server.respond(
        Request("GET", parts.hostname or "", parts.path or "/", parts.query, {})
    )
    if response.status != 200 or response.stream is not None:
        raise ValueError(f"{page.url} answered {response.status}")
    return response.body


def expected(page: MirrorPage) -> bytes:
    data = {
        "url": page.url,
        "title": page.title,
        "text": page.text,
        "published_at": page.published_at.astimezone(UTC).isoformat(),
        "language": page.language,
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render_all() -> dict[str, bytes]:
    """``{"<outlet>/page.html": bytes, "<outlet>/expected.json": bytes, ...}``."""
    server = MirrorServer(anchor=ANCHOR, seed=SEED)  # never started: pages rendered in-process
    files: dict[str, bytes] = {}
    for outlet in outlet_ids():
        page = choose(server.catalog, outlet)
        files[f"{outlet}/page.html"] = render(server, page)
        files[f"{outlet}/expected.json"] = expected(page)
    return files


def main() -> int:
    for rel, data in render_all().items():
        path = GOLDEN / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path.relative_to(REPO)} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
