"""Reading the corpus with DuckDB straight from S3 (embedded SeaweedFS or AWS), offline.

``duckdb_connect()`` returns a connection with DuckDB's httpfs, avro and iceberg extensions
loaded from their pip wheels (``duckdb-extension-*``, so no ``INSTALL`` and no network is
needed), an S3 secret for the configured store and the session time zone set to UTC.
``articles(con)`` is the SQL table expression of the current snapshot::

    con = duckdb_connect()
    con.sql(f"SELECT outlet, count(*) FROM {articles(con)} GROUP BY ALL").show()

``python -m processing.corpus.query install-extensions`` copies the three extensions from the
wheels into DuckDB's own extension directory, so any DuckDB client on the machine (the CLI
included) can ``LOAD httpfs; LOAD avro; LOAD iceberg;`` without the network.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from processing.core.config import EMBEDDED_ACCESS_KEY, EMBEDDED_SECRET_KEY, Settings

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

logger = logging.getLogger(__name__)

EXTENSIONS = ("httpfs", "avro", "iceberg")


def load_extension(con: DuckDBPyConnection, name: str) -> None:
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


def extension_files() -> dict[str, Path]:
    """The extensions' files in their ``duckdb-extension-*`` wheels, by name."""
    import importlib

    import duckdb

    out = {}
    for name in EXTENSIONS:
        pkg = importlib.import_module(f"duckdb_extension_{name}")
        base = Path(str(pkg.__file__)).parent / "extensions"
        found = sorted(base.glob(f"v{duckdb.__version__}/**/{name}.duckdb_extension"))
        if found:
            out[name] = found[0]
    return out


def install_extensions(directory: Path | None = None) -> list[Path]:
    """Copy the wheels' extensions where DuckDB looks for installed ones
    (``<directory or ~/.duckdb/extensions>/v<version>/<platform>/``); returns the copies."""
    import shutil

    import duckdb

    con = duckdb.connect()
    platform = con.sql("PRAGMA platform").fetchone()[0]  # type: ignore[index]
    root = directory or Path.home() / ".duckdb" / "extensions"
    target = root / f"v{duckdb.__version__}" / str(platform)
    target.mkdir(parents=True, exist_ok=True)
    copies = []
    for path in extension_files().values():
        dest = target / path.name
        shutil.copyfile(path, dest)
        copies.append(dest)
    return copies


def duckdb_connect(settings: Settings | None = None) -> DuckDBPyConnection:
    """A DuckDB connection that reads the corpus from S3 (extensions loaded, secret set, the
    session time zone UTC so ``published_at::DATE`` is the UTC day)."""
    import duckdb

    settings = settings or Settings.from_env()
    con = duckdb.connect()
    con.sql("SET TimeZone = 'UTC'")
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


def articles(con: DuckDBPyConnection | None = None, settings: Settings | None = None) -> str:
    """``iceberg_scan('<metadata of the current snapshot>')`` for the ``articles`` table
    (``con``, the connection it goes into, is not needed to name it)."""
    from processing.corpus import open_corpus

    location = open_corpus(settings=settings).articles.metadata_location
    return f"iceberg_scan('{location}')"


def table_root(settings: Settings | None = None, name: str = "articles") -> str:
    """``s3://<bucket>/warehouse/<namespace>/<name>``: what ``iceberg_scan`` reads through the
    table's ``metadata/version-hint.text`` (no catalog, no version guessing)."""
    settings = settings or Settings.from_env()
    return f"{settings.warehouse.rstrip('/')}/{settings.catalog_namespace}/{name}"


def main(argv: list[str] | None = None) -> int:
    import sys

    args = argv if argv is not None else sys.argv[1:]
    if args[:1] != ["install-extensions"]:
        print("usage: python -m processing.corpus.query install-extensions [DIR]", file=sys.stderr)
        return 2
    for path in install_extensions(Path(args[1]) if len(args) > 1 else None):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
