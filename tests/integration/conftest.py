"""A real Celery worker on Redis, in its own process, reading the same test database as the test."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from registry.celery import app

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The test database as a URL the worker process can open (the test's, not the configured one)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def broker(require_redis):
    """Point this process's Celery app at Redis (tests otherwise run tasks inline) and empty the queue."""
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=require_redis, task_always_eager=False)
    app._pool = app.amqp._producer_pool = None  # connections made for another broker must not be reused
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")
    yield require_redis
    app.conf.update(saved)
    app._pool = app.amqp._producer_pool = None


class Worker:
    """A worker subprocess; `kill()` is SIGKILL (a crash), `stop()` a warm shutdown."""

    def __init__(self, redis_url: str, log_path: Path):
        self.redis_url = redis_url
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> "Worker":
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": self.redis_url,
            "DJANGO_SETTINGS_MODULE": "registry.settings.base",
        }
        command = [
            sys.executable, "-m", "celery", "-A", "registry", "worker", "--pool", "solo", "--loglevel", "INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"it-{uuid.uuid4().hex[:8]}@%h",
        ]  # fmt: skip
        self.log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited: {self.log_path.read_text()[-3000:]}")
            if b" ready." in self.log_path.read_bytes():
                return
            time.sleep(0.2)
        raise RuntimeError(f"worker not ready in {timeout}s: {self.log_path.read_text()[-3000:]}")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


@pytest.fixture
def celery_worker_process(broker, reference_data, tmp_path):
    worker = Worker(broker, tmp_path / "worker.log").start()
    yield worker
    worker.stop()


def wait_for(predicate, *, timeout: float = 30, interval: float = 0.1):
    """Poll until `predicate()` is truthy; returns the seconds it took, fails the test on time-out."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout}s")
