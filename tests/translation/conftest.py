"""Fixtures of the translation tests: settings around the tiny model, an Arabic article, and
an in-memory stand-in for ObjectStore (unit tests only: the SeaweedFS-backed cache test lives
with the integration tests)."""

from __future__ import annotations

import copy
import dataclasses
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from processing.core.config import Settings
from tests.conftest import SHARED_DATA

NTREX_AR = SHARED_DATA / "ntrex-ar-en" / "newstest2019-ref.arb.txt"


@pytest.fixture(scope="session")
def translation_state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One state directory for the session, so CTranslate2 conversions are made once."""
    return tmp_path_factory.mktemp("translation-state")


@pytest.fixture
def make_settings(tiny_model_dir: Path, translation_state: Path) -> Callable[..., Settings]:
    """Settings for the tiny model; keyword arguments override fields."""

    def make(**overrides: Any) -> Settings:
        base = Settings(
            state_dir=translation_state,
            s3_endpoint=None,
            s3_bucket="unused",
            s3_region="us-east-1",
            embedded_s3_port=0,
            translation_model=str(tiny_model_dir),
            translation_backend="transformers",
            translation_beams=1,
        )
        return dataclasses.replace(base, **overrides)

    return make


def _builtin_arabic() -> list[str]:
    from devkit.tiny_model import PARALLEL

    return [a for a, _ in PARALLEL if len(a.split()) > 3]


@pytest.fixture(scope="session")
def arabic_sentences() -> list[str]:
    """Real Arabic news sentences (NTREX-128 references) when present, else built-in ones."""
    if NTREX_AR.is_file():
        return [
            line.strip()
            for line in NTREX_AR.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
    return _builtin_arabic()


@pytest.fixture(scope="session")
def arabic_article(arabic_sentences: list[str]) -> str:
    """A 3,000-word Arabic article: paragraphs of four sentences, joined by newlines, with an
    empty paragraph in it (paragraph structure must survive translation)."""
    paragraphs: list[str] = []
    words, i, n = 0, 0, len(arabic_sentences)
    while words < 3000:
        # Built-in sentences repeat; vary them with a paragraph number so they stay distinct.
        para = " ".join(arabic_sentences[(i + k) % n] for k in range(4))
        if i >= n:
            para = f"{para} ({i})"
        paragraphs.append(para)
        words += len(para.split())
        i += 4
    paragraphs.insert(3, "")
    return "\n".join(paragraphs)


class MemoryStore:
    """An in-process stand-in for ``processing.core.s3.ObjectStore`` (the methods the translation
    cache uses, plus a few), storing bytes in a dict. For unit tests only."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.puts = 0
        self.gets = 0
        self._lock = threading.Lock()

    def put_bytes(
        self, key: str, data: bytes, content_type: str = "", metadata: dict[str, str] | None = None
    ) -> None:
        with self._lock:
            self.objects[key] = bytes(data)
            self.puts += 1

    def put_json(self, key: str, obj: Any) -> None:
        import json

        self.put_bytes(key, json.dumps(obj, ensure_ascii=False, sort_keys=True).encode())

    def get_bytes(self, key: str) -> bytes:
        with self._lock:
            self.gets += 1
            if key not in self.objects:
                raise KeyError(key)
            return self.objects[key]

    def get_json_or_none(self, key: str) -> Any | None:
        import json

        try:
            return json.loads(self.get_bytes(key))
        except KeyError:
            return None

    def exists(self, key: str) -> bool:
        return key in self.objects

    def list_keys(self, prefix: str) -> Iterator[str]:
        with self._lock:
            keys = sorted(k for k in self.objects if k.startswith(prefix))
        yield from keys

    def delete(self, key: str) -> None:
        with self._lock:
            self.objects.pop(key, None)

    def snapshot(self) -> dict[str, bytes]:
        return copy.deepcopy(self.objects)


@pytest.fixture
def memory_store() -> MemoryStore:
    return MemoryStore()
