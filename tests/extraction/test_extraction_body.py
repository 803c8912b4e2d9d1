"""The body on structures the first rules missed: a lead paragraph before the article body,
a body split into several containers, code blocks, hard-wrapped markup, sub-headings between
selected paragraphs, repeated paragraphs, Chinese sentences and pages without a container."""

from __future__ import annotations

from processing.extraction import ExtractionProfile, extract

LEAD_AR = (
    "أعلنت وزارة الصحة والسكان المصرية، اليوم الثلاثاء، تسجيل 30 حالة جديدة بفيروس كورونا "
    "المستجد، ليرتفع إجمالي عدد المصابين إلى 196 حالة، بالإضافة إلى تسجيل حالتي وفاة جديدتين."
)
PARAS_AR = [
    "وأوضح المتحدث الرسمي للوزارة أن الحالات الجديدة التي ثبتت إيجابيتها جميعها من المخالطين "
    f"للحالات التي تم اكتشافها والإعلان عنها مسبقاً، وذلك في اليوم رقم {i}."
    for i in range(4)
]


def _old_sputnik(lead: str = LEAD_AR) -> str:
    """The 2020 Sputnik layout: the lead in an ``itemprop=description`` block before
    ``articleBody``, both inside ``.b-article``."""
    body = "".join(f"<p>{p}</p>" for p in PARAS_AR)
    return (
        '<html lang="ar"><head><meta charset="utf-8"><title>مصر تسجل 30 إصابة جديدة</title>'
        "</head><body><div class='b-article'><div class='b-article__header'>"
        "<h1>مصر تسجل 30 إصابة جديدة</h1></div>"
        "<div class='b-article__meta'><span>17.03.2020</span></div>"
        f"<div itemprop='description' class='b-article__lead'><p>{lead}</p></div>"
        f"<div itemprop='articleBody' class='b-article__text'>{body}</div>"
        "<div class='b-article__refs'><a href='/tag/x'>مصر</a></div></div></body></html>"
    )


PROFILE = ExtractionProfile(
    title=".b-article__header h1", body=".b-article__text[itemprop=articleBody]"
)


def test_the_lead_block_before_the_body_is_the_first_paragraph():
    for profile in (None, PROFILE):
        ext = extract(_old_sputnik(), "https://arabic.sputniknews.com/x.html", profile=profile)
        lines = ext.text.split("\n")
        assert lines[0] == LEAD_AR, profile
        assert lines[1:] == PARAS_AR, profile


def test_no_lead_when_the_block_is_not_prose_or_already_in_the_body():
    ext = extract(_old_sputnik(lead="مصر - كورونا"), "https://arabic.sputniknews.com/x.html")
    assert ext.text.split("\n") == PARAS_AR
    # the lead repeated as the body's first paragraph: not twice
    html = _old_sputnik().replace("<p>" + PARAS_AR[0], f"<p>{LEAD_AR}</p><p>" + PARAS_AR[0], 1)
    ext = extract(html, "https://arabic.sputniknews.com/x.html")
    assert ext.text.count(LEAD_AR) == 1


EN = [
    f"Paragraph {i}: she has slammed NATO, voted against EU treaties and is on track to win "
    "the presidency, according to the latest opinion poll published on Wednesday night."
    for i in range(8)
]


def _split_body() -> str:
    """politico.eu: the article container is closed around every ad and opened again."""
    chunks = [EN[0:2], EN[2:4], EN[4:6], EN[6:8]]
    parts = []
    for i, chunk in enumerate(chunks):
        paras = "".join(f"<p>{p}</p>" for p in chunk)
        parts.append(
            f"<div class='sidebar-grid__container'><div class='sidebar-grid__content "
            f"article__content'>{paras}</div></div>"
        )
        if i < len(chunks) - 1:
            parts.append("<div class='ad-slot'><p>Advertisement</p></div>")
    return (
        "<html><head><title>Socialist poised to win</title></head><body><main><article>"
        "<h1>Socialist poised to win</h1><div class='sidebar-grid'>"
        + "".join(parts)
        + "</div></article></main></body></html>"
    )


def test_a_body_split_into_several_containers_is_read_whole():
    ext = extract(_split_body(), "https://www.politico.eu/article/x/")
    assert ext.text.split("\n") == EN


def test_separate_articles_are_not_merged():
    stories = "".join(
        f"<article class='post'><h2>Story {i}</h2><div class='entry-content'><p>{EN[i]}</p>"
        f"<p>{EN[i + 1]}</p></div></article>"
        for i in range(0, 6, 2)
    )
    html = f"<html><head><title>Story 0</title></head><body><main>{stories}</main></body></html>"
    ext = extract(html, "https://example.com/story-0")
    assert EN[0] in ext.text
    assert EN[4] not in ext.text


def test_code_blocks_keep_their_lines():
    code = "bounds AS (\n    SELECT\n        avg(n) AS mean\n    FROM\n        series\n)"
    html = (
        "<html><head><title>Detecting anomalies</title></head><body><article>"
        f"<h1>Detecting anomalies</h1><p>{EN[0]}</p><pre><code>{code}</code></pre>"
        f"<p>{EN[1]}</p><p>{EN[2]}</p></article></body></html>"
    )
    ext = extract(html, "https://example.com/sql")
    assert code in ext.text
    assert ext.text.startswith(EN[0])


def test_line_breaks_of_the_markup_inside_a_paragraph_are_spaces():
    wrapped = EN[0].replace(" the ", "\n      the ")
    html = (
        "<html><head><title>Wrapped</title></head><body><article><h1>Wrapped</h1>"
        f"<p>{wrapped}</p><p>{EN[1]}</p><p>{EN[2]}</p></article></body></html>"
    )
    ext = extract(html, "https://example.com/wrapped")
    assert ext.text.split("\n") == EN[:3]


def test_sub_headings_between_selected_paragraphs():
    html = (
        "<html><head><title>Poised to win</title></head><body><h1>Poised to win</h1>"
        f"<div class='article__content'><p>{EN[0]}</p><p>{EN[1]}</p>"
        f"<h3>Unapologetically outspoken</h3><p>{EN[2]}</p><p>{EN[3]}</p></div>"
        "<div class='article__content'><h3>More from the author</h3></div></body></html>"
    )
    profile = ExtractionProfile(body=".article__content > p")
    ext = extract(html, "https://www.politico.eu/article/x/", profile=profile)
    assert ext.text.split("\n") == [EN[0], EN[1], "Unapologetically outspoken", EN[2], EN[3]]


def test_repeated_paragraphs_and_repeated_questions_stay():
    q = "How did you feel when you heard about the new category?"
    html = (
        "<html><head><title>Interview</title></head><body><article><h1>Interview</h1>"
        f"<p>{q}</p><p>{EN[0]}</p><p>{q}</p><p>{EN[1]}</p><p>{EN[2]}</p></article></body></html>"
    )
    assert extract(html, "https://example.com/i").text.count(q) == 2


def test_chinese_sentences_are_not_menu_labels():
    lines = [
        "來到現場已是落葉飄飄堆疊滿地 不時隨著風吹雨襲而葉落垂地",
        "不忍踩過剛剛掉落的樹葉 沿著前人足跡踏痕輕踩而行",
        "雖然只是一廂情願的想法 終究還是不可避免地將會化為塵土",
        "偶而還會飄下來一些霧氣水滴 不時張望尋找最佳楓葉主題",
    ]
    paras = "".join(f"<p>{x}</p>" for x in lines)
    html = (
        "<html lang='zh'><head><meta charset='utf-8'><title>美樹營地</title></head><body>"
        f"<article><h1>美樹營地</h1>{paras}</article></body></html>"
    )
    assert extract(html, "https://example.com/zh").text.split("\n") == lines


def test_a_page_without_any_article_container_is_read_whole():
    paras = "".join(f"<p>{p}</p>" for p in EN[:6])
    html = (
        "<html><head><title>Plain page</title></head><body><h1>Plain page</h1>"
        f"{paras}</body></html>"
    )
    ext = extract(html, "https://example.com/plain")
    assert ext.text.split("\n") == EN[:6]


def test_a_paragraph_repeated_word_for_word_stays_as_often_as_published():
    # trafilatura drops a paragraph equal to the one before it in its output; with the widget
    # between them pruned, the three copies would become one
    refrain = (
        "We will keep this page updated as the situation develops, so check back later for "
        "the latest information from the council and the emergency services."
    )
    html = (
        "<html><head><title>Storm</title></head><body><article><h1>Storm</h1>"
        f"<p>{EN[0]}</p><p>{refrain}</p><p>{refrain}</p>"
        "<div class='sharedaddy'><h3>Like this:</h3><span>Like</span></div>"
        f"<p>{refrain}</p><p>{EN[1]}</p></article></body></html>"
    )
    ext = extract(html, "https://example.com/storm")
    assert ext.text.split("\n") == [EN[0], refrain, refrain, refrain, EN[1]]
    assert "\u241f" not in ext.text


def test_a_block_repeated_as_a_div_of_text_stays_too():
    html = (
        "<html><head><title>Notice</title></head><body><article>"
        f"<div>{EN[0]}</div><div>{EN[0]}</div><div>{EN[1]}</div></article></body></html>"
    )
    assert extract(html, "https://example.com/notice").text.split("\n") == [EN[0], EN[0], EN[1]]


def test_blocks_the_page_hides_are_left_out():
    html = (
        "<html><head><title>Hidden</title></head><body><article><h1>Hidden</h1>"
        f"<p>{EN[0]}</p><p hidden>{EN[1]}</p><div aria-hidden='true'><p>{EN[2]}</p></div>"
        f"<p>{EN[4]}</p></article></body></html>"
    )
    assert extract(html, "https://example.com/h").text.split("\n") == [EN[0], EN[4]]


def test_layout_tables_are_read_like_blocks_and_data_tables_stay_out():
    code = "fetch('/data.json').then(function(res) {\n  console.log(res.status);\n});"
    cells = "".join(f"<tr><td>Row {i}</td><td>{i}</td><td>{i * 2}</td></tr>" for i in range(12))
    html = (
        "<html><head><title>Fetch</title></head><body><article><h1>Fetch</h1>"
        f"<p>{EN[0]}</p><table><tr><td class='code'><pre>{code}</pre></td></tr></table>"
        f"<table><tr><td><p>{EN[1]}</p></td><td><p>{EN[2]}</p></td></tr></table>"
        f"<table>{cells}</table><p>{EN[3]}</p></article></body></html>"
    )
    text = extract(html, "https://example.com/fetch").text
    assert text.split("\n") == [EN[0], *code.split("\n"), EN[1], EN[2], EN[3]]


def test_reader_mode_data_table_test():
    from lxml import html as lxml_html

    from processing.extraction.body import is_data_table

    def table(markup: str) -> object:
        return lxml_html.fromstring(markup)

    assert not is_data_table(table("<table><tr><td>a</td><td>b</td></tr></table>"))
    assert is_data_table(table("<table><tr><th>a</th></tr><tr><td>b</td></tr></table>"))
    assert not is_data_table(table("<table role='presentation'><tr><th>a</th></tr></table>"))
    rows = "".join("<tr><td>a</td><td>b</td></tr>" for _ in range(10))
    assert is_data_table(table(f"<table>{rows}</table>"))
    assert not is_data_table(table(f"<table><tr><td><table>{rows}</table></td></tr>{rows}</table>"))


def test_a_hidden_paragraph_is_left_out():
    # a paragraph styled display:none / visibility:hidden is never shown (a hidden container
    # is left to trafilatura's own rules: it often holds the article until a script shows it);
    # a page without an article container, read with trafilatura's fallbacks
    html = (
        "<html><head><title>Styles</title></head><body><h1>Styles</h1>"
        f"<p>{EN[0]}</p><p style='display: none;'>{EN[1]}</p>"
        f"<p style='color: red; visibility:hidden'>{EN[2]}</p>"
        f"<p style='display: block'>{EN[3]}</p><span style='display:none'>Loading…</span>"
        f"<p>{EN[4]}</p></body></html>"
    )
    assert extract(html, "https://example.com/s").text.split("\n") == [EN[0], EN[3], EN[4]]


def test_hidden_paragraphs_test():
    from lxml import html as lxml_html

    from processing.extraction.body import preclean

    page = lxml_html.fromstring(
        f"<html><body><div style='display:none'><p>{EN[0]}</p></div>"
        f"<p style='display:none'>{EN[1]}</p><p style='border: none'>{EN[2]}</p></body></html>"
    )
    preclean(page)
    text = page.text_content()
    assert EN[0] in text and EN[1] not in text and EN[2] in text


def test_a_data_table_of_prose_is_read_row_by_row():
    films = [
        ("Repeat Performance", "1947", EN[1]),
        ("Groundhog Day", "1993", EN[2]),
        ("Run Lola Run", "1998", EN[3]),
    ]
    rows = "".join(f"<tr><td>{t}</td><td>{y}</td><td>{d}</td></tr>" for t, y, d in films)
    figures = "".join(f"<tr><td>Team {i}</td><td>{i}</td><td>{10 - i}</td></tr>" for i in range(6))
    html = (
        "<html><head><title>Films</title></head><body><article><h1>Films</h1>"
        f"<p>{EN[0]}</p><table><thead><tr><th>Film</th><th>Year</th><th>Description</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>"
        f"<table><tr><th>Team</th><th>W</th><th>L</th></tr>{figures}</table>"
        f"<p>{EN[4]}</p></article></body></html>"
    )
    lines = extract(html, "https://example.com/films").text.split("\n")
    assert lines[0] == EN[0] and lines[-1] == EN[4]
    for title, year, description in films:
        assert f"{title} {year} {description}" in lines
    assert not any("Team" in line for line in lines)  # a table of figures stays out


def test_prose_table_test():
    from lxml import html as lxml_html

    from processing.extraction.body import is_prose_table

    long = "a cell written out as a sentence of several words"
    assert is_prose_table(
        lxml_html.fromstring(f"<table><tr><td>x</td><td>{long}</td></tr></table>")
    )
    assert not is_prose_table(
        lxml_html.fromstring("<table><tr><td>1</td><td>2.5</td></tr></table>")
    )
    nested = f"<table><tr><td><table><tr><td>{long}</td></tr></table></td></tr></table>"
    assert not is_prose_table(lxml_html.fromstring(nested))


def test_words_after_a_link_in_loose_text_are_not_glued_to_it():
    # text standing directly in a div: trafilatura cuts it at the link and trims what follows
    html = (
        "<html><head><title>Loose</title></head><body><article><h1>Loose</h1>"
        "<div class='entry-content'>I have written a couple of posts in the past months but "
        "they were all for <a href='https://example.com/w'>the blog at work</a> so I figured I "
        "was long overdue for one here, on a subject I care about a great deal.<br>"
        f"<p>{EN[0]}</p><p>{EN[1]}</p></div></article></body></html>"
    )
    text = extract(html, "https://example.com/loose").text
    assert "the blog at work so I figured" in " ".join(text.split())
    assert "workso" not in text and "\u2420" not in text


def _listed_page(items: list[str], after: str) -> str:
    lis = "".join(f"<li><a href='/deal/{i}'>{t}</a></li>" for i, t in enumerate(items))
    paras = "".join(f"<p>{p}</p>" for p in PARAS_EN)
    return (
        "<html lang='en'><head><title>Boxing Day sales</title></head><body><article>"
        f"<h1>Boxing Day sales</h1>{paras}<h2>The best deals so far</h2><ul>{lis}</ul>{after}"
        "</article></body></html>"
    )


PARAS_EN = [
    f"Retailers opened their end-of-year sales early this week, with discounts on furniture, "
    f"electronics and clothing that shoppers say are the deepest in years, part {i}."
    for i in range(3)
]
DEALS = [
    "60 per cent off the robot vacuum cleaner, $399 (down from $999)",
    "43 per cent off the three-in-one robot vacuum cleaner, $629 (down from $1099)",
    "Up to 50 per cent off household essentials across the whole store",
]


def test_a_list_of_descriptive_links_inside_the_article_stays():
    more = (
        "<p>Prices are expected to fall further after the holiday, analysts said, as stores "
        "clear their stock before the new season's lines arrive in January.</p>"
    )
    ext = extract(_listed_page(DEALS, more), "https://news.example/sales")
    assert all(deal in ext.text for deal in DEALS)


def test_a_link_list_after_the_text_or_of_short_links_goes():
    # after the last paragraph: a related/most-read list
    ext = extract(_listed_page(DEALS, ""), "https://news.example/sales")
    assert not any(deal in ext.text for deal in DEALS)
    # short link texts (a menu, tags) go even inside the article
    more = (
        "<p>Prices are expected to fall further after the holiday, analysts said, as stores "
        "clear their stock before the new season's lines arrive in January.</p>"
    )
    ext = extract(_listed_page(["Home", "Tech deals", "Fashion"], more), "https://news.example/s")
    assert "Tech deals" not in ext.text


def test_a_first_sentence_that_opens_with_the_headline_keeps_its_words():
    text = "Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor. " * 4
    page = (
        "<html lang='la'><head><title>Lorem ipsum dolor sit amet – My website</title></head>"
        f"<body><article><div>{text}</div><div>{text}</div></article></body></html>"
    )
    ext = extract(page, "https://blog.example/lorem")
    assert ext.title == "Lorem ipsum dolor sit amet"
    assert ext.text.startswith("Lorem ipsum dolor sit amet, consectetur")
