"""Every field a person sees in the admin or a form is labelled in Persian: a field left to Django's automatic name
shows its English attribute name ("SECTOR") in the Persian admin."""

import re

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise

from tests.factories import OpportunityFactory

PROJECT_APPS = ("accounts", "finance", "inquiries", "investors", "opportunities", "partners", "registry")
# Bookkeeping no form or admin page shows, and the API key fields the library declares.
INTERNAL = {
    "opportunities.ReferenceCounter": {"prefix", "last"},
    "inquiries.InquiryIdempotencyKey": {"key", "fingerprint", "inquiry", "response", "created_at"},
    "inquiries.Inquiry": {"access_nonce"},
    "inquiries.AssignmentCounter": {"province", "position"},
    "partners.PartnerAPIKey": {"id", "prefix", "hashed_key", "created", "name", "revoked", "expiry_date"},
    "partners.WebhookEndpoint": {"last_opportunity_event_id", "last_inquiry_event_id"},
}
pytestmark = pytest.mark.django_db
PERSIAN = re.compile(r"[\u0600-\u06FF]")


def labelled_fields():
    for model in apps.get_models():
        label = model._meta.label
        if model._meta.app_label not in PROJECT_APPS or label.startswith("opportunities.Historical"):
            continue
        for field in model._meta.get_fields():
            if field.auto_created or not field.concrete or field.name in INTERNAL.get(label, set()):
                continue
            yield label, field


def test_every_field_has_a_translatable_label_with_a_persian_translation():
    untranslatable, untranslated = [], []
    with translation.override("fa"):
        for label, field in labelled_fields():
            if not isinstance(field.verbose_name, Promise):
                untranslatable.append(f"{label}.{field.name}")
            elif not PERSIAN.search(str(field.verbose_name)):
                untranslated.append(f"{label}.{field.name}: {field.verbose_name}")
    assert not untranslatable, untranslatable
    assert not untranslated, untranslated


def test_the_admin_list_of_opportunities_is_headed_in_persian(admin_client):
    OpportunityFactory()
    html = admin_client.get("/admin/opportunities/opportunity/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    headings = re.findall(
        r'<th scope="col" class="[^"]*column-[^"]*">\s*<div class="text"><(?:a|span)[^>]*>([^<]+)<', html
    )
    assert "بخش" in headings and "استان" in headings, headings
    assert not [heading for heading in headings if re.fullmatch(r"[A-Za-z ]+", heading.strip())], headings


def test_the_admin_index_names_every_section_in_persian(admin_client):
    html = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    names = re.findall(r'<th scope="row" id="[^"]*">\s*<a [^>]*>([^<]+)</a>', html)
    assert names and not [name for name in names if not PERSIAN.search(name)], names
    assert "<title>مدیریت وب‌گاه | بانک فرصت‌های سرمایه‌گذاری</title>" in html and "Django" not in html.split("<body")[1]
