"""Partner vocabularies: what a key may do, which events an endpoint hears, where a delivery stands."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    CATALOGUE_READ = "catalogue:read", _("Read the catalogue")
    OPPORTUNITIES_WRITE = "opportunities:write", _("Write opportunities of the partner's provinces")
    INQUIRIES_SUBMIT = "inquiries:submit", _("Submit inquiries")
    INQUIRIES_READ = "inquiries:read", _("Read the partner's own inquiries")


class EventType(models.TextChoices):
    OPPORTUNITY_PUBLISHED = "opportunity.published", _("Opportunity published")
    OPPORTUNITY_UPDATED = "opportunity.updated", _("Opportunity updated")
    OPPORTUNITY_STATUS_CHANGED = "opportunity.status_changed", _("Opportunity status changed")
    INQUIRY_CREATED = "inquiry.created", _("Inquiry created")
    INQUIRY_STATUS_CHANGED = "inquiry.status_changed", _("Inquiry status changed")


class EventSource(models.TextChoices):
    OPPORTUNITY = "opportunity", _("Opportunity event")
    INQUIRY = "inquiry", _("Inquiry event")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed for good")
