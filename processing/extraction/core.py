"""``extract()``: decode, parse once, read each field, build the body.

The single extraction function used by the pipeline, ``newsloom extract`` and the
benchmarks. It only composes the readers, each in its own module:

- :mod:`.decoding` - bytes to text (BOM, HTTP charset, valid UTF-8, ``<meta charset>``);
- :mod:`.published` - publication/modification dates with their source and local day;
- :mod:`.authors`, :mod:`.titles`, :mod:`.fields` - authors, title, the other fields;
- :mod:`.cascade` - the body: outlet selector or generic path (:mod:`.body`), JSON-LD
  ``articleBody``, standfirst and lead blocks.

The page is parsed once; trafilatura runs once (its fast main extractor, for the body only);
htmldate searches the page only when no other date source gives a plausible date.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from lxml.etree import ParserError

from processing.core.jsontypes import JSONObject
from processing.extraction import selectors as sel
from processing.extraction.authors import byline, credited_in_text
from processing.extraction.cascade import body_text, drop_nodes
from processing.extraction.decoding import decode_html
from processing.extraction.fields import (
    accessible_for_free,
    canonical,
    declared_language,
    description,
    section,
    tags,
)
from processing.extraction.jsonld import article, json_ld_objects
from processing.extraction.model import Extraction, ExtractionError
from processing.extraction.profile import ExtractionProfile
from processing.extraction.published import modified_at, published_at
from processing.extraction.titles import meta_titles, seo_title, site_names, title

logger = logging.getLogger(__name__)

__all__ = ["EXTRACTOR_REVISION", "Extraction", "ExtractionError", "extract", "extractor_version"]

EXTRACTOR_NAME = "newsloom-extract"
EXTRACTOR_REVISION = 7

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# comments and processing instructions carry no article text; leaving them out of the tree
# makes every later pass (and trafilatura's copy of the tree) cheaper
_PARSER = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
# every element an HtmlElement, decided in C: lxml.html's own lookup calls back into Python for
# each element proxy (form and input classes nobody here uses)
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml_html.HtmlElement,
        comment=lxml_html.HtmlComment,
        pi=lxml_html.HtmlProcessingInstruction,
        entity=lxml_html.HtmlEntity,
    )
)


def extractor_version() -> str:
    """Stamped on every row: our revision plus trafilatura's version."""
    return f"{EXTRACTOR_NAME}/{EXTRACTOR_REVISION}+trafilatura-{trafilatura.__version__}"


def parse(html: bytes | str, content_type: str | None = None) -> lxml_html.HtmlElement:
    """The page as one lxml tree; ``ExtractionError`` (``empty_body``, ``bad_encoding``,
    ``unparsable``) when it cannot be read."""
    text_html = decode_html(html, content_type)[0] if isinstance(html, bytes) else html
    if not text_html.strip():
        raise ExtractionError("empty_body", "the document is empty")
    # lxml refuses str input that carries an encoding declaration (XHTML pages)
    text_html = _XML_DECLARATION.sub("", text_html, count=1)
    try:
        tree = lxml_html.document_fromstring(text_html, parser=_PARSER)
    except (ParserError, ValueError) as exc:
        raise ExtractionError("unparsable", str(exc)) from exc
    # no reader needs styles, templates or inline graphics: every later pass (and each copy
    # trafilatura and htmldate make) is cheaper without them
    etree.strip_elements(tree, "style", "template", "svg", with_tail=False)
    return tree


def choose_layout(
    prof: ExtractionProfile,
    tree: lxml_html.HtmlElement,
    ld: JSONObject,
    url: str,
    reference_time: datetime | None,
) -> ExtractionProfile:
    """The profile with the outlet's layout for this page applied: the era that covers the
    page's publication date (``layout_date="published"``; the fetch date when the page gives
    none) or its fetch date (``"fetched"``). When that era's body selector finds nothing on
    the page and another era's does (a page the site still serves in another template), the
    nearest such era is taken instead."""
    fetched = (reference_time or datetime.now(UTC)).date()
    day = fetched
    if prof.layout_date == "published":
        day = published_at(tree, ld, url, prof.timezone, prof.published, reference_time).day or day
    eras = prof.eras_for(day)
    for era in eras:
        body = era.body or prof.body
        if not body or _body_found(tree, body, (*prof.drop, *era.drop)):
            if era is not eras[0]:
                logger.info(
                    "%s: layout %s chosen for %s has no body on the page; layout %s matches",
                    url,
                    eras[0].label,
                    day,
                    era.label,
                )
            return prof.with_layout(era)
    return prof.with_layout(eras[0])


def _body_found(tree: lxml_html.HtmlElement, body: str, drop: tuple[str, ...]) -> bool:
    """Whether the body selector matches an element that the era's ``drop`` selectors leave
    on the page (a selector for paragraph classes may also match a byline or a caption that
    ``drop`` removes)."""
    dropped = {node for css in drop for node in sel.css(tree, css)}
    for node in sel.css(tree, body):
        if not any(n in dropped for n in (node, *node.iterancestors())):
            return True
    return False


def extract(
    html: bytes | str,
    url: str,
    *,
    profile: ExtractionProfile | None = None,
    content_type: str | None = None,
    reference_time: datetime | None = None,
) -> Extraction:
    """Extract one article. ``profile`` (an outlet's selectors and time zone) is optional;
    ``reference_time`` is the fetch time (default: now): a publication date more than a day
    after it, or before 1990, is not believed.

    Raises :class:`ExtractionError` with a reason (``empty_body``, ``bad_encoding``,
    ``unparsable``) when the document cannot be read at all; quality gates (length, title,
    language) are applied by the caller through :func:`processing.extraction.gates.check_quality`.
    """
    tree = parse(html, content_type)
    prof = profile or ExtractionProfile()
    tz = prof.timezone
    objs = json_ld_objects(tree, url)
    ld = article(objs)
    if prof.layouts:
        prof = choose_layout(prof, tree, ld, url, reference_time)
    with sel.reading(tree):  # the tree is not changed until the body is read
        pub = published_at(tree, ld, url, tz, prof.published, reference_time)
        metas = meta_titles(tree, ld, url)
        headline = title(tree, ld, url, prof.title, metas)
        sites = site_names(tree, url)
        credits = byline(tree, ld, objs, url, prof.author, prof.agencies)
        result = Extraction(
            url=url,
            title=headline,
            seo_title=seo_title(tree, ld, url, headline, metas),
            canonical_url=canonical(tree, url),
            description=description(tree, ld),
            published_at=pub.at,
            published_source=pub.source if pub.at else None,
            modified_at=modified_at(tree, ld, tz, reference_time),
            authors=credits.authors,
            sources=credits.sources,
            section=section(tree, ld, objs, headline, sites),
            tags=tags(tree, ld, sites),
            declared_language=declared_language(tree),
            published_local_date=pub.day if pub.at else None,
            accessible_for_free=accessible_for_free(tree, ld, objs),
            layout=prof.layout,
            text="",
        )
        titles = [t for t in (result.title, *sel.OG_TITLE(tree), *sel.TITLE(tree)) if t]
    drop_nodes(tree, list(prof.drop))
    result.text, method = body_text(tree, url, ld, titles, prof.body, prof.drop_lines)
    if result.title and result.text.startswith(result.title):
        rest = result.text[len(result.title) :]
        # the headline glued before the first paragraph; not a first sentence that opens with
        # the headline's words ("Lorem ipsum dolor sit amet, consectetur …")
        if not rest or rest[0].isspace():
            result.text = rest.lstrip()
    for agency in credited_in_text(result.text, prof.agencies):
        if agency not in result.sources:
            result.sources.append(agency)
    logger.debug(
        "extracted %s: %d chars via %s, title=%r, published=%s (%s)",
        url,
        len(result.text),
        method,
        result.title,
        pub.at,
        pub.source,
    )
    return result
