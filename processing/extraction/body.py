"""Article body: structural cleanup, one trafilatura pass, cleanup of its output, text.

The generic path (unknown sites, or an outlet selector that yields too little):

1. ``preclean``: drop page furniture that trafilatura's own rules miss, matched by generic
   class/id words (cookie/consent dialogs, modals, newsletter and donation prompts,
   recirculation and "most read" modules, share bars, ad slots, bylines, tag lists),
   third-party embeds (tweets, Instagram, TikTok) and elements the page hides (``hidden``,
   ``aria-hidden="true"``, an inline ``display: none`` on a text-level element). Layout
   tables become blocks, data tables of prose one paragraph per row. A node holding the
   page's ``h1``, an ``article``/``main``/``articleBody`` element or 40% of the page's text
   is never dropped.
2. trafilatura's main extractor, once, in its fast mode (no readability/jusText fallback,
   which measured both faster and more precise), without comments or tables, keeping links
   so that step 3 can see them.
3. ``prune_body``: on trafilatura's output tree, drop lists of links (related / most-read
   lists) with the heading right before them, paragraphs that are nothing but links
   ("Read more: ..." teasers), and headings left dangling at the end.
4. ``finish_lines``: a furniture heading in the second half ends the text
   (``boilerplate.cut_at_end_marker``), recirculation headings go with their teaser lists
   (``boilerplate.drop_teaser_blocks``), then the phrase filter (``boilerplate.clean_lines``),
   runs of tiny labels, labels before the first paragraph and bios/credits after the last one
   (``boilerplate.trim_edges``), the title repeated as the first line, repeated lines.

The standfirst (the summary under the headline, recognised by the page's description
metadata) is added in front by ``core.body_text`` when trafilatura left it out.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import trafilatura
from lxml import etree
from lxml.etree import _Element
from lxml.html import HtmlElement
from trafilatura.xml import xmltotxt
from trafilatura.xpaths import BODY_XPATH

from processing.extraction.boilerplate import (
    clean_lines,
    cut_at_end_marker,
    drop_label_runs,
    drop_outlet_lines,
    drop_teaser_blocks,
    normalise_line,
    trim_edges,
)

logger = logging.getLogger(__name__)

# ---- 1. structural cleanup --------------------------------------------------------------
# Words naming page furniture, matched at the end of a class name or id ("privacy-modal",
# "recirc", "js_newsletter", "share-bar"), never in the middle ("ad-in-text-target" is an
# article body, "paywall" holds the paid text itself).
_FURNITURE_WORDS = (
    r"cookies?|consent|gdpr|onetrust|privacy-(?:bar|modal|banner|notice)",
    r"modal|popup|pop-up|lightbox",
    r"newsletters?|subscribe|subscription|signup|sign-up|donate|donation",
    r"recirc|recirculation|most-?read|most-?popular|trending|related|read-?next|more-?stories"
    r"|up-?next|outbrain|taboola",
    r"share|sharing|social|sharebar|share-bar",
    r"ad|ads|advert|advertisement|adslot|ad-slot|ad-container|ad-wrapper|ad-unit|dfp|sponsored"
    r"|promo",
    r"breadcrumbs?|byline|author-bio|tags|comments?|meta-?info|post-?meta|entry-?meta"
    r"|article-?meta",
)
# these name furniture wherever they appear as a part of a class name or id
# ("forum-comments-list", "newsletter-signup-box", "taboola-below-article")
_STRONG_WORDS = (
    r"cookies?|consent|gdpr|onetrust|newsletters?|signup|sign-up|subscribe"
    r"|comments?|disqus|recirc|recirculation|related|outbrain|taboola|most-?read"
    r"|most-?popular"
)
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:" + "|".join(_FURNITURE_WORDS) + r")(?:$|\s)"
    r"|(?:^|[\s_-])(?:" + _STRONG_WORDS + r")(?:$|[\s_-])",
    re.IGNORECASE,
)
# "//body/descendant::*" is "//body//*" (the spec's expansion), in one step; the attribute
# test first and the tag as one string test: twice as fast in libxml2, the same elements
_CANDIDATES = etree.XPath(
    "//body/descendant::*[@class or @id][contains("
    "'|div|section|aside|ul|ol|span|p|nav|header|footer|form|', concat('|', local-name(), '|'))]"
)
_EMBEDS = etree.XPath(
    "//blockquote[contains(@class,'twitter-tweet') or contains(@class,'instagram-media')"
    " or contains(@class,'tiktok-embed') or contains(@class,'twitter-video')]"
)
# elements the page does not show: the ``hidden`` attribute, and ``aria-hidden="true"``
# (decorative duplicates, off-screen copies of a menu). An inline ``display: none`` or
# ``visibility: hidden`` counts only on a text-level element (a paragraph, heading, list item,
# span): pages keep the article itself in a hidden *container* for a script to reveal, while a
# single hidden paragraph among visible ones is never shown (reader mode leaves both out).
_HIDDEN = etree.XPath("//body/descendant::*[@hidden or @aria-hidden='true']")
# elements with an inline style that may hide them (the tag and the style are tested after)
_STYLED_HIDDEN = etree.XPath("//@style[contains(., 'none') or contains(., 'hidden')]/..")
_TEXT_LEVEL = frozenset(
    ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "span", "figcaption")
)
_HIDING_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b", re.I)
# classes of the blocks that hold paragraphs directly
_PARAGRAPH_CONTAINER_CLASSES = etree.XPath(
    "//body/descendant::*[self::div or self::section or self::main][@class][p]/@class"
)
_SAME_CLASS = etree.XPath("//body/descendant::*[local-name() = $tag][@class = $cls]")
_HAS_PARAGRAPH = etree.XPath("boolean(.//p[string-length(normalize-space()) > 40])")
_NO_TEXT = ("link", "meta")
_PROTECTED = etree.XPath("boolean(.//h1 | .//article | .//main | .//*[@itemprop='articleBody'])")
_NEVER = {"html", "body", "main", "article"}


# substrings at least one of which every furniture word contains: a cheap first test
_FURNITURE_HINTS = (
    "cookie", "consent", "gdpr", "onetrust", "privacy", "modal", "popup", "pop-up", "lightbox",
    "newsletter", "subscri", "signup", "sign-up", "donat", "recirc", "most", "trending",
    "related", "next", "stories", "outbrain", "taboola", "shar", "social", "ad", "dfp",
    "sponsored", "promo", "breadcrumb", "byline", "author-bio", "tags", "comment", "meta",
    "disqus",
)  # fmt: skip


@lru_cache(maxsize=4096)
def _names_furniture(names: str) -> bool:
    """Whether a class/id names page furniture (cached: templates repeat their classes)."""
    low = names.lower()
    return any(h in low for h in _FURNITURE_HINTS) and bool(_FURNITURE.search(names))


def preclean(tree: HtmlElement) -> int:
    """Remove furniture containers and embeds in place; returns how many were removed."""
    page_chars: int | None = None
    removed = 0
    for node in _EMBEDS(tree):
        if node.getparent() is not None:
            node.drop_tree()
            removed += 1
    for node in _HIDDEN(tree):
        if node.getparent() is not None and node.tag not in _NEVER and not _PROTECTED(node):
            node.drop_tree()
            removed += 1
    for node in _STYLED_HIDDEN(tree):
        if node.tag not in _TEXT_LEVEL or node.getparent() is None:
            continue
        if not _HIDING_STYLE.search(node.get("style") or ""):
            continue
        if not _PROTECTED(node):
            node.drop_tree()
            removed += 1
    for node in _CANDIDATES(tree):
        if node.tag in _NEVER or node.getparent() is None:
            continue
        if not _names_furniture(f"{node.get('class') or ''} {node.get('id') or ''}"):
            continue
        if _PROTECTED(node):
            continue
        if page_chars is None:
            body = tree.find(".//body")
            page_chars = len((body if body is not None else tree).text_content())
        if len(node.text_content()) > 0.4 * page_chars:
            continue
        node.drop_tree()
        removed += 1
    return removed


# ---- layout tables ------------------------------------------------------------------------
_TABLE_PARTS = ("tbody", "thead", "tfoot", "tr", "td", "th")
_DATA_TABLE_MARKS = etree.XPath(".//col | .//colgroup | .//tfoot | .//thead | .//th")


def _own(el: HtmlElement, table: HtmlElement) -> bool:
    """Whether ``el`` belongs to ``table`` itself, not to a table nested in it."""
    return next(el.iterancestors("table"), None) is table


def is_data_table(table: HtmlElement) -> bool:
    """Reader mode's test (Mozilla Readability's ``_markDataTables``): a table marked as
    presentation is layout; a summary, a caption, header cells or column groups make it data;
    a table holding another table is layout; one row or one column is layout; ten rows or
    more than four columns, or more than ten cells, are data."""
    if table.get("role") == "presentation" or table.get("datatable") == "0":
        return False
    if table.get("summary"):
        return True
    caption = table.find("caption")
    if caption is not None and len(caption):
        return True
    if _DATA_TABLE_MARKS(table):
        return True
    if table.find(".//table") is not None:
        return False
    rows = [r for r in table.iter("tr") if _own(r, table)]
    columns = 0
    for row in rows:
        span = 0
        for cell in row:
            if cell.tag in ("td", "th"):
                colspan = cell.get("colspan") or "1"
                span += int(colspan) if colspan.isdigit() else 1
        columns = max(columns, span)
    if len(rows) == 1 or columns == 1:
        return False
    if len(rows) >= 10 or columns > 4:
        return True
    return len(rows) * columns > 10


_PROSE_CELL_WORDS = 8  # a cell of at least this many words is prose, not a value


def is_prose_table(table: HtmlElement) -> bool:
    """A data table of text rather than values: cells of eight words or more (descriptions,
    explanations, comparisons written out) hold at least half of its text. A table holding
    another table is not one (its cells are layout)."""
    if table.find(".//table") is not None:
        return False
    total = prose = 0
    for cell in table.iter("td", "th"):
        words = cell.text_content().split()
        chars = sum(len(w) for w in words) + max(len(words) - 1, 0)
        total += chars
        if len(words) >= _PROSE_CELL_WORDS:
            prose += chars
    return total > 0 and prose >= 0.5 * total


def _table_to_paragraphs(table: HtmlElement) -> None:
    """Each row becomes a paragraph (its cells in order, separated by spaces), the caption a
    paragraph of its own, the table a plain block."""
    for row in [r for r in table.iter("tr") if _own(r, table)]:
        for cell in [c for c in row if c.tag in ("td", "th")]:
            if not (cell.tail or "").strip():
                cell.tail = " "
        etree.strip_tags(row, "td", "th")
        row.tag = "p"
    for el in [e for e in table.iter("tbody", "thead", "tfoot") if _own(e, table)]:
        el.tag = "div"
    for caption in table.findall("caption"):
        caption.tag = "p"
    table.tag = "div"


def unwrap_layout_tables(tree: HtmlElement) -> int:
    """Layout tables (see :func:`is_data_table`) become plain blocks: a page laid out in a
    table, or a code listing in a one-cell table, is read like any other container. Data
    tables of prose (:func:`is_prose_table`: a list of films with their plots, a comparison
    written out) become one paragraph per row; other data tables (figures, scores, nutrition
    facts, spec sheets) are left out of the body. Returns how many tables were unwrapped."""
    unwrapped = 0
    for table in list(tree.iter("table")):
        if table.getparent() is None:
            continue
        if is_data_table(table):
            if not is_prose_table(table):
                continue
            _table_to_paragraphs(table)
        else:
            for el in [e for e in table.iter(*_TABLE_PARTS) if _own(e, table)]:
                el.tag = "div"
            table.tag = "div"
        unwrapped += 1
    return unwrapped


def _common_ancestor_depth(a: HtmlElement, b: HtmlElement, limit: int) -> int | None:
    """How many levels above ``a`` its nearest common ancestor with ``b`` is (at most
    ``limit``), or None."""
    above_b = set(b.iterancestors())
    for depth, anc in enumerate(a.iterancestors(), start=1):
        if depth > limit:
            return None
        if anc in above_b:
            return depth
    return None


def merge_split_body(tree: HtmlElement) -> tuple[int, bool | None]:
    """A body split into several containers of the same class (the CMS closes the article
    container around each ad or embed and opens a new one): the later containers' paragraphs
    are moved into the first, which is the one trafilatura's main extractor takes.

    Only for an explicit article-body container (trafilatura's first body expression:
    ``articleBody``, ``article__content``, ``entry-content``…); only containers with exactly
    its tag and class, holding paragraphs, not nested in it, whose nearest common ancestor
    with it is at most three levels up (cousins in the same article); and only when some
    paragraph-holding class repeats on the page at all (a cheap test first). Returns how
    many were merged and whether the first body expression matched (None: not evaluated)."""
    classes = _PARAGRAPH_CONTAINER_CLASSES(tree)
    if len(classes) == len(set(classes)):  # no class repeats: nothing can be split
        return 0, None
    found = [e for e in BODY_XPATH[0](tree) if e is not None]
    # an <article> is a self-contained story: several of them are several stories (a feed,
    # infinite scroll), never one split body
    if not found or not found[0].get("class") or found[0].tag == "article":
        return 0, bool(found)
    first = found[0]
    merged = 0
    for other in _SAME_CLASS(tree, tag=first.tag, cls=first.get("class")):
        if other is first or other.getparent() is None or not _HAS_PARAGRAPH(other):
            continue
        if first in other.iterancestors() or other in first.iterancestors():
            continue
        if _common_ancestor_depth(first, other, 3) is None:
            continue
        if other.text and other.text.strip():
            lead = etree.SubElement(first, "p")
            lead.text = other.text
        for child in list(other):
            first.append(child)
        other.drop_tree()
        merged += 1
    return merged, True


# ---- 2. trafilatura --------------------------------------------------------------------
_ANY_ARTICLE = etree.XPath("boolean(//article)")


def has_article_container(tree: HtmlElement, first_match: bool | None = None) -> bool:
    """Whether the page marks an article container trafilatura's main extractor looks for
    (``article``, ``main``, ``articleBody``, ``entry-content``, ``story``...).
    ``first_match``: whether its first expression matched (already evaluated by
    :func:`merge_split_body`); an ``<article>`` element is the cheap second test."""
    if first_match or _ANY_ARTICLE(tree):
        return True
    start = 1 if first_match is False else 0
    return any(len(expr(tree)) for expr in BODY_XPATH[start:])


# A paragraph repeated word for word (a refrain, a repeated call to action, a form letter's
# repeated clause) is published text: trafilatura's main extractor drops a paragraph equal to
# the one before it in its output (meant for elements it emitted twice), which also removes
# genuine repeats once the blocks between them are pruned. Each later copy gets a distinct
# invisible prefix while trafilatura runs; the prefixes are removed from its output and from
# the page afterwards. An element trafilatura emits twice still carries one prefix twice.
_REPEAT = "\u241f"  # "␟", printable (trafilatura keeps it), never in real text
# paragraphs, and blocks that hold a paragraph as their own text (``<div>text…</div>``)
_PARAGRAPHS = etree.XPath(
    "//body/descendant::p | //body/descendant::*[self::div or self::section]"
    "[string-length(normalize-space(text())) > 50]"
)


def mark_repeats(tree: HtmlElement) -> list[tuple[HtmlElement, str | None]]:
    """Give each later copy of a repeated paragraph (over 50 characters) a distinct prefix;
    returns (element, original text) for :func:`unmark_repeats`."""
    seen: dict[str, int] = {}
    marked: list[tuple[HtmlElement, str | None]] = []
    for p in _PARAGRAPHS(tree):
        text = p.text_content() if p.tag == "p" else (p.text or "")
        if len(text) <= 50:
            continue
        key = " ".join(text.split())
        if len(key) <= 50:
            continue
        copies = seen.get(key, 0)
        seen[key] = copies + 1
        if copies:
            marked.append((p, p.text))
            p.text = _REPEAT * copies + (p.text or "")
    return marked


def unmark_repeats(marked: list[tuple[HtmlElement, str | None]], body: _Element | None) -> None:
    """The page's paragraphs as they were; no prefix left in trafilatura's output."""
    for p, text in marked:
        p.text = text
    if marked and body is not None:
        for el in body.iter():
            if el.text and _REPEAT in el.text:
                el.text = el.text.replace(_REPEAT, "").lstrip() or None


# The space after a link: where a link stands in loose text (``<div>… for <a>the blog</a> so
# I …``), trafilatura emits the link and the text after it as a paragraph of their own and
# trims that text, gluing the words ("the blogso I"). While it runs, the whitespace that
# starts a link's tail is replaced by this mark; :func:`body_to_text` turns every mark back
# into a space, and the page's tails are restored.
LINK_SPACE = "\u2420"  # "␠", printable (trafilatura keeps it), never in real text


def mark_link_spaces(tree: HtmlElement) -> list[tuple[HtmlElement, str]]:
    """Replace the whitespace starting each link's tail with :data:`LINK_SPACE`; returns
    (link, original tail) for :func:`unmark_link_spaces`."""
    marked: list[tuple[HtmlElement, str]] = []
    for a in tree.iter("a"):
        tail = a.tail
        if tail and tail[:1].isspace() and not tail.isspace():
            marked.append((a, tail))
            a.tail = LINK_SPACE + tail.lstrip()
    return marked


def unmark_link_spaces(marked: list[tuple[HtmlElement, str]]) -> None:
    for a, tail in marked:
        a.tail = tail


def trafilatura_body(tree: HtmlElement, url: str | None, *, fast: bool = True) -> _Element | None:
    """trafilatura's output tree (``<body>`` of ``p``/``head``/``list``/``quote``...) or None.

    ``fast``: its main extractor only; otherwise it also compares with its readability and
    jusText fallbacks (used for pages without any article container, where the main
    extractor only collects stray paragraphs). trafilatura copies the tree it is given, so
    ``tree`` is left as it was.
    """
    # no URL: trafilatura would resolve every link against it (courlan), which costs time and
    # changes nothing in the text
    doc = trafilatura.bare_extraction(
        tree,
        url=None,
        fast=fast,
        include_comments=False,
        include_tables=False,
        include_links=True,
        with_metadata=False,
        deduplicate=False,
    )
    return getattr(doc, "body", None) if doc is not None else None


# ---- 3. output-tree cleanup -----------------------------------------------------------
def _text(el: _Element) -> str:
    return normalise_line("".join(el.itertext()))


def _link_text(el: _Element) -> str:
    """Text inside real links (``ref`` with a ``target``; a named anchor ``<a id=…>`` around
    a paragraph is not a link)."""
    return normalise_line(
        "".join(t for r in el.iter("ref") if r.get("target") for t in r.itertext())
    )


def _is_link_list(lst: _Element) -> bool:
    items = [i for i in lst if i.tag == "item"]
    if len(items) < 2:
        return False
    linky = sum(
        1 for item in items if (text := _text(item)) and len(_link_text(item)) >= 0.5 * len(text)
    )
    return linky >= 0.75 * len(items)


# a link list whose items read like sentences (six words or more on average) ...
_DESCRIPTIVE_ITEM_WORDS = 6
# ... with a paragraph of the article after it (this many characters or more)
_PROSE_AFTER = 100


def _is_listed_content(lst: _Element) -> bool:
    """A link list that is part of the article: its items are descriptive (a shopping
    article's deals, "60 per cent off the … vacuum, $399"; a column's earlier instalments),
    and the article goes on after it. Related/most-read lists come after the text or under a
    recirculation heading, which the line filter drops with its list."""
    items = [_text(i) for i in lst if i.tag == "item"]
    words = sum(len(t.split()) for t in items) / max(1, len(items))
    if words < _DESCRIPTIVE_ITEM_WORDS:
        return False
    return any(e.tag == "p" and len(_text(e)) >= _PROSE_AFTER for e in lst.itersiblings())


def _remove(el: _Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if el.tail and el.tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def prune_body(body: _Element) -> None:
    """Drop link lists (with the heading right before them; not a list that is part of the
    article, see :func:`_is_listed_content`), paragraphs and headings that are nothing but
    links (teasers, "Read more: ..."), and headings with nothing after them."""
    for lst in list(body.iter("list")):
        if lst.getparent() is None or not _is_link_list(lst) or _is_listed_content(lst):
            continue
        prev = lst.getprevious()
        if prev is not None and prev.tag == "head":
            _remove(prev)
        _remove(lst)
    for p in list(body.iter("p")):
        if p.getparent() is not body:
            continue
        text = _text(p)
        links = _link_text(p)
        # nothing but links, give or take a label ("Read more:", brackets): a teaser block
        if text and links and len(links) >= 0.8 * len(text) and len(text) - len(links) <= 40:
            _remove(p)
    while len(body) and body[-1].tag == "head":
        body.remove(body[-1])


_SOFT_BREAK = re.compile(r"[ \t]*[\r\n][\s]*")
# a code block's own line breaks while the line filter runs: one block = one "line", so that
# code and program output are never taken for labels, menus or datelines (restored after)
CODE_BREAK = "\u241e"  # "␞", printable (trafilatura keeps it), never in real text


def body_to_text(body: _Element) -> str:
    """trafilatura's own plain-text rendering (one block per line, "- " list items).

    Line breaks of the HTML source inside a paragraph (hard-wrapped markup) are spaces, not
    new lines: the line filter works on whole paragraphs. ``<br>`` (``lb``) keeps its break;
    a code block keeps its line breaks as ``CODE_BREAK`` (see :func:`restore_code`)."""
    etree.strip_tags(body, "ref")
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        if el.text and LINK_SPACE in el.text:
            el.text = el.text.replace(LINK_SPACE, " ")
        if el.tail and LINK_SPACE in el.tail:
            el.tail = el.tail.replace(LINK_SPACE, " ")
        if el.text and CODE_BREAK in el.text:  # never in real text; dropped if it is
            el.text = el.text.replace(CODE_BREAK, "")
        if el.tail and CODE_BREAK in el.tail:
            el.tail = el.tail.replace(CODE_BREAK, "")
        in_code = el.tag == "code" or any(a.tag == "code" for a in el.iterancestors())
        if in_code:
            if el.text:
                el.text = el.text.replace("\n", CODE_BREAK)
            if el.tail and el.tag != "code":
                el.tail = el.tail.replace("\n", CODE_BREAK)
            continue
        if el.text and "\n" in el.text:
            el.text = _SOFT_BREAK.sub(" ", el.text)
        if el.tail and "\n" in el.tail:
            el.tail = _SOFT_BREAK.sub(" ", el.tail)
    return (xmltotxt(body, False) or "").replace(CODE_BREAK * 2, CODE_BREAK)


def restore_code(text: str) -> str:
    """Code blocks get their own line breaks back."""
    return "\n".join(line.strip(CODE_BREAK).replace(CODE_BREAK, "\n") for line in text.split("\n"))


# ---- 4. line level -------------------------------------------------------------------
def _key(line: str) -> str:
    return normalise_line(line).casefold()


def finish_lines(
    text: str, titles: list[str] | tuple[str, ...] = (), drop_lines: tuple[str, ...] = ()
) -> str:
    """Line-level cleanup shared by the generic and the per-outlet path; ``drop_lines``: the
    outlet's own line patterns (``ExtractionProfile.drop_lines``), applied first."""
    lines = drop_outlet_lines([line for line in text.splitlines() if line.strip()], drop_lines)
    lines = cut_at_end_marker(lines)
    lines = drop_teaser_blocks(lines)
    lines = clean_lines(lines)
    lines = drop_label_runs(lines)
    lines = trim_edges(lines)
    wanted = {_key(t) for t in titles if t and t.strip()}
    # the title repeated near the top: what comes before it is header furniture (kicker,
    # review notes, breadcrumbs), unless that is more than a short paragraph
    for i, line in enumerate(lines[:4]):
        k = _key(line)
        # the title itself, or the title with a kicker glued in front ("News <title>")
        is_title = k in wanted or any(
            len(t) >= 20 and k.endswith(t) and len(k) - len(t) <= 30 for t in wanted
        )
        if is_title and sum(len(x) for x in lines[:i]) <= 200:
            del lines[: i + 1]
            break
    while lines and _key(lines[0]) in wanted:
        lines.pop(0)
    return "\n".join(line.rstrip() for line in lines).strip()


def generic_body(
    tree: HtmlElement,
    url: str | None,
    titles: list[str] | tuple[str, ...] = (),
    drop_lines: tuple[str, ...] = (),
) -> str:
    """Body text of an unknown page; ``tree`` is modified (furniture removed)."""
    # links and meta tags hold no article text (the metadata was read before): trafilatura
    # copies and cleans a smaller tree
    etree.strip_elements(tree, *_NO_TEXT, with_tail=False)
    removed = preclean(tree)
    unwrap_layout_tables(tree)
    _, first_match = merge_split_body(tree)
    fast = has_article_container(tree, first_match)
    # in fast mode only: with the fallbacks, the prefixes would change which of trafilatura's
    # algorithms wins (their own rules keep repeats)
    marked = mark_repeats(tree) if fast else []
    spaces = mark_link_spaces(tree)
    body = trafilatura_body(tree, url, fast=fast)
    unmark_link_spaces(spaces)
    unmark_repeats(marked, body)
    if body is None:
        logger.debug("trafilatura found no body in %s", url)
        return ""
    prune_body(body)
    text = restore_code(finish_lines(body_to_text(body), titles, drop_lines))
    logger.debug(
        "generic body of %s: %d chars (%d furniture nodes removed)", url, len(text), removed
    )
    return text
