"""The Iceberg catalog holding the corpus tables, from settings.

Embedded default: pyiceberg's SQL catalog on SQLite in the state directory
(``<state>/catalog/<bucket>.db``), nothing to set up. Production: any pyiceberg catalog by
configuration — ``NEWSLOOM_CATALOG=sql`` with ``NEWSLOOM_CATALOG_URI`` a SQLAlchemy URL
(PostgreSQL: ``postgresql+psycopg2://user:pw@host/db``), ``NEWSLOOM_CATALOG=glue`` (AWS Glue,
the database is ``NEWSLOOM_CATALOG_NAMESPACE``) or ``NEWSLOOM_CATALOG=rest`` with
``NEWSLOOM_CATALOG_URI`` the REST service. Extra pyiceberg properties come from pyiceberg's
own ``PYICEBERG_CATALOG__NEWSLOOM__<KEY>`` environment variables. Table data and metadata live
under ``NEWSLOOM_CATALOG_WAREHOUSE`` (default ``s3://<bucket>/warehouse``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from processing.core.config import EMBEDDED_ACCESS_KEY, EMBEDDED_SECRET_KEY, Settings
from processing.core.errors import CatalogUnavailable

if TYPE_CHECKING:
    from pyiceberg.catalog import Catalog

logger = logging.getLogger(__name__)

CATALOG_NAME = "newsloom"


def s3_properties(settings: Settings, endpoint: str | None) -> dict[str, str]:
    """pyiceberg FileIO properties for the configured S3 store."""
    props: dict[str, str] = {"s3.region": settings.s3_region}
    if endpoint:
        props["s3.endpoint"] = endpoint
        props["s3.path-style-access"] = "true"
    if settings.embedded:
        props["s3.access-key-id"] = EMBEDDED_ACCESS_KEY
        props["s3.secret-access-key"] = EMBEDDED_SECRET_KEY
    return props


def catalog_properties(
    settings: Settings, endpoint: str | None, *, create: bool = True
) -> dict[str, str]:
    """pyiceberg properties of the configured catalog (``create``: a writer's, which may
    create the embedded SQLite file's folder)."""
    props = s3_properties(settings, endpoint)
    props["warehouse"] = settings.warehouse
    if settings.catalog == "sql":
        uri = settings.catalog_uri
        if not uri:
            path = settings.sqlite_catalog_path
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
            # timeout: how long a writer waits for SQLite's lock before "database is locked"
            uri = f"sqlite:///{path}?timeout=60"
        props.update(type="sql", uri=uri)
    elif settings.catalog == "glue":
        props.update(type="glue")
        props.setdefault("glue.region", settings.s3_region)
    elif settings.catalog == "rest":
        if not settings.catalog_uri:
            raise CatalogUnavailable("NEWSLOOM_CATALOG=rest needs NEWSLOOM_CATALOG_URI")
        props.update(type="rest", uri=settings.catalog_uri)
    else:
        raise CatalogUnavailable(
            f"NEWSLOOM_CATALOG={settings.catalog!r}: expected sql, glue or rest"
        )
    return props


def embedded_catalog(settings: Settings) -> bool:
    """The default: a SQLite catalog file in this machine's state directory."""
    return settings.catalog == "sql" and not settings.catalog_uri


def describe(settings: Settings) -> str:
    if settings.catalog == "sql" and not settings.catalog_uri:
        return f"SQLite catalog {settings.sqlite_catalog_path}"
    if settings.catalog == "sql":
        uri = settings.catalog_uri or ""
        return f"SQL catalog {uri.split('@')[-1]}"  # no password in messages
    return f"{settings.catalog} catalog {settings.catalog_uri or ''}".strip()


def load_catalog(settings: Settings, endpoint: str | None, *, create: bool = False) -> Catalog:
    """The configured catalog. ``create``: a writer's — the namespace is created when
    missing (and an embedded SQLite catalog file with it); a reader's creates nothing.

    A connection that fails for a reason that can pass (a database restarting, a busy SQLite
    file) is retried (``processing.corpus.retry``); a configuration error is not.
    """
    from pyiceberg.catalog import load_catalog as pyiceberg_load
    from pyiceberg.exceptions import NamespaceAlreadyExistsError

    from processing.corpus.retry import connection_retrying

    props = catalog_properties(settings, endpoint, create=create)
    try:
        for attempt in connection_retrying():
            with attempt:
                if props["type"] == "sql":
                    from processing.corpus.sqlcatalog import LeanSqlCatalog

                    # a reader never creates the catalog's own tables either
                    options = {k: v for k, v in props.items() if k != "type"}
                    if not create:
                        options["init_catalog_tables"] = "false"
                    catalog: Catalog = LeanSqlCatalog(CATALOG_NAME, **options)
                else:
                    catalog = pyiceberg_load(CATALOG_NAME, **props)
                if create:
                    try:
                        # look first: a writer's Glue role needs no CreateDatabase grant
                        if not catalog.namespace_exists(settings.catalog_namespace):
                            catalog.create_namespace(settings.catalog_namespace)
                    except NamespaceAlreadyExistsError:
                        pass  # created by a concurrent first user between check and create
                    except Exception:
                        # the SQL catalog can also report that race as the database's own
                        # unique-key error (two first writers inserting its properties)
                        if not catalog.namespace_exists(settings.catalog_namespace):
                            raise
    except Exception as exc:
        raise CatalogUnavailable(f"{describe(settings)}: {type(exc).__name__}: {exc}") from exc
    return catalog
