"""People and the organisations they act for; a user's role and provinces decide their scope."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.models import Province

from .choices import OrganisationKind, Role


class Organisation(models.Model):
    """A province office, national agency, investor company or partner portal that people act for."""

    name_fa = models.CharField(_("name (Persian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("province"),
        help_text=_("For a province office: the province it serves."),
    )
    country = models.CharField(_("country"), max_length=64, blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name_fa"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name_fa or self.name_en


class UserManager(BaseUserManager):
    """Users sign in with their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.ADMINISTRATOR)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an e-mail login, a role, and for province staff the provinces they serve."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.INVESTOR)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organisation"),
    )
    provinces = models.ManyToManyField(
        Province,
        blank=True,
        related_name="staff",
        verbose_name=_("provinces"),
        help_text=_("Province staff see and edit these provinces' opportunities."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=[("fa", "فارسی"), ("en", "English")], default="fa"
    )
    is_demo = models.BooleanField(_("demo account"), default=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class InvestorProfile(models.Model):
    """What an investor tells the bank about themselves, and whether their e-mail address is proven theirs.

    Kept apart from User so staff accounts carry none of it; alerts go only to verified addresses, so an address
    typed by someone else never receives more than the verification message."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="investor_profile", verbose_name=_("user"))
    company = models.CharField(_("company"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=64, blank=True)
    sectors = models.ManyToManyField(
        "registry.Sector", blank=True, related_name="+", verbose_name=_("sectors of interest")
    )
    ticket_min = models.DecimalField(_("ticket size from"), max_digits=24, decimal_places=2, null=True, blank=True)
    ticket_max = models.DecimalField(_("ticket size up to"), max_digits=24, decimal_places=2, null=True, blank=True)
    ticket_currency = models.ForeignKey(
        "registry.Currency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ticket currency"),
    )
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    terms_accepted_at = models.DateTimeField(_("terms accepted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("investor profile")
        verbose_name_plural = _("investor profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ticket_min__isnull=True)
                | models.Q(ticket_max__isnull=True)
                | models.Q(ticket_min__lte=models.F("ticket_max")),
                name="investorprofile_ticket_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None
