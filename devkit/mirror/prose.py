# ruff: noqa: E501 - sentence templates are long lines of text
"""Deterministic, fictional news prose in English and Arabic.

A :class:`Bank` holds one topic in one language: stories (section, title, lead), detail
sentences and quotations, all ``str.format`` templates whose slots (places, numbers, names)
:func:`_values` draws from the caller's :class:`random.Random`. :func:`story` composes a
title, a lead paragraph and a few detail paragraphs, so a seed always gives the same corpus.

The sentences are written so that the extractor's boilerplate filter never mistakes them for
page furniture (no "Read more:", "Follow us", bare dates or bylines), because the composed
paragraphs are the truth the pipeline is measured against. Arabic counted nouns follow the
templates' grammar: ``{n}`` is always 11-99 (singular noun), ``{k}`` 3-9 (plural noun).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from devkit.mirror.local import local_clause, local_rng, local_sentence


@dataclass(frozen=True)
class Bank:
    stories: tuple[tuple[str, str, str], ...]  # (section, title, lead)
    details: tuple[str, ...]
    quotes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Story:
    title: str
    paragraphs: tuple[str, ...]  # lead first
    section: str
    tags: tuple[str, ...]
    quote: str | None = None  # a quotation the site may place in its own block
    values: dict[str, object] = field(default_factory=dict)  # the slots (dateline places ...)


# ---- slot values -----------------------------------------------------------------------------

# (town, province, region) in Arabic and English
PLACES = (
    ('كفرنبل', 'محافظة إدلب', 'ريف إدلب الجنوبي', 'Kafr Nabl', 'Idlib province', 'southern rural Idlib'),
    ('سرمين', 'محافظة إدلب', 'ريف إدلب الشرقي', 'Sarmin', 'Idlib province', 'eastern rural Idlib'),
    ('معرة مصرين', 'محافظة إدلب', 'ريف إدلب الشمالي', 'Maarat Misrin', 'Idlib province', 'northern rural Idlib'),
    ('الأتارب', 'محافظة حلب', 'ريف حلب الغربي', 'Al-Atarib', 'Aleppo province', 'western rural Aleppo'),
    ('الباب', 'محافظة حلب', 'ريف حلب الشمالي', 'Al-Bab', 'Aleppo province', 'northern rural Aleppo'),
    ('طفس', 'محافظة درعا', 'ريف درعا الغربي', 'Tafas', 'Daraa province', 'western rural Daraa'),
    ('الصنمين', 'محافظة درعا', 'ريف درعا الشمالي', 'Al-Sanamayn', 'Daraa province', 'northern rural Daraa'),
    ('الميادين', 'محافظة دير الزور', 'ريف دير الزور الشرقي', 'Al-Mayadin', 'Deir Ezzor province', 'eastern rural Deir Ezzor'),
    ('البصيرة', 'محافظة دير الزور', 'ريف دير الزور الشرقي', 'Al-Busayrah', 'Deir Ezzor province', 'eastern rural Deir Ezzor'),
    ('الطبقة', 'محافظة الرقة', 'ريف الرقة الغربي', 'Al-Tabqa', 'Raqqa province', 'western rural Raqqa'),
    ('تلبيسة', 'محافظة حمص', 'ريف حمص الشمالي', 'Talbiseh', 'Homs province', 'northern rural Homs'),
    ('دوما', 'محافظة ريف دمشق', 'الغوطة الشرقية', 'Douma', 'Rural Damascus province', 'Eastern Ghouta'),
    ('جبلة', 'محافظة اللاذقية', 'ريف اللاذقية', 'Jableh', 'Latakia province', 'rural Latakia'),
    ('سلمية', 'محافظة حماة', 'ريف حماة الشرقي', 'Salamiyah', 'Hama province', 'eastern rural Hama'),
    ('عامودا', 'محافظة الحسكة', 'ريف الحسكة الشمالي', 'Amuda', 'Hasakah province', 'northern rural Hasakah'),
)  # fmt: skip
SY_CITIES = (("دمشق", "Damascus"), ("حلب", "Aleppo"), ("إدلب", "Idlib"), ("القامشلي", "Qamishli"),
             ("الحسكة", "Hasakah"), ("الرقة", "Raqqa"), ("دير الزور", "Deir Ezzor"), ("حمص", "Homs"),
             ("درعا", "Daraa"), ("اللاذقية", "Latakia"), ("حماة", "Hama"), ("منبج", "Manbij"),
             ("كوباني", "Kobani"), ("السويداء", "Suwayda"))  # fmt: skip
COUNTRIES = (("مصر", "القاهرة", "Egypt", "Cairo"), ("العراق", "بغداد", "Iraq", "Baghdad"),
             ("السعودية", "الرياض", "Saudi Arabia", "Riyadh"), ("الهند", "نيودلهي", "India", "New Delhi"),
             ("الصين", "بكين", "China", "Beijing"), ("البرازيل", "برازيليا", "Brazil", "Brasilia"),
             ("إيران", "طهران", "Iran", "Tehran"), ("تركيا", "أنقرة", "Turkey", "Ankara"),
             ("إندونيسيا", "جاكرتا", "Indonesia", "Jakarta"), ("الأردن", "عمّان", "Jordan", "Amman"),
             ("جنوب أفريقيا", "بريتوريا", "South Africa", "Pretoria"), ("تونس", "تونس", "Tunisia", "Tunis"))  # fmt: skip
SECTORS = (("الطاقة", "energy"), ("النقل", "transport"), ("الزراعة", "agriculture"),
           ("الصحة", "healthcare"), ("التعليم", "education"), ("السياحة", "tourism"))  # fmt: skip
US_STATES = ("Arizona", "Georgia", "Michigan", "Nevada", "Pennsylvania", "Wisconsin", "Ohio",
             "North Carolina", "Texas", "Maine", "Montana", "Iowa")  # fmt: skip
FIRST = ("Dana", "Marcus", "Elena", "Tom", "Grace", "Raymond", "Priya", "Colin", "Nadia", "Walt")
LAST = ("Whitfield", "Okafor", "Brandt", "Delgado", "Harlan", "Mercer", "Thornton", "Vasquez",
        "Lindqvist", "Abernathy")  # fmt: skip
COMMITTEES = ("Armed Services", "Appropriations", "Judiciary", "Finance", "Commerce", "Energy")
EU_COUNTRIES = ("France", "Germany", "Italy", "Spain", "Poland", "the Netherlands", "Sweden",
                "Austria", "Hungary", "Denmark", "Portugal", "Czechia")  # fmt: skip
EU_FILES = ("the packaging rules", "the methane regulation", "the customs reform",
            "the pharmaceutical package", "the rail passenger rights law", "the soil monitoring law")  # fmt: skip
LEVANT = (("Beirut", "Lebanon"), ("Tripoli", "Lebanon"), ("Sidon", "Lebanon"), ("Aqaba", "Jordan"),
          ("Amman", "Jordan"), ("Irbid", "Jordan"), ("Erbil", "Iraq"), ("Basra", "Iraq"),
          ("Latakia", "Syria"), ("Tartus", "Syria"))  # fmt: skip
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")  # fmt: skip
AR_MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
             "أكتوبر", "نوفمبر", "ديسمبر")  # fmt: skip
AR_WEEKDAYS = ("الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")


def _values(rng: random.Random, lang: str, topic: str, day: date) -> dict[str, object]:
    ar = lang == "ar"
    (t1, t2), (c1, c2) = rng.sample(PLACES, 2), rng.sample(SY_CITIES, 2)
    country = rng.choice(COUNTRIES)
    sector = rng.choice(SECTORS)
    state, city = rng.choice(US_STATES), rng.choice(LEVANT)
    v1 = rng.randint(12, 18)
    v: dict[str, object] = {
        "town": t1[0 if ar else 3],
        "town2": t2[0 if ar else 3],
        "province": t1[1 if ar else 4],
        "region": t1[2 if ar else 5],
        "city": c1[0 if ar else 1],
        "city2": c2[0 if ar else 1],
        "country": country[0 if ar else 2],
        "capital": country[1 if ar else 3],
        "sector": sector[0 if ar else 1],
        "state": state,
        "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "committee": rng.choice(COMMITTEES),
        "eu_country": rng.choice(EU_COUNTRIES),
        "file": rng.choice(EU_FILES),
        "lcity": city[0],
        "lcountry": city[1],
        "n": rng.randint(11, 99),
        "k": rng.randint(3, 9),
        "pct": rng.randint(6, 38),
        "m": rng.randint(12, 95),
        "bn": rng.randint(11, 48),
        "v1": v1,
        "v2": 26 - v1 - rng.randint(0, 2),
        "price": f"{rng.randrange(4000, 9001, 250):,}",
        "fx": f"{rng.randrange(13100, 16901, 50):,}",
        "diesel": f"{rng.randrange(11000, 15501, 500):,}",
        "mw": rng.randrange(40, 301, 10),
        "hires": rng.randrange(120, 900, 10),
        "year": rng.randint(2011, 2019),
        "weekday": AR_WEEKDAYS[day.weekday()] if ar else day.strftime("%A"),
        "month": (AR_MONTHS if ar else EN_MONTHS)[(day.month - 2) % 12],
    }
    tags = {
        "conflict": ("town", "province"),
        "syria": ("city", "town"),
        "world": ("country", "sector"),
        "us": ("state", "committee"),
        "live": ("state", "name"),
        "eu": ("eu_country", "file"),
        "business": ("lcity", "lcountry"),
    }
    v["tags"] = tuple(str(v[t]) for t in tags[topic])
    return v


# ---- the banks -------------------------------------------------------------------------------

BANKS: dict[tuple[str, str], Bank] = {
    ("en", "conflict"): Bank(
        stories=(
            (
                "Violations",
                "{n} shells hit {town} in {region} overnight",
                "Government forces fired {n} artillery and rocket shells at {town} and its surroundings in {region} overnight, causing heavy material damage to civilians’ homes.",
            ),
            (
                "Violations",
                "{k} civilians injured in drone attack near {town}",
                "A drone targeted a civilian car on the road between {town} and {town2} in {region}, injuring {k} civilians, including a child, according to SOHR sources.",
            ),
            (
                "Security chaos",
                "Gunmen assa*ssinate a local council member in {town}",
                "Unidentified gunmen shot dead a member of the local council of {town} in {region} on his way home, in a new incident of the security chaos in the area.",
            ),
            (
                "Security chaos",
                "Security forces arrest {k} young men in raids on {town}",
                "Security forces arrested {k} young men during raids on houses in {town} in {region}, and took them to an unknown destination without announcing any charges.",
            ),
            (
                "Humanitarian",
                "Landmine explosion injures {k} shepherds near {town}",
                "A landmine left over from the war exploded on farmland near {town} in {region}, injuring {k} shepherds, two of them seriously.",
            ),
        ),
        details=(
            "SOHR activists said that several houses and a school building were damaged, and that many residents fled to nearby farms.",
            "Civil defence teams moved the wounded to a hospital in {town2}, where doctors described the condition of some of them as critical.",
            "The incident comes amid an escalation in {region}, where SOHR has documented {n} fata*lities since the beginning of the month.",
            "Local sources told SOHR that the area had been relatively calm for several days before the attack.",
            "Assa*ssinations, abductions and armed robberies have become frequent in {province}, as armed groups compete for control of the roads.",
            "Families in {town2} said they are afraid to send their children to school after the latest incidents.",
            "No party has claimed responsibility so far, and the local authorities have announced an investigation.",
            "Landmines and unexploded ordnance have ki*lled dozens of civilians in rural areas since the end of the fighting, most of them farmers and children.",
            "SOHR renews its call on all parties to protect civilians and to hold those responsible for violations accountable.",
        ),
    ),
    ("ar", "conflict"): Bank(
        stories=(
            (
                "منطقة خفض التصعيد",
                "سقوط {n} قذيفة على {town} في {region}",
                "قصفت القوات الحكومية بـ{n} قذيفة مدفعية وصاروخية بلدة {town} ومحيطها في {region} خلال ساعات الليل، ما أدى إلى أضرار مادية كبيرة في ممتلكات المواطنين.",
            ),
            (
                "الفلتان الأمني",
                "إصابة {k} مدنيين باستهداف سيارة بطائرة مسيرة قرب {town}",
                "استهدفت طائرة مسيرة سيارة مدنية على الطريق الواصل بين {town} و{town2} في {region}، ما أدى إلى إصابة {k} مدنيين بجروح متفاوتة، بينهم طفل.",
            ),
            (
                "الفلتان الأمني",
                "مسلحون مجهولون يغتالون عضواً في المجلس المحلي لبلدة {town}",
                "أقدم مسلحون مجهولون على اغتيال عضو في المجلس المحلي لبلدة {town} في {region} أثناء عودته إلى منزله، في حادثة جديدة من حوادث الفلتان الأمني في المنطقة.",
            ),
            (
                "الفلتان الأمني",
                "حملة اعتقالات تطال {k} شبان في {town}",
                "شنت القوى الأمنية حملة مداهمات في بلدة {town} في {region}، واعتقلت {k} شبان واقتادتهم إلى جهة مجهولة دون توجيه تهم معلنة.",
            ),
            (
                "مخلفات الحرب",
                "إصابة {k} رعاة بانفجار لغم أرضي قرب {town}",
                "أصيب {k} رعاة بجروح جراء انفجار لغم أرضي من مخلفات الحرب في أرض زراعية قرب {town} في {region}، اثنان منهم في حالة خطرة.",
            ),
        ),
        details=(
            "وأفاد نشطاء المرصد السوري بتضرر عدد من المنازل ومبنى مدرسة، وسط حالة من الخوف بين الأهالي.",
            "ونقلت فرق الدفاع المدني المصابين إلى مشفى في {town2}، حيث وصفت حالة بعضهم بالحرجة.",
            "ويأتي ذلك في ظل تصعيد تشهده {region}، حيث وثق المرصد السوري {n} حادثة منذ مطلع الشهر الجاري.",
            "وقالت مصادر أهلية للمرصد السوري إن المنطقة شهدت هدوءاً نسبياً خلال الأيام التي سبقت الحادثة.",
            "وتتكرر عمليات الاغتيال والخطف والسلب في {province}، في ظل تنافس المجموعات المسلحة على السيطرة على الطرقات.",
            "ولم تتبنَّ أي جهة المسؤولية حتى الآن، فيما أعلنت السلطات المحلية فتح تحقيق في الحادثة.",
            "وحصدت الألغام ومخلفات الحرب أرواح عشرات المدنيين في المناطق الريفية، معظمهم من المزارعين والأطفال.",
            "ويجدد المرصد السوري مطالبته جميع الأطراف بتحييد المدنيين ومحاسبة المسؤولين عن الانتهاكات.",
        ),
    ),
    ("en", "syria"): Bank(
        stories=(
            (
                "Economy",
                "Bread price rises to {price} pounds in {city} bakeries",
                "Bakeries in {city} raised the price of a bundle of subsidised bread to {price} Syrian pounds on {weekday}, the second increase in less than three months.",
            ),
            (
                "Economy",
                "Syrian pound trades at {fx} to the dollar in {city}",
                "The Syrian pound traded at {fx} to the US dollar in the exchange shops of {city} on {weekday}, losing ground for the third week in a row.",
            ),
            (
                "Services",
                "Water returns to {city} neighbourhoods after {k}-day cut",
                "Drinking water returned to several neighbourhoods of {city} after a cut of {k} days caused by repairs to the main pumping station.",
            ),
            (
                "Society",
                "{n} displaced families return to {town}",
                "{n} displaced families returned to their homes in {town} in {region} this week, according to the local council, which expects the number to rise before winter.",
            ),
            (
                "Education",
                "Students in {city} sit exams amid {k}-hour power cuts",
                "Thousands of secondary school students in {city} began their exams on {weekday}, as power cuts of up to {k} hours a day forced many to study by battery lamps.",
            ),
        ),
        details=(
            "Residents said that wages have not kept pace with prices, and that a monthly salary now covers less than a week of basic needs.",
            "Traders in the city’s main market blamed the rise on the cost of fuel and transport.",
            "The local council said it is working with aid organisations to cover the shortfall.",
            "A resident of {city} told {source} that many families have cut back on meat and fruit to afford the rent.",
            "Officials promised that the situation would improve within weeks, but did not give a date.",
            "The price of a litre of diesel on the black market reached {diesel} pounds.",
            "Teachers complained that schools lack heating fuel and that classrooms are overcrowded.",
            "Aid workers warned that the coming winter could be harder than the last for displaced families.",
        ),
    ),
    ("ar", "syria"): Bank(
        stories=(
            (
                "اقتصاد",
                "ارتفاع سعر ربطة الخبز إلى {price} ليرة في أفران {city}",
                "رفعت أفران {city} سعر ربطة الخبز المدعوم إلى {price} ليرة سورية يوم {weekday}، في ثاني زيادة خلال أقل من ثلاثة أشهر.",
            ),
            (
                "اقتصاد",
                "الليرة السورية تسجل {fx} مقابل الدولار في أسواق {city}",
                "سجلت الليرة السورية {fx} ليرة مقابل الدولار الأمريكي في محلات الصرافة في {city} يوم {weekday}، متراجعة للأسبوع الثالث على التوالي.",
            ),
            (
                "خدمات",
                "عودة المياه إلى أحياء في {city} بعد انقطاع دام {k} أيام",
                "عادت مياه الشرب إلى عدد من أحياء {city} بعد انقطاع استمر {k} أيام بسبب أعمال صيانة في محطة الضخ الرئيسية.",
            ),
            (
                "مجتمع",
                "عودة {n} عائلة نازحة إلى {town}",
                "عادت {n} عائلة نازحة إلى منازلها في {town} في {region} خلال الأسبوع الجاري، بحسب المجلس المحلي الذي توقع ارتفاع العدد قبل حلول الشتاء.",
            ),
            (
                "تعليم",
                "طلاب {city} يقدمون امتحاناتهم وسط انقطاع الكهرباء {k} ساعات يومياً",
                "بدأ آلاف من طلاب الشهادة الثانوية في {city} امتحاناتهم يوم {weekday}، في ظل انقطاع للكهرباء يصل إلى {k} ساعات يومياً.",
            ),
        ),
        details=(
            "وقال سكان إن الأجور لم تعد تواكب ارتفاع الأسعار، وإن الراتب الشهري بات لا يغطي أكثر من أسبوع من الاحتياجات الأساسية.",
            "وعزا تجار في السوق الرئيسية للمدينة الارتفاع إلى غلاء المحروقات وأجور النقل.",
            "وقال المجلس المحلي إنه يعمل مع منظمات إغاثية لتغطية النقص.",
            "وقال أحد سكان {city} لـ{source} إن عائلات كثيرة قلّصت استهلاكها من اللحوم والفواكه لتتمكن من دفع الإيجار.",
            "ووعد مسؤولون بتحسن الوضع خلال أسابيع، دون تحديد موعد.",
            "ووصل سعر ليتر المازوت في السوق السوداء إلى {diesel} ليرة.",
            "واشتكى معلمون من نقص مادة التدفئة في المدارس واكتظاظ الصفوف بالطلاب.",
            "وحذر عاملون في المجال الإنساني من أن الشتاء المقبل قد يكون أصعب على العائلات النازحة من سابقه.",
        ),
    ),
    ("en", "world"): Bank(
        stories=(
            (
                "Economy",
                "Russia and {country} sign {n} agreements on {sector} and trade",
                "Russia and {country} signed {n} cooperation agreements in {sector} and trade on {weekday}, at the end of talks between the two governments in {capital}.",
            ),
            (
                "World",
                "Delegations from {n} countries discuss payment systems in {capital}",
                "Delegations from {n} countries met in {capital} on {weekday} to discuss joint payment systems and wider use of national currencies in trade.",
            ),
            (
                "Middle East",
                "Trade between Russia and {country} grows {pct}% this year",
                "Trade between Russia and {country} has grown by {pct} percent since the start of the year, the Russian Ministry of Economic Development said on {weekday}.",
            ),
            (
                "Russia",
                "Moscow ready to expand {sector} projects with {country}, minister says",
                "Moscow is ready to expand joint {sector} projects with {country}, a Russian minister said on {weekday}, pointing to growing interest from companies in both countries.",
            ),
        ),
        details=(
            "The sides also discussed a new logistics hub and the use of national currencies in mutual settlements.",
            "According to the ministry, trade between the two countries exceeded {bn} billion dollars last year.",
            "Experts note that demand for cooperation in {sector} has grown as countries look for alternatives to Western markets.",
            "The next round of talks is expected to take place in Moscow before the end of the year.",
            "The delegation included representatives of more than {m} companies.",
            "Analysts say the agreements could double the volume of bilateral trade within five years.",
            "Officials said the documents cover investment protection, customs procedures and joint training programmes.",
        ),
        quotes=(
            "“We see great potential in our partnership, and we are ready to move forward step by step,” the Russian minister told reporters.",
            "“Our countries share the view that trade must not be used as a weapon,” a spokesperson for the ministry said.",
            "“The results exceeded our expectations,” the head of the delegation said after the meeting.",
        ),
    ),
    ("ar", "world"): Bank(
        stories=(
            (
                "اقتصاد",
                "روسيا و{country} توقعان {n} اتفاقية في مجالي {sector} والتجارة",
                "وقعت روسيا و{country}، يوم {weekday}، {n} اتفاقية تعاون في مجالي {sector} والتجارة، في ختام مباحثات بين حكومتي البلدين في {capital}.",
            ),
            (
                "العالم",
                "وفود من {n} دولة تبحث أنظمة الدفع في {capital}",
                "بحثت وفود من {n} دولة، يوم {weekday}، في {capital} سبل تطوير أنظمة دفع مشتركة وتوسيع التسويات بالعملات الوطنية.",
            ),
            (
                "العالم العربي",
                "نمو التبادل التجاري بين روسيا و{country} بنسبة {pct} بالمئة",
                "أعلنت وزارة التنمية الاقتصادية الروسية، يوم {weekday}، أن حجم التبادل التجاري مع {country} نما بنسبة {pct} بالمئة منذ بداية العام.",
            ),
            (
                "روسيا",
                "موسكو مستعدة لتوسيع مشاريع {sector} مع {country}",
                "قال وزير روسي، يوم {weekday}، إن موسكو مستعدة لتوسيع مشاريع {sector} المشتركة مع {country}، مشيراً إلى اهتمام متزايد من الشركات في البلدين.",
            ),
        ),
        details=(
            "وبحث الجانبان أيضاً إنشاء مركز لوجستي جديد واستخدام العملات الوطنية في التسويات المتبادلة.",
            "ووفقاً للوزارة، تجاوز حجم التبادل التجاري بين البلدين {bn} مليار دولار خلال العام الماضي.",
            "ويرى خبراء أن الطلب على التعاون في مجال {sector} تزايد مع بحث الدول عن بدائل للأسواق الغربية.",
            "ومن المقرر أن تعقد الجولة المقبلة من المباحثات في موسكو قبل نهاية العام.",
            "وضم الوفد ممثلين عن أكثر من {m} شركة.",
            "ويقول محللون إن الاتفاقيات قد تضاعف حجم التجارة الثنائية خلال خمس سنوات.",
            "وأوضح مسؤولون أن الوثائق تشمل حماية الاستثمارات والإجراءات الجمركية وبرامج تدريب مشتركة.",
        ),
        quotes=(
            "«نرى إمكانات كبيرة في شراكتنا، ونحن مستعدون للمضي قدماً خطوة بخطوة»، بحسب ما قاله الوزير الروسي للصحفيين.",
            "«تتفق بلداننا على أن التجارة يجب ألا تستخدم سلاحاً»، وفقاً للمتحدث باسم الوزارة.",
            "«فاقت النتائج توقعاتنا»، هكذا علق رئيس الوفد عقب الاجتماع.",
        ),
    ),
    ("en", "us"): Bank(
        stories=(
            (
                "Congress",
                "House GOP eyes {k}-week funding patch as shutdown deadline nears",
                "House Republican leaders are lining up a stopgap bill that would keep the government open for {k} more weeks, buying time for talks on a full-year spending deal.",
            ),
            (
                "Congress",
                "Senate panel advances {name}'s nomination on a {v1}-{v2} vote",
                "The Senate {committee} Committee voted {v1}-{v2} on {weekday} to advance the nomination of {name}, sending the pick to the floor despite objections from several members.",
            ),
            (
                "Elections",
                "{state} Senate race tightens as outside groups pour in ${m} million",
                "Outside groups have reserved more than ${m} million in ads in the {state} Senate race, a sign that both parties now see the contest as a tossup.",
            ),
            (
                "Supreme Court",
                "Supreme Court weighs limits on agency power in {state} case",
                "The Supreme Court on {weekday} heard arguments in a case from {state} that could limit how far federal agencies can go in writing rules without new votes in Congress.",
            ),
            (
                "Defense",
                "Pentagon asks Congress for ${bn} billion to speed up shipbuilding",
                "The Pentagon is asking lawmakers for ${bn} billion to expand shipyards and hire workers, arguing that delays have put the Navy years behind schedule.",
            ),
            (
                "Trade",
                "White House weighs new tariffs on {k} categories of imports",
                "The administration is weighing new tariffs on {k} categories of imported goods, according to two officials familiar with the discussions, a move that has alarmed business groups.",
            ),
        ),
        details=(
            "The timing is tight: lawmakers are scheduled to leave town for the holidays in less than three weeks.",
            "Democrats have signaled they will not support the plan without changes, setting up another round of negotiations.",
            "{name} said in a brief interview that the votes were there, though leadership aides were more cautious.",
            "The fight is the latest test for a narrow majority that has struggled to pass even routine bills.",
            "Several members said privately that they expect the issue to slip into next year.",
            "Business groups, including the U.S. Chamber of Commerce, have lobbied hard against the proposal.",
            "A spokesperson for the White House declined to comment on the internal deliberations.",
            "Polling in {state} has shown the race within the margin of error for months.",
            "The committee’s ranking member called the process rushed and asked for another hearing.",
            "A decision is expected by the end of June, in the middle of the campaign season.",
        ),
        quotes=(
            "“We are going to get this done, and we are going to do it the right way,” {name} told reporters outside the chamber.",
            "“Nobody wants a shutdown before Christmas,” said one senior GOP aide, who was granted anonymity to speak candidly.",
        ),
    ),
    ("en", "live"): Bank(
        stories=(
            ("Elections", "Live updates: {state} primary results", ""),
            ("Congress", "Live updates: {name} testifies before the {committee} Committee", ""),
        ),
        details=(
            "Polls have now closed across {state}, and the first results are expected within the hour.",
            "Turnout appears to be higher than four years ago in the suburbs, according to early figures from county officials.",
            "{name} is holding an election night event in the state capital, where supporters began arriving early in the evening.",
            "With about a third of the vote counted, the race remains too close to call.",
            "The Associated Press has not yet called the race, citing the number of ballots still outstanding.",
            "Aides to both campaigns say they expect counting to continue well past midnight.",
            "The first returns from rural counties show the incumbent running slightly ahead of his margin in the last election.",
            "Election officials in the largest county said they would release another batch of results before dawn.",
        ),
    ),
    ("en", "eu"): Bank(
        stories=(
            (
                "Agriculture",
                "EU countries back plan to simplify {k} farm rules",
                "Agriculture ministers backed a plan on {weekday} to simplify {k} farm rules, handing a win to farmers who protested across the bloc last year.",
            ),
            (
                "Trade",
                "Commission proposes tougher checks on imports from {k} countries",
                "The European Commission proposed tougher checks on food imports from {k} countries on {weekday}, after a series of recalls in supermarkets.",
            ),
            (
                "Energy and Climate",
                "{eu_country} leads push to delay {file}",
                "{eu_country} is leading a group of capitals pushing to delay {file}, according to a document seen by POLITICO, setting up a clash with the Commission.",
            ),
            (
                "Technology",
                "MEPs demand answers on {file} after leaked draft",
                "Members of the European Parliament demanded answers from the Commission on {file} on {weekday}, after a leaked draft showed officials had dropped key provisions.",
            ),
        ),
        details=(
            "The proposal still needs the approval of the European Parliament, where the main groups are divided.",
            "Diplomats said a deal could be reached before the end of the current Council presidency.",
            "A Commission spokesperson said the EU executive would study the request.",
            "Industry groups welcomed the move but said it did not go far enough.",
            "Environmental campaigners accused governments of watering down commitments made only two years ago.",
            "A minister from {eu_country} said the rules had become too complex for small businesses to follow.",
            "The file is expected to return to the agenda at the next meeting of ministers in Luxembourg.",
        ),
    ),
    ("en", "business"): Bank(
        stories=(
            (
                "Economy",
                "{lcity} port handles {pct}% more containers in {month}",
                "Container traffic through the port of {lcity} rose by {pct} percent in {month} compared with the same month last year, according to figures released by the port authority on {weekday}.",
            ),
            (
                "Tourism",
                "Hotel occupancy in {lcity} reaches {pct}% ahead of the holidays",
                "Hotels in {lcity} reported an average occupancy of {pct} percent this week, the highest level since {year}, as visitors from the region and the diaspora arrived for the holidays.",
            ),
            (
                "Agriculture",
                "Wheat harvest in {lcountry} forecast to rise {pct}% this season",
                "Farmers in {lcountry} are expected to harvest {pct} percent more wheat this season after good autumn rains, the agriculture ministry said on {weekday}.",
            ),
            (
                "Energy",
                "Solar farm near {lcity} to supply {mw} megawatts to the grid",
                "A new solar farm outside {lcity} will feed {mw} megawatts into the national grid by the end of next year, its developers said on {weekday}, easing pressure on ageing power stations.",
            ),
        ),
        details=(
            "Officials attributed the increase to new direct shipping lines and shorter customs procedures.",
            "Business owners said the recovery remains fragile and depends on stable electricity and fuel supplies.",
            "The project is financed by a consortium of regional banks and a development fund.",
            "Economists cautioned that the figures are compared with a weak year and do not yet signal a full recovery.",
            "Local traders said demand had picked up noticeably in the past month.",
            "The ministry plans to publish detailed figures for each region early next year.",
            "About {hires} people work in the sector in {lcity}, according to the local chamber of commerce.",
            "Transport costs in {lcountry} fell by about a tenth after the reopening of the main coastal road.",
        ),
    ),
}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text[:1].isascii() else text


def story(
    rng: random.Random,
    lang: str,
    topic: str,
    day: date,
    *,
    paragraphs: tuple[int, int] = (3, 5),
    one_sentence: bool = False,
    source: str = "",
) -> Story:
    """One story: a lead paragraph, then detail sentences in one- or two-sentence paragraphs."""
    bank = BANKS[lang, topic]
    v = _values(rng, lang, topic, day) | {"source": source}
    section, title, lead = rng.choice(bank.stories)
    n = rng.randint(*paragraphs) - 1  # paragraphs after the lead
    pool = list(bank.details)
    sentences = rng.sample(pool, min(len(pool), n if one_sentence else rng.randint(n, n + 2)))
    body: list[str] = []
    while sentences:
        take = 1 if one_sentence or len(sentences) <= n - len(body) else 2
        body.append(" ".join(sentences[:take]))
        sentences = sentences[take:]
    texts = [lead, *body] if lead else body
    quote = rng.choice(bank.quotes) if bank.quotes else None
    paras = [_cap(t.format(**v)) for t in texts]
    # text of its own in every paragraph (devkit.mirror.local): two sentences, or a clause
    own = local_rng(lang, topic, day, title.format(**v), *paras)
    if not one_sentence:
        paras = [f"{p} {local_sentence(own, lang)} {local_sentence(own, lang)}" for p in paras]
    elif lang == "en":
        paras = [f"{p.rstrip('.')}, {local_clause(own)}." for p in paras]
    return Story(
        title=_cap(title.format(**v)),
        paragraphs=tuple(paras),
        section=section,
        tags=v["tags"],  # type: ignore[arg-type]
        quote=quote.format(**v) if quote else None,
        values=v,
    )


def fresh(
    rng: random.Random, seen: set[str], lang: str, topic: str, day: date, **options: Any
) -> Story:
    """A :func:`story` whose title and lead ``seen`` does not hold yet; at volumes the banks
    cannot cover, a repeated title gets a running number (as sites do with a follow-up)."""
    for _ in range(60):
        s = story(rng, lang, topic, day, **options)
        if s.title not in seen and s.paragraphs[0] not in seen:
            seen.update((s.title, s.paragraphs[0]))
            return s
    n = 2
    while f"{s.title} ({n})" in seen:
        n += 1
    s = replace(s, title=f"{s.title} ({n})")
    seen.add(s.title)
    return s
