"""The segment cache: hits on repeated sentences and re-runs, sharing between translators
through a store, shard layout and compaction.

The store here is an in-process stand-in implementing ObjectStore's methods (unit tests);
the SeaweedFS-backed variant belongs with the integration tests."""

from __future__ import annotations

import json

import pytest

from processing.core import layout
from processing.translation import TranslationInput, Translator, translation_model_key
from processing.translation.cache import COMPACT_AT, CachedTranslation, SegmentCache, entry_hash

ARTICLE = (
    "قال المرصد السوري لحقوق الإنسان إن عشرة مدنيين قتلوا في قصف على إدلب. "
    "دعت الأمم المتحدة إلى وقف فوري لإطلاق النار.\n"
    "دعت الأمم المتحدة إلى وقف فوري لإطلاق النار. أخبار عاجلة"
)


def _items(n: int = 2) -> list[TranslationInput]:
    return [TranslationInput(f"k{i}", "ar", "أخبار عاجلة", ARTICLE) for i in range(n)]


def test_repeated_sentences_and_second_call_hit_the_cache(make_settings):
    translator = Translator(make_settings())
    first = translator.translate(_items())
    stats = dict(translator.stats)
    # 2 articles x (1 title + 4 body segments), 3 distinct sentences.
    assert stats["segments"] == 10 and stats["cache_misses"] == 3 and stats["cache_hits"] == 7
    assert stats["generated_segments"] >= 3
    second = translator.translate(_items())
    assert translator.stats["cache_misses"] == 3  # unchanged
    assert translator.stats["cache_hits"] == 17
    assert translator.stats["generated_segments"] == stats["generated_segments"]
    assert second == first
    translator.close()


def test_two_translators_share_the_cache_through_a_store(make_settings, memory_store):
    settings = make_settings()
    one = Translator(settings, memory_store)
    [a] = one.translate(_items(1))
    one.close()
    assert a.status == "translated"
    prefix = layout.translation_cache_prefix(translation_model_key(a.model, a.model_version))
    keys = list(memory_store.list_keys(prefix))
    assert keys and all(k.startswith(prefix + "transformers-fp32-b1/") for k in keys)
    assert one.stats["cache_objects_written"] == len(keys) <= 3  # one object per shard
    # A second worker: nothing in memory, everything from the store, the model never runs.
    two = Translator(settings, memory_store)
    [b] = two.translate(_items(1))
    two.close()
    assert b == a
    assert two.stats["cache_misses"] == 0 and two.stats["cache_hits"] == 5
    assert two.stats["generated_segments"] == 0 and two.stats["cache_objects_read"] == len(keys)
    assert sorted(memory_store.list_keys(prefix)) == sorted(keys)  # nothing new written


def test_cache_is_per_decoding_variant(make_settings, memory_store):
    Translator(make_settings(), memory_store).translate(_items(1))
    other = Translator(make_settings(translation_beams=2), memory_store)
    other.translate(_items(1))
    assert other.stats["cache_hits"] == 2 and other.stats["cache_misses"] == 3  # own variant


def test_unreadable_store_does_not_stop_translation(make_settings, memory_store, monkeypatch):
    def broken(prefix):
        raise ConnectionError("S3 down (simulated)")

    monkeypatch.setattr(memory_store, "list_keys", broken)
    monkeypatch.setattr(memory_store, "put_json", lambda k, o: broken(k))
    translator = Translator(make_settings(), memory_store)
    [out] = translator.translate(_items(1))
    assert out.status == "translated"
    assert translator.stats["cache_errors"] == 2


def test_shards_objects_and_compaction(memory_store):
    stats: dict[str, int] = {}
    prefix = "state/translation-cache/m--v/transformers-fp32-b1/"
    writer = SegmentCache(memory_store, prefix, stats)
    h = entry_hash("sentence")
    for i in range(COMPACT_AT):  # many runs, each adding one entry to the same shard
        writer.add(h[:2] + f"{i:030x}", CachedTranslation(f"t{i}"))
        assert writer.flush() == 1
    writer.add(h, CachedTranslation("target", cut=True))
    writer.flush()
    shard_keys = list(memory_store.list_keys(f"{prefix}{h[:2]}/"))
    assert len(shard_keys) == COMPACT_AT + 1
    body = json.loads(memory_store.objects[shard_keys[0]])
    assert body["format"] == 1 and len(body["entries"]) == 1
    # A new reader loads the shard, compacts it into one object, and loses nothing.
    reader = SegmentCache(memory_store, prefix, stats)
    found = reader.lookup([h, entry_hash("other")])
    assert found == {h: CachedTranslation("target", cut=True)}
    [merged] = memory_store.list_keys(f"{prefix}{h[:2]}/")
    assert len(json.loads(memory_store.objects[merged])["entries"]) == COMPACT_AT + 1
    assert len(SegmentCache(memory_store, prefix).lookup([h])) == 1


def test_memory_only_cache_writes_nothing():
    cache = SegmentCache(None, "p/")
    cache.add("ab" * 16, CachedTranslation("x"))
    assert cache.flush() == 0 and cache.lookup(["ab" * 16])["ab" * 16].target == "x"


@pytest.mark.integration
def test_two_translators_share_the_cache_through_seaweedfs(make_settings, store):
    """The same sharing, through the real ObjectStore against the embedded SeaweedFS server."""
    settings = make_settings()
    one = Translator(settings, store)
    [a] = one.translate(_items(1))
    one.close()
    two = Translator(settings, store)
    [b] = two.translate(_items(1))
    two.close()
    assert a.status == "translated" and b == a
    assert two.stats["cache_misses"] == 0 and two.stats["generated_segments"] == 0
    prefix = layout.translation_cache_prefix(translation_model_key(a.model, a.model_version))
    assert len(list(store.list_keys(prefix))) == one.stats["cache_objects_written"] > 0
