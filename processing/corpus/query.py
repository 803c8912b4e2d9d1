"""Reading the corpus with DuckDB straight from S3 (embedded SeaweedFS or AWS), offline.

``duckdb_connect()`` returns a connection with DuckDB's httpfs, avro and iceberg extensions
loaded from their pip wheels (``duckdb-extension-*``, so no ``INSTALL`` and no network is
needed) and an S3 secret for the configured store. ``articles(con)`` is the SQL table
expression of the current snapshot::

    con = duckdb_connect()
    con.sql(f"SELECT outlet, count(*) FROM {articles(con)} GROUP BY ALL").show()
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from processing.core.config import EMBEDDED_ACCESS_KEY, EMBEDDED_SECRET_KEY, Settings

logger = logging.getLogger(__name__)

EXTENSIONS = ("httpfs", "avro", "iceberg")


def load_extension(con: Any, name: str) -> None:
    """``LOAD`` an extension from its ``duckdb-extension-<name>`` wheel; ``INSTALL`` (needs
    the network) only when the wheel is missing."""
    import importlib

    import duckdb

    try:
        pkg = importlib.import_module(f"duckdb_extension_{name}")
    except ImportError:
        logger.debug("duckdb-extension-%s not installed; using INSTALL %s", name, name)
        con.sql(f"INSTALL {name}")
        con.sql(f"LOAD {name}")
        return
    base = Path(str(pkg.__file__)).parent / "extensions"
    found = sorted(base.glob(f"v{duckdb.__version__}/**/{name}.duckdb_extension"))
    if not found:
        raise RuntimeError(f"duckdb-extension-{name} has no build for DuckDB {duckdb.__version__}")
    con.sql(f"LOAD '{found[0]}'")


def duckdb_connect(settings: Settings | None = None) -> Any:
    """A DuckDB connection that reads the corpus from S3 (extensions loaded, secret set)."""
    import duckdb

    settings = settings or Settings.from_env()
    con = duckdb.connect()
    for name in EXTENSIONS:
        load_extension(con, name)
    if settings.embedded:
        from processing.core.embedded_s3 import EmbeddedS3

        endpoint = EmbeddedS3(settings.state_dir, settings.embedded_s3_port).endpoint
        key, secret = EMBEDDED_ACCESS_KEY, EMBEDDED_SECRET_KEY
    else:
        endpoint = settings.s3_endpoint or ""
        key = os.environ.get("AWS_ACCESS_KEY_ID", "")
        secret = os.environ.get("AWS_SECRET_ACCESS_KEY", "")
    parts = urlsplit(endpoint) if endpoint else None
    options = [f"REGION '{settings.s3_region}'"]
    if key:
        options += [f"KEY_ID '{key}'", f"SECRET '{secret}'"]
        token = os.environ.get("AWS_SESSION_TOKEN")
        if token and not settings.embedded:
            options.append(f"SESSION_TOKEN '{token}'")
    if parts and parts.netloc and "amazonaws.com" not in parts.netloc:
        options += [
            f"ENDPOINT '{parts.netloc}'",
            "URL_STYLE 'path'",
            f"USE_SSL {'true' if parts.scheme == 'https' else 'false'}",
        ]
    con.sql(f"CREATE OR REPLACE SECRET newsloom (TYPE s3, {', '.join(options)})")
    return con


def articles(con: Any = None, settings: Settings | None = None) -> str:
    """``iceberg_scan('<metadata of the current snapshot>')`` for the ``articles`` table."""
    from processing.corpus import open_corpus

    location = open_corpus(settings=settings).articles.metadata_location
    return f"iceberg_scan('{location}')"
