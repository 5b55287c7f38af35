"""manage.py seed_demo: the INOVA 2025 catalogue (840 opportunities, 169 in mining) and one demo account per role.

Why a command and not a fixture: the rows come from `opportunities.demo`, which composes them deterministically, and
their references must continue the province's `ReferenceCounter` sequence so that an opportunity created afterwards
through the services gets the next number instead of a duplicate.
"""

import time
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ProtectedError, Q

from accounts.choices import OrganisationKind, Role
from accounts.models import Organisation, User
from inquiries.demo import demo_inquiries_delete, demo_inquiries_seed
from opportunities.demo import build_opportunities
from opportunities.finance.demo import seed as financial_models_seed
from opportunities.investors.demo import demo_investor_seed
from opportunities.models import Opportunity, ReferenceCounter
from opportunities.services import opportunities_refresh_completeness, reference_prefix
from registry.models import Commodity, County, Currency, Event, Province, Sector
from registry.selectors import exchange_rate_latest

PROVINCE_CODE = "WA"
EVENT_SLUG = "inova-2025"
DEFAULT_PASSWORD = "demo-pass-1404"
MINING_ROOT = "MIN"

# One organisation of each kind, looked up by its English name so that running the command again updates it.
ORGANISATIONS = {
    OrganisationKind.PROVINCE_OFFICE: (
        "اداره کل امور اقتصادی و دارایی آذربایجان غربی — مرکز خدمات سرمایه‌گذاری",
        "West Azerbaijan Directorate-General of Economic Affairs and Finance — Investment Services Centre",
    ),
    OrganisationKind.NATIONAL_AGENCY: (
        "سازمان سرمایه‌گذاری و کمک‌های اقتصادی و فنی ایران",
        "Organization for Investment, Economic and Technical Assistance of Iran (OIETAI)",
    ),
    OrganisationKind.INVESTOR_COMPANY: ("شرکت نمونه سرمایه‌گذاری ارس", "Aras Demo Investment Company"),
    OrganisationKind.PARTNER_PORTAL: ("درگاه نمونه همکار بانک فرصت‌ها", "Demo partner portal"),
}

# role: (e-mail, first name, last name, organisation kind)
DEMO_USERS = {
    Role.INVESTOR: ("investor@demo.invest.ir", "سرمایه‌گذار", "نمونه", OrganisationKind.INVESTOR_COMPANY),
    Role.PROVINCE_STAFF: ("staff.wa@demo.invest.ir", "کارشناس", "آذربایجان غربی", OrganisationKind.PROVINCE_OFFICE),
    Role.REVIEWER: ("reviewer@demo.invest.ir", "کارشناس بررسی", "ملی", OrganisationKind.NATIONAL_AGENCY),
    Role.ADMINISTRATOR: ("admin@demo.invest.ir", "مدیر", "سامانه", OrganisationKind.NATIONAL_AGENCY),
    Role.PARTNER: ("partner@demo.invest.ir", "همکار", "نمونه", OrganisationKind.PARTNER_PORTAL),
}
STAFF_ROLES = frozenset({Role.PROVINCE_STAFF, Role.REVIEWER, Role.ADMINISTRATOR})


@dataclass
class Reference:
    """The reference rows the demo is built from, read once so that generating rows costs no query."""

    province: Province
    counties: list[County]
    sectors: list[Sector]
    commodities: list[Commodity]
    currencies: list[Currency]
    event: Event
    units_per_usd: dict[str, Decimal]

    @property
    def year(self) -> int:
        return self.event.starts_on.year


def reference_load() -> Reference:
    """Everything the demo needs from the registry, or a CommandError that says how to get it."""
    province = Province.objects.filter(code=PROVINCE_CODE).first()
    event = Event.objects.filter(slug=EVENT_SLUG).first()
    counties = list(County.objects.filter(province=province)) if province else []
    sectors = list(Sector.objects.all())
    currencies = list(Currency.objects.all())
    if not (province and event and counties and sectors and currencies):
        raise CommandError(
            f"Reference data is missing (province {PROVINCE_CODE}, its counties, sectors, currencies or the event "
            f"{EVENT_SLUG!r}). Run `manage.py load_reference` first."
        )
    rates = {}
    for currency in currencies:
        rate = exchange_rate_latest(currency_code=currency.code)
        if rate is not None:
            rates[currency.code] = rate.units_per_usd
    return Reference(
        province=province,
        counties=counties,
        sectors=sectors,
        commodities=list(Commodity.objects.all()),
        currencies=currencies,
        event=event,
        units_per_usd=rates,
    )


def organisations_ensure(*, province: Province) -> dict[str, Organisation]:
    """Create or refresh one demo organisation per kind; the province office serves West Azerbaijan."""
    organisations = {}
    for kind, (name_fa, name_en) in ORGANISATIONS.items():
        organisations[kind], _ = Organisation.objects.update_or_create(
            kind=kind,
            name_en=name_en,
            defaults={
                "name_fa": name_fa,
                "province": province if kind == OrganisationKind.PROVINCE_OFFICE else None,
                "country": "Iran",
            },
        )
    return organisations


def users_ensure(*, organisations: dict[str, Organisation], province: Province, password: str) -> list[User]:
    """One demo account per role, all with the given password.

    The password is hashed once and the hash shared: hashing costs a good fraction of a second each time, and these
    accounts share a published password anyway, so a per-account salt would protect nothing.
    """
    hashed = make_password(password)
    users = []
    for role in Role:
        email, first_name, last_name, kind = DEMO_USERS.get(
            role, (f"{role.value.replace('_', '.')}@demo.invest.ir", "کاربر", "نمونه", None)
        )
        user, _ = User.objects.update_or_create(
            email=email,
            defaults={
                "role": role,
                "first_name": first_name,
                "last_name": last_name,
                "organisation": organisations.get(kind),
                "is_staff": role in STAFF_ROLES,
                "is_superuser": role == Role.ADMINISTRATOR,
                "is_active": True,
                "is_demo": True,
                "password": hashed,
            },
        )
        if role == Role.PROVINCE_STAFF:
            user.provinces.set([province])
        users.append(user)
    return users


def counters_claim(*, reference: Reference, reset: bool) -> dict[str, int]:
    """Lock the province's counters for the year and say where the demo numbering may start, per prefix.

    Without --reset the demo continues after every number ever handed out. With --reset the old demo rows are gone
    and their numbers are given out again (only above what the remaining rows use), so that a reset reproduces the
    same references; demo references are disposable, real ones are never touched.
    """
    roots = [sector for sector in reference.sectors if sector.parent_id is None]
    prefixes = [reference_prefix(province=reference.province, sector=root, year=reference.year) for root in roots]
    ReferenceCounter.objects.bulk_create([ReferenceCounter(prefix=p) for p in prefixes], ignore_conflicts=True)
    locked_rows = ReferenceCounter.objects.select_for_update().filter(prefix__in=prefixes)
    locked = dict(locked_rows.values_list("prefix", "last"))
    in_use = dict.fromkeys(prefixes, 0)
    taken = Opportunity.objects.filter(
        reference__startswith=f"{reference.province.code}-", reference__contains=f"-{reference.year}-"
    )
    for code in taken.values_list("reference", flat=True):
        prefix, _, number = code.rpartition("-")
        if prefix in in_use and number.isdigit():
            in_use[prefix] = max(in_use[prefix], int(number))
    if reset:
        return in_use
    return {prefix: max(in_use[prefix], locked.get(prefix, 0)) for prefix in prefixes}


def counters_store(*, counters: dict[str, int]) -> None:
    """Move each counter on to the last number used; a counter never goes back."""
    for prefix, last in counters.items():
        ReferenceCounter.objects.filter(prefix=prefix, last__lt=last).update(last=last)


def demo_opportunities_create(
    *, reference: Reference, owner: Organisation, count: int, mining: int, seed: int, reset: bool
) -> list[Opportunity]:
    """Generate the rows, insert them in batches and move the reference counters on; call inside a transaction."""
    counters = counters_claim(reference=reference, reset=reset)
    rows = build_opportunities(
        count=count,
        mining_count=mining,
        province=reference.province,
        counties=reference.counties,
        sectors=reference.sectors,
        commodities=reference.commodities,
        currencies=reference.currencies,
        event=reference.event,
        units_per_usd=reference.units_per_usd,
        seed=seed,
        year=reference.year,
        owner_organisation=owner,
        reference_counters=counters,
    )
    Opportunity.objects.bulk_create(rows, batch_size=500)
    counters_store(counters=counters)
    return rows


class Command(BaseCommand):
    help = (
        "Create the INOVA 2025 demo catalogue for West Azerbaijan (840 opportunities, 169 in mining) and one demo "
        "account per role, with a year of demo inquiries. Does nothing if demo opportunities exist, unless --reset "
        "(which also deletes every inquiry about a demo opportunity)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=840, help="How many opportunities (default 840).")
        parser.add_argument("--mining", type=int, default=169, help="How many of them in mining (default 169).")
        parser.add_argument("--reset", action="store_true", help="Delete the demo opportunities and create them again.")
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="Password for every demo account.")
        parser.add_argument("--seed", type=int, default=1404, help="Random seed; the same seed gives the same rows.")

    def handle(self, *args, count, mining, reset, password, seed, **options):
        if count < 0 or not 0 <= mining <= count:
            raise CommandError("--count must not be negative and --mining must be between 0 and --count.")
        started = time.perf_counter()
        reference = reference_load()
        with transaction.atomic():
            organisations = organisations_ensure(province=reference.province)
            users = users_ensure(organisations=organisations, province=reference.province, password=password)
            existing = Opportunity.objects.filter(is_demo=True)
            if existing.exists() and not reset:
                created = None
            else:
                self._delete_demo(existing)
                office = organisations[OrganisationKind.PROVINCE_OFFICE]
                created = demo_opportunities_create(
                    reference=reference, owner=office, count=count, mining=mining, seed=seed, reset=reset
                )
                financial_models_seed(opportunities=created, units_per_usd=reference.units_per_usd, seed=seed)
                opportunities_refresh_completeness(queryset=Opportunity.objects.filter(is_demo=True))
                staff = next(user for user in users if user.role == Role.PROVINCE_STAFF)
                investor = next(user for user in users if user.role == Role.INVESTOR)
                inquiries = demo_inquiries_seed(opportunities=created, staff=staff, seed=seed, investor=investor)
                corner = demo_investor_seed(user=investor, opportunities=created)
        if options["verbosity"] > 0:
            self._report(users=users, password=password, created=created, elapsed=time.perf_counter() - started)
            if created is not None:
                self.stdout.write(f"{len(inquiries)} demo inquiries over the last year, answered by {staff.email}")
                self.stdout.write(
                    f"{investor.email}: {corner['watchlist']} opportunities watched, {corner['saved_searches']} "
                    "saved searches with daily alerts, 2 of the inquiries"
                )

    def _delete_demo(self, existing) -> None:
        """The demo opportunities, after the inquiries about them (which would otherwise protect them)."""
        demo_inquiries_delete()
        try:
            existing.delete()
        except ProtectedError as error:
            raise CommandError(f"Demo opportunities cannot be deleted, other rows refer to them: {error}") from error

    def _report(self, *, users: list[User], password: str, created: list[Opportunity] | None, elapsed: float) -> None:
        self.stdout.write("Demo accounts:")
        for user in users:
            self.stdout.write(f"  {user.email:<28} {user.role}")
        self.stdout.write(f"Password for every demo account: {password}")
        if created is None:
            demo = Opportunity.objects.filter(is_demo=True)
            mining = demo.filter(Q(sector__code=MINING_ROOT) | Q(sector__parent__code=MINING_ROOT)).count()
            self.stdout.write(
                f"{demo.count()} demo opportunities ({mining} in mining) already exist; nothing created "
                f"(use --reset to re-create them). {elapsed:.1f} s"
            )
            return
        mining = sum(1 for row in created if row.sector.root.code == MINING_ROOT)
        summary = f"{len(created)} demo opportunities ({mining} in mining) in {elapsed:.1f} s"
        self.stdout.write(self.style.SUCCESS(summary))
