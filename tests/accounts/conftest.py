"""Account tests: django-axes stays on, and every test starts with no recorded failures."""

import pytest
from axes.utils import reset


@pytest.fixture(autouse=True)
def axes_clean(db):
    reset()
    yield
    reset()
