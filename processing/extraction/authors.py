"""Authors: the outlet's selector, JSON-LD people, author meta tags, byline markup,
trafilatura's byline search; cleaned into a list of names."""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

from processing.extraction import selectors as sel
from processing.extraction.boilerplate import normalise_line
from processing.extraction.jsonld import names as _names
from processing.extraction.jsonld import types as _types
from processing.extraction.titles import key as _key
from processing.extraction.titles import site_names

_AUTHOR_PREFIX = re.compile(
    r"^(?:view all posts by|posts by|written by|words by|story by|by|"
    r"بقلم|بواسطة|كتب|كتبت|إعداد|اعداد|تحرير)\s*:?\s+",
    re.IGNORECASE,
)
# "و" ("and") only as a separate word: many names start with it (وليد، وائل، وسام)
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|\||,|&|/|\band\b|\s+و\s+)\s*", re.IGNORECASE)
_AUTHOR_ROLE = re.compile(
    r"\s+[-–—]\s+.*$"  # "Jane Doe - Contributing Writer"
    r"|\s+(?:published|updated|link copied|share|follow)\b.*$",
    re.IGNORECASE,
)
_CREDENTIAL = re.compile(r"^[A-Z]{1,4}$")  # "MS", "RDN", "CNN": not a person's name
_NOT_A_NAME = re.compile(
    r"https?:|www\.|@|\d|^(?:sponsored|staff|admin|administrator|editor|editorial"
    r"|updated|published|posted|share|follow|none|null|unknown)$|\b(?:officer|head of|director"
    r"|president|contributing|correspondent|staff (?:writer|reporter)|editor in chief)\b",
    re.IGNORECASE,
)


_JUNK_BYLINE = re.compile(r"\bhttps?\b|\bwww\b|\.(?:png|jpe?g|gif|svg)\b", re.IGNORECASE)
_EMPTY_BRACKETS = re.compile(r"[(\[]\s*[)\]]")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_NAME_TAIL = re.compile(r"^(?P<name>.+?)\s*(?:[.,|/]|\s[-–—])\s*(?P<tail>[^.,|/]{2,60})$")


def _strip_publisher(value: str, publishers: set[str]) -> str:
    """ "Wilmer Leon. Sputnik International" -> "Wilmer Leon": the publication's name after
    the person's."""
    m = _NAME_TAIL.match(value)
    if m and publishers and _is_publisher(_key(m["tail"]), publishers):
        return m["name"]
    return value


def _is_publisher(key: str, publishers: set[str]) -> bool:
    return bool(key) and key in publishers


def clean_authors(raw: list[str], exclude: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Split "A, B and C", drop "By", URLs, emails, roles, credentials ("MS, RDN"), names of
    the publication itself (``exclude``) and duplicates; keep the case as written."""
    excluded = {_key(e) for e in exclude if e}
    out: list[str] = []
    for value in raw:
        value = normalise_line(html_lib.unescape(value or ""))
        if not value or value.lower().startswith(("http", "www.")):
            continue
        value = _strip_publisher(
            _AUTHOR_PREFIX.sub("", _EMPTY_BRACKETS.sub(" ", _URL.sub(" ", value))).strip(), excluded
        )
        for part in _AUTHOR_SPLIT.split(value):
            part = _AUTHOR_ROLE.sub("", _AUTHOR_PREFIX.sub("", normalise_line(part)))
            part = part.strip(" .,-–—:(")
            if (
                not part
                or len(part) > 60
                or len(part.split()) > 6
                or _NOT_A_NAME.search(part)
                or _CREDENTIAL.match(part)
            ):
                continue
            if " " not in part and "-" in part and part.lower() == part:  # a URL slug
                continue
            if _is_publisher(_key(part), excluded) or part.casefold() in {
                o.casefold() for o in out
            }:
                continue
            out.append(part)
    return out


def _ld_people(value: Any) -> tuple[list[str], list[str]]:
    """JSON-LD ``author`` as (people, organisations)."""
    people: list[str] = []
    orgs: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict) and "Organization" in " ".join(_types(item)):
            orgs.extend(_names(item))
        else:
            people.extend(_names(item))
    return people, orgs


def publisher_names(tree: Any, ld: dict[str, Any], url: str) -> list[str]:
    pub = ld.get("publisher")
    names = _names(pub) if isinstance(pub, dict | list) else []
    for publisher in sel.MICRODATA_PUBLISHER(tree)[:2]:
        for el in sel.PUBLISHER_NAME(publisher)[:1]:
            name = normalise_line(el.get("content") or el.text_content())
            if name:
                names.append(name)
    names += site_names(tree, url)
    return [*names, *(n.removeprefix("the ") for n in names if n.lower().startswith("the "))]


def authors(tree: Any, ld: dict[str, Any], url: str = "", css: str | None = None) -> list[str]:
    """Selector, JSON-LD people, author meta tags, byline markup, trafilatura's byline
    search; the publication's own name (and an organisation named as the author) counts only
    when nothing names a person."""
    if css:
        names = clean_authors([n.text_content() for n in sel.css(tree, css)])
        if names:
            return names
    publisher = publisher_names(tree, ld, url)
    people, orgs = _ld_people(ld.get("author"))
    for source in (
        lambda: people,
        lambda: list(sel.META_AUTHOR(tree)),
        lambda: [n.text_content() for n in sel.BYLINE_AUTHOR(tree)[:4]],
    ):
        names = clean_authors(source(), publisher)
        if names:
            return names
    names = clean_authors(_trafilatura_author(tree), publisher)
    if names:
        return names
    orgs += [n.text_content() for n in sel.MICRODATA_ORG_AUTHOR(tree)[:2]]
    return clean_authors([*orgs, *sel.META_AUTHOR(tree)])


def _trafilatura_author(tree: Any) -> list[str]:
    try:
        from trafilatura.metadata import extract_author
    except ImportError:  # pragma: no cover - internal helper moved
        return []
    try:
        found = extract_author(tree)
    except (ValueError, TypeError):
        return []
    if not found or _JUNK_BYLINE.search(found):  # it read a logo's or a link's URL
        return []
    return found.split("; ")
