import io
from datetime import UTC, datetime

from processing.core.warc import RawRef, WarcFileWriter, iter_records, read_record


def test_records_are_addressable_by_offset():
    buf = io.BytesIO()
    w = WarcFileWriter(buf)
    when = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    a = w.write_response(
        "https://x.example/a",
        200,
        "OK",
        [("Content-Type", "text/html; charset=utf-8")],
        "<p>ا</p>".encode(),
        when,
    )
    b = w.write_response(
        "https://x.example/b", 404, "", [("Content-Type", "text/html")], b"missing", when
    )
    data = buf.getvalue()
    rec = read_record(data[b[0] : b[0] + b[1]])
    assert (rec.url, rec.status, rec.body) == ("https://x.example/b", 404, b"missing")
    rec = read_record(data[a[0] : a[0] + a[1]])
    assert rec.body.decode() == "<p>ا</p>" and rec.header("content-type").startswith("text/html")
    assert rec.fetched_at == when
    assert [off for off, _ in iter_records(data)] == [a[0], b[0]]


def test_raw_ref_round_trip():
    ref = RawRef("newsloom", "raw/outlet=x/date=2026-11-20/r.warc.gz", 120, 3456)
    assert RawRef.parse(str(ref)) == ref
