"""Spreadsheet import: every bad row reported with its row and field, nothing written unless the whole file is
good, upsert without duplicates, the importer's own province only, formulas escaped on export."""

import io

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
