# Investment Opportunity Bank: one image for the web process (gunicorn), the Celery worker and beat,
# and the one-off migrate job. Builds with the classic builder as well as BuildKit (no RUN --mount).

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# ---- builder: wheels for the pinned dependencies, installed into a virtualenv the runtime copies whole ----
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /build
COPY requirements.lock .
RUN pip wheel --wheel-dir /wheels -r requirements.lock \
 && python -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-index --find-links /wheels -r requirements.lock

# ---- runtime ----
FROM ${PYTHON_IMAGE} AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH="/opt/venv/bin:${PATH}" \
    DJANGO_SETTINGS_MODULE=registry.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media

RUN groupadd --system --gid 1000 app \
 && useradd --system --uid 1000 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

COPY --from=builder /opt/venv /opt/venv

WORKDIR /app
# Code and collected static files stay root-owned (read-only to the app); only MEDIA_ROOT is writable.
COPY . .

# Production settings need their environment even to collect static files: throw-away values, this RUN only.
RUN SECRET_KEY=build-only \
    DATABASE_URL=sqlite:////tmp/build.db \
    ALLOWED_HOSTS=localhost \
    EMAIL_URL=consolemail:// \
    python manage.py collectstatic --noinput \
 && rm -f /tmp/build.db \
 && mkdir -p "${MEDIA_ROOT}" \
 && chown app:app "${MEDIA_ROOT}"

USER app

EXPOSE 8000

# Liveness only. The Host header is the first ALLOWED_HOSTS entry so Django's host validation accepts the probe
# whatever the deployment's host names are; proxies from the environment are ignored for this loopback call.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; h = (os.environ.get('ALLOWED_HOSTS') or 'localhost').split(',')[0].strip().lstrip('*.') or 'localhost'; r.build_opener(r.ProxyHandler({})).open(r.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=4)"]

CMD ["gunicorn", "registry.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
