"""The inquiry pipeline through a real worker on Redis: a broker outage at submit time loses nothing, a killed worker
neither loses nor doubles an e-mail. Each e-mail is counted twice: as a sent outbox row and as a message the
worker's file e-mail backend wrote (EMAIL_URL=filemail://...), whose Message-IDs must be unique."""

import email
import logging
import time
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.db import connection, transaction
from django.utils import timezone

from inquiries.models import Inquiry
from registry.celery import app
from registry.models import OutboundEmail
from registry.services import message_id
from tests.factories import OpportunityFactory
from tests.inquiries.factories import staff_of

from .conftest import Worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("celery-worker")]
logger = logging.getLogger(__name__)

BATCH = 50
UNREACHABLE = "redis://127.0.0.1:1/0"
# Fail fast when the broker is down (the rows are saved; the sweepers re-dispatch): one immediate retry, a short
# connect timeout. Recommended for CELERY_TASK_PUBLISH_RETRY_POLICY / CELERY_BROKER_TRANSPORT_OPTIONS too.
FAST_FAIL = {
    "task_publish_retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2},
    "broker_transport_options": {"visibility_timeout": 3600, "socket_connect_timeout": 2, "socket_timeout": 5},
}


def point_app_at(url: str) -> None:
    app.conf.broker_url = url
    app._pool = app.amqp._producer_pool = None  # connections made for another broker must not be reused


@pytest.fixture
def pipeline(broker, reference_data, tmp_path, monkeypatch, settings, api_client):
    """A published opportunity in West Azerbaijan with one staff member, a file mailbox for the worker, no limits."""
    settings.INQUIRY_RATE_LIMIT_PER_IP = settings.INQUIRY_RATE_LIMIT_PER_EMAIL = "10000/minute"
    saved = {key: app.conf[key] for key in FAST_FAIL}
    app.conf.update(FAST_FAIL)
    mailbox = tmp_path / "mail"
    mailbox.mkdir()
    monkeypatch.setenv("EMAIL_URL", f"filemail:///{mailbox}")  # django-environ drops one leading slash
    staff = staff_of("WA")
    opportunity = OpportunityFactory()
    workers: list[Worker] = []

    def start_worker() -> Worker:
        worker = Worker(broker, tmp_path / f"worker-{len(workers)}.log").start()
        workers.append(worker)
        return worker

    yield {"opportunity": opportunity, "staff": staff, "mailbox": mailbox, "start_worker": start_worker,
           "client": api_client, "broker": broker}  # fmt: skip
    for worker in workers:
        worker.stop()
    app.conf.update(saved)
    redis.Redis.from_url(broker).delete("unacked", "unacked_index", "unacked_mutex")  # a killed task's leftovers


def submit_batch(pipeline, prefix: str) -> list[int]:
    statuses, ids = [], []
    for n in range(BATCH):
        response = pipeline["client"].post(
            "/api/v1/inquiries/",
            {
                "opportunity": pipeline["opportunity"].reference,
                "name": f"سرمایه‌گذار {n}",
                "email": f"{prefix}{n}@example.com",
                "language": "fa" if n % 2 else "en",
                "message": "لطفاً مطالعات امکان‌سنجی را بفرستید.",
            },
            format="json",
            HTTP_IDEMPOTENCY_KEY=f"{prefix}-{n}",
        )
        statuses.append(response.status_code)
        if response.status_code == 201:
            ids.append(response.json()["id"])
    assert statuses == [201] * BATCH
    return ids


def sent_rows() -> int:
    return OutboundEmail.objects.filter(state=OutboundEmail.State.SENT).count()


def written_messages(mailbox: Path) -> list[email.message.Message]:
    """Every message the worker's file backend wrote (one file per connection, messages separated by dashes)."""
    messages = []
    for path in sorted(mailbox.iterdir()):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk))
    return messages


def run_sweepers_on_the_worker() -> None:
    """What beat does, sent to the worker through the broker: the outbox sweeper and the inquiry sweeper. Twice, so
    rows still pending get two dispatches: the second must send nothing."""
    backdate_pending()
    for _ in range(2):
        app.signature("registry.emails_sweep").delay()
        app.signature("inquiries.sla_sweep").delay()


def queue_drained(url: str) -> bool:
    return redis.Redis.from_url(url).llen("celery") == 0


def assert_exactly_once(mailbox: Path, inquiry_ids: list[int]) -> None:
    keys = list(OutboundEmail.objects.filter(state=OutboundEmail.State.SENT).values_list("key", flat=True))
    acks = [key for key in keys if ":ack:" in key]
    staff = [key for key in keys if ":staff-new:" in key]
    assert (len(acks), len(staff)) == (BATCH, BATCH)
    assert {int(key.split(":")[1]) for key in acks} == set(inquiry_ids)
    messages = written_messages(mailbox)
    message_ids = [message["Message-ID"] for message in messages]
    assert len(message_ids) == len(set(message_ids)), "an e-mail was sent twice"
    assert len(messages) == 2 * BATCH
    ack_ids = {message_id(key) for key in acks}
    staff_ids = {message_id(key) for key in staff}
    assert sum(mid in ack_ids for mid in message_ids) == sum(mid in staff_ids for mid in message_ids) == BATCH
    assert not OutboundEmail.objects.exclude(state=OutboundEmail.State.SENT).exists()


def backdate_pending(seconds: int = 120) -> None:
    """As if the outage had lasted two minutes: the sweepers only take rows older than their grace period."""
    earlier = timezone.now() - timedelta(seconds=seconds)
    OutboundEmail.objects.filter(state=OutboundEmail.State.PENDING).update(created_at=earlier)
    Inquiry.objects.filter(assignee__isnull=True).update(created_at=earlier)


def test_broker_outage_at_submit_time_loses_nothing_and_doubles_nothing(pipeline, caplog):
    point_app_at(UNREACHABLE)
    started = time.monotonic()
    ids = submit_batch(pipeline, "outage")
    submit_seconds = time.monotonic() - started

    assert Inquiry.objects.count() == BATCH
    assert OutboundEmail.objects.filter(state=OutboundEmail.State.PENDING).count() == 2 * BATCH
    assert not Inquiry.objects.filter(assignee__isnull=False).exists()
    assert "the sweeper will" in caplog.text

    point_app_at(pipeline["broker"])  # the broker is back
    worker = pipeline["start_worker"]()
    recovered = time.monotonic()
    run_sweepers_on_the_worker()
    wait_for(lambda: sent_rows() == 2 * BATCH, timeout=120)
    wait_for(lambda: not Inquiry.objects.filter(assignee__isnull=True).exists(), timeout=60)
    recover_seconds = time.monotonic() - recovered
    wait_for(lambda: queue_drained(pipeline["broker"]), timeout=60)
    time.sleep(1)  # the last duplicate dispatches finish

    assert_exactly_once(pipeline["mailbox"], ids)
    assert Inquiry.objects.filter(assignee=pipeline["staff"]).count() == BATCH
    logger.warning(
        "broker outage: %d submissions in %.2f s (%.0f ms each) with the broker down; %d e-mails sent %.2f s after it "
        "came back", BATCH, submit_seconds, 1000 * submit_seconds / BATCH, 2 * BATCH, recover_seconds,
    )  # fmt: skip
    assert worker.process.poll() is None


class DatabaseLock:
    """Holds the outbox so the worker blocks inside its next e-mail task: a deterministic moment to kill it,
    with the message taken from the queue (acks late, not acked) and the row still pending."""

    def __enter__(self):
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE registry_outboundemail IN EXCLUSIVE MODE")
        # SQLite: the test database runs transactions IMMEDIATE, so this open transaction holds the write lock.
        return self

    def worker_blocked(self) -> bool:
        if connection.vendor != "postgresql":
            time.sleep(1.0)
            return True
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'registry_outboundemail'::regclass"
            )
            return cursor.fetchone()[0] > 0

    def __exit__(self, *exc):
        return self.atomic.__exit__(None, None, None)


def test_worker_killed_in_the_middle_of_a_batch_loses_and_doubles_nothing(pipeline):
    ids = submit_batch(pipeline, "crash")  # queued while no worker runs
    started = time.monotonic()
    worker = pipeline["start_worker"]()
    wait_for(lambda: sent_rows() >= 20, timeout=60)

    with DatabaseLock() as lock:
        wait_for(lock.worker_blocked, timeout=30)
        worker.kill()
    sent_at_kill = sent_rows()
    assert 20 <= sent_at_kill < 2 * BATCH, "the kill must land in the middle of the batch"

    pipeline["start_worker"]()  # restarted: it takes the rest of the queue; the killed task's message is stuck
    wait_for(lambda: queue_drained(pipeline["broker"]), timeout=60)
    time.sleep(1)
    stuck = OutboundEmail.objects.filter(state=OutboundEmail.State.PENDING).count()
    stuck += Inquiry.objects.filter(assignee__isnull=True).count()
    assert stuck >= 1  # the task running when the worker died: its message is gone, only the sweeper brings it back
    run_sweepers_on_the_worker()
    wait_for(lambda: sent_rows() == 2 * BATCH, timeout=120)
    total_seconds = time.monotonic() - started
    wait_for(lambda: queue_drained(pipeline["broker"]), timeout=60)
    time.sleep(1)

    assert_exactly_once(pipeline["mailbox"], ids)
    logger.warning(
        "worker crash: killed with %d of %d e-mails sent, %d left pending after the restart, all %d sent once in "
        "%.2f s from the first worker start", sent_at_kill, 2 * BATCH, stuck, 2 * BATCH, total_seconds,
    )  # fmt: skip
