"""Precompiled XPath selectors, one per field source, and the outlet-selector helper."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar, cast

from cssselect import ExpressionError, SelectorError
from lxml import etree
from lxml.html import HtmlElement

logger = logging.getLogger(__name__)


def css(tree: HtmlElement, selector: str) -> list[HtmlElement]:
    """``tree.cssselect(selector)`` for an outlet's CSS selector; one that does not compile
    is logged and matches nothing, so the generic path takes over instead of every page of the
    outlet failing."""
    try:
        return list(tree.cssselect(selector))
    except (SelectorError, ExpressionError) as exc:
        logger.warning("outlet selector %r does not compile: %s", selector, exc)
        return []


CANONICAL = etree.XPath("//link[translate(@rel,'CANONICAL','canonical')='canonical']/@href")
OG_URL = etree.XPath("//meta[@property='og:url']/@content")
HTML_LANG = etree.XPath(
    "/html/@lang | /html/@xml:lang", namespaces={"xml": "http://www.w3.org/XML/1998/namespace"}
)
META_LANGUAGE = etree.XPath(
    "//meta[translate(@http-equiv,'CONTENT-LANGUAGE','content-language')='content-language']"
    "/@content | //meta[@property='og:locale']/@content"
)
JSON_LD = etree.XPath("//script[@type='application/ld+json']/text()")
META_PUBLISHED = etree.XPath(
    "//meta[@property='article:published_time' or @name='article:published_time'"
    " or @itemprop='datePublished' or @name='pubdate' or @name='publishdate'"
    " or @name='publish-date' or @name='parsely-pub-date' or @name='sailthru.date'"
    " or @name='dc.date' or @name='DC.date.issued' or @name='dcterms.created' or @name='date'"
    " or @property='og:article:published_time' or @name='cXenseParse:recs:publishtime'"
    " or @property='bt:pubDate' or @name='original-publish-date']/@content"
)
META_MODIFIED = etree.XPath(
    "//meta[@property='article:modified_time' or @name='article:modified_time'"
    " or @itemprop='dateModified' or @property='og:updated_time'"
    " or @name='last-modified' or @name='dcterms.modified']/@content"
)
ITEMPROP_MODIFIED = etree.XPath(
    "//*[@itemprop='dateModified']/@datetime | //*[@itemprop='dateModified']/@content"
)
# short texts holding a copyright notice (footers): htmldate's copyright-year fallback
COPYRIGHT_TEXT = etree.XPath(
    "//body/descendant::text()[contains(., '©') or contains(., 'opyright') or contains(., '(c)')]"
    "[string-length(normalize-space(.)) < 200]"
)
ITEMPROP_PUBLISHED = etree.XPath(
    "//*[@itemprop='datePublished']/@datetime | //*[@itemprop='datePublished']/@content"
)
# page furniture that lists other articles, each with its own date: recirculation, sidebars,
# navigation, teasers
_NOT_THIS_ARTICLE = (
    "[not(ancestor::nav or ancestor::aside or ancestor::footer)]"
    "[not(ancestor::*[not(self::body or self::html)][re:test(concat(@class, ' ', @id),"
    " 'related|recirc|teaser|trending|most-?(read|popular)|more-?stories|recommend"
    "|up-?next|read-?next', 'i')])]"
)
RE = {"re": "http://exslt.org/regular-expressions"}
# the blocks listing other articles (each with its own dates), outermost only
OTHER_ARTICLES = etree.XPath(
    "//body/descendant::*[self::nav or self::aside or re:test(concat(@class, ' ', @id),"
    " 'related|recirc|teaser|trending|most-?(read|popular)|more-?stories|recommend|up-?next"
    "|read-?next', 'i')][not(ancestor::nav or ancestor::aside or ancestor::footer)]"
    "[not(.//h1)]",
    namespaces=RE,
)

# <time datetime>, most trusted first: inside the <article> that holds the headline, inside
# any article, marked as the publication time, any other - never inside a teaser card (an
# <article> with a link or a heading, when another <article> holds the headline), nor in
# lists of other articles
_NOT_ANOTHER_ARTICLE = (
    "[not(ancestor::article[not(.//h1)][.//a or .//h2 or .//h3] and //article//h1)]"
)
TIME_DATETIME = [
    etree.XPath(f"//article[.//h1]//time[@datetime]{_NOT_THIS_ARTICLE}/@datetime", namespaces=RE),
    etree.XPath(
        f"//article//time[@datetime]{_NOT_ANOTHER_ARTICLE}{_NOT_THIS_ARTICLE}/@datetime",
        namespaces=RE,
    ),
    etree.XPath(
        "//time[contains(@class,'entry-date') or contains(@class,'published')]"
        f"[@datetime]{_NOT_ANOTHER_ARTICLE}{_NOT_THIS_ARTICLE}/@datetime",
        namespaces=RE,
    ),
    etree.XPath(
        f"//time[@datetime]{_NOT_ANOTHER_ARTICLE}{_NOT_THIS_ARTICLE}/@datetime", namespaces=RE
    ),
]
DATA_UNIXTIME = etree.XPath("//*[@data-unixtime]/@data-unixtime")
# visible datelines: elements whose class/id names a date or timestamp (a <dd id="date_posted">
# in a "Date: …" definition list too), outside lists of other articles
# "//body/descendant::*" is "//body//*", in one step; the tag as one string test (faster in
# libxml2, the same elements)
_DATE_BLOCK_TAGS = etree.XPath(
    "//body/descendant::*[@class or @id]"
    "[contains('|time|span|div|p|li|small|dd|', concat('|', local-name(), '|'))]"
)
_NAMES_A_DATE = re.compile("date|time|publish", re.IGNORECASE)
_IN_THIS_ARTICLE = etree.XPath(f"boolean(self::*{_NOT_THIS_ARTICLE})", namespaces=RE)


def VISIBLE_DATE(tree: HtmlElement) -> list[HtmlElement]:
    """Blocks whose class or id names a date, a time or publishing, not in navigation, a
    sidebar, a footer or a list of other articles. The class test runs here rather than as
    an EXSLT ``re:test`` in the XPath: that is a Python callback for every element tested."""
    return [
        el
        for el in _DATE_BLOCK_TAGS(tree)
        if _NAMES_A_DATE.search(f"{el.get('class') or ''} {el.get('id') or ''}")
        and _IN_THIS_ARTICLE(el)
    ]


# byline markup: rel=author links, itemprop=author names, "byline"/"author-name" elements
BYLINE_AUTHOR = etree.XPath(
    "//*[@itemprop='author'][not(contains(@itemtype, 'Organization'))]"
    "//*[@itemprop='name'][not(self::meta)]"
    " | //a[@rel='author']"
    # [@class][contains(@class, 'name')] first: cheap tests that rule out most elements
    " | //*[@class][contains(@class, 'name')]"
    "[contains(concat(' ',normalize-space(@class),' '),' author-name ')"
    " or contains(@class,'author__name') or contains(@class,'byline__name')"
    " or contains(@class,'byline-name')]"
)
# microdata organisations: the author when it is an Organization, the publisher
MICRODATA_ORG_AUTHOR = etree.XPath(
    "//*[@itemprop='author'][contains(@itemtype, 'Organization')]//*[@itemprop='name']"
)
MICRODATA_PUBLISHER = etree.XPath("//*[@itemprop='publisher']")
PUBLISHER_NAME = etree.XPath(".//*[@itemprop='name']")
META_SECTION = etree.XPath(
    "//meta[@property='article:section' or @name='section' or @name='parsely-section']/@content"
)
META_ARTICLE_TAG = etree.XPath(
    "//meta[@property='article:tag' or @name='article:tag' or @property='og:article:tag']/@content"
)
META_NEWS_KEYWORDS = etree.XPath("//meta[@name='news_keywords']/@content")
META_KEYWORDS = etree.XPath("//meta[translate(@name,'KEYWORDS','keywords')='keywords']/@content")
# tag links (WordPress ``the_tags``: rel="tag"; categories are rel="category tag"), outside
# navigation, sidebars and footers
REL_TAG = etree.XPath(
    "//body/descendant::a[contains(concat(' ', normalize-space(@rel), ' '), ' tag ')]"
    "[not(contains(@rel, 'category'))][not(ancestor::nav or ancestor::aside or ancestor::footer)]"
)
# the article's category link: WordPress's ``rel="category tag"``, or a link inside a block
# whose class names the category (``cat-links``, ``entry-category``, ``post-category``); not
# in navigation, sidebars, or the site's own header and footer
_CATEGORY_LINKS = etree.XPath(
    "//body/descendant::a[contains(concat(' ', normalize-space(@rel), ' '), ' category ')"
    " or ancestor::*[contains(@class, 'cat')]]"
    "[not(ancestor::nav or ancestor::aside or ancestor::footer[not(ancestor::article)]"
    " or ancestor::header[not(ancestor::article)])]"
)
_CATEGORY_CLASS = re.compile(
    r"(?:^|[\s_-])(?:cat-links|categor(?:y|ies)|entry-category|post-category"
    r"|article-category)(?:$|[\s_-])",
    re.IGNORECASE,
)


def REL_CATEGORY(tree: HtmlElement) -> list[HtmlElement]:
    out = []
    for a in _CATEGORY_LINKS(tree):
        rel = f" {a.get('rel') or ''} "
        if " category " in rel or any(
            _CATEGORY_CLASS.search(anc.get("class") or "") for anc in a.iterancestors()
        ):
            out.append(a)
    return out


# a breadcrumb trail: schema.org BreadcrumbList microdata, a nav or list named breadcrumb
BREADCRUMB = etree.XPath(
    "//body/descendant::*[contains(@itemtype, 'BreadcrumbList')]"
    " | //body/descendant::*[self::nav or self::ol or self::ul or self::div]"
    "[contains(translate(concat("
    "@class, ' ', @id, ' ', @aria-label), 'BREADCRUMB', 'breadcrumb'), 'breadcrumb')]"
    "[not(ancestor::*[contains(translate(concat(@class, ' ', @id, ' ', @aria-label),"
    " 'BREADCRUMB', 'breadcrumb'), 'breadcrumb')])]"
)
# a visible list of the article's tags: a block whose class or id names tags or keywords,
# outside navigation and sidebars
_TAG_BLOCKS = etree.XPath(
    "//body/descendant::*[self::div or self::ul or self::p or self::span or self::section"
    " or self::footer]"
    "[contains(@class, 'tag') or contains(@id, 'tag') or contains(@class, 'keyword')"
    " or contains(@class, 'topic')]"
)
_TAG_CLASS = re.compile(
    r"(?:^|[\s_-])(?:tags|tag-list|taglist|post-tags|article-tags|entry-tags|tags-links"
    r"|keywords|topics)(?:$|[\s_-])",
    re.IGNORECASE,
)


def TAG_LIST(tree: HtmlElement) -> list[HtmlElement]:
    return [
        el
        for el in _TAG_BLOCKS(tree)
        if _TAG_CLASS.search(f" {el.get('class') or ''} {el.get('id') or ''} ")
        and not any(a.tag in ("nav", "aside") for a in el.iterancestors())
    ]


ITEMPROP_FREE = etree.XPath("//*[@itemprop='isAccessibleForFree']")
META_SITE_NAME = etree.XPath(
    "//meta[@property='og:site_name' or @name='application-name'"
    " or @name='apple-mobile-web-app-title']/@content"
)


_METAS = etree.XPath("//meta[@content][@name or @property]")
# (name, properties, content) of a page's <meta> tags, lower-cased
_MetaRow = tuple[str, list[str], str]
_READING = threading.local()
_T = TypeVar("_T")


@contextmanager
def reading(tree: HtmlElement) -> Iterator[None]:
    """While the metadata of ``tree`` is read: what several readers search the page for (its
    ``<meta>`` tags, asked for about eight times; its datelines) is found once, see
    :func:`once`. Only for a tree that nobody changes meanwhile: the body extraction, which
    strips tags, runs after."""
    previous = getattr(_READING, "tree", None), getattr(_READING, "found", None)
    _READING.tree, _READING.found = tree, {}
    try:
        yield
    finally:
        _READING.tree, _READING.found = previous


def once(tree: HtmlElement, name: str, find: Callable[[HtmlElement], _T]) -> _T:
    """``find(tree)``, computed once per :func:`reading` of ``tree`` (every time outside)."""
    if getattr(_READING, "tree", None) is not tree:
        return find(tree)
    found: dict[str, object] = _READING.found
    if name not in found:
        found[name] = find(tree)
    return cast(_T, found[name])


def _meta_rows(tree: HtmlElement) -> list[_MetaRow]:
    return [
        (
            (meta.get("name") or "").strip().lower(),
            (meta.get("property") or "").lower().split(),
            meta.get("content"),
        )
        for meta in _METAS(tree)
    ]


def meta_content(*names: str) -> Callable[[HtmlElement], list[str]]:
    """``content`` of ``<meta>`` tags whose ``name`` or ``property`` holds one of ``names``,
    case-insensitively; ``property`` may list several space-separated names (RDFa:
    ``property="og:title twitter:title"``). In document order."""
    wanted = frozenset(n.lower() for n in names)

    def read(tree: HtmlElement) -> list[str]:
        return [
            content
            for name, props, content in once(tree, "metas", _meta_rows)
            if name in wanted or any(p in wanted for p in props)
        ]

    return read


OG_TITLE = meta_content("og:title")
TWITTER_TITLE = meta_content("twitter:title")
META_AUTHOR_TAGS = meta_content(
    "author", "article:author", "parsely-author", "sailthru.author", "byl", "dc.creator",
    "dc:creator", "dcterms.creator", "dcterms:creator",
)  # fmt: skip
# Slack/Twitter unfurl labels: twitter:label1 "Written by", twitter:data1 the name
TWITTER_WRITTEN_BY = etree.XPath(
    "//meta[@name='twitter:data1'][//meta[@name='twitter:label1'][contains(translate(@content,"
    " 'WRITENBY', 'writenby'), 'written by')]]/@content"
)


def META_AUTHOR(tree: HtmlElement) -> list[str]:
    """Author meta tags, then a "Written by" unfurl label."""
    return [*META_AUTHOR_TAGS(tree), *TWITTER_WRITTEN_BY(tree)]


_OTHER_ARTICLE_NAMES = re.compile(
    r"related|recirc|teaser|trending|most-?(?:read|popular)|more-?stories|recommend|up-?next"
    r"|read-?next|comment",
    re.IGNORECASE,
)
_NOT_CONTENT_TAGS = frozenset(("nav", "aside", "footer"))


def IN_OTHER_ARTICLES(node: HtmlElement) -> bool:
    """Inside a list of other articles: navigation, a sidebar, a footer, or a block whose
    class or id names recirculation (related, teaser, trending, most read…) or comments."""
    for anc in node.iterancestors():
        if anc.tag in _NOT_CONTENT_TAGS:
            return True
        if anc.tag in ("body", "html"):
            return False
        names = f"{anc.get('class') or ''} {anc.get('id') or ''}"
        if names.strip() and _OTHER_ARTICLE_NAMES.search(names):
            return True
    return False


# elements whose own text starts with a by-word: byline candidates on pages without an h1
BYLINE_TEXT = etree.XPath(
    "(//body/descendant::text()"
    "[starts-with(translate(normalize-space(.), 'BYPARVON', 'byparvon'), 'by ')"
    " or normalize-space(.) = 'By' or normalize-space(.) = 'by' or normalize-space(.) = 'BY'"
    " or starts-with(normalize-space(.), 'Par ') or starts-with(normalize-space(.), 'Por ')"
    " or starts-with(normalize-space(.), 'Von ') or starts-with(normalize-space(.), 'بقلم')"
    " or starts-with(normalize-space(.), 'كتب') or starts-with(normalize-space(.), 'بواسطة')]"
    "/parent::*[not(self::script or self::style or self::title)])[position() <= 20]"
)
# text nodes that end in a by-word ("Photography by", "Recipe tested by"): role credits
BY_TEXT = etree.XPath(
    "//body/descendant::text()[contains(., ' by') or contains(., ' By') or starts-with(., 'by')"
    " or starts-with(., 'By')][string-length(.) < 200]"
)
META_OTHER_TAGS = meta_content("parsely-tags", "sailthru.tags")
META_OTHER_DESCRIPTION = meta_content(
    "twitter:description", "dc.description", "dc:description", "dcterms.description"
)
META_DC_TITLE = meta_content("dc.title", "dc:title", "dcterms.title", "dcterms:title")
META_OTHER_TITLE = meta_content("parsely-title", "sailthru.title", "citation_title")
TITLE = etree.XPath("//head/title/text()")
H1 = etree.XPath("//body/descendant::h1")
META_DESCRIPTION = etree.XPath("//meta[@name='description' or @property='og:description']/@content")
