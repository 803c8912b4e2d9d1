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


# ---- takedowns: a record blanked in place ---------------------------------------------------
TOMBSTONE_TYPE = "text/plain; newsloom=takedown"
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # no name, no mtime, OS unknown
_STORED_MAX = 65535


def _stored_gzip(data: bytes) -> bytes:
    """``data`` as one gzip member of stored (uncompressed) deflate blocks: its length is
    exactly ``18 + len(data) + 5 * blocks``."""
    import struct
    import zlib

    out = bytearray(_GZIP_HEADER)
    chunks = [data[i : i + _STORED_MAX] for i in range(0, len(data), _STORED_MAX)] or [b""]
    for i, chunk in enumerate(chunks):
        final = 1 if i == len(chunks) - 1 else 0
        out += bytes([final]) + struct.pack("<HH", len(chunk), 0xFFFF ^ len(chunk)) + chunk
    out += struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data) & 0xFFFFFFFF)
    return bytes(out)


def _stored_size(n: int) -> int:
    return 18 + n + 5 * max(1, -(-n // _STORED_MAX))


def _tombstone_record(url: str, message: str, payload_len: int, when: datetime) -> bytes:
    writer_stream = io.BytesIO()
    writer = WARCWriter(writer_stream, gzip=False)
    text = (message + "\n").encode("utf-8")
    payload = text + b" " * max(0, payload_len - len(text))
    record = writer.create_warc_record(
        url,
        "resource",
        payload=io.BytesIO(payload),
        warc_content_type=TOMBSTONE_TYPE,
        warc_headers_dict={"WARC-Date": when.strftime("%Y-%m-%dT%H:%M:%SZ")},
    )
    writer.write_record(record)
    return writer_stream.getvalue()


def tombstone(url: str, message: str, length: int, when: datetime | None = None) -> bytes:
    """A gzip member of exactly ``length`` bytes holding a WARC ``resource`` record (content
    type :data:`TOMBSTONE_TYPE`) that says the response of ``url`` was removed and why: it
    replaces a record in place, so every other record of the file keeps its offset.
    Raises ``ValueError`` when ``length`` is too small for such a record."""
    when = when or datetime.now(UTC)
    for blocks in range(1, length // _STORED_MAX + 2):
        target = length - 18 - 5 * blocks  # the uncompressed record's size
        if target <= 0 or _stored_size(target) != length:
            continue
        payload = max(0, target - len(_tombstone_record(url, message, 0, when)))
        for _ in range(6):  # the headers' size moves with the payload's (Content-Length digits)
            record = _tombstone_record(url, message, payload, when)
            if len(record) == target:
                return _stored_gzip(record)
            payload += target - len(record)
            if payload < 0:
                break
    # smaller than the notice itself: compress it, and pad the gzip header (FEXTRA)
    import struct
    import zlib

    record = _tombstone_record(url, message, 0, when)
    comp = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    deflated = comp.compress(record) + comp.flush()
    pad = length - (10 + 2 + 4 + len(deflated) + 8)
    if pad < 0 or pad > 0xFFFF - 4:
        raise ValueError(f"a record of {length} bytes is too small to hold a takedown notice")
    header = b"\x1f\x8b\x08\x04\x00\x00\x00\x00\x00\xff" + struct.pack("<H", pad + 4)
    extra = b"NL" + struct.pack("<H", pad) + b"\x00" * pad
    trailer = struct.pack("<II", zlib.crc32(record) & 0xFFFFFFFF, len(record) & 0xFFFFFFFF)
    return header + extra + deflated + trailer


def is_tombstone(data: bytes) -> bool:
    """Whether one gzip-member WARC record is a takedown notice."""
    for record in ArchiveIterator(io.BytesIO(data)):
        return record.rec_headers.get_header("Content-Type") == TOMBSTONE_TYPE
    return False
