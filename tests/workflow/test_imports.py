"""Spreadsheet import: every bad row reported with its row and field, nothing written unless the whole file is
good, upsert without duplicates, the importer's own province only, formulas escaped on export."""

import io
import re

import openpyxl
import pytest
import tablib

from opportunities.exports import cell_safe
from opportunities.imports import COLUMNS, export_rows, run_import
from opportunities.models import ImportJob, Opportunity, OpportunityEvent
from registry.models import Province

pytestmark = pytest.mark.django_db

HEADERS = ["title_fa", "title_en", "county", "sector", "type", "capex_amount", "capex_currency", "jobs"]


def sheet(rows: int, *, bad: dict[int, dict] | None = None, headers=HEADERS) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=headers)
    for i in range(rows):
        row = {
            "title_fa": f"طرح وارداتی شماره {i}",
            "title_en": f"Imported project {i}",
            "county": "WA-URM" if i % 2 else "wa-khy",
            "sector": "MIN.MET" if i % 3 else "AGR.HRT",
            "type": "greenfield" if i % 2 else "طرح جدید (گرین‌فیلد)",
            "capex_amount": "۵۰ میلیارد" if i % 2 else "1,500,000",
            "capex_currency": "IRR" if i % 2 else "USD",
            "jobs": "۱۲۰",
        }
        row.update((bad or {}).get(i, {}))
        dataset.append([row.get(h, "") for h in headers])
    return dataset


@pytest.fixture
def staff(people):
    return people["staff_wa"]


def test_a_thousand_rows_with_three_bad_ones_write_nothing_and_report_each(staff):
    wa = Province.objects.get(code="WA")
    bad = {
        10: {"county": "EA-TBZ"},  # a county of another province
        500: {"capex_amount": "a lot"},
        998: {"sector": "NOPE"},
    }
    outcome = run_import(dataset=sheet(1000, bad=bad), province=wa, actor=staff, dry_run=False)
    assert [(e["row"], e["field"]) for e in outcome.errors] == [(12, "county"), (502, "capex_amount"), (1000, "sector")]
    assert Opportunity.objects.count() == 0
    assert OpportunityEvent.objects.count() == 0

    fixed = run_import(dataset=sheet(1000), province=wa, actor=staff, dry_run=False)
    assert (fixed.errors, fixed.created, fixed.updated) == ([], 1000, 0)
    assert Opportunity.objects.filter(province=wa).count() == 1000
    assert Opportunity.objects.values("reference").distinct().count() == 1000

    again = run_import(dataset=sheet(1000), province=wa, actor=staff, dry_run=False)
    assert (again.errors, again.created, again.updated) == ([], 0, 0)
    assert Opportunity.objects.count() == 1000


def test_imported_rows_are_complete_records(staff):
    wa = Province.objects.get(code="WA")
    run_import(dataset=sheet(2), province=wa, actor=staff, dry_run=False)
    first, second = Opportunity.objects.order_by("title_en")
    assert first.reference.startswith("WA-AGR-")
    assert first.capex_usd is not None and first.jobs == 120
    assert second.capex_amount == 50_000_000_000  # «۵۰ میلیارد»
    assert "imported project 1" in second.search_key
    assert second.history.count() == 1
    assert second.status == "draft" and second.created_by == staff


def test_dry_run_writes_nothing(staff):
    outcome = run_import(dataset=sheet(5), province=Province.objects.get(code="WA"), actor=staff, dry_run=True)
    assert outcome.errors == [] and outcome.created == 0
    assert Opportunity.objects.count() == 0


def test_a_row_for_another_province_is_an_error(staff):
    dataset = sheet(3, headers=[*HEADERS, "province"], bad={1: {"province": "QM"}})
    outcome = run_import(dataset=dataset, province=Province.objects.get(code="WA"), actor=staff, dry_run=False)
    assert [(e["row"], e["field"]) for e in outcome.errors] == [(3, "province")]
    assert Opportunity.objects.count() == 0


def test_staff_cannot_import_into_another_province(staff):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        run_import(dataset=sheet(1), province=Province.objects.get(code="QM"), actor=staff, dry_run=False)
    assert Opportunity.objects.count() == 0


def test_unknown_columns_and_bad_cells_are_named(staff):
    dataset = sheet(2, headers=[*HEADERS, "colour"], bad={0: {"jobs": "۱٫۵"}, 1: {"type": "castle"}})
    outcome = run_import(dataset=dataset, province=Province.objects.get(code="WA"), actor=staff, dry_run=True)
    assert {(e["row"], e["field"]) for e in outcome.errors} == {(1, "colour"), (2, "jobs"), (3, "type")}


def test_export_round_trips_and_escapes_formulas(staff):
    wa = Province.objects.get(code="WA")
    run_import(
        dataset=sheet(3, bad={0: {"title_en": '=HYPERLINK("http://x")'}}), province=wa, actor=staff, dry_run=False
    )
    exported = export_rows(queryset=Opportunity.objects.all())
    assert exported.headers[0] == COLUMNS[0].header
    assert any(str(v).startswith("'=HYPERLINK") for row in exported for v in row)
    workbook = openpyxl.load_workbook(io.BytesIO(exported.export("xlsx")))
    assert workbook.active.max_row == 4
    again = run_import(dataset=exported, province=wa, actor=staff, dry_run=False)
    assert again.errors == [] and again.created == 0


@pytest.mark.parametrize("value", ["=1+1", "+1", "-2", "@SUM(A1)", "\tx"])
def test_escape_formula(value):
    assert cell_safe(value) == "'" + value
    assert cell_safe("سنگ آهن") == "سنگ آهن"


def test_import_pages_for_staff(client, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(staff)
    content = sheet(3).export("xlsx")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("plan.xlsx", content)
    wa = Province.objects.get(code="WA")
    response = client.post("/staff/opportunities/imports/", {"file": upload, "province": wa.pk})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.DONE and job.dry_run
    assert Opportunity.objects.count() == 0
    response = client.post(f"/staff/opportunities/imports/{job.pk}/confirm/")
    real = ImportJob.objects.exclude(pk=job.pk).get()
    assert real.created_count == 3
    assert client.get(f"/staff/opportunities/imports/{real.pk}/").status_code == 200
    assert client.get("/staff/opportunities/imports/template.xlsx").status_code == 200


def test_import_pages_are_hidden_from_investors(client, people):
    client.force_login(people["investor"])
    assert client.get("/staff/opportunities/imports/").status_code == 404


def _import_queries(dataset, *, staff) -> tuple[int, int]:
    """Queries of one import: (those that are not bulk statements on the opportunity table, those that are)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    table = f'"{Opportunity._meta.db_table}"'
    province, actor = Province.objects.get(code="WA"), type(staff).objects.get(pk=staff.pk)  # nothing cached
    with CaptureQueriesContext(connection) as captured:
        outcome = run_import(dataset=dataset, province=province, actor=actor, dry_run=False)
    assert outcome.errors == []
    statement = re.compile(rf"^(\d+ times: )?(INSERT INTO|UPDATE) {re.escape(table)} ")  # executemany logs "N times: …"
    bulk = [q for q in captured.captured_queries if statement.match(q["sql"])]
    return len(captured.captured_queries) - len(bulk), len(bulk)


def _bulk_batches(rows: int, fields: list) -> int:
    """How many statements Django's own bulk batching needs for `rows` rows on this database (1 on PostgreSQL)."""
    import math

    from django.db import connection

    return math.ceil(rows / min(1000, connection.ops.bulk_batch_size(fields, [None] * rows)))


def _clear_catalogue():
    from opportunities.models import ReferenceCounter

    Opportunity.history.all().delete()
    OpportunityEvent.objects.all().delete()
    Opportunity.objects.all().delete()
    ReferenceCounter.objects.all().delete()


def test_creating_query_count_does_not_grow_with_the_rows(staff):
    small, small_bulk = _import_queries(sheet(20), staff=staff)
    _clear_catalogue()
    large, large_bulk = _import_queries(sheet(60), staff=staff)
    assert Opportunity.objects.count() == 60
    assert large == small
    fields = [f for f in Opportunity._meta.concrete_fields if not f.primary_key]
    assert (small_bulk, large_bulk) == (_bulk_batches(20, fields), _bulk_batches(60, fields))


def test_updating_query_count_does_not_grow_with_the_rows(staff):
    wa = Province.objects.get(code="WA")
    run_import(dataset=sheet(60), province=wa, actor=staff, dry_run=False)
    renamed = {i: {"title_en": f"Renamed {i}"} for i in range(60)}
    small = _import_queries(sheet(20, bad=renamed), staff=staff)
    large = _import_queries(sheet(60, bad={i: {"title_en": f"Again {i}"} for i in range(60)}), staff=staff)
    assert Opportunity.objects.filter(title_en__startswith="Again").count() == 60
    assert large == small
    assert small[1] == 1  # one UPDATE statement (an executemany) whatever the number of rows


def test_an_import_keeps_history_and_events_like_the_services(people, staff, client):
    from tests.conftest import client_for

    wa = Province.objects.get(code="WA")
    run_import(dataset=sheet(2), province=wa, actor=staff, dry_run=False)
    opportunity = Opportunity.objects.get(title_en="Imported project 1")
    edited = tablib.Dataset(headers=["reference", "title_fa", "title_en"])
    edited.append([opportunity.reference, opportunity.title_fa, "Renamed by import"])
    again = run_import(dataset=edited, province=wa, actor=staff, dry_run=False)
    assert (again.errors, again.created, again.updated) == ([], 0, 1)

    created, changed = opportunity.history.order_by("history_id")
    assert (created.history_type, changed.history_type) == ("+", "~")
    assert created.history_user == changed.history_user == staff
    assert (created.title_en, changed.title_en) == ("Imported project 1", "Renamed by import")
    assert (changed.reference, changed.capex_usd, changed.completeness) == (
        opportunity.reference,
        opportunity.capex_usd,
        opportunity.completeness,
    )
    events = opportunity.events.order_by("id")
    assert [(e.kind, e.to_status, e.note, e.actor) for e in events] == [
        ("created", "draft", "import", staff),
        ("updated", "draft", "import", staff),
    ]
    history = client_for(staff).get(f"/api/v1/opportunities/{opportunity.reference}/history/").json()
    assert [entry["type"] for entry in history] == ["changed", "created"]
    assert {"field": "title_en", "from": "Imported project 1", "to": "Renamed by import"} in history[0]["changes"]
    client.force_login(people["administrator"])
    page = client.get(f"/admin/opportunities/opportunity/{opportunity.pk}/history/")
    assert page.status_code == 200 and "Renamed by import" in page.content.decode()


def test_an_imported_row_is_derived_as_the_services_derive_it(staff):
    from opportunities.services import opportunity_create
    from registry.models import County, Currency, Sector

    wa = Province.objects.get(code="WA")
    run_import(dataset=sheet(2), province=wa, actor=staff, dry_run=False)
    imported = Opportunity.objects.get(title_en="Imported project 1")
    data = {
        "province": wa,
        "county": County.objects.get(code="WA-URM"),
        "sector": Sector.objects.get(code="MIN.MET"),
        "title_fa": imported.title_fa,
        "title_en": imported.title_en,
        "type": "greenfield",
        "capex_amount": imported.capex_amount,
        "capex_currency": Currency.objects.get(code="IRR"),
        "jobs": 120,
    }
    created = opportunity_create(actor=staff, data=data)
    assert (created.capex_usd, created.completeness) == (imported.capex_usd, imported.completeness)
    assert created.search_key.replace(created.reference.lower(), "") == imported.search_key.replace(
        imported.reference.lower(), ""
    )
