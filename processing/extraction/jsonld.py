"""JSON-LD: the page's structured data, parsed once and handed to every field reader."""

from __future__ import annotations

import html as html_lib
import json
import logging
import re

from lxml.html import HtmlElement

from processing.core.jsontypes import JSONObject, JSONValue
from processing.extraction import selectors as sel

logger = logging.getLogger(__name__)

_ARTICLE_TYPES = (
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "Article",
    "BlogPosting",
    "LiveBlogPosting",
    "OpinionNewsArticle",
    "WebPage",
)


# CDATA sections and HTML comments some templates wrap their JSON-LD in
_WRAPPER = re.compile(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)\s*$")


def json_ld_objects(tree: HtmlElement, url: str = "") -> list[JSONObject]:
    """Every JSON-LD object of the page, ``@graph`` members and list items flattened."""
    objects: list[JSONObject] = []
    for raw in sel.JSON_LD(tree):
        try:
            data = json.loads(_WRAPPER.sub("", raw).strip().rstrip(";"), strict=False)
        except (ValueError, TypeError) as exc:
            logger.debug("unreadable JSON-LD block in %s: %s", url, exc)
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            obj = stack.pop(0)
            if isinstance(obj, dict):
                if "@graph" in obj and isinstance(obj["@graph"], list):
                    stack.extend(obj["@graph"])
                objects.append(obj)
            elif isinstance(obj, list):
                stack.extend(obj)
    return objects


def types(obj: JSONObject) -> list[str]:
    t = obj.get("@type")
    return [x for x in (t if isinstance(t, list) else [t]) if isinstance(x, str)]


def article(objs: list[JSONObject]) -> JSONObject:
    """The object describing the article itself (NewsArticle first, WebPage last)."""
    for wanted in _ARTICLE_TYPES:
        for o in objs:
            if wanted in types(o):
                return o
    for o in objs:  # any other *Article / *Posting type
        if any(t.endswith(("Article", "Posting")) for t in types(o)):
            return o
    return {}


def ld_str(ld: JSONObject, key: str) -> str | None:
    """A string property (the first of a list), HTML entities decoded, or None."""
    v = ld.get(key)
    if isinstance(v, list) and v and isinstance(v[0], str):
        v = v[0]
    return html_lib.unescape(v).strip() if isinstance(v, str) and v.strip() else None


def names(value: JSONValue) -> list[str]:
    """Names from a string, a ``{"name": …}`` object or a list of either."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in names(v)]
    return []


def as_bool(value: JSONValue) -> bool | None:
    """schema.org Boolean: true/false, or the strings "True"/"False"/"true"/"false"
    (also the ``https://schema.org/False`` URL form); None for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().rsplit("/", 1)[-1].lower()
        if word in ("true", "yes", "1"):
            return True
        if word in ("false", "no", "0"):
            return False
    return None


def accessible_for_free(
    ld: JSONObject,
    objs: list[JSONObject],
    meta_values: list[str] | tuple[str, ...] = (),
) -> bool | None:
    """schema.org ``isAccessibleForFree`` of the article: on the article object, on any of
    its ``hasPart`` members (the paywalled section), on any other object of the page, or in
    ``itemprop`` microdata (``meta_values``). Any "false" wins (part of the article is behind a
    paywall: the text is a teaser); True when only "true" is said; None when nothing is."""
    seen: list[bool] = []

    def visit(obj: JSONValue, depth: int = 0) -> None:
        if depth > 4:
            return
        if isinstance(obj, list):
            for item in obj:
                visit(item, depth + 1)
            return
        if not isinstance(obj, dict):
            return
        flag = as_bool(obj.get("isAccessibleForFree"))
        if flag is not None:
            seen.append(flag)
        if "hasPart" in obj:
            visit(obj["hasPart"], depth + 1)

    visit(ld)
    for obj in objs:
        if obj is not ld:
            visit(obj)
    for raw in meta_values:
        flag = as_bool(raw)
        if flag is not None:
            seen.append(flag)
    if not seen:
        return None
    return all(seen)
