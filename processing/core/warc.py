"""Raw responses as WARC (warcio): written once per crawl, read back by offset.

Each record is its own gzip member, so a record is addressable by ``(key, offset, length)``
and fetched with one ranged GET. ``raw_ref`` strings look like
``s3://bucket/raw/outlet=x/date=d/run.warc.gz#offset=123&length=456``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

_REF = re.compile(
    r"^s3://(?P<bucket>[^/]+)/(?P<key>[^#]+)#offset=(?P<offset>\d+)&length=(?P<length>\d+)$"
)


@dataclass(frozen=True)
class RawRef:
    bucket: str
    key: str
    offset: int
    length: int

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.key}#offset={self.offset}&length={self.length}"

    @classmethod
    def parse(cls, ref: str) -> RawRef:
        m = _REF.match(ref)
        if not m:
            raise ValueError(f"not a raw_ref: {ref!r}")
        return cls(m["bucket"], m["key"], int(m["offset"]), int(m["length"]))


@dataclass(frozen=True)
class RawResponse:
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: datetime

    def header(self, name: str) -> str | None:
        lname = name.lower()
        for k, v in self.headers:
            if k.lower() == lname:
                return v
        return None


class WarcFileWriter:
    """Append response records to a binary stream, returning each record's offset and length."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._writer = WARCWriter(stream, gzip=True)

    def write_response(
        self,
        url: str,
        status: int,
        reason: str,
        headers: list[tuple[str, str]],
        body: bytes,
        fetched_at: datetime | None = None,
    ) -> tuple[int, int]:
        offset = self._stream.tell()
        http_headers = StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol="HTTP/1.1")
        when = (fetched_at or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
        record = self._writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Date": when},
        )
        self._writer.write_record(record)
        return offset, self._stream.tell() - offset


def _to_response(record: object) -> RawResponse:
    rec = record  # warcio ArcWarcRecord
    url = rec.rec_headers.get_header("WARC-Target-URI")  # type: ignore[attr-defined]
    when = rec.rec_headers.get_header("WARC-Date")  # type: ignore[attr-defined]
    http = rec.http_headers  # type: ignore[attr-defined]
    status = int(http.get_statuscode()) if http else 0
    headers = list(http.headers) if http else []
    body = rec.content_stream().read()  # type: ignore[attr-defined]
    fetched = datetime.strptime(when, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return RawResponse(url, status, headers, body, fetched)


def read_record(data: bytes) -> RawResponse:
    """Decode one gzip-member WARC record (the bytes of a ranged GET)."""
    for record in ArchiveIterator(io.BytesIO(data)):
        if record.rec_type == "response":
            return _to_response(record)
    raise ValueError("no response record in the given bytes")


def iter_records(data: bytes) -> Iterator[tuple[int, RawResponse]]:
    """Every response record of a whole WARC file, with its offset."""
    it = ArchiveIterator(io.BytesIO(data))
    for record in it:
        if record.rec_type == "response":
            yield it.get_record_offset(), _to_response(record)
