"""The body cascade: the outlet's selector, else the generic path (:mod:`.body`); JSON-LD
``articleBody`` when the visible text gives much less; the standfirst and lead blocks in front
when the extraction left them out."""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

from lxml import etree
from lxml import html as lxml_html
from lxml.etree import ParserError

from processing.extraction import selectors as sel
from processing.extraction.body import finish_lines, generic_body
from processing.extraction.boilerplate import normalise_line
from processing.extraction.jsonld import ld_str


def drop_nodes(tree: Any, drop: list[str]) -> None:
    for css in drop:
        for node in sel.css(tree, css):
            node.drop_tree()


def selector_body(tree: Any, body_css: str, titles: list[str]) -> str | None:
    """Paragraph-like blocks inside the outlet's body selector, filtered like the generic
    path; None when the selector matches nothing (another layout: use the generic path)."""
    nodes = sel.css(tree, body_css)
    if not nodes:
        return None
    paras: list[str] = []
    for node in nodes:
        blocks = node.xpath(".//p | .//h2 | .//h3 | .//h4 | .//li | .//blockquote")
        if not blocks:
            blocks = [node]
        for p in blocks:
            if p is not node and p.xpath("ancestor::p|ancestor::li|ancestor::blockquote"):
                continue
            t = normalise_line(p.text_content())
            if t:
                paras.append(("- " + t) if p.tag == "li" else t)
    return finish_lines("\n".join(paras), titles)


def json_ld_body(ld: dict[str, Any]) -> str:
    """``articleBody`` from JSON-LD (live blogs, script-rendered pages), as paragraphs."""
    raw = ld_str(ld, "articleBody")
    if not raw:
        return ""
    if "<" in raw and ">" in raw:
        try:
            raw = lxml_html.fromstring(raw).text_content()
        except (ParserError, ValueError):
            pass
    lines = [normalise_line(x) for x in re.split(r"\n+|\r+|(?<=[.!?؟])\s{2,}", raw)]
    return finish_lines("\n".join(x for x in lines if x))


def body_text(
    tree: Any, url: str, ld: dict[str, Any], titles: list[str], body_css: str | None
) -> tuple[str, str]:
    """(text, method): the outlet's body selector when it matches (an empty article stays
    empty: the caller rejects it as ``empty_body`` instead of storing the sidebar), else the
    generic path; JSON-LD ``articleBody`` when the page's visible text gives much less."""
    ld_text = json_ld_body(ld)
    if body_css:
        text = selector_body(tree, body_css, titles)
        if text is not None:
            if len(ld_text) > 500 and len(text) < 0.5 * len(ld_text):
                return ld_text, "json-ld"
            return text, "selector"
    descriptions = [*sel.META_DESCRIPTION(tree), ld_str(ld, "description")]
    text = generic_body(tree, url, titles)
    if len(ld_text) > 500 and len(text) < 0.5 * len(ld_text):
        return ld_text, "json-ld"
    if (
        ld_text
        and ld_text.count("\n") > text.count("\n")
        and "".join(ld_text.split()) == "".join(text.split())
    ):
        # the same words, but trafilatura's JSON fallback flattened the paragraphs
        return ld_text, "json-ld"
    dek = standfirst(tree, descriptions, text)
    if dek:
        text = f"{dek}\n{text}" if text else dek
    return text, "generic"


_NOT_SHOWN = {"script", "style", "noscript", "template", "title", "meta", "head"}
_STARTS_LIKE = etree.XPath("//body//text()[starts-with(normalize-space(.), $head)]")
_INSIDE_LINK_OR_SCRIPT = "boolean(ancestor::a|ancestor::script|ancestor::noscript)"


def standfirst(tree: Any, descriptions: list[str | None], text: str) -> str | None:
    """The standfirst (dek, summary line under the headline) when trafilatura left it out.

    It is recognised by the page's own description metadata (``description``,
    ``og:description``, JSON-LD ``description``): an element of the page whose whole visible
    text is that description is the standfirst. Returned as shown on the page, or None when
    the page does not show it or the body already starts with / contains it.
    """
    wanted: dict[str, str] = {}
    for d in descriptions:
        norm = normalise_line(html_lib.unescape(d or ""))
        if len(norm) >= 20 and len(norm.split()) >= 4:
            wanted.setdefault(norm.casefold(), norm)
    if not wanted:
        return None
    body_key = normalise_line(text).casefold()
    wanted = {k: v for k, v in wanted.items() if k not in body_key}
    if not wanted:
        return None
    for key, norm in wanted.items():
        # text nodes that start like the description (XPath: fast, in C), then the element
        # around such a node must show exactly the description
        for node in _STARTS_LIKE(tree, head=norm[:24]):
            el = node.getparent()
            if el is not None and node.is_tail:  # text after a child element: its parent's
                el = el.getparent()
            if el is None or el.tag in _NOT_SHOWN or el.xpath(_INSIDE_LINK_OR_SCRIPT):
                continue
            shown = normalise_line(el.text_content())
            if shown.casefold() == key:
                return shown
    return None
