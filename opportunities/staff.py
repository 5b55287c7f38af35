"""Staff pages of the catalogue: spreadsheet import (dry run, report, progress) and export."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import scoping
from registry.models import Province

from . import permissions
from .exports import XLSX_CONTENT_TYPE
from .imports import export_rows, import_job_run, read_dataset
from .models import ImportJob, Opportunity
from .tasks import import_run_task

INLINE_ROW_LIMIT = 500


def staff_required(view):
    """Signed-in staff of some province, or national roles; everyone else gets a 404, as for hidden objects."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not permissions.may_see_staff_side(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _provinces(user):
    return Province.objects.all() if scoping.is_national(user) else user.provinces.all()


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"))
    province = forms.ModelChoiceField(queryset=Province.objects.none(), label=_("Province"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = _provinces(user)

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            self.dataset = read_dataset(uploaded.read(), uploaded.name)
        except ValidationError as error:
            raise ValidationError(error.message_dict["file"]) from None
        uploaded.seek(0)
        return uploaded


def _jobs(user):
    queryset = ImportJob.objects.select_related("province", "created_by")
    scope = scoping.province_q(user)
    return queryset if scope is None else queryset.filter(scope)


def _start(job: ImportJob, rows: int) -> None:
    """Small files are checked in the request; large ones by a worker after commit, with a progress bar."""
    if rows <= INLINE_ROW_LIMIT:
        import_job_run(job_id=job.pk)
    else:
        transaction.on_commit(lambda: import_run_task.delay(job_id=job.pk))


@staff_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            job = ImportJob.objects.create(
                file=form.cleaned_data["file"],
                original_name=form.cleaned_data["file"].name,
                province=form.cleaned_data["province"],
                dry_run=True,
                total_rows=len(form.dataset),
                created_by=request.user,
            )
            _start(job, len(form.dataset))
        return redirect("opportunities_staff:import-detail", pk=job.pk)
    return render(request, "opportunities/staff/import_start.html", {"form": form, "jobs": _jobs(request.user)[:20]})


@staff_required
@require_GET
def import_detail(request, pk: int):
    job = get_object_or_404(_jobs(request.user), pk=pk)
    template = "opportunities/staff/_import_status.html" if request.htmx else "opportunities/staff/import_detail.html"
    return render(request, template, {"job": job})


@staff_required
@require_POST
def import_confirm(request, pk: int):
    """After a clean dry run, the same file is imported for real (a new job, so both reports stay)."""
    dry = get_object_or_404(_jobs(request.user), pk=pk, dry_run=True, state=ImportJob.State.DONE)
    if not permissions.may_create_in(request.user, dry.province):
        raise PermissionDenied
    with transaction.atomic():
        job = ImportJob.objects.create(
            file=dry.file.name,
            original_name=dry.original_name,
            province=dry.province,
            dry_run=False,
            total_rows=dry.total_rows,
            created_by=request.user,
        )
        _start(job, dry.total_rows)
    return redirect("opportunities_staff:import-detail", pk=job.pk)


def _xlsx(dataset, filename: str) -> HttpResponse:
    response = HttpResponse(dataset.export("xlsx"), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_required
@require_GET
def import_template(request):
    """The empty template: one header row, each column named in Persian and English."""
    return _xlsx(export_rows(queryset=Opportunity.objects.none()), "opportunities-template.xlsx")


@staff_required
@require_GET
def export(request):
    """The user's provinces' opportunities in the template's columns, ready to edit and import again."""
    queryset = Opportunity.objects.order_by("reference")
    scope = scoping.province_q(request.user)
    if scope is not None:
        queryset = queryset.filter(scope)
    if request.GET.get("province"):
        queryset = queryset.filter(province__code=request.GET["province"].upper())
    return _xlsx(export_rows(queryset=queryset), "opportunities.xlsx")
