"""Conditional GET for API views: a weak ETag over the response data and Last-Modified from the newest
`updated_at` in it (or a view's own `conditional_last_modified`); If-None-Match / If-Modified-Since answer 304.
The view still does its work (no saving there); the client saves the transfer and its own processing."""

import datetime
import hashlib
import json

from django.db.models import Max
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, parse_etags, parse_http_date_safe


def data_etag(data) -> str:
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
    return f'W/"{digest[:40]}"'


def newest_updated_at(data) -> datetime.datetime | None:
    rows = data.get("results", [data]) if isinstance(data, dict) else data if isinstance(data, list) else []
    stamps = [parse_datetime(row["updated_at"]) for row in rows if isinstance(row, dict) and row.get("updated_at")]
    stamps = [stamp for stamp in stamps if stamp is not None]
    return max(stamps) if stamps else None


def not_modified(request, etag: str, last_modified: datetime.datetime | None) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when present; If-Modified-Since only without it."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match:
        tags = parse_etags(if_none_match)
        return "*" in tags or etag.removeprefix("W/") in {tag.removeprefix("W/") for tag in tags}
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return bool(since and last_modified and int(last_modified.timestamp()) <= since)


class ConditionalGetMixin:
    """`conditional_events`: an event model (with created_at) whose newest row also moves a list's Last-Modified,
    so a list that lost a row (withdrawn, archived) is not reported unchanged to If-Modified-Since clients."""

    conditional_events = None

    def conditional_last_modified(self, data) -> datetime.datetime | None:
        stamps = [newest_updated_at(data)]
        if self.conditional_events is not None and isinstance(data, dict) and "results" in data:
            stamps.append(self.conditional_events.objects.aggregate(m=Max("created_at"))["m"])
        stamps = [stamp for stamp in stamps if stamp is not None]
        return max(stamps) if stamps else None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            request.method not in ("GET", "HEAD")
            or response.status_code != 200
            or getattr(response, "data", None) is None
        ):
            return response
        etag = data_etag(response.data)
        last_modified = self.conditional_last_modified(response.data)
        response["ETag"] = etag
        if last_modified:
            response["Last-Modified"] = http_date(last_modified.timestamp())
        if not_modified(request, etag, last_modified):
            response.status_code = 304
            response.data = None
        return response
