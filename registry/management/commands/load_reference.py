"""Load the shipped reference data (provinces, counties, sectors, commodities, currencies, events) in one go."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

FIXTURES = ["provinces", "counties", "sectors", "commodities", "currencies", "events"]


class Command(BaseCommand):
    help = "Load (or refresh) the reference data in fixtures/. Safe to run again: rows are matched by primary key."

    def handle(self, *args, **options):
        fixture_dir = Path(settings.BASE_DIR) / "fixtures"
        paths = [str(fixture_dir / f"{name}.json") for name in FIXTURES]
        call_command("loaddata", *paths, verbosity=options["verbosity"])
