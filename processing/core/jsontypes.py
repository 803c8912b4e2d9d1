"""Names for JSON-shaped values, for the places whose shape is genuinely open (a stored JSON
document read back, an XCom payload another layer fills). Where the shape is known, a
``TypedDict`` or a dataclass names it instead.

``JSONValue`` is recursive; it is a ``TypeAliasType`` so that type checkers follow the
recursion and run-time introspection (``typing.get_type_hints``) sees the alias by name.
Parameters that only read take ``Mapping[str, object]`` or ``JSONObject``; a ``dict[str,
int]`` is not a ``dict[str, JSONValue]`` (dict is invariant), so what a function returns is
named here and what it accepts is usually wider.
"""

from __future__ import annotations

from typing_extensions import TypeAliasType

JSONScalar = str | int | float | bool | None
JSONValue = TypeAliasType(
    "JSONValue", "str | int | float | bool | list[JSONValue] | dict[str, JSONValue] | None"
)
JSONObject = TypeAliasType("JSONObject", "dict[str, JSONValue]")

__all__ = ["JSONObject", "JSONScalar", "JSONValue"]
