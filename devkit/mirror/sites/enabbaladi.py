# ruff: noqa: E501 - site configuration and markup lines are kept whole
"""Enab Baladi: ``www.enabbaladi.net`` (Arabic) and ``english.enabbaladi.net`` (English), two
WordPress installs with the site's own theme.

- Arabic permalinks ``/archives/<id>`` (no slug, no trailing slash: ``/archives/<id>/``
  redirects there); English ``/archives/YYYY/MM/<slug>/`` (local year and month).
- Feeds ``https://www.enabbaladi.net/feed`` (WordPress redirects it to ``/feed/``),
  ``https://english.enabbaladi.net/feed/`` and per category ``/archives/category/<slug>/feed/``.
  The Arabic feed also lists the category page ``/archives/category/economy/`` (not an
  article, one day before the anchor).
- Archives: Arabic ``/archives/date/YYYY/MM/[page/N/]``, English ``/archives/YYYY/MM/[page/N/]``;
  categories ``/archives/category/<slug>/[page/N/]`` (every post is also in ``online``).
- Damascus time (UTC+3); ``article:published_time`` in UTC (Yoast).
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
    plan_slots,
    post_ids,
    robots_txt,
    stable_rng,
    take,
    to_host,
    unique_url,
)
from devkit.mirror.sites.wordpress import EnabTheme, WordPress

name = "enabbaladi"
hosts = ("www.enabbaladi.net", "enabbaladi.net", "english.enabbaladi.net")
outlets = ("enab_ar", "enab_en")  # the registry outlets it publishes

AR_ORIGIN, EN_ORIGIN = "https://www.enabbaladi.net", "https://english.enabbaladi.net"
DAMASCUS = timezone(timedelta(hours=3))
CATEGORIES = {"اقتصاد": "economy", "خدمات": "services", "مجتمع": "society", "تعليم": "education",
              "Economy": "economy", "Services": "services", "Society": "society", "Education": "education"}  # fmt: skip
AUTHORS = {"ar": ("ريم الحسن", "علي درويش", "ميس حمد", "حسن إبراهيم", "لمى الأحمد"),
           "en": ("Reem al-Hasan", "Ali Darwish", "Mais Hamad", "Hassan Ibrahim", "Lama al-Ahmad")}  # fmt: skip
RHYTHM = Rhythm(1.6, quiet=(4,), crossing=0.5)


def build(plan: Plan) -> list[tuple[MirrorPage, dict[str, object]]]:
    return _edition(plan, "ar") + _edition(plan, "en")


def _edition(plan: Plan, lang: str) -> list[tuple[MirrorPage, dict[str, object]]]:
    outlet = f"enab_{lang}"
    rng = stable_rng(plan.seed, outlet)
    slots = plan_slots(
        f"{plan.seed}:{outlet}", plan, DAMASCUS, RHYTHM, reserve={1: 1} if lang == "ar" else {}
    )
    category_page = take(slots, 1, set()) if lang == "ar" else None
    ids = post_ids(slots, 700_000 if lang == "ar" else 60_000, 60)
    seen, urls = set[str](), set[str]()
    source = "عنب بلدي" if lang == "ar" else "Enab Baladi"
    out: list[tuple[MirrorPage, dict[str, object]]] = []
    for i, slot in enumerate(slots):
        s = fresh(rng, seen, lang, "syria", slot.day, paragraphs=(4, 6), source=source)
        if i == category_page:
            url = f"{AR_ORIGIN}/archives/category/economy/"
            out.append((MirrorPage(outlet, url, (), slot.utc, None, "اقتصاد", (), "ar", (), None,
                                   "not_article", listed_on=slot.day), {}))  # fmt: skip
            continue
        if lang == "ar":
            url = f"{AR_ORIGIN}/archives/{ids[i]}"
        else:
            url = unique_url(
                f"{EN_ORIGIN}/archives/{slot.local:%Y/%m}/{ascii_slug(s.title, 75)}/", urls
            )
        modified = slot.utc + timedelta(minutes=rng.randint(5, 300)) if rng.random() < 0.4 else None
        page = MirrorPage(outlet, url, (), slot.utc, modified, s.title, s.paragraphs, lang,
                          (rng.choice(AUTHORS[lang]),), s.section, "stored", listed_on=slot.day)  # fmt: skip
        out.append((page, {"post_id": ids[i], "tags": s.tags, "related_at": rng.randint(1, 2)}))
    return out


def _install(catalog: Catalog, lang: str) -> WordPress:
    ar = lang == "ar"
    return WordPress(
        catalog,
        f"enab_{lang}",
        EnabTheme(),
        origin=AR_ORIGIN if ar else EN_ORIGIN,
        name="عنب بلدي" if ar else "Enab Baladi",
        lang=lang,
        html_lang="ar" if ar else "en-US",
        tz=DAMASCUS,
        per_page=5,
        archives="archives/date/" if ar else "archives/",
        taxonomies="archives/",
        categories=CATEGORIES,
        all_in="online",
    )


def mount(catalog: Catalog) -> Handler:
    ar, en = _install(catalog, "ar"), _install(catalog, "en")
    bare = to_host(AR_ORIGIN)

    def handle(req: Request) -> Response:
        if req.host == "enabbaladi.net":
            return bare(req)
        if req.path == "/robots.txt":
            return robots_txt(
                "User-agent: *", "Disallow: /wp-admin/", "Allow: /wp-admin/admin-ajax.php"
            )
        return en.handle(req) if req.host == "english.enabbaladi.net" else ar.handle(req)

    return handle
