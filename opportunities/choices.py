"""The catalogue's closed vocabularies: what kind of opportunity, how far along, and where in publication."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OpportunityType(models.TextChoices):
    GREENFIELD = "greenfield", _("Greenfield project")
    EXPANSION = "expansion", _("Expansion of an operating unit")
    REVIVAL = "revival", _("Revival of a stalled unit")
    COMPLETION = "completion", _("Completion of a semi-finished project")
    PRIVATISATION = "privatisation", _("Privatisation / transfer")
    EXPLORATION = "exploration", _("Exploration zone")
    PPP = "ppp", _("PPP / BOT")
    JOINT_VENTURE = "joint_venture", _("Joint venture")


class Stage(models.TextChoices):
    """The project's lifecycle (OC4IDS-like); independent of publication status."""

    IDENTIFICATION = "identification", _("Identification")
    PRE_FEASIBILITY = "pre_feasibility", _("Pre-feasibility")
    FEASIBILITY = "feasibility", _("Feasibility")
    READY = "ready", _("Ready for investment")
    IMPLEMENTATION = "implementation", _("Implementation")
    OPERATION = "operation", _("Operation")


class Status(models.TextChoices):
    """Publication workflow. Only draft and published are reachable until the workflow issue lands."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    PUBLISHED = "published", _("Published")
    IN_NEGOTIATION = "in_negotiation", _("In negotiation")
    CONTRACTED = "contracted", _("Contracted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ARCHIVED = "archived", _("Archived")


PUBLIC_STATUSES = (Status.PUBLISHED, Status.IN_NEGOTIATION, Status.CONTRACTED)


class LandStatus(models.TextChoices):
    UNKNOWN = "", _("Not stated")
    ALLOCATED = "allocated", _("Land allocated")
    AVAILABLE = "available", _("Land available for allocation")
    PRIVATE = "private", _("Private land, to be acquired")
    IN_ZONE = "in_zone", _("Plot in an industrial estate or zone")


class PermitStatus(models.TextChoices):
    UNKNOWN = "", _("Not stated")
    NONE = "none", _("No permits yet")
    IN_PROGRESS = "in_progress", _("Permits in progress")
    ESTABLISHMENT = "establishment", _("Establishment permit issued")
    OPERATION = "operation", _("Operating licence issued")


class LicenceStatus(models.TextChoices):
    """Mining licence, from an open area to an exploitation licence."""

    NOT_APPLICABLE = "", _("Not applicable")
    OPEN_AREA = "open_area", _("Open area (no licence)")
    EXPLORATION = "exploration", _("Exploration licence")
    DISCOVERY = "discovery", _("Discovery certificate")
    EXPLOITATION = "exploitation", _("Exploitation licence")


class DocumentKind(models.TextChoices):
    BROCHURE = "brochure", _("Brochure / teaser")
    PRE_FEASIBILITY = "pre_feasibility", _("Pre-feasibility study")
    FEASIBILITY = "feasibility", _("Feasibility study")
    IMAGE = "image", _("Image")
    MAP = "map", _("Map")
    PERMIT = "permit", _("Permit or licence")
    CONTRACT = "contract", _("Contract")
    OTHER = "other", _("Other")


class DocumentLanguage(models.TextChoices):
    FA = "fa", _("Persian")
    EN = "en", _("English")
    BOTH = "both", _("Persian and English")


class AccessLevel(models.TextChoices):
    PUBLIC = "public", _("Public")
    REGISTERED = "registered", _("Registered investors")
    NDA = "nda", _("Under NDA")
