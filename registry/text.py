"""The one place Persian text is normalised: search keys, typed queries, typed numbers and displayed amounts.

Why one module: the same title reaches us typed on an Arabic keyboard (ي, ك), a Persian one (ی, ک), pasted from a
PDF (presentation forms such as ﻻ, stray bidi marks, tatweel), with or without diacritics, and with the
zero-width non-joiner (ZWNJ) written as a ZWNJ, a space or nothing at all. If the stored key and the query were
folded by different code they would drift apart and searches would silently miss. So `normalize` is the only
folding, and it is applied both when the key is stored and when a query or a number typed by a person is read.

Search key design
-----------------
`search_key` stores the normalised text twice, separated by ``" | "``::

    "<words joined by single spaces> | <the same text with every space removed>"

Matching is word-by-word AND: every term returned by `query_terms` must be a *substring* of the key. That makes
the three spellings Persian writers use interchangeably agree without any language-specific rules:

* "آذربایجان غربی" (space) and "آذربایجان‌غربی" (ZWNJ) both normalise to the two words "اذربایجان", "غربی",
  which appear in the spaced half of the key whatever spelling the title used (a word is also a substring of the
  run-together form, so a title stored without the space matches too);
* "آذربایجانغربی" (no space) is one term, which appears in the compact half, because that half has all spaces
  removed;
* the same holds for "بین‌المللی" / "بین المللی" / "بینالمللی" and "می‌شود" / "میشود".

The separator keeps a word at the end of the spaced half from gluing onto the compact half. `query_terms` removes
``|`` from terms, so no term can straddle the two halves.

An opportunity's key is written in three such sections, in the order a match ranks: titles (with the reference),
summaries, then the rest (place, sector and commodity names), each section ending in a mark of its own::

    "<titles> | <titles without spaces> \x1e <summaries> | <…> \x1f <names> | <…>"

so where a term first occurs says what it matched, against the marks' positions in the same key and nothing else
(`ranked_search_key`). The marks are control characters: `normalize` turns them into spaces, so no term holds one.

Numbers
-------
`parse_number` reads what a person types in a form («۵۰ میلیارد», «۱٬۲۰۰٫۵», "2.5 bn") into an exact `Decimal`;
`format_amount_fa` / `format_amount_en` and `to_persian_digits` go the other way for display. No floats are used
anywhere, because amounts of tens of trillions of rials do not survive a round trip through binary floating point.

This module imports nothing from Django so that it can be tested, and reused by scripts, in isolation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

__all__ = [
    "format_amount_en",
    "format_amount_fa",
    "normalize",
    "parse_number",
    "query_terms",
    "ranked_search_key",
    "search_key",
    "to_persian_digits",
]

ZWNJ = "\u200c"
KEY_SEPARATOR = " | "
TITLES_END = "\x1e"  # ends the titles section of a ranked key
SUMMARIES_END = "\x1f"  # ends its summaries section

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
ASCII_DIGITS = "0123456789"

# Letters that have a Persian spelling people also type in an Arabic (or Urdu) form. A user typing without the
# madda or hamza must still find the word, so every alef variant folds to the bare alef.
_LETTER_FOLDS: dict[str, str] = {
    "ي": "ی",  # U+064A Arabic yeh
    "ى": "ی",  # U+0649 alef maksura
    "ئ": "ی",  # U+0626 yeh with hamza above
    "ك": "ک",  # U+0643 Arabic kaf
    "ڪ": "ک",  # U+06AA swash kaf
    "ة": "ه",  # U+0629 teh marbuta
    "ۀ": "ه",  # U+06C0 heh with yeh above (the composed form of هٔ)
    "ە": "ه",  # U+06D5 ae
    "ہ": "ه",  # U+06C1 heh goal
    "ۂ": "ه",  # U+06C2 heh goal with hamza above
    "ھ": "ه",  # U+06BE heh doachashmee (typed by some keyboards for ه)
    "أ": "ا",  # U+0623 alef with hamza above
    "إ": "ا",  # U+0625 alef with hamza below
    "آ": "ا",  # U+0622 alef with madda above
    "ٱ": "ا",  # U+0671 alef wasla
    "ٲ": "ا",  # U+0672 alef with wavy hamza above
    "ٳ": "ا",  # U+0673 alef with wavy hamza below
    "ؤ": "و",  # U+0624 waw with hamza above
}

# Punctuation that separates words in Persian text; in a key or query it only ever means "word boundary".
_SPACE_LIKE = "،؛؟«»" + ZWNJ + "\u200b"  # Arabic comma, semicolon, question mark, guillemets, ZWNJ, zero-width space

_PUNCTUATION_FOLDS: dict[str, str] = {
    "٫": ".",  # U+066B Arabic decimal separator
    "٬": ",",  # U+066C Arabic thousands separator
    "٪": "%",  # U+066A Arabic percent sign
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2012": "-",  # figure dash
    "\u2013": "-",  # en dash
    "\u2212": "-",  # minus sign
}


def _code_points(first: int, last: int) -> range:
    """Inclusive range, so the table below reads like the Unicode charts it was taken from."""
    return range(first, last + 1)


# Arabic harakat, Quranic annotation marks and tatweel carry no meaning for search: «مَعدَن» and «معـــدن» are «معدن».
_DROPPED_RANGES = (
    _code_points(0x0610, 0x061A),  # Arabic signs (sallallahou ... small kasra)
    _code_points(0x064B, 0x065F),  # harakat, shadda, sukun, hamza above/below, ...
    _code_points(0x0670, 0x0670),  # superscript alef
    _code_points(0x0674, 0x0674),  # high hamza (left over by NFKC from ٵ, ٶ, ٷ, ٸ)
    _code_points(0x06D6, 0x06ED),  # Quranic annotation signs
    _code_points(0x08D3, 0x08FF),  # Arabic Extended-A marks
    _code_points(0x0640, 0x0640),  # tatweel (kashida)
)


def _build_table() -> dict[int, str | None]:
    """Every fixed character mapping in one `str.translate` table: one C-level pass instead of a chain of replaces."""
    table: dict[int, str | None] = {}
    for digits in (PERSIAN_DIGITS, ARABIC_INDIC_DIGITS):
        table.update({ord(digit): ascii_digit for digit, ascii_digit in zip(digits, ASCII_DIGITS, strict=True)})
    table.update({ord(source): target for source, target in _LETTER_FOLDS.items()})
    table.update({ord(source): target for source, target in _PUNCTUATION_FOLDS.items()})
    table.update({ord(char): " " for char in _SPACE_LIKE})
    for code_points in _DROPPED_RANGES:
        table.update(dict.fromkeys(code_points))
    # C0/C1 control characters that are not whitespace (NUL, BEL, ESC, ...) are noise from copy-paste.
    table.update(dict.fromkeys(code for code in (*range(0x20), *range(0x7F, 0xA0)) if not chr(code).isspace()))
    return table


class _FoldTable(dict[int, str | None]):
    """The `str.translate` table, which also drops every Unicode *format* character (category Cf) lazily.

    Why lazily: the format characters (ZWJ, LRM/RLM, bidi embeddings and isolates, BOM, soft hyphen, Arabic number
    signs, tag characters, ...) are scattered over the whole code space, and listing them by hand would miss some
    while scanning all 1.1 million code points at import would slow every process start. `str.translate` calls
    `__getitem__`, so `__missing__` classifies a character the first time it is seen and remembers the answer
    (dropped, or kept as itself), so each character is classified once per process. The table is bounded by the
    number of distinct characters ever seen, at most the size of Unicode.
    """

    def __missing__(self, code: int) -> str | None:
        folded = None if unicodedata.category(chr(code)) == "Cf" else chr(code)
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable(_build_table())


def _fold(text: str) -> str:
    """One pass of the folding; `normalize` repeats it until nothing changes."""
    text = unicodedata.normalize("NFKC", text)  # presentation forms (ﻻ, ﺁ, ﮐ), full-width and compatibility characters
    text = text.casefold()
    text = text.translate(_FOLD_TABLE)
    # Dropping a mark or a joiner can bring a base letter and a combining accent together; recompose them so that a
    # second pass has nothing left to do.
    text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


def normalize(text: str | None) -> str:
    """Fold text to the form used for search keys and queries, so every way of typing the same words compares equal.

    NFKC, Arabic → Persian letters (ي ى ئ → ی, ك → ک, ة ۀ هٔ → ه, أ إ ٱ آ → ا, ؤ → و), diacritics, tatweel and
    format/bidi characters dropped, ZWNJ and Persian punctuation (، ؛ ؟ « ») turned into spaces, Persian and
    Arabic-Indic digits into ASCII (٫ → '.', ٬ → ','), Latin case-folded, whitespace collapsed and stripped.
    ``normalize(normalize(x)) == normalize(x)`` for every string.
    """
    if text is None:
        return ""
    if not isinstance(text, str):
        raise TypeError(f"normalize() expects a string, not {type(text).__name__}")
    folded = _fold(text)
    # Case folding, NFKC and dropping characters do not commute in general (a dropped joiner can bring a letter and
    # an accent together). One pass has been a fixed point for every input tried, but idempotence is what keeps keys
    # and queries in step, so it is checked rather than assumed: the loop normally exits after one comparison.
    for _ in range(4):
        again = _fold(folded)
        if again == folded:
            break
        folded = again
    return folded


def search_key(*parts: str | None) -> str:
    """The stored search key: normalised parts joined by spaces, then ``" | "`` and the same text without spaces.

    See the module docstring for why the compact copy makes space, ZWNJ and no-space spellings all match.
    """
    spaced = " ".join(folded for folded in map(normalize, parts) if folded)
    if not spaced:
        return ""
    return f"{spaced}{KEY_SEPARATOR}{spaced.replace(' ', '')}"


def ranked_search_key(
    *, titles: Sequence[str | None], summaries: Sequence[str | None], rest: Sequence[str | None]
) -> str:
    """A search key in three sections, each ``search_key`` of its parts, closed by TITLES_END and SUMMARIES_END.

    A term's first position before TITLES_END is a title match, before SUMMARIES_END a summary match (see the module
    docstring); the marks are always there, so an empty section still leaves the others in place.
    """
    return f"{search_key(*titles)} {TITLES_END} {search_key(*summaries)} {SUMMARIES_END} {search_key(*rest)}"


# A query is read from a URL: cap the raw length so a pasted essay costs no more than a long query.
_MAX_QUERY_CHARS = 2048

# Characters that separate terms: quotes and angle brackets (so highlighting a term can never open a tag or an
# attribute), the key separator, brackets and sentence punctuation.
_TERM_SEPARATORS = re.compile(r"""[\s<>"'`“”„‘’‚‹›|()\[\]{};!?]+|(?<![0-9]),|,(?![0-9])""")
# Kept at the edges of a term because they are meaningful in a key ("60%", "file_name").
_EDGE_KEEP = frozenset("%_")


def _strip_edge_punctuation(term: str) -> str:
    """Trim "(طلا)" or "مس." to the word, since the key holds the word whatever punctuation surrounded it."""
    start, end = 0, len(term)
    while start < end and term[start] not in _EDGE_KEEP and unicodedata.category(term[start])[0] in "PS":
        start += 1
    while end > start and term[end - 1] not in _EDGE_KEEP and unicodedata.category(term[end - 1])[0] in "PS":
        end -= 1
    return term[start:end]


def query_terms(query: str | None, *, max_terms: int = 8, max_term_length: int = 64) -> list[str]:
    """Normalise a typed query and split it into the words that must each be a substring of the search key.

    Terms without a letter or digit are dropped, punctuation is trimmed from the ends ('-' inside a reference code
    such as "WA-MIN-2025-0007" is kept), quotes and ``<>`` are removed so a term is safe to highlight, duplicates are
    dropped keeping order, each term is truncated and the number of terms capped. ``%`` and ``_`` are kept: callers
    query through the ORM, which escapes LIKE wildcards.
    """
    if max_terms < 1 or max_term_length < 1:
        raise ValueError("max_terms and max_term_length must be at least 1")
    if not query:
        return []
    limit = max(_MAX_QUERY_CHARS, max_terms * (max_term_length + 1))
    terms: list[str] = []
    for raw in _TERM_SEPARATORS.split(normalize(query[:limit])):
        term = _strip_edge_punctuation(raw)[:max_term_length]
        term = _strip_edge_punctuation(term)  # truncation may have left a trailing hyphen
        if not any(char.isalnum() for char in term) or term in terms:
            continue
        terms.append(term)
        if len(terms) == max_terms:
            break
    return terms


_BETWEEN_DIGITS_DOT = re.compile(r"(?<=[0-9])\.(?=[0-9])")
_BETWEEN_DIGITS_COMMA = re.compile(r"(?<=[0-9]),(?=[0-9])")
_TO_PERSIAN_DIGITS = str.maketrans(ASCII_DIGITS + ARABIC_INDIC_DIGITS, PERSIAN_DIGITS * 2)


def _plain_string(value: str | int | float | Decimal) -> str:
    """A number as positional digits: ``Decimal('1E+6')`` and ``1e16`` must display as digits, not in E notation."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise TypeError("to_persian_digits() does not accept booleans")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        value = Decimal(repr(value))  # the shortest decimal that round-trips, not the float's binary expansion
    if isinstance(value, Decimal):
        return format(value, "f") if value.is_finite() else str(value)
    raise TypeError(f"to_persian_digits() expects a string or a number, not {type(value).__name__}")


def to_persian_digits(text: str | int | float | Decimal) -> str:
    """Digits for display to Persian readers: 0-9 and ٠-٩ → ۰-۹, '.' and ',' between digits → '٫' and '٬'."""
    text = _plain_string(text)
    text = _BETWEEN_DIGITS_DOT.sub("٫", text)
    text = _BETWEEN_DIGITS_COMMA.sub("٬", text)
    return text.translate(_TO_PERSIAN_DIGITS)


MAX_NUMBER_LENGTH = 64

_THOUSAND = Decimal(10) ** 3
_MILLION = Decimal(10) ** 6
_BILLION = Decimal(10) ** 9
_TRILLION = Decimal(10) ** 12

# Keys are in normalised form with spaces removed, so «هزار میلیارد», «هزارمیلیارد» and "Thousand Billion" all hit.
_SCALE_WORDS: dict[str, Decimal] = {
    "": Decimal(1),
    "هزار": _THOUSAND,
    "thousand": _THOUSAND,
    "k": _THOUSAND,
    "میلیون": _MILLION,
    "ملیون": _MILLION,
    "million": _MILLION,
    "m": _MILLION,
    "mn": _MILLION,
    "mln": _MILLION,
    "میلیارد": _BILLION,
    "ملیارد": _BILLION,
    "billion": _BILLION,
    "bn": _BILLION,
    "b": _BILLION,
    "bln": _BILLION,
    "هزارمیلیارد": _TRILLION,
    "هزارملیارد": _TRILLION,
    "thousandbillion": _TRILLION,
    "تریلیون": _TRILLION,
    "trillion": _TRILLION,
}

_NUMBER = re.compile(
    r"""
    (?P<sign>[+-]?)\s*
    (?P<integer>[0-9](?:[0-9,_ ]*[0-9])?)?   # digits, possibly grouped by ',', '_' or spaces
    (?:\.(?P<fraction>[0-9]+))?
    (?:e(?P<exponent>[+-]?[0-9]{1,3}))?      # scientific notation as programs write numbers: 4.75e+16
    \s*(?P<scale>[^0-9]*)                    # an optional scale word: «میلیارد», "bn", ...
    """,
    re.VERBOSE,
)
_GROUP_SEPARATORS = re.compile(r"[,_ ]")

# Enough digits for a 64-character number times 10**12, so arithmetic on parsed numbers is always exact.
_EXACT_PRECISION = 200
# Written with an exponent a number could need hundreds of digits; nothing anyone means is 10**100 or larger.
MAX_MAGNITUDE = 100


def _canonical(number: Decimal) -> Decimal:
    """One representation per value: whole numbers without a fraction part, fractions without trailing zeros."""
    with localcontext(prec=_EXACT_PRECISION):
        if number == 0:
            return Decimal(0)
        if number == number.to_integral_value():
            return number.quantize(Decimal(1))
        return number.normalize()


def _check_grouping(integer: str, original: str) -> str:
    """Thousands separators must sit every three digits: "1,5" is more likely a European 1.5 than 15."""
    separators = set(_GROUP_SEPARATORS.findall(integer))
    if not separators:
        return integer
    groups = _GROUP_SEPARATORS.split(integer)
    if len(separators) > 1 or not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:]):
        raise ValueError(f"{original!r} has misplaced thousands separators")
    return "".join(groups)


def _check_magnitude(number: Decimal, text) -> None:
    if number and number.adjusted() >= MAX_MAGNITUDE:
        raise ValueError(f"{text!r} is too large a number (10**{MAX_MAGNITUDE} or more)")


def parse_number(text: str | int | Decimal | None) -> Decimal:
    """Read a number typed by a person into an exact Decimal.

    Accepts Persian, Arabic-Indic and ASCII digits; ',', '٬', '،', '_', spaces and thin spaces as thousands
    separators; '.' or '٫' as the decimal point; a leading sign; scientific notation as programs write it
    (4.75e+16, 1E-3, exponents up to three digits); and a trailing scale word in Persian or English
    («هزار», «میلیون», «میلیارد», «هزار میلیارد», «تریلیون», k, m, mn, b, bn, thousand, million, billion, trillion),
    with or without a space («۵۰میلیارد»). Raises ValueError with an English message for anything else.
    """
    if text is None:
        raise ValueError("an empty value is not a number")
    if isinstance(text, (bool, float)):
        raise TypeError(f"parse_number() does not accept {type(text).__name__}; pass a string, int or Decimal")
    if isinstance(text, int):
        _check_magnitude(Decimal(text), text)
        return Decimal(text)
    if isinstance(text, Decimal):
        if not text.is_finite():
            raise ValueError(f"{text} is not a number")
        _check_magnitude(text, text)
        return _canonical(text)
    if not isinstance(text, str):
        raise TypeError(f"parse_number() expects a string, int or Decimal, not {type(text).__name__}")
    if len(text) > MAX_NUMBER_LENGTH:
        raise ValueError(f"the input is too long to be a number (more than {MAX_NUMBER_LENGTH} characters)")
    folded = normalize(text)  # also turns '،' and thin spaces into spaces and '٫' into '.'
    if not folded:
        raise ValueError("an empty value is not a number")
    if folded.count(".") > 1:
        raise ValueError(f"{text!r} has more than one decimal point")
    match = _NUMBER.fullmatch(folded)
    if match is None or (match["integer"] is None and match["fraction"] is None):
        raise ValueError(f"{text!r} is not a number")
    scale_word = match["scale"].replace(" ", "")
    if scale_word not in _SCALE_WORDS:
        if scale_word.isalpha():
            raise ValueError(f"{text!r} is not a number: unknown unit {match['scale'].strip()!r}")
        raise ValueError(f"{text!r} is not a number")
    integer = _check_grouping(match["integer"] or "0", text)
    try:
        number = Decimal(f"{match['sign']}{integer}.{match['fraction'] or '0'}e{match['exponent'] or '0'}")
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        raise ValueError(f"{text!r} is not a number") from None
    _check_magnitude(number, text)
    with localcontext(prec=_EXACT_PRECISION):
        return _canonical(number * _SCALE_WORDS[scale_word])


# Largest first. Iranian usage says «هزار میلیارد» rather than «تریلیون», so that is what Persian display uses.
_DISPLAY_SCALES: tuple[tuple[Decimal, str, str], ...] = (
    (_TRILLION, "هزار میلیارد", "trillion"),
    (_BILLION, "میلیارد", "billion"),
    (_MILLION, "میلیون", "million"),
)
_CENT = Decimal("0.01")


def _scaled(amount: Decimal | int) -> tuple[str, int | None]:
    """The amount as a short grouped number and the index of its scale word in `_DISPLAY_SCALES` (None: no word).

    The scale is the largest one the amount reaches, so 995,000,000 stays "995 million" rather than rounding up to
    "1 billion"; only when rounding to two decimals carries into the next scale (999,999,999 → "1,000 million") is
    the larger word used ("1 billion").
    """
    if isinstance(amount, bool) or not isinstance(amount, (Decimal, int)):
        raise TypeError(f"an amount must be a Decimal or an int, not {type(amount).__name__}")
    amount = Decimal(amount)
    if not amount.is_finite():
        raise ValueError(f"{amount} is not an amount")
    divisors = [Decimal(1), *(scale for scale, _fa, _en in reversed(_DISPLAY_SCALES))]  # 1, 10**6, 10**9, 10**12
    with localcontext(prec=max(_EXACT_PRECISION, amount.adjusted() + 10)):
        position = max(index for index, divisor in enumerate(divisors) if index == 0 or abs(amount) >= divisor)
        chosen = (amount / divisors[position]).quantize(_CENT, rounding=ROUND_HALF_UP)
        if position + 1 < len(divisors) and abs(chosen) * divisors[position] >= divisors[position + 1]:
            position += 1
            chosen = (amount / divisors[position]).quantize(_CENT, rounding=ROUND_HALF_UP)
        if chosen == 0:
            chosen = Decimal(0)  # no "-0"
    digits = format(chosen, ",f")
    if "." in digits:
        digits = digits.rstrip("0").rstrip(".")
    return digits, None if position == 0 else len(_DISPLAY_SCALES) - position


def _join(*words: str) -> str:
    """Join display words, skipping an empty currency so there is no dangling space."""
    return " ".join(word for word in words if word)


def format_amount_fa(amount: Decimal, currency_name_fa: str) -> str:
    """An amount for Persian readers: «۵۰ هزار میلیارد ریال», «۲٫۵ میلیارد ریال», «۱٬۵۰۰ دلار» (≤ 2 decimals)."""
    digits, index = _scaled(amount)
    word = "" if index is None else _DISPLAY_SCALES[index][1]
    return _join(to_persian_digits(digits), word, currency_name_fa.strip())


def format_amount_en(amount: Decimal, currency_code: str) -> str:
    """An amount for English readers: "12 million USD", "2.5 billion IRR", "1,500 USD" (≤ 2 decimals)."""
    digits, index = _scaled(amount)
    word = "" if index is None else _DISPLAY_SCALES[index][2]
    return _join(digits, word, currency_code.strip())
