"""Taking articles down (a publisher's request, a legal notice): ``newsloom corpus delete``.

The rows leave the table in one snapshot whose change events are ``delete`` with the
reason; a run manifest (``kind`` ``takedown``) records what was asked, what was removed and
why. With ``raw``, each removed article's WARC record is replaced in place by a notice of the
same length (``processing.core.warc.tombstone``): the page's bytes are gone, and every other
``raw_ref`` into the same file still points at its own record. Repeating a takedown changes
nothing (no snapshot; the raw record is already a notice).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from processing.core import layout
from processing.core.runspec import new_attempt
from processing.core.s3 import ObjectStore
from processing.core.urls import article_id, canonical_url
from processing.core.warc import RawRef, is_tombstone, tombstone
from processing.corpus import Corpus
from processing.corpus.expr import either, isin
from processing.pipeline.manifest import RunManifest, base_manifest

logger = logging.getLogger(__name__)


def resolve_ids(corpus: Corpus, ids: list[str], urls: list[str]) -> list[str]:
    """Article ids for the given ids and URLs (a URL matches a row by its URL or canonical
    URL, or by the id its canonical form hashes to)."""
    wanted = {i.strip() for i in ids if i.strip()}
    urls = [u.strip() for u in urls if u.strip()]
    if urls:
        wanted |= {article_id(canonical_url(u)) for u in urls}
        rows = corpus.read(
            ["article_id"], row_filter=either(isin("url", urls), isin("canonical_url", urls))
        )
        wanted |= set(rows.column("article_id").to_pylist())
    return sorted(wanted)


def blank_raw(store: ObjectStore, raw_ref: str, url: str, reason: str) -> bool:
    """Replace the WARC record at ``raw_ref`` with a takedown notice of the same length;
    False when it already is one."""
    ref = RawRef.parse(raw_ref)
    data = bytearray(store.get_bytes(ref.key))
    record = bytes(data[ref.offset : ref.offset + ref.length])
    if is_tombstone(record):
        return False
    when = datetime.now(UTC)
    notice = f"removed from the newsloom corpus on {when:%Y-%m-%d}: {reason}"
    data[ref.offset : ref.offset + ref.length] = tombstone(url, notice, ref.length, when)
    store.put_bytes(ref.key, bytes(data))
    logger.info("raw record of %s blanked in %s", url, ref.key)
    return True


def takedown(
    corpus: Corpus, ids: list[str], urls: list[str], *, reason: str, raw: bool = False
) -> RunManifest:
    """Remove the articles and (``raw``) blank their raw records; returns the run manifest."""
    run_id = f"takedown.{new_attempt()}"
    wanted = resolve_ids(corpus, ids, urls)
    rows = (
        corpus.read(
            ["article_id", "url", "raw_ref"], row_filter=isin("article_id", wanted)
        ).to_pylist()
        if wanted
        else []
    )
    result = corpus.delete(wanted, run_id=run_id, reason=reason)
    blanked = 0
    if raw:
        for r in rows:
            if r["raw_ref"] and blank_raw(corpus.store, r["raw_ref"], r["url"], reason):
                blanked += 1
    manifest = base_manifest(run_id, "takedown", None)
    manifest["reason"] = reason
    manifest["snapshot_id"] = result.snapshot_id
    manifest["counts"].update(
        {
            "requested": len(wanted),
            "deleted": result.deleted,
            "absent": len(wanted) - result.deleted,
            "raw_blanked": blanked,
        }
    )
    manifest["events"] = [
        {"article_id": a, "outcome": "deleted" if a in result.changed_ids else "absent"}
        for a in wanted
    ]
    if result.deleted:  # rows that named a removed article duplicate_of name another
        from processing.pipeline.links import link_after

        manifest["links"] = link_after(corpus, corpus.settings, run_id, first=False)
    corpus.store.put_json(layout.manifest_key(run_id), manifest)
    logger.info(
        "takedown %s: %d deleted, %d absent, %d raw record(s) blanked (%s)",
        run_id,
        result.deleted,
        len(wanted) - result.deleted,
        blanked,
        reason,
    )
    return manifest
