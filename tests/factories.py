"""factory_boy factories. Opportunities are made through the services, as staff would make them."""

from decimal import Decimal

import factory
from django.utils import timezone

from accounts.choices import Role
from accounts.models import Organisation, User
from opportunities import services
from opportunities.choices import OpportunityType, Stage
from opportunities.models import Opportunity
from registry.models import County, Currency, Province, Sector


class UserFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "a-strong-password-1404")
    role = Role.INVESTOR

    class Meta:
        model = User
        skip_postgeneration_save = True

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    name_fa = factory.Sequence(lambda n: f"سازمان {n}")
    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    kind = "province_office"

    class Meta:
        model = Organisation


class OpportunityFactory(factory.Factory):
    """Builds the data dict and calls `opportunity_create`; `published=True` publishes it too."""

    title_fa = factory.Sequence(lambda n: f"طرح سرمایه‌گذاری شماره {n}")
    title_en = factory.Sequence(lambda n: f"Investment project {n}")
    summary_fa = "خلاصه طرح"
    summary_en = "Project summary"
    province = factory.LazyFunction(lambda: Province.objects.get(code="WA"))
    county = factory.LazyAttribute(lambda o: County.objects.filter(province=o.province).order_by("pk").first())
    sector = factory.LazyFunction(lambda: Sector.objects.get(code="MIN.MET"))
    type = OpportunityType.GREENFIELD
    stage = Stage.FEASIBILITY
    capex_amount = Decimal("12000000")
    capex_currency = factory.LazyFunction(lambda: Currency.objects.get(code="USD"))
    jobs = 120

    class Meta:
        model = Opportunity

    @classmethod
    def _create(cls, model_class, *args, published: bool = True, actor=None, **data):
        opportunity = services.opportunity_create(actor=actor, data=data)
        if published:
            opportunity = services.opportunity_publish(opportunity=opportunity, actor=actor, at=timezone.now())
        return opportunity


def demo_seeded(*args: str, count: int, mining: int) -> str:
    """Run `seed_demo` for a catalogue of `count` listings (`mining` of them in mining); what it printed."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("seed_demo", "--count", str(count), "--mining", str(mining), *args, stdout=out)
    return out.getvalue()
