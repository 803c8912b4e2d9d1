"""Which model translates which source language.

Arabic uses ``NEWSLOOM_TRANSLATION_MODEL`` (default ``Helsinki-NLP/opus-mt-ar-en``). Other
languages are configured with ``NEWSLOOM_TRANSLATION_MODELS``, comma-separated
``language=model`` entries (hub ids or local directories), ``*`` for every other language::

    NEWSLOOM_TRANSLATION_MODELS="fa=Helsinki-NLP/opus-mt-fa-en,tr=Helsinki-NLP/opus-mt-tr-en,
                                 ru=Helsinki-NLP/opus-mt-ru-en,*=Helsinki-NLP/opus-mt-mul-en"

English passes through; an undetermined language (``und``) or one without a model fails with
the reason. Models must be Marian-style (opus-mt), which need no source-language tag; the
multilingual ``opus-mt-mul-en`` is the catch-all that fits.
"""

from __future__ import annotations

import logging
import re

from processing.core.config import Settings

logger = logging.getLogger(__name__)

ENGLISH = "en"
UNDETERMINED = frozenset({"", "und", "unknown", "zxx", "mis", "mul"})
ANY = "*"
MODEL_VAR = "NEWSLOOM_TRANSLATION_MODEL"
MODELS_VAR = "NEWSLOOM_TRANSLATION_MODELS"
_LANG = re.compile(r"^(?:[a-z]{2,3}|\*)$")


def normalize_language(code: str | None) -> str:
    """``"ar-SY"`` -> ``"ar"``, ``"zh_CN"`` -> ``"zh"``, None -> ``""``."""
    return re.split(r"[-_]", (code or "").strip().lower(), maxsplit=1)[0]


def parse_model_map(spec: str) -> dict[str, str]:
    """``"fa=model-a, ru=model-b"`` -> ``{"fa": "model-a", "ru": "model-b"}``; raises
    ValueError on a malformed entry."""
    routes: dict[str, str] = {}
    for entry in re.split(r"[,;\n]", spec):
        entry = entry.strip()
        if not entry:
            continue
        lang, sep, model = entry.partition("=")
        lang, model = normalize_language(lang) if lang.strip() != ANY else ANY, model.strip()
        if not sep or not model or not _LANG.match(lang):
            raise ValueError(
                f"{MODELS_VAR}: bad entry {entry!r}; expected language=model, "
                "e.g. fa=Helsinki-NLP/opus-mt-fa-en"
            )
        routes[lang] = model
    return routes


def model_routes(settings: Settings) -> dict[str, str]:
    """language -> model for this configuration."""
    routes = parse_model_map(settings.translation_models)
    if "ar" in routes and routes["ar"] != settings.translation_model:
        logger.warning(
            "%s names a model for ar; Arabic uses %s (%s)",
            MODELS_VAR,
            MODEL_VAR,
            settings.translation_model,
        )
    routes["ar"] = settings.translation_model
    return routes


def setting_for(model: str, routes: dict[str, str]) -> str:
    """The environment variable that configures ``model`` (for reasons shown to operators)."""
    return MODEL_VAR if routes.get("ar") == model else MODELS_VAR
