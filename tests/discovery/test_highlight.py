"""Highlighting marks the reader's words in the displayed text however both were spelled, and stays safe HTML."""

import pytest

from opportunities.search import highlight, one_edit_patterns
from registry.text import query_terms


def marked(text: str, query: str) -> str:
    return str(highlight(text, query_terms(query)))


@pytest.mark.parametrize(
    ("text", "query", "expected"),
    [
        ("Copper mining in Takab", "copper", "<mark>Copper</mark> mining in Takab"),
        ("سردخانه سیب ارومیه", "سيب", "سردخانه <mark>سیب</mark> ارومیه"),  # Arabic yeh typed
        ("کارخانه سنگ‌های تزئینی", "سنگهای", "کارخانه <mark>سنگ‌های</mark> تزئینی"),  # ZWNJ kept inside the mark
        ("کارخانه سنگ های تزئینی", "سنگهای", "کارخانه <mark>سنگ های</mark> تزئینی"),
        ("معدنِ طلا", "معدن", "<mark>معدنِ</mark> طلا"),  # the trailing kasra belongs to the word
        ("طـــلای زرشوران", "طلا", "<mark>طـــلا</mark>ی زرشوران"),
        ("تولید ۱۲۰۰ تن", "1200", "تولید <mark>۱۲۰۰</mark> تن"),
        ("فرآوری مس", "فراوری مس", "<mark>فرآوری</mark> <mark>مس</mark>"),
        ("Urmia apple", "", "Urmia apple"),
        # Short Persian words are marked where the search matches them: as whole words, never inside «مستقیم»
        ("اشتغال مستقیم در معدن مس", "مس", "اشتغال مستقیم در معدن <mark>مس</mark>"),
        ("کنسانتره مس، مستقیم", "مس", "کنسانتره <mark>مس</mark>، مستقیم"),
        ("Mass copper", "ma", "<mark>Ma</mark>ss copper"),  # the rule is for Persian words only
    ],
)
def test_highlight_marks_the_original_characters(text, query, expected):
    assert marked(text, query) == expected


def test_highlight_escapes_html_in_text_and_query():
    html = marked("<b>Copper</b> & gold", "<script>copper</script>")
    assert "<script>" not in html and "<b>" not in html
    assert html == "&lt;b&gt;<mark>Copper</mark>&lt;/b&gt; &amp; gold"


def test_highlight_of_a_query_full_of_markup_is_plain_text():
    assert marked("a < b", '"><img src=x onerror=alert(1)>') == "a &lt; b"


def test_overlapping_terms_make_one_mark():
    assert marked("copperplate", "copper perpl") == "<mark>copperpl</mark>ate"


def test_one_edit_patterns_cover_change_insertion_deletion_and_swap():
    patterns = set(one_edit_patterns("takeb"))
    assert "%tak_b%" in patterns  # changed letter
    assert "%takb%" in patterns  # one typed too many
    assert "%ta_keb%" in patterns  # one left out
    assert "%taekb%" in patterns  # neighbours swapped
    assert all(pattern.startswith("%") and pattern.endswith("%") for pattern in patterns)


def test_one_edit_patterns_escape_wildcards():
    assert "%50\\%_%" in one_edit_patterns("50%x")


def marked_similar(text: str, query: str) -> str:
    return str(highlight(text, (), similar=query_terms(query)))


@pytest.mark.parametrize(
    ("text", "query", "expected"),
    [
        ("Copper mining in Takab", "takeb", "Copper mining in <mark>Takab</mark>"),  # a letter changed
        ("Copper-gold mine", "coper", "<mark>Copper</mark>-gold mine"),  # one left out
        ("Coppper and copper", "copper", "<mark>Coppper</mark> and <mark>copper</mark>"),  # one too many
        ("Cpoper ore", "copper", "<mark>Cpoper</mark> ore"),  # neighbours swapped
        ("هتل سه ستاره تبریز", "طبریز", "هتل سه ستاره <mark>تبریز</mark>"),
        ("صنایع تبریزی", "طبریز", "صنایع <mark>تبریزی</mark>"),  # a suffix after the similar word
        ("معدنِ طلای تکاب", "تکب", "معدنِ طلای تکاب"),  # shorter than a typo can be told in: never marked
        ("فرآوری سنگ‌های تزئینی", "سنگهاب", "فرآوری <mark>سنگ‌های</mark> تزئینی"),  # a ZWNJ inside the word
        ("Operating costs of a copper mine", "coper", "Operating costs of a <mark>copper</mark> mine"),
        ("<b>Takab</b>", "takeb", "&lt;b&gt;<mark>Takab</mark>&lt;/b&gt;"),
    ],
)
def test_highlight_marks_words_one_edit_from_a_similar_term(text, query, expected):
    """A term found by similarity marks the displayed words within one typo of it: the rule of the LIKE patterns
    (SQLite), which is also what pg_trgm's 0.4 threshold catches. A word that only shares a piece is not marked."""
    assert marked_similar(text, query) == expected


def test_exact_and_similar_terms_mark_together():
    html = str(highlight("Copper mine near Takab", query_terms("copper"), similar=query_terms("takeb")))
    assert html == "<mark>Copper</mark> mine near <mark>Takab</mark>"
