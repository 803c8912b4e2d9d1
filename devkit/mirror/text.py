# ruff: noqa: E501  (prose templates: long lines of text)
"""Deterministic news prose for the mirror: Arabic and English SOHR-style reports, Levant
regional-economy stories, and WordPress slugs.

Articles are composed from per-topic sentence templates filled with place names and numbers
drawn from a caller-supplied :class:`random.Random`, so a given seed always yields the same
corpus. Arabic numerals follow the counted-noun rules the templates rely on (3-10 take a plural,
11-99 a singular accusative), which :func:`_ar_count` guarantees.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from urllib.parse import quote

# ---- places --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """A group of towns sharing a region phrase and a dateline."""

    key: str
    region_ar: str  # "ريف إدلب الجنوبي"
    region_en: str  # "southern rural Idlib"
    dateline_ar: str  # "محافظة إدلب"
    dateline_en: str  # "Idlib province"
    towns: tuple[tuple[str, str], ...]  # (Arabic, English)


AREAS: dict[str, Area] = {
    a.key: a
    for a in (
        Area(
            "idlib_south",
            "ريف إدلب الجنوبي",
            "southern rural Idlib",
            "محافظة إدلب",
            "Idlib province",
            (
                ("كفرنبل", "Kafr Nabl"),
                ("البارة", "Al-Bara"),
                ("كنصفرة", "Kansafra"),
                ("الفطيرة", "Al-Fatira"),
                ("سفوهن", "Sufuhin"),
                ("مرعيان", "Maryan"),
                ("بليون", "Ballyoun"),
                ("فليفل", "Fleifel"),
            ),
        ),
        Area(
            "idlib_east",
            "ريف إدلب الشرقي",
            "eastern rural Idlib",
            "محافظة إدلب",
            "Idlib province",
            (
                ("سرمين", "Sarmin"),
                ("آفس", "Afes"),
                ("النيرب", "Al-Nayrab"),
                ("تفتناز", "Taftanaz"),
                ("معارة النعسان", "Maarat Al-Naasan"),
            ),
        ),
        Area(
            "idlib_north",
            "ريف إدلب الشمالي",
            "northern rural Idlib",
            "محافظة إدلب",
            "Idlib province",
            (
                ("سرمدا", "Sarmada"),
                ("أطمة", "Atmeh"),
                ("الدانا", "Al-Dana"),
                ("قاح", "Qah"),
                ("كفرلوسين", "Kafr Lusin"),
                ("دير حسان", "Deir Hassan"),
            ),
        ),
        Area(
            "aleppo_west",
            "ريف حلب الغربي",
            "western rural Aleppo",
            "محافظة حلب",
            "Aleppo province",
            (
                ("الأتارب", "Al-Atarib"),
                ("دارة عزة", "Darat Izza"),
                ("كفرنوران", "Kafr Nouran"),
                ("تقاد", "Taqad"),
                ("كفرعمة", "Kafr Amma"),
                ("الأبزمو", "Al-Abzemo"),
            ),
        ),
        Area(
            "aleppo_north",
            "ريف حلب الشمالي",
            "northern rural Aleppo",
            "محافظة حلب",
            "Aleppo province",
            (
                ("الباب", "Al-Bab"),
                ("اعزاز", "Azaz"),
                ("مارع", "Marea"),
                ("جنديرس", "Jandairis"),
                ("قباسين", "Qabasin"),
                ("صوران", "Soran"),
            ),
        ),
        Area(
            "daraa_west",
            "ريف درعا الغربي",
            "western rural Daraa",
            "محافظة درعا",
            "Daraa province",
            (
                ("طفس", "Tafas"),
                ("جاسم", "Jassim"),
                ("نوى", "Nawa"),
                ("داعل", "Dael"),
                ("المزيريب", "Al-Muzayrib"),
                ("اليادودة", "Al-Yadudah"),
                ("تل شهاب", "Tal Shihab"),
            ),
        ),
        Area(
            "daraa_east",
            "ريف درعا الشرقي",
            "eastern rural Daraa",
            "محافظة درعا",
            "Daraa province",
            (
                ("الحراك", "Al-Hirak"),
                ("بصرى الشام", "Busra Al-Sham"),
                ("صيدا", "Saida"),
                ("المسيفرة", "Al-Musayfirah"),
                ("الغارية الغربية", "Al-Ghariyah Al-Gharbiyah"),
            ),
        ),
        Area(
            "deir_east",
            "ريف دير الزور الشرقي",
            "eastern rural Deir Ezzor",
            "محافظة دير الزور",
            "Deir Ezzor province",
            (
                ("ذيبان", "Theban"),
                ("الشحيل", "Al-Shuhail"),
                ("هجين", "Hajin"),
                ("البصيرة", "Al-Busayrah"),
                ("الشعفة", "Al-Shafah"),
                ("الحوايج", "Al-Hawayej"),
            ),
        ),
        Area(
            "deir_west",
            "ريف دير الزور الغربي",
            "western rural Deir Ezzor",
            "محافظة دير الزور",
            "Deir Ezzor province",
            (
                ("الكسرة", "Al-Kasrah"),
                ("الصعوة", "Al-Sa'wa"),
                ("الحصان", "Al-Hisan"),
                ("جزرة البوحميد", "Jazrat Al-Buhamid"),
            ),
        ),
        Area(
            "hama_ghab",
            "سهل الغاب بريف حماة الشمالي الغربي",
            "Al-Ghab Plain in north-western rural Hama",
            "محافظة حماة",
            "Hama province",
            (
                ("قسطون", "Qastoun"),
                ("الزيارة", "Al-Ziyarah"),
                ("السرمانية", "Al-Sirmaniyah"),
                ("خربة الناقوس", "Khirbet Al-Naqous"),
                ("المنصورة", "Al-Mansoura"),
            ),
        ),
        Area(
            "rif_dimashq",
            "ريف دمشق",
            "Rural Damascus",
            "محافظة ريف دمشق",
            "Rural Damascus",
            (
                ("دوما", "Douma"),
                ("حرستا", "Harasta"),
                ("التل", "Al-Tal"),
                ("قدسيا", "Qudsaya"),
                ("ببيلا", "Babbila"),
                ("يلدا", "Yalda"),
            ),
        ),
        Area(
            "homs_north",
            "ريف حمص الشمالي",
            "northern rural Homs",
            "محافظة حمص",
            "Homs province",
            (
                ("الرستن", "Al-Rastan"),
                ("تلبيسة", "Talbiseh"),
                ("الحولة", "Al-Houla"),
                ("الغنطو", "Al-Ghanto"),
            ),
        ),
    )
}

# Cities for cost-of-living reports: (Arabic, English, Arabic dateline, English dateline).
CITIES: tuple[tuple[str, str, str, str], ...] = (
    ("دمشق", "Damascus", "العاصمة دمشق", "Damascus"),
    ("حلب", "Aleppo", "محافظة حلب", "Aleppo province"),
    ("حمص", "Homs", "محافظة حمص", "Homs province"),
    ("اللاذقية", "Latakia", "محافظة اللاذقية", "Latakia province"),
    ("حماة", "Hama", "محافظة حماة", "Hama province"),
    ("السويداء", "Al-Suwaidaa", "محافظة السويداء", "Al-Suwaidaa province"),
)

# ---- topics --------------------------------------------------------------------------------


# A detail sentence, or (sentence, index of the only lead it can follow).
Detail = str | tuple[str, int]


@dataclass(frozen=True)
class Telling:
    """One language's templates for a topic: leads with the titles that fit each of them."""

    leads: tuple[tuple[str, tuple[str, ...]], ...]
    details: tuple[Detail, ...]
    closings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic:
    key: str
    areas: tuple[str, ...]  # AREAS keys; empty = a city report (CITIES)
    section_ar: str
    section_en: str
    ar: Telling
    en: Telling


GENERIC_CLOSINGS_AR = (
    "ويواصل المرصد السوري لحقوق الإنسان رصد وتوثيق الانتهاكات بحق المدنيين في عموم المناطق"
    " السورية.",
    "وطالب المرصد السوري المجتمع الدولي بالتحرك العاجل لحماية المدنيين ومحاسبة المسؤولين عن"
    " الانتهاكات.",
    "وكان المرصد السوري قد نشر في وقت سابق تقارير عن حوادث مماثلة شهدتها المنطقة خلال الأشهر"
    " الماضية.",
)
GENERIC_CLOSINGS_EN = (
    "SOHR continues to monitor and document violations against civilians across Syria.",
    "SOHR has renewed its call on the international community to take urgent action to protect"
    " civilians and hold the perpetrators accountable.",
    "SOHR had earlier reported similar incidents in the area over the past months.",
)

TOPICS: tuple[Topic, ...] = (
    Topic(
        "shelling",
        ("idlib_south", "idlib_east", "aleppo_west", "hama_ghab"),
        "منطقة خفض التصعيد",
        "Violations",
        ar=Telling(
            leads=(
                (
                    "قصفت قوات النظام بأكثر من {m} قذيفة مدفعية وصاروخية، صباح اليوم، أطراف بلدة"
                    " {village} ومحيطها في {region}، ما أدى إلى أضرار مادية كبيرة في ممتلكات"
                    " المواطنين.",
                    (
                        "قصف مدفعي مكثف لقوات النظام يستهدف {village} في {region}",
                        "تصعيد جديد.. قوات النظام تقصف محيط {village} بعشرات القذائف",
                    ),
                ),
                (
                    "استهدفت قوات النظام بالقذائف الصاروخية منازل المدنيين في بلدة {village}"
                    " ب{region}، ما أسفر عن إصابة {k} مدنيين بجروح متفاوتة، بينهم {c} أطفال.",
                    (
                        "إصابة {k} مدنيين بقصف صاروخي على {village} في {region}",
                        "بينهم {c} أطفال.. إصابة {k} مدنيين بقصف لقوات النظام على {village}",
                    ),
                ),
            ),
            details=(
                "ووثق نشطاء المرصد السوري سقوط القذائف على أحياء سكنية وسط البلدة، وسط حالة من"
                " الخوف والهلع بين الأهالي.",
                ("ونُقل المصابون إلى مشفى {village2} لتلقي العلاج، حيث وُصفت حالة بعضهم بالحرجة.", 1),
                "وردت الفصائل باستهداف مواقع قوات النظام على محور {village2} بقذائف الهاون، دون"
                " ورود معلومات عن خسائر بشرية في صفوفها حتى اللحظة.",
                "وتزامن القصف مع تحليق مكثف لطائرات الاستطلاع الروسية في أجواء المنطقة.",
                "وأفادت مصادر أهلية بأن عائلات عدة غادرت منازلها في {village} باتجاه المخيمات"
                " الحدودية خشية تجدد القصف.",
                "كما طال القصف أراضي زراعية في محيط {village2}، ما أدى إلى احتراق مساحات من أشجار"
                " الزيتون.",
                "وتعمل فرق الدفاع المدني على تفقد الأماكن المستهدفة وإزالة الأنقاض من الطرقات.",
            ),
            closings=(
                "وتشهد منطقة “بوتين-أردوغان” تصعيداً متواصلاً منذ أسابيع، في ظل غياب أي تحرك جدي"
                " لوقف الخروقات.",
                "ووثق المرصد السوري منذ مطلع الشهر الجاري {m2} خرقاً لاتفاق وقف إطلاق النار في"
                " المنطقة.",
            ),
        ),
        en=Telling(
            leads=(
                (
                    "Regime forces have fired more than {m} artillery and rocket shells on {village}"
                    " and its surroundings in {region} since the early morning, causing heavy"
                    " material damage to civilians’ properties.",
                    (
                        "Regime forces shell {village} in {region} with dozens of shells",
                        "Escalation in “Putin-Erdogan” area: regime artillery pounds {village}",
                    ),
                ),
                (
                    "Regime forces have targeted residential areas in {village} in {region} with"
                    " rocket shells, injuring {k} civilians, including {c} children.",
                    (
                        "{k} civilians injured in regime rocket attack on {village}",
                        "Including {c} children: {k} civilians injured in regime shelling on"
                        " {village}",
                    ),
                ),
            ),
            details=(
                "SOHR activists have documented shells landing in residential neighbourhoods in"
                " the town centre, amid panic among residents.",
                (
                    "The injured were taken to a hospital in {village2} for treatment, and some of"
                    " them are reported to be in critical condition.",
                    1,
                ),
                "Factions responded by targeting regime positions on {village2} frontline with"
                " mortar shells, with no reports of casu*alties among them so far.",
                "The shelling coincided with intensive flights of Russian reconnaissance drones"
                " over the area.",
                "Local sources said several families left their homes in {village} and headed to"
                " camps near the Turkish border, fearing renewed shelling.",
                "The shelling also hit farmland around {village2}, setting fire to olive groves.",
                "Civil defence teams are inspecting the targeted sites and clearing rubble from"
                " the roads.",
            ),
            closings=(
                "The “Putin-Erdogan” area has been witnessing a continuous escalation for weeks,"
                " with no serious move to halt the violations.",
                "SOHR has documented {m2} violations of the ceasefire agreement in the area since"
                " the beginning of the month.",
            ),
        ),
    ),
    Topic(
        "drone",
        ("idlib_south", "aleppo_west", "hama_ghab"),
        "منطقة خفض التصعيد",
        "Violations",
        ar=Telling(
            leads=(
                (
                    "استهدفت طائرة مسيّرة انتحارية تابعة لقوات النظام سيارة مدنية على الطريق الواصل"
                    " بين {village} و{village2} في {region}، ما أدى إلى إصابة سائقها بجروح خطيرة.",
                    (
                        "مسيّرة انتحارية تستهدف سيارة مدنية على طريق {village} – {village2}",
                        "إصابة سائق سيارة مدنية باستهداف مسيّرة لقوات النظام في {region}",
                    ),
                ),
                (
                    "أصيب {k} مدنيين بجروح، جراء استهداف طائرة مسيّرة مذخّرة لدراجة نارية وتجمع"
                    " للأهالي في أطراف بلدة {village} ب{region}.",
                    (
                        "إصابة {k} مدنيين باستهداف مسيّرة لقوات النظام في {region}",
                        "مسيّرة مذخّرة تستهدف تجمعاً للأهالي في {village}",
                    ),
                ),
            ),
            details=(
                (
                    "ونُقل السائق إلى أحد المشافي القريبة لتلقي العلاج، في حين لحقت أضرار كبيرة"
                    " بالسيارة المستهدفة.",
                    0,
                ),
                (
                    "ونُقل المصابون إلى أحد المشافي القريبة لتلقي العلاج، ووُصفت حالة اثنين منهم"
                    " بالحرجة.",
                    1,
                ),
                "وتكررت خلال الأيام الماضية استهدافات الطائرات المسيّرة للمزارعين أثناء عملهم في"
                " أراضيهم القريبة من خطوط التماس.",
                "ويتجنب كثير من الأهالي سلوك الطرقات المكشوفة خلال ساعات النهار خوفاً من"
                " استهدافهم بالطائرات المسيّرة.",
                "وحلّقت طائرات مسيّرة أخرى في أجواء {village2} لساعات، وسط تحذيرات من المراصد"
                " المحلية للأهالي بضرورة توخي الحذر.",
                "كما استهدفت مسيّرة ثانية موقعاً للفصائل في محيط {village2}، دون معلومات عن الخسائر.",
            ),
            closings=(
                "ووثق المرصد السوري منذ مطلع الشهر الجاري {m2} استهدافاً بالطائرات المسيّرة على"
                " مناطق متفرقة من {dateline}.",
            ),
        ),
        en=Telling(
            leads=(
                (
                    "A regime suicide drone targeted a civilian car on the road between {village} and"
                    " {village2} in {region}, seriously injuring its driver.",
                    (
                        "Regime suicide drone targets civilian car on {village}–{village2} road",
                        "Driver seriously injured in regime drone attack in {region}",
                    ),
                ),
                (
                    "{k} civilians were injured when a loitering munition hit a motorcycle and a"
                    " gathering of residents on the outskirts of {village} in {region}.",
                    (
                        "{k} civilians injured in regime drone attack in {region}",
                        "Loitering munition hits gathering of residents in {village}",
                    ),
                ),
            ),
            details=(
                (
                    "The driver was taken to a nearby hospital for treatment, while the car was"
                    " badly damaged.",
                    0,
                ),
                (
                    "The injured were taken to a nearby hospital, two of them in critical"
                    " condition.",
                    1,
                ),
                "Over the past days, drones have repeatedly targeted farmers working their land"
                " near the frontlines, causing several fata*lities.",
                "Many residents avoid exposed roads during daylight hours for fear of being"
                " targeted by drones.",
                "Other drones hovered over {village2} for hours, while local observatories warned"
                " residents to stay cautious.",
                "A second drone targeted a faction position near {village2}, with no information"
                " on casu*alties.",
            ),
            closings=(
                "Since the beginning of the month, SOHR has documented {m2} drone attacks on"
                " different areas of {dateline}.",
            ),
        ),
    ),
    Topic(
        "daraa_security",
        ("daraa_west", "daraa_east"),
        "الجنوب السوري",
        "Security chaos",
        ar=Telling(
            leads=(
                (
                    "قُتل شاب من أبناء بلدة {village} في {region}، برصاص مسلحين مجهولين يستقلون"
                    " دراجة نارية، أثناء تواجده أمام منزله.",
                    (
                        "مقتل شاب برصاص مسلحين مجهولين في {village} ب{region}",
                        "الفلتان الأمني مستمر.. مقتل شاب أمام منزله في {village}",
                    ),
                ),
                (
                    "عُثر على جثة شاب من أبناء بلدة {village} ب{region}، وعليها آثار إطلاق نار، بعد"
                    " ساعات من اختطافه على يد مسلحين مجهولين.",
                    ("العثور على جثة شاب قرب {village} في {region} بعد ساعات من اختطافه",),
                ),
                (
                    "انفجرت عبوة ناسفة بسيارة عسكرية تابعة لقوات النظام على الطريق الواصل بين"
                    " {village} و{village2} ب{region}، ما أدى إلى مقتل عنصر وإصابة آخرين.",
                    ("انفجار عبوة ناسفة يستهدف سيارة عسكرية بين {village} و{village2}",),
                ),
            ),
            details=(
                "ولم تُعرف حتى اللحظة دوافع الحادثة، في ظل حالة من الفلتان الأمني تعيشها المحافظة.",
                (
                    "ووفقاً لمصادر المرصد السوري، فإن القتيل كان قد أجرى “تسوية” لوضعه الأمني قبل"
                    " أشهر.",
                    0,
                ),
                (
                    "ووفقاً لمصادر المرصد السوري، فإن الشاب كان قد أجرى “تسوية” لوضعه الأمني قبل"
                    " أشهر.",
                    1,
                ),
                "وفرضت الأجهزة الأمنية طوقاً حول مكان الحادثة، وسط حالة من التوتر في {village}.",
                "وتشهد مناطق {region} انتشاراً لحواجز أمنية، وسط حملات دهم واعتقال متكررة تطال"
                " شباناً من أبناء المنطقة.",
                "وتتكرر عمليات الاغتيال في ريف درعا بشكل شبه يومي، وتطال مدنيين وعناصر سابقين في"
                " الفصائل وآخرين متهمين بالتعامل مع الأجهزة الأمنية.",
            ),
            closings=(
                "وبذلك، يرتفع عدد الاستهدافات في محافظة درعا منذ مطلع العام الجاري إلى {big}،"
                " نُفذت عبر تفجير عبوات وألغام وإطلاق نار، وخلّفت {big2} قتيلاً.",
            ),
        ),
        en=Telling(
            leads=(
                (
                    "A young man from {village} in {region} was shot dead by unidentified gunmen"
                    " riding a motorcycle outside his house.",
                    (
                        "Young man shot dead by unidentified gunmen in {village} in {region}",
                        "Security chaos in Daraa: young man shot dead outside his house in"
                        " {village}",
                    ),
                ),
                (
                    "The body of a young man from {village} in {region} was found bearing gunshot"
                    " wounds, hours after he had been kid*napped by unidentified gunmen.",
                    ("Security chaos in Daraa: body of young man found near {village}",),
                ),
                (
                    "An improvised explosive device went off targeting a regime military vehicle on"
                    " the road between {village} and {village2} in {region}, ki*lling a soldier and"
                    " injuring others.",
                    ("IED explo*sion hits military vehicle between {village} and {village2}",),
                ),
            ),
            details=(
                "The motives behind the incident remain unknown, amid the state of security chaos"
                " the province has been witnessing.",
                (
                    "According to SOHR sources, the victim had concluded a “reconciliation” agreement"
                    " with regime security services months ago.",
                    0,
                ),
                (
                    "According to SOHR sources, the young man had concluded a “reconciliation”"
                    " agreement with regime security services months ago.",
                    1,
                ),
                "Security services cordoned off the area, amid tension in {village}.",
                "Areas of {region} have seen the deployment of security checkpoints, amid repeated"
                " raids and arrest campaigns targeting young men.",
                "Assa*ssinations take place in Daraa countryside almost daily, targeting"
                " civilians, former faction members and people accused of collaborating with"
                " security services.",
            ),
            closings=(
                "SOHR has documented {big} attacks in Daraa province since early this year,"
                " including shootings and explo*sions of IEDs and landmines, which resulted in"
                " {big2} fata*lities.",
            ),
        ),
    ),
    Topic(
        "deir_isis",
        ("deir_east", "deir_west"),
        "مناطق الإدارة الذاتية",
        "ISIS",
        ar=Telling(
            leads=(
                (
                    "هاجمت خلايا تابعة لتنظيم “الدولة الإسلامية” نقطة عسكرية لقوات سوريا"
                    " الديمقراطية في بلدة {village} ب{region}، ودارت اشتباكات بالأسلحة الرشاشة بين"
                    " الطرفين.",
                    (
                        "هجوم لخلايا “داعش” يستهدف نقطة لـ“قسد” في {village} ب{region}",
                        "اشتباكات بين “قسد” وخلايا التنظيم في {village} ب{region}",
                    ),
                ),
                (
                    "أطلقت قوات سوريا الديمقراطية، بمساندة من التحالف الدولي، حملة أمنية في بلدة"
                    " {village} ومحيطها ب{region}، بحثاً عن مطلوبين بتهمة الانتماء لخلايا تنظيم"
                    " “الدولة الإسلامية”.",
                    ("“قسد” تطلق حملة أمنية في {village} بحثاً عن خلايا التنظيم",),
                ),
            ),
            details=(
                (
                    "وأسفر الهجوم عن مقتل {k} عناصر من قوات سوريا الديمقراطية وإصابة آخرين، بحسب ما"
                    " أفادت به مصادر المرصد السوري.",
                    0,
                ),
                (
                    "وعلى إثر ذلك، استقدمت “قسد” تعزيزات عسكرية إلى المنطقة وفرضت طوقاً أمنياً على"
                    " محيط البلدة.",
                    0,
                ),
                (
                    "وتبنّى التنظيم الهجوم عبر معرّفاته الرسمية، مدعياً إيقاع خسائر بشرية في صفوف"
                    " “قسد”.",
                    0,
                ),
                ("واعتقلت القوات المشاركة في الحملة {k} أشخاص، واقتادتهم إلى جهة مجهولة.", 1),
                (
                    "ورافقت الحملة عمليات تفتيش للمنازل والمحال التجارية، وسط حظر للتجوال في"
                    " البلدة.",
                    1,
                ),
                "وحلّقت طائرات مروحية تابعة للتحالف الدولي على علو منخفض في أجواء {village2}.",
                "ويستغل عناصر التنظيم الطبيعة الصحراوية للبادية السورية لشن هجمات خاطفة ثم"
                " الانسحاب.",
            ),
            closings=(
                "ووثق المرصد السوري منذ مطلع العام الجاري {big} عملية لخلايا التنظيم في مناطق"
                " الإدارة الذاتية، خلّفت {big2} قتيلاً.",
            ),
        ),
        en=Telling(
            leads=(
                (
                    "ISIS cells attacked an SDF military post in {village} in {region}, and clashes"
                    " with machine guns broke out between the two sides.",
                    (
                        "ISIS cells attack SDF post in {village} in {region}",
                        "{k} SDF members ki*lled in ISIS attack in {region}",
                    ),
                ),
                (
                    "SDF, backed by the International Coalition, launched a security campaign in"
                    " {village} and its surroundings in {region}, searching for people wanted on"
                    " charges of belonging to ISIS cells.",
                    ("SDF launches security campaign in {village} in search of ISIS cells",),
                ),
            ),
            details=(
                (
                    "{k} SDF members were ki*lled and others were injured in the attack, according"
                    " to SOHR sources.",
                    0,
                ),
                (
                    "SDF brought military reinforcements to the area and imposed a security cordon"
                    " around the town.",
                    0,
                ),
                ("ISIS claimed responsibility for the attack through its official channels.", 0),
                (
                    "Forces taking part in the campaign arrested {k} people and took them to an"
                    " unknown destination.",
                    1,
                ),
                (
                    "The campaign included searches of houses and shops, amid a curfew in the"
                    " town.",
                    1,
                ),
                "Coalition helicopters flew at low altitude over {village2}.",
                "ISIS members exploit the desert terrain of the Syrian Badia to launch"
                " hit-and-run attacks.",
            ),
            closings=(
                "SOHR has documented {big} operations by ISIS cells in areas controlled by the"
                " Autonomous Administration since early this year, resulting in {big2}"
                " fata*lities.",
            ),
        ),
    ),
    Topic(
        "aid",
        ("idlib_north", "aleppo_north"),
        "الوضع الإنساني",
        "Humanitarian",
        ar=Telling(
            leads=(
                (
                    "دخلت قافلة مساعدات إنسانية مؤلفة من {t} شاحنة تابعة للأمم المتحدة، عبر معبر"
                    " باب الهوى الحدودي مع تركيا، محملة بمواد غذائية وطبية ومستلزمات إيواء.",
                    ("دخول قافلة مساعدات أممية من {t} شاحنة عبر معبر باب الهوى",),
                ),
                (
                    "يعاني قاطنو المخيمات في {region} من نقص حاد في مواد التدفئة والأغطية، مع"
                    " انخفاض درجات الحرارة واقتراب فصل الشتاء.",
                    (
                        "نقص حاد في مواد التدفئة بمخيمات {region} مع اقتراب الشتاء",
                        "مع اقتراب الشتاء.. قاطنو مخيمات {village} بلا وسائل تدفئة",
                    ),
                ),
            ),
            details=(
                (
                    "ومن المقرر أن تُوزع المساعدات على مخيمات النازحين في {village} و{village2}"
                    " ومناطق أخرى من {region}.",
                    0,
                ),
                "وتضم المخيمات العشوائية في المنطقة آلاف العائلات التي تعيش في خيام مهترئة لا تقي"
                " برد الشتاء.",
                "وقالت إحدى النازحات لنشطاء المرصد السوري إن عائلتها لم تتلقَّ أي مساعدة منذ {k}"
                " أشهر.",
                "وتشير تقديرات منظمات إنسانية إلى أن أكثر من {millions} ملايين شخص في شمال غرب"
                " سوريا بحاجة إلى مساعدات.",
                "وطالبت منظمات محلية بزيادة حجم الاستجابة الإنسانية، محذرة من تفشي الأمراض في"
                " المخيمات المكتظة.",
                "كما تعاني المخيمات من ضعف في خدمات الصرف الصحي ونقص في مياه الشرب.",
            ),
        ),
        en=Telling(
            leads=(
                (
                    "A UN aid convoy of {t} trucks entered north-west Syria through Bab Al-Hawa"
                    " border crossing with Turkey, loaded with food, medical supplies and shelter"
                    " materials.",
                    ("UN aid convoy of {t} trucks enters north-west Syria via Bab Al-Hawa",),
                ),
                (
                    "Residents of camps in {region} are suffering from a severe shortage of heating"
                    " materials and blankets, as temperatures drop and winter approaches.",
                    (
                        "Severe shortage of heating materials in camps of {region} as winter"
                        " approaches",
                        "Winter approaches: camp residents in {village} left without heating",
                    ),
                ),
            ),
            details=(
                (
                    "The aid is due to be distributed to displacement camps in {village}, {village2}"
                    " and other areas of {region}.",
                    0,
                ),
                "Informal camps in the area house thousands of families living in worn-out tents"
                " that offer no protection from the winter cold.",
                "A displaced woman told SOHR activists that her family had not received any aid"
                " for {k} months.",
                "Humanitarian organisations estimate that more than {millions} million people in"
                " north-west Syria are in need of aid.",
                "Local organisations called for a larger humanitarian response, warning of disease"
                " outbreaks in the overcrowded camps.",
                "The camps also suffer from poor sanitation services and a lack of drinking water.",
            ),
        ),
    ),
    Topic(
        "prices",
        (),
        "الوضع المعيشي",
        "Economy",
        ar=Telling(
            leads=(
                (
                    "شهدت أسواق مدينة {city} ارتفاعاً جديداً في أسعار المواد الأساسية، حيث بلغ سعر"
                    " ربطة الخبز {bread} ليرة سورية، فيما وصل سعر ليتر المازوت إلى {diesel} ليرة.",
                    ("ارتفاع جديد في أسعار الخبز والمحروقات يثقل كاهل الأهالي في {city}",),
                ),
                (
                    "تعيش مدينة {city} موجة غلاء غير مسبوقة، طالت أسعار الخضار واللحوم والمحروقات،"
                    " بالتزامن مع تراجع قيمة الليرة السورية.",
                    ("موجة غلاء تضرب أسواق {city} وسط تراجع الليرة السورية",),
                ),
            ),
            details=(
                "ويشتكي الأهالي من عجزهم عن تأمين احتياجاتهم اليومية، في ظل تدني الأجور التي لا"
                " يتجاوز متوسطها {wage_ar} ليرة شهرياً.",
                "وقال أحد سكان المدينة لنشطاء المرصد السوري إن عائلته باتت تعتمد على وجبة واحدة"
                " في اليوم بعد الارتفاع الأخير في الأسعار.",
                "ويأتي ذلك بالتزامن مع تراجع قيمة الليرة السورية أمام الدولار الأمريكي، حيث سجل"
                " سعر الصرف {fx} ليرة للدولار الواحد.",
                "كما ارتفع سعر أسطوانة الغاز المنزلي في السوق السوداء إلى {gas_ar} ليرة، مع تأخر"
                " وصول رسائل التوزيع لأشهر.",
                "ويضطر كثير من الموظفين إلى العمل في أكثر من مهنة لتأمين الحد الأدنى من متطلبات"
                " المعيشة.",
                "ورصد نشطاء المرصد السوري إغلاق عدد من المحال التجارية في {city} بسبب الركود"
                " وارتفاع تكاليف التشغيل.",
            ),
        ),
        en=Telling(
            leads=(
                (
                    "Markets in {city} have seen a new rise in prices of basic goods, with a bundle"
                    " of bread now selling for {bread_en} Syrian pounds and a litre of diesel for"
                    " {diesel_en} pounds.",
                    ("New rise in bread and fuel prices weighs on residents of {city}",),
                ),
                (
                    "{city} is going through an unprecedented wave of price hikes affecting"
                    " vegetables, meat and fuel, as the Syrian pound keeps losing value.",
                    ("Wave of price hikes hits markets in {city} as Syrian pound slides",),
                ),
            ),
            details=(
                "Residents complain that they cannot meet their daily needs, as the average"
                " monthly wage does not exceed {wage_en} pounds.",
                "A resident told SOHR activists that his family now relies on one meal a day"
                " after the latest price rise.",
                "This comes as the Syrian pound fell against the US dollar, with the exchange"
                " rate reaching {fx_en} pounds per dollar.",
                "The price of a domestic gas cylinder on the black market rose to {gas_en}"
                " pounds, as distribution messages arrive months late.",
                "Many employees are forced to work more than one job to secure the bare minimum"
                " of living expenses.",
                "SOHR activists have monitored the closure of several shops in {city} due to"
                " stagnation and rising running costs.",
            ),
        ),
    ),
    Topic(
        "return",
        ("idlib_south", "idlib_east", "hama_ghab"),
        "الوضع الإنساني",
        "Humanitarian",
        ar=Telling(
            leads=(
                (
                    "عادت {fam} عائلة نازحة إلى منازلها في بلدة {village} ب{region}، بعد سنوات من"
                    " النزوح في المخيمات.",
                    (
                        "عشرات العائلات النازحة تعود إلى {village} رغم الدمار الواسع",
                        "عودة {fam} عائلة إلى {village} في {region} وسط غياب الخدمات",
                    ),
                ),
            ),
            details=(
                "ووجد العائدون منازلهم مدمرة بشكل جزئي أو كلي، في ظل غياب شبه تام للخدمات"
                " الأساسية كالمياه والكهرباء.",
                "وطالب الأهالي المنظمات الإنسانية بالتدخل لإعادة تأهيل المدارس والمراكز الصحية"
                " في البلدة.",
                "ويعمل بعض العائدين على ترميم منازلهم بإمكانيات بسيطة، فيما لجأ آخرون إلى نصب"
                " خيام قرب منازلهم المدمرة.",
                "وقال أحد العائدين لنشطاء المرصد السوري إن العودة إلى {village} كانت أفضل من"
                " البقاء في خيمة لا تقي حر الصيف ولا برد الشتاء.",
                "وتنتشر مخلفات الحرب في الأراضي الزراعية المحيطة بالبلدة، ما يحرم كثيرين من"
                " العودة إلى العمل في أراضيهم.",
            ),
        ),
        en=Telling(
            leads=(
                (
                    "{fam} displaced families have returned to their homes in {village} in"
                    " {region}, after years of displacement in camps.",
                    (
                        "Dozens of displaced families return to {village} despite widespread"
                        " destruction",
                        "{fam} families return to {village} in {region} amid lack of services",
                    ),
                ),
            ),
            details=(
                "The returnees found their houses partly or completely destroyed, with an almost"
                " total absence of basic services such as water and electricity.",
                "Residents called on humanitarian organisations to rehabilitate schools and"
                " health centres in the town.",
                "Some returnees are repairing their houses with modest means, while others have"
                " pitched tents next to their destroyed homes.",
                "A returnee told SOHR activists that going back to {village} was better than"
                " staying in a tent that protects neither from summer heat nor winter cold.",
                "War remnants are scattered across the farmland around the town, preventing many"
                " from working their land again.",
            ),
        ),
    ),
    Topic(
        "displacement",
        ("idlib_south", "aleppo_west"),
        "الوضع الإنساني",
        "Humanitarian",
        ar=Telling(
            leads=(
                (
                    "نزحت {fam} عائلة من بلدة {village} ب{region} خلال الأيام القليلة الماضية، هرباً"
                    " من التصعيد العسكري المتواصل على المنطقة.",
                    (
                        "موجة نزوح جديدة من {village} باتجاه المخيمات الحدودية",
                        "نزوح {fam} عائلة من {region} هرباً من التصعيد",
                    ),
                ),
            ),
            details=(
                "وتوجه معظم النازحين إلى مخيمات {village2} وأطراف المدن الحدودية، حيث يقيم بعضهم"
                " لدى أقارب لهم.",
                "ويشكو النازحون من ارتفاع إيجارات المنازل في المناطق الآمنة نسبياً، وعدم قدرتهم"
                " على تحمل تكاليفها.",
                "وخرجت العائلات بما استطاعت حمله من أمتعة، تاركة خلفها محاصيلها الزراعية ومواشيها.",
                "وتعاني المخيمات المستقبلة للنازحين الجدد من اكتظاظ شديد ونقص في الخيام ومواد"
                " الإيواء.",
            ),
        ),
        en=Telling(
            leads=(
                (
                    "{fam} families have fled {village} in {region} over the past few days, escaping"
                    " the ongoing military escalation on the area.",
                    (
                        "New wave of displacement from {village} towards border camps",
                        "{fam} families flee {region} to escape escalation",
                    ),
                ),
            ),
            details=(
                "Most of the displaced headed to camps in {village2} and the outskirts of border"
                " towns, where some of them are staying with relatives.",
                "The displaced complain about high house rents in relatively safe areas, which"
                " they cannot afford.",
                "Families left with whatever belongings they could carry, leaving behind their"
                " crops and livestock.",
                "Camps receiving the newly displaced are severely overcrowded and short of tents"
                " and shelter materials.",
            ),
        ),
    ),
    Topic(
        "landmine",
        ("deir_west", "daraa_east", "hama_ghab", "aleppo_north", "homs_north"),
        "مخلفات الحرب",
        "Violations",
        ar=Telling(
            leads=(
                (
                    "قُتل طفل وأصيب {k} آخرون بجروح، جراء انفجار لغم أرضي من مخلفات الحرب أثناء"
                    " رعيهم الأغنام في أطراف بلدة {village} ب{region}.",
                    ("مقتل طفل وإصابة آخرين بانفجار لغم من مخلفات الحرب في {village}",),
                ),
                (
                    "لقي مزارع حتفه، جراء انفجار جسم من مخلفات الحرب أثناء عمله في حراثة أرضه"
                    " الزراعية بالقرب من بلدة {village} في {region}.",
                    ("انفجار جسم من مخلفات الحرب يودي بحياة مزارع في {region}",),
                ),
            ),
            details=(
                ("ونُقل المصابون إلى مشفى قريب لتلقي العلاج، ووُصفت حالة أحدهم بالخطرة.", 0),
                ("ونُقلت جثة المزارع إلى مشفى قريب، فيما طوّق الأهالي مكان الانفجار.", 1),
                "وتنتشر الألغام ومخلفات الحرب بكثافة في الأراضي الزراعية التي شهدت معارك خلال"
                " السنوات الماضية.",
                "وتطالب فرق محلية بتكثيف حملات التوعية بمخاطر الأجسام غير المنفجرة، لا سيما بين"
                " الأطفال والرعاة.",
                "وتعمل فرق الهندسة على إزالة بعض الألغام، إلا أن المساحات الملوثة ما تزال واسعة.",
            ),
            closings=(
                "وبذلك، يرتفع عدد القتلى جراء انفجار الألغام ومخلفات الحرب منذ مطلع العام الجاري"
                " إلى {m2} شخصاً، بينهم أطفال ونساء.",
            ),
        ),
        en=Telling(
            leads=(
                (
                    "A child was ki*lled and {k} others were injured when a landmine left over from"
                    " the war exploded while they were herding sheep on the outskirts of {village}"
                    " in {region}.",
                    ("Child ki*lled, others injured in landmine explo*sion in {village}",),
                ),
                (
                    "A farmer was ki*lled when a war remnant exploded while he was ploughing his land"
                    " near {village} in {region}.",
                    ("War remnant explo*sion ki*lls farmer in {region}",),
                ),
            ),
            details=(
                (
                    "The injured were taken to a nearby hospital, and one of them is in a serious"
                    " condition.",
                    0,
                ),
                (
                    "The farmer’s body was taken to a nearby hospital, while residents cordoned off"
                    " the site of the explo*sion.",
                    1,
                ),
                "Landmines and war remnants are widespread in farmland that witnessed battles in"
                " past years.",
                "Local teams are calling for more awareness campaigns about unexploded ordnance,"
                " especially among children and shepherds.",
                "Engineering teams are clearing some mines, but large areas remain contaminated.",
            ),
            closings=(
                "This brings the number of fata*lities caused by landmines and war remnants since"
                " early this year to {m2}, including children and women.",
            ),
        ),
    ),
    Topic(
        "arrests",
        ("rif_dimashq", "homs_north", "daraa_west"),
        "مناطق سيطرة النظام",
        "Violations",
        ar=Telling(
            leads=(
                (
                    "شنت الأجهزة الأمنية التابعة للنظام حملة دهم وتفتيش في بلدة {village}"
                    " ب{region}، اعتقلت خلالها {k} شبان من أبناء البلدة.",
                    (
                        "الأجهزة الأمنية تعتقل {k} شبان خلال حملة دهم في {village}",
                        "حملة اعتقالات تطال شباناً في {village} ب{region}",
                    ),
                ),
            ),
            details=(
                "واقتيد المعتقلون إلى جهة مجهولة، دون معرفة التهم الموجهة إليهم.",
                "ووفقاً لمصادر المرصد السوري، فإن عدداً من المعتقلين مطلوبون للخدمة الإلزامية"
                " والاحتياطية.",
                "وانتشرت دوريات أمنية في شوارع البلدة، وأقيمت حواجز مؤقتة على مداخلها.",
                "وتأتي الحملة بعد أيام من حملة مماثلة في {village2}، طالت عدداً من الشبان الذين"
                " أجروا “تسويات” سابقاً.",
            ),
        ),
        en=Telling(
            leads=(
                (
                    "Regime security services launched a raid and search campaign in {village} in"
                    " {region}, arresting {k} young men from the town.",
                    (
                        "Security services arrest {k} young men in raid campaign in {village}",
                        "Arrest campaign targets young men in {village} in {region}",
                    ),
                ),
            ),
            details=(
                "The detainees were taken to an unknown destination, with no information about"
                " the charges against them.",
                "According to SOHR sources, several of the detainees are wanted for compulsory"
                " and reserve military service.",
                "Security patrols deployed in the streets of the town and set up temporary"
                " checkpoints at its entrances.",
                "The campaign comes days after a similar one in {village2}, which targeted young"
                " men who had previously concluded “reconciliation” agreements.",
            ),
        ),
    ),
)

TOPICS_BY_KEY = {t.key: t for t in TOPICS}


# ---- composition ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    """One generated article: what the page shows and what a perfect extractor returns."""

    title: str
    dateline: str  # "محافظة إدلب – المرصد السوري لحقوق الإنسان::"
    sentences: tuple[tuple[str, ...], ...]  # paragraphs, each a tuple of sentences
    section: str
    topic: str
    place: str  # main town (or city) in the story's language
    tags: tuple[str, ...]


def _ar_count(rng: random.Random, lo: int, hi: int) -> int:
    """A number whose last two digits take a singular accusative noun in Arabic (11-99)."""
    while True:
        n = rng.randint(lo, hi)
        if 11 <= n % 100 <= 99:
            return n


def _values(rng: random.Random, topic: Topic, lang: str) -> tuple[dict[str, object], str, str]:
    """Slot values, the dateline place and the main place, for one story."""
    k = rng.randint(4, 9)
    v: dict[str, object] = {
        "k": k,
        "c": rng.randint(3, k - 1),  # children among the k injured: a plural count (3-8)
        "m": _ar_count(rng, 12, 95),
        "m2": _ar_count(rng, 11, 96),
        "t": _ar_count(rng, 14, 68),
        "fam": _ar_count(rng, 18, 85),
        "big": _ar_count(rng, 120, 480),
        "big2": _ar_count(rng, 111, 299),
        "millions": rng.randint(3, 4),
    }
    if topic.areas:
        area = AREAS[rng.choice(topic.areas)]
        (v_ar, v_en), (v2_ar, v2_en) = rng.sample(list(area.towns), 2)
        if lang == "ar":
            v.update(village=v_ar, village2=v2_ar, region=area.region_ar, dateline=area.dateline_ar)
            return v, area.dateline_ar, v_ar
        v.update(village=v_en, village2=v2_en, region=area.region_en, dateline=area.dateline_en)
        return v, area.dateline_en, v_en
    city_ar, city_en, dl_ar, dl_en = rng.choice(CITIES)
    bread = rng.randrange(4000, 6501, 500)
    diesel = rng.randrange(11000, 15501, 500)
    wage = rng.randrange(450000, 900001, 50000)
    fx = rng.randrange(14100, 16601, 50)
    gas = rng.randrange(180000, 260001, 5000)
    v.update(
        bread=bread,
        diesel=diesel,
        wage=wage,
        fx=fx,
        gas=gas,
        wage_ar=f"{wage // 1000} ألف",
        gas_ar=f"{gas // 1000} ألف",
        bread_en=f"{bread:,}",
        diesel_en=f"{diesel:,}",
        wage_en=f"{wage:,}",
        fx_en=f"{fx:,}",
        gas_en=f"{gas:,}",
    )
    if lang == "ar":
        v.update(city=city_ar, dateline=dl_ar)
        return v, dl_ar, city_ar
    v.update(city=city_en, dateline=dl_en)
    return v, dl_en, city_en


def _split(rng: random.Random, sentences: list[str], n_paras: int) -> list[tuple[str, ...]]:
    """Group sentences into ``n_paras`` paragraphs of 1-3 sentences, in order."""
    sizes = [1] * n_paras
    extra = len(sentences) - n_paras
    while extra > 0:
        i = rng.randrange(n_paras)
        if sizes[i] < 3:
            sizes[i] += 1
            extra -= 1
    out, pos = [], 0
    for s in sizes:
        out.append(tuple(sentences[pos : pos + s]))
        pos += s
    return out


def sohr_story(rng: random.Random, lang: str, topic: Topic | None = None) -> Story:
    """A SOHR report in Arabic (``lang="ar"``) or English, 3-7 paragraphs after the dateline."""
    topic = topic or rng.choice(TOPICS)
    values, dateline_place, place = _values(rng, topic, lang)
    if lang == "ar":
        telling, generic = topic.ar, GENERIC_CLOSINGS_AR
        dateline = f"{dateline_place} – المرصد السوري لحقوق الإنسان::"
        section = topic.section_ar
    else:
        telling, generic = topic.en, GENERIC_CLOSINGS_EN
        dateline = f"{dateline_place}, the Syrian Observatory for Human Rights:"
        section = topic.section_en
    lead_no = rng.randrange(len(telling.leads))
    lead, titles = telling.leads[lead_no]
    details = [
        d if isinstance(d, str) else d[0]
        for d in telling.details
        if isinstance(d, str) or d[1] == lead_no
    ]
    n_details = rng.randint(min(3, len(details)), len(details))
    body = [lead, *rng.sample(details, n_details)]
    tail = list(telling.closings) + rng.sample(list(generic), rng.randint(0, 2))
    if tail:
        body += rng.sample(tail, rng.randint(1, len(tail)))
    sentences = [s.format(**values) for s in body]
    n_paras = rng.randint(3, min(7, len(sentences)))
    n_paras = max(n_paras, -(-len(sentences) // 3))
    title = rng.choice(titles).format(**values)
    title = title[0].upper() + title[1:]
    tags = (
        place,
        dateline_place.replace("محافظة ", "").replace("العاصمة ", "").replace(" province", ""),
    )
    return Story(
        title, dateline, tuple(_split(rng, sentences, n_paras)), section, topic.key, place, tags
    )


# ---- Levant regional news (English, plain WordPress outlets) ------------------------------

_LEVANT = (
    (
        "Economy",
        (
            "{city} port handles {pct}% more containers in {month}",
            "Shipping lines add calls at {city} as cargo volumes recover",
        ),
        (
            "Container traffic through the port of {city} rose by {pct} percent in {month}"
            " compared with the same month last year, according to figures released by the port"
            " authority on {weekday}.",
        ),
        (
            "Officials attributed the increase to new direct shipping lines and shorter customs"
            " procedures introduced earlier this year.",
            "Importers said the faster clearance had cut storage costs, though fees remain among"
            " the highest in the region.",
            "The port handled {teu:,} twenty-foot equivalent units during the month, the highest"
            " figure since {year}.",
            "Traders warned that the recovery remains fragile while electricity shortages keep"
            " cranes idle for hours each day.",
            "A port spokesperson said a new scanning system would be installed before the end of"
            " the year to speed up inspections.",
        ),
    ),
    (
        "Energy",
        (
            "{country} raises fuel prices for the second time this quarter",
            "Fuel price increase in {country} angers drivers and transport unions",
        ),
        (
            "The energy ministry in {country} raised the price of petrol by {pct} percent on"
            " {weekday}, the second increase in three months.",
        ),
        (
            "Taxi and minibus drivers said the new prices would force them to raise fares, and"
            " transport unions threatened to strike.",
            "The ministry said the increase reflected higher import costs and that subsidies for"
            " diesel used by bakeries would stay in place.",
            "Economists estimate that fuel subsidies cost the treasury about {mn} million dollars"
            " a year.",
            "Long queues formed at petrol stations in {city} on the eve of the increase as drivers"
            " rushed to fill their tanks.",
            "Opposition lawmakers called for a parliamentary session to question the minister"
            " about the pricing formula.",
        ),
    ),
    (
        "Agriculture",
        (
            "Farmers in {region} count losses after dry {season}",
            "Wheat harvest in {region} falls short as rains fail",
        ),
        (
            "Farmers in {region} say their wheat yields fell by about {pct} percent this year"
            " after one of the driest seasons in decades.",
        ),
        (
            "Many growers could not afford diesel for irrigation pumps and left part of their"
            " fields unsown.",
            "Agricultural engineers said groundwater levels had dropped sharply in several"
            " villages around {city}.",
            "The agriculture ministry promised compensation for small farmers but has not yet"
            " announced how it will be paid.",
            "Bakeries in the area rely increasingly on imported flour, whose price has risen"
            " with the exchange rate.",
            "A cooperative in {city} said it had bought {tons:,} tonnes of wheat from members,"
            " half of last year’s amount.",
        ),
    ),
    (
        "Society",
        (
            "Schools in {city} open with crowded classrooms and teacher shortages",
            "Parents in {city} struggle with rising school costs",
        ),
        (
            "Public schools in {city} opened their doors this week with classes of up to {size}"
            " pupils, as hundreds of teaching posts remain vacant.",
        ),
        (
            "Teachers said low salaries had pushed many colleagues to leave the profession or"
            " emigrate.",
            "Parents complained that the price of notebooks and uniforms had doubled since last"
            " year.",
            "The education directorate said it had hired {hires} substitute teachers and would"
            " open evening shifts in the most crowded schools.",
            "Aid groups distributed school kits to children in informal settlements on the edge"
            " of the city.",
            "Several schools still lack heating fuel, and head teachers fear closures when"
            " temperatures drop.",
        ),
    ),
    (
        "Tourism",
        (
            "Hotel occupancy in {city} climbs as regional visitors return",
            "{city} restaurants see busiest {season} in years",
        ),
        (
            "Hotels in {city} reported average occupancy of {pct} percent last month, the highest"
            " level since {year}, according to the hoteliers’ association.",
        ),
        (
            "Most visitors came from neighbouring countries and from the diaspora, the"
            " association said.",
            "Restaurant owners said bookings had picked up despite higher menu prices.",
            "Tour operators called on the government to ease visa rules and cut airport fees to"
            " keep the momentum going.",
            "The tourism ministry plans a promotional campaign in the Gulf early next year.",
            "Power cuts remain the main complaint of guests, hotel managers said, forcing them to"
            " run generators for much of the day.",
        ),
    ),
)
_LEVANT_PLACES = (
    ("Beirut", "Lebanon", "the Bekaa valley"),
    ("Tripoli", "Lebanon", "Akkar"),
    ("Amman", "Jordan", "the Jordan Valley"),
    ("Irbid", "Jordan", "northern Jordan"),
    ("Latakia", "Syria", "the Syrian coast"),
    ("Mosul", "Iraq", "Nineveh plains"),
    ("Erbil", "Iraq", "the Kurdistan region"),
)
_LEVANT_PORTS = (  # the shipping stories need a city with a port
    ("Beirut", "Lebanon", "Mount Lebanon"),
    ("Tripoli", "Lebanon", "Akkar"),
    ("Latakia", "Syria", "the Syrian coast"),
    ("Tartus", "Syria", "the Syrian coast"),
    ("Aqaba", "Jordan", "southern Jordan"),
    ("Umm Qasr", "Iraq", "Basra province"),
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def levant_story(rng: random.Random, month: int) -> Story:
    """A regional-economy story in English (for the plain WordPress outlets)."""
    section, titles, leads, details = rng.choice(_LEVANT)
    city, country, region = rng.choice(_LEVANT_PORTS if section == "Economy" else _LEVANT_PLACES)
    values = {
        "city": city,
        "country": country,
        "region": region,
        "pct": rng.randint(7, 38),
        "month": _MONTHS[(month - 2) % 12],
        "weekday": rng.choice(_WEEKDAYS),
        "teu": rng.randrange(21000, 98000, 10),
        "year": rng.randint(2011, 2019),
        "mn": rng.randrange(300, 1900, 10),
        "season": rng.choice(("winter", "spring", "summer")),
        "tons": rng.randrange(900, 9000, 10),
        "size": rng.randint(48, 65),
        "hires": rng.randint(120, 900),
    }
    body = [rng.choice(leads), *rng.sample(list(details), rng.randint(3, len(details)))]
    sentences = [s.format(**values) for s in body]
    n_paras = rng.randint(3, min(6, len(sentences)))
    n_paras = max(n_paras, -(-len(sentences) // 3))
    title = rng.choice(titles).format(**values)
    title = title[0].upper() + title[1:]
    return Story(
        title,
        "",
        tuple(_split(rng, sentences, n_paras)),
        section,
        section.lower(),
        city,
        (city, country),
    )


# ---- slugs ---------------------------------------------------------------------------------

_AR_PUNCT = re.compile(r"[“”\"'«»،؛؟!?.,:;()\[\]{}…–—/\\|]+")
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def ascii_slug(title: str, limit: int = 80) -> str:
    """WordPress-like ASCII slug: lower case, runs of other characters become one hyphen."""
    slug = _NON_SLUG.sub("-", title.lower().replace("’", "").replace("'", "")).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


def arabic_slug(title: str, limit: int = 200) -> tuple[str, str]:
    """(decoded slug, lower-case percent-encoded slug) the way WordPress builds them.

    Punctuation goes, spaces become hyphens, then the UTF-8 bytes are percent-encoded in lower
    case and cut at a character boundary so the encoded form stays within ``limit`` characters
    (WordPress ``utf8_uri_encode($title, 200)``).
    """
    text = _AR_PUNCT.sub(" ", title.replace("ـ", ""))
    words = [w for w in text.lower().split() if w]
    decoded = "-".join(words)
    out, encoded = [], ""
    for ch in decoded:
        piece = quote(ch, safe="-").lower()
        if len(encoded) + len(piece) > limit:
            break
        encoded += piece
        out.append(ch)
    decoded = "".join(out).strip("-")
    return decoded, quote(decoded, safe="-").lower()


def upper_pct(url: str) -> str:
    """The same URL with upper-case percent-encoding (``%d8%a7`` -> ``%D8%A7``)."""
    return re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group(0).upper(), url)


def lower_pct(url: str) -> str:
    return re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group(0).lower(), url)


AR_MONTHS = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)
AR_WEEKDAYS = ("الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
EN_MONTHS = _MONTHS
EN_WEEKDAYS = _WEEKDAYS
