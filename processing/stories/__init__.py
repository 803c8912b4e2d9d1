"""Story links: the same article at two addresses, the same story across outlets and languages.

    from processing.stories import StoryIndex, StoredArticle, LinkSettings
    index = StoryIndex(LinkSettings.from_env())      # one per process, kept between commits
    start, end = index.span(rows)                    # the stored rows linking needs
    for a, b in index.missing(start, end):
        index.load((StoredArticle.from_columns(r) for r in table_rows(a, b)), a, b)
    result = index.link(rows)                        # rows: the ArticleRows of a commit
    result.rows[article_id].columns()                # the link columns of a new row
    result.updates                                   # stored rows whose links changed
    result.renames                                   # story ids to rename outside the span

Fingerprints (:mod:`processing.stories.fingerprint`) are b-bit MinHash signatures (datasketch)
of the text's word 3-shingles and of the English text's content words; the index
(:class:`StoryIndex`) keeps those of the recent days in memory with an LSH index
(:mod:`processing.stories.bands`) and is rebuilt from the table's ``story_fingerprint``
column. :mod:`processing.stories.linker` defines the links; docs/BENCHMARKS.md ("Story
links") has their precision, recall and cost.
"""

from processing.stories.fingerprint import (
    METHOD,
    Fingerprint,
    FingerprintError,
    fingerprint_text,
    similarity,
)
from processing.stories.linker import (
    LINK_COLUMNS,
    TEXT_LINK,
    TRANSLATION_LINK,
    LinkResult,
    LinkSettings,
    SpanNotLoaded,
    StoredArticle,
    StoryIndex,
    StoryLinks,
    StoryRename,
    english_of,
    fingerprint_row,
    row_fingerprint,
    stamp,
    with_links,
)
from processing.stories.text import normalize

__all__ = [
    "LINK_COLUMNS",
    "METHOD",
    "TEXT_LINK",
    "TRANSLATION_LINK",
    "Fingerprint",
    "FingerprintError",
    "LinkResult",
    "LinkSettings",
    "SpanNotLoaded",
    "StoredArticle",
    "StoryIndex",
    "StoryLinks",
    "StoryRename",
    "english_of",
    "fingerprint_row",
    "fingerprint_text",
    "normalize",
    "row_fingerprint",
    "similarity",
    "stamp",
    "with_links",
]
