"""Phrase-level boilerplate filter, Arabic and English.

trafilatura drops comment forms and banners only when their markup says what they are; this
filter removes the lines that leak anyway (plain-markup comment forms, cookie banners, follow-us
prompts, image credits, Sputnik's radio schedule, SOHR's bare view counter). It works on whole
lines and never edits inside a line: published text stays as published.
"""

from __future__ import annotations

import re

# A line matching any of these (after whitespace normalisation) is boilerplate.
_LINE_PATTERNS = [
    # comment forms (tagDiv "Newspaper" and WordPress defaults)
    r"please enter your (comment|name here|email address here)!?",
    r"you have entered an incorrect email address!?",
    r"save my name, email, and website in this browser for the next time i comment\.?",
    r"(leave a (reply|comment)|post comment|submit comment|cancel reply)",
    r"your email address will not be published\.?( required fields are marked \*)?",
    r"(comment|name|email|website)\s*[:*]?\s*\*?",
    r"(الرجاء|يرجى) (إدخال|ادخال) (تعليقك|اسمك هنا|عنوان بريدك الإلكتروني)!?",
    r"(اترك|أترك) (تعليقا|تعليقاً|ردا|رداً)",
    # cookie banners
    r"this website uses cookies to improve your experience\..*",
    r"we use cookies( and similar technologies)? (to|on|for) .*",
    r"(accept( all)?( cookies)?|reject( all)?|cookie settings|manage (cookies|consent))",
    r"by (continuing to (use|browse)|using) (this|our) (site|website).*cookies.*",
    r"يستخدم (هذا )?الموقع (ملفات )?(تعريف )?الارتباط.*",
    # follow / share / newsletter prompts
    r"(follow us|تابعنا|تابعونا)\b( (on|عبر|على|في))?.{0,80}",
    r"(share|شارك|مشاركة)( (this|on|via|عبر|على))?( (article|story|post)| المقال| الخبر)?\s*:?"
    r"(\s*(facebook|twitter|x|whatsapp|telegram|email|linkedin|print|فيسبوك|تويتر|واتساب)\W*)*",
    r"(sign up|subscribe) (for|to) (our|the) (free )?(newsletter|daily briefing).{0,120}",
    r"(اشترك|اشتركوا) (في|ب) (النشرة|نشرتنا).{0,120}",
    r"(read more|اقرأ أيضا|اقرأ أيضاً|اقرأ المزيد|المزيد من الأخبار|related( articles| posts)?|"
    r"you may also like|مقالات ذات صلة|أخبار ذات صلة)\s*:?",
    # image credits ("- سبوتنيك عربي, 1920", "© Sputnik / …", "Photo: …")
    r"[-–—]\s*سبوتنيك عربي\s*,\s*\d{4}",
    r"(©|\(c\))\s*.{0,80}",
    r"(photo|image|picture)( credit)?\s*:.{0,120}",
    # radio schedule (Sputnik): bare times and programme names
    r"\d{1,2}:\d{2}",
    r"(مدار الليل والنهار|بث مباشر|البث المباشر|استمع إلى البث)",
    # view counters and empty placeholders
    r"\d{1,7}",
    r"(views?|مشاهدة|المشاهدات)\s*:?\s*\d*",
    r"&nbsp;|\u00a0",
]
_LINE_RE = re.compile(r"^(?:" + "|".join(f"(?:{p})" for p in _LINE_PATTERNS) + r")$",
                      re.IGNORECASE)
# Lines that contain one of these anywhere are form/banner text, whatever surrounds them.
_CONTAINS_RE = re.compile(
    r"please enter your comment|please enter your name here|"
    r"this website uses cookies to improve your experience|"
    r"we'll assume you're ok with this, but you can opt-out if you wish",
    re.IGNORECASE,
)
_WS = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")


def normalise_line(line: str) -> str:
    return _WS.sub(" ", line).strip()


def is_boilerplate(line: str) -> bool:
    """True for a line that is boilerplate on its own (see the module docstring)."""
    norm = normalise_line(line)
    if not norm:
        return True
    return bool(_LINE_RE.match(norm) or _CONTAINS_RE.search(norm))


def clean_text(text: str) -> str:
    """Drop boilerplate lines; keep every other line exactly as it was."""
    kept = [line.rstrip() for line in text.splitlines() if not is_boilerplate(line)]
    return "\n".join(kept).strip()


def leaks(text: str) -> list[str]:
    """The comment-form / cookie phrases still present in ``text`` (for gates and tests)."""
    return [m.group(0) for m in _CONTAINS_RE.finditer(text or "")]
