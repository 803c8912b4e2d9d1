"""``newsloom extract``: the pipeline's extraction on saved pages.

With ``--outlet ID`` the outlet's extraction profile (selectors, time zone) is applied exactly
as the pipeline applies it (``processing.pipeline.outlets.extraction_profile``), so a stored
raw record re-extracts to its corpus row; ``--fetched-at`` gives the fetch time against which
publication dates are checked (default: now) and ``--content-type`` the HTTP header the page
was served with.
"""

from __future__ import annotations

import argparse
import gzip
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from processing.cli.common import out
from processing.core.config import Settings

if TYPE_CHECKING:
    from processing.cli.common import Subcommands


def _instant(text: str) -> datetime:
    """argparse type: an ISO 8601 time (UTC when it has no offset)."""
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO time: {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def register(sub: Subcommands) -> None:
    s = sub.add_parser("extract", help="extract articles from saved HTML files (plain or .gz)")
    s.add_argument("--url", help="the page's URL (default: the file's file:// URI)")
    s.add_argument(
        "--outlet",
        metavar="ID",
        help="apply this registry outlet's extraction profile, as the pipeline does",
    )
    s.add_argument(
        "--fetched-at",
        type=_instant,
        default=None,
        help="when the page was fetched (ISO time): later publication dates are not believed",
    )
    s.add_argument("--content-type", default=None, help="the HTTP Content-Type it came with")
    s.add_argument("files", nargs="+")
    s.set_defaults(func=cmd_extract)


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    from processing.extraction import ExtractionError, extract, extractor_version
    from processing.language import detect_language

    profile = None
    if args.outlet:
        from crawlers.registry import get_outlet
        from processing.pipeline.outlets import extraction_profile

        profile = extraction_profile(get_outlet(args.outlet, settings.outlets_dirs))
    status = 0
    for path in args.files:
        p = Path(path)
        data = p.read_bytes()
        if p.suffix == ".gz":
            data = gzip.decompress(data)
        url = args.url or p.resolve().as_uri()
        try:
            ext = extract(
                data,
                url,
                profile=profile,
                content_type=args.content_type,
                reference_time=args.fetched_at,
            )
        except ExtractionError as exc:
            out({"path": str(p), "url": url, "error": exc.reason, "detail": exc.detail})
            status = 1
            continue
        lang = detect_language(f"{ext.title or ''}\n{ext.text}", ext.declared_language)
        out(
            {
                "path": str(p),
                "url": url,
                "outlet": args.outlet,
                "canonical_url": ext.canonical_url,
                "title": ext.title,
                "text": ext.text,
                # UTC, and the day as the page writes it (its own time zone)
                "published": ext.published_at,
                "published_local": ext.published_local_date,
                "published_source": ext.published_source,
                "modified": ext.modified_at,
                "authors": ext.authors,
                "sources": ext.sources,
                "seo_title": ext.seo_title,
                "layout": ext.layout,
                "section": ext.section,
                "tags": ext.tags,
                "accessible_for_free": ext.accessible_for_free,
                "language": lang.language,
                "language_confidence": lang.confidence,
                "other_languages": list(lang.others),
                "description": ext.description,
                "extractor_version": extractor_version(),
            }
        )
    return status
