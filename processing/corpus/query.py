"""Reading the corpus with DuckDB straight from S3 (embedded SeaweedFS or AWS).

``duckdb_connect()`` returns a connection with httpfs loaded (from the
``duckdb-extension-httpfs`` wheel when installed, so it works offline) and an S3 secret for
the configured store, so ``read_parquet('s3://<bucket>/articles/v1/*/*/*.parquet',
hive_partitioning = true)`` just works.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from processing.core.config import EMBEDDED_ACCESS_KEY, EMBEDDED_SECRET_KEY, Settings

logger = logging.getLogger(__name__)


def _load_httpfs(con: Any) -> None:
    import duckdb

    try:
        import duckdb_extension_httpfs as pkg  # the pip-installed extension binary

        base = Path(pkg.__file__).parent / "extensions"
        found = sorted(
            base.glob(f"v{duckdb.__version__}/**/httpfs.duckdb_extension"),
            key=lambda p: len(p.parts),
        )
        if found:
            con.sql(f"LOAD '{found[0]}'")
            return
    except ImportError:
        logger.debug("duckdb-extension-httpfs not installed; using INSTALL httpfs")
    con.sql("INSTALL httpfs")
    con.sql("LOAD httpfs")


def s3_glob(settings: Settings | None = None) -> str:
    settings = settings or Settings.from_env()
    return f"s3://{settings.s3_bucket}/articles/v1/*/*/*.parquet"


def duckdb_connect(settings: Settings | None = None) -> Any:
    """A DuckDB connection that can read the corpus with ``read_parquet('s3://…')``."""
    import duckdb

    settings = settings or Settings.from_env()
    con = duckdb.connect()
    _load_httpfs(con)
    if settings.embedded:
        from processing.core.embedded_s3 import EmbeddedS3

        endpoint = EmbeddedS3(settings.state_dir, settings.embedded_s3_port).endpoint
        key, secret = EMBEDDED_ACCESS_KEY, EMBEDDED_SECRET_KEY
    else:
        endpoint = settings.s3_endpoint or ""
        key = os.environ.get("AWS_ACCESS_KEY_ID", "")
        secret = os.environ.get("AWS_SECRET_ACCESS_KEY", "")
    parts = urlsplit(endpoint) if endpoint else None
    options = [f"KEY_ID '{key}'", f"SECRET '{secret}'", f"REGION '{settings.s3_region}'"]
    if parts and parts.netloc and "amazonaws.com" not in parts.netloc:
        options += [
            f"ENDPOINT '{parts.netloc}'",
            "URL_STYLE 'path'",
            f"USE_SSL {'true' if parts.scheme == 'https' else 'false'}",
        ]
    if not key:
        options = [o for o in options if not o.startswith(("KEY_ID", "SECRET"))]
        options.append("PROVIDER credential_chain")
    con.sql(f"CREATE OR REPLACE SECRET newsloom (TYPE s3, {', '.join(options)})")
    return con
