"""A local mirror of the outlets' web sites, for tests, benchmarks and the offline demo.

``MirrorServer`` (:mod:`devkit.mirror.server`) serves every mirrored host from one
deterministic :class:`~devkit.mirror.catalog.Catalog`; mirror-only outlets have their registry
entries in ``devkit/mirror/outlets/``. Send it ``http://<mirror><path>?<query>`` with the real
host in ``Host`` (the mirror route does: :mod:`devkit.mirror.route`, which reaches the crawler
through its ``NEWSLOOM_SCRAPY_SETTINGS`` extension point)::

    with MirrorServer(anchor=date(2026, 11, 20)) as mirror:   # 7 days ending on the anchor
        mirror.url, mirror.hosts, mirror.catalog.stored_between("sohr_en", first, last)

Switches (keyword arguments of ``MirrorServer`` and of ``catalog.build_catalog``)
--------------------------------------------------------------------------------

``days=N`` (default 7)
    Serve the N local days ending on ``anchor`` (default: today, UTC). Each outlet publishes
    its own volume per day (fewer on its quiet weekday, twice as many on a "busy" day), with
    posts just after local midnight (another UTC day) and just before it. Deterministic per
    ``(seed, anchor, days, volume)``; days are generated newest first from per-day random
    streams, so ``days=30`` holds exactly the pages of ``days=7`` plus older ones. Traps sit
    at fixed days before the anchor (see each site module), inside any span of 7+ days.

``outlets=[...]`` (default: every outlet)
    Build only these outlets' pages; the other sites answer, with nothing to list. Each
    outlet's pages are the full catalog's. A year of two outlets (``days=365,
    outlets=["sputnik_ar", "sohr_en"]``, about 2,000 pages) starts in a few seconds; a year
    of every outlet (about 8,700 pages, ~50 MB) in about ten. Pages are rendered per
    request from the catalog, never kept; over months the prose banks run out of fresh
    titles and repeated permalinks are numbered as WordPress numbers them (``slug-2``).
    ``python -m devkit mirror --days 365 --outlets sputnik_ar,sohr_en -- CMD``.

``volume=F`` (default 1.0)
    Multiply every outlet's articles per day (benchmarks: ``volume=10``).

``faults={"no_dates": ("sohr_en", 3)}``
    A simulated layout change: the article pages of ``sohr_en`` published on the last 3
    local days lose every date signal (``article:published_time``/``modified_time``, JSON-LD
    dates, ``<time>`` elements, visible datelines, Sputnik's ``data-unixtime`` and ``og:title``
    date). Feeds, sitemaps and archives keep their dates; a URL that carries a date keeps it
    (choose an outlet whose URLs carry none, like ``sohr_en``, ``npa_*`` or ``levant_daily``,
    for a page with no date at all). Several outlets: ``{"no_dates": [("sohr_en", 3),
    ("npa_en", 2)]}`` or ``{"no_dates": {"sohr_en": 3}}``. The affected pages have
    ``dates == "none"``: ``catalog.undated("sohr_en")``.

The request log
---------------

Every HTTP request is logged (thread-safe) with its real host, path + query, status and time::

    mirror.reset_log()
    ...crawl...
    mirror.requests                      # [Logged(at, method, host, target, status), ...]
    mirror.count(host="www.syriahr.com", path_regex=r"^/en/\\d+/$", status=200)
    mirror.hits(page.url)                # requests for exactly that URL (any %-case)
    mirror.fetch_counts()                # Counter: URL -> requests

Held requests
-------------

For a test that must stop a client at a known point (a crawl killed mid-chunk)::

    hold = mirror.hold(r"^https://www\\.syriahr\\.com/en/\\d+/$", after=20)
    ...wait until hold.waiting, kill the client...
    hold.release(drop=True)   # closed without an answer, logged with status 0

The first ``after`` matching requests are answered; the next ones wait for ``release``.
Every request the log shows answered was then received by the client.

Bogus dates (levant_daily)
--------------------------

``levant_daily`` is a WordPress-like site added by configuration alone: robots.txt, a sitemap
index of monthly sitemaps, an RSS feed, daily date archives, permalinks without a date. Two of
its pages (2 and 4 days before the anchor) print ``0001-01-01T00:00:00Z`` for every date
while its sitemap ``lastmod``, feed and daily archive place them on their real day::

    for page in mirror.catalog.bogus_dates("levant_daily"):
        page.listed_on        # the day the site lists it on = page.stored_day, its UTC day

``catalog.stored_between(outlet, first, last)`` counts them on that day.
"""
