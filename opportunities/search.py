"""Catalogue search: matching through the normalised key, typo tolerance, ranking, and highlighting in results.

Matching. Every term of `registry.text.query_terms` must be a substring of `Opportunity.search_key` (AND, any order);
on PostgreSQL the GIN trigram index `opp_search_key_trgm` serves these LIKE '%term%' conditions. When the query as a
whole matches nothing, the terms that match nothing on their own are relaxed: on PostgreSQL to trigram word
similarity (`search_key %> term`, served by the same GIN index), elsewhere to "one edit away" (a character changed,
added, dropped or two swapped), expressed as LIKE patterns. Which terms are relaxed is decided once per search by one
query against the reader's whole visible catalogue, so the filters and facet counts of a page all agree. A query that
is one listing's whole reference code finds that listing through the unique index on `reference` instead.

Ranking. The key is written in sections, titles (with the reference), then summaries, then the rest, each closed by
a mark (`registry.text.ranked_search_key`), so where a term first occurs in it, against where the marks are, says
what it matched: a title, a summary or something else. Both positions come from the key alone, which the search has
read anyway; working the sections out from the lengths of the title and summary columns instead (as the key was once
laid out) read those columns for every matching row and cost a broad search over half its time.

Highlighting folds the displayed text one character at a time with `normalize`, keeping for every folded character
the index of the original one, so a match in folded text marks the original characters (ZWNJ, diacritics and all).
"""

from __future__ import annotations

import functools
import html
import re
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

from django.db import DatabaseError, connection
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    Lookup,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.safestring import SafeString, mark_safe
from rapidfuzz.distance import OSA

from registry.text import SUMMARIES_END, TITLES_END, normalize, query_terms

# pg_trgm's word similarity above which a term counts as matched when nothing matched exactly. 0.4 catches one typo
# in words of five letters or more ("coper", "takeb", "طبریز"); the default 0.6 misses most of them.
WORD_SIMILARITY_THRESHOLD = 0.4
# Below this length a term is too short for a typo to be told from another word.
FUZZY_MIN_LENGTH = 4
# Above it the one-edit patterns get numerous; such long words are reference codes or pasted text.
FUZZY_MAX_LENGTH = 24

TITLE, SUMMARY = 2, 1


class Like(Lookup):
    """`lhs LIKE rhs` with a pattern built here (the ORM's `contains` would escape the `_` wildcard)."""

    lookup_name = "discovery_like"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs} ESCAPE '\\'", [*lhs_params, *rhs_params]


class TrigramWordMatch(Lookup):
    """`lhs %> rhs`: rhs is similar to some word extent of lhs (pg_trgm); indexable by gin_trgm_ops."""

    lookup_name = "discovery_trigram_word"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} %%> {rhs}", [*lhs_params, *rhs_params]


class WordSimilarity(Func):
    """pg_trgm's word_similarity(term, key), used to rank similar matches."""

    function = "word_similarity"
    output_field = FloatField()


@dataclass(frozen=True)
class SearchPlan:
    """What a query means for this catalogue: its terms, and which of them are matched by similarity."""

    terms: tuple[str, ...] = ()
    fuzzy: frozenset[str] = field(default_factory=frozenset)
    reference: str | None = None  # the query is this listing's whole reference code

    @property
    def active(self) -> bool:
        return bool(self.terms)

    @property
    def exact_terms(self) -> tuple[str, ...]:
        return tuple(term for term in self.terms if term not in self.fuzzy)


def _postgres() -> bool:
    return connection.vendor == "postgresql"


WHOLE_WORD_MAX_LENGTH = 2


def _exact(term: str) -> Q:
    """A term is a substring of the key. Short Persian terms are held to word boundaries, or «مس» (copper) would
    find every «مستقیم» (direct) and «قم» (Qom) every «رقم» (figure): two letters must be a whole word, one letter
    the start of a word."""
    if _is_short_word(term):
        return Q(search_key__contains=f" {term} " if len(term) == WHOLE_WORD_MAX_LENGTH else f" {term}")
    return Q(search_key__contains=term)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _one_edit_variants(term: str) -> dict[str, int]:
    """LIKE pattern → how many of the typed letters it keeps, for each one-edit variant of `term`."""
    chars = [_escape_like(char) for char in term]
    variants = set()
    for index in range(len(chars)):
        variants.add((*chars[:index], "_", *chars[index + 1 :]))  # changed
        if len(chars) > FUZZY_MIN_LENGTH - 1:
            variants.add((*chars[:index], *chars[index + 1 :]))  # typed one too many
        if index:
            variants.add((*chars[:index], "_", *chars[index:]))  # one left out
        if index + 1 < len(chars):
            variants.add((*chars[:index], chars[index + 1], chars[index], *chars[index + 2 :]))  # swapped
    return {f"%{''.join(variant)}%": sum(part != "_" for part in variant) for variant in variants}


def one_edit_patterns(term: str) -> list[str]:
    """LIKE patterns matching `term` with one character changed, added, dropped, or two neighbours swapped."""
    return sorted(_one_edit_variants(term))


def _edit_rank(term: str):
    """The share of the typed letters that the best matching one-edit pattern keeps: the similarity ranking where
    pg_trgm is not there. "coper" finds "copper" with all five letters kept (one left out), but also "operating"
    through "oper" (one typed too many): the first ranks above the second."""
    variants = sorted(_one_edit_variants(term).items(), key=lambda item: -item[1])
    return Case(
        *(When(Like(F("search_key"), Value(pattern)), then=Value(kept / len(term))) for pattern, kept in variants),
        default=Value(0.0),
        output_field=FloatField(),
    )


def _similar(term: str) -> Q:
    """The relaxed condition for a term that matches nothing exactly."""
    if _postgres():
        return Q(TrigramWordMatch(F("search_key"), Value(term)))
    condition = Q()
    for pattern in one_edit_patterns(term):
        condition |= Q(Like(F("search_key"), Value(pattern)))
    return condition


def _similarity_threshold_set() -> None:
    """`%>` compares with a setting, not an argument; it is set on this connection before a relaxed search runs.

    A session setting (not SET LOCAL) because the page's queries run outside a transaction. Only this module uses the
    word-similarity operators, and it always sets the same value, so the setting left on a pooled connection is
    harmless.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)", [str(WORD_SIMILARITY_THRESHOLD)]
        )


def _which_exist(base: QuerySet, conditions: dict[str, list[Q]]) -> dict[str, bool] | None:
    """One query: for each name, whether some row of `base` meets all its conditions (None for an empty table)."""
    checks = {name: Exists(base.filter(*parts)) for name, parts in conditions.items()}
    row = base.model._default_manager.order_by().annotate(**checks).values(*checks)[:1]
    with _index_scans_only():
        return next(iter(row), None)


@contextmanager
def _index_scans_only():
    """On PostgreSQL, make sequential scans the last resort for the statements inside (reset afterwards).

    The existence checks of `search_plan` need the trigram index, which answers "none" at once. The planner cannot
    tell: ANALYZE keeps no statistics for values over 1 KB, and the search key is longer, so a LIKE on it is
    estimated from a fixed rule. At a million listings that rule predicts some 1,500 matches for any term, and an
    EXISTS then looks cheapest as a sequential scan that stops at the first match; for a term that matches nothing
    (every typo) that scan reads the whole table: 10.8 s instead of 0.2 ms on the bench's 1M listings.
    """
    if not _postgres():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    try:
        yield
    finally:
        # In a transaction that an error has aborted the setting goes with the rollback, and RESET cannot run.
        with suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")


def _whole_reference(base: QuerySet, terms: tuple[str, ...]) -> str | None:
    """The reference code the query is, if it is one word shaped like a code («wa-min-2025-0007», in any digits)
    and a listing the reader may see has it: one probe of the unique index. A code's pieces ("wa", "2025") are among
    the commonest trigrams of the key, so matching it as a substring reads long posting lists (183 ms at 1M
    listings); a code typed whole means that listing."""
    if len(terms) != 1 or "-" not in terms[0] or not any(char.isdigit() for char in terms[0]):
        return None
    reference = terms[0].upper()
    return reference if base.filter(reference=reference).exists() else None


def search_plan(queryset: QuerySet, query: str | None) -> SearchPlan:
    """Terms of the query; if together they match nothing in `queryset`, those without an exact match are relaxed.

    The second question (which terms match on their own) is asked only when the first one says no: every check is a
    pass over the trigram index, whose posting lists for common words grow with the catalogue.
    """
    terms = tuple(query_terms(query))
    if not terms:
        return SearchPlan()
    base = queryset.order_by()
    reference = _whole_reference(base, terms)
    if reference is not None:
        return SearchPlan(terms=terms, reference=reference)
    found = _which_exist(base, {"all": [_exact(term) for term in terms]})
    if found is None or found["all"]:
        return SearchPlan(terms=terms)
    matched: set[str] = set()
    if len(terms) > 1:
        alone = _which_exist(base, {f"t{index}": [_exact(term)] for index, term in enumerate(terms)})
        matched = {term for index, term in enumerate(terms) if alone[f"t{index}"]}
    fuzzy = frozenset(
        term for term in terms if term not in matched and FUZZY_MIN_LENGTH <= len(term) <= FUZZY_MAX_LENGTH
    )
    if fuzzy and _postgres():
        _similarity_threshold_set()
    return SearchPlan(terms=terms, fuzzy=fuzzy)


def search_apply(queryset: QuerySet, plan: SearchPlan) -> QuerySet:
    """Only the rows matching every term (exactly, or by similarity for the plan's relaxed terms)."""
    if not plan.active:
        return queryset
    if plan.reference is not None:
        return queryset.filter(reference=plan.reference)
    conditions = [_similar(term) if term in plan.fuzzy else _exact(term) for term in plan.terms]
    return queryset.filter(*conditions)


def opportunities_matching(queryset: QuerySet, query: str | None) -> QuerySet:
    """Plan and apply in one call, for callers without facets (the admin's search box)."""
    return search_apply(queryset, search_plan(queryset, query))


class TermRank(Func):
    """2 when the term's first occurrence in the key is in its titles section, 1 in its summaries, 0 elsewhere.

    One expression node whose SQL is written here: spelled as ORM expressions it took a node per comparison, and
    resolving them cost the listing milliseconds per query that ranks."""

    output_field = IntegerField()

    def __init__(self, term: str):
        super().__init__(F("search_key"))
        self.term = term

    def as_sql(self, compiler, connection, **extra_context):
        key = compiler.compile(self.get_source_expressions()[0])[0]
        find = "STRPOS" if connection.vendor == "postgresql" else "INSTR"
        position = f"{find}({key}, %s)"
        sql = (
            f"CASE WHEN {position} < 1 THEN 0 WHEN {position} < {find}({key}, %s) THEN {TITLE} "
            f"WHEN {position} < {find}({key}, %s) THEN {SUMMARY} ELSE 0 END"
        )
        return sql, [self.term, self.term, TITLES_END, self.term, SUMMARIES_END]


def search_rank_annotate(queryset: QuerySet, plan: SearchPlan) -> QuerySet:
    """`search_rank`: title matches first, then summary, then the rest; similar matches by how close they are."""
    if not plan.active or plan.reference is not None:  # nothing to rank, or the one listing with that code
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    rank = Value(0.0, output_field=FloatField())
    for term in plan.exact_terms:
        rank = rank + TermRank(term)
    for term in sorted(plan.fuzzy):
        rank = rank + (WordSimilarity(Value(term), F("search_key")) if _postgres() else _edit_rank(term))
    return queryset.annotate(search_rank=rank)


# ---------------------------------------------------------------------------------------------------------------
# Highlighting


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """What one character becomes in normalised text: itself folded, a space, or nothing (a dropped mark)."""
    if char.isspace():
        return " "
    return " " if normalize(f"a{char}a") == "a a" else normalize(char)


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """The text normalised without spaces, and for each of its characters the index of the original character."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for piece in _fold_char(char):
            if piece == " ":
                continue
            folded.append(piece)
            origin.append(index)
    return "".join(folded), origin


def _is_short_word(term: str) -> bool:
    """Short Persian terms match whole words only (see `_exact`); the highlighter follows the same rule."""
    return len(term) <= WHOLE_WORD_MAX_LENGTH and not term.isascii()


def _word_bounded(text: str, first: int, last: int, term: str) -> bool:
    """For a short Persian term: the span starts a word, and a two-letter term also ends one («مس», not «مستقیم»)."""
    if not _is_short_word(term):
        return True
    starts = first == 0 or not text[first - 1].isalnum()
    ends = len(term) < WHOLE_WORD_MAX_LENGTH or last >= len(text) or not text[last].isalnum()
    return starts and ends


def _spans(text: str, terms: tuple[str, ...]) -> list[tuple[int, int]]:
    folded, origin = _folded_with_map(text)
    spans = []
    for term in terms:
        start = folded.find(term)
        while start != -1:
            first, last = origin[start], origin[start + len(term) - 1] + 1
            while last < len(text) and _fold_char(text[last]) == "":
                last += 1  # a diacritic after the last matched letter belongs to it
            if _word_bounded(text, first, last, term):
                spans.append((first, last))
            start = folded.find(term, start + 1)
    return spans


# A displayed word, for similar spellings: letters and digits with the diacritics, tatweel and ZWNJ written inside.
_WORD = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c]+")
# Letters after a similar word that still leave it marked: a suffix («تبریز» → «تبریزی», "mine" → "mines").
SUFFIX_LETTERS = 2


def _one_typo_from(word: str, term: str) -> bool:
    """The word, or the word without up to two final letters, is within one edit of the term: a letter changed,
    added or dropped, or two neighbours swapped (optimal string alignment distance)."""
    return any(
        OSA.distance(word[: len(word) - cut], term, score_cutoff=1) <= 1
        for cut in range(min(SUFFIX_LETTERS, len(word) - 1) + 1)
    )


def _similar_spans(text: str, terms: tuple[str, ...]) -> list[tuple[int, int]]:
    """Whole words of the text within one typo of a term that the search matched by similarity.

    The rule is the one-edit rule of the LIKE patterns that match such terms without pg_trgm; on PostgreSQL a
    word similarity of 0.4 is what matched, which one typo in a word of five letters or more also meets.
    """
    spans = []
    for match in _WORD.finditer(text):
        word = normalize(match.group()).replace(" ", "")
        if word and any(_one_typo_from(word, term) for term in terms):
            spans.append(match.span())
    return spans


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(last, merged[-1][1]))
        else:
            merged.append((first, last))
    return merged


def _compact(terms) -> tuple[str, ...]:
    return tuple(term.replace(" ", "") for term in terms if term and term.strip())


def highlight(text: str | None, terms: tuple[str, ...] | list[str], similar=()) -> SafeString:
    """The text, HTML-escaped, with every occurrence of the terms wrapped in <mark> however it was spelled.

    Terms are compared without spaces, as the key's compact half is, so «سنگهای» marks «سنگ‌های». ``similar`` are
    the terms the search matched by similarity (`SearchPlan.fuzzy`): the words one typo away from them are marked.
    """
    text = text or ""
    terms = _compact(terms)
    similar = tuple(term for term in _compact(similar) if len(term) >= FUZZY_MIN_LENGTH)
    if not terms and not similar:
        return mark_safe(html.escape(text))  # escaped
    parts, cursor = [], 0
    for first, last in _merged(_spans(text, terms) + _similar_spans(text, similar)):
        parts.append(html.escape(text[cursor:first]))
        parts.append(f"<mark>{html.escape(text[first:last])}</mark>")
        cursor = last
    parts.append(html.escape(text[cursor:]))
    return mark_safe("".join(parts))  # every piece of text is escaped above
