"""The ``outlets`` table: the registry as downstream teams join it (``articles.outlet =
outlets.id``). Replaced whole, in one snapshot, only when it changes."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime

import pyarrow as pa
from pyiceberg.table import Table

from processing.corpus import schema as S
from processing.corpus import writer as W
from processing.corpus.retry import conflict_retrying

logger = logging.getLogger(__name__)

ATTEMPTS = 5


def sync_outlets(load: Callable[[], Table], rows: Sequence[Mapping[str, object]]) -> bool:
    """Make the table hold exactly ``rows``; True when it was written. Conflicts are retried a
    few times, then given up with a warning (the next run refreshes it anyway; a publish must
    not fail over it)."""
    from pyiceberg.exceptions import CommitFailedException

    try:
        for attempt in conflict_retrying(ATTEMPTS):
            with attempt:
                return _sync(load(), rows)
    except CommitFailedException:
        logger.warning("outlets table not updated: %d conflicting commits", ATTEMPTS)
    return False


def _sync(tbl: Table, rows: Sequence[Mapping[str, object]]) -> bool:
    from pyiceberg.io.pyarrow import _dataframe_to_data_files

    arrow_schema = S.outlets_arrow_schema()
    keys = [c for c in arrow_schema.names if c != "updated_at"]
    current = (
        tbl.scan().to_arrow().select(keys).sort_by("id").to_pylist()
        if tbl.current_snapshot() is not None
        else []
    )
    wanted = sorted(({k: r.get(k) for k in keys} for r in rows), key=lambda r: str(r["id"]))
    if current == wanted:
        return False
    now = datetime.now(UTC)
    table = pa.Table.from_pylist([{**r, "updated_at": now} for r in wanted], schema=arrow_schema)
    live = [task.file for task in tbl.scan().plan_files()] if tbl.current_snapshot() else []
    props = {W.KIND_PROPERTY: "outlets"}
    with tbl.transaction() as tx:
        # one snapshot: the old files out, the new one in (never an empty table in between)
        with tx.update_snapshot(snapshot_properties=props).overwrite() as overwrite:
            for f in live:
                overwrite.delete_data_file(f)
            for f in _dataframe_to_data_files(tx.table_metadata, table, tbl.io):
                overwrite.append_data_file(f)
    W.publish_version_hint(tbl)
    logger.info("outlets table: %d outlet(s) written", len(wanted))
    return True
