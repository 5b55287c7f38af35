"""Shared fixtures: reference data loaded once per database, API clients, and the Redis gate used in CI."""

import os

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The 31 provinces, sectors and currencies are part of every test database, as in production."""
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


@pytest.fixture
def reference_data(transactional_db):
    """For tests that commit (and so flush the database afterwards): load the reference data again."""
    call_command("load_reference", verbosity=0)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def client_for(user) -> APIClient:
    """An API client signed in as `user` (anonymous for None)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def people(db):
    """Someone in every role: staff of West and of East Azerbaijan, a national reviewer, an administrator."""
    from accounts.choices import Role
    from registry.models import Province
    from tests.factories import UserFactory

    staff_wa = UserFactory(email="staff.wa@example.com", role=Role.PROVINCE_STAFF, is_staff=True)
    staff_wa.provinces.add(Province.objects.get(code="WA"))
    staff_ea = UserFactory(email="staff.ea@example.com", role=Role.PROVINCE_STAFF, is_staff=True)
    staff_ea.provinces.add(Province.objects.get(code="EA"))
    return {
        "anonymous": None,
        "investor": UserFactory(email="investor@example.com", role=Role.INVESTOR),
        "staff_wa": staff_wa,
        "staff_ea": staff_ea,
        "reviewer": UserFactory(email="reviewer@example.com", role=Role.REVIEWER, is_staff=True),
        "administrator": UserFactory(email="admin@example.com", role=Role.ADMINISTRATOR, is_staff=True),
    }


def redis_url() -> str:
    """The Redis the integration tests use; the rest of the suite runs tasks inline whatever REDIS_URL says."""
    return os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/15"


def redis_available(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture(scope="session")
def require_redis() -> str:
    """A real Redis: skipped on a laptop without one, a failure in CI (a missing service is never a skip there)."""
    url = redis_url()
    if not redis_available(url):
        if IN_CI:
            pytest.fail(f"Redis is required in CI but {url} does not answer")
        pytest.skip(f"no Redis at {url}")
    return url


@pytest.fixture(autouse=True, scope="session")
def tasks_run_inline():
    """Unit tests run tasks inline even when REDIS_URL is set; the integration tests switch to the real broker."""
    from registry.celery import app

    app.conf.task_always_eager = True
    yield


@pytest.fixture
def english(settings):
    """For tests that read English messages: the unprefixed URLs serve English while it is the default language."""
    from django.urls import clear_url_caches
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    clear_url_caches()  # reversed URLs are cached per language, with or without the /en/ prefix
    with translation.override("en"):
        yield
    settings.LANGUAGE_CODE = "fa"
    clear_url_caches()
