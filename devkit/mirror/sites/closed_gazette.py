"""www.closedgazette.example: a mirror-only outlet whose robots.txt disallows everything.

It has a feed and articles like any WordPress site, but ``User-agent: *`` / ``Disallow: /``
means a crawler that obeys robots.txt fetches nothing except robots.txt itself: every
article's expected outcome is ``robots_blocked``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta, timezone

from devkit.mirror.catalog import Catalog, MirrorPage
from devkit.mirror.sites.common import (
    Request,
    Response,
    plan_slots,
    post_ids,
    robots_txt,
    stable_rng,
)
from devkit.mirror.sites.wordpress import PlainTheme, WordPress
from devkit.mirror.text import ascii_slug, levant_story

name = "closed_gazette"
hosts = ("www.closedgazette.example",)

ORIGIN = "https://www.closedgazette.example"
TZ = timezone(timedelta(hours=1))
COUNTS = (0, 0, 1, 0, 1, 1, 1)


def build(anchor: date, seed: int) -> list[tuple[MirrorPage, dict[str, object]]]:
    rng = stable_rng(seed, name)
    slots = plan_slots(rng, anchor, TZ, COUNTS, {})
    ids = post_ids(rng, anchor, len(slots), 20_000)
    out: list[tuple[MirrorPage, dict[str, object]]] = []
    titles: set[str] = set()
    for slot, post_id in zip(slots, ids, strict=True):
        story = levant_story(rng, slot.local.month)
        while story.title in titles:
            story = levant_story(rng, slot.local.month)
        titles.add(story.title)
        url = f"{ORIGIN}/{slot.local:%Y/%m/%d}/{ascii_slug(story.title)}/"
        page = MirrorPage(
            outlet=name,
            url=url,
            alt_urls=(),
            published_at=slot.utc,
            modified_at=None,
            title=story.title,
            paragraphs=tuple(" ".join(p) for p in story.sentences),
            language="en",
            authors=("Gazette Staff",),
            section=story.section,
            expect="robots_blocked",
        )
        out.append((page, {"post_id": post_id, "tags": story.tags}))
    return out


def mount(catalog: Catalog) -> Callable[[Request], Response]:
    wp = WordPress(
        outlet=name,
        origin=ORIGIN,
        base="/",
        name="The Closed Gazette",
        tagline="Regional news, for human readers only",
        language="en",
        html_lang="en-GB",
        tz=TZ,
        per_page=10,
        theme=PlainTheme(),
        date_prefix="",
        sitemaps="core",
    ).load(catalog)

    def handle(req: Request) -> Response:
        if req.path == "/robots.txt":
            return robots_txt(["User-agent: *", "Disallow: /"])
        return wp.handle(req)

    return handle
