"""URL identity: canonical URLs and the stable ``article_id`` derived from them."""

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


def article_id(canonical: str) -> str:
    """Stable 16-hex-digit id of a canonical URL (sha256 prefix)."""
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def same_site(url: str, domains: Iterable[str]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in domains)
