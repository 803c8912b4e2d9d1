"""The body cascade: the outlet's selector, else the generic path (:mod:`.body`); JSON-LD
``articleBody`` when the visible text gives much less; the standfirst and lead blocks in front
when the extraction left them out."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator

from lxml import etree
from lxml import html as lxml_html
from lxml.etree import ParserError
from lxml.html import HtmlElement

from processing.core.jsontypes import JSONObject
from processing.extraction import selectors as sel
from processing.extraction.body import finish_lines, generic_body
from processing.extraction.boilerplate import normalise_line
from processing.extraction.jsonld import ld_str


def drop_nodes(tree: HtmlElement, drop: list[str]) -> None:
    for css in drop:
        for node in sel.css(tree, css):
            node.drop_tree()


_SUBHEADINGS = ("h2", "h3", "h4", "h5")


def _with_subheadings(nodes: list[HtmlElement]) -> list[HtmlElement]:
    """A selector that picks the paragraphs themselves (``.article__content > p``) misses the
    sub-headings between them: a heading whose previous sibling (past other headings) is a
    selected paragraph and whose next one leads to a selected paragraph is taken too."""
    chosen = set(nodes)
    out: list[HtmlElement] = []
    for node in nodes:
        heads: list[HtmlElement] = []
        prev = node.getprevious()
        while prev is not None and isinstance(prev.tag, str) and prev.tag in _SUBHEADINGS:
            heads.insert(0, prev)
            prev = prev.getprevious()
        if heads and prev is not None and prev in chosen:
            out.extend(h for h in heads if h not in chosen)
        out.append(node)
    return out


def selector_body(
    tree: HtmlElement, body_css: str, titles: list[str], drop_lines: tuple[str, ...] = ()
) -> str | None:
    """Paragraph-like blocks inside the outlet's body selector, filtered like the generic
    path; None when the selector matches nothing (another layout: use the generic path)."""
    nodes = _with_subheadings(sel.css(tree, body_css))
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
    return finish_lines("\n".join(paras), titles, drop_lines)


def json_ld_body(ld: JSONObject, drop_lines: tuple[str, ...] = ()) -> str:
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
    return finish_lines("\n".join(x for x in lines if x), (), drop_lines)


def body_text(
    tree: HtmlElement,
    url: str,
    ld: JSONObject,
    titles: list[str],
    body_css: str | None,
    drop_lines: tuple[str, ...] = (),
) -> tuple[str, str]:
    """(text, method): the outlet's body selector when it matches (an empty article stays
    empty: the caller rejects it as ``empty_body`` instead of storing the sidebar), else the
    generic path; JSON-LD ``articleBody`` when the page's visible text gives much less. The
    lead paragraph and the standfirst go in front when the body left them out (both paths).
    """
    ld_text = json_ld_body(ld, drop_lines)
    descriptions = [*sel.META_DESCRIPTION(tree), ld_str(ld, "description")]
    text: str | None = None
    method = "selector"
    if body_css:
        text = selector_body(tree, body_css, titles, drop_lines)
    if text is None:
        method = "generic"
        text = generic_body(tree, url, titles, drop_lines)
    if len(ld_text) > 500 and len(text) < 0.5 * len(ld_text):
        return ld_text, "json-ld"
    if (
        method == "generic"
        and ld_text
        and ld_text.count("\n") > text.count("\n")
        and "".join(ld_text.split()) == "".join(text.split())
    ):
        # the same words, but trafilatura's JSON fallback flattened the paragraphs
        return ld_text, "json-ld"
    if not text:
        return text, method
    text = with_lead(tree, text, titles)
    dek = standfirst(tree, descriptions, text)
    if dek:
        text = f"{dek}\n{text}"
    return text, method


_NOT_SHOWN = {"script", "style", "noscript", "template", "title", "meta", "head"}
_STARTS_LIKE = etree.XPath("//body/descendant::text()[starts-with(normalize-space(.), $head)]")
_INSIDE_LINK_OR_SCRIPT = "boolean(ancestor::a|ancestor::script|ancestor::noscript)"


_AFTER_H1 = etree.XPath("boolean(preceding::h1)")


def standfirst(tree: HtmlElement, descriptions: list[str | None], text: str) -> str | None:
    """The standfirst (dek, summary line under the headline) when trafilatura left it out.

    It is recognised by the page's own description metadata (``description``,
    ``og:description``, JSON-LD ``description``): an element of the page whose whole visible
    text is that description, and that comes after the headline (an ``h1``) when the page has
    one, is the standfirst (the same words above the headline are a teaser or a summary box).
    Returned as shown on the page, or None when the page does not show it or the body already
    starts with / contains it.
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
    has_h1 = bool(sel.H1(tree))
    for key, norm in wanted.items():
        # text nodes that start like the description (XPath: fast, in C), then the element
        # around such a node must show exactly the description
        for node in _STARTS_LIKE(tree, head=norm[:24]):
            el = node.getparent()
            if el is not None and node.is_tail:  # text after a child element: its parent's
                el = el.getparent()
            if el is None or el.tag in _NOT_SHOWN or el.xpath(_INSIDE_LINK_OR_SCRIPT):
                continue
            if has_h1 and not _AFTER_H1(el):  # a standfirst sits under the headline
                continue
            shown = normalise_line(el.text_content())
            if shown.casefold() == key:
                return shown
    return None


# ---- lead / standfirst blocks --------------------------------------------------------------
_LEAD_WORDS = (
    r"lead|lede|announce|summary|dek|deck|standfirst|strapline|intro|excerpt|description"
    r"|key-?points|takeaways|highlights"
)
_NOT_LEAD_WORDS = re.compile(
    r"image|img|photo|picture|media|video|caption|credit|asset|card|carousel|gallery|author"
    r"|bio|disclo|sponsor|newsletter|promo|module|wrapper|field",
    re.IGNORECASE,
)
_LEAD_NAME = re.compile(rf"(?:^|[\s_-])(?:{_LEAD_WORDS})(?:$|[\s_-])", re.IGNORECASE)
# "RenderKeyPoints-list": camel-case class names too
_KEY_POINTS = re.compile(r"key-?points|takeaways|highlights", re.IGNORECASE)
_LEAD_TAGS = {"div", "p", "section"}
_INLINE = {"span", "a", "strong", "b", "em", "i", "font", "u", "small", "mark", "time"}
_NOT_A_LEAD = etree.XPath(
    "boolean(ancestor::a or ancestor::nav or ancestor::aside or ancestor::footer"
    " or ancestor::figure or ancestor::header"
    " or .//h1 or .//h2 or .//img or .//picture or .//video or .//figure or .//iframe)"
)
_FIRST_PARAGRAPH = etree.XPath("//body/descendant::text()[starts-with(normalize-space(.), $head)]")
_SENTENCE_END = re.compile(r"[.!?؟。…]['\"”’»)]?$")


def _lead_text(el: HtmlElement) -> str:
    paras = [normalise_line(p.text_content()) for p in el.xpath(".//p | .//li[not(.//p)]")]
    paras = [p for p in paras if p]
    return "\n".join(paras) if paras else normalise_line(el.text_content())


def lead_block(
    tree: HtmlElement, text: str, titles: list[str] | tuple[str, ...] = ()
) -> str | None:
    """The lead paragraph (``itemprop=description``, a ``…__lead`` or ``…-announce`` block,
    ``standfirst``, ``summary``…) placed right before the body
    when the body left it out.

    A candidate is a block whose class, id or itemprop names a lead; outside links,
    navigation, sidebars, footers, the page header and figures; holding no heading, image or
    embed, and no class word of media, captions, cards or author boxes. Its text is a
    paragraph of prose - 60 to 1,500 characters, at least eight words, ending like a
    sentence, not the title - and it sits next to the body: it comes before the body's first
    paragraph, and their nearest common ancestor is at most two levels above each of them.
    None when the body already contains it."""
    first = next((line for line in text.split("\n") if len(line) >= 24), None)
    if first is None:
        return None
    anchors = _FIRST_PARAGRAPH(tree, head=normalise_line(first)[:24])
    if not anchors or anchors[0].getparent() is None:
        return None
    anchor = anchors[0].getparent()
    if anchors[0].is_tail and anchor.getparent() is not None:
        anchor = anchor.getparent()
    while anchor.tag in _INLINE and anchor.getparent() is not None:  # the paragraph itself
        anchor = anchor.getparent()
    body_key = normalise_line(text).casefold()
    title_keys = {normalise_line(t).casefold() for t in titles if t}
    for el in _lead_candidates(anchor):
        names = f"{el.get('class') or ''} {el.get('id') or ''}"
        if not _LEAD_NAME.search(f"{names} {el.get('itemprop') or ''}") and not _KEY_POINTS.search(
            names
        ):
            continue
        if _NOT_LEAD_WORDS.search(names) or _NOT_A_LEAD(el):
            continue
        lead = _lead_text(el)
        norm = normalise_line(lead)
        if not 60 <= len(norm) <= 1500 or len(norm.split()) < 8:
            continue
        key = norm.casefold()
        if key in title_keys or key[:60] in body_key or not _SENTENCE_END.search(norm):
            continue
        return lead
    return None


def _lead_candidates(anchor: HtmlElement) -> Iterator[HtmlElement]:
    """Blocks before the body's first paragraph whose nearest common ancestor with it is at
    most two levels above each: children and grandchildren of the paragraph's three nearest
    ancestors that come before the branch holding the paragraph, nearest first."""
    branch = anchor
    for anc in list(anchor.iterancestors())[:3]:
        before = []
        for child in anc:
            if child is branch:
                break
            before.append(child)
        for child in reversed(before):  # nearest first
            if not isinstance(child.tag, str):
                continue
            if child.tag in _LEAD_TAGS:
                yield child
            for grandchild in reversed(child):
                if isinstance(grandchild.tag, str) and grandchild.tag in _LEAD_TAGS:
                    yield grandchild
        branch = anc


def with_lead(tree: HtmlElement, text: str, titles: list[str] | tuple[str, ...] = ()) -> str:
    lead = lead_block(tree, text, titles)
    return f"{lead}\n{text}" if lead else text
