"""Tests for registry.text: the single Persian folding shared by stored search keys, queries and typed numbers.

Invisible characters are written as escapes (ZWNJ, ZWJ, bidi marks) so that what each case exercises is visible.
"""

from __future__ import annotations

import itertools
import time
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from registry.text import (
    SUMMARIES_END,
    TITLES_END,
    format_amount_en,
    format_amount_fa,
    normalize,
    parse_number,
    query_terms,
    ranked_search_key,
    search_key,
    to_persian_digits,
)

ZWNJ = "\u200c"
ZWJ = "\u200d"
TATWEEL = "\u0640"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_ALPHABET = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"


def matches(title: str, query: str) -> bool:
    """The search rule callers apply: every query term is a substring of the title's key."""
    terms = query_terms(query)
    return bool(terms) and all(term in search_key(title) for term in terms)


# --------------------------------------------------------------------------------------------------------------------
# normalize: empty input
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        " ",
        "   ",
        "\t\n",
        ZWNJ,
        ZWJ,
        TATWEEL,
        "\u200f",
        "\ufeff",
        "\u200e\u200f",
        f" {ZWNJ} {TATWEEL} ",
        "\u064e",
    ],
)
def test_normalize_empty_or_invisible_input_is_empty(text: str | None) -> None:
    assert normalize(text) == ""


@pytest.mark.parametrize("value", [1, 1.5, b"abc", ["a"], Decimal(1)])
def test_normalize_rejects_non_strings(value: object) -> None:
    with pytest.raises(TypeError):
        normalize(value)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------------------------------
# normalize: letters
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "folded"),
    [
        ("\u064a", "ی"),  # Arabic yeh ي
        ("\u0649", "ی"),  # alef maksura ى
        ("\u0626", "ی"),  # yeh with hamza ئ
        ("\u06cc", "ی"),  # Persian yeh is kept
        ("\u0643", "ک"),  # Arabic kaf ك
        ("\u06aa", "ک"),  # swash kaf ڪ
        ("\u06a9", "ک"),  # Persian kaf is kept
        ("\u0629", "ه"),  # teh marbuta ة
        ("\u06c0", "ه"),  # heh with yeh above ۀ
        ("\u0647\u0654", "ه"),  # heh + hamza above هٔ
        ("\u06d5", "ه"),  # ae ە
        ("\u06c1", "ه"),  # heh goal ہ
        ("\u06c2", "ه"),  # heh goal with hamza ۂ
        ("\u06be", "ه"),  # heh doachashmee ھ
        ("\u0623", "ا"),  # alef with hamza above أ
        ("\u0625", "ا"),  # alef with hamza below إ
        ("\u0671", "ا"),  # alef wasla ٱ
        ("\u0622", "ا"),  # alef with madda آ
        ("\u0627\u0653", "ا"),  # decomposed alef + madda
        ("\u0672", "ا"),  # alef with wavy hamza above
        ("\u0673", "ا"),  # alef with wavy hamza below
        ("\u0675", "ا"),  # high hamza alef (NFKC → ا + high hamza, which is dropped)
        ("\u0624", "و"),  # waw with hamza ؤ
        ("\u0648\u0654", "و"),  # decomposed waw + hamza
        ("\u064a\u0654", "ی"),  # decomposed yeh + hamza
    ],
)
def test_normalize_folds_letter_variants(variant: str, folded: str) -> None:
    assert normalize(variant) == folded
    assert normalize(f"م{variant}م") == f"م{folded}م"


@pytest.mark.parametrize("letter", list(PERSIAN_ALPHABET) + ["ء"])
def test_normalize_keeps_persian_letters(letter: str) -> None:
    assert normalize(letter) == letter


def test_normalize_keeps_the_whole_persian_alphabet_in_order() -> None:
    assert normalize(PERSIAN_ALPHABET) == PERSIAN_ALPHABET


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("كائولن", "کایولن"),
        ("كائولن", normalize("کائولن")),
        ("باريت", "باریت"),
        ("سولفات سديم", "سولفات سدیم"),
        ("سرب و روي", "سرب و روی"),
        ("اروميه", "ارومیه"),
        ("سنگ آهن", "سنگ اهن"),
        ("سنگ أهن", "سنگ اهن"),
        ("سنگ اهن", "سنگ اهن"),
        ("مس", "مس"),
        ("طلا", "طلا"),
        ("سنگ‌هاي تزئيني", "سنگ های تزیینی"),
        (f"طرح{ZWNJ}های نیمه{ZWNJ}تمام", "طرح های نیمه تمام"),
        ("طرح‌هاي نيمه‌تمام", "طرح های نیمه تمام"),
        ("پیشرفت فیزیکی ۶۰ درصد", "پیشرفت فیزیکی 60 درصد"),
        ("پيشرفت فيزيكي ٦٠ درصد", "پیشرفت فیزیکی 60 درصد"),
        (f"آذربایجان{ZWNJ}غربی", "اذربایجان غربی"),
        ("آذربايجان غربي", "اذربایجان غربی"),
        ("توسعهٔ معدن", "توسعه معدن"),
        ("توسعۀ معدن", "توسعه معدن"),
        ("مسئله", "مسیله"),
        ("مؤسسه", "موسسه"),
        ("إيران", "ایران"),
        ("شركة", "شرکه"),
        ("زغال‌سنگ", "زغال سنگ"),
    ],
)
def test_normalize_domain_vocabulary(typed: str, expected: str) -> None:
    assert normalize(typed) == expected


# --------------------------------------------------------------------------------------------------------------------
# normalize: presentation forms and compatibility characters (NFKC)
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("presentation", "expected"),
    [
        ("\ufefb", "لا"),  # lam-alef ligature ﻻ
        ("\ufef5", "لا"),  # lam-alef with madda ﻵ (madda folded away)
        ("\ufe81", "ا"),  # alef with madda, isolated ﺁ
        ("\ufe81\ufeeb\ufee6", "اهن"),  # ﺁﻫﻦ
        ("\ufb90", "ک"),  # keheh initial ﮐ
        ("\ufeda", "ک"),  # Arabic kaf final ﻚ
        ("\ufbfc", "ی"),  # Farsi yeh isolated ﯼ
        ("\ufef1", "ی"),  # Arabic yeh isolated ﻱ
        ("\ufe8b", "ی"),  # yeh with hamza initial ﺋ
        ("\ufe93", "ه"),  # teh marbuta isolated ﺓ
        ("\ufdf2", "الله"),  # Allah ligature ﷲ
        ("\ufb90\ufe8e\ufe8b\ufeee\ufedf\ufee6", "کایولن"),  # کائولن in presentation forms
        ("\ufee3\ufeb2", "مس"),  # ﻣﺲ
        ("\ufe77", ""),  # isolated fatha: space + mark, both dropped
        ("ＷＡ－ＭＩＮ", "wa-min"),  # full-width Latin
        ("１２３", "123"),  # full-width digits
        ("ﬁle", "file"),  # fi ligature
        ("²", "2"),
    ],
)
def test_normalize_folds_presentation_forms(presentation: str, expected: str) -> None:
    assert normalize(presentation) == expected


# --------------------------------------------------------------------------------------------------------------------
# normalize: diacritics, tatweel and format characters
# --------------------------------------------------------------------------------------------------------------------

ARABIC_MARKS = [
    *range(0x0610, 0x061B),
    *range(0x064B, 0x0660),
    0x0670,
    *range(0x06D6, 0x06DD),
    *range(0x06DF, 0x06E5),
    0x06E7,
    0x06E8,
    *range(0x06EA, 0x06EE),
]


@pytest.mark.parametrize("mark", ARABIC_MARKS, ids=lambda code: f"U+{code:04X}")
def test_normalize_drops_each_arabic_mark(mark: int) -> None:
    assert normalize(f"مع{chr(mark)}دن") == "معدن"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("مَعدَن", "معدن"),
        ("مَعْدِنْ", "معدن"),
        ("طَلا", "طلا"),
        ("مِسّ", "مس"),
        ("سُرب و رُوی", "سرب و روی"),
        ("کائولَن", "کایولن"),
        ("بارِیت", "باریت"),
        ("سنگِ آهن", "سنگ اهن"),
        ("ارومیّه", "ارومیه"),
        ("رحمان", "رحمان"),
        ("رحمٰن", "رحمن"),  # superscript alef is a mark, not a letter
        ("کتاباً", "کتابا"),
    ],
)
def test_normalize_drops_diacritics(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    "text",
    ["معـدن", "معـــدن", "مـعـدن", "معدنـ", "ـمعدن", "م" + TATWEEL * 20 + "عدن", "مَعـــدَن"],
)
def test_normalize_drops_tatweel(text: str) -> None:
    assert normalize(text) == "معدن"


FORMAT_CHARACTERS = [
    0x00AD,  # soft hyphen
    0x061C,  # Arabic letter mark
    0x200D,  # ZWJ
    0x200E,  # LRM
    0x200F,  # RLM
    *range(0x202A, 0x202F),  # LRE, RLE, PDF, LRO, RLO
    0x2060,  # word joiner
    *range(0x2066, 0x206A),  # LRI, RLI, FSI, PDI
    0xFEFF,  # BOM / zero-width no-break space
    0xE0041,  # tag latin capital letter A
]


@pytest.mark.parametrize("control", FORMAT_CHARACTERS, ids=lambda code: f"U+{code:04X}")
def test_normalize_drops_format_and_bidi_controls(control: int) -> None:
    character = chr(control)
    assert normalize(f"{character}سنگ{character}آهن{character}") == "سنگاهن"
    assert normalize(f"{character}طلا {character}مس") == "طلا مس"


@pytest.mark.parametrize("control", ["\x00", "\x07", "\x1b", "\x7f", "\x9f"])
def test_normalize_drops_non_whitespace_control_characters(control: str) -> None:
    assert normalize(f"سنگ{control}آهن") == "سنگاهن"


def test_normalize_text_pasted_with_bidi_marks_around_an_english_code() -> None:
    assert normalize("\u202bطرح \u2066WA-MIN-2025-0007\u2069 در ارومیه\u202c") == "طرح wa-min-2025-0007 در ارومیه"


# --------------------------------------------------------------------------------------------------------------------
# normalize: spacing
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "separator",
    [
        " ",
        ZWNJ,
        "\u200b",  # zero-width space
        "\t",
        "\n",
        "\r\n",
        "\x0b",
        "\x0c",
        "\x85",
        "\u00a0",  # no-break space
        "\u2002",
        "\u2003",
        "\u2009",  # thin space
        "\u200a",
        "\u202f",  # narrow no-break space
        "\u205f",
        "\u3000",
        "\u2028",
        "\u2029",
        "  ",
        f" {ZWNJ} ",
        f"{ZWNJ}{ZWNJ}",
        " \t\n ",
    ],
    ids=lambda sep: "+".join(f"U+{ord(c):04X}" for c in sep),
)
def test_normalize_turns_any_separator_into_one_space(separator: str) -> None:
    assert normalize(f"{separator}سنگ{separator}آهن{separator}") == "سنگ اهن"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  سنگ   آهن  ", "سنگ اهن"),
        ("\n\nطلا\n\nمس\n", "طلا مس"),
        (f"{ZWNJ}می{ZWNJ}شود{ZWNJ}", "می شود"),
        (f"بین{ZWNJ}المللی", "بین المللی"),
        (f"سنگ{ZWNJ} {ZWNJ}آهن", "سنگ اهن"),
    ],
)
def test_normalize_collapses_and_strips_whitespace(text: str, expected: str) -> None:
    assert normalize(text) == expected


# --------------------------------------------------------------------------------------------------------------------
# normalize: digits and punctuation
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persian", "ascii_digit"), list(zip(PERSIAN_DIGITS, "0123456789", strict=True)))
def test_normalize_persian_digits(persian: str, ascii_digit: str) -> None:
    assert normalize(persian) == ascii_digit


@pytest.mark.parametrize(("arabic", "ascii_digit"), list(zip(ARABIC_INDIC_DIGITS, "0123456789", strict=True)))
def test_normalize_arabic_indic_digits(arabic: str, ascii_digit: str) -> None:
    assert normalize(arabic) == ascii_digit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("۱۴۰۳", "1403"),
        ("١٤٠٣", "1403"),
        ("۱٤۰٣", "1403"),  # mixed keyboards in one number
        ("۱۲۳۴۵۶۷۸۹۰", "1234567890"),
        ("٫", "."),
        ("۱٫۵", "1.5"),
        ("۱٬۵۰۰", "1,500"),
        ("۶۰٪", "60%"),
        ("پیشرفت فیزیکی ۶۰ درصد", "پیشرفت فیزیکی 60 درصد"),
        ("سال ۱۴۰۲/۰۵/۱۰", "سال 1402/05/10"),
        ("WA-MIN-۲۰۲۵-۰۰۰۷", "wa-min-2025-0007"),
    ],
)
def test_normalize_digits_in_context(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("سنگ آهن، مس", "سنگ اهن مس"),
        ("سنگ آهن،مس", "سنگ اهن مس"),
        ("طلا؛ مس", "طلا مس"),
        ("طلا؛مس", "طلا مس"),
        ("کجاست؟", "کجاست"),
        ("«سنگ آهن»", "سنگ اهن"),
        ("«طلا»«مس»", "طلا مس"),
        ("معدن‐طلا", "معدن-طلا"),  # U+2010 hyphen
        ("معدن–طلا", "معدن-طلا"),  # en dash
        ("−۵", "-5"),  # minus sign
        ("(طلا)", "(طلا)"),  # other punctuation is left for query_terms to judge
    ],
)
def test_normalize_persian_punctuation(text: str, expected: str) -> None:
    assert normalize(text) == expected


# --------------------------------------------------------------------------------------------------------------------
# normalize: Latin text and mixed scripts
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Iron Ore", "iron ore"),
        ("IRON ORE", "iron ore"),
        ("WA-MIN-2025-0007", "wa-min-2025-0007"),
        ("wa-min-2025-0007", "wa-min-2025-0007"),
        ("Straße", "strasse"),
        ("Café", "café"),
        ("Cafe\u0301", "café"),  # decomposed accent recomposed by NFKC
        ("سنگ آهن Iron Ore", "سنگ اهن iron ore"),
        ("معدن طلای Zarshuran", "معدن طلای zarshuran"),
        ("Copper مس Cu", "copper مس cu"),
        ("Sodium Sulfate سولفات سدیم", "sodium sulfate سولفات سدیم"),
        ("Kaolin (کائولن)", "kaolin (کایولن)"),
        ("SQL ' OR 1=1 --", "sql ' or 1=1 --"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ],
)
def test_normalize_latin_and_mixed_text(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_normalize_everything_at_once() -> None:
    messy = f"\u200f  «طرح{ZWNJ}هاي نيمه{ZWNJ}تمام» مَعـــدن سنگ{ZWJ}آهن، پيشرفت ٦٠ ٪ — WA-MIN-۲۰۲۵-۰۰۰۷ \ufeff"
    assert normalize(messy) == "طرح های نیمه تمام معدن سنگاهن پیشرفت 60 % — wa-min-2025-0007"


# --------------------------------------------------------------------------------------------------------------------
# normalize: properties
# --------------------------------------------------------------------------------------------------------------------

PERSIANISH = st.text(
    alphabet=st.sampled_from(
        list(PERSIAN_ALPHABET)
        + list("يىئكةۀأإٱآؤڪەہۂھ")
        + list(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS + "0123456789")
        + list("،؛؟«»٫٬٪.,-_%|<>'\"")
        + [ZWNJ, ZWJ, TATWEEL, " ", "\t", "\n", "\u00a0", "\u2009", "\u200e", "\u200f", "\u202b", "\u2066", "\ufeff"]
        + [chr(code) for code in ARABIC_MARKS]
        + list("\ufefb\ufe81\ufb90\ufbfc\ufdf2\ufe77")
        + list("AaBbZzİßé\u0301")
    ),
    max_size=40,
)

FOLDED_AWAY = set("يىئكةۀأإٱآؤڪەہۂھ" + PERSIAN_DIGITS + ARABIC_INDIC_DIGITS + "،؛؟«»٫٬٪") | {
    ZWNJ,
    ZWJ,
    TATWEEL,
    "\u200b",
    "\u200e",
    "\u200f",
    "\ufeff",
    *(chr(code) for code in ARABIC_MARKS),
}


@settings(max_examples=500, deadline=None)
@given(st.text())
@example("e\u200d\u0301")
@example("ǰ")
@example("\u0130")
@example("\ufe77\u0301")
def test_normalize_is_idempotent_on_any_unicode(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=500, deadline=None)
@given(PERSIANISH)
def test_normalize_is_idempotent_on_persian_text(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=500, deadline=None)
@given(PERSIANISH)
def test_normalize_output_is_folded(text: str) -> None:
    result = normalize(text)
    assert not FOLDED_AWAY & set(result)
    assert result == result.strip()
    assert "  " not in result
    assert all(char == " " or not char.isspace() for char in result)
    assert all(unicodedata.category(char) != "Cf" for char in result)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalize_output_has_no_format_characters_or_odd_whitespace(text: str) -> None:
    result = normalize(text)
    assert all(unicodedata.category(char) not in {"Cf", "Zl", "Zp"} for char in result)
    assert all(char == " " or not char.isspace() for char in result)
    assert result == result.strip()


@given(st.lists(st.sampled_from(PERSIAN_ALPHABET), min_size=1, max_size=12).map("".join))
def test_normalize_ignores_zwnj_tatweel_and_diacritics_inserted_anywhere(word: str) -> None:
    noisy = TATWEEL.join(word) + "\u064e"
    assert normalize(noisy) == normalize(word)
    assert normalize(ZWNJ.join(word)) == " ".join(normalize(word))


# --------------------------------------------------------------------------------------------------------------------
# search_key
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("سنگ آهن",), "سنگ اهن | سنگاهن"),
        (("مس",), "مس | مس"),
        (("سنگ آهن", "ارومیه"), "سنگ اهن ارومیه | سنگاهنارومیه"),
        ((f"آذربایجان{ZWNJ}غربی",), "اذربایجان غربی | اذربایجانغربی"),
        (("WA-MIN-2025-0007", "Iron Ore"), "wa-min-2025-0007 iron ore | wa-min-2025-0007ironore"),
        (("سرب و روی", None, "", "  ", "Lead & Zinc"), "سرب و روی lead & zinc | سربورویlead&zinc"),
        (("پیشرفت فیزیکی ۶۰ درصد",), "پیشرفت فیزیکی 60 درصد | پیشرفتفیزیکی60درصد"),
    ],
)
def test_search_key_layout(parts: tuple[str | None, ...], expected: str) -> None:
    assert search_key(*parts) == expected


@pytest.mark.parametrize("parts", [(), (None,), ("",), (None, "", "   ", ZWNJ, TATWEEL)])
def test_search_key_of_nothing_is_empty(parts: tuple[str | None, ...]) -> None:
    assert search_key(*parts) == ""


def test_search_key_normalises_every_part() -> None:
    assert search_key("كائولن", "باريت") == search_key("کائولن", "باریت")


def test_a_ranked_key_closes_its_titles_and_summaries_with_marks_no_term_can_hold() -> None:
    key = ranked_search_key(titles=("WA-MIN-1", "معدن مس"), summaries=("كانسار مس",), rest=("ارومیه", None))
    assert key == "wa-min-1 معدن مس | wa-min-1معدنمس \x1e کانسار مس | کانسارمس \x1f ارومیه | ارومیه"
    assert key.index("مس") < key.index(TITLES_END) < key.index("کانسار") < key.index(SUMMARIES_END)
    assert query_terms(f"مس{TITLES_END}{SUMMARIES_END}") == ["مس"]  # the marks fold to spaces in a query


def test_empty_sections_keep_both_marks() -> None:
    key = ranked_search_key(titles=("x",), summaries=(None, ""), rest=())
    assert key == "x | x \x1e  \x1f "


SPELLING_GROUPS = [
    ("آذربایجان غربی", f"آذربایجان{ZWNJ}غربی", "آذربایجانغربی"),
    ("بین المللی", f"بین{ZWNJ}المللی", "بینالمللی"),
    ("می شود", f"می{ZWNJ}شود", "میشود"),
    ("سنگ های تزئینی", f"سنگ{ZWNJ}های تزئینی", "سنگهای تزئینی"),
    ("طرح های نیمه تمام", f"طرح{ZWNJ}های نیمه{ZWNJ}تمام", "طرحهای نیمهتمام"),
    ("زغال سنگ", f"زغال{ZWNJ}سنگ", "زغالسنگ"),
]
SPELLING_PAIRS = [(title, query) for group in SPELLING_GROUPS for title, query in itertools.product(group, repeat=2)]


@pytest.mark.parametrize(("title", "query"), SPELLING_PAIRS)
def test_space_zwnj_and_no_space_spellings_agree(title: str, query: str) -> None:
    assert all(term in search_key(title) for term in query_terms(query))
    assert matches(f"فرصت سرمایه گذاری {title} ارومیه", query)


@pytest.mark.parametrize(
    ("title", "query"),
    [
        ("کائولن", "كائولن"),
        ("كائولن", "کائولن"),
        ("کائولن", "کایولن"),
        ("باریت", "باريت"),
        ("سولفات سدیم", "سولفات سديم"),
        ("سرب و روی", "سرب و روي"),
        ("سرب و روی", "روی"),
        ("سنگ آهن", "اهن"),
        ("سنگ آهن", "سنگ أهن"),
        ("سنگ اهن", "آهن"),
        ("معدن مس", "مَس"),
        ("معدن طلا", "طـــلا"),
        ("ارومیه", "اروميه"),
        ("آذربایجان‌غربی، ارومیه", "ارومیه آذربایجان"),
        ("پیشرفت فیزیکی ۶۰ درصد", "60 درصد"),
        ("پیشرفت فیزیکی 60 درصد", "۶۰ درصد"),
        ("پیشرفت فیزیکی ٦٠ درصد", "۶۰"),
        ("طرح‌های نیمه‌تمام سنگ‌های تزئینی", "نیمه تمام تزئینی"),
        ("Iron ore mine سنگ آهن", "IRON سنگ"),
        ("Iron ore mine سنگ آهن", "ironore"),
        ("\ufb90\ufe8e\ufe8b\ufeee\ufedf\ufee6", "کائولن"),  # presentation forms in the stored title
        ("«سنگ آهن»", "سنگ آهن"),
        ("توسعهٔ معدن", "توسعه"),
        ("توسعۀ معدن", "توسعه معدن"),
        ("مؤسسه", "موسسه"),
    ],
)
def test_variant_spellings_match(title: str, query: str) -> None:
    assert matches(title, query)


@pytest.mark.parametrize(
    ("title", "query"),
    [
        ("معدن طلا", "مس"),
        ("سنگ آهن", "سنگ مس"),  # AND: every word must match
        ("کائولن", "باریت"),
        ("سرب و روی", "طلا"),
        ("پیشرفت فیزیکی ۶۰ درصد", "۷۰ درصد"),
        ("ارومیه", "تبریز"),
        ("WA-MIN-2025-0007", "WA-MIN-2025-0008"),
        ("طلا مس", "مسطلا"),  # run together in the other order: not in either half of the key
        ("طلا", "طلاها"),
    ],
)
def test_unrelated_queries_do_not_match(title: str, query: str) -> None:
    assert not matches(title, query)


@pytest.mark.parametrize(
    "query", ["WA-MIN-2025-0007", "wa-min-2025-0007", "WA-MIN-۲۰۲۵-۰۰۰۷", "wa-min", "2025-0007", "0007"]
)
def test_reference_codes_match(query: str) -> None:
    key = search_key("WA-MIN-2025-0007", "معدن سنگ آهن", "Iron ore mine", "آذربایجان غربی", "ارومیه")
    assert all(term in key for term in query_terms(query))


def test_separator_keeps_last_word_from_gluing_onto_compact_half() -> None:
    key = search_key("سنگ آهن", "مس")
    assert "مسسنگ" not in key
    assert not matches("سنگ آهن مس", "مسسنگ")


WORD = st.text(alphabet=st.sampled_from(PERSIAN_ALPHABET), min_size=1, max_size=8)
SEPARATOR = st.sampled_from([" ", ZWNJ, ""])


@settings(max_examples=300, deadline=None)
@given(st.lists(WORD, min_size=1, max_size=6), st.data())
def test_any_spacing_of_the_same_words_matches(words: list[str], data: st.DataObject) -> None:
    def spell(separators: list[str]) -> str:
        return words[0] + "".join(sep + word for sep, word in zip(separators, words[1:], strict=True))

    title = spell(data.draw(st.lists(SEPARATOR, min_size=len(words) - 1, max_size=len(words) - 1)))
    query = spell(data.draw(st.lists(SEPARATOR, min_size=len(words) - 1, max_size=len(words) - 1)))
    assert all(term in search_key(title) for term in query_terms(query))


@settings(max_examples=300, deadline=None)
@given(PERSIANISH)
def test_a_title_always_matches_itself(title: str) -> None:
    assert all(term in search_key(title) for term in query_terms(title))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_matches_its_own_key(title: str) -> None:
    assert all(term in search_key(title) for term in query_terms(title))


# --------------------------------------------------------------------------------------------------------------------
# query_terms
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("سنگ آهن", ["سنگ", "اهن"]),
        (f"آذربایجان{ZWNJ}غربی", ["اذربایجان", "غربی"]),
        ("آذربایجانغربی", ["اذربایجانغربی"]),
        ("  طلا   مس  ", ["طلا", "مس"]),
        ("طلا، مس؛ سرب؟", ["طلا", "مس", "سرب"]),
        ("«سنگ آهن»", ["سنگ", "اهن"]),
        ("Iron ORE", ["iron", "ore"]),
        ("WA-MIN-2025-0007", ["wa-min-2025-0007"]),
        ("WA-MIN-۲۰۲۵-۰۰۰۷", ["wa-min-2025-0007"]),
        ("ref: WA-MIN-2025-0007.", ["ref", "wa-min-2025-0007"]),
        ("(طلا)", ["طلا"]),
        ("[مس]", ["مس"]),
        ("{باریت}", ["باریت"]),
        ("طلا!", ["طلا"]),
        ("طلا?", ["طلا"]),
        ("-طلا-", ["طلا"]),
        ("...طلا...", ["طلا"]),
        ("مس,طلا", ["مس", "طلا"]),
        ("مس, طلا", ["مس", "طلا"]),
        ("1,500", ["1,500"]),
        ("۱٬۵۰۰", ["1,500"]),
        ("۱٫۵ میلیون", ["1.5", "میلیون"]),
        ("۶۰٪", ["60%"]),
        ("60%", ["60%"]),
        ("file_name", ["file_name"]),
        ("_draft_", ["_draft_"]),
        ("1402/05/10", ["1402/05/10"]),
        ("مس|طلا", ["مس", "طلا"]),  # the key separator can never be part of a term
        ("طلا طلا مس طلا", ["طلا", "مس"]),
        ("طلا TALA طلا tala", ["طلا", "tala"]),
        ("كائولن کائولن", ["کایولن"]),
        ("مَعدَن معـــدن معدن", ["معدن"]),
    ],
)
def test_query_terms(query: str, expected: list[str]) -> None:
    assert query_terms(query) == expected


@pytest.mark.parametrize(
    "query",
    [
        None,
        "",
        " ",
        ZWNJ,
        "\u200f",
        "-",
        "--",
        "...",
        "!!!",
        "%",
        "_",
        "%_",
        "«»",
        "،؛؟",
        "- – —",
        "|",
        "<>",
        "''",
        '""',
    ],
)
def test_query_terms_of_nothing_useful_is_empty(query: str | None) -> None:
    assert query_terms(query) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"سنگ آهن"', ["سنگ", "اهن"]),
        ("'طلا'", ["طلا"]),
        ("<b>طلا</b>", ["b", "طلا"]),
        ("<script>alert(1)</script>", ["script", "alert", "1"]),
        ('"><img src=x onerror=alert(1)>', ["img", "src=x", "onerror=alert", "1"]),
        ("“طلا” ‘مس’", ["طلا", "مس"]),
        ("`مس`", ["مس"]),
        ("'; DROP TABLE opportunities; --", ["drop", "table", "opportunities"]),
        ("' OR 1=1 --", ["or", "1=1"]),
        ("100% _ %", ["100%"]),
        ("a%b_c", ["a%b_c"]),
    ],
)
def test_query_terms_is_safe_to_highlight_and_keeps_like_wildcards(query: str, expected: list[str]) -> None:
    assert query_terms(query) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_query_terms_never_contain_markup_quotes_or_spaces(query: str) -> None:
    for term in query_terms(query):
        assert not set(term) & set("<>\"'`|“”‘’ ")
        assert not any(char.isspace() for char in term)
        assert any(char.isalnum() for char in term)
        assert term in normalize(query)


@pytest.mark.parametrize("max_terms", [1, 2, 3, 8, 20])
def test_query_terms_caps_the_number_of_terms(max_terms: int) -> None:
    query = " ".join(f"واژه{index}" for index in range(50))
    terms = query_terms(query, max_terms=max_terms)
    assert terms == [f"واژه{index}" for index in range(max_terms)]


@pytest.mark.parametrize("max_term_length", [1, 2, 5, 10, 64])
def test_query_terms_truncates_long_terms(max_term_length: int) -> None:
    terms = query_terms("ب" * 200, max_term_length=max_term_length)
    assert terms == ["ب" * max_term_length]


def test_query_terms_truncation_does_not_leave_a_trailing_hyphen() -> None:
    assert query_terms("WA-MIN-2025-0007", max_term_length=7) == ["wa-min"]


def test_query_terms_duplicates_do_not_count_against_the_cap() -> None:
    assert query_terms("طلا طلا طلا مس سرب", max_terms=3) == ["طلا", "مس", "سرب"]


@pytest.mark.parametrize(("max_terms", "max_term_length"), [(0, 64), (-1, 64), (8, 0), (8, -5)])
def test_query_terms_rejects_nonsense_limits(max_terms: int, max_term_length: int) -> None:
    with pytest.raises(ValueError):
        query_terms("طلا", max_terms=max_terms, max_term_length=max_term_length)


@pytest.mark.parametrize(
    "query",
    [
        "سنگ آهن " * 125,  # 1,000 characters
        "ب" * 1000,
        "<>" * 500,
        "%_" * 500,
        f"{ZWNJ}{TATWEEL}\u064e" * 400,
        "طلا " * 250_000,  # a megabyte pasted into the search box
        "x" * 1_000_000,
    ],
    ids=["words", "one-long-word", "markup", "wildcards", "invisible", "megabyte-words", "megabyte-word"],
)
def test_query_terms_handles_long_queries_quickly(query: str) -> None:
    started = time.perf_counter()
    terms = query_terms(query)
    assert time.perf_counter() - started < 0.5
    assert len(terms) <= 8
    assert all(len(term) <= 64 for term in terms)


# --------------------------------------------------------------------------------------------------------------------
# to_persian_digits
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0123456789", "۰۱۲۳۴۵۶۷۸۹"),
        (ARABIC_INDIC_DIGITS, PERSIAN_DIGITS),
        (PERSIAN_DIGITS, PERSIAN_DIGITS),
        ("1.5", "۱٫۵"),
        ("1,500", "۱٬۵۰۰"),
        ("1,500,000.25", "۱٬۵۰۰٬۰۰۰٫۲۵"),
        ("پیشرفت فیزیکی 60 درصد", "پیشرفت فیزیکی ۶۰ درصد"),
        ("60%", "۶۰%"),
        ("-2.5", "-۲٫۵"),
        ("WA-MIN-2025-0007", "WA-MIN-۲۰۲۵-۰۰۰۷"),
        ("end.", "end."),  # '.' not between digits is punctuation
        ("1. item", "۱. item"),
        ("a,b", "a,b"),
        ("1, 2", "۱, ۲"),
        (".5", ".۵"),
        ("", ""),
        (0, "۰"),
        (1500, "۱۵۰۰"),
        (-42, "-۴۲"),
        (10**15, "۱" + "۰" * 15),
        (Decimal("1.5"), "۱٫۵"),
        (Decimal("2500000000"), "۲۵۰۰۰۰۰۰۰۰"),
        (Decimal("1E+6"), "۱۰۰۰۰۰۰"),
        (Decimal("0.001"), "۰٫۰۰۱"),
        (Decimal("-0.50"), "-۰٫۵۰"),
        (1.5, "۱٫۵"),
        (0.1, "۰٫۱"),
        (1e16, "۱" + "۰" * 16),
    ],
)
def test_to_persian_digits(value: str | int | float | Decimal, expected: str) -> None:
    assert to_persian_digits(value) == expected


@pytest.mark.parametrize("value", [True, None, [1], b"1"])
def test_to_persian_digits_rejects_other_types(value: object) -> None:
    with pytest.raises(TypeError):
        to_persian_digits(value)  # type: ignore[arg-type]


@given(st.integers())
def test_digits_round_trip_integers(number: int) -> None:
    persian = to_persian_digits(number)
    assert not set(persian) & set("0123456789")
    assert normalize(persian) == str(number)


@given(st.text(alphabet=st.sampled_from("0123456789.,- abc"), max_size=30))
def test_digits_round_trip_text(text: str) -> None:
    assert normalize(to_persian_digits(text)) == normalize(text)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-(10**15), max_value=10**15))
def test_digits_round_trip_decimals_through_parse_number(number: Decimal) -> None:
    assert parse_number(to_persian_digits(number)) == number


# --------------------------------------------------------------------------------------------------------------------
# parse_number
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", "0"),
        ("1500", "1500"),
        ("۱۵۰۰", "1500"),
        ("١٥٠٠", "1500"),
        ("۱٥۰0", "1500"),
        ("1,500", "1500"),
        ("۱٬۵۰۰", "1500"),
        ("۱،۵۰۰", "1500"),
        ("1 500", "1500"),
        ("1\u2009500", "1500"),  # thin space
        ("1\u202f500", "1500"),  # narrow no-break space
        ("1\u00a0500", "1500"),  # no-break space
        ("1_500", "1500"),
        ("1,500,000", "1500000"),
        ("۱٬۵۰۰٬۰۰۰", "1500000"),
        ("1 500 000", "1500000"),
        ("12,345,678,901", "12345678901"),
        ("1.5", "1.5"),
        ("۱٫۵", "1.5"),
        ("1200.5", "1200.5"),
        ("۱٬۲۰۰٫۵", "1200.5"),
        ("1,500.50", "1500.5"),
        (".5", "0.5"),
        ("۰٫۰۰۱", "0.001"),
        ("-12", "-12"),
        ("-۱۲", "-12"),
        ("+12", "12"),
        ("− ۱۲", "-12"),  # minus sign and a space
        ("-0", "0"),
        ("  ۴۲  ", "42"),
        (f"\u200f۴۲{ZWNJ}", "42"),
        ("۴۲\u202c", "42"),
        ("００７", "7"),
        ("007", "7"),
        # scientific notation, as programs and query strings write numbers
        ("4.754867505877873e+16", "47548675058778730"),
        ("-1.3894131344499356e+16", "-13894131344499356"),
        ("1e5", "100000"),
        ("1E-3", "0.001"),
        ("۲e۳", "2000"),
        ("-2.2250738585e-313", "-2.2250738585E-313"),
        ("9.9e99", "9" + "9" + "0" * 98),
        # scale words
        ("۵۰ هزار", "50000"),
        ("۵۰هزار", "50000"),
        ("50 thousand", "50000"),
        ("50k", "50000"),
        ("50 K", "50000"),
        ("۱٫۵ میلیون", "1500000"),
        ("۱٫۵میلیون", "1500000"),
        ("1.5 million", "1500000"),
        ("1.5m", "1500000"),
        ("1.5 mn", "1500000"),
        ("3 ملیون", "3000000"),
        ("۵۰ میلیارد", "50000000000"),
        ("۵۰میلیارد", "50000000000"),
        ("50 billion", "50000000000"),
        ("50 Billion", "50000000000"),
        ("2.5 bn", "2500000000"),
        ("2.5bn", "2500000000"),
        ("2.5 BN", "2500000000"),
        ("2.5b", "2500000000"),
        ("۵۰ هزار میلیارد", "50000000000000"),
        ("۵۰ هزارمیلیارد", "50000000000000"),
        (f"۵۰ هزار{ZWNJ}میلیارد", "50000000000000"),
        ("۵۰هزار میلیارد", "50000000000000"),
        ("50 trillion", "50000000000000"),
        ("۵۰ تریلیون", "50000000000000"),
        ("١٫٢ تريليون", "1200000000000"),
        ("۱٬۲۰۰ میلیارد", "1200000000000"),
        ("0.001 bn", "1000000"),
        ("-۳ میلیون", "-3000000"),
        ("۵۰ ميليارد", "50000000000"),  # Arabic yeh in the scale word
        ("۲۵۰ ميلیون", "250000000"),
    ],
)
def test_parse_number(text: str, expected: str) -> None:
    result = parse_number(text)
    assert isinstance(result, Decimal)
    assert result == Decimal(expected)
    assert str(result) == expected  # canonical: no exponent, no trailing zeros


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, Decimal(0)),
        (1500, Decimal(1500)),
        (-7, Decimal(-7)),
        (10**30, Decimal(10**30)),
        (Decimal("1.50"), Decimal("1.5")),
        (Decimal("1E+3"), Decimal(1000)),
        (Decimal("-0"), Decimal(0)),
    ],
)
def test_parse_number_accepts_numbers(value: int | Decimal, expected: Decimal) -> None:
    result = parse_number(value)
    assert isinstance(result, Decimal)
    assert result == expected
    assert str(result) == str(expected)


@pytest.mark.parametrize("value", [Decimal("1.261425410261288E+308"), Decimal("-1E+100"), 10**100])
def test_parse_number_refuses_numbers_of_a_hundred_digits_or_more(value) -> None:
    """A JSON float such as 1.26e308 must be a clear 400, not an overflow of the Decimal context (a 500)."""
    with pytest.raises(ValueError, match="too large"):
        parse_number(value)


def test_parse_number_is_exact_beyond_float_precision() -> None:
    assert parse_number("12345678901234567890.123456789") == Decimal("12345678901234567890.123456789")
    thirty_digits = 123456789012345678901234567890
    assert parse_number(f"{to_persian_digits(thirty_digits)} هزار میلیارد") == Decimal(thirty_digits * 10**12)
    assert parse_number("0.1") + parse_number("0.2") == Decimal("0.3")
    assert parse_number("9" * 64) == Decimal("9" * 64)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "'abc' is not a number"),
        ("", "empty"),
        ("   ", "empty"),
        (ZWNJ, "empty"),
        ("-", "not a number"),
        ("+", "not a number"),
        (".", "not a number"),
        ("1.5.3", "more than one decimal point"),
        ("۱٫۵٫۳", "more than one decimal point"),
        ("1.2.3.4", "more than one decimal point"),
        ("1.", "not a number"),
        ("NaN", "not a number"),
        ("nan", "not a number"),
        ("Infinity", "not a number"),
        ("-inf", "not a number"),
        ("∞", "not a number"),
        ("1e", "unknown unit 'e'"),
        ("1e+", "not a number"),
        ("1e1000", "not a number"),  # exponents up to three digits, as a float's shortest repr has
        ("-1e300", "too large"),
        ("1e100", "too large"),
        ("e5", "not a number"),
        ("0x1F", "not a number"),
        ("1,5", "misplaced thousands separators"),
        ("15,00", "misplaced thousands separators"),
        ("1,5000", "misplaced thousands separators"),
        ("1500,000", "misplaced thousands separators"),
        ("1,,500", "misplaced thousands separators"),
        ("1, 500", "misplaced thousands separators"),
        ("1,500 000", "misplaced thousands separators"),
        ("1 5", "misplaced thousands separators"),
        (",500", "not a number"),
        ("500,", "not a number"),
        ("12 xyz", "unknown unit 'xyz'"),
        ("۵۰ ریال", "unknown unit 'ریال'"),
        ("۵۰ تومان", "unknown unit"),
        ("۵۰ میلیارد ریال", "unknown unit"),
        ("50 dollars", "unknown unit"),
        ("میلیارد", "not a number"),
        ("میلیارد ۵۰", "not a number"),
        ("۵۰ هزار و ۵۰۰", "not a number"),
        ("--5", "not a number"),
        ("5-", "not a number"),
        ("1/2", "not a number"),
        ("۵۰%", "not a number"),
        ("١,٥ ٫", "not a number"),
        ("'; DROP TABLE x; --", "not a number"),
        ("<script>1</script>", "not a number"),
        ("1" * 65, "too long"),
        ("۱" * 65, "too long"),
        (" " * 30 + "1" + " " * 34, "too long"),
    ],
)
def test_parse_number_rejects_junk(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_number(text)


@pytest.mark.parametrize("value", [None, Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_parse_number_rejects_missing_and_non_finite(value: Decimal | None) -> None:
    with pytest.raises(ValueError):
        parse_number(value)


@pytest.mark.parametrize("value", [1.5, float("nan"), True, False, [1], b"1"])
def test_parse_number_rejects_floats_and_other_types(value: object) -> None:
    with pytest.raises(TypeError):
        parse_number(value)  # type: ignore[arg-type]


def test_parse_number_accepts_exactly_64_characters() -> None:
    assert parse_number("1" * 64) == Decimal("1" * 64)


def test_parse_number_of_an_absurd_input_is_fast() -> None:
    started = time.perf_counter()
    with pytest.raises(ValueError, match="too long"):
        parse_number("9" * 10_000_000)
    assert time.perf_counter() - started < 0.1


@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_parse_number_reads_ascii_integers(number: int) -> None:
    assert parse_number(str(number)) == number


@given(
    st.integers(min_value=0, max_value=10**18),
    st.sampled_from([",", "٬", "،", " ", "\u2009", "\u202f", "_"]),
    st.booleans(),
)
def test_parse_number_reads_grouped_persian_integers(number: int, separator: str, persian: bool) -> None:
    grouped = format(number, ",").replace(",", separator)
    text = to_persian_digits(grouped) if persian else grouped
    assert parse_number(text) == number


@given(
    st.integers(min_value=0, max_value=999_999),
    st.sampled_from(
        [
            ("هزار", 10**3),
            ("میلیون", 10**6),
            ("میلیارد", 10**9),
            ("هزار میلیارد", 10**12),
            ("k", 10**3),
            ("million", 10**6),
            ("bn", 10**9),
            ("trillion", 10**12),
        ]
    ),
    st.sampled_from(["", " "]),
)
def test_parse_number_scale_words(number: int, scale: tuple[str, int], space: str) -> None:
    word, factor = scale
    assert parse_number(f"{to_persian_digits(number)}{space}{word}") == number * factor


@given(st.text(max_size=30))
def test_parse_number_either_returns_a_finite_decimal_or_raises_value_error(text: str) -> None:
    try:
        result = parse_number(text)
    except ValueError:
        return
    assert isinstance(result, Decimal)
    assert result.is_finite()


# --------------------------------------------------------------------------------------------------------------------
# format_amount_fa / format_amount_en
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (Decimal("50000000000000"), "ریال", "۵۰ هزار میلیارد ریال"),
        (Decimal("2500000000"), "ریال", "۲٫۵ میلیارد ریال"),
        (Decimal("2_500_000_000"), "ریال", "۲٫۵ میلیارد ریال"),
        (Decimal("12000000"), "دلار", "۱۲ میلیون دلار"),
        (Decimal("1500"), "دلار", "۱٬۵۰۰ دلار"),
        (Decimal("999999"), "یورو", "۹۹۹٬۹۹۹ یورو"),
        (Decimal("1000000"), "ریال", "۱ میلیون ریال"),
        (Decimal("1250000"), "ریال", "۱٫۲۵ میلیون ریال"),
        (Decimal("1234567"), "ریال", "۱٫۲۳ میلیون ریال"),
        (Decimal("1235000"), "ریال", "۱٫۲۴ میلیون ریال"),  # half up
        (Decimal("1000000000"), "ریال", "۱ میلیارد ریال"),
        (Decimal("999999999"), "ریال", "۱ میلیارد ریال"),  # rounding moves it to the next scale
        (Decimal("999999999999"), "ریال", "۱ هزار میلیارد ریال"),
        (Decimal("1200000000000"), "ریال", "۱٫۲ هزار میلیارد ریال"),
        (Decimal("5000000000000000"), "ریال", "۵٬۰۰۰ هزار میلیارد ریال"),
        (Decimal("1500.756"), "دلار", "۱٬۵۰۰٫۷۶ دلار"),
        (Decimal("1500.50"), "دلار", "۱٬۵۰۰٫۵ دلار"),
        (Decimal("0.004"), "دلار", "۰ دلار"),
        (Decimal("0"), "ریال", "۰ ریال"),
        (Decimal("-2500000000"), "ریال", "-۲٫۵ میلیارد ریال"),
        (Decimal("1E+10"), "ریال", "۱۰ میلیارد ریال"),
        (2_500_000_000, "ریال", "۲٫۵ میلیارد ریال"),
        (Decimal("2500000000"), "", "۲٫۵ میلیارد"),
        (Decimal("2500000000"), "  ریال  ", "۲٫۵ میلیارد ریال"),
    ],
)
def test_format_amount_fa(amount: Decimal, currency: str, expected: str) -> None:
    assert format_amount_fa(amount, currency) == expected


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (Decimal("12000000"), "USD", "12 million USD"),
        (Decimal("1500"), "USD", "1,500 USD"),
        (Decimal("50000000000000"), "IRR", "50 trillion IRR"),
        (Decimal("2500000000"), "IRR", "2.5 billion IRR"),
        (Decimal("1000000"), "EUR", "1 million EUR"),
        (Decimal("1250000"), "EUR", "1.25 million EUR"),
        (Decimal("1234567"), "EUR", "1.23 million EUR"),
        (Decimal("999999"), "USD", "999,999 USD"),
        (Decimal("999999999"), "USD", "1 billion USD"),
        (Decimal("999995"), "USD", "999,995 USD"),
        (Decimal("999999.995"), "USD", "1 million USD"),  # rounding carries into the next scale
        (Decimal("995000000"), "USD", "995 million USD"),
        (Decimal("999994999"), "USD", "999.99 million USD"),
        (Decimal("994000"), "USD", "994,000 USD"),
        (Decimal("5000000000000000"), "IRR", "5,000 trillion IRR"),
        (Decimal("1500.756"), "USD", "1,500.76 USD"),
        (Decimal("1500.5"), "USD", "1,500.5 USD"),
        (Decimal("0.5"), "USD", "0.5 USD"),
        (Decimal("0"), "USD", "0 USD"),
        (Decimal("-0.001"), "USD", "0 USD"),
        (Decimal("-12000000"), "USD", "-12 million USD"),
        (Decimal("12000000"), "", "12 million"),
        (12_000_000, "USD", "12 million USD"),
    ],
)
def test_format_amount_en(amount: Decimal, currency: str, expected: str) -> None:
    assert format_amount_en(amount, currency) == expected


@pytest.mark.parametrize("formatter", [format_amount_fa, format_amount_en])
@pytest.mark.parametrize("amount", [1.5, "1500", None, True])
def test_format_amount_rejects_non_decimals(formatter, amount: object) -> None:
    with pytest.raises(TypeError):
        formatter(amount, "USD")


@pytest.mark.parametrize("formatter", [format_amount_fa, format_amount_en])
@pytest.mark.parametrize("amount", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_format_amount_rejects_non_finite(formatter, amount: Decimal) -> None:
    with pytest.raises(ValueError):
        formatter(amount, "USD")


@given(st.integers(min_value=-999_999, max_value=999_999))
def test_small_amounts_round_trip_exactly(number: int) -> None:
    assert parse_number(format_amount_en(Decimal(number), "")) == number
    assert parse_number(format_amount_fa(Decimal(number), "")) == number


@given(
    st.integers(min_value=1, max_value=999),
    st.sampled_from([10**6, 10**9, 10**12]),
)
def test_scaled_amounts_round_trip_exactly(number: int, factor: int) -> None:
    amount = Decimal(number * factor)
    assert parse_number(format_amount_en(amount, "")) == amount
    assert parse_number(format_amount_fa(amount, "")) == amount


@settings(max_examples=300)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**17), max_value=10**17))
def test_formatted_amounts_are_within_rounding_of_the_amount(amount: Decimal) -> None:
    shown = format_amount_fa(amount, "")
    read_back = parse_number(shown)
    magnitude = abs(amount)
    unit = next((scale for scale in (10**12, 10**9, 10**6) if magnitude >= scale * Decimal("0.995")), 1)
    assert abs(read_back - amount) <= Decimal("0.005") * unit
    assert parse_number(format_amount_en(amount, "")) == read_back
    assert not set(shown) & set("0123456789")
