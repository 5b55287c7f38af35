"""Probes: /healthz says the process is alive, /readyz that its dependencies answer."""

import pytest


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_the_database(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": True}


@pytest.mark.django_db
def test_readyz_is_503_when_the_broker_is_down(client, settings, monkeypatch):
    from registry import views

    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    monkeypatch.setattr(views, "_broker_ok", lambda: False)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] is False
