"""An article's fingerprint: two MinHash signatures, small enough to live in a table column.

- ``text``: the source-language body as word 3-shingles (taken inside paragraphs, see
  :mod:`processing.stories.text`). Near-duplicates and same-language story links compare it.
- ``english``: the English body (``text`` of an English article, ``text_en`` of a translated
  one) as its set of content words (stopwords left out). Links across languages compare it:
  a translation rarely repeats a human's word order, but it names the same people, places and
  figures.

Each signature is ``NUM_PERM`` MinHash values (datasketch's ``affine32`` permutation scheme,
seed ``SEED``, CRC-32 of each feature's UTF-8 bytes as the input hash), of which the low 16 bits
are kept (b-bit MinHash: two unequal values agree by chance once in 65,536, a bias of 1.5e-5
on a similarity). The Jaccard similarity of two feature sets is estimated as the share of
positions where their signatures agree (standard error sqrt(J(1-J)/128): 0.044 at 0.5).

Stored form (:meth:`Fingerprint.to_bytes`, version 1, little-endian): a version byte, a flags
byte (1: text signature present, 2: English signature present), then per present signature a
uint32 feature count and ``NUM_PERM`` uint16 values: 522 bytes with both.
"""

from __future__ import annotations

import logging
import struct
import zlib
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

from processing.core.errors import FingerprintError as FingerprintError  # re-exported
from processing.stories.text import content_words, paragraph_tokens, shingles, word_count

logger = logging.getLogger(__name__)

VERSION = 1
NUM_PERM = 128
SEED = 20261120
SHINGLE = 3  # words per shingle of the text signature
MIN_WORDS = 20  # a text with fewer words gets no text signature (too short to compare)
MIN_CONTENT_WORDS = 12  # an English text with fewer content words gets no English signature
METHOD = f"minhash{NUM_PERM}-b16/w{SHINGLE}+en-words/v{VERSION}"

_FLAG_TEXT = 1
_FLAG_ENGLISH = 2
_HEADER = struct.Struct("<BB")
_COUNT = struct.Struct("<I")
_SIG_BYTES = NUM_PERM * 2

# NUM_PERM 16-bit values, one axis (numpy.typing.NDArray would leave the shape as Any)
Signature = np.ndarray[tuple[int], np.dtype[np.uint16]]

# the permutations, made once (datasketch derives them from the seed)
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32").permutations


def signature(features: set[str]) -> Signature | None:
    """The b-bit MinHash signature of a feature set; None for an empty set."""
    if not features:
        return None
    m = MinHash(
        num_perm=NUM_PERM,
        seed=SEED,
        hashfunc=zlib.crc32,
        permutations=_PERMUTATIONS,
        scheme="affine32",
    )
    m.update_batch([f.encode("utf-8") for f in features])
    return (m.hashvalues & 0xFFFF).astype(np.uint16)


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two sets behind two signatures."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


@dataclass(frozen=True, eq=False)
class Fingerprint:
    """The signatures of one article (either may be missing) and their feature counts."""

    text: Signature | None = None
    text_features: int = 0
    english: Signature | None = None
    english_features: int = 0

    @property
    def empty(self) -> bool:
        return self.text is None and self.english is None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Fingerprint):
            return NotImplemented
        return self.to_bytes() == other.to_bytes()

    def __hash__(self) -> int:
        return hash(self.to_bytes())

    def to_bytes(self) -> bytes:
        flags = (_FLAG_TEXT if self.text is not None else 0) | (
            _FLAG_ENGLISH if self.english is not None else 0
        )
        parts = [_HEADER.pack(VERSION, flags)]
        for sig, count in ((self.text, self.text_features), (self.english, self.english_features)):
            if sig is not None:
                parts.append(_COUNT.pack(count))
                parts.append(sig.astype("<u2").tobytes())
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> Fingerprint:
        """Raises FingerprintError on bytes of another version or a wrong length."""
        if len(data) < _HEADER.size:
            raise FingerprintError(f"fingerprint of {len(data)} bytes")
        version, flags = _HEADER.unpack_from(data)
        if version != VERSION:
            raise FingerprintError(f"fingerprint version {version}, this code reads {VERSION}")
        want = _HEADER.size + (bin(flags & 3).count("1")) * (_COUNT.size + _SIG_BYTES)
        if len(data) != want or flags & ~3:
            raise FingerprintError(f"fingerprint of {len(data)} bytes, flags {flags}")
        offset = _HEADER.size
        sigs: list[tuple[Signature | None, int]] = []
        for flag in (_FLAG_TEXT, _FLAG_ENGLISH):
            if flags & flag:
                (count,) = _COUNT.unpack_from(data, offset)
                offset += _COUNT.size
                sig = np.frombuffer(data, dtype="<u2", count=NUM_PERM, offset=offset)
                sigs.append((sig.astype(np.uint16), count))
                offset += _SIG_BYTES
            else:
                sigs.append((None, 0))
        (text, text_n), (english, english_n) = sigs
        return cls(text, text_n, english, english_n)


def fingerprint_text(text: str, english: str | None) -> Fingerprint:
    """The fingerprint of a body ``text`` and its English (``text`` itself for an English
    article, ``text_en`` for a translated one, None when there is none yet)."""
    paragraphs = paragraph_tokens(text)
    text_sig: Signature | None = None
    feats: set[str] = set()
    if word_count(paragraphs) >= MIN_WORDS:
        feats = shingles(paragraphs, SHINGLE)
        text_sig = signature(feats)
    en_sig: Signature | None = None
    words: set[str] = set()
    if english:
        words = content_words(paragraph_tokens(english))
        if len(words) >= MIN_CONTENT_WORDS:
            en_sig = signature(words)
    return Fingerprint(
        text_sig,
        len(feats) if text_sig is not None else 0,
        en_sig,
        len(words) if en_sig is not None else 0,
    )
