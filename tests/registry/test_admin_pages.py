"""Every admin list opens, sorted by each of its columns, in Persian and English: the Jalali and Persian-digit
columns (PersianColumns) replace field names with callables, which the admin must still sort and link."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from tests.factories import OpportunityFactory
from tests.registry.test_labels import PROJECT_APPS

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    call_command("load_reference", verbosity=0)
    OpportunityFactory()


def project_admins():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in PROJECT_APPS]  # fmt: skip


def test_every_list_opens_sorted_by_every_column(admin_client, catalogue, rf, admin_user):
    for model, model_admin in project_admins():
        request = rf.get("/")
        request.user = admin_user
        columns = len(model_admin.get_list_display(request))
        for language in ("fa", "en"):
            with translation.override(language):  # the English admin lives under /en/
                url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            for order in ["", *(f"?o={index}" for index in range(1, columns + 1))]:
                response = admin_client.get(f"{url}{order}")
                assert response.status_code == 200, (url, order)
                assert response.headers["Content-Language"] == language
