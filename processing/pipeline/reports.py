"""What the stages return: typed reports, each with the JSON form it is stored under.

The crawl's own summary is a record of the core (:class:`processing.core.records.CrawlSummary`,
the crawl process writes it); the publish stage returns the run manifest
(:class:`processing.pipeline.manifest.RunManifest`, its JSON shape the contract of
docs/corpus.md). The reports here are written beside the run's staged rows
(``staging/<run_id>/extract_report.json``, ``translate_report.json``) and read back by the
manifest's build, which may run in another process (another Airflow task): ``to_dict`` gives
the stored JSON, ``from_dict`` reads it (keys it does not know are ignored).
"""

from __future__ import annotations

from dataclasses import dataclass

from processing.core.records import JSONRecord


@dataclass
class ExtractReport(JSONRecord):
    """``extract_report.json``: the run's article pages, the rows made of them and why the
    others were rejected."""

    article_fetches: int  # fetch records of article pages
    extracted: int  # rows made (one per article)
    rejected: dict[str, int]  # by reason
    events: list[dict[str, str]]  # per-URL outcomes (url, stage, outcome, detail), the first 500
    extractor_version: str
    seconds: float


@dataclass
class TranslateReport(JSONRecord):
    """``translate_report.json``: translation statuses of the run's rows and the models used."""

    statuses: dict[str, int]  # rows by translation_status
    model: str  # the configured model
    models_used: list[str]  # model@version of the translated rows
    reasons: dict[str, int]  # why rows stayed pending or failed (the five most common)
    seconds: float
    target_tokens: int
    target_tokens_per_s: float


@dataclass
class ValidateReport(JSONRecord):
    """What the validate stage checked: the run's rows, each found exactly once."""

    run_id: str
    rows_checked: int
    snapshot_id: int | None  # the table snapshot it read


@dataclass
class MigrateReport(JSONRecord):
    """What ``newsloom corpus migrate`` moved from a v1 corpus into the table."""

    run_id: str
    objects: int  # v1 Parquet objects read
    rows: int
    new: int
    unchanged: int
    snapshot_id: int | None
