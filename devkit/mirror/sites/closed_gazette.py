# ruff: noqa: E501 - site configuration and markup lines are kept whole
"""www.closedgazette.example: a mirror-only WordPress outlet whose robots.txt disallows
everything (``User-agent: *`` / ``Disallow: /``): a crawler that obeys it fetches robots.txt
and nothing else, so every article's expected outcome is ``robots_blocked``."""

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
    plan_slots,
    post_ids,
    robots_txt,
    stable_rng,
    unique_url,
)
from devkit.mirror.sites.wordpress import Theme, WordPress

name = "closed_gazette"
hosts = ("www.closedgazette.example",)
outlets = ("closed_gazette",)  # the registry outlets it publishes

ORIGIN = "https://www.closedgazette.example"
TZ = timezone(timedelta(hours=1))


def build(plan: Plan) -> list[tuple[MirrorPage, dict[str, object]]]:
    rng = stable_rng(plan.seed, name)
    slots = plan_slots(f"{plan.seed}:{name}", plan, TZ, Rhythm(0.6, crossing=0.3, late=0))
    ids = post_ids(slots, 20_000, 20)
    seen, urls = set[str](), set[str]()
    out: list[tuple[MirrorPage, dict[str, object]]] = []
    for slot, post_id in zip(slots, ids, strict=True):
        s = fresh(rng, seen, "en", "business", slot.day)
        url = unique_url(f"{ORIGIN}/{slot.local:%Y/%m/%d}/{ascii_slug(s.title)}/", urls)
        page = MirrorPage(name, url, (), slot.utc, None, s.title, s.paragraphs, "en",
                          ("Gazette Staff",), s.section, "robots_blocked", listed_on=slot.day)  # fmt: skip
        out.append((page, {"post_id": post_id, "tags": s.tags}))
    return out


def mount(catalog: Catalog) -> Handler:
    wp = WordPress(catalog, name, Theme(), origin=ORIGIN, name="The Closed Gazette", lang="en",
                   html_lang="en-GB", tz=TZ, archives="", sitemaps=None)  # fmt: skip

    def handle(req: Request) -> Response:
        return (
            robots_txt("User-agent: *", "Disallow: /")
            if req.path == "/robots.txt"
            else wp.handle(req)
        )

    return handle
