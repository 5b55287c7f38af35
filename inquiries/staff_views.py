"""The staff inbox under /staff/inquiries/: filters, SLA colours, bulk assignment, CSV export and the detail page
with the thread and the moves this person may make. Every list and object comes through the scoped selectors, so
another province's inquiry is a 404 and never appears in a list or an export."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User

from . import services
from .filters import InquiryFilterSet
from .forms import AssignForm, FollowUpForm, MessageForm, NoteForm, TransitionForm
from .permissions import allowed_moves
from .selectors import assignee_choices, assignees_for, inbox_queryset, inquiry_get_for_staff, sla_state, staff_thread

PAGE_SIZE = 50
CSV_COLUMNS = (
    "reference", "received", "province", "sector", "opportunity", "name", "email", "company", "country", "phone",
    "ticket_size", "currency", "mode", "language", "status", "assignee", "due", "first_response", "sla",
)  # fmt: skip


def staff_required(view):
    return user_passes_test(lambda user: user.is_active and user.is_staff)(view)


def _filtered(request):
    filterset = InquiryFilterSet(request.GET, queryset=inbox_queryset(request.user), user=request.user)
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return filterset, queryset.order_by("-created_at", "-id")


@staff_required
@require_GET
def inbox(request):
    filterset, queryset = _filtered(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [(inquiry, sla_state(inquiry, now)) for inquiry in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filterset": filterset,
        "page": page,
        "rows": rows,
        "query_string": query.urlencode(),
        "assignees": assignees_for(request.user),
        "status": 400 if filterset.errors else 200,
    }
    return render(request, "inquiries/staff/inbox.html", context, status=context["status"])


class _Echo:
    def write(self, value):
        return value


def _cell(value) -> str:
    """Text that a spreadsheet would run as a formula (=, +, -, @) is prefixed with a quote (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_row(inquiry, now) -> list[str]:
    values = (
        inquiry.reference, inquiry.created_at.isoformat(), inquiry.province.code,
        inquiry.sector.code if inquiry.sector else "", inquiry.opportunity.reference if inquiry.opportunity else "",
        inquiry.name, inquiry.email, inquiry.company, inquiry.country, inquiry.phone, inquiry.ticket_size,
        inquiry.ticket_currency_id, inquiry.investment_mode, inquiry.language, inquiry.status,
        inquiry.assignee.email if inquiry.assignee else "",
        inquiry.first_response_due_at.isoformat() if inquiry.first_response_due_at else "",
        inquiry.first_response_at.isoformat() if inquiry.first_response_at else "", sla_state(inquiry, now),
    )  # fmt: skip
    return [_cell(value) for value in values]


@staff_required
@require_GET
def export_csv(request):
    """The filtered inbox as CSV, streamed row by row (UTF-8 with a BOM so spreadsheets read Persian)."""
    filterset, queryset = _filtered(request)
    if filterset.errors:
        return HttpResponseBadRequest(str(filterset.errors))
    writer = csv.writer(_Echo())
    now = timezone.now()

    def lines():
        yield "\ufeff" + writer.writerow(CSV_COLUMNS)
        for inquiry in queryset.iterator(chunk_size=500):
            yield writer.writerow(_csv_row(inquiry, now))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inquiries-{timezone.localdate().isoformat()}.csv"'
    return response


@staff_required
@require_POST
def bulk_assign(request):
    """Assign the checked inquiries (only those this person may see) through the service, one by one."""
    ids = [int(value) for value in request.POST.getlist("ids") if value.isdigit()]
    assignee_id = request.POST.get("assignee", "")
    assignee = User.objects.filter(pk=assignee_id).first() if assignee_id.isdigit() else None
    if not ids or (assignee_id and assignee is None):
        messages.error(request, _("Choose inquiries and a person."))
    else:
        inquiries = list(inbox_queryset(request.user).filter(pk__in=ids))
        done, refused = services.inquiries_bulk_assign(inquiries=inquiries, actor=request.user, assignee=assignee)
        messages.success(request, _("%(count)s inquiries assigned.") % {"count": done})
        if refused:
            references = ", ".join(inquiry.reference for inquiry in refused)
            messages.warning(request, _("Not assigned (outside that person's provinces): %(refs)s") % {
                "refs": references})  # fmt: skip
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect("inquiries:inbox")
    return redirect(target or "inquiries:inbox")


def _detail_context(request, inquiry, **forms):
    moves = allowed_moves(request.user, inquiry)
    return {
        "inquiry": inquiry,
        "events": staff_thread(inquiry),
        "sla": sla_state(inquiry),
        "transition_form": forms.get("transition") or TransitionForm(moves=moves),
        "assign_form": forms.get("assign")
        or AssignForm(assignees=assignee_choices(inquiry.province_id), initial={"assignee": inquiry.assignee_id}),
        "note_form": forms.get("note") or NoteForm(),
        "message_form": forms.get("message") or MessageForm(),
        "follow_up_form": forms.get("follow_up") or FollowUpForm(initial={"follow_up_on": inquiry.follow_up_on}),
        "moves": moves,
    }


@staff_required
@require_GET
def detail(request, pk: int):
    inquiry = inquiry_get_for_staff(user=request.user, pk=pk)
    return render(request, "inquiries/staff/detail.html", _detail_context(request, inquiry))


def _bound_form(action: str, request, inquiry):
    if action == "transition":
        return TransitionForm(request.POST, moves=allowed_moves(request.user, inquiry))
    if action == "assign":
        return AssignForm(request.POST, assignees=assignee_choices(inquiry.province_id))
    return {"note": NoteForm, "message": MessageForm, "follow_up": FollowUpForm}[action](request.POST)


def _perform(action: str, inquiry, actor, data: dict) -> None:
    if action == "transition":
        services.inquiry_transition(
            inquiry=inquiry, actor=actor, to_status=data["status"], note=data["note"], reason=data["reason"]
        )
    elif action == "assign":
        services.inquiry_assign(inquiry=inquiry, actor=actor, assignee=data["assignee"])
    elif action == "note":
        services.inquiry_note_add(inquiry=inquiry, actor=actor, text=data["note"])
    elif action == "message":
        services.inquiry_message_send(inquiry=inquiry, actor=actor, text=data["message"])
    else:
        services.inquiry_follow_up_set(inquiry=inquiry, actor=actor, on=data["follow_up_on"])


ACTIONS = ("transition", "assign", "note", "message", "follow_up")
DONE_MESSAGES = {
    "transition": lambda: _("Status changed."),
    "assign": lambda: _("Assignment saved."),
    "note": lambda: _("Note added."),
    "message": lambda: _("Message sent to the investor."),
    "follow_up": lambda: _("Follow-up date saved."),
}


@staff_required
@require_POST
def act(request, pk: int, action: str):
    """One form on the detail page: a move, an assignment, a note, a message or a follow-up date."""
    if action not in ACTIONS:
        return HttpResponseBadRequest()
    inquiry = inquiry_get_for_staff(user=request.user, pk=pk)
    form = _bound_form(action, request, inquiry)
    if form.is_valid():
        try:
            _perform(action, inquiry, request.user, form.cleaned_data)
        except ValidationError as error:
            for field_errors in error.message_dict.values():
                for message in field_errors:
                    messages.error(request, message)
        else:
            messages.success(request, DONE_MESSAGES[action]())
            return redirect("inquiries:staff-detail", pk=inquiry.pk)
    inquiry = inquiry_get_for_staff(user=request.user, pk=pk)
    context = _detail_context(request, inquiry, **{action: form})
    return render(request, "inquiries/staff/detail.html", context, status=400)
