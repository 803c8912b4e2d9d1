"""A compact LSH index over b-bit MinHash signatures: banding, with sorted numpy arrays.

A signature is cut into ``bands`` bands of ``rows`` values; two signatures whose sets have
Jaccard similarity J share at least one band with probability 1 - (1 - J^rows)^bands (the
S-curve of :func:`candidate_probability`). Each band of each entry is one 32-bit key (the
band number and its values mixed; two unrelated bands share a key once in 4e9, and every
candidate is checked on the whole signature), kept in one sorted array beside the entry's
32-bit slot: 8 bytes per band per entry, where a dict of per-band buckets (datasketch's
in-memory ``MinHashLSH``) spends about 8 KiB per entry (measured with 28 bands). A query is
one ``searchsorted`` for all bands. New entries wait in a small unsorted buffer that queries
scan and that is merged into the sorted arrays once it holds an eighth of them; removed slots
are skipped and dropped at the next merge.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

# numpy arrays with their shape spelled (numpy.typing.NDArray leaves it as Any): one signature
# or its band keys along one axis, many of them along two
OneAxis = tuple[int]
TwoAxes = tuple[int, int]
Signatures = np.ndarray[OneAxis | TwoAxes, np.dtype[np.uint16]]
BandKeys = np.ndarray[OneAxis | TwoAxes, np.dtype[np.uint32]]

_MIX = np.uint64(0x9E3779B97F4A7C15)
_MIX2 = np.uint64(0xBF58476D1CE4E5B9)
_MIN_BUFFER = 2048


def candidate_probability(similarity: float, bands: int, rows: int) -> float:
    """The chance that two sets of this Jaccard similarity share a band."""
    return float(1.0 - (1.0 - similarity**rows) ** bands)


def band_params(threshold: float, num_perm: int, recall: float = 0.95) -> tuple[int, int]:
    """(bands, rows): the most rows per band (the fewest chance candidates) that still make
    a pair of similarity ``threshold`` a candidate with probability ``recall``."""
    best = (num_perm, 1)
    for rows in range(1, num_perm // 2 + 1):
        bands = num_perm // rows
        if candidate_probability(threshold, bands, rows) < recall:
            break
        best = (bands, rows)
    return best


class BandIndex:
    """Slots (ints) by signature; :meth:`query` gives the slots sharing a band."""

    def __init__(self, bands: int, rows: int) -> None:
        self.bands = bands
        self.rows = rows
        self._keys: NDArray[np.uint32] = np.empty(0, dtype=np.uint32)
        self._slots: NDArray[np.int32] = np.empty(0, dtype=np.int32)
        self._buf_keys: NDArray[np.uint32] = np.empty((64, bands), dtype=np.uint32)
        self._buf_slots: NDArray[np.int32] = np.empty(64, dtype=np.int32)
        self._buffered = 0
        self._dead: set[int] = set()
        self._band_ids = (np.arange(bands, dtype=np.uint64) + np.uint64(1)) * _MIX

    def __len__(self) -> int:
        return len(self._keys) // max(1, self.bands) + self._buffered - len(self._dead)

    @property
    def nbytes(self) -> int:
        """Bytes held by the arrays (the sorted ones and the buffer)."""
        return int(
            self._keys.nbytes + self._slots.nbytes + self._buf_keys.nbytes + self._buf_slots.nbytes
        )

    def band_keys(self, signatures: Signatures) -> BandKeys:
        """The band keys of one signature (shape ``(bands,)``) or of many (``(n, bands)``)."""
        sigs = np.atleast_2d(signatures)[:, : self.bands * self.rows].astype(np.uint64)
        sigs = sigs.reshape(len(sigs), self.bands, self.rows)
        with np.errstate(over="ignore"):
            h = np.broadcast_to(self._band_ids, (len(sigs), self.bands)).copy()
            for r in range(self.rows):
                h ^= sigs[:, :, r]
                h *= _MIX2
                h ^= h >> np.uint64(29)
        keys = (h >> np.uint64(32)).astype(np.uint32)
        return keys[0] if signatures.ndim == 1 else keys

    def add(self, slot: int, signature: np.ndarray[OneAxis, np.dtype[np.uint16]]) -> None:
        if self._buffered == len(self._buf_slots):
            if self._buffered >= max(_MIN_BUFFER, len(self._keys) // (8 * self.bands)):
                self._merge()
            else:
                self._buf_keys = np.concatenate([self._buf_keys, np.empty_like(self._buf_keys)])
                self._buf_slots = np.concatenate([self._buf_slots, np.empty_like(self._buf_slots)])
        self._buf_keys[self._buffered] = self.band_keys(signature)
        self._buf_slots[self._buffered] = slot
        self._buffered += 1

    def add_many(
        self,
        slots: np.ndarray[OneAxis, np.dtype[np.int64]],
        signatures: np.ndarray[TwoAxes, np.dtype[np.uint16]],
    ) -> None:
        """Many entries at once (a rebuild): sorted in one go."""
        if len(slots) == 0:
            return
        self._merge(np.asarray(slots, dtype=np.int64), self.band_keys(signatures))

    def remove(self, slot: int) -> None:
        self._dead.add(slot)

    def query(self, signature: np.ndarray[OneAxis, np.dtype[np.uint16]]) -> set[int]:
        keys = self.band_keys(signature)
        found: set[int] = set()
        if len(self._keys):
            lo = np.searchsorted(self._keys, keys, side="left")
            hi = np.searchsorted(self._keys, keys, side="right")
            for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
                if b > a:
                    found.update(self._slots[a:b].tolist())
        if self._buffered:
            hits = (self._buf_keys[: self._buffered] == keys).any(axis=1)
            found.update(self._buf_slots[: self._buffered][hits].tolist())
        return found - self._dead if self._dead else found

    def _merge(
        self,
        slots: NDArray[np.int64] | None = None,
        keys: NDArray[np.uint32] | None = None,
    ) -> None:
        parts_k = [self._keys]
        parts_s = [self._slots]
        if self._buffered:
            parts_k.append(self._buf_keys[: self._buffered].reshape(-1))
            parts_s.append(np.repeat(self._buf_slots[: self._buffered], self.bands))
        if slots is not None and keys is not None:
            parts_k.append(keys.reshape(-1))
            parts_s.append(np.repeat(slots.astype(np.int32), self.bands))
        all_k = np.concatenate(parts_k)
        all_s = np.concatenate(parts_s)
        if self._dead:
            live = ~np.isin(all_s, np.fromiter(self._dead, dtype=np.int32))
            all_k, all_s = all_k[live], all_s[live]
            self._dead = set()
        order = np.argsort(all_k, kind="stable")
        self._keys, self._slots = all_k[order], all_s[order]
        self._buffered = 0
