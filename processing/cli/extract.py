"""``newsloom extract``: the pipeline's extraction on saved pages."""

from __future__ import annotations

import argparse
import gzip
from pathlib import Path
from typing import Any

from processing.cli.common import out
from processing.core.config import Settings


def register(sub: Any) -> None:
    s = sub.add_parser("extract", help="extract articles from saved HTML files (plain or .gz)")
    s.add_argument("--url", help="the page's URL (default: the file's file:// URI)")
    s.add_argument("files", nargs="+")
    s.set_defaults(func=cmd_extract)


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    from processing.extraction import ExtractionError, extract
    from processing.language import detect_language

    status = 0
    for path in args.files:
        p = Path(path)
        data = p.read_bytes()
        if p.suffix == ".gz":
            data = gzip.decompress(data)
        url = args.url or p.resolve().as_uri()
        try:
            ext = extract(data, url)
        except ExtractionError as exc:
            out({"path": str(p), "url": url, "error": exc.reason, "detail": exc.detail})
            status = 1
            continue
        lang = detect_language(f"{ext.title or ''}\n{ext.text}", ext.declared_language)
        out(
            {
                "path": str(p),
                "url": url,
                "title": ext.title,
                "text": ext.text,
                "published": ext.published_at,
                "modified": ext.modified_at,
                "authors": ext.authors,
                "language": lang.language,
                "language_confidence": lang.confidence,
                "description": ext.description,
            }
        )
    return status
