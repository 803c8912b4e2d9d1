"""Phrase-level boilerplate filter, Arabic and English.

trafilatura drops comment forms and banners only when their markup says what they are; this
filter removes the lines that leak anyway. It works on whole lines and never edits inside a
line: published text stays as published (a deliberate "fata*lities" included).

Every rule here holds across sites and says in a comment which kind of page it serves; no
rule names an outlet. What a single outlet prints (its photo credit, its radio schedule, its
view counter) is in that outlet's registry entry (``selectors.drop_lines``), applied by
:func:`drop_outlet_lines` for that outlet only.

Layers, all line-based:

- ``is_boilerplate(line)``: a line that is boilerplate wherever it appears - comment forms,
  cookie banners, follow/share/newsletter prompts, "Advertisement", "Read more: ..." teasers,
  affiliate and copyright notices, image credits, embedded-tweet signatures, view counters
  with their word ("1,204 views"), lines that are only a date or a time, or a byline with a
  date, lines that are only CSS rules.
- ``cut_at_end_marker(lines)``: a "Related stories" / "Comments" / "More from X" heading, or
  the citation apparatus of a science page ("More information:", "Story Source:",
  "Footnotes"), in the second half of the text ends the article.
- ``drop_teaser_blocks(lines)``: a recirculation heading ("Most read in Music") anywhere, with
  the teaser list right after it.
- ``trim_edges(lines)``: page furniture that is only recognisable by position - short labels
  before the first paragraph (kicker, category, "By ..." lines) and, after the last one,
  author bios, "contact the reporter at ...", "X contributed to this report", credits.
- ``leaks(text)``: the comment-form / cookie phrases that must never reach the corpus (the
  quality gate uses it).
"""

from __future__ import annotations

import re
from functools import lru_cache

from processing.core.dates import to_ascii_digits

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def normalise_line(line: str) -> str:
    """Whitespace (zero-width spaces included) collapsed to single spaces, ends stripped.
    Cached: the line filter asks for the same lines at every stage."""
    # str(): lxml's text results keep their whole parsed page alive; a cache key must not
    return _normalise_line(str(line))


@lru_cache(maxsize=8192)
def _normalise_line(line: str) -> str:
    # zero-width spaces become spaces; str.split() splits on exactly what a regex's \s
    # matches (both use Python's own whitespace test): re.sub(r"[\s\u200b…]+", " ") and
    # strip, checked on every code point, twice as fast on long paragraphs
    if _ZERO_WIDTH.search(line):
        line = _ZERO_WIDTH.sub(" ", line)
    return " ".join(line.split())


# ---- lines that are boilerplate anywhere --------------------------------------------------
# A line matching any of these completely (after whitespace normalisation, case-insensitive)
# is dropped.
_LINE_PATTERNS = [
    # comment forms of blogs and news sites (WordPress and its themes' default wording)
    r"please enter your (comment|name here|email address here)!?",
    r"you have entered an incorrect email address!?",
    r"save my name, email, and website in this browser for the next time i comment\.?",
    r"(leave a (reply|comment)|post (your )?comment|submit comment|cancel reply|reply)",
    r"your email address will not be published\.?( required fields are marked \*)?",
    r"(comment|name|email|website)\s*[:*]?\s*\*?",
    r"loading comments\W*|comments?( \(\d+\))?|\d+ comments?|view comments|show comments",
    r"(الرجاء|يرجى) (إدخال|ادخال) (تعليقك|اسمك هنا|عنوان بريدك الإلكتروني)!?",
    r"(اترك|أترك) (تعليقا|تعليقاً|ردا|رداً)|(أضف|اضف) تعليق(ا|اً)?|التعليقات",
    # comment-section policies and opinion disclaimers
    r"(the )?(views|opinions) expressed (here|in this \w+|above) are (solely )?(those of )?"
    r"the (author|writer)['’]?s?\b.{0,200}",
    # cookie banners and consent
    r"this website uses cookies to improve your experience\..*",
    r"we use cookies( and similar technologies)? (to|on|for) .*",
    r"(accept( all)?( cookies)?|reject( all)?|cookie settings|manage (cookies|consent))",
    r"by (continuing to (use|browse)|using) (this|our) (site|website).*cookies.*",
    r"يستخدم (هذا )?الموقع (ملفات )?(تعريف )?الارتباط.*",
    # follow / share / subscribe prompts
    r"(follow us|تابعنا|تابعونا)\b( (on|عبر|على|في))?.{0,80}",
    r"(share|شارك|مشاركة)( (this|on|via|عبر|على))?( (article|story|post)| المقال| الخبر)?\s*:?"
    r"(\s*(facebook|twitter|x|whatsapp|telegram|email|linkedin|print|فيسبوك|تويتر|واتساب)\W*)*",
    r"(sign up|subscribe) (for|to) (our|the) (free )?(newsletter|daily briefing).{0,120}",
    r"(thanks|thank you) for (signing up|subscribing).{0,200}",
    r"your subscription has been confirmed.{0,200}",
    r"(اشترك|اشتركوا) (في|ب) (النشرة|نشرتنا).{0,120}",
    r"(log ?in|sign ?in|sign ?up|subscribe|register|close|menu|search|home|print|email)",
    r"(install|download|get) the .{0,40}\bapp\b.{0,80}",
    # republication notes: "This story originally appeared in …", "Cross-posted from …"
    r"(editor[’']s note:\s*)?(this|the) (story|article|piece|post|report) (was )?(originally|first)"
    r" (appeared|published|ran) (in|on|at|by) .{0,300}",
    r"(this|the) (story|article|piece|post|report|column|leader) appeared in the .{0,200}",
    r"from the .{1,40} (print )?(edition|issue)",
    r"click here( to .{0,100})?",
    # teasers and navigation
    r"(read more|اقرأ أيضا|اقرأ أيضاً|اقرأ المزيد|المزيد من الأخبار|related( articles| posts| "
    r"stories| content| coverage)?|you may also like|you might (also )?like|مقالات ذات صلة|"
    r"أخبار ذات صلة|recommended( for you| reading)?|trending( now| this week)?|most (read|popular)"
    r"|more stories|top stories|latest news|editor'?s picks|what to read next|readmore)\s*:?",
    r"(read (more|next|also)|more|related( stories| articles| content| reading| coverage)?|see"
    r"( also)?|also (read|see)|required reading|recommended( reading)?|watch|listen|top reads|"
    r"further reading|more from [\w .'’-]{1,40}|اقرأ (أيضا|أيضاً|المزيد)|شاهد|اقرأ)"
    r"\s*[:|>»]\s*.{0,200}",
    r"(order reprints|today[’']s paper|share full article|explore more|see more|show more"
    r"|load more|view all|more from [\w .,'’&-]{1,40})\s*[|:]?",
    # advertising
    r"(advertisement|advertising|ad|sponsored( content)?|skip advertisement|إعلان|اعلان)",
    r"(article|story) continues (below|after)( this| the)? (ad|advertisement)\.?",
    r"continue reading( below| the main story)?\.?",
    # copyright notices and image credits of any page ("© Example / …", "Photo: …")
    r"(©|\(c\)|copyright)\s*.{0,160}",
    r"(photo|image|picture|video|gallery)s?( credit| courtesy| by)?\s*:.{0,120}",
    r"(photo|image|picture|video|gallery)s? (credit|courtesy)s?\b.{0,120}",
    r"\((photo|image|picture|video|credit)s?\b.{0,150}\)"
    r"|\[(image|photo)s? (via|by|credit).{0,150}\]",
    r"(photos?|videos?|images?)( and story)? by .{0,80}",
    r"(instagram|twitter|tiktok|youtube|facebook|x) (content|post|video)",
    r"this content can also be viewed on the site it originates from\.?",
    # embedded tweets: "— Name (@handle) December 7, 2023", bare t.co / pic.twitter.com lines
    r"[—–-]\s*.{0,80}\(@\w{1,30}\)\s*.{0,40}",
    # view counters with their word (news and blog templates), separators and empty
    # placeholders; a bare number is not boilerplate on its own (a score, a list's figure)
    r"(views?|مشاهدة|المشاهدات|قراءة)\s*:?\s*\d*",
    r"&nbsp;|\u00a0|[_*=~-]{3,}|(?:[*•·~]\s*){3,}",
]
# Patterns that may start anywhere in the line (``.{0,N}…``) are slow to try at every line;
# each runs only when its keyword is in the line.
_FLOATING_PATTERNS: list[tuple[str, str]] = [
    # comment policies of Arabic news sites ("the opinions below do not reflect…")
    (
        "الواردة",
        r".{0,200}(الآراء|التعليقات|الاراء) الواردة.{0,60}(لا تعبر|لا تعكس) عن "
        r"(رأي|وجهة نظر|راي).{0,200}",
    ),
    (
        "بالنقاش",
        r".{0,120}(ترحب|نرحب) .{0,40}بالنقاش.{0,400}",
    ),
    (
        "التعليقات",
        r".{0,200}(مراجعة|نشر) التعليقات.{0,300}",
    ),
    (
        "expressed",
        r".{0,200}\b(views|opinions) expressed (in|below|here|by).{0,120}(do not|don't|are "
        r"not|not necessarily) (reflect|represent).{0,200}",
    ),
    (
        "comment",
        r".{0,120}\bcomments? (are|is) (moderated|closed|subject to|reviewed).{0,200}",
    ),
    (
        "newsletter",
        r".{0,120}\bnewsletters?\b.{0,120}\b(sign(ing)? ?up|subscrib\w*|inbox)\b.{0,120}",
    ),
    (
        "newsletter",
        r".{0,120}\b(sign(ing)? ?up|subscrib\w*)\b.{0,120}\bnewsletters?\b.{0,120}",
    ),
    (
        "share",
        r".{0,80}?\d[\d,.]*\s*shares?\s*\d[\d,.]*\s*views?",
    ),
    (
        "commission|compensation|share of|affiliate fee|payment|revenue",
        r".{0,200}\b(may|might|will) (earn|receive|get) (a |an )?(small )?(affiliate )?"
        r"(commission|compensation|share of (the )?(sales|revenue)|fee|payments?|revenue)"
        r".{0,200}",
    ),
    (
        "independently",
        r".{0,100}\b(are|is) independently selected by (our )?editors.{0,200}",
    ),
    (
        "rights reserved",
        r".{0,150}\ball rights reserved\b.{0,120}",
    ),
    (
        "pic.twitter.com|t.co/",
        r".{0,300}\b(pic\.twitter\.com/\w+|https?://t\.co/\w+)\s*",
    ),
    (
        "clicking here",
        r".{0,80}\bby clicking here\b.{0,40}",
    ),
]
_LINE_RE = re.compile(r"^(?:" + "|".join(f"(?:{p})" for p in _LINE_PATTERNS) + r")$", re.IGNORECASE)
_FLOATING = [
    (tuple(hint.lower().split("|")), re.compile(rf"^(?:{pat})$", re.IGNORECASE))
    for hint, pat in _FLOATING_PATTERNS
]


def _floating_match(norm: str) -> bool:
    low = norm.lower()
    return any(any(h in low for h in hints) and pattern.match(norm) for hints, pattern in _FLOATING)


# a line made only of CSS rules (".embed-container { position: relative; … }"): a template's
# inline style printed as text (a CMS's JSON-LD articleBody, a broken embed); a code block is
# one line with its breaks marked (U+241E) and never matches
_CSS_ONLY = re.compile(
    r"^(?:[.#@*a-z][\w\-\[\]=\"':.#>,+~*() ]*\{(?:\s*[\w-]+\s*:\s*[^{};\u241e]+;?)+\s*\}\s*)+$",
    re.IGNORECASE,
)

# Lines that contain one of these anywhere are form/banner text, whatever surrounds them.
_CONTAINS_RE = re.compile(
    r"please enter your comment|please enter your name here|"
    r"this website uses cookies to improve your experience|"
    r"we'll assume you're ok with this, but you can opt-out if you wish",
    re.IGNORECASE,
)

# a line made only of a date/time: "Saturday 14 June 2025 05:39, UK", "Updated: Mar 3, 2025"
_MONTHS_EN = (
    r"jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|"
    r"sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?"
)
_DAYS_EN = r"(mon|tues?|wed(nes)?|thu(rs)?|fri|sat(ur)?|sun)(day)?"
_MONTHS_AR = (
    "كانون الثاني|كانون الأول|كانون الاول|شباط|آذار|اذار|نيسان|أيار|ايار|حزيران|تموز|آب|"
    "اب|أيلول|ايلول|تشرين الأول|تشرين الاول|تشرين الثاني|يناير|فبراير|مارس|أبريل|ابريل|"
    "إبريل|مايو|يونيو|يونيه|يوليو|يوليه|أغسطس|اغسطس|سبتمبر|أكتوبر|اكتوبر|نوفمبر|ديسمبر"
)
_DAYS_AR = "الأحد|الاحد|الإثنين|الاثنين|الثلاثاء|الأربعاء|الاربعاء|الخميس|الجمعة|السبت"
_DATE_WORDS = re.compile(
    rf"(?<!\w)({_MONTHS_EN}|{_DAYS_EN}|\d+(st|nd|rd|th)?|am|pm|a\.m\.|p\.m\.|utc|gmt|"
    rf"[ecmp][sd]?t|bst|cet|uk|updated|published|posted|last|modified|on|at|and|"
    rf"{_MONTHS_AR}|{_DAYS_AR}|آخر تحديث|تحديث|نشر|بتوقيت|غرينتش|ص|م)(?!\w)",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]")


# what makes a line of numbers a date: a month or weekday name, a clock time, a numeric date
_DATE_MARK = re.compile(
    rf"(?<!\w)(?:{_MONTHS_EN}|{_DAYS_EN}|{_MONTHS_AR}|{_DAYS_AR})(?!\w)"
    r"|\d{1,2}\s*:\s*\d{2}|\d{1,4}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{1,4}",
    re.IGNORECASE,
)


def is_dateline(line: str) -> bool:
    """True for a short line that is nothing but a date and/or time (news and blog templates
    print the publication or update time on its own line). A bare number is not one."""
    norm = normalise_line(line)
    if not norm or len(norm) > 90 or not _DIGIT.search(norm):
        return False
    rest = _DATE_WORDS.sub(" ", norm)
    if re.sub(r"[\W_\u0660-\u0669\u06f0-\u06f9]+", "", rest):
        return False
    return bool(_DATE_MARK.search(to_ascii_digits(norm)))


_BYLINE_WORD = re.compile(
    r"(?:^|\s)(?:by|posted by|written by|بواسطة|بقلم|كتب|كتبت)(?:\s|:)", re.IGNORECASE
)


def is_byline(line: str) -> bool:
    """True for a meta line: "<section> by <author> - <date>", "بواسطة … - 17 نوفمبر، 2026"
    (a by-word and a date, short, not a sentence)."""
    from processing.core.dates import parse_visible_date

    norm = normalise_line(line)
    if not norm or len(norm) > 150 or _SENTENCE_END.search(norm) or not _BYLINE_WORD.search(norm):
        return False
    return parse_visible_date(norm) is not None


def is_boilerplate(line: str) -> bool:
    """True for a line that is boilerplate on its own (see the module docstring)."""
    return _is_boilerplate(str(line))  # a plain str key (see normalise_line)


@lru_cache(maxsize=8192)
def _is_boilerplate(line: str) -> bool:
    norm = normalise_line(line)
    if not norm:
        return True
    return bool(
        _LINE_RE.match(norm)
        or _floating_match(norm)
        or _CONTAINS_RE.search(norm)
        or ("{" in norm and _CSS_ONLY.match(norm))
        or is_dateline(norm)
        or is_byline(norm)
    )


def clean_lines(lines: list[str]) -> list[str]:
    """The lines that are not boilerplate, each kept exactly as it was (right-stripped)."""
    return [line.rstrip() for line in lines if not is_boilerplate(line)]


@lru_cache(maxsize=256)
def _outlet_lines(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("^(?:" + "|".join(f"(?:{p})" for p in patterns) + ")$", re.IGNORECASE)


def drop_outlet_lines(lines: list[str], patterns: tuple[str, ...]) -> list[str]:
    """The lines that match none of an outlet's ``drop_lines`` patterns completely (after
    whitespace normalisation, case-insensitive): what one outlet prints and no article says
    (its photo credit, its radio schedule), kept out of the generic filter."""
    rx = _outlet_lines(patterns)
    if rx is None:
        return lines
    return [line for line in lines if not rx.match(normalise_line(line))]


def clean_text(text: str) -> str:
    """Drop boilerplate lines; keep every other line exactly as it was."""
    return "\n".join(clean_lines(text.splitlines())).strip()


# ---- furniture recognisable by position --------------------------------------------------
_SENTENCE_END = re.compile(r"[.!?؟。！？：；:;\"'”’»」』)\]]\s*$")
# Chinese, Japanese and Korean are written without spaces between words (Thai, Lao, Burmese
# and Khmer put spaces between phrases, which is close enough to words here)
_UNSPACED = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def word_count(norm: str) -> int:
    """Words of a line; in Chinese, Japanese and Korean every four characters count as one
    more word (a 20-character Chinese sentence is a sentence, not a two-word label)."""
    words = len(norm.split())
    if norm.isascii():
        return words
    return words + len(_UNSPACED.findall(norm)) // 4


def _is_label(norm: str) -> bool:
    """A short line that is not a sentence: a kicker, category, byline or UI label."""
    return (
        len(norm) <= 50
        and word_count(norm) <= 6
        and not _SENTENCE_END.search(norm)
        and not norm.startswith("- ")
    )


_TAIL_RE = re.compile(
    r"^(?:"
    r"(?:follow|contact|sign up|subscribe|related|read (?:more|the original|next)|see (?:more|also)"
    r"|for more|get (?:the|our|alerts|more)|click|copyright|©|editor[’']s note|reporting by"
    r"|additional reporting|contributing|got a (?:news )?tip|have a tip|more from|more on"
    r"|top headlines|filed under|posted in|updated (?:to|with)"
    r"|تابعونا|تابعنا|للمزيد|اقرأ|المصدر|شاهد|الوسوم|كلمات مفتاحية)\b.*"
    # label words that also start ordinary sentences ("Credit card balances rose…", "Sources
    # say…"): a label only with a colon or bar, or on a short line
    r"|(?:watch|listen|download|join|source|sources|image|images|photo|photos|credit|credits"
    r"|correction|corrections|updated|e-?mail|tips?|latest|popular|trending|recommended|share"
    r"|tags?|topics?|categories)(?:\s*[:|]|\b.{0,80}$)"
    r"|(?:this|the) (?:story|article|piece|post|interview|report|column|content) "
    r"(?:was|has been|is|originally|first|appeared|contains|may)\b.*"
    r"|.{0,200}\bcontributed (?:to )?(?:this|the) (?:story|report|article)\b.*"
    r"|.{0,120}\b(?:can be reached|reach (?:him|her|them)|is available) at\b.*"
    # author bios: "X is a senior reporter at …", "X is Example Weekly's food columnist. …"
    r"|.{0,80}\b(?:is|was|are) (?:a|an|the|[\w .&-]{1,40}['’]s) (?:[\w-]+ ){0,4}(?:reporter"
    r"|writer|editor|correspondent|journalist|contributor|columnist|analyst|producer|intern"
    r"|author|freelancer|critic|photographer|host|anchor|scout)s?\b.{0,700}"
    r"|.{0,60}\beditorial board (?:consists|is composed|is made up) of\b.{0,400}"
    # corrections and disclosures after the article
    r"|a previous ver\w* of this (?:story|article|post|report|piece)\b.{0,400}"
    r"|.{0,80}\b(?:do|does) not (?:own|hold) (?:shares|positions|stock)\b.{0,200}"
    r"|.{0,80}\bcourtesy of\b.{0,120}|all the latest\b.{0,150}"
    # photo-shoot credits: "Hair: …", "Styling: … Grooming: …", "Lead image: …"
    r"|(?:hair|makeup|nails|styling|stylist|grooming|prop styling|set design|production"
    r"|producer|photography|illustration|lead image|art direction|video)(?: [\w-]+){0,2}"
    r"\s*:.{1,300}"
    r"|.{0,120}\bdelivered (?:to your inbox|every (?:day|morning|week|\w+day))\b.{0,60}"
    r"|[—–\[].{0,200}"
    r"|our (?:editorial )?standards\s*:.{0,200}"
    r")$",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")


def _is_tail(norm: str) -> bool:
    norm = norm.lstrip("*•· ")  # "* Follow … on Snapchat"
    return bool(
        _is_label(norm) or _TAIL_RE.match(norm) or (len(norm) < 300 and _EMAIL.search(norm))
    )


def trim_edges(lines: list[str], *, max_tail_share: float = 0.5) -> list[str]:
    """Drop labels before the first paragraph and bios/credits after the last one.

    Never removes every line, and never more than ``max_tail_share`` of them from the end.
    """
    start = 0
    while start < len(lines) and _is_label(normalise_line(lines[start])):
        start += 1
    end = len(lines)
    limit = max(start + 1, len(lines) - max(1, int(len(lines) * max_tail_share)))
    while end > limit and _is_tail(normalise_line(lines[end - 1])):
        end -= 1
    kept = lines[start:end]
    return kept if kept else lines


# a heading that starts the page's furniture: comments, related/most-read/"more from" lists
_END_MARKER = re.compile(
    r"^(?:\d+\s+)?(?:comments?|join the (?:conversation|discussion)|leave a (?:comment|reply)"
    r"|discussion|conversation|related(?: articles| stories| posts| coverage| content| reading)?"
    r"|more (?:from|on) [\w .'’&-]{1,40}|more stories|recommended(?: for you| reading| stories)?"
    r"|most (?:read|popular)(?: stories| articles)?|you (?:may|might) (?:also )?like|read next"
    r"|up next|trending(?: now| stories| this week)?|latest(?: news| stories| articles)?"
    r"|top stories|what to read next|editor'?s picks|newsletters?"
    # citation apparatus of science and fact-check pages: a list of sources, not article text
    r"|more information|story source|(?:our )?sources|footnotes|references|journal information"
    r"|cite this (?:page|article)"
    r"|اقرأ أيضا|اقرأ أيضاً|مقالات ذات صلة"
    r"|أخبار ذات صلة|الأكثر قراءة|الأكثر مشاهدة|التعليقات|المراجع|المصادر)\s*:?$",
    re.IGNORECASE,
)


# the citation apparatus written inline: "More information: Jane Doe et al, …, DOI: …"
_CITATION_LINE = re.compile(
    r"^(?:more information|story source|journal information)\s*:\s*\S", re.IGNORECASE
)


def cut_at_end_marker(lines: list[str], *, after: float = 0.5) -> list[str]:
    """Cut the text at a furniture heading ("Related stories", "Comments", "More from X",
    "مقالات ذات صلة") found in its second half: what follows it is teasers, not article."""
    start = int(len(lines) * after)
    for i in range(start, len(lines)):
        norm = normalise_line(lines[i])
        if _END_MARKER.match(norm) or _CITATION_LINE.match(norm):
            return lines[:i]
    return lines


# a recirculation heading: "Most read in Music", "Example Weekly's Most Read Stories of 2023",
# "Read more on noughties stars", "Related stories"; its list of teasers goes with it
_TEASER_HEADING = re.compile(
    r"^(?:(?:[\w .&-]{1,40}['’]s )?(?:most (?:read|popular|viewed|shared)|recommended|trending"
    r"|related|top)(?: stories| articles| posts| videos| news| reads)?"
    r"(?: (?:in|on|from|of|this) [\w .'’&-]{1,40})?"
    r"|read more (?:on|about|from) [\w .'’&-]{1,40}|more (?:from|on) [\w .'’&-]{1,40}"
    r"|you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|more stories|read next|up next"
    r"|don['’]t miss|(?:people|readers) (?:are )?also (?:read|reading|viewed|liked))\s*[:.…]*$",
    re.IGNORECASE,
)


def drop_teaser_blocks(lines: list[str]) -> list[str]:
    """Drop recirculation headings ("Most read in Music", "Example Weekly's Most Read Stories of
    2023", "Read more on …") wherever they are, with the list items ("- …") right after them:
    the teaser list itself, or a leftover label when its widget was already removed."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        norm = normalise_line(lines[i])
        if len(norm) <= 80 and _TEASER_HEADING.match(norm):
            i += 1
            while i < len(lines) and normalise_line(lines[i]).startswith("- "):
                i += 1
            continue
        out.append(lines[i])
        i += 1
    return out


def drop_label_runs(lines: list[str], *, run: int = 3) -> list[str]:
    """Drop runs of ``run`` or more consecutive tiny non-sentence lines (menus, tag clouds,
    widget labels); list items ("- ...") never count. Never removes every line: a text that
    is nothing but short lines is the page's content (a list of terms), not furniture
    around it."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _is_tiny(normalise_line(lines[j])):
            j += 1
        if j - i >= run:
            i = j
            continue
        if j > i:
            out.extend(lines[i:j])
            i = j
            continue
        out.append(lines[i])
        i += 1
    return out if out else lines


def _is_tiny(norm: str) -> bool:
    return (
        len(norm) <= 30
        and word_count(norm) <= 4
        and not norm.startswith(("- ", "+ ", "* ", "• "))
        and not _NUMBERED.match(norm)
        and not re.search(r"[.!?؟:;\"”。！？：；]$", norm)
    )


_NUMBERED = re.compile(r"^(?:\d{1,3}[.)]|#\d{1,3}\b)\s*\S")  # "1. San Francisco (11-3)", "#3 Duke"


def leaks(text: str) -> list[str]:
    """The comment-form / cookie phrases still present in ``text`` (for gates and tests)."""
    return [m.group(0) for m in _CONTAINS_RE.finditer(text or "")]
