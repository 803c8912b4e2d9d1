"""The typed records that cross stage boundaries, and the one source of the corpus schema.

- :class:`FetchRecord`: one request of a crawl and its outcome (the crawler writes them, the
  extract stage and the manifest read them).
- :class:`Candidate`: an article URL found by discovery, with the decision taken about it.
- :class:`CrawlSummary`: what a crawl did as a whole (the crawl process writes it last, the
  crawl stage and the manifest read it).
- :class:`ArticleRow`: one article as stored in the corpus. Its fields, in order, with their
  kinds and descriptions (``col(...)`` metadata), are the corpus schema: the Arrow and Iceberg
  schemas are derived from them (``processing.corpus.schema``), and docs/corpus.md documents
  the same list (a test compares them).

Kinds: ``string``, ``int32``, ``float64``, ``bool``, ``timestamp`` (microseconds, UTC),
``date``, ``binary`` (bytes; base64 in JSON), ``list<string>`` and ``segments`` (a list of
{paragraph, source, target}).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal, Self, TypeAlias, TypedDict

from processing.core.jsontypes import JSONValue
from processing.core.runspec import RunSpecDict

Role = Literal["robots", "feed", "sitemap", "archive", "article", "other"]
ROLES: tuple[str, ...] = ("robots", "feed", "sitemap", "archive", "article", "other")
DISCOVERY_ROLES: tuple[str, ...] = ("feed", "sitemap", "archive")

# What happened to one request. "fetched" means a usable 2xx response; everything else is a
# named reason not to treat the response as an article, and ``FetchRecord.reason`` says more.
# Every request the spider makes (every queued candidate among them) ends in exactly one.
#   fetched           a 2xx response, stored in the WARC (``raw_offset``/``raw_length``)
#   http_error        any other final status (after retries): reason "HTTP <status>"
#   robots_blocked    robots.txt disallows it, or robots.txt answered 5xx/429 or could not
#                     be fetched: RFC 9309 says disallow all (the reason says which)
#   bot_challenge     a bot-wall interstitial (Cloudflare "Just a moment...") at any status
#   too_large         the body, or a compressed body once inflated, passed the size limit
#                     (NEWSLOOM_MAX_RESPONSE_BYTES; the reason gives it in bytes)
#   network_error     no HTTP answer (DNS, refused, reset, timeout): reason "<Error>: <text>"
#   offsite           the request, or a redirect, goes outside the outlet's domains (the
#                     reason names the target)
#   redirect_dropped  a redirect that was not followed: to a URL this run already requested
#                     (duplicate), or past the redirect limit (the reason names the target)
#   ignored           a downloader middleware refused the request for another named reason
#   not_attempted     never requested: the crawl ended first (page limit, shutdown)
FetchOutcome = Literal[
    "fetched",
    "http_error",
    "robots_blocked",
    "bot_challenge",
    "too_large",
    "network_error",
    "offsite",
    "redirect_dropped",
    "ignored",
    "not_attempted",
]

# What the spider decided about a URL it discovered in a feed, sitemap or archive.
CandidateDecision = Literal[
    "queued",
    "out_of_window",
    "duplicate",
    "not_article",
    "paywall",
    "offsite",
    "over_limit",
    "already_stored",
]

# listing hints that date an article's publication (not a sitemap lastmod, not an archive day)
PUBLICATION_HINTS: tuple[str, ...] = ("published", "day")

HintKind = Literal["published", "modified", "day", "archive_day", "url_day", "none"]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def parse_ts(value: str | datetime | None) -> datetime | None:
    """An ISO 8601 string (``Z`` allowed) or datetime as an aware UTC datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    else:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


@dataclass
class JSONRecord:
    """A record with a JSON form: its fields by name. ``from_dict`` ignores keys it does not
    know (a newer writer's), a field it lacks takes its default."""

    def to_dict(self) -> dict[str, JSONValue]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, object]) -> Self:
        names = {f.name for f in dataclasses.fields(cls)}
        data: dict[str, Any] = {k: v for k, v in d.items() if k in names}
        return cls(**data)


@dataclass
class FetchRecord(JSONRecord):
    """One request and its outcome; ``raw_offset``/``raw_length`` locate its WARC record."""

    url: str
    role: Role
    outcome: FetchOutcome
    status: int = 0
    reason: str = ""
    final_url: str | None = None
    content_type: str | None = None
    raw_offset: int | None = None
    raw_length: int | None = None
    raw_ref: str | None = None  # s3://bucket/key#offset=..&length=.., set on upload
    fetched_at: str | None = None  # ISO 8601 UTC
    canonical_url: str | None = None
    hint_published: str | None = None  # ISO date(time) from discovery, if any
    hint_kind: str | None = None  # what the hint is (see HintKind)
    source: str | None = None  # the listing that led here
    route: str | None = None
    # the run whose crawl fetched this response, when this crawl took it from that run's WARC
    # instead of asking the outlet again (crawlers.journal); None: fetched by this crawl
    reused_from: str | None = None

    @property
    def rejection_reason(self) -> str:
        """The manifest key for a fetch that did not give a usable page."""
        return f"http_{self.status}" if self.outcome == "http_error" else str(self.outcome)


@dataclass
class Candidate(JSONRecord):
    """An article URL found by discovery, before fetching."""

    url: str
    canonical_url: str
    source: str  # listing URL
    route: str  # feed | sitemap | news_sitemap | ranged_sitemap | monthly_sitemap | archive
    decision: CandidateDecision
    hint_published: str | None = None
    hint_title: str | None = None
    hint_kind: str = "none"

    @classmethod
    def from_dict(cls, d: Mapping[str, object]) -> Self:
        if "hint_kind" not in d:  # records written before hint_kind was a field
            extra = d.get("extra")
            hint_kind = extra.get("hint_kind", "none") if isinstance(extra, dict) else "none"
            d = {**d, "hint_kind": hint_kind}
        return super().from_dict(d)


class RobotsReport(TypedDict, total=False):
    """What a crawl learnt from the robots.txt files it read (its summary's ``robots``)."""

    crawl_delay: dict[str, float | None]  # host -> the Crawl-delay it asks (None: none)
    unavailable: dict[str, str]  # host -> why everything is disallowed (RFC 9309)


@dataclass
class CrawlSummary(JSONRecord):
    """``staging/<run_id>/crawl/summary.json``: the crawl process writes it last (its presence
    marks the crawl complete), the crawl stage adds ``seconds``, the manifest reads it."""

    finish_reason: str  # Scrapy's: finished, closespider_pagecount, shutdown...
    started_at: str  # ISO 8601 UTC
    finished_at: str
    stats: dict[str, int | float | str]  # Scrapy's crawl stats
    robots: RobotsReport
    run: RunSpecDict  # the run spec the crawl ran
    raw_key: str  # the crawl's WARC
    fetch_count: int
    candidate_count: int
    seconds: float | None = None  # the crawl stage's wall time, once it added it

    def to_dict(self) -> dict[str, JSONValue]:
        """The stored JSON form (no ``seconds`` before the crawl stage sets it)."""
        d = super().to_dict()
        if self.seconds is None:
            del d["seconds"]
        return d


class SegmentDict(TypedDict):
    paragraph: int
    source: str
    target: str


# One cell of an ArticleRow, by the column kinds above (``segments``: a list of SegmentDict).
CellValue: TypeAlias = (
    str | int | float | bool | datetime | date | bytes | list[str] | list[SegmentDict] | None
)


def col(kind: str, doc: str, *, required: bool = False, **kwargs: Any) -> Any:
    """A corpus column: its kind (see the module docstring), description and nullability.
    A nullable column without a default defaults to None."""
    if not required and "default" not in kwargs and "default_factory" not in kwargs:
        kwargs["default"] = None
    return field(metadata={"kind": kind, "doc": doc, "required": required}, **kwargs)


TRANSLATION_STATUSES = ("source_english", "translated", "pending", "failed")


# ``published_at_source`` values that mean "the page gave no plausible date; the outlet's
# listing did" (stages.listing_source), and "none at all". Health checks count a page's own
# date only, so a layout change that loses it shows even when listings still date articles.
LISTING_DATE_SOURCES: frozenset[str] = frozenset(
    {"listing", "feed", "news-sitemap", "sitemap", "archive"}
)
NO_DATE_SOURCE = "missing"


@dataclass(kw_only=True)
class ArticleRow:
    """One article of the corpus (the current version of it)."""

    article_id: str = col(
        "string",
        "16 hex digits: sha256 prefix of the identity form of canonical_url; unique",
        required=True,
    )
    outlet: str = col("string", "registry id of the outlet", required=True)
    url: str = col("string", "the URL that was requested", required=True)
    canonical_url: str = col(
        "string", "normalised URL (rel=canonical when on-site), the identity", required=True
    )
    title: str | None = col("string", "headline in the source language")
    text: str = col(
        "string", "body text, paragraphs separated by newlines", required=True, default=""
    )
    description: str | None = col("string", "the page's own summary (meta description)")
    language: str = col(
        "string", "ISO 639-1 code from langdetect (und: unknown)", required=True, default="und"
    )
    language_confidence: float | None = col("float64", "langdetect probability of language")
    other_languages: list[str] = col(
        "list<string>", "other languages found in the text", default_factory=list
    )
    published_at: datetime | None = col("timestamp", "publication time, UTC")
    published_at_source: str = col(
        "string",
        "where published_at came from (meta, json-ld, time, visible, url, htmldate, "
        "listing, …; missing)",
        required=True,
        default="missing",
    )
    published_local_date: date | None = col(
        "date", "the publication day as the page writes it, in the outlet's own time zone"
    )
    modified_at: datetime | None = col("timestamp", "last modification time, UTC")
    authors: list[str] = col("list<string>", "bylines", default_factory=list)
    section: str | None = col("string", "section or category")
    tags: list[str] = col("list<string>", "keywords and tags", default_factory=list)
    accessible_for_free: bool | None = col(
        "bool", "false for a paywalled page (JSON-LD isAccessibleForFree); null when unsaid"
    )
    title_en: str | None = col("string", "English title (the original when source_english)")
    text_en: str | None = col("string", "English text, paragraph for paragraph")
    translation_status: str = col(
        "string",
        "source_english | translated | pending | failed",
        required=True,
        default="pending",
    )
    translation_model: str | None = col("string", "model id or path that translated")
    translation_model_version: str | None = col(
        "string", "hub commit or sha256 prefix of the model files"
    )
    translation_backend: str | None = col("string", "transformers | ctranslate2")
    translation_reason: str | None = col("string", "why pending or failed")
    translated_at: datetime | None = col("timestamp", "when the translation was made, UTC")
    translation_segments: list[SegmentDict] = col(
        "segments", "aligned source/target sentences", default_factory=list
    )
    content_hash: str = col(
        "string",
        'sha256 hex of the UTF-8 bytes of (title or "") + "\\n" + text',
        required=True,
        default="",
    )
    fetched_at: datetime = col(
        "timestamp",
        "when the page of this version was fetched, UTC",
        required=True,
        default=datetime(1970, 1, 1, tzinfo=UTC),
    )
    ingested_at: datetime = col(
        "timestamp",
        "when the article first entered the corpus, UTC",
        required=True,
        default=datetime(1970, 1, 1, tzinfo=UTC),
    )
    updated_at: datetime = col(
        "timestamp",
        "when this version was committed, UTC",
        required=True,
        default=datetime(1970, 1, 1, tzinfo=UTC),
    )
    raw_ref: str | None = col(
        "string", "s3://bucket/raw/...warc.gz#offset=N&length=M: the WARC record of the page"
    )
    http_status: int | None = col("int32", "HTTP status of the fetch")
    extractor_version: str = col(
        "string", "extractor revision + trafilatura version", required=True, default=""
    )
    run_id: str = col(
        "string", "the run that wrote this version (runs/<run_id>.json)", required=True, default=""
    )
    translation_variant: str | None = col(
        "string",
        "translated: the backend's exact set-up (precision, output vocabulary map, beams), "
        "e.g. ctranslate2-int8-vmap-b4",
    )
    seo_title: str | None = col(
        "string",
        "the page's sharing/search title (og:title, else <title>) when worded differently "
        "from the headline; null when the same",
    )
    sources: list[str] = col(
        "list<string>",
        "news agencies the article credits (AFP, Reuters, SANA…), by one name each; not in authors",
        default_factory=list,
    )
    # story links (docs/corpus.md, "Story links"; processing.stories): written by the link pass
    story_fingerprint: bytes | None = col(
        "binary",
        "MinHash signatures of the text and of the English text (processing.stories, "
        "versioned by link_method); null when the text is too short to compare",
    )
    duplicate_of: str | None = col(
        "string",
        "article_id of the earliest article, same language and within the story window, whose "
        "text is near-identical; null for an original",
    )
    duplicate_similarity: float | None = col(
        "float64", "estimated Jaccard similarity of word 3-shingles to duplicate_of"
    )
    story_id: str | None = col(
        "string",
        "the story: article_id of the earliest article joined to this one by a chain of "
        "links; null until the link pass has seen the row",
    )
    story_similarity: float | None = col(
        "float64", "similarity of the row's strongest link; null when it has none"
    )
    story_link: str | None = col(
        "string", "how that link was made: text (same language) | translation (via text_en)"
    )
    story_link_model: str | None = col(
        "string", "translation links: the translation model of the translated side"
    )
    link_method: str | None = col(
        "string", "fingerprint method and version, e.g. minhash128-b16/w3+en-words/v1"
    )

    def to_dict(self) -> dict[str, CellValue]:
        """The row as column name -> Python value (what ``pyarrow.Table.from_pylist`` takes)."""
        return {name: getattr(self, name) for name in COLUMNS}

    @classmethod
    def from_dict(cls, d: Mapping[str, object]) -> ArticleRow:
        """A row from a dict (a table row); unknown keys are ignored, timestamps normalised."""
        data: dict[str, Any] = {k: d[k] for k in COLUMNS if k in d and d[k] is not None}
        for name in TIMESTAMP_COLUMNS:
            if name in data:
                data[name] = parse_ts(data[name])
        if "published_local_date" in data and isinstance(data["published_local_date"], str):
            data["published_local_date"] = date.fromisoformat(data["published_local_date"])
        return cls(**data)

    @property
    def partition_day(self) -> date | None:
        """The UTC day of ``published_at`` (the table's day partition), None when unknown."""
        return self.published_at.astimezone(UTC).date() if self.published_at else None


ARTICLE_FIELDS: tuple[dataclasses.Field[Any], ...] = dataclasses.fields(ArticleRow)
COLUMNS: tuple[str, ...] = tuple(f.name for f in ARTICLE_FIELDS)
TIMESTAMP_COLUMNS: tuple[str, ...] = tuple(
    f.name for f in ARTICLE_FIELDS if f.metadata["kind"] == "timestamp"
)
TRANSLATION_COLUMNS: tuple[str, ...] = (
    "title_en",
    "text_en",
    "translation_status",
    "translation_model",
    "translation_model_version",
    "translation_backend",
    "translation_variant",
    "translation_reason",
    "translated_at",
    "translation_segments",
)
