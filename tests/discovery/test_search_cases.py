"""The search cases table: however a reader types, the right listings come back and the wrong ones do not.

Each case names the listings (keys of `search_catalogue`) the query must return and some it must not. Cases marked
`only` run on one database: trigram similarity on PostgreSQL and the one-edit patterns on SQLite relax different
typos. Run through the API, the search, filters and scope are those of the listing page.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opportunities.models import Opportunity
from opportunities.search import SearchPlan, search_rank_annotate
from registry.text import query_terms, search_key
from tests.discovery.conftest import refs

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/opportunities/"
WA_MINING = {"copper", "stone", "gold", "iron"}

CASES = [
    # id, query, must return, must not return, only on
    ("arabic-yeh", "سيب", {"apple"}, {"copper"}, None),
    ("arabic-kaf", "تكاب", {"copper", "gold"}, {"apple"}, None),
    ("arabic-kaf-yeh-two-words", "كارخانه فراوري", {"stone"}, {"copper", "water"}, None),
    ("madda-typed", "فرآوری", {"copper", "stone"}, {"hotel"}, None),
    ("madda-left-out", "اب معدنی", {"water"}, {"hotel", "tabriz"}, None),
    ("hamza-waw-left-out", "موسسه", {"institute"}, {"expo"}, None),
    ("persian-letters-find-arabic-stored", "کارگاه قالیبافی", {"carpet"}, {"stone"}, None),
    ("arabic-letters-find-arabic-stored", "قاليبافي", {"carpet"}, {"water"}, None),
    ("no-zwnj", "سنگهای تزئینی", {"stone"}, {"copper"}, None),
    ("space-for-zwnj", "سنگ های تزئینی", {"stone"}, {"copper"}, None),
    ("zwnj-and-academy-spelling", "سنگ‌های تزیینی", {"stone"}, {"copper"}, None),
    ("international-space", "بین المللی", {"expo"}, {"apple"}, None),
    ("international-no-space", "بینالمللی", {"expo"}, {"apple"}, None),
    ("international-zwnj", "بین‌المللی", {"expo"}, {"apple"}, None),
    ("province-name-run-together", "آذربایجانغربی هتل", {"hotel"}, {"tabriz"}, None),
    ("one-word-typed-as-two", "سرد خانه", {"apple"}, {"hotel"}, None),
    ("ascii-digits", "1200", {"iron"}, {"apple"}, None),
    ("persian-digits", "۱۲۰۰", {"iron"}, {"apple"}, None),
    ("arabic-indic-digits", "١٢٠٠ تن", {"iron"}, {"apple"}, None),
    ("persian-digits-in-summary", "۵۰ هزار تن", {"apple"}, {"iron"}, None),
    ("diacritics-stored", "معدن طلای زرشوران", {"gold"}, {"copper"}, None),
    ("diacritics-typed", "مَعدِن", {"gold"}, {"apple", "tabriz"}, None),
    ("tatweel-typed", "طـــلا", {"gold"}, {"copper"}, None),
    ("english-any-case", "COPPER takab", {"copper"}, {"gold", "cathode"}, None),
    ("mixed-languages", "copper تکاب", {"copper"}, {"gold"}, None),
    ("mixed-languages-2", "urmia سیب", {"apple"}, {"expo", "copper"}, None),
    ("english-place", "Urmia", {"apple", "expo", "institute"}, {"copper", "tabriz"}, None),
    ("persian-place-english-thing", "hotel ماکو", {"hotel"}, {"apple"}, None),
    ("reference-prefix-persian-digits", "wa-min-۲۰", WA_MINING, {"apple", "tabriz", "cathode"}, None),
    ("reference-other-province", "EA-MFG", {"tabriz"}, {"copper", "cathode"}, None),
    ("words-must-all-match", "مس ارومیه", set(), {"copper", "apple"}, None),
    ("words-must-all-match-en", "copper apple", set(), {"copper", "apple"}, None),
    ("commodity-name-in-key", "copper", {"copper", "cathode", "smelter"}, {"gold", "draft"}, None),
    ("drafts-never-found", "محرمانه", set(), {"draft"}, None),
    ("typo-letter-left-out", "coper", {"copper", "cathode", "smelter"}, {"gold"}, None),
    ("typo-letter-changed", "takeb", {"copper", "gold"}, {"apple"}, None),
    ("typo-letter-doubled", "hotell", {"hotel"}, {"apple"}, None),
    ("typo-persian-ta", "طبریز", {"tabriz"}, {"copper"}, None),
    ("typo-persian-letter", "سردخونه", {"apple"}, {"hotel"}, None),
    ("typo-persian-heh", "نمایشگاحی", {"expo"}, {"apple"}, None),
    ("typo-english-letter-left-out", "exhibtion", {"expo"}, {"hotel"}, None),
    ("typo-with-exact-word", "takeb copper", {"copper"}, {"gold", "apple"}, None),
    ("typo-swapped-letters-sqlite", "اورمیه", {"apple"}, {"copper"}, "sqlite"),
    ("typo-swapped-letters-postgres-misses", "اورمیه", set(), {"copper"}, "postgresql"),
]


@pytest.mark.parametrize(
    ("query", "must", "must_not", "only"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_search_case(api_client, search_catalogue, query, must, must_not, only):
    if only and connection.vendor != only:
        pytest.skip(f"{only} only")
    response = api_client.get(LIST_URL, {"q": query, "page_size": 100})
    assert response.status_code == 200
    found = refs(response)
    expected = {search_catalogue[name].reference for name in must}
    unwanted = {search_catalogue[name].reference for name in must_not}
    assert expected <= found, (
        f"missing: {sorted(name for name in must if search_catalogue[name].reference not in found)}"
    )
    assert not unwanted & found, (
        f"unwanted: {sorted(name for name in must_not if search_catalogue[name].reference in found)}"
    )
    if not must:
        assert found == set()


def test_at_least_thirty_cases_on_each_database():
    for vendor in ("sqlite", "postgresql"):
        assert sum(1 for case in CASES if case[4] in (None, vendor)) >= 30


def test_ranking_title_then_summary_then_rest(api_client, search_catalogue):
    # copper: in the title; cathode: only in the summary; smelter: only through its commodity's name
    response = api_client.get(LIST_URL, {"q": "copper"})
    order = [row["reference"] for row in response.json()["results"]]
    expected = [search_catalogue[name].reference for name in ("copper", "cathode", "smelter")]
    assert order == expected


def test_ranking_counts_a_title_word_typed_without_its_space(api_client, search_catalogue):
    # «سنگهای» is only in the key's compact half; it is still a title word, ahead of a listing matching elsewhere.
    response = api_client.get(LIST_URL, {"q": "فراوری"})
    order = [row["reference"] for row in response.json()["results"]]
    assert set(order[:2]) == {search_catalogue["copper"].reference, search_catalogue["stone"].reference}


def test_persian_ranking_title_before_summary(api_client, search_catalogue):
    response = api_client.get(LIST_URL, {"q": "مس"})
    order = [row["reference"] for row in response.json()["results"]]
    assert order.index(search_catalogue["copper"].reference) < order.index(search_catalogue["cathode"].reference)
    assert order.index(search_catalogue["cathode"].reference) < order.index(search_catalogue["smelter"].reference)


def test_explicit_ordering_overrides_relevance(api_client, search_catalogue):
    response = api_client.get(LIST_URL, {"q": "copper", "ordering": "-published"})
    order = [row["reference"] for row in response.json()["results"]]
    expected = [search_catalogue[name].reference for name in ("smelter", "cathode", "copper")]  # newest first
    assert order == expected


def test_a_whole_reference_code_goes_to_the_unique_index(api_client, search_catalogue):
    # Typed in Persian digits and lower case, the whole code is that listing, found without a substring scan; the
    # other listings of the same province, sector and year share all of its trigrams but one or two.
    copper = search_catalogue["copper"]
    typed = copper.reference.lower().translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    with CaptureQueriesContext(connection) as captured:
        response = api_client.get(LIST_URL, {"q": typed})
    assert refs(response) == {copper.reference}
    listing_queries = [query["sql"] for query in captured if "opportunities_opportunity" in query["sql"]]
    assert not [sql for sql in listing_queries if "LIKE" in sql or "%>" in sql]


def test_a_code_that_is_no_reference_is_searched_as_text(api_client, search_catalogue):
    # A number no listing has: the substring search runs (then, finding nothing, the typo fallback may offer similar
    # codes); a code's prefix finds its listings as before.
    prefix = search_catalogue["copper"].reference.rsplit("-", 1)[0]
    with CaptureQueriesContext(connection) as captured:
        response = api_client.get(LIST_URL, {"q": f"{prefix}-9999"})
    assert response.status_code == 200
    assert any("LIKE" in query["sql"] and "search_key" in query["sql"] for query in captured)
    assert search_catalogue["copper"].reference in refs(api_client.get(LIST_URL, {"q": prefix}))


def _rank_by_hand(listing: Opportunity, term: str) -> int:
    """The rule, from the columns rather than the key: 2 if the term is in the reference or a title (spaced or run
    together), else 1 if it is in a summary, else 0."""
    if term in search_key(listing.reference, listing.title_fa, listing.title_en):
        return 2
    if term in search_key(listing.summary_fa, listing.summary_en):
        return 1
    return 0


@pytest.mark.parametrize("query", ["copper", "مس", "فراوری", "سنگهای", "تزیینی", "concentrate", "تکاب", "wa-min"])
def test_term_rank_sql_follows_the_rule(search_catalogue, query):
    # In the reference or a title (2), a summary (1), elsewhere (0), also when found only run together.
    (term,) = query_terms(query)
    ranked = search_rank_annotate(Opportunity.objects.all(), SearchPlan(terms=(term,)))
    ranks = {listing.pk: int(listing.search_rank) for listing in ranked}
    expected = {listing.pk: _rank_by_hand(listing, term) for listing in Opportunity.objects.all()}
    assert ranks == expected
    assert set(expected.values()) - {0}
