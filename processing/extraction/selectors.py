"""Precompiled XPath selectors for metadata, one per field source."""

from __future__ import annotations

from lxml import etree

CANONICAL = etree.XPath("//link[translate(@rel,'CANONICAL','canonical')='canonical']/@href")
OG_URL = etree.XPath("//meta[@property='og:url']/@content")
HTML_LANG = etree.XPath("/html/@lang | /html/@xml:lang",
                        namespaces={"xml": "http://www.w3.org/XML/1998/namespace"})
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
ITEMPROP_PUBLISHED = etree.XPath("//*[@itemprop='datePublished']/@datetime"
                                 " | //*[@itemprop='datePublished']/@content")
TIME_DATETIME = etree.XPath("//article//time/@datetime | //time[contains(@class,'entry-date')"
                            " or contains(@class,'published')]/@datetime | //time/@datetime")
DATA_UNIXTIME = etree.XPath("//*[@data-unixtime]/@data-unixtime")
# visible datelines: elements whose class/id names a date or timestamp
VISIBLE_DATE = etree.XPath(
    "//body//*[@class or @id][self::time or self::span or self::div or self::p or self::li"
    " or self::small][re:test(concat(@class, ' ', @id), 'date|time|publish', 'i')]"
    "[not(ancestor::footer or ancestor::aside or ancestor::nav)]",
    namespaces={"re": "http://exslt.org/regular-expressions"},
)
META_AUTHOR = etree.XPath("//meta[@name='author' or @property='article:author'"
                          " or @name='parsely-author' or @name='sailthru.author' or @name='byl'"
                          " or @name='dc.creator' or @name='DC.creator']/@content")
# byline markup: rel=author links, itemprop=author names, "byline"/"author-name" elements
BYLINE_AUTHOR = etree.XPath(
    "//*[@itemprop='author']//*[@itemprop='name'][not(self::meta)]"
    " | //a[@rel='author']"
    " | //*[contains(concat(' ',normalize-space(@class),' '),' author-name ')"
    " or contains(@class,'author__name') or contains(@class,'byline__name')"
    " or contains(@class,'byline-name')]"
)
META_SECTION = etree.XPath("//meta[@property='article:section' or @name='section'"
                           " or @name='parsely-section']/@content")
META_TAGS = etree.XPath("//meta[@property='article:tag' or @name='news_keywords'"
                        " or @name='keywords']/@content")
META_SITE_NAME = etree.XPath("//meta[@property='og:site_name' or @name='application-name'"
                            " or @name='apple-mobile-web-app-title']/@content")
OG_TITLE = etree.XPath("//meta[@property='og:title']/@content")
TWITTER_TITLE = etree.XPath("//meta[@name='twitter:title']/@content")
TITLE = etree.XPath("//head/title/text()")
H1 = etree.XPath("//body//h1")
META_DESCRIPTION = etree.XPath("//meta[@name='description' or @property='og:description']"
                               "/@content")
