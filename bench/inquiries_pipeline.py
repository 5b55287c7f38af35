"""Inquiry pipeline figures on PostgreSQL with Redis, as the services run mode has them:

1. latency: `POST /api/v1/inquiries/` (the inquiry, its event, two outbox rows, three dispatches to the broker)
   against `GET /api/v1/opportunities/<ref>/` of the same opportunity, interleaved in the same run through Django's
   test client; medians over a few hundred requests each. Goal: POST ≤ 1.5x GET.
2. throughput: acknowledgements sent per second by one real worker (solo pool, file e-mail backend), against a
   floor measured in the same run: the same number of `registry.email_deliver` tasks that find nothing to send
   (broker round trip, task overhead and one locking query).

    .venv/bin/python bench/inquiries_pipeline.py                      # 300 requests each, 500 acknowledgements
    .venv/bin/python bench/inquiries_pipeline.py --requests 100 --acks 200

Uses its own database `iob_bench_inquiries` (UTF-8, from template0) and Redis (BENCH_REDIS_URL, default db 12).
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _common as common
from bench._common import out, ratio

DATABASE = "iob_bench_inquiries"
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
ROOT = Path(__file__).resolve().parent.parent


def setup() -> dict:
    """Settings as in the services mode (Redis broker and cache), then a published opportunity and its staff."""
    os.environ["REDIS_URL"] = REDIS
    os.environ["EMAIL_URL"] = "memorymail://"
    os.environ.setdefault("CONN_MAX_AGE", "60")  # persistent connections, as production runs (web and worker)
    common.database_ensure(DATABASE)
    common.django_setup(DATABASE)
    from django.conf import settings

    from accounts.choices import Role
    from accounts.models import User
    from opportunities import services
    from opportunities.models import Opportunity
    from registry.models import Currency, Province, Sector

    settings.INQUIRY_RATE_LIMIT_PER_IP = settings.INQUIRY_RATE_LIMIT_PER_EMAIL = "1000000/minute"
    wa = Province.objects.get(code="WA")
    staff, _ = User.objects.get_or_create(
        email="bench.staff@example.com", defaults={"role": Role.PROVINCE_STAFF, "is_staff": True}
    )
    staff.provinces.set([wa])
    opportunity = Opportunity.objects.filter(title_en="Bench copper mine").first()
    if opportunity is None:
        opportunity = services.opportunity_create(
            actor=None,
            data={
                "title_fa": "معدن مس بنچمارک",
                "title_en": "Bench copper mine",
                "province": wa,
                "sector": Sector.objects.get(code="MIN.MET"),
                "type": "greenfield",
                "capex_amount": 12_000_000,
                "capex_currency": Currency.objects.get(code="USD"),
            },
        )
        opportunity = services.opportunity_publish(opportunity=opportunity, actor=None)
    return {"opportunity": opportunity, "staff": staff}


def queue_purge() -> None:
    from registry.celery import app

    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge("celery")


def clear_inquiries() -> None:
    """The bench database is the bench's own: start and end with no inquiry and no inquiry e-mail in it."""
    from inquiries.models import Inquiry
    from registry.models import OutboundEmail

    queue_purge()
    OutboundEmail.objects.filter(key__startswith="inquiry:").delete()
    Inquiry.objects.all().delete()


class QueryCounter:
    """Counts the statements one request runs (the debug query log is reset at every request start)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def queries_of(fn) -> int:
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        fn()
    return counter.count


def latency(opportunity, *, requests: int, warmup: int = 30) -> None:
    from django.test import Client

    client = Client()
    get_url = f"/api/v1/opportunities/{opportunity.reference}/"
    run = uuid.uuid4().hex[:8]

    def get():
        response = client.get(get_url)
        assert response.status_code == 200, response.status_code

    def post(n: int):
        body = {
            "opportunity": opportunity.reference,
            "name": "سرمایه‌گذار نمونه",
            "email": f"bench{n}@example.com",
            "ticket_size": "۵۰ میلیون",
            "ticket_currency": "USD",
            "language": "fa" if n % 2 else "en",
            "message": "لطفاً مطالعات امکان‌سنجی این طرح را بفرستید.",
        }
        response = client.post(
            "/api/v1/inquiries/", json.dumps(body), content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=f"bench-{run}-{n}",
        )  # fmt: skip
        assert response.status_code == 201, response.content

    for n in range(warmup):
        get()
        post(-n - 1)
    get_queries, post_queries = queries_of(get), queries_of(lambda: post(10**9))
    gets, posts = [], []
    for n in range(requests):  # interleaved, so drift (autovacuum, caches) hits both alike
        started = time.perf_counter()
        get()
        gets.append(time.perf_counter() - started)
        started = time.perf_counter()
        post(n)
        posts.append(time.perf_counter() - started)
    get_ms, post_ms = statistics.median(gets) * 1000, statistics.median(posts) * 1000
    out(f"latency over {requests} requests each (after {warmup} warm-up), Django test client, PostgreSQL + Redis")
    out(f"  GET  /api/v1/opportunities/<ref>/  median {get_ms:6.2f} ms  p90 {percentile(gets, 90):6.2f} ms  "
        f"({get_queries} queries)")  # fmt: skip
    out(f"  POST /api/v1/inquiries/            median {post_ms:6.2f} ms  p90 {percentile(posts, 90):6.2f} ms  "
        f"({post_queries} queries, 3 dispatches to Redis)")  # fmt: skip
    out(f"  POST / GET = {ratio(post_ms, get_ms)}  (goal ≤ 1.50x)")


def percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))] * 1000


class Worker:
    """One worker process on the bench database, writing its e-mails to files."""

    def __init__(self, mail_dir: Path, log_path: Path):
        self.log_path = log_path
        env = {
            **os.environ,
            "DATABASE_URL": common.database_url(DATABASE),
            "REDIS_URL": REDIS,
            "EMAIL_URL": f"filemail:///{mail_dir}",  # django-environ drops one leading slash
            "DJANGO_SETTINGS_MODULE": "registry.settings.base",
        }
        command = [
            sys.executable, "-m", "celery", "-A", "registry", "worker", "--pool", "solo", "--loglevel", "INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"bench-{uuid.uuid4().hex[:6]}@%h",
        ]  # fmt: skip
        self.log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while b" ready." not in log_path.read_bytes():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(log_path.read_text()[-3000:])
            time.sleep(0.1)

    def succeeded(self, task: str) -> int:
        marker = f"Task {task}[".encode()
        return sum(1 for line in self.log_path.read_bytes().splitlines() if marker in line and b" succeeded " in line)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)
        self.log.close()


def wait(predicate, *, timeout: float = 600, interval: float = 0.02) -> None:
    started = time.perf_counter()
    while not predicate():
        if time.perf_counter() - started > timeout:
            raise TimeoutError("the worker did not finish in time")
        time.sleep(interval)


def floor_run(worker: Worker, count: int) -> float:
    """`count` delivery tasks that find no pending row: a broker round trip, the task and one locking query."""
    from registry.celery import app

    before = worker.succeeded("registry.email_deliver")
    started = time.perf_counter()
    for n in range(count):
        app.signature("registry.email_deliver", kwargs={"email_id": -1 - n}).delay()
    wait(lambda: worker.succeeded("registry.email_deliver") - before >= count)
    return time.perf_counter() - started


def acknowledgements_run(opportunity, count: int) -> float:
    """`count` acknowledgement rows written in one transaction, dispatched on commit; seconds until all are sent."""
    from django.db import transaction
    from django.utils import timezone

    from inquiries import emails, services
    from inquiries.models import Inquiry
    from registry.models import OutboundEmail

    now = timezone.now()
    due, remind = services.sla_deadlines(now)
    inquiries = Inquiry.objects.bulk_create(
        Inquiry(
            province=opportunity.province, opportunity=opportunity, sector=opportunity.sector,
            name=f"سرمایه‌گذار {n}", email=f"ack{n}@example.com", language="fa" if n % 2 else "en",
            message="پرسش نمونه", access_nonce=uuid.uuid4().hex, created_at=now, first_response_due_at=due,
            reminder_due_at=remind, status="spam",  # spam: nothing else (assignment, sweeps) runs alongside
        )
        for n in range(count)
    )  # fmt: skip
    keys = [emails.email_key(inquiry, "ack", inquiry.email) for inquiry in inquiries]
    with transaction.atomic():
        for inquiry in inquiries:
            emails.acknowledgement_enqueue(inquiry=inquiry)
        started = time.perf_counter()  # the dispatches go out on commit, right after this
    sent = OutboundEmail.objects.filter(state=OutboundEmail.State.SENT, key__in=keys)
    wait(lambda: sent.count() >= count, interval=0.05)
    return time.perf_counter() - started


def throughput(opportunity, *, acks: int) -> None:
    from registry.celery import app

    app.conf.task_always_eager = False
    clear_inquiries()
    with tempfile.TemporaryDirectory() as tmp:
        mail_dir = Path(tmp) / "mail"
        mail_dir.mkdir()
        worker = Worker(mail_dir, Path(tmp) / "worker.log")
        try:
            floor = floor_run(worker, acks)
            elapsed = acknowledgements_run(opportunity, acks)
        finally:
            worker.stop()
        written = sum(path.read_bytes().count(b"\nMessage-ID: ") for path in mail_dir.iterdir())
    out(f"throughput through one worker (solo pool, file e-mail backend), {acks} each")
    out(f"  floor: deliveries that find nothing  {acks / floor:7.1f} tasks/s    ({floor:.2f} s)")
    out(f"  acknowledgements sent                 {acks / elapsed:7.1f} e-mails/s ({elapsed:.2f} s, {written} written)")
    out(f"  time per acknowledgement / floor = {ratio(elapsed, floor)}")
    clear_inquiries()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300, help="requests of each kind for the latency figures")
    parser.add_argument("--acks", type=int, default=500, help="acknowledgements for the throughput figure")
    args = parser.parse_args()
    scene = setup()
    clear_inquiries()
    latency(scene["opportunity"], requests=args.requests)
    throughput(scene["opportunity"], acks=args.acks)


if __name__ == "__main__":
    main()
