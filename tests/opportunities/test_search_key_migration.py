"""Migration 0011 rewrites every stored key in the sectioned layout the services write."""

import importlib

import pytest
from django.apps import apps

from opportunities.models import Opportunity
from opportunities.services import opportunity_search_key
from registry.text import search_key
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("opportunities.migrations.0011_ranked_search_keys")


def test_the_migration_writes_the_keys_the_services_write(django_assert_max_num_queries):
    rows = [OpportunityFactory(), OpportunityFactory()]
    for row in rows:  # the key as it was laid out before: one section
        old = search_key(
            row.reference, row.title_fa, row.title_en, row.summary_fa, row.summary_en, row.province.name_fa
        )
        Opportunity.objects.filter(pk=row.pk).update(search_key=old)
    with django_assert_max_num_queries(4):  # the sectors, the rows, one bulk update (and its transaction)
        migration.rewrite(apps, None)
    for row in Opportunity.objects.select_related("province", "county", "sector", "commodity", "event"):
        assert row.search_key == opportunity_search_key(opportunity=row)
