"""The inquiry's closed vocabularies: lifecycle statuses and the one table of allowed moves, event kinds, modes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_DISCUSSION = "in_discussion", _("In discussion")
    SITE_VISIT = "site_visit", _("Site visit")
    TERM_SHEET = "term_sheet", _("Term sheet")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")
    SPAM = "spam", _("Spam")


OPEN_STATUSES = (Status.NEW, Status.ACKNOWLEDGED, Status.IN_DISCUSSION, Status.SITE_VISIT, Status.TERM_SHEET)
CLOSED_STATUSES = (Status.WON, Status.LOST, Status.SPAM)

# The lifecycle, in one place: from each status, the statuses a person may move an inquiry to. Spam is reachable
# from every open status; won, lost and spam are final. Nothing else in the code decides what a move may be.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.NEW: (Status.ACKNOWLEDGED, Status.IN_DISCUSSION, Status.LOST, Status.SPAM),
    Status.ACKNOWLEDGED: (Status.IN_DISCUSSION, Status.LOST, Status.SPAM),
    Status.IN_DISCUSSION: (Status.SITE_VISIT, Status.TERM_SHEET, Status.LOST, Status.SPAM),
    Status.SITE_VISIT: (Status.IN_DISCUSSION, Status.TERM_SHEET, Status.LOST, Status.SPAM),
    Status.TERM_SHEET: (Status.WON, Status.LOST, Status.SPAM),
    Status.WON: (),
    Status.LOST: (),
    Status.SPAM: (),
}

# Moves that must say why (the reason is kept on the inquiry and in the event's note).
REASON_REQUIRED = frozenset({Status.LOST})

# A move to these does not count as answering the investor (for the first-response statistics).
NOT_A_RESPONSE = frozenset({Status.SPAM})


class EventKind(models.TextChoices):
    """Kinds of event rows. The dotted names are the domain events later apps (partners, webhooks) read."""

    CREATED = "inquiry.created", _("Inquiry received")
    STATUS_CHANGED = "inquiry.status_changed", _("Status changed")
    ASSIGNED = "inquiry.assigned", _("Assigned")
    NOTE_ADDED = "inquiry.note_added", _("Internal note")
    MESSAGE_SENT = "inquiry.message_sent", _("Message to the investor")
    FOLLOW_UP_SET = "inquiry.follow_up_set", _("Follow-up date")
    REMINDER_SENT = "inquiry.reminder_sent", _("SLA reminder sent")
    ESCALATED = "inquiry.escalated", _("Escalated to reviewers")


# Event kinds the investor sees on their page; everything else is for staff only.
INVESTOR_VISIBLE_KINDS = (EventKind.CREATED, EventKind.MESSAGE_SENT)


class InvestmentMode(models.TextChoices):
    EQUITY = "equity", _("Direct investment (equity)")
    JOINT_VENTURE = "joint_venture", _("Joint venture / partnership")
    ACQUISITION = "acquisition", _("Acquisition of an existing unit")
    FINANCE = "finance", _("Finance (loan, lease, sukuk)")
    PPP = "ppp", _("PPP / BOT")
    BUYBACK = "buyback", _("Buy-back or offtake")
    OTHER = "other", _("Other / not decided")


class Language(models.TextChoices):
    FA = "fa", "فارسی"
    EN = "en", "English"


class SlaState(models.TextChoices):
    """How an inquiry stands against its first-response deadline, for the inbox colours."""

    ANSWERED_ON_TIME = "answered_on_time", _("Answered on time")
    ANSWERED_LATE = "answered_late", _("Answered late")
    ON_TIME = "on_time", _("On time")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    NONE = "none", _("No deadline")


# Length caps shared by the web form and the API; a longer value is a 400 naming the field.
MAX_LENGTHS = {
    "name": 200,
    "email": 254,
    "company": 200,
    "country": 100,
    "phone": 40,
    "message": 5000,
    "ticket_size": 64,
    "note": 5000,
    "reason": 1000,
}
MIN_MESSAGE_LENGTH = 10
