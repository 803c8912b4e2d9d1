"""The link pass: story links (:mod:`processing.stories`) written to the table in their own
snapshot (``newsloom.kind`` = ``link``), after the publishes that changed rows.

Publishing stores each row with its fingerprint (``story_fingerprint``, ``link_method``:
:func:`processing.stories.stamp`) but not its links: outlets that publish at the same moment
cannot see each other's rows. The link pass reads the table *after* the commits, so the pass
that commits last has seen everything. It runs right after every publish that changed rows
(the publish stage of daily runs and backfill chunks, ``retranslate``, ``reprocess``,
``corpus migrate``, ``corpus delete``) and as ``newsloom corpus link``. A pass:

1. finds how far the links go: the newest link snapshot's ``newsloom.linked-through``
   property, the snapshot the pass that wrote it had read (expired: that run's manifest; no
   link snapshot at all: a *full pass*, below);
2. reads the change feed after it, up to the current snapshot C: inserts, and updates whose
   text, translation, language, publication time or fingerprint changed, are *to link*;
   deletes re-point the rows that named a deleted article ``duplicate_of``;
3. loads the stored rows the linking needs (:meth:`StoryIndex.span`: two windows around them,
   every outlet, partition-pruned on ``published_at``, read at snapshot C), links, and
4. commits the rows whose link columns changed — the rows it linked, earlier rows whose
   ``duplicate_of`` or ``story_id`` changed, and rows outside the loaded days of a story that
   was renamed (a scan on ``story_id``) — in ONE snapshot carrying
   ``newsloom.linked-through`` = C. The change feed shows them as updates whose
   ``changed_columns`` are link columns. A pass that changes nothing commits nothing.

A row is rewritten with only its link columns changed: the commit re-reads each row's current
version when it plans (and plans again when a concurrent writer touched the same partitions),
and leaves out a row whose content changed since the pass read it (the next pass links the
new version). Two link passes never overwrite each other: every link commit names the
pseudo-partition ``newsloom.link`` among the partitions it changed, so a link commit that
finds another one landed after it began is planned again — and a pass that finds, when it
plans, a link commit it did not make after the snapshot it read starts over from the new
marker (the other pass may have seen less or more than this one).

The story index is kept per process (:class:`LinkState`): a long-lived process (a backfill,
a worker) keeps the days it loaded and brings them up to date from the change feed at the
next pass, so a pass reads only the feed, the changed rows and days it has not loaded. A
*full pass* (a table never linked, or ``corpus link --all``) links every row month by month
from scratch, one commit per month, and computes the fingerprints rows lack.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from processing.core import layout
from processing.core.config import Settings
from processing.core.errors import LinkRestart as LinkRestart  # re-exported
from processing.core.records import ArticleRow, parse_ts
from processing.core.runspec import new_attempt
from processing.corpus import Corpus, SnapshotNotFound
from processing.corpus.expr import both, either, is_null, isin, published_days, time_range
from processing.corpus.table import serial_partition
from processing.stories import (
    LINK_COLUMNS,
    METHOD,
    LinkResult,
    LinkSettings,
    StoredArticle,
    StoryIndex,
    StoryLinks,
    StoryRename,
    stamp,
)

if TYPE_CHECKING:
    from pyiceberg.table import Table

    from processing.corpus.writer import Plan
    from processing.pipeline.manifest import LinkFailure, LinkSummary

logger = logging.getLogger(__name__)

LINK_KIND = "link"
MARKER_PROPERTY = "newsloom.linked-through"
SERIAL_PARTITION = serial_partition("newsloom.link")  # every link commit "changes" it
# what a row's links depend on: a change to any of these links it again
LINK_INPUTS = frozenset(
    {
        "text",
        "text_en",
        "language",
        "published_at",
        "translation_status",
        "translation_model",
        "story_fingerprint",
        "link_method",
    }
)
STORED_COLUMNS = (
    "article_id",
    "outlet",
    "language",
    "published_at",
    "fetched_at",
    "ingested_at",
    "translation_status",
    "translation_model",
    "content_hash",
    *LINK_COLUMNS,
)
TEXT_COLUMNS = ("article_id", "text", "text_en")
BATCH_DAYS = 31  # rows linked together: at most a month apart
MAX_RESTARTS = 8
MAX_INDEX_ROWS = 250_000  # a long-lived process forgets its oldest days past this


@dataclass
class LinkReport:
    """What one link pass did (the manifest's ``links``)."""

    run_id: str
    full: bool = False
    through: int | None = None  # the snapshot whose rows are linked
    since: int | None = None  # the marker it started from
    to_link: int = 0  # rows linked (new or changed)
    duplicates: int = 0  # of those, with a duplicate_of
    linked: int = 0  # of those, with a link to another article
    rewritten: int = 0  # rows committed with new link columns
    renamed: int = 0  # rows outside the loaded days whose story was renamed
    loaded: int = 0  # stored rows read into the index
    restarts: int = 0
    snapshot_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def snapshot_id(self) -> int | None:
        return self.snapshot_ids[-1] if self.snapshot_ids else None

    def to_dict(self) -> LinkSummary:
        """The manifest's ``links``."""
        return {
            "run_id": self.run_id,
            "full": self.full,
            "through": self.through,
            "since": self.since,
            "to_link": self.to_link,
            "duplicates": self.duplicates,
            "linked": self.linked,
            "rewritten": self.rewritten,
            "renamed": self.renamed,
            "loaded": self.loaded,
            "restarts": self.restarts,
            "snapshot_id": self.snapshot_id,
            "seconds": round(self.seconds, 2),
        }


@dataclass
class LinkState:
    """A process's story index and how far it reflects the table: the rows of the days it
    covers as of snapshot ``synced``, plus this process's own link commits after it."""

    index: StoryIndex
    synced: int | None = None
    own: set[int] = field(default_factory=set)


_STATES: dict[tuple[str, LinkSettings], LinkState] = {}
_LOCK = threading.Lock()


def link_settings(settings: Settings) -> LinkSettings:
    return LinkSettings.from_settings(settings)


def _state(corpus: Corpus, settings: LinkSettings) -> LinkState:
    key = (corpus.articles.where, settings)
    state = _STATES.get(key)
    if state is None:
        state = _STATES[key] = LinkState(StoryIndex(settings))
    return state


def forget_state() -> None:
    """Drop every process-wide story index (tests; after a failed pass)."""
    with _LOCK:
        _STATES.clear()


# ---- the pass ---------------------------------------------------------------------------------
def link_corpus(
    corpus: Corpus,
    settings: Settings,
    *,
    everything: bool = False,
    cause: str | None = None,
    first: bool = True,
) -> LinkReport:
    """Link what changed since the last link pass (``everything``: every row, from scratch)
    and commit the rows whose links changed; writes a ``link`` run manifest when it
    committed. ``first``: link a table never linked before (False: leave it alone). Raises
    ``CommitConflict`` when it keeps losing to other link passes."""
    from processing.corpus import CommitConflict

    lset = link_settings(settings)
    run_id = f"link.{new_attempt()}"
    started = time.monotonic()
    with _LOCK:
        for attempt in range(MAX_RESTARTS + 1):
            state = _state(corpus, lset)
            report = LinkReport(run_id=run_id, restarts=attempt)
            try:
                _pass(corpus, lset, state, report, everything, first)
                break
            except LinkRestart as exc:
                logger.info("link %s: %s; starting over", run_id, exc)
                _STATES.pop((corpus.articles.where, lset), None)
            except BaseException:
                _STATES.pop((corpus.articles.where, lset), None)  # the index may be half-done
                raise
        else:
            raise CommitConflict(f"{run_id}: other link passes kept committing first")
    report.seconds = time.monotonic() - started
    if report.snapshot_ids:
        _write_manifest(corpus, report, cause)
    logger.info(
        "link %s done%s: %d rows linked (%d duplicates, %d linked to another), %d rows "
        "rewritten (%d renamed outside the loaded days), %d stored rows loaded; snapshot %s; "
        "linked through %s; %.1fs",
        run_id,
        " (full pass)" if report.full else "",
        report.to_link,
        report.duplicates,
        report.linked,
        report.rewritten,
        report.renamed,
        report.loaded,
        report.snapshot_id,
        report.through,
        report.seconds,
    )
    return report


def link_after(
    corpus: Corpus, settings: Settings, cause: str, *, first: bool = True
) -> LinkSummary | LinkFailure:
    """The link pass after a publish that changed rows (``cause``: its run id; ``first``:
    see :func:`link_corpus`). A failure is logged and returned, never raised: the publish is
    committed, and the next pass (any outlet's, or ``newsloom corpus link``) links what this
    one did not."""
    try:
        return link_corpus(corpus, settings, cause=cause, first=first).to_dict()
    except Exception as exc:  # the publish stands; the marker did not move
        logger.warning(
            "link pass after %s failed (%s: %s); the next pass links its rows",
            cause,
            type(exc).__name__,
            str(exc).splitlines()[0][:300] if str(exc) else "",
        )
        return {"error": f"{type(exc).__name__}: {exc}"[:500]}


def _pass(
    corpus: Corpus,
    lset: LinkSettings,
    state: LinkState,
    report: LinkReport,
    everything: bool,
    first: bool,
) -> None:
    tbl = corpus.articles.table()
    head = tbl.metadata.current_snapshot()
    if head is None:
        return
    through = head.snapshot_id
    report.through = through
    marker = None if everything else find_marker(corpus, tbl)
    if marker is None:
        if everything or first:
            _full_pass(corpus, lset, state, report, through)
        return
    report.since = marker
    if marker == through:
        return
    try:
        feed = corpus.changes(since=marker, until=through)
    except SnapshotNotFound as exc:
        logger.warning("link: the change feed does not reach back to %s (%s)", marker, exc)
        _full_pass(corpus, lset, state, report, through)
        return
    todo: dict[str, date | None] = {}
    deleted: dict[str, date | None] = {}
    for change in feed:
        if change.kind == LINK_KIND:
            continue
        day = date.fromisoformat(change.day) if change.day else None
        if change.operation == "delete":
            deleted[change.article_id] = day
            todo.pop(change.article_id, None)
        elif (
            change.operation == "insert"
            or change.content_changed
            or LINK_INPUTS.intersection(change.changed_columns)
        ):
            todo[change.article_id] = day
            deleted.pop(change.article_id, None)
    _sync(corpus, state, through, feed if state.synced == marker else None, {*todo, *deleted})
    index = state.index
    patches = _Patches()
    if deleted:
        for aid, links in index.remove(deleted).items():
            patches.put(aid, links, index.time_of(aid))
        for d in _rows_naming(corpus, deleted, lset, through):
            todo.setdefault(str(d["article_id"]), _day(d.get("published_at")))
    rows = _read_rows(corpus, todo, through)
    report.to_link = len(rows)
    index.forget(r.article_id for r in rows)
    exclude = {r.article_id for r in rows}
    for batch in _batches(rows):
        span = index.span(batch)
        if span is not None:
            for a, b in index.missing(*span):
                report.loaded += index.load(_stored_between(corpus, a, b, through, exclude), a, b)
        result = index.link(batch)
        _collect(result, batch, index, patches, report)
        report.renamed += _rename_outside(corpus, result.renames, patches, through)
    _commit(corpus, patches, report, through, final=True)
    state.synced = through
    state.own.update(report.snapshot_ids)
    if len(index) > MAX_INDEX_ROWS and rows:
        oldest = min(_time_of(r) for r in rows) - 4 * lset.window
        gone = index.evict(oldest)
        logger.info("link: forgot %d rows published before %s", gone, oldest.date())


def _sync(
    corpus: Corpus,
    state: LinkState,
    through: int,
    feed: list[Any] | None,
    skip: set[str],
) -> None:
    """Bring a kept index up to snapshot ``through``: rows others committed since it was last
    in step are read again, but for ``skip`` (the rows this pass links or removes itself).
    ``feed``: the change feed from ``state.synced`` when the caller has read it already."""
    if state.synced is None:  # nothing kept
        if len(state.index):
            state.index = StoryIndex(state.index.settings)
        state.own = set()
        return
    if state.synced == through:
        return
    try:
        if feed is None:
            feed = corpus.changes(since=state.synced, until=through)
    except SnapshotNotFound:
        logger.info("link: the kept story index is too old; loading it again")
        state.index = StoryIndex(state.index.settings)
        state.synced, state.own = None, set()
        return
    refresh: dict[str, date | None] = {}
    gone: list[str] = []
    for change in feed:
        if change.snapshot_id in state.own or change.article_id in skip:
            continue
        if change.operation == "delete":
            gone.append(change.article_id)
        else:
            refresh[change.article_id] = date.fromisoformat(change.day) if change.day else None
    if gone:
        state.index.forget(gone)
    if refresh:
        rows = _read(corpus, STORED_COLUMNS, _ids_filter(refresh), through)
        state.index.refresh(StoredArticle.from_columns(d) for d in rows)
    logger.debug("link: index brought up to date: %d rows read again", len(refresh))


# ---- the full pass ----------------------------------------------------------------------------
def _full_pass(
    corpus: Corpus, lset: LinkSettings, state: LinkState, report: LinkReport, through: int
) -> None:
    """Every row, month by month, from scratch (stored story ids are not kept): one commit
    per month, the marker on the last; fingerprints computed for rows that lack one."""
    report.full = True
    index = StoryIndex(lset)
    state.index, state.synced, state.own = index, None, set()
    times = [d["published_at"] for d in _read(corpus, ("published_at",), None, through)]
    months: list[tuple[datetime, datetime]] = []
    for year, month in sorted({(t.year, t.month) for t in times if t is not None}):
        first = datetime(year, month, 1, tzinfo=UTC)
        months.append((first, (first + timedelta(days=32)).replace(day=1)))
    parts: list[Any] = [time_range("published_at", a, b) for a, b in months]
    if any(t is None for t in times):
        parts.append(is_null("published_at"))
    for n, expr in enumerate(parts):
        stored = _read(corpus, STORED_COLUMNS, expr, through)
        rows = [_row_of(d) for d in stored]
        rows = _fingerprinted(corpus, [_fresh(r) for r in rows], through)
        if not rows:
            continue
        report.to_link += len(rows)
        patches = _Patches()
        result = index.link(rows, strict=False)
        _collect(
            result, rows, index, patches, report, stored={str(d["article_id"]): d for d in stored}
        )
        if n < len(months):
            a, b = months[n]
            index.load([], a, b)
            report.renamed += _rename_outside(corpus, result.renames, patches, through)
            index.evict(a - 2 * lset.window)
        _commit(corpus, patches, report, through, final=n == len(parts) - 1)
    if not report.snapshot_ids or MARKER_PROPERTY not in _last_properties(corpus, report):
        # the last month changed nothing: the marker cannot ride on a commit
        corpus.store.put_json(
            layout.links_marker_key(),
            {"through": through, "run_id": report.run_id, "table": corpus.articles.where},
        )
    state.synced = through
    state.own.update(report.snapshot_ids)


def _fresh(row: ArticleRow) -> ArticleRow:
    """A row linked from scratch: the story it had is not kept."""
    from dataclasses import replace

    return replace(row, story_id=None)


def _last_properties(corpus: Corpus, report: LinkReport) -> dict[str, str]:
    tbl = corpus.articles.table()
    snap = tbl.metadata.snapshot_by_id(report.snapshot_ids[-1]) if report.snapshot_ids else None
    return dict(snap.summary.additional_properties) if snap and snap.summary else {}


# ---- the marker -------------------------------------------------------------------------------
def find_marker(corpus: Corpus, tbl: Table) -> int | None:
    """The snapshot through which the table's rows are linked: the ``newsloom.linked-through``
    of the newest link snapshot on ``main`` (an expired one: its run's manifest), or the
    marker object a full pass leaves when its last commit changed nothing; None: never
    linked."""
    from processing.corpus.writer import KIND_PROPERTY, RUN_PROPERTY, parent_of, read_history

    md = tbl.metadata
    found = corpus.store.get_json_or_none(layout.links_marker_key())
    hint: int | None = None  # the full pass's marker object: its "through", for its run
    hint_run: object = None
    if isinstance(found, dict) and found.get("table") == corpus.articles.where:
        through = found.get("through")
        hint, hint_run = (through if isinstance(through, int) else None), found.get("run_id")
    snap = md.current_snapshot()
    seen: set[int] = set()
    while snap is not None:
        seen.add(snap.snapshot_id)
        props = dict(snap.summary.additional_properties) if snap.summary else {}
        if props.get(KIND_PROPERTY) == LINK_KIND:
            if MARKER_PROPERTY in props:
                return int(props[MARKER_PROPERTY])
            if hint is not None and props.get(RUN_PROPERTY) == hint_run:
                return hint  # a full pass whose last month changed nothing
        parent = parent_of(snap)
        if parent is None:
            break
        nxt = md.snapshot_by_id(parent)
        if nxt is None:  # expired: the history object records the rest
            history = read_history(tbl).to_pylist()
            for rec in sorted(history, key=lambda r: r["committed_at_ms"], reverse=True):
                if rec["kind"] != LINK_KIND or not rec["run_id"]:
                    continue
                manifest = corpus.store.get_json_or_none(layout.manifest_key(rec["run_id"]))
                links = manifest.get("links") if isinstance(manifest, dict) else None
                through = links.get("through") if isinstance(links, dict) else None
                if isinstance(through, int):
                    return through
            break
        snap = nxt
    if hint is not None and hint in seen:  # a full pass that committed nothing
        return hint
    return None


# ---- reading ----------------------------------------------------------------------------------
def _read(
    corpus: Corpus, columns: Sequence[str], expr: Any, snapshot_id: int
) -> list[dict[str, Any]]:
    table = corpus.read(list(columns), row_filter=expr, snapshot_id=snapshot_id)
    return table.to_pylist()


def _ids_filter(ids: dict[str, date | None]) -> Any:
    """Rows by id, pruned to the publication days their events named (and undated rows)."""
    days = [d for d in ids.values() if d is not None]
    when = is_null("published_at")
    if days:
        when = either(published_days(min(days), max(days)), when)
    return both(isin("article_id", sorted(ids)), when)


def _read_rows(corpus: Corpus, ids: dict[str, date | None], through: int) -> list[ArticleRow]:
    """The rows to link, as stored at ``through`` (fingerprinted where they are not)."""
    if not ids:
        return []
    rows = [_row_of(d) for d in _read(corpus, STORED_COLUMNS, _ids_filter(ids), through)]
    return _fingerprinted(corpus, rows, through)


def _fingerprinted(corpus: Corpus, rows: list[ArticleRow], through: int) -> list[ArticleRow]:
    """Rows without a fingerprint of this version get one (their text is read for it)."""
    from dataclasses import replace

    lacking = {r.article_id: _day(r.published_at) for r in rows if r.link_method != METHOD}
    if not lacking:
        return rows
    texts = {
        str(d["article_id"]): d for d in _read(corpus, TEXT_COLUMNS, _ids_filter(lacking), through)
    }
    out = []
    for r in rows:
        d = texts.get(r.article_id)
        if r.link_method != METHOD and d is not None:
            r = stamp(replace(r, text=d["text"] or "", text_en=d["text_en"]))
            r = replace(r, text="", text_en=None)  # the fingerprint is all the pass needs
        out.append(r)
    logger.info("link: fingerprinted %d rows that had none of %s", len(lacking), METHOD)
    return out


def _stored_between(
    corpus: Corpus, start: datetime, end: datetime, through: int, exclude: set[str]
) -> Iterator[StoredArticle]:
    expr = either(
        time_range("published_at", start, end + timedelta(seconds=1)),
        both(is_null("published_at"), time_range("fetched_at", start, end + timedelta(seconds=1))),
    )
    for d in _read(corpus, STORED_COLUMNS, expr, through):
        if d["article_id"] not in exclude:
            yield StoredArticle.from_columns(d)


def _rows_naming(
    corpus: Corpus, deleted: dict[str, date | None], lset: LinkSettings, through: int
) -> list[dict[str, Any]]:
    """Stored rows whose ``duplicate_of`` names a deleted article (they are linked again)."""
    days = [d for d in deleted.values() if d is not None]
    when: Any = None
    if days:
        last = max(days) + timedelta(days=int(lset.window_days) + 2)
        when = either(published_days(min(days), last), is_null("published_at"))
    expr = isin("duplicate_of", sorted(deleted))
    return _read(
        corpus, ("article_id", "published_at"), both(expr, when) if when else expr, through
    )


def _row_of(d: dict[str, Any]) -> ArticleRow:
    """A row as the linker needs it (no text: the stored fingerprint stands for it)."""
    return ArticleRow(
        article_id=str(d["article_id"]),
        outlet=str(d.get("outlet") or ""),
        url="",
        canonical_url="",
        language=str(d.get("language") or "und"),
        published_at=parse_ts(d.get("published_at")),
        fetched_at=parse_ts(d.get("fetched_at")) or datetime(1970, 1, 1, tzinfo=UTC),
        ingested_at=parse_ts(d.get("ingested_at")) or datetime(1970, 1, 1, tzinfo=UTC),
        translation_status=str(d.get("translation_status") or "pending"),
        translation_model=d.get("translation_model"),
        content_hash=str(d.get("content_hash") or ""),
        **{c: d.get(c) for c in LINK_COLUMNS},  # type: ignore[arg-type]
    )


def _day(value: Any) -> date | None:
    ts = parse_ts(value) if isinstance(value, str | datetime) else None
    return ts.date() if ts is not None else None


def _time_of(row: ArticleRow) -> datetime:
    for value in (row.published_at, row.fetched_at, row.ingested_at):
        if value is not None and value.year > 1970:
            return value
    return datetime(1970, 1, 1, tzinfo=UTC)


def _batches(rows: list[ArticleRow]) -> Iterator[list[ArticleRow]]:
    """Rows in time order, in groups at most ``BATCH_DAYS`` apart."""
    ordered = sorted(rows, key=lambda r: (_time_of(r), r.article_id))
    batch: list[ArticleRow] = []
    for r in ordered:
        if batch and _time_of(r) - _time_of(batch[0]) > timedelta(days=BATCH_DAYS):
            yield batch
            batch = []
        batch.append(r)
    if batch:
        yield batch


# ---- what to write ----------------------------------------------------------------------------
@dataclass
class _Patches:
    """Rows to rewrite: their new link columns, where they are, and (for the rows linked) the
    version they were linked at."""

    columns: dict[str, dict[str, Any]] = field(default_factory=dict)
    when: dict[str, datetime | None] = field(default_factory=dict)
    version: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)

    def put(
        self,
        article_id: str,
        links: StoryLinks | dict[str, Any],
        when: datetime | None,
        version: tuple[str, str, str | None] | None = None,
    ) -> None:
        cols = links.columns() if isinstance(links, StoryLinks) else links
        self.columns[article_id] = {**self.columns.get(article_id, {}), **cols}
        self.when.setdefault(article_id, when)
        if version is not None:
            self.version[article_id] = version

    def __len__(self) -> int:
        return len(self.columns)


def _stored_links(row: ArticleRow) -> dict[str, Any]:
    return {c: getattr(row, c) for c in LINK_COLUMNS}


def _collect(
    result: LinkResult,
    batch: Sequence[ArticleRow],
    index: StoryIndex,
    patches: _Patches,
    report: LinkReport,
    stored: dict[str, dict[str, Any]] | None = None,
) -> None:
    for row in batch:
        links = result.rows.get(row.article_id)
        if links is None:
            continue
        report.duplicates += links.duplicate_of is not None
        report.linked += links.story_link is not None
        before = _stored_links(row) if stored is None else _stored_of(stored, row.article_id)
        if links.columns() != before:
            version = (row.content_hash, row.translation_status, row.translation_model)
            patches.put(row.article_id, links, _time_of(row), version)
    for aid, links in result.updates.items():
        patches.put(aid, links, index.time_of(aid))


def _stored_of(stored: dict[str, dict[str, Any]], article_id: str) -> dict[str, Any]:
    d = stored.get(article_id, {})
    return {c: d.get(c) for c in LINK_COLUMNS}


def _rename_outside(
    corpus: Corpus, renames: Iterable[StoryRename], patches: _Patches, through: int
) -> int:
    """Rows beyond the loaded days that carry a renamed story's old id take the new one."""
    count = 0
    for rename in renames:
        parts: list[Any] = [is_null("published_at")]
        if rename.before is not None:
            parts.append(
                time_range("published_at", datetime(1970, 1, 1, tzinfo=UTC), rename.before)
            )
        if rename.after is not None:
            parts.append(time_range("published_at", rename.after, datetime(9999, 1, 1, tzinfo=UTC)))
        when = parts[0]
        for p in parts[1:]:
            when = either(when, p)
        expr = both(isin("story_id", [rename.old]), when)
        for d in _read(corpus, ("article_id", "published_at", "story_id"), expr, through):
            aid = str(d["article_id"])
            if aid in patches.columns:
                continue  # linked in this pass: its story is already the new one
            patches.put(aid, {"story_id": rename.new}, parse_ts(d.get("published_at")))
            count += 1
    return count


# ---- committing -------------------------------------------------------------------------------
def _commit(
    corpus: Corpus, patches: _Patches, report: LinkReport, through: int, *, final: bool
) -> None:
    """One snapshot with the patched rows (their current versions, link columns replaced)."""
    from processing.corpus.table import plan_patch

    properties = {MARKER_PROPERTY: str(through)} if final else {}
    if not len(patches):
        return
    articles = corpus.articles
    counted: list[int] = []

    def planner(tbl: Table) -> Plan:
        _check_no_other_link(tbl, through, report.run_id)
        # the stored versions are read where the commit is planned; a row whose content or
        # translation changed since it was linked is left for the next pass
        expect = {
            aid: {"content_hash": h, "translation_status": status, "translation_model": model}
            for aid, (h, status, model) in patches.version.items()
        }
        plan, result = plan_patch(
            tbl, articles.writer, patches.columns, expect, run_id=report.run_id, kind=LINK_KIND
        )
        plan.properties = dict(properties)
        plan.partitions.add(SERIAL_PARTITION)
        counted[:] = [result.updated]
        return plan

    from pyiceberg.exceptions import CommitFailedException

    from processing.corpus import CommitConflict

    try:
        _, applied = articles.writer.commit(planner)
    except CommitFailedException as exc:
        raise CommitConflict(f"{report.run_id}: gave up after repeated conflicts: {exc}") from exc
    if applied is not None:
        report.snapshot_ids.append(applied.snapshot.snapshot_id)
        report.rewritten += counted[0] if counted else 0


def _check_no_other_link(tbl: Table, through: int, run_id: str) -> None:
    from processing.corpus.writer import KIND_PROPERTY, RUN_PROPERTY, snapshots_since

    since = snapshots_since(tbl.metadata, through)
    if since is None:
        raise LinkRestart(f"snapshot {through} is no longer an ancestor of the table's")
    for snap in since:
        props = dict(snap.summary.additional_properties) if snap.summary else {}
        if props.get(KIND_PROPERTY) == LINK_KIND and props.get(RUN_PROPERTY) != run_id:
            raise LinkRestart(f"link run {props.get(RUN_PROPERTY)} committed first")


def _write_manifest(corpus: Corpus, report: LinkReport, cause: str | None) -> None:
    from processing.pipeline.manifest import base_manifest

    manifest = base_manifest(report.run_id, LINK_KIND, None)
    manifest["reason"] = f"after {cause}" if cause else None
    manifest["snapshot_id"] = report.snapshot_id
    manifest["links"] = report.to_dict()
    manifest["counts"]["stored"] = {
        "new": 0,
        "updated": report.rewritten,
        "unchanged": 0,
        "moved": 0,
        "total": report.rewritten,
    }
    manifest["timings"] = {"seconds": round(report.seconds, 2)}
    corpus.store.put_json(layout.manifest_key(report.run_id), manifest)


# ---- publishing -------------------------------------------------------------------------------
def prepare_rows(corpus: Corpus, rows: list[ArticleRow]) -> list[ArticleRow]:
    """Rows as a publish commits them: each with its fingerprint (:func:`stamp`), and a row
    the table already holds with that version's link columns (a re-fetch or reprocessing of
    equal text then changes nothing, and a changed one keeps its story until the link pass
    links it again). Rows that already carry links (read from the table) keep theirs."""
    from dataclasses import replace

    held: dict[str, date | None] = {}
    for outlet in sorted({r.outlet for r in rows}):
        known = corpus.articles.known_ids(outlet)
        held.update(
            (r.article_id, r.partition_day)
            for r in rows
            if r.outlet == outlet and r.article_id in known and r.story_id is None
        )
    stored: dict[str, dict[str, Any]] = {}
    if held:
        days = [d for d in held.values() if d is not None]
        when: Any = is_null("published_at")
        if days:
            first, last = min(days) - timedelta(days=1), max(days) + timedelta(days=1)
            when = either(published_days(first, last), when)
        table = corpus.read(
            ["article_id", *LINK_COLUMNS], row_filter=both(isin("article_id", sorted(held)), when)
        )
        stored = {str(d["article_id"]): d for d in table.to_pylist()}
    out = []
    for r in rows:
        links = stored.get(r.article_id)
        if links is not None:
            r = replace(r, **{c: links[c] for c in LINK_COLUMNS})
        out.append(stamp(r))
    return out
