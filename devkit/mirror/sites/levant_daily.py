"""www.levantdaily.example: a mirror-only English news site on stock WordPress.

It exists to prove that an outlet can be added by configuration alone (its registry entry is
``devkit/mirror/outlets/levant_daily.yaml``; no crawler code names it). Permalinks
``/YYYY/MM/DD/<ascii-slug>/`` (local date, UTC+2), monthly archives ``/YYYY/MM/[page/N/]``,
daily archives ``/YYYY/MM/DD/``, feed ``/feed/`` whose links carry ``utm_*`` parameters,
core sitemaps ``/wp-sitemap.xml``, and ``Crawl-delay: 0.2`` in robots.txt.
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

name = "levant_daily"
hosts = ("www.levantdaily.example",)

ORIGIN = "https://www.levantdaily.example"
TZ = timezone(timedelta(hours=2))
COUNTS = (2, 2, 1, 2, 2, 2, 1)
EDGES = {
    0: [(0, 30)],  # 22:30 UTC the day before the first day: outside the window
    3: [(1, 20)],  # 23:20 UTC on day 2, while the URL says day 3
}
AUTHORS = ("Rania Haddad", "Omar Khatib", "Lina Sabbagh", "Karim Nasser", "Maya Azar")
MENU = ("Economy", "Energy", "Agriculture", "Society", "Tourism")


def build(anchor: date, seed: int) -> list[tuple[MirrorPage, dict[str, object]]]:
    rng = stable_rng(seed, name)
    slots = plan_slots(rng, anchor, TZ, COUNTS, EDGES)
    ids = post_ids(rng, anchor, len(slots), 100_000)
    out: list[tuple[MirrorPage, dict[str, object]]] = []
    titles: set[str] = set()
    for slot, post_id in zip(slots, ids, strict=True):
        story = levant_story(rng, slot.local.month)
        while story.title in titles:
            story = levant_story(rng, slot.local.month)
        titles.add(story.title)
        slug = ascii_slug(story.title)
        url = f"{ORIGIN}/{slot.local:%Y/%m/%d}/{slug}/"
        utm = f"{url}?utm_source=rss&utm_medium=rss&utm_campaign={slug}"
        authors = tuple(rng.sample(AUTHORS, 2 if rng.random() < 0.25 else 1))
        published = slot.utc
        modified = (
            published + timedelta(minutes=rng.randint(10, 300)) if rng.random() < 0.4 else None
        )
        page = MirrorPage(
            outlet=name,
            url=url,
            alt_urls=(utm,),
            published_at=published,
            modified_at=modified,
            title=story.title,
            paragraphs=tuple(" ".join(p) for p in story.sentences),
            language="en",
            authors=authors,
            section=story.section,
            expect="stored",
        )
        out.append((page, {"post_id": post_id, "tags": story.tags}))
    return out


def mount(catalog: Catalog) -> Callable[[Request], Response]:
    wp = WordPress(
        outlet=name,
        origin=ORIGIN,
        base="/",
        name="Levant Daily",
        tagline="News and business from Lebanon, Syria, Jordan and Iraq",
        language="en",
        html_lang="en-US",
        tz=TZ,
        per_page=4,
        theme=PlainTheme(MENU),
        date_prefix="",
        sitemaps="core",
        feed_link=lambda p: p.page.alt_urls[0] if p.page.alt_urls else p.url,
    ).load(catalog)

    def handle(req: Request) -> Response:
        if req.path == "/robots.txt":
            return robots_txt(
                [
                    "User-agent: *",
                    "Crawl-delay: 0.2",
                    "Disallow: /wp-admin/",
                    "Allow: /wp-admin/admin-ajax.php",
                    "",
                    f"Sitemap: {ORIGIN}/wp-sitemap.xml",
                ]
            )
        return wp.handle(req)

    return handle
