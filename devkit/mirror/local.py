"""Local detail: one sentence per paragraph that only its own article has.

The prose banks (:mod:`devkit.mirror.prose`) compose articles from a few dozen templates, so
two unrelated articles of one outlet share whole sentences, far more than two real reports
do: a story linker would see one story per outlet. Each paragraph of a story gets one more
sentence drawn from large word lists (who said it, what, where, when), seeded by the story
itself, so unrelated articles share little text while a story and its copies (re-posts,
agency copy: :mod:`devkit.mirror.republish`) keep it in common. The caller's random stream is
not touched: the catalog's layout and traps stay where they were.
"""

from __future__ import annotations

import hashlib
import random

_EN_THINGS = (
    "water tanks", "market stalls", "olive trees", "generators", "school buses", "bakery ovens",
    "street lamps", "wheat sacks", "solar panels", "irrigation pumps", "tractors",
    "fuel barrels", "classroom windows", "shop shutters", "power poles", "grain trucks",
    "telephone masts", "greenhouses", "beehives", "fishing boats", "pharmacy shelves",
    "bicycles", "satellite dishes", "cattle pens", "orchard fences", "minibuses", "kilns",
    "cold stores", "bread carts", "well pumps",
)  # fmt: skip
_EN_STATE = (
    "damaged", "out of service", "repaired", "left empty", "looted", "moved away", "burnt",
    "rebuilt", "flooded", "sealed off", "abandoned", "counted again", "sold cheaply",
    "handed back", "inspected", "replaced", "half-finished", "rationed", "locked", "cleared",
)  # fmt: skip
_EN_PLACE = (
    "old mill", "grain silo", "bus station", "water tower", "cotton gin", "railway bridge",
    "health centre", "textile workshop", "poultry farm", "stone quarry", "cement plant",
    "covered market", "girls' school", "football ground", "petrol station", "river ford",
    "customs post", "flour depot", "olive press", "cemetery wall", "power substation",
    "vegetable market", "brick factory", "sports hall", "ring road",
)  # fmt: skip
_EN_WHEN = (
    "on Monday morning", "late at night", "before dawn", "at midday", "after Friday prayers",
    "during the storm", "early on Sunday", "on Tuesday evening", "at sunset", "two days earlier",
    "over the weekend", "around noon on Thursday", "in the small hours", "last Wednesday",
    "shortly after the curfew",
)  # fmt: skip
_EN_TEMPLATES = (
    "{Who} in {town} said {n} {things} of the {family} family were {state} near the {place} "
    "{when}.",
    "According to {who}, {n} {things} by the {place} in {town} were {state}, like those of the "
    "{family} family.",
    "{Who} counted {n} {things} {state} on the road from {town} to {town2} {when}.",
    "In {town}, {who} and {who2} reported {n} {things} {state} behind the {place}.",
    "{When_cap}, {who} from {town} saw {n} {things} of the {family} family {state} next to the "
    "{place}.",
)

_AR_THINGS = (
    "خزان مياه", "بسطة في السوق", "شجرة زيتون", "مولدة كهرباء", "حافلة مدرسية", "فرن خبز",
    "عمود إنارة", "كيس قمح", "لوح طاقة شمسية", "مضخة ري", "جرار زراعي", "برميل وقود",
    "نافذة صف", "واجهة محل", "عمود كهرباء", "شاحنة حبوب", "برج اتصالات", "بيت بلاستيكي",
    "خلية نحل", "قارب صيد", "رف صيدلية", "دراجة هوائية", "صحن لاقط", "حظيرة ماشية",
    "سياج بستان", "حافلة صغيرة", "فرن فخار", "مستودع تبريد", "عربة خبز", "مضخة بئر",
)  # fmt: skip
_AR_STATE = (
    "تضررت", "خرجت عن الخدمة", "أصلحت", "تركت فارغة", "نهبت", "نقلت بعيداً", "احترقت",
    "أعيد بناؤها", "غمرتها المياه", "أغلقت", "هجرت", "أعيد عدها", "بيعت بثمن بخس", "أعيدت",
    "فحصت", "استبدلت", "بقيت نصف منجزة", "قننت", "أقفلت", "أزيلت",
)  # fmt: skip
_AR_PLACE = (
    "المطحنة القديمة", "صومعة الحبوب", "محطة الحافلات", "خزان المياه العالي", "محلج القطن",
    "جسر السكة", "المركز الصحي", "ورشة النسيج", "مدجنة البلدة", "مقلع الحجارة", "معمل الإسمنت",
    "السوق المسقوف", "مدرسة البنات", "الملعب البلدي", "محطة الوقود", "مخاضة النهر",
    "المعبر الجمركي", "مستودع الطحين", "معصرة الزيتون", "سور المقبرة", "محطة التحويل",
    "سوق الخضار", "معمل الطوب", "الصالة الرياضية", "الطريق الدائري",
)  # fmt: skip
_AR_WHEN = (
    "صباح الإثنين", "في ساعة متأخرة من الليل", "قبيل الفجر", "عند الظهيرة", "بعد صلاة الجمعة",
    "خلال العاصفة", "صباح الأحد الباكر", "مساء الثلاثاء", "عند الغروب", "قبل يومين",
    "خلال عطلة نهاية الأسبوع", "قرابة ظهر الخميس", "في الساعات الأولى من الصباح",
    "يوم الأربعاء الماضي", "بعيد حظر التجول",
)  # fmt: skip
_AR_TEMPLATES = (
    "وقال {who} في {town} إن {n} {things} لعائلة {family} {state} قرب {place} {when}.",
    "وبحسب {who}، فإن {n} {things} عند {place} في {town} {state}، مثل تلك التي لعائلة {family}.",
    "وأحصى {who} {n} {things} {state} على الطريق من {town} إلى {town2} {when}.",
    "وفي {town}، أفاد {who} و{who2} بأن {n} {things} {state} خلف {place}.",
    "و{when}، شاهد {who} من {town} {n} {things} لعائلة {family} {state} بجانب {place}.",
)  # fmt: skip


_EN_CLAUSES = (
    "while {who} in {town} saw {n} {things} {state} by the {place} {when}",
    "as {n} {things} stood {state} near the {place} of {town} {when}",
    "days after {who} from {town} found {n} {things} {state} at the {place}",
)


_SYLLABLES = (
    ("با", "ba"), ("دا", "da"), ("فا", "fa"), ("ها", "ha"), ("كا", "ka"), ("لا", "la"),
    ("ما", "ma"), ("نا", "na"), ("را", "ra"), ("سا", "sa"), ("تا", "ta"), ("زا", "za"),
    ("مي", "mi"), ("ري", "ri"), ("لو", "lu"), ("دو", "du"),
)  # fmt: skip
_ENDINGS = (("ن", "n"), ("ر", "r"), ("م", "m"), ("ل", "l"), ("", ""))
_VILLAGE = (
    ("تل", "Tell"), ("كفر", "Kafr"), ("عين", "Ain"), ("دير", "Deir"), ("خربة", "Khirbet"),
    ("بئر", "Bir"),
)  # fmt: skip


def local_rng(*parts: object) -> random.Random:
    """A random stream named by ``parts`` (a story's own text), not the caller's."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _word(rng: random.Random) -> tuple[str, str]:
    """A made-up name, in Arabic letters and in Latin ones (thousands of them)."""
    parts = [rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))]
    end = rng.choice(_ENDINGS)
    ar = "".join(a for a, _ in parts) + end[0]
    en = "".join(e for _, e in parts) + end[1]
    return ar, en.capitalize()


def _draw(rng: random.Random) -> dict[str, tuple[str, str]]:
    """One sentence's choices, in both languages: made-up people and villages (so that
    unrelated articles rarely share a name), and things from the word lists."""
    first, last, village = _word(rng), _word(rng), _word(rng)
    first2, last2, village2, family = _word(rng), _word(rng), _word(rng), _word(rng)
    prefix, prefix2 = rng.choice(_VILLAGE), rng.choice(_VILLAGE)
    t = rng.randrange(len(_EN_TEMPLATES))
    things, state = rng.randrange(len(_EN_THINGS)), rng.randrange(len(_EN_STATE))
    place, when = rng.randrange(len(_EN_PLACE)), rng.randrange(len(_EN_WHEN))
    n = str(rng.randint(11, 2999))
    return {
        "t": (_AR_TEMPLATES[t], _EN_TEMPLATES[t]),
        "who": (f"{first[0]} {last[0]}", f"{first[1]} {last[1]}"),
        "town": (f"{prefix[0]} {village[0]}", f"{prefix[1]} {village[1]}"),
        "who2": (f"{first2[0]} {last2[0]}", f"{first2[1]} {last2[1]}"),
        "town2": (f"{prefix2[0]} {village2[0]}", f"{prefix2[1]} {village2[1]}"),
        "family": family,
        "n": (n, n),
        "things": (_AR_THINGS[things], _EN_THINGS[things]),
        "state": (_AR_STATE[state], _EN_STATE[state]),
        "place": (_AR_PLACE[place], _EN_PLACE[place]),
        "when": (_AR_WHEN[when], _EN_WHEN[when]),
    }


def _render(draw: dict[str, tuple[str, str]], side: int) -> str:
    values = {k: v[side] for k, v in draw.items() if k != "t"}
    values["Who"] = values["who"]
    values["When_cap"] = values["when"][:1].upper() + values["when"][1:]
    return draw["t"][side].format(**values)


def local_sentence(rng: random.Random, lang: str) -> str:
    """One sentence of local detail in ``lang`` (``ar`` or English)."""
    return _render(_draw(rng), 0 if lang == "ar" else 1)


def local_pair(rng: random.Random) -> tuple[str, str]:
    """One sentence of local detail in Arabic and its English translation."""
    draw = _draw(rng)
    return _render(draw, 0), _render(draw, 1)


_EN_CLAUSES = (
    "while {who} in {town} saw {n} {things} {state} by the {place} {when}",
    "as {n} {things} stood {state} near the {place} of {town} {when}",
    "days after {who} from {town} found {n} {things} {state} at the {place}",
)


def local_clause(rng: random.Random) -> str:
    """A trailing English clause of local detail (for one-sentence paragraphs)."""
    draw = _draw(rng)
    values = {k: v[1] for k, v in draw.items() if k != "t"}
    return rng.choice(_EN_CLAUSES).format(**values)
