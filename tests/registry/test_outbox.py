"""The e-mail outbox: a row first, sent after commit, once per key however often the task runs."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from registry import services
from registry.models import OutboundEmail
from registry.tasks import email_deliver_task, emails_sweep_task

pytestmark = pytest.mark.django_db


def enqueue(key="inquiry:1:ack:a@example.com"):
    return services.email_enqueue(key=key, to="a@example.com", subject="سلام", body_text="متن")


def test_email_is_sent_after_commit_only(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email, created = enqueue()
    assert created
    assert len(mail.outbox) == 0  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.state == OutboundEmail.State.SENT
    assert mail.outbox[0].extra_headers["Message-ID"] == services.message_id(email.key)
    assert mail.outbox[0].extra_headers["Message-ID"].count("@") == 1


def test_same_key_makes_one_row_and_one_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = enqueue()
        second, created = enqueue()
    assert not created
    assert first.pk == second.pk
    assert OutboundEmail.objects.count() == 1
    assert len(mail.outbox) == 1


def test_task_run_twice_sends_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        email, _ = enqueue()
    assert email_deliver_task(email_id=email.pk) is True
    assert email_deliver_task(email_id=email.pk) is False
    assert len(mail.outbox) == 1


def test_failure_is_recorded_and_retried(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.registry.test_outbox.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        email, _ = enqueue()
    email.refresh_from_db()
    assert email.state == OutboundEmail.State.PENDING
    assert email.attempts == 1
    assert "refused" in email.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboundEmail.objects.filter(pk=email.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    assert emails_sweep_task() == 1
    email.refresh_from_db()
    assert email.state == OutboundEmail.State.SENT
    assert len(mail.outbox) == 1


def test_sweeper_leaves_fresh_and_sent_rows_alone(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        enqueue()
    assert emails_sweep_task() == 0  # too fresh: its own dispatch is still on its way
    assert len(mail.outbox) == 0


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server refused the connection")
