"""The corpus schema in Arrow and Iceberg terms, derived from :class:`ArticleRow`.

``processing.core.records.ArticleRow`` is the one source: its fields, kinds and descriptions.
The Iceberg table is partitioned by ``identity(outlet)`` and ``month(published_at)`` and sorted
by ``published_at, article_id`` inside each file (``processing.corpus.setup``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pyarrow as pa

from processing.core.records import ARTICLE_FIELDS, COLUMNS, ArticleRow

if TYPE_CHECKING:
    from pyiceberg.partitioning import PartitionSpec
    from pyiceberg.schema import Schema
    from pyiceberg.table.sorting import SortOrder

SCHEMA_VERSION = "2.0"  # major 2: the Iceberg table (v1 was Hive-partitioned Parquet)
TABLE_NAME = "articles"
OUTLETS_TABLE_NAME = "outlets"

_TS = pa.timestamp("us", tz="UTC")
SEGMENT = pa.struct(
    [
        pa.field("paragraph", pa.int32(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("target", pa.string(), nullable=False),
    ]
)
_KINDS: dict[str, pa.DataType] = {
    "string": pa.string(),
    "int32": pa.int32(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "timestamp": _TS,
    "date": pa.date32(),
    "binary": pa.binary(),
    "list<string>": pa.list_(pa.field("element", pa.string(), nullable=False)),
    "segments": pa.list_(pa.field("element", SEGMENT, nullable=False)),
}


def arrow_type(kind: str) -> pa.DataType:
    return _KINDS[kind]


def _arrow_schema() -> pa.Schema:
    fields = []
    for f in ARTICLE_FIELDS:
        meta = {"doc": f.metadata["doc"]}
        fields.append(
            pa.field(
                f.name,
                arrow_type(f.metadata["kind"]),
                nullable=not f.metadata["required"],
                metadata=meta,
            )
        )
    return pa.schema(fields, metadata={"newsloom.schema_version": SCHEMA_VERSION})


ARTICLE_SCHEMA: pa.Schema = _arrow_schema()
REQUIRED_COLUMNS: tuple[str, ...] = tuple(f.name for f in ARTICLE_FIELDS if f.metadata["required"])


def to_arrow(rows: Iterable[ArticleRow]) -> pa.Table:
    """Rows to a table with exactly the corpus schema, sorted like the table's files."""
    ordered = sorted(
        rows,
        key=lambda r: (
            r.published_at is None,
            r.published_at.timestamp() if r.published_at else 0.0,
            r.article_id,
        ),
    )
    return pa.Table.from_pylist([r.to_dict() for r in ordered], schema=ARTICLE_SCHEMA)


def from_arrow(table: pa.Table) -> list[ArticleRow]:
    return [ArticleRow.from_dict(d) for d in conform(table).to_pylist()]


def conform(table: pa.Table) -> pa.Table:
    """Cast a table (an older layout, or a projection) to the corpus schema; missing columns
    become nulls (or their defaults for required ones)."""
    cols: list[pa.ChunkedArray | pa.Array] = []
    for f in ARTICLE_SCHEMA:
        if f.name in table.column_names:
            cols.append(table.column(f.name).cast(f.type))
        else:
            cols.append(pa.nulls(table.num_rows, f.type))
    return pa.Table.from_arrays(cols, schema=ARTICLE_SCHEMA.remove_metadata())


def iceberg_schema() -> Schema:
    """The Iceberg schema (field ids assigned in column order, docs kept)."""
    from pyiceberg.io.pyarrow import pyarrow_to_schema
    from pyiceberg.table.name_mapping import MappedField, NameMapping

    ids = iter(range(1, 10_000))

    def mapped(name: str, dtype: pa.DataType) -> MappedField:
        fid = next(ids)
        children: list[MappedField] = []
        if pa.types.is_list(dtype):
            children = [mapped("element", dtype.value_type)]
        elif pa.types.is_struct(dtype):
            children = [mapped(c.name, c.type) for c in dtype]
        return MappedField(field_id=fid, names=[name], fields=children)  # type: ignore[call-arg]

    mapping = NameMapping([mapped(f.name, f.type) for f in ARTICLE_SCHEMA])
    schema = pyarrow_to_schema(ARTICLE_SCHEMA, name_mapping=mapping)
    return schema


def partition_spec(schema: Schema) -> PartitionSpec:
    from pyiceberg.partitioning import PartitionField, PartitionSpec
    from pyiceberg.transforms import IdentityTransform, MonthTransform

    return PartitionSpec(
        PartitionField(
            source_id=schema.find_field("outlet").field_id,
            field_id=1000,
            transform=IdentityTransform(),
            name="outlet",
        ),
        PartitionField(
            source_id=schema.find_field("published_at").field_id,
            field_id=1001,
            transform=MonthTransform(),
            name="published_month",
        ),
    )


def sort_order(schema: Schema) -> SortOrder:
    from pyiceberg.table.sorting import SortField, SortOrder
    from pyiceberg.transforms import IdentityTransform

    return SortOrder(
        SortField(
            source_id=schema.find_field("published_at").field_id, transform=IdentityTransform()
        ),
        SortField(
            source_id=schema.find_field("article_id").field_id, transform=IdentityTransform()
        ),
    )


OUTLET_COLUMNS = (
    ("id", "string", True, "registry id (articles.outlet)"),
    ("name", "string", True, "the outlet's name"),
    ("site", "string", True, "its homepage"),
    ("domains", "list<string>", False, "hosts it publishes on"),
    ("country", "string", False, "ISO 3166-1 alpha-2 country of the publisher"),
    ("languages", "list<string>", False, "ISO 639-1 languages, the main one first"),
    ("kind", "string", False, "state_agency | public_broadcaster | ngo | private | …"),
    ("paywall", "bool", False, "whether part of its content is paywalled"),
    ("robots_status", "string", False, "access status of its latest run (ok, blocked_by_robots…)"),
    ("added", "date", False, "the day the outlet was added (its registry start date)"),
    ("enabled", "bool", False, "scheduled daily"),
    ("updated_at", "timestamp", False, "when this row was written"),
)


def outlets_arrow_schema() -> pa.Schema:
    return pa.schema(
        [
            pa.field(name, arrow_type(kind), nullable=not required, metadata={"doc": doc})
            for name, kind, required, doc in OUTLET_COLUMNS
        ]
    )


__all__ = [
    "ARTICLE_SCHEMA",
    "COLUMNS",
    "OUTLETS_TABLE_NAME",
    "REQUIRED_COLUMNS",
    "SCHEMA_VERSION",
    "TABLE_NAME",
    "conform",
    "from_arrow",
    "iceberg_schema",
    "outlets_arrow_schema",
    "partition_spec",
    "sort_order",
    "to_arrow",
]
