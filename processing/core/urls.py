"""URL identity: canonical URLs, their identity form and the stable ``article_id``.

``canonical_url`` is the URL the crawler requests and the corpus stores; ``identity_url`` is
the form two spellings of one article share (https, no trailing slash); ``article_id`` hashes
the identity form.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

# Query keys that only track the reader; dropped from every URL.
TRACKING_PARAMS = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|yclid|igshid|"
    r"_ga|_gl|ref|ref_src|cmpid|ncid|ito|at_medium|at_campaign|at_source|xtor|sr_share|"
    r"share|amp|output|s_cid|smid|cid)$",
    re.IGNORECASE,
)
_PCT = re.compile(r"%[0-9a-fA-F]{2}")
# Characters left unescaped in a normalised path (RFC 3986 pchar minus the percent sign).
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def _normalise_path(path: str) -> str:
    """One spelling per path: decode, then re-encode with upper-case hex (RFC 3986 6.2.2.1)."""
    if not path:
        return "/"
    decoded = unquote(path, errors="surrogateescape")
    return quote(decoded, safe=_PATH_SAFE, errors="surrogateescape")


def canonical_url(url: str, keep_query: Iterable[str] | None = None) -> str:
    """Canonical form of an article URL.

    https scheme kept as given, host lower-cased without default port or trailing dot,
    percent-encoding in one case (upper), fragment dropped, tracking parameters dropped.
    With ``keep_query`` given, only those query keys survive (sorted); otherwise every
    non-tracking key is kept, sorted.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "https"
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    netloc = host if port in (None, 80 if scheme == "http" else 443) else f"{host}:{port}"
    path = _normalise_path(parts.path)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    pairs = [(k, v) for k, v in pairs if not TRACKING_PARAMS.match(k)]
    if keep_query is not None:
        allowed = set(keep_query)
        pairs = [(k, v) for k, v in pairs if k in allowed]
    query = urlencode(sorted(pairs), quote_via=quote)
    return urlunsplit((scheme, netloc, path, query, ""))


def identity_url(canonical: str) -> str:
    """The identity form of a canonical URL: what ``article_id`` hashes.

    One article is often reachable under spellings that a site treats as the same page but
    :func:`canonical_url` keeps apart (the crawler must fetch the URL the outlet gave):

    - scheme: ``http`` becomes ``https`` (and a port that is then the default, 80 or 443,
      is dropped);
    - host: lower case (canonical URLs already have it);
    - path: no trailing slash, except the root path ``/`` (``/2026/11/20/a/`` and
      ``/2026/11/20/a`` are one article); an empty path is ``/``;
    - query and everything else as in the canonical URL; the fragment is dropped.

    A URL already in identity form is returned unchanged, character for character, so its
    ``article_id`` is the one it always had. ``canonical_url`` (the column, and the URL the
    crawler requests) is not affected.
    """
    parts = urlsplit(canonical)
    scheme = parts.scheme.lower()
    netloc = parts.netloc.lower()
    if scheme in ("http", "https"):
        try:
            port = parts.port
        except ValueError:  # not a port: leave the authority as it is
            port = None
        else:
            host = (parts.hostname or "").lower()
            default = port is None or port == 443 or (scheme == "http" and port == 80)
            netloc = host if default else f"{host}:{port}"
        scheme = "https"
    path = parts.path or "/"
    if path != "/" and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def article_id(canonical: str) -> str:
    """Stable 16-hex-digit id of an article: sha256 prefix of the identity form
    (:func:`identity_url`) of its canonical URL, so ``http``/``https`` and trailing-slash
    variants of one article share one id. The id of a URL already in identity form is
    the sha256 prefix of the URL itself (unchanged from the ids of earlier versions)."""
    return hashlib.sha256(identity_url(canonical).encode("utf-8")).hexdigest()[:16]


def same_site(url: str, domains: Iterable[str]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in domains)
