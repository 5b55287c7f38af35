"""Downloads of the current result set: same filters and scope as the listing, formulas defused, headers in fa or en."""

import csv
import io

import pytest
from openpyxl import load_workbook

from accounts.choices import Role
from opportunities.exports import cell_safe
from registry.models import Province
from tests.factories import OpportunityFactory, UserFactory

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


def read_xlsx(response) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(workbook.active.iter_rows(values_only=True))


@pytest.fixture
def exported():
    wa, ea = Province.objects.get(code="WA"), Province.objects.get(code="EA")
    return {
        "formula": OpportunityFactory(title_fa='=HYPERLINK("http://evil")', title_en="+SUM(A1:A9)", province=wa),
        "at": OpportunityFactory(title_fa="@cmd", title_en="-2+3", province=wa),
        "plain": OpportunityFactory(title_fa="کارخانه سیمان", title_en="Cement plant", province=ea),
        "wa_draft": OpportunityFactory(title_fa="پیش‌نویس غربی", title_en="West draft", province=wa, published=False),
        "ea_draft": OpportunityFactory(title_fa="پیش‌نویس شرقی", title_en="East draft", province=ea, published=False),
    }


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_cell_safe_prefixes_formulas(value):
    assert cell_safe(value) == f"'{value}"


@pytest.mark.parametrize("value", ["WA-MIN-2025-0001", "کارخانه", "", None, -5, 3.5])
def test_cell_safe_leaves_other_values(value):
    assert cell_safe(value) == value


def test_csv_escapes_formulas_and_has_persian_headers(client, exported):
    response = client.get("/opportunities/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:3] == ["شناسه", "عنوان", "استان"]
    titles = {row[1] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil")' in titles and "'@cmd" in titles
    assert not any(title.startswith(("=", "+", "-", "@")) for title in titles)


def test_english_download_has_english_headers_and_titles(client, exported):
    rows = read_csv(client.get("/en/opportunities/export.csv"))
    assert rows[0][:3] == ["Reference", "Title", "Province"]
    titles = {row[1] for row in rows[1:]}
    assert {"'+SUM(A1:A9)", "'-2+3", "Cement plant"} <= titles
    assert rows[1][-1].startswith("http://testserver/en/opportunities/")


def test_download_follows_the_filters_and_the_search(client, exported):
    rows = read_csv(client.get("/opportunities/export.csv", {"province": "EA"}))
    assert [row[0] for row in rows[1:]] == [exported["plain"].reference]
    rows = read_csv(client.get("/opportunities/export.csv", {"q": "سيمان"}))
    assert [row[0] for row in rows[1:]] == [exported["plain"].reference]


def test_download_is_scoped_to_what_the_reader_may_see(client, exported):
    anonymous = {row[0] for row in read_csv(client.get("/opportunities/export.csv"))[1:]}
    assert exported["wa_draft"].reference not in anonymous and exported["ea_draft"].reference not in anonymous
    staff = UserFactory(role=Role.PROVINCE_STAFF, is_staff=True)
    staff.provinces.set([Province.objects.get(code="WA")])
    client.force_login(staff)
    seen = {row[0] for row in read_csv(client.get("/opportunities/export.csv"))[1:]}
    assert exported["wa_draft"].reference in seen
    assert exported["ea_draft"].reference not in seen


def test_xlsx_download(client, exported):
    response = client.get("/en/opportunities/export.xlsx", {"ordering": "reference"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = read_xlsx(response)
    assert rows[0][:2] == ("Reference", "Title")
    assert len(rows) == 4  # header and the three published
    titles = {row[1] for row in rows[1:]}
    assert "'+SUM(A1:A9)" in titles
    capex = {row[11] for row in rows[1:]}
    assert 12_000_000 in capex  # numbers stay numbers


def test_persian_xlsx_is_right_to_left(client, exported):
    workbook = load_workbook(io.BytesIO(b"".join(client.get("/opportunities/export.xlsx").streaming_content)))
    assert workbook.active.sheet_view.rightToLeft is True
    assert workbook.active["A1"].value == "شناسه"


def test_junk_filters_in_a_download_are_a_400(client, exported):
    response = client.get("/opportunities/export.csv", {"capex_min": "lots"})
    assert response.status_code == 400
    assert "capex_min" in response.content.decode()


def test_unknown_format_is_404(client, exported):
    assert client.get("/opportunities/export.pdf").status_code == 404
