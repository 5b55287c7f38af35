from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = _("Inquiries")

    def ready(self):
        # Register the tasks in every process, so the submission can dispatch the assignment by name.
        from . import tasks  # noqa: F401
