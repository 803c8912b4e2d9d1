"""Article extraction (trafilatura plus metadata readers and a boilerplate filter)."""

from processing.extraction.boilerplate import clean_text, is_boilerplate, leaks
from processing.extraction.core import (
    Extraction,
    ExtractionError,
    decode_html,
    extract,
    extractor_version,
)
from processing.extraction.profile import ExtractionProfile

__all__ = [
    "Extraction",
    "ExtractionError",
    "ExtractionProfile",
    "clean_text",
    "decode_html",
    "extract",
    "extractor_version",
    "is_boilerplate",
    "leaks",
]
