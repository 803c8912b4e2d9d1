# ruff: noqa: E501 - site configuration and markup lines are kept whole
"""www.syriahr.com: the Syrian Observatory for Human Rights, Arabic (``/``) and English
(``/en/``) editions, two WordPress installs with the tagDiv "Newspaper" theme.

- Arabic article ``/<percent-encoded Arabic slug>/<6-digit id>/``; ``<link rel=canonical>``
  and the archives use lower-case escapes (``%d8%a7``), the feed ``/feed/`` upper case.
  Monthly archives ``/date/YYYY/MM/[page/N/]``, 8 posts a page.
- English article ``/en/<6-digit id>/`` (no slug, no date); legacy ``/en/?p=<id>`` serves the
  same page. Feed ``/en/feed/``; daily archives ``/en/date/YYYY/MM/DD/[page/N/]`` (5 a page,
  the busy day spills onto page 2), monthly ones too.
- Archives use Damascus time (+03:00): a post at 01:10 local is listed under that local day
  although its UTC date is the day before.
- Text: a dateline ("محافظة إدلب – المرصد السوري لحقوق الإنسان::" / "Idlib province, the Syrian
  Observatory for Human Rights:") as the first paragraph or its start; asterisk-broken words
  in English ("fata*lities"). Chrome: view count, category, empty ``&nbsp;`` paragraphs,
  cookie banner (in the body on some pages), comment form (without ids on some pages).
- Traps (days before the anchor): Arabic 0 tag page in the feed, 1 Cloudflare 503, 2 404,
  3 empty body, 4 broken windows-1256, 5 a valid windows-1256 page; English 1 a 500, 2 a
  Cloudflare challenge with status 200, 3 a page over 6 MB and a post linked by ``?p=``.
"""

from __future__ import annotations

from datetime import timedelta, timezone

from devkit.mirror.catalog import Catalog, MirrorPage, Plan
from devkit.mirror.prose import Story, fresh
from devkit.mirror.sites.common import (
    Handler,
    Request,
    Response,
    Rhythm,
    Slot,
    arabic_slug,
    plan_slots,
    post_ids,
    robots_txt,
    stable_rng,
    take,
    to_host,
    upper_pct,
)
from devkit.mirror.sites.wordpress import TagDivTheme, WordPress, term_slug

name = "syriahr"
hosts = ("www.syriahr.com", "syriahr.com")
outlets = ("sohr_ar", "sohr_en")  # the registry outlets it publishes

ORIGIN = "https://www.syriahr.com"
DAMASCUS = timezone(timedelta(hours=3))
TRAPS = {
    "ar": {0: "not_article", 1: "bot_challenge", 2: "http_404", 3: "empty_body", 4: "bad_encoding", 5: "charset"},
    "en": {1: "http_500", 2: "bot_challenge", 3: "too_large", 4: "legacy"},
}  # fmt: skip
RHYTHMS = {"ar": Rhythm(4.0, quiet=(4,)), "en": Rhythm(2.6, quiet=(4,), busy=(3,))}


def build(plan: Plan) -> list[tuple[MirrorPage, dict[str, object]]]:
    return _edition(plan, "ar") + _edition(plan, "en")


def _edition(plan: Plan, lang: str) -> list[tuple[MirrorPage, dict[str, object]]]:
    outlet = f"sohr_{lang}"
    rng = stable_rng(plan.seed, outlet)
    traps = TRAPS[lang]
    slots = plan_slots(
        f"{plan.seed}:{outlet}", plan, DAMASCUS, RHYTHMS[lang], reserve=dict.fromkeys(traps, 1)
    )
    taken: set[int] = set()
    role = {i: what for k, what in traps.items() if (i := take(slots, k, taken)) is not None}
    ids = post_ids(slots, 600_000 if lang == "ar" else 200_000, 120)
    seen: set[str] = set()
    out: list[tuple[MirrorPage, dict[str, object]]] = []
    tag_pages: list[int] = []
    n_stored = 0
    for i, slot in enumerate(slots):
        what = role.get(i, "stored")
        s = fresh(rng, seen, lang, "conflict", slot.day, paragraphs=(3, 6))
        if what == "not_article":
            tag_pages.append(len(out))
            out.append((_page(outlet, lang, slot, 0, s, "not_article"), {}))
            continue
        expect = what if what not in ("charset", "legacy") else "stored"
        page = _page(outlet, lang, slot, ids[i], s, expect, inline=rng.random() < 0.3)
        extra: dict[str, object] = {
            "post_id": ids[i],
            "tags": s.tags,
            "views": rng.randint(120, 24000),
            "nbsp_after": tuple(rng.random() < 0.6 for _ in range(len(page.paragraphs) + 1)),
            "plain_comment_form": expect == "stored" and n_stored % 4 == 3,
            "cookie_in_body": expect == "stored" and n_stored % 9 == 5,
        }
        n_stored += expect == "stored"
        if what == "bot_challenge":
            extra["status"] = 503 if lang == "ar" else 200
        elif what == "charset":
            extra["charset"] = "windows-1256"
        elif what == "legacy":
            extra["legacy_link"] = True
            page = _page(outlet, lang, slot, ids[i], s, expect, alt=f"{ORIGIN}/en/?p={ids[i]}")
        out.append((page, extra))
    # the tag page listed in the feed: the tag of the newest post, so it lists something
    newest_tag = next(str(e["tags"][1]) for p, e in out if p.expect != "not_article")  # type: ignore[index]
    for j in tag_pages:
        page, _ = out[j]
        url = f"{ORIGIN}{'/' if lang == 'ar' else '/en/'}tag/{term_slug(newest_tag)}/"
        alt = (upper_pct(url),) if "%" in url else ()
        tag = MirrorPage(outlet, url, alt, page.published_at, None, newest_tag, (), lang, (), None,
                         "not_article", listed_on=page.listed_on)  # fmt: skip
        out[j] = (tag, {"tag": newest_tag})
    return out


def _page(
    outlet: str, lang: str, slot: Slot, post_id: int, s: Story, expect: str,
    inline: bool = False, alt: str | None = None,
) -> MirrorPage:  # fmt: skip
    province = str(s.values["province"])
    if lang == "ar":
        url = f"{ORIGIN}/{arabic_slug(s.title)}/{post_id}/"
        alts: tuple[str, ...] = (upper_pct(url),)
        dateline, author = (
            f"{province} – المرصد السوري لحقوق الإنسان::",
            "المرصد السوري لحقوق الإنسان",
        )
    else:
        url, alts = f"{ORIGIN}/en/{post_id}/", ((alt,) if alt else ())
        dateline, author = f"{province}, the Syrian Observatory for Human Rights:", "SOHR"
    if inline:
        paragraphs: tuple[str, ...] = (f"{dateline} {s.paragraphs[0]}", *s.paragraphs[1:])
    else:
        paragraphs = (dateline, *s.paragraphs)
    if expect in ("empty_body", "http_404"):
        paragraphs = ()
    rng = stable_rng("modified", url)
    modified = slot.utc + timedelta(minutes=rng.randint(4, 240)) if rng.random() < 0.5 else None
    return MirrorPage(outlet, url, alts, slot.utc, modified, s.title, paragraphs, lang, (author,),
                      s.section, expect, listed_on=slot.day)  # fmt: skip


def mount(catalog: Catalog) -> Handler:
    theme = TagDivTheme()
    ar = WordPress(catalog, "sohr_ar", theme, origin=ORIGIN, name="المرصد السوري لحقوق الإنسان",
                   lang="ar", tz=DAMASCUS, per_page=8, feed_link=lambda p: upper_pct(p.url))  # fmt: skip
    en = WordPress(catalog, "sohr_en", theme, origin=ORIGIN, base="/en/", lang="en", html_lang="en-US",
                   name="The Syrian Observatory For Human Rights", tz=DAMASCUS, per_page=5)  # fmt: skip
    bare = to_host(ORIGIN)

    def handle(req: Request) -> Response:
        if req.host == "syriahr.com":
            return bare(req)
        if req.path == "/robots.txt":
            return robots_txt("User-agent: *", "Disallow: /wp-admin/", "Allow: /wp-admin/admin-ajax.php", "",
                              f"Sitemap: {ORIGIN}/sitemap_index.xml", f"Sitemap: {ORIGIN}/en/sitemap_index.xml")  # fmt: skip
        return (
            en.handle(req) if req.path == "/en" or req.path.startswith("/en/") else ar.handle(req)
        )

    return handle
