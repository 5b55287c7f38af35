"""Demo inquiries: a year of investors asking about demo opportunities and the province answering, through the services.

`seed_demo` calls this after it creates the demo catalogue, so that the staff inbox, an inquiry's thread and the
public accountability page have something to show. Every step goes through the same services a person's request
does (`inquiry_submit`, `inquiry_assign`, `inquiry_message_send`, `inquiry_transition`) with a `now` in the past, so
the SLA deadlines, first-response times and events are those the product itself computes. The investors are
fictional: the e-mails the services write for them are removed before commit and never sent.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from opportunities.choices import Status as OpportunityStatus
from opportunities.models import Opportunity
from opportunities.services import opportunity_transition
from registry.models import OutboundEmail
from registry.text import to_persian_digits

from .choices import InvestmentMode, Status
from .models import Inquiry
from .services import inquiry_assign, inquiry_message_send, inquiry_submit, inquiry_transition

COUNT = 48
DAYS = 330  # spread over most of the accountability page's twelve months
UNANSWERED_DAYS = 2  # the newest inquiries (RECENT of them) are still waiting, so the inbox shows its SLA colours
RECENT = 4
# Which of them the demo investor account sent (the others come from fictional investors): one answered months ago
# and one of the newest, still waiting; so "My inquiries" shows both states.
DEMO_INVESTOR_INDEXES = (COUNT - RECENT - 12, COUNT - 1)

INVESTORS = (
    ("fa", "مهدی رضایی", "گروه صنعتی آذرخش", "ایران"),
    ("fa", "سارا احمدی", "صندوق سرمایه‌گذاری نوآوران", "ایران"),
    ("fa", "علی محمدی", "شرکت معدنی کوه‌پایه", "ایران"),
    ("fa", "زهرا کریمی", "هلدینگ توسعه شمال‌غرب", "ایران"),
    ("en", "Mehmet Yilmaz", "Anadolu Maden A.S.", "Turkey"),
    ("en", "Li Wei", "Sino Resources Ltd", "China"),
    ("en", "Omar Al Mansouri", "Gulf Capital Partners", "United Arab Emirates"),
    ("en", "Anna Petrova", "Volga Agro Holding", "Russia"),
)
QUESTIONS = {
    "fa": (
        "لطفاً گزارش امکان‌سنجی و وضعیت مجوزهای این طرح را ارسال کنید.",
        "آیا امکان مشارکت با سرمایه‌گذار محلی وجود دارد؟ سهم مورد انتظار استان چقدر است؟",
        "برای بازدید از محل طرح در ماه آینده هماهنگی کنید.",
    ),
    "en": (
        "Please send the feasibility study and the status of the permits for this project.",
        "Is a joint venture with a local partner possible, and what share does the province expect?",
        "We would like to visit the site next month. Who should we contact?",
    ),
}
ANSWERS = {
    "fa": "با سلام؛ مستندات طرح پیوست شد. کارشناس مرکز خدمات سرمایه‌گذاری استان برای ادامه با شما تماس می‌گیرد.",
    "en": "Thank you for your interest. The project documents are attached; our investment officer will call you.",
}
LOST_REASONS = ("The investor chose a site in another province.", "سرمایه‌گذار تأمین مالی را متوقف کرد.")


def demo_inquiries_seed(
    *,
    opportunities: Sequence[Opportunity],
    staff: User,
    seed: int,
    investor: User | None = None,
    now: datetime.datetime | None = None,
) -> list[Inquiry]:
    """COUNT inquiries about published demo opportunities over the last DAYS days, answered and moved on by `staff`.

    Most are answered within the SLA, some late; the last UNANSWERED_DAYS days' are still new. The demo `investor`
    account, if given, sends those at DEMO_INVESTOR_INDEXES. Deterministic for a seed. Runs inside the caller's
    transaction."""
    now = now or timezone.now()
    rng = random.Random(seed)
    published = [row for row in opportunities if row.status == OpportunityStatus.PUBLISHED]
    if not published:
        return []
    created = []
    for index in range(COUNT):
        age = _age(index, rng)
        received = now - age
        language, name, company, country = rng.choice(INVESTORS)
        email, user = f"investor{index + 1}@demo.invest.ir", None
        if investor is not None and index in DEMO_INVESTOR_INDEXES:
            language, name, email, user = "fa", investor.get_full_name() or investor.email, investor.email, investor
            company = investor.organisation.name_fa if investor.organisation else company
        opportunity = rng.choice(published)
        receipt, _created = inquiry_submit(
            data={
                "name": name,
                "email": email,
                "company": company,
                "country": country,
                "language": language,
                "investment_mode": rng.choice(InvestmentMode.values),
                "message": rng.choice(QUESTIONS[language]),
            },
            province=opportunity.province,
            opportunity=opportunity,
            user=user,
            now=received,
        )
        inquiry = Inquiry.objects.get(pk=receipt["id"])
        created.append(inquiry)
        if age < datetime.timedelta(days=UNANSWERED_DAYS):
            continue
        _answer(inquiry, staff=staff, received=received, now=now, rng=rng, language=language)
    _negotiations(created, staff=staff)
    _drop_emails(created)
    return created


def _negotiations(inquiries: Sequence[Inquiry], *, staff: User) -> None:
    """The funnel's later steps, through the publication workflow: an opportunity whose inquiry reached a site visit
    or a term sheet is in negotiation, and one whose inquiry was won is contracted (the note names the contract)."""
    furthest: dict[int, str] = {}
    rows = Inquiry.objects.filter(pk__in=[inquiry.pk for inquiry in inquiries]).values_list("opportunity_id", "status")
    for opportunity_id, status in rows:
        if status == Status.WON:
            furthest[opportunity_id] = status
        elif status in (Status.SITE_VISIT, Status.TERM_SHEET):
            furthest.setdefault(opportunity_id, status)
    for number, opportunity in enumerate(Opportunity.objects.filter(pk__in=furthest).order_by("pk"), start=1):
        if opportunity.status != OpportunityStatus.PUBLISHED:
            continue
        opportunity = opportunity_transition(opportunity=opportunity, action="negotiate", actor=staff)
        if furthest[opportunity.pk] == Status.WON:
            note = to_persian_digits(f"قرارداد شماره 1405/{number:03d} با سرمایه‌گذار امضا شد.")
            opportunity_transition(opportunity=opportunity, action="contract", actor=staff, note=note)


def _age(index: int, rng: random.Random) -> datetime.timedelta:
    """How long ago the index-th inquiry arrived: evenly from DAYS ago to three days ago, the last RECENT within
    the last UNANSWERED_DAYS."""
    if index >= COUNT - RECENT:
        return datetime.timedelta(hours=rng.uniform(1, UNANSWERED_DAYS * 24 - 4))
    days = 3 + (DAYS - 3) * (COUNT - RECENT - 1 - index) / (COUNT - RECENT - 1)
    return datetime.timedelta(days=days, hours=rng.uniform(0, 9))


def _answer(inquiry: Inquiry, *, staff: User, received, now, rng: random.Random, language: str) -> None:
    """Assign, answer after a delay (one in five late), then move some along the lifecycle, never past now."""
    inquiry_assign(inquiry=inquiry, actor=staff, assignee=staff, now=received + datetime.timedelta(minutes=20))
    late = rng.random() < 0.2
    delay = datetime.timedelta(hours=rng.uniform(50, 120) if late else rng.uniform(1.5, 30))
    answered = min(received + delay, now)
    inquiry_message_send(inquiry=inquiry, actor=staff, text=ANSWERS[language], now=answered)
    moment, path = answered, _path(rng)
    for status in path:
        moment += datetime.timedelta(days=rng.uniform(3, 20))
        if moment >= now:
            return
        reason = rng.choice(LOST_REASONS) if status == Status.LOST else ""
        inquiry_transition(inquiry=inquiry, actor=staff, to_status=status, reason=reason, now=moment)


def _path(rng: random.Random) -> tuple[str, ...]:
    roll = rng.random()
    if roll < 0.15:
        return (Status.IN_DISCUSSION, Status.SITE_VISIT, Status.TERM_SHEET, Status.WON)
    if roll < 0.35:
        return (Status.IN_DISCUSSION, Status.SITE_VISIT)
    if roll < 0.55:
        return (Status.IN_DISCUSSION, Status.LOST)
    if roll < 0.8:
        return (Status.ACKNOWLEDGED,)
    return ()


def _drop_emails(inquiries: Sequence[Inquiry]) -> None:
    """The e-mails written for fictional investors and for staff about them: removed before they are sent (the
    dispatch after commit finds no pending row and does nothing)."""
    if not inquiries:
        return
    keys = Q()
    for inquiry in inquiries:
        keys |= Q(key__startswith=f"inquiry:{inquiry.pk}:")
    OutboundEmail.objects.filter(keys).delete()


def demo_inquiries_delete() -> int:
    """Inquiries about demo opportunities (which protect them from deletion); a demo reset removes them first."""
    deleted, _by_model = Inquiry.objects.filter(opportunity__is_demo=True).delete()
    return deleted
