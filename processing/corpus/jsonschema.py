"""JSON Schemas (draft 2020-12) of what the corpus hands out as JSON: an article row (one line
of ``newsloom corpus export``) and a change event (one line of ``newsloom corpus changes``).

Both are derived from the code — :class:`~processing.core.records.ArticleRow` and
:class:`~processing.corpus.changes.Change` — and published as ``docs/schemas/*.schema.json``
(``python -m processing.corpus.jsonschema docs/schemas`` writes them; a test checks the files
match and that real output validates).
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

from processing.core.jsontypes import JSONObject, JSONValue
from processing.core.records import ARTICLE_FIELDS
from processing.corpus.schema import SCHEMA_VERSION

BASE_URL = "https://newsloom.invalid/schemas"
_TYPES: dict[str, JSONObject] = {
    "string": {"type": "string"},
    "int32": {"type": "integer"},
    "float64": {"type": "number"},
    "bool": {"type": "boolean"},
    "timestamp": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"},
    "binary": {"type": "string", "contentEncoding": "base64"},
    "list<string>": {"type": "array", "items": {"type": "string"}},
    "segments": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "paragraph": {"type": "integer", "description": "-1: the title"},
                "source": {"type": "string"},
                "target": {"type": "string"},
            },
            "required": ["paragraph", "source", "target"],
            "additionalProperties": False,
        },
    },
}


def _nullable(schema: JSONObject) -> JSONObject:
    out = dict(schema)
    out["type"] = [schema["type"], "null"]
    return out


def article_schema() -> JSONObject:
    """An article as ``corpus export`` writes it (a projection with ``--columns`` holds a
    subset of the properties)."""
    props: JSONObject = {}
    required: list[JSONValue] = []
    for f in ARTICLE_FIELDS:
        base = _TYPES[f.metadata["kind"]]
        props[f.name] = (base if f.metadata["required"] else _nullable(base)) | {
            "description": f.metadata["doc"]
        }
        if f.metadata["required"]:
            required.append(f.name)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE_URL}/article.schema.json",
        "title": f"newsloom article (corpus schema {SCHEMA_VERSION})",
        "description": "One row of the articles table, as `newsloom corpus export` writes it "
        "(docs/corpus.md, 'Article fields'). Readers must accept properties they do not know: "
        "adding an optional column is a minor version.",
        "type": "object",
        "properties": props,
        "required": required,
    }


_CHANGE_DOCS = {
    "operation": "insert (a new article), update (a new version), delete (removed: a takedown)",
    "article_id": "the article",
    "outlet": "its outlet (registry id)",
    "day": "UTC publication day of the new version (of the removed one for delete)",
    "snapshot_id": "the table snapshot of the commit (one commit = one snapshot)",
    "committed_at": "when the commit was made (UTC)",
    "run_id": "the run that committed it (runs/<run_id>.json)",
    "kind": "the run's kind: daily, backfill, retranslate, reprocess, migrate, takedown",
    "content_hash": "content_hash of the new version (null for delete)",
    "previous_content_hash": "content_hash of the version it replaced (null for insert)",
    "content_changed": "whether title or text changed (the two hashes differ)",
    "changed_columns": "update: every column that differs from the previous version, "
    "bookkeeping (updated_at, run_id, fetched_at, raw_ref, http_status, ingested_at) aside",
    "previous_day": "update: the previous version's day when the publication day changed",
    "previous_outlet": "update: the previous version's outlet when it changed",
    "reason": "delete: why the article was removed",
}


def change_schema() -> JSONObject:
    from processing.corpus.changes import Change

    types: dict[str, JSONObject] = {
        "operation": {"type": "string", "enum": ["insert", "update", "delete"]},
        "snapshot_id": {"type": "integer"},
        "committed_at": {"type": "string", "format": "date-time"},
        "day": {"type": ["string", "null"], "format": "date"},
        "previous_day": {"type": ["string", "null"], "format": "date"},
        "content_changed": {"type": "boolean"},
        "changed_columns": {"type": "array", "items": {"type": "string"}},
    }
    props: JSONObject = {}
    required: list[JSONValue] = []
    for f in dataclasses.fields(Change):
        schema: JSONObject | None = types.get(f.name)
        if schema is None:
            optional = f.default is not dataclasses.MISSING or f.name == "run_id"
            schema = {"type": ["string", "null"] if optional else "string"}
        props[f.name] = schema | {"description": _CHANGE_DOCS[f.name]}
        required.append(f.name)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE_URL}/change.schema.json",
        "title": "newsloom change event",
        "description": "One event of the change feed, as `newsloom corpus changes` writes it "
        "(docs/corpus.md, 'The change feed').",
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": False,
    }


def schemas() -> dict[str, JSONObject]:
    return {"article.schema.json": article_schema(), "change.schema.json": change_schema()}


def render(schema: JSONObject) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    out = Path((argv or sys.argv[1:] or ["docs/schemas"])[0])
    out.mkdir(parents=True, exist_ok=True)
    for name, schema in schemas().items():
        (out / name).write_text(render(schema))
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
