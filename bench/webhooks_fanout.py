"""Webhook fan-out and delivery: 1,000 events to 10 local endpoints (10,000 signed deliveries) through one worker.

    .venv/bin/python bench/webhooks_fanout.py            # 1,000 events x 10 endpoints
    .venv/bin/python bench/webhooks_fanout.py --events 200
    .venv/bin/python bench/webhooks_fanout.py --trace-memory   # also the Python heap peak (slower: not for rates)

One worker = one process attempting deliveries one after another, as a Celery worker with concurrency 1 runs
`partners.webhook_deliver` (the broker round trip is not included). Receivers are ten http.server threads on
127.0.0.1 answering 204. The floor: the same number of signed POSTs made straight with requests to the same
receivers, in the same run, without rows (no claim, no outcome written). Figures are printed, never asserted.
A fresh SQLite database under var/ (or BENCH_DATABASE_URL) is migrated for the run.
"""

from __future__ import annotations

import argparse
import http.server
import os
import resource
import sys
import threading
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_FILE = ROOT / "var" / "bench-webhooks.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings.base")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{DB_FILE}")
os.environ["WEBHOOKS_ALLOW_LOOPBACK"] = "true"
os.environ["REDIS_URL"] = ""
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

if DB_FILE.exists() and "BENCH_DATABASE_URL" not in os.environ:
    DB_FILE.unlink()
django.setup()

import requests  # noqa: E402
from django.core.management import call_command  # noqa: E402

from accounts.choices import OrganisationKind  # noqa: E402
from accounts.models import Organisation  # noqa: E402
from opportunities import services as catalogue  # noqa: E402
from opportunities.models import OpportunityEvent  # noqa: E402
from partners import services, signing, webhooks  # noqa: E402
from partners.models import WebhookDelivery  # noqa: E402
from registry.models import County, Currency, Province, Sector  # noqa: E402


def out(line: str = "") -> None:
    sys.stdout.write(f"{line}\n")
    sys.stdout.flush()


class Quiet(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(204)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def receivers(count: int) -> list[str]:
    urls = []
    for _ in range(count):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        urls.append(f"http://127.0.0.1:{server.server_address[1]}/hook")
    return urls


def setup(events: int, urls: list[str]) -> None:
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    wa = Province.objects.get(code="WA")
    organisation = Organisation.objects.create(name_fa="درگاه", kind=OrganisationKind.PARTNER_PORTAL)
    partner = services.partner_create(name="bench", organisation=organisation, email="b@x.example", provinces=[wa])
    for url in urls:
        services.endpoint_register(partner=partner, url=url, event_types=["opportunity.updated"])
    opportunity = catalogue.opportunity_create(
        actor=None,
        data={
            "title_fa": "طرح",
            "province": wa,
            "county": County.objects.filter(province=wa).first(),
            "sector": Sector.objects.get(code="MIN.MET"),
            "type": "greenfield",
            "capex_amount": 1,
            "capex_currency": Currency.objects.get(code="USD"),
        },
    )
    OpportunityEvent.objects.bulk_create(
        [OpportunityEvent(opportunity=opportunity, kind="updated") for _ in range(events)], batch_size=1000
    )


def deliver_all() -> int:
    done = 0
    while due := webhooks.deliveries_due(limit=1000):
        for delivery_id in due:
            done += webhooks.delivery_attempt(delivery_id=delivery_id) is not None
    return done


def floor(count: int, urls: list[str]) -> float:
    secret = signing.secret_generate()
    body = b'{"type":"opportunity.updated","data":{"reference":"WA-MIN-2026-0001"}}'
    session_less = requests.post
    started = time.perf_counter()
    for n in range(count):
        ts = int(time.time())
        headers = {"webhook-id": f"msg_{n}", "webhook-timestamp": str(ts), "content-type": "application/json"}
        headers["webhook-signature"] = signing.sign(secret=secret, message_id=f"msg_{n}", timestamp=ts, body=body)
        session_less(urls[n % len(urls)], data=body, headers=headers, timeout=10, allow_redirects=False)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--endpoints", type=int, default=10)
    parser.add_argument("--trace-memory", action="store_true", help="Python heap peak via tracemalloc (slows ~3x)")
    args = parser.parse_args()
    urls = receivers(args.endpoints)
    setup(args.events, urls)
    if args.trace_memory:
        tracemalloc.start()
    started = time.perf_counter()
    created = webhooks.fanout_all()
    fanout_s = time.perf_counter() - started
    started = time.perf_counter()
    delivered = deliver_all()
    deliver_s = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if args.trace_memory else None
    tracemalloc.stop()
    succeeded = WebhookDelivery.objects.filter(state="succeeded").count()
    floor_s = floor(delivered, urls)
    out(f"events {args.events}, endpoints {args.endpoints}, delivery rows {created}")
    out(f"fan-out: {fanout_s:.2f} s ({created / fanout_s:,.0f} rows/s)")
    rate = delivered / deliver_s
    out(f"delivery, one worker: {delivered} attempts, {succeeded} succeeded, {deliver_s:.2f} s = {rate:,.0f}/s")
    out(f"floor (bare signed POSTs, same receivers): {delivered / floor_s:,.0f}/s; ratio {deliver_s / floor_s:.2f}x")
    if peak is not None:
        out(f"peak Python heap during fan-out + delivery (tracemalloc): {peak / 2**20:.1f} MiB")
    out(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
