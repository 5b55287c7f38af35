"""Liveness and readiness probes for the load balancer and compose health checks."""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.defaults import page_not_found

from .api import is_api_request

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """The process is up and serving; says nothing about its dependencies."""
    return JsonResponse({"status": "ok"})


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("readiness: database check failed")
        return False


def _broker_ok() -> bool:
    from registry.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        logger.exception("readiness: broker check failed")
        return False


@never_cache
@require_GET
def readyz(request):
    """Ready to take traffic: the database answers, and the broker too when one is configured."""
    checks = {"database": _database_ok()}
    if settings.REDIS_URL:
        checks["broker"] = _broker_ok()
    ready = all(checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


def not_found(request, exception=None):
    """API clients get a problem-details 404; people get the site's page."""
    if is_api_request(request):
        body = {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "No such resource."}
        return JsonResponse(body, status=404, content_type="application/problem+json")
    return page_not_found(request, exception)
