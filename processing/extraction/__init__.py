"""Article extraction (trafilatura plus metadata readers and a boilerplate filter).

Public API: :func:`extract` and its result :class:`Extraction`, :class:`ExtractionError`,
:class:`ExtractionProfile` (an outlet's selectors and time zone), :func:`extractor_version`,
:func:`decode_html`, and the line filter (:func:`clean_text`, :func:`is_boilerplate`,
:func:`leaks`). This package imports nothing from ``crawlers`` or ``processing.pipeline``.
"""

from processing.extraction.boilerplate import clean_text, is_boilerplate, leaks
from processing.extraction.core import extract, extractor_version
from processing.extraction.decoding import decode_html
from processing.extraction.model import Extraction, ExtractionError
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
