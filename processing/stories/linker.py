"""Linking articles: near-duplicates within a language, stories across outlets and languages.

Definitions (functions of the set of articles, not of the order they arrive in):

- Two articles are **linked** when they are at most ``window_days`` apart (``published_at``,
  else ``fetched_at``) and either
  - ``text``: in the same language, their texts' word 3-shingle sets have an estimated Jaccard
    similarity of at least ``story_threshold``; or
  - ``translation``: at least one of them is translated, and the content words of their
    English texts (``text`` of an English article, ``text_en`` of a translated one) have an
    estimated Jaccard similarity of at least ``translation_threshold``. Such a link records the
    translated side's model.
- ``duplicate_of``: the earliest article (``published_at``, then ``article_id``) text-linked
  to this one with a similarity of at least ``duplicate_threshold`` (near-identical text),
  earlier than this one; None for an original. It is recomputed exactly whenever an article
  in reach arrives or changes.
- ``story_id``: articles joined by a chain of links are one story; its id is the
  ``article_id`` of its earliest article (``published_at``, then ``article_id``), so articles
  that arrive in order of publication never rename a story. An article that arrives late
  and is earlier than a story's first, or that links two stories, renames: every row of the
  later-begun story takes the other's id (:attr:`LinkResult.updates` for the rows in the
  index, :attr:`LinkResult.renames` for rows that may lie outside it). A story never
  splits: when an article's text or translation changes, its new links are added and its old
  ones kept in the story (the row's own duplicate and strongest link are recomputed).
- ``story_similarity`` / ``story_link`` / ``story_link_model``: the row's strongest link (a
  text link when it has any, else a translation link), how it was made, and through which
  translation model.

The index (:class:`StoryIndex`) holds, per process, the fingerprints of the articles in a span
of days, loaded from the table (:class:`StoredArticle`: the stored fingerprint and link
columns) and updated by each :meth:`StoryIndex.link` call. Linking rows published from day A
to day B needs the stored rows of [A - 2 x window, B + 2 x window] (:meth:`StoryIndex.span`):
the rows they link to, and those rows' own links.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from processing.core.config import Settings
from processing.core.errors import SpanNotLoaded as SpanNotLoaded  # re-exported
from processing.core.records import ArticleRow, parse_ts
from processing.stories.bands import BandIndex
from processing.stories.fingerprint import (
    METHOD,
    NUM_PERM,
    Fingerprint,
    FingerprintError,
    fingerprint_text,
)

logger = logging.getLogger(__name__)

TEXT_LINK = "text"
TRANSLATION_LINK = "translation"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class LinkSettings:
    """The linking tunables (environment: ``NEWSLOOM_STORY_*``, see :meth:`from_env`).

    The thresholds were chosen on the benchmark's tuning part (benchmarks/stories.py) and
    checked on its held-out part; docs/BENCHMARKS.md has the figures.
    """

    window_days: float = 7.0
    duplicate_threshold: float = 0.5  # Jaccard of word 3-shingles: near-identical text
    story_threshold: float = 0.25  # Jaccard of word 3-shingles: the same story, same language
    translation_threshold: float = 0.25  # Jaccard of English content words, through translation
    text_band_rows: int = 2  # LSH rows per band over the text signature (0: compare all)
    english_band_rows: int = 2  # LSH rows per band over the English signature (0: compare all)

    def __post_init__(self) -> None:
        for name in ("duplicate_threshold", "story_threshold", "translation_threshold"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ValueError(f"{name} must be in (0, 1], not {value}")
        if self.duplicate_threshold < self.story_threshold:
            raise ValueError("duplicate_threshold must not be below story_threshold")
        if self.window_days <= 0:
            raise ValueError(f"window_days must be positive, not {self.window_days}")
        for name in ("text_band_rows", "english_band_rows"):
            rows = getattr(self, name)
            if not 0 <= rows <= NUM_PERM // 2:
                raise ValueError(f"{name} must be in [0, {NUM_PERM // 2}], not {rows}")

    @property
    def window(self) -> timedelta:
        return timedelta(days=self.window_days)

    @classmethod
    def from_settings(cls, settings: Settings) -> LinkSettings:
        """The tunables of newsloom's settings (``NEWSLOOM_STORY_*``, checked there)."""
        return replace(
            cls(),
            window_days=settings.story_window_days,
            duplicate_threshold=settings.story_duplicate_threshold,
            story_threshold=settings.story_threshold,
            translation_threshold=settings.story_translation_threshold,
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> LinkSettings:
        """``NEWSLOOM_STORY_WINDOW_DAYS``, ``NEWSLOOM_STORY_DUPLICATE_THRESHOLD``,
        ``NEWSLOOM_STORY_THRESHOLD``, ``NEWSLOOM_STORY_TRANSLATION_THRESHOLD`` (unset: the
        defaults). Raises ValueError on a value that is not a number or out of range."""
        env = os.environ if environ is None else environ
        base = cls()
        names = {
            "window_days": "NEWSLOOM_STORY_WINDOW_DAYS",
            "duplicate_threshold": "NEWSLOOM_STORY_DUPLICATE_THRESHOLD",
            "story_threshold": "NEWSLOOM_STORY_THRESHOLD",
            "translation_threshold": "NEWSLOOM_STORY_TRANSLATION_THRESHOLD",
        }
        values: dict[str, float] = {}
        for attr, var in names.items():
            raw = (env.get(var) or "").strip()
            if raw:
                try:
                    values[attr] = float(raw)
                except ValueError:
                    raise ValueError(f"{var}={raw!r} is not a number") from None
        return replace(
            base,
            window_days=values.get("window_days", base.window_days),
            duplicate_threshold=values.get("duplicate_threshold", base.duplicate_threshold),
            story_threshold=values.get("story_threshold", base.story_threshold),
            translation_threshold=values.get("translation_threshold", base.translation_threshold),
        )


@dataclass(frozen=True)
class StoryLinks:
    """The link columns of one row (see :func:`columns` for their names in the table)."""

    story_id: str
    fingerprint: bytes | None = None
    duplicate_of: str | None = None
    duplicate_similarity: float | None = None
    story_similarity: float | None = None
    story_link: str | None = None  # text | translation
    story_link_model: str | None = None
    link_method: str = METHOD

    def columns(self) -> dict[str, bytes | str | float | None]:
        """The values by proposed column name."""
        return {
            "story_fingerprint": self.fingerprint,
            "duplicate_of": self.duplicate_of,
            "duplicate_similarity": self.duplicate_similarity,
            "story_id": self.story_id,
            "story_similarity": self.story_similarity,
            "story_link": self.story_link,
            "story_link_model": self.story_link_model,
            "link_method": self.link_method,
        }


LINK_COLUMNS: tuple[str, ...] = tuple(StoryLinks("").columns())


@dataclass(frozen=True)
class StoredArticle:
    """What the index needs of a row already in the table."""

    article_id: str
    language: str
    at: datetime  # published_at, else fetched_at, else ingested_at
    translated: bool
    translation_model: str | None
    fingerprint: Fingerprint | None
    links: StoryLinks

    @classmethod
    def from_columns(cls, row: Mapping[str, object]) -> StoredArticle:
        """From a table row (a dict with at least article_id, language, published_at,
        fetched_at or ingested_at, translation_status, translation_model and the link
        columns). A fingerprint of another version is dropped (logged): the row is then
        linked by others' fingerprints only, until it is fingerprinted again."""
        article_id = str(row["article_id"])
        raw = row.get("story_fingerprint")
        fp: Fingerprint | None = None
        if isinstance(raw, bytes | bytearray | memoryview) and len(raw):
            try:
                fp = Fingerprint.from_bytes(bytes(raw))
            except FingerprintError as exc:
                logger.warning("story index: %s: %s; not loaded", article_id, exc)
        links = StoryLinks(
            story_id=str(row.get("story_id") or article_id),
            fingerprint=fp.to_bytes() if fp is not None else None,
            duplicate_of=_str_or_none(row.get("duplicate_of")),
            duplicate_similarity=_float_or_none(row.get("duplicate_similarity")),
            story_similarity=_float_or_none(row.get("story_similarity")),
            story_link=_str_or_none(row.get("story_link")),
            story_link_model=_str_or_none(row.get("story_link_model")),
            link_method=str(row.get("link_method") or METHOD),
        )
        return cls(
            article_id=article_id,
            language=str(row.get("language") or "und"),
            at=_time_of(row),
            translated=row.get("translation_status") == "translated",
            translation_model=_str_or_none(row.get("translation_model")),
            fingerprint=fp,
            links=links,
        )


@dataclass(frozen=True)
class StoryRename:
    """Rows with ``story_id == old`` outside the index's span take ``new``: the story may
    reach rows published before ``before`` (when set) or after ``after`` (when set)."""

    old: str
    new: str
    before: datetime | None
    after: datetime | None


@dataclass
class LinkResult:
    """What one :meth:`StoryIndex.link` call decided."""

    rows: dict[str, StoryLinks] = field(default_factory=dict)  # the rows linked, by id
    updates: dict[str, StoryLinks] = field(default_factory=dict)  # stored rows that changed
    renames: list[StoryRename] = field(default_factory=list)


@dataclass
class _Edge:
    slot: int
    similarity: float
    kind: str  # TEXT_LINK | TRANSLATION_LINK
    model: str | None = None


class _Signatures:
    """One kind of signature for every slot, with an LSH index (or none: compare all)."""

    def __init__(self, band_rows: int) -> None:
        self.sigs: NDArray[np.uint16] = np.zeros((1024, NUM_PERM), dtype=np.uint16)
        self.present: NDArray[np.bool_] = np.zeros(1024, dtype=bool)
        self.bands = BandIndex(NUM_PERM // band_rows, band_rows) if band_rows else None
        self.deferred: list[int] = []

    def grow(self, capacity: int) -> None:
        if capacity > len(self.present):
            size = max(capacity, 2 * len(self.present))
            sigs = np.zeros((size, NUM_PERM), dtype=np.uint16)
            sigs[: len(self.sigs)] = self.sigs
            present = np.zeros(size, dtype=bool)
            present[: len(self.present)] = self.present
            self.sigs, self.present = sigs, present

    def put(self, slot: int, sig: NDArray[np.uint16] | None, *, defer: bool = False) -> None:
        """Store a slot's signature; ``defer``: index it at the next :meth:`flush`."""
        if sig is None:
            return
        self.sigs[slot] = sig
        self.present[slot] = True
        if self.bands is not None:
            if defer:
                self.deferred.append(slot)
            else:
                self.bands.add(slot, sig)

    def flush(self) -> None:
        if self.bands is not None and self.deferred:
            slots = np.asarray(self.deferred, dtype=np.int64)
            self.bands.add_many(slots, self.sigs[slots])
        self.deferred = []

    def drop(self, slot: int) -> None:
        if self.present[slot]:
            self.present[slot] = False
            if self.bands is not None:
                self.bands.remove(slot)

    def candidates(self, slot: int, used: int) -> NDArray[np.int64]:
        if self.bands is not None:
            found = self.bands.query(self.sigs[slot])
            found.discard(slot)
            return np.fromiter(found, dtype=np.int64, count=len(found))
        out = np.nonzero(self.present[:used])[0]
        return out[out != slot]

    def similarities(self, slot: int, others: NDArray[np.int64]) -> NDArray[np.float64]:
        return (self.sigs[others] == self.sigs[slot]).sum(axis=1) / NUM_PERM

    @property
    def nbytes(self) -> int:
        return int(self.sigs.nbytes + self.present.nbytes) + (
            self.bands.nbytes if self.bands is not None else 0
        )


class StoryIndex:
    """The recent articles' fingerprints and links, in memory, rebuilt from the table.

    Typical use by a publishing step (one index per process, kept between commits)::

        start, end = index.span(rows)
        for a, b in index.missing(start, end):
            index.load(read_stored(a, b), a, b)    # StoredArticle.from_columns per table row
        result = index.link(rows)                  # rows: the ArticleRows being committed
        # write result.rows' columns with the rows, result.updates' as row updates,
        # and apply result.renames to rows outside the loaded span
    """

    def __init__(self, settings: LinkSettings | None = None) -> None:
        self.settings = settings or LinkSettings()
        self._text = _Signatures(self.settings.text_band_rows)
        self._english = _Signatures(self.settings.english_band_rows)
        self._ids: list[str] = []
        self._lang: list[str] = []
        self._model: list[str | None] = []
        self._translated: list[bool] = []
        self._links: list[StoryLinks] = []
        self._at: NDArray[np.float64] = np.zeros(1024, dtype=np.float64)
        self._alive: NDArray[np.bool_] = np.zeros(1024, dtype=bool)
        self._slot: dict[str, int] = {}
        self._members: dict[str, set[int]] = {}
        self._covered: list[tuple[datetime, datetime]] = []

    # ---- size and coverage -------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._slot)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._slot

    @property
    def nbytes(self) -> int:
        """Bytes held by the signature arrays and LSH keys (Python objects not counted)."""
        return self._text.nbytes + self._english.nbytes + int(self._at.nbytes + self._alive.nbytes)

    def time_of(self, article_id: str) -> datetime | None:
        """The row's time (``published_at``, else ``fetched_at``) as the index has it."""
        slot = self._slot.get(article_id)
        return None if slot is None else datetime.fromtimestamp(float(self._at[slot]), UTC)

    def links_of(self, article_id: str) -> StoryLinks | None:
        slot = self._slot.get(article_id)
        return None if slot is None else self._links[slot]

    def span(self, rows: Sequence[ArticleRow]) -> tuple[datetime, datetime] | None:
        """The days of stored rows that linking ``rows`` needs; None for no rows."""
        if not rows:
            return None
        times = [_time_of_row(r) for r in rows]
        reach = 2 * self.settings.window
        return min(times) - reach, max(times) + reach

    def missing(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """The parts of [start, end] whose stored rows are not loaded."""
        gaps: list[tuple[datetime, datetime]] = []
        cursor = start
        for a, b in self._covered:
            if b < cursor:
                continue
            if a > end:
                break
            if a > cursor:
                gaps.append((cursor, a))
            cursor = max(cursor, b)
        if cursor < end:
            gaps.append((cursor, end))
        return gaps

    def load(
        self, stored: Iterable[StoredArticle], start: datetime | None, end: datetime | None
    ) -> int:
        """Add (or refresh) stored rows and mark [start, end] as loaded (None: mark nothing,
        see :meth:`refresh`); returns how many. Loading a row again replaces what the index
        had of it (another process committed)."""
        count = 0
        for article in stored:
            if (slot := self._slot.get(article.article_id)) is not None:
                self._retire(slot)
            self._insert(
                article.article_id,
                article.language,
                article.at,
                article.translated,
                article.translation_model,
                article.fingerprint,
                article.links,
                defer=True,
            )
            count += 1
        self._text.flush()
        self._english.flush()
        if start is not None and end is not None:
            self._cover(start, end)
            logger.info(
                "story index: loaded %s stored rows of %s..%s (%s in the index)",
                count,
                start.date(),
                end.date(),
                len(self),
            )
        return count

    def refresh(self, stored: Iterable[StoredArticle]) -> int:
        """Replace what the index has of these rows by their stored version (another writer
        linked them); rows outside the loaded days are left out. Returns how many."""
        inside = [a for a in stored if a.article_id in self._slot or self._covers(a.at)]
        return self.load(inside, None, None)

    def forget(self, ids: Iterable[str]) -> int:
        """Drop rows from the index without touching any other row's links: rows about to be
        linked again whose stored links may be out of date (:meth:`link` then takes the
        story they carry in their ``story_id``). Returns how many were there."""
        count = 0
        for article_id in ids:
            if (slot := self._slot.get(article_id)) is not None:
                self._retire(slot)
                count += 1
        return count

    def remove(self, ids: Iterable[str]) -> dict[str, StoryLinks]:
        """Articles gone from the table (a takedown): drop them and recompute the rows of
        their stories (a row that named one of them ``duplicate_of`` names the next earliest
        copy, or none). Returns the rows whose links changed. Their stories keep their ids."""
        touched: set[int] = set()
        gone: set[int] = set()
        for article_id in ids:
            if (slot := self._slot.get(article_id)) is None:
                continue
            touched.update(self._members.get(self._links[slot].story_id, ()))
            gone.add(slot)
            self._retire(slot)
        changed: dict[str, StoryLinks] = {}
        for slot in sorted(touched - gone):
            if self._alive[slot]:
                was = self._links[slot]
                self._links[slot] = self._compute(slot)
                if self._links[slot] != was:
                    changed[self._ids[slot]] = self._links[slot]
        return changed

    def _covers(self, at: datetime) -> bool:
        return any(a <= at <= b for a, b in self._covered)

    @property
    def covered(self) -> list[tuple[datetime, datetime]]:
        """The spans of days whose stored rows are loaded."""
        return list(self._covered)

    def evict(self, before: datetime) -> int:
        """Forget the rows older than ``before`` (and that span); returns how many."""
        cut = before.timestamp()
        gone = [s for s in self._slot.values() if self._at[s] < cut]
        for slot in gone:
            self._retire(slot)
        self._covered = [(max(a, before), b) for a, b in self._covered if b > before]
        if len(self._ids) > 2 * max(1024, len(self._slot)):
            self._compact()
        return len(gone)

    def _compact(self) -> None:
        """Rebuild the arrays from the live rows (slots of retired rows are never reused)."""
        live = sorted(self._slot.values())
        entries = [
            (
                self._ids[s],
                self._lang[s],
                datetime.fromtimestamp(float(self._at[s]), UTC),
                self._translated[s],
                self._model[s],
                self._links[s],
            )
            for s in live
        ]
        covered = self._covered
        self.__init__(self.settings)  # type: ignore[misc]
        for article_id, lang, at, translated, model, links in entries:
            fp = Fingerprint.from_bytes(links.fingerprint) if links.fingerprint else None
            self._insert(article_id, lang, at, translated, model, fp, links, defer=True)
        self._text.flush()
        self._english.flush()
        self._covered = covered

    # ---- linking -----------------------------------------------------------------------------
    def link(self, rows: Sequence[ArticleRow], *, strict: bool = True) -> LinkResult:
        """Fingerprint and link ``rows`` (new articles, or new versions of stored ones);
        returns their link columns, the changes to stored rows, and story renames.

        ``strict``: raise :class:`SpanNotLoaded` when the stored rows of :meth:`span` are not
        all loaded (False: link against what is loaded)."""
        result = LinkResult()
        span = self.span(rows)
        if span is None:
            return result
        if strict and (gaps := self.missing(*span)):
            raise SpanNotLoaded(gaps)
        snap: dict[int, StoryLinks] = {}  # stored rows that may change: their links before
        fresh: list[int] = []
        touched: set[int] = set()  # stored rows whose own links must be recomputed
        renamed: dict[str, str] = {}
        for row in sorted(rows, key=lambda r: (_time_of_row(r), r.article_id)):
            fp = row_fingerprint(row)
            old_story: str | None = None
            if (old := self._slot.get(row.article_id)) is not None:
                if (
                    self._links[old].fingerprint == (None if fp.empty else fp.to_bytes())
                    and self._model[old] == _model_of(row)
                    and self._lang[old] == row.language
                ):
                    result.rows[row.article_id] = self._links[old]  # nothing changed
                    continue
                old_story = self._links[old].story_id
                # the rows it linked to, and those that named it their original, look again
                touched.update(edge.slot for edge in self._edges(old))
                touched.update(
                    s
                    for s in self._members.get(old_story, ())
                    if self._links[s].duplicate_of == row.article_id
                )
                self._retire(old, keep_story=True)
            elif row.story_id:
                # a stored row the index does not hold (forgotten: its stored links may be out
                # of date): it keeps its story, whose rows all look again (every row it linked
                # to, or that named it, is in that story)
                old_story = row.story_id
                touched.update(self._members.get(old_story, ()))
            slot = self._insert(
                row.article_id,
                row.language,
                _time_of_row(row),
                row.translation_status == "translated",
                _model_of(row),
                None if fp.empty else fp,
                StoryLinks(story_id=old_story or row.article_id),
            )
            fresh.append(slot)
            edges = self._edges(slot)
            touched.update(e.slot for e in edges)
            # the stories this row joins take the id of the earliest among them
            own = self._links[slot].story_id
            stories = {self._links[e.slot].story_id for e in edges} | {own}
            target = min(stories, key=self._root_key)
            for story in sorted(stories - {target}):
                self._rename(story, target, snap)
                if story != row.article_id or old_story is not None:
                    renamed[story] = target  # a stored story: rows outside may carry it
        touched.difference_update(fresh)
        for slot in touched:
            if self._alive[slot]:
                snap.setdefault(slot, self._links[slot])
        for slot in fresh:
            self._links[slot] = self._compute(slot)
            result.rows[self._ids[slot]] = self._links[slot]
            snap.pop(slot, None)
        for slot in touched:
            if self._alive[slot]:
                self._links[slot] = self._compute(slot)
        for slot, was in snap.items():
            if self._alive[slot] and self._links[slot] != was:
                result.updates[self._ids[slot]] = self._links[slot]
        result.renames = self._renames_outside(renamed)
        logger.info(
            "story index: linked %s rows (%s duplicates, %s linked to a story); "
            "%s stored rows updated, %s stories joined",
            len(result.rows),
            sum(1 for links in result.rows.values() if links.duplicate_of),
            sum(1 for links in result.rows.values() if links.story_link),
            len(result.updates),
            len(renamed),
        )
        return result

    # ---- internals ---------------------------------------------------------------------------
    def _insert(
        self,
        article_id: str,
        language: str,
        at: datetime,
        translated: bool,
        model: str | None,
        fp: Fingerprint | None,
        links: StoryLinks,
        *,
        defer: bool = False,
    ) -> int:
        slot = len(self._ids)
        if slot >= len(self._alive):
            size = 2 * len(self._alive)
            self._at = np.concatenate([self._at, np.zeros(size - len(self._at))])
            self._alive = np.concatenate([self._alive, np.zeros(size - len(self._alive), bool)])
        self._text.grow(slot + 1)
        self._english.grow(slot + 1)
        self._ids.append(article_id)
        self._lang.append(language)
        self._model.append(model if translated else None)
        self._translated.append(translated)
        self._at[slot] = at.timestamp()
        self._alive[slot] = True
        if fp is not None:
            self._text.put(slot, fp.text, defer=defer)
            self._english.put(slot, fp.english, defer=defer)
            links = replace(links, fingerprint=fp.to_bytes())
        else:
            links = replace(links, fingerprint=None)
        self._links.append(links)
        self._slot[article_id] = slot
        self._members.setdefault(links.story_id, set()).add(slot)
        return slot

    def _retire(self, slot: int, *, keep_story: bool = False) -> None:
        self._alive[slot] = False
        self._text.drop(slot)
        self._english.drop(slot)
        story = self._links[slot].story_id
        members = self._members.get(story)
        if members is not None:
            members.discard(slot)
            if not members and not keep_story:
                del self._members[story]
        if self._slot.get(self._ids[slot]) == slot:
            del self._slot[self._ids[slot]]

    def _rename(self, old: str, new: str, snap: dict[int, StoryLinks]) -> None:
        if old == new:
            return
        moved = self._members.pop(old, set())
        for slot in moved:
            snap.setdefault(slot, self._links[slot])
            self._links[slot] = replace(self._links[slot], story_id=new)
        self._members.setdefault(new, set()).update(moved)

    def _edges(self, slot: int) -> list[_Edge]:
        s = self.settings
        used = len(self._ids)
        reach = s.window.total_seconds()
        edges: list[_Edge] = []
        if self._text.present[slot]:
            cands = self._text.candidates(slot, used)
            if len(cands):
                lang = self._lang[slot]
                keep = self._alive[cands] & (np.abs(self._at[cands] - self._at[slot]) <= reach)
                cands = cands[keep]
                same = [self._lang[c] == lang for c in cands.tolist()]
                cands = cands[np.asarray(same, dtype=bool)]
                if len(cands):
                    sims = self._text.similarities(slot, cands)
                    for c, sim in zip(cands.tolist(), sims.tolist(), strict=True):
                        if sim >= s.story_threshold:
                            edges.append(_Edge(c, sim, TEXT_LINK))
        if self._english.present[slot]:
            cands = self._english.candidates(slot, used)
            if len(cands):
                keep = self._alive[cands] & (np.abs(self._at[cands] - self._at[slot]) <= reach)
                cands = cands[keep]
                if not self._translated[slot]:
                    either = [self._translated[c] for c in cands.tolist()]
                    cands = cands[np.asarray(either, dtype=bool)]
                if len(cands):
                    sims = self._english.similarities(slot, cands)
                    for c, sim in zip(cands.tolist(), sims.tolist(), strict=True):
                        if sim >= s.translation_threshold:
                            model = self._model[slot] if self._translated[slot] else self._model[c]
                            edges.append(_Edge(c, sim, TRANSLATION_LINK, model))
        return edges

    def _key(self, slot: int) -> tuple[float, str]:
        return float(self._at[slot]), self._ids[slot]

    def _root_key(self, story: str) -> tuple[float, str]:
        """When a story began: its id names its earliest article; one the index does not
        hold lies before the loaded days (a story's rows are all later than its first)."""
        slot = self._slot.get(story)
        return self._key(slot) if slot is not None else (float("-inf"), story)

    def _compute(self, slot: int) -> StoryLinks:
        """The row's duplicate and strongest link from its current edges (its story is kept)."""
        edges = self._edges(slot)
        links = self._links[slot]
        own = self._key(slot)
        dup: _Edge | None = None
        for e in edges:
            if (
                e.kind == TEXT_LINK
                and e.similarity >= self.settings.duplicate_threshold
                and self._key(e.slot) < own
                and (dup is None or self._key(e.slot) < self._key(dup.slot))
            ):
                dup = e
        text = [e for e in edges if e.kind == TEXT_LINK]
        best = max(text or edges, key=lambda e: (e.similarity, self._ids[e.slot]), default=None)
        return replace(
            links,
            duplicate_of=self._ids[dup.slot] if dup else None,
            duplicate_similarity=round(dup.similarity, 4) if dup else None,
            story_similarity=round(best.similarity, 4) if best else None,
            story_link=best.kind if best else None,
            story_link_model=best.model if best else None,
        )

    def _cover(self, start: datetime, end: datetime) -> None:
        spans = sorted([*self._covered, (start, end)])
        merged: list[tuple[datetime, datetime]] = []
        for a, b in spans:
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        self._covered = merged

    def _renames_outside(self, renamed: dict[str, str]) -> list[StoryRename]:
        """Renames whose old story may have rows outside the loaded span: a story reaches
        past the span only through a member within one window of its edge."""
        out = []
        reach = self.settings.window.total_seconds()
        for old, new in sorted(renamed.items()):
            final = new
            while final in renamed:  # a chain of joins in one call
                final = renamed[final]
            times = [float(self._at[s]) for s in self._members.get(final, ())]
            # a story's rows all follow its first: rows of ``old`` before the span exist only
            # when its first article is not in the index (it lies before the loaded days)
            reaches_back = old not in self._slot
            before = after = None
            for a, b in self._covered:
                if reaches_back and any(a.timestamp() <= t <= a.timestamp() + reach for t in times):
                    before = a if before is None else min(before, a)
                if any(b.timestamp() - reach <= t <= b.timestamp() for t in times):
                    after = b if after is None else max(after, b)
            if before is not None or after is not None:
                out.append(StoryRename(old, final, before, after))
        return out


def english_of(row: ArticleRow) -> str | None:
    """The row's English body: its text when English, its translation when translated."""
    if row.translation_status == "source_english" or (
        row.language == "en" and row.translation_status != "translated"
    ):
        return row.text
    if row.translation_status == "translated":
        return row.text_en
    return None


def fingerprint_row(row: ArticleRow) -> Fingerprint:
    """The fingerprint of a row's text and English text."""
    return fingerprint_text(row.text or "", english_of(row))


def row_fingerprint(row: ArticleRow) -> Fingerprint:
    """The row's fingerprint: the stored one (``story_fingerprint``) when ``link_method`` says
    this version made it, else computed from its text (:func:`fingerprint_row`)."""
    if row.link_method == METHOD:
        if not row.story_fingerprint:
            return Fingerprint()  # fingerprinted: too short to compare
        try:
            return Fingerprint.from_bytes(bytes(row.story_fingerprint))
        except FingerprintError as exc:
            logger.warning("story index: %s: %s; fingerprinting it again", row.article_id, exc)
    return fingerprint_row(row)


def stamp(row: ArticleRow) -> ArticleRow:
    """The row with its fingerprint columns (``story_fingerprint``, ``link_method``) computed
    from its text and English text: what publishing does before a commit."""
    fp = fingerprint_row(row)
    return replace(row, story_fingerprint=None if fp.empty else fp.to_bytes(), link_method=METHOD)


def with_links(row: ArticleRow, links: StoryLinks) -> ArticleRow:
    """The row with ``links`` in its link columns."""
    return replace(row, **links.columns())  # type: ignore[arg-type]


def _model_of(row: ArticleRow) -> str | None:
    return row.translation_model if row.translation_status == "translated" else None


def _time_of_row(row: ArticleRow) -> datetime:
    for value in (row.published_at, row.fetched_at, row.ingested_at):
        if value is not None and value > _EPOCH:
            return value.astimezone(UTC)
    return _EPOCH


def _time_of(row: Mapping[str, object]) -> datetime:
    for name in ("published_at", "fetched_at", "ingested_at"):
        value = row.get(name)
        if isinstance(value, str | datetime):
            ts = parse_ts(value)
            if ts is not None and ts > _EPOCH:
                return ts
    return _EPOCH


def _str_or_none(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def _float_or_none(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None
