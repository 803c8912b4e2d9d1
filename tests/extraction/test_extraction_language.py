"""Language identification: seeded, paragraph-level, declared language as prior/fallback."""

from __future__ import annotations

from processing.language import LanguageResult, detect_language

AR = (
    "قال المرصد السوري لحقوق الإنسان إن قصفاً مدفعياً استهدف بلدات في ريف إدلب الجنوبي صباح "
    "اليوم، ما أسفر عن سقوط ضحايا بين المدنيين وأضرار مادية كبيرة في الممتلكات العامة والخاصة."
)
EN = (
    "The Syrian Observatory for Human Rights said artillery shelling hit several towns in the "
    "southern Idlib countryside on Tuesday morning, causing civilian casualties and damage."
)
FR = (
    "L'Observatoire syrien des droits de l'homme a indiqué que des tirs d'artillerie ont "
    "touché plusieurs villes de la campagne d'Idleb mardi matin, faisant des victimes."
)


def test_single_language_texts():
    for text, lang in ((AR * 3, "ar"), (EN * 3, "en"), (FR * 3, "fr")):
        result = detect_language(text)
        assert isinstance(result, LanguageResult)
        assert result.language == lang
        assert result.method == "langdetect"
        assert 0.8 <= result.confidence <= 1.0
        assert result.others == []


def test_mixed_page_gets_its_dominant_language_and_the_others():
    text = "\n".join([AR, AR, AR, EN])
    result = detect_language(text)
    assert result.language == "ar"
    assert result.others == ["en"]
    assert result.confidence < 0.9  # a quarter of the letters are English
    result = detect_language("\n".join([EN, EN, EN, AR]))
    assert result.language == "en" and result.others == ["ar"]


def test_short_text_falls_back_to_the_declared_language():
    assert detect_language("Idlib", "ar") == LanguageResult("ar", 0.5, [], "declared")
    assert detect_language("عاجل", "ar-SY").language == "ar"
    assert detect_language("ok", None) == LanguageResult("und", 0.0, [], "none")
    assert detect_language("", "en").method == "declared"
    assert detect_language("12345 67890 !!!", None).language == "und"


def test_declared_language_is_a_prior_not_an_override():
    # a clearly English text declared as Arabic stays English
    assert detect_language(EN * 3, "ar").language == "en"


def test_detection_is_deterministic():
    text = "Ciao, come stai? Tutto bene qui, grazie mille per la domanda di ieri sera."
    results = {repr(detect_language(text)) for _ in range(20)}
    assert len(results) == 1
