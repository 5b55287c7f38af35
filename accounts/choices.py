"""Roles and organisation kinds: who a person is to the bank decides what they may see and do."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INVESTOR = "investor", _("Investor")
    PROVINCE_STAFF = "province_staff", _("Province staff")
    REVIEWER = "reviewer", _("Reviewer (national)")
    ADMINISTRATOR = "administrator", _("Administrator")
    PARTNER = "partner", _("Partner (API client)")


class OrganisationKind(models.TextChoices):
    PROVINCE_OFFICE = "province_office", _("Province investment office")
    NATIONAL_AGENCY = "national_agency", _("National agency")
    INVESTOR_COMPANY = "investor_company", _("Investor company")
    PARTNER_PORTAL = "partner_portal", _("Partner portal")
