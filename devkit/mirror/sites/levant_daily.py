# ruff: noqa: E501 - site configuration and markup lines are kept whole
"""www.levantdaily.example: a mirror-only English news site on stock WordPress, added to the
registry by configuration alone (``devkit/mirror/outlets/levant_daily.yaml``).

- ``robots.txt`` (``Crawl-delay: 0.2``) points to ``/sitemap.xml``: a sitemap index of monthly
  sitemaps ``/sitemap-pt-post-YYYY-MM.xml`` (the Google XML Sitemaps plugin's names), each
  ``<url>`` with a ``<lastmod>`` in UTC.
- RSS ``/feed/`` (the 10 newest; links carry ``utm_*`` parameters); daily date archives
  ``/YYYY/MM/DD/[page/N/]`` and monthly ``/YYYY/MM/[page/N/]`` (local time, UTC+2, 4 a page).
- Permalinks ``/<category>/<slug>/``: no date in the URL.
- Two articles (2 and 4 days before the anchor) print ``0001-01-01T00:00:00Z`` for every date
  on their page (meta, JSON-LD, ``<time>``; "January 1, 0001" visibly), while the feed, the
  sitemap ``lastmod`` and the daily archive place them on their real day. They are published
  around local midday, so that day is also their UTC day: ``MirrorPage.listed_on`` (and
  ``stored_day``) say where a pipeline must file them (``Catalog.bogus_dates()``).
"""

from __future__ import annotations

from datetime import timedelta, timezone

from devkit.mirror.catalog import Catalog, MirrorPage, Plan
from devkit.mirror.prose import fresh
from devkit.mirror.sites.common import (
    Handler,
    Request,
    Response,
    Rhythm,
    ascii_slug,
    midday,
    plan_slots,
    post_ids,
    robots_txt,
    stable_rng,
    take,
    to_host,
    unique_url,
)
from devkit.mirror.sites.wordpress import Theme, WordPress

name = "levant_daily"
hosts = ("www.levantdaily.example", "levantdaily.example")
outlets = ("levant_daily",)  # the registry outlets it publishes

ORIGIN = "https://www.levantdaily.example"
TZ = timezone(timedelta(hours=2))
RHYTHM = Rhythm(1.8, quiet=(5, 6), crossing=0.5)
BOGUS_DAYS = (2, 4)
AUTHORS = ("Rania Haddad", "Omar Khatib", "Lina Sabbagh", "Karim Nasser", "Maya Azar")


def build(plan: Plan) -> list[tuple[MirrorPage, dict[str, object]]]:
    rng = stable_rng(plan.seed, name)
    slots = plan_slots(
        f"{plan.seed}:{name}", plan, TZ, RHYTHM, reserve=dict.fromkeys(BOGUS_DAYS, 1)
    )
    taken: set[int] = set()
    bogus = {i for k in BOGUS_DAYS if (i := take(slots, k, taken)) is not None}
    slots = [midday(s) if i in bogus else s for i, s in enumerate(slots)]
    ids = post_ids(slots, 100_000, 40)
    seen, urls = set[str](), set[str]()
    out: list[tuple[MirrorPage, dict[str, object]]] = []
    for i, slot in enumerate(slots):
        s = fresh(rng, seen, "en", "business", slot.day)
        url = unique_url(f"{ORIGIN}/{ascii_slug(s.section)}/{ascii_slug(s.title)}/", urls)
        utm = f"{url}?utm_source=rss&utm_medium=rss&utm_campaign={ascii_slug(s.title, 40)}"
        authors = tuple(rng.sample(AUTHORS, 2 if rng.random() < 0.25 else 1))
        late = rng.random() < 0.4 and i not in bogus
        modified = slot.utc + timedelta(minutes=rng.randint(10, 300)) if late else None
        page = MirrorPage(name, url, (utm,), slot.utc, modified, s.title, s.paragraphs, "en",
                          authors, s.section, "stored", dates="bogus" if i in bogus else "real",
                          listed_on=slot.day)  # fmt: skip
        out.append((page, {"post_id": ids[i], "tags": s.tags}))
    return out


def mount(catalog: Catalog) -> Handler:
    wp = WordPress(catalog, name, Theme(), origin=ORIGIN, name="Levant Daily", lang="en",
                   html_lang="en-US", tz=TZ, per_page=4, archives="", sitemaps="monthly",
                   feed_link=lambda p: p.page.alt_urls[0])  # fmt: skip
    bare = to_host(ORIGIN)

    def handle(req: Request) -> Response:
        if req.host != hosts[0]:
            return bare(req)
        if req.path == "/robots.txt":
            return robots_txt("User-agent: *", "Crawl-delay: 0.2", "Disallow: /wp-admin/",
                              "Allow: /wp-admin/admin-ajax.php", "", f"Sitemap: {ORIGIN}/sitemap.xml")  # fmt: skip
        return wp.handle(req)

    return handle
