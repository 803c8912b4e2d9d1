"""Translation to English with provenance: sentence segments, two backends, a shared cache.

    from processing.translation import Translator, TranslationInput
    translator = Translator(settings, store)          # nothing is loaded yet
    outcomes = translator.translate(inputs)           # all of a task's articles in one call
    translator.last_call                              # its figures (also logged at INFO)
    translator.close()

See docs/translation.md for backends, routing, the cache and the provenance fields.
"""

from processing.translation.backends import convert_model, translation_model_key
from processing.translation.records import (
    FAILED,
    PENDING,
    SOURCE_ENGLISH,
    TRANSLATED,
    Segment,
    TranslationInput,
    TranslationOutcome,
)
from processing.translation.translator import CallReport, Translator

__all__ = [
    "FAILED",
    "PENDING",
    "SOURCE_ENGLISH",
    "TRANSLATED",
    "CallReport",
    "Segment",
    "TranslationInput",
    "TranslationOutcome",
    "Translator",
    "convert_model",
    "translation_model_key",
]
