# ruff: noqa: E501 - site configuration and markup lines are kept whole
"""North Press Agency (``npasyria.com``): Arabic at ``/`` and English at ``/en/``, two
WordPress installs with the JNews theme.

- Article URLs ``/<id>/`` and ``/en/<id>/`` (no date); ``www.npasyria.com`` redirects to the
  bare domain. Feeds ``/feed/`` and ``/en/feed/``; archives ``/date/YYYY/MM/[page/N/]`` and
  ``/en/date/YYYY/MM/[page/N/]`` (Damascus time, UTC+3, 6 a page).
- Articles open with an inline dateline, part of the text: "القامشلي – نورث برس: " /
  "QAMISHLI, Syria (North Press) – ". The Arabic edition prints Arabic-Indic dates.
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
    plan_slots,
    post_ids,
    robots_txt,
    stable_rng,
    to_host,
)
from devkit.mirror.sites.wordpress import JNewsTheme, WordPress

name = "npasyria"
hosts = ("npasyria.com", "www.npasyria.com")
outlets = ("npa_ar", "npa_en")  # the registry outlets it publishes

ORIGIN = "https://npasyria.com"
DAMASCUS = timezone(timedelta(hours=3))
REPORTERS = {"ar": ("جيان محمد", "دلوفان أحمد", "روكن حسن", "عمر العلي", "سلام حسين"),
             "en": ("Jiyan Mohammed", "Dilovan Ahmed", "Roken Hasan", "Omar al-Ali", "Salam Hussein")}  # fmt: skip


def build(plan: Plan) -> list[tuple[MirrorPage, dict[str, object]]]:
    return _edition(plan, "ar") + _edition(plan, "en")


def _edition(plan: Plan, lang: str) -> list[tuple[MirrorPage, dict[str, object]]]:
    outlet, base = f"npa_{lang}", "/" if lang == "ar" else "/en/"
    rng = stable_rng(plan.seed, outlet)
    slots = plan_slots(
        f"{plan.seed}:{outlet}", plan, DAMASCUS, Rhythm(1.5, quiet=(4,), crossing=0.5)
    )
    ids = post_ids(slots, 800_000 if lang == "ar" else 300_000, 40)
    seen: set[str] = set()
    source = "نورث برس" if lang == "ar" else "North Press"
    out: list[tuple[MirrorPage, dict[str, object]]] = []
    for slot, post_id in zip(slots, ids, strict=True):
        s = fresh(rng, seen, lang, "syria", slot.day, paragraphs=(4, 6), source=source)
        city = str(s.values["city"])
        dateline = (
            f"{city} – نورث برس: " if lang == "ar" else f"{city.upper()}, Syria (North Press) – "
        )
        paragraphs = (dateline + s.paragraphs[0], *s.paragraphs[1:])
        modified = slot.utc + timedelta(minutes=rng.randint(3, 90)) if rng.random() < 0.5 else None
        page = MirrorPage(outlet, f"{ORIGIN}{base}{post_id}/", (), slot.utc, modified, s.title, paragraphs,
                          lang, (rng.choice(REPORTERS[lang]),), s.section, "stored", listed_on=slot.day)  # fmt: skip
        out.append((page, {"post_id": post_id, "tags": s.tags, "related_at": rng.randint(1, 2)}))
    return out


def mount(catalog: Catalog) -> Handler:
    ar = WordPress(catalog, "npa_ar", JNewsTheme(), origin=ORIGIN, name="نورث برس", lang="ar",
                   tz=DAMASCUS, per_page=6, sitemaps=None)  # fmt: skip
    en = WordPress(catalog, "npa_en", JNewsTheme(), origin=ORIGIN, base="/en/", name="North Press Agency",
                   lang="en", html_lang="en-US", tz=DAMASCUS, per_page=6, sitemaps=None)  # fmt: skip
    bare = to_host(ORIGIN)

    def handle(req: Request) -> Response:
        if req.host != "npasyria.com":
            return bare(req)
        if req.path == "/robots.txt":
            return robots_txt(
                "User-agent: *", "Disallow: /wp-admin/", "Allow: /wp-admin/admin-ajax.php"
            )
        return (
            en.handle(req) if req.path == "/en" or req.path.startswith("/en/") else ar.handle(req)
        )

    return handle
