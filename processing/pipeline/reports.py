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

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from processing.core.jsontypes import JSONObject

_R = TypeVar("_R")


def _from_dict(cls: type[_R], d: Mapping[str, object]) -> _R:
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    data: dict[str, Any] = {k: v for k, v in d.items() if k in names}
    return cls(**data)


@dataclass
class ExtractReport:
    """``extract_report.json``: the run's article pages, the rows made of them and why the
    others were rejected."""

    article_fetches: int  # fetch records of article pages
    extracted: int  # rows made (one per article)
    rejected: dict[str, int]  # by reason
    events: list[dict[str, str]]  # per-URL outcomes (url, stage, outcome, detail), the first 500
    extractor_version: str
    seconds: float

    def to_dict(self) -> JSONObject:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, object]) -> ExtractReport:
        return _from_dict(cls, d)


@dataclass
class TranslateReport:
    """``translate_report.json``: translation statuses of the run's rows and the models used."""

    statuses: dict[str, int]  # rows by translation_status
    model: str  # the configured model
    models_used: list[str]  # model@version of the translated rows
    reasons: dict[str, int]  # why rows stayed pending or failed (the five most common)
    seconds: float
    target_tokens: int
    target_tokens_per_s: float

    def to_dict(self) -> JSONObject:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, object]) -> TranslateReport:
        return _from_dict(cls, d)


@dataclass
class ValidateReport:
    """What the validate stage checked: the run's rows, each found exactly once."""

    run_id: str
    rows_checked: int
    snapshot_id: int | None  # the table snapshot it read

    def to_dict(self) -> JSONObject:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, object]) -> ValidateReport:
        return _from_dict(cls, d)


@dataclass
class MigrateReport:
    """What ``newsloom corpus migrate`` moved from a v1 corpus into the table."""

    run_id: str
    objects: int  # v1 Parquet objects read
    rows: int
    new: int
    unchanged: int
    snapshot_id: int | None

    def to_dict(self) -> JSONObject:
        return dataclasses.asdict(self)
