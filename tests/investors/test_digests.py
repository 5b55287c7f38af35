"""Daily digests of saved searches: rows first, one per search per day however often the task runs."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import InvestorProfile
from opportunities.investors import services
from opportunities.investors.models import AlertDigest, SavedSearch
from opportunities.investors.tasks import saved_search_digest_task, saved_search_digests_task
from opportunities.models import Opportunity
from registry.celery import app
from registry.models import OutboundEmail, Sector
from tests.factories import OpportunityFactory, UserFactory
from tests.investors.factories import SavedSearchFactory, verified_investor

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)


def hours_ago(hours: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


def stamp(opportunity, *, published_hours_ago: float, updated_hours_ago: float | None = None) -> None:
    """Place an opportunity in time (the services stamp `now`)."""
    updated = published_hours_ago if updated_hours_ago is None else updated_hours_ago
    Opportunity.objects.filter(pk=opportunity.pk).update(
        published_at=hours_ago(published_hours_ago), updated_at=hours_ago(updated)
    )


@pytest.fixture
def search():
    """A verified investor's search for mining in West Azerbaijan, saved a day ago."""
    user = verified_investor(first_name="Sara")
    saved = SavedSearchFactory(user=user, name="WA mining", query="province=WA&sector=MIN")
    SavedSearch.objects.filter(pk=saved.pk).update(created_at=hours_ago(24))
    saved.refresh_from_db()
    return saved


@pytest.fixture
def catalogue(search):
    """Before the search was saved: `old` (unchanged) and `edited` (changed since); after: `fresh`; never matching:
    `farm` (another sector) and `draft` (not visible to an investor)."""
    items = {
        "old": OpportunityFactory(title_en="Old copper mine"),
        "edited": OpportunityFactory(title_en="Edited zinc mine"),
        "fresh": OpportunityFactory(title_en="Fresh gold mine"),
        "farm": OpportunityFactory(title_en="Greenhouse", sector=Sector.objects.get(code="AGR.GRH")),
        "draft": OpportunityFactory(title_en="Secret draft mine", published=False),
    }
    stamp(items["old"], published_hours_ago=48)
    stamp(items["edited"], published_hours_ago=48, updated_hours_ago=3)
    stamp(items["fresh"], published_hours_ago=2)
    stamp(items["farm"], published_hours_ago=2)
    Opportunity.objects.filter(pk=items["draft"].pk).update(updated_at=hours_ago(1))
    return items


def test_running_the_daily_task_twice_sends_one_email_and_writes_one_row(
    search, catalogue, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        first = saved_search_digests_task(today=TODAY.isoformat())
        second = saved_search_digests_task(today=TODAY.isoformat())
        direct = saved_search_digest_task(saved_search_id=search.pk, today=TODAY.isoformat())

    assert (first, second) == (1, 0)  # the second run finds the day's row and dispatches nothing
    digest = AlertDigest.objects.get()
    assert direct == digest.pk  # even a direct re-run returns the day's row without a second e-mail
    assert OutboundEmail.objects.filter(key=f"digest:{search.pk}:2026-11-24").count() == 1
    assert OutboundEmail.objects.count() == 1
    assert len(mailoutbox) == 1


def test_the_digest_separates_new_from_changed_matches(search, catalogue, mailoutbox):
    digest = services.saved_search_digest_send(saved_search_id=search.pk, today=TODAY)

    assert digest.new_ids == [catalogue["fresh"].pk]
    assert digest.changed_ids == [catalogue["edited"].pk]
    email = digest.email
    assert email.to == search.user.email
    assert email.language == "fa"
    body = email.body_text
    assert catalogue["fresh"].title_fa in body
    assert catalogue["edited"].title_fa in body
    assert body.index(catalogue["fresh"].title_fa) < body.index(catalogue["edited"].title_fa)
    for absent in ("old", "farm", "draft"):
        assert catalogue[absent].title_fa not in body
    assert f"/opportunities/{catalogue['fresh'].reference}/" in body
    assert f"{settings.SITE_URL}/opportunities/?province=WA&sector=MIN" in body
    assert "۱" in email.subject  # "1 new and 1 changed" in Persian digits
    search.refresh_from_db()
    assert search.last_alerted_at == digest.window_end


def test_an_english_reader_gets_english(search, catalogue):
    search.user.preferred_language = "en"
    search.user.save()

    digest = services.saved_search_digest_send(saved_search_id=search.pk, today=TODAY)

    assert digest.email.subject == "«WA mining»: 1 new and 1 changed"
    assert "Fresh gold mine" in digest.email.body_text
    assert "New opportunities" in digest.email.body_text
    assert f"{settings.SITE_URL}/en/opportunities/{catalogue['fresh'].reference}/" in digest.email.body_text


def test_no_news_means_no_email_and_no_row(search):
    old = OpportunityFactory()
    stamp(old, published_hours_ago=72)

    assert saved_search_digests_task(today=TODAY.isoformat()) == 1
    assert not AlertDigest.objects.exists()
    assert not OutboundEmail.objects.exists()
    search.refresh_from_db()
    assert search.last_alerted_at is None  # the window keeps growing until there is news


def test_the_next_day_reports_only_what_happened_since_the_last_digest(search, catalogue):
    services.saved_search_digest_send(saved_search_id=search.pk, today=TODAY)
    later = OpportunityFactory(title_en="Later lead mine")  # published now, after the first window closed

    next_day = datetime.timedelta(days=1)
    tomorrow = services.saved_search_digest_send(
        saved_search_id=search.pk, today=TODAY + next_day, now=timezone.now() + next_day
    )

    assert tomorrow.new_ids == [later.pk]
    assert tomorrow.changed_ids == []
    assert AlertDigest.objects.count() == 2
    assert OutboundEmail.objects.filter(key__startswith=f"digest:{search.pk}:").count() == 2


@pytest.mark.parametrize(
    "spoil",
    [
        lambda s: InvestorProfile.objects.filter(user=s.user).update(email_verified_at=None),
        lambda s: SavedSearch.objects.filter(pk=s.pk).update(alerts_enabled=False),
        lambda s: type(s.user).objects.filter(pk=s.user_id).update(is_active=False),
    ],
    ids=["unverified address", "alerts off", "inactive account"],
)
def test_no_digest_for_unverified_paused_or_inactive(search, catalogue, spoil):
    spoil(search)

    dispatched = saved_search_digests_task(today=TODAY.isoformat())
    direct = services.saved_search_digest_send(saved_search_id=search.pk, today=TODAY)

    assert dispatched == 0
    assert direct is None
    assert not AlertDigest.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_matches_are_what_the_owner_may_see_today(search, catalogue):
    Opportunity.objects.filter(pk=catalogue["fresh"].pk).update(status="withdrawn")

    digest = services.saved_search_digest_send(saved_search_id=search.pk, today=TODAY)

    assert digest.new_ids == []
    assert digest.changed_ids == [catalogue["edited"].pk]


def test_a_search_whose_filter_was_retired_is_skipped_not_crashed(search, catalogue):
    SavedSearch.objects.filter(pk=search.pk).update(query="province=ZZ")

    assert services.saved_search_digest_send(saved_search_id=search.pk, today=TODAY) is None
    assert not AlertDigest.objects.exists()


def test_each_search_gets_its_own_digest(catalogue, search):
    other = SavedSearchFactory(user=UserFactory(), query="sector=MIN")  # unverified: nothing for them
    second = SavedSearchFactory(user=search.user, name="All mining", query="sector=MIN")
    SavedSearch.objects.filter(pk__in=[other.pk, second.pk]).update(created_at=hours_ago(24))

    assert saved_search_digests_task(today=TODAY.isoformat()) == 2
    assert set(AlertDigest.objects.values_list("saved_search_id", flat=True)) == {search.pk, second.pk}


def test_beat_runs_the_digest_daily_at_seven_tehran_time():
    entry = settings.CELERY_BEAT_SCHEDULE["saved-search-digests"]

    assert entry["task"] == "investors.saved_search_digests"
    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {7}
    assert entry["schedule"].minute == {0}
    assert settings.CELERY_TIMEZONE == "Asia/Tehran"
