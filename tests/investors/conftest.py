import pytest

from tests.factories import UserFactory


@pytest.fixture
def investor(client, db):
    user = UserFactory()
    client.force_login(user)
    return user
