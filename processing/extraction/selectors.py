"""Precompiled XPath selectors for metadata, one per field source."""

from __future__ import annotations

from lxml import etree

CANONICAL = etree.XPath("//link[translate(@rel,'CANONICAL','canonical')='canonical']/@href")
HTML_LANG = etree.XPath("/html/@lang | /html/@xml:lang",
                        namespaces={"xml": "http://www.w3.org/XML/1998/namespace"})
JSON_LD = etree.XPath("//script[@type='application/ld+json']/text()")
META_PUBLISHED = etree.XPath(
    "//meta[@property='article:published_time' or @name='article:published_time'"
    " or @itemprop='datePublished' or @name='pubdate' or @name='publishdate'"
    " or @name='parsely-pub-date' or @name='sailthru.date' or @name='dc.date'"
    " or @name='DC.date.issued' or @name='date' or @property='og:article:published_time'"
    " or @name='cXenseParse:recs:publishtime']/@content"
)
META_MODIFIED = etree.XPath(
    "//meta[@property='article:modified_time' or @name='article:modified_time'"
    " or @itemprop='dateModified' or @property='og:updated_time'"
    " or @name='last-modified']/@content"
)
ITEMPROP_PUBLISHED = etree.XPath("//*[@itemprop='datePublished']/@datetime"
                                 " | //*[@itemprop='datePublished']/@content")
TIME_DATETIME = etree.XPath("//article//time/@datetime | //time[contains(@class,'entry-date')"
                            " or contains(@class,'published')]/@datetime | //time/@datetime")
DATA_UNIXTIME = etree.XPath("//*[@data-unixtime]/@data-unixtime")
META_AUTHOR = etree.XPath("//meta[@name='author' or @property='article:author'"
                          " or @name='parsely-author' or @name='sailthru.author']/@content")
META_SECTION = etree.XPath("//meta[@property='article:section' or @name='section'"
                           " or @name='parsely-section']/@content")
META_TAGS = etree.XPath("//meta[@property='article:tag' or @name='news_keywords'"
                        " or @name='keywords']/@content")
OG_TITLE = etree.XPath("//meta[@property='og:title']/@content")
H1 = etree.XPath("//h1")
META_DESCRIPTION = etree.XPath("//meta[@name='description' or @property='og:description']"
                               "/@content")
