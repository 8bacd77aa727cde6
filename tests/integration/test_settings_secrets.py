"""Production settings: no secret in any message, weak secrets refused, Secure cookies, a warning without HTTPS."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from arshjul.bootstrap import bootstrap
from arshjul.cli import main
from config.settings import InsecureSettings, Settings, get_settings
from domain.clock import ManualClock
from tasks.store.db import migrate
from tests.integration.test_web_answers import START
from tests.support.accounts import HR_EMAIL, PASSWORD, make_user
from web.app import create_app

GOOD_KEY = "Vq3-8xZpL0rT7wYbN4cKmH2sJfD9gE1a"
SSO_SECRET = "Hr7x!q"  # short: pydantic shortens a long input in its message, which would hide a leak
SMTP_SECRET = "Sm9q!z"
DB_SECRET = "Db3w!k"


def _production(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "env": "production",
        "data_dir": tmp_path,
        "secret_key": GOOD_KEY,
        "oidc": {"issuer": "https://login.testvik.no", "client_id": "arshjul", "client_secret": SSO_SECRET},
        "smtp": {"password": SMTP_SECRET, "port": 9},
        "db": {"url": f"postgresql://arshjul:{DB_SECRET}@127.0.0.1/arshjul"},
        "mail_catcher": False,
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("secret", "why"),
    [("kort", "minst 32 tegn"), (" " * 32, "for enkel"), ("a" * 64, "for enkel"), ("abababab" * 4, "for enkel")],
)
def test_a_weak_secret_is_refused_and_no_secret_is_in_the_message(tmp_path: Path, secret: str, why: str) -> None:
    with pytest.raises(InsecureSettings) as refused:
        _production(tmp_path, secret_key=secret)
    errors: object = getattr(
        refused.value, "errors", lambda: []
    )()  # were it a ValidationError, its input would be here
    shown = str(refused.value) + repr(refused.value) + repr(refused.value.__context__) + repr(errors)
    assert "ARSHJUL_SECRET_KEY" in shown and why in shown
    for value in (SSO_SECRET, SMTP_SECRET, DB_SECRET):
        assert value not in shown
    if secret.strip():
        assert secret not in shown


def test_the_settings_never_show_a_secret_value(tmp_path: Path) -> None:
    settings = _production(tmp_path)
    shown = repr(settings) + str(settings) + repr(settings.smtp) + repr(settings.db)
    with pytest.raises(ValidationError) as invalid:  # another field wrong: the error does not echo the input
        _production(tmp_path, smtp={"password": SMTP_SECRET, "port": "ikke-et-tall"}, link_grace_days=-1)
    shown += str(invalid.value)
    for value in (GOOD_KEY, SSO_SECRET, SMTP_SECRET, DB_SECRET):
        assert value not in shown


def test_a_production_start_refused_for_a_short_secret_prints_no_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, value in {
        "ARSHJUL_ENV": "production",
        "ARSHJUL_DATA_DIR": str(tmp_path),
        "ARSHJUL_SECRET_KEY": "for-kort",
        "ARSHJUL_OIDC__CLIENT_SECRET": SSO_SECRET,
        "ARSHJUL_SMTP__PASSWORD": SMTP_SECRET,
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        assert main(["audit", "--year", "2027"]) == 1
    finally:
        get_settings.cache_clear()
    out = capsys.readouterr()
    assert "ARSHJUL_SECRET_KEY" in out.err
    for value in (SSO_SECRET, SMTP_SECRET, "for-kort", "Hr7x", "Sm9q"):
        assert value not in out.out + out.err


@pytest.mark.parametrize(("base_url", "secure"), [("https://kompetanse.testvik.no", True), ("http://127.0.0.1", False)])
def test_the_session_cookie_is_secure_behind_https_and_http_in_production_is_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, base_url: str, secure: bool
) -> None:
    rt = bootstrap(_production(tmp_path, base_url=base_url, db={}), clock=ManualClock(START))
    migrate(rt.engine)
    try:
        with caplog.at_level(logging.WARNING), TestClient(create_app(rt), follow_redirects=False) as client:
            make_user(rt)
            page = client.get("/logg-inn")
            csrf = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
            assert csrf
            form = {"csrf_token": csrf.group(1), "epost": HR_EMAIL, "passord": PASSWORD}
            response = client.post("/logg-inn", data=form)
    finally:
        rt.engine.dispose()
    assert response.status_code == 303
    assert ("; secure" in response.headers["set-cookie"].lower()) is secure
    warned = [r.getMessage() for r in caplog.records if "not https" in r.getMessage()]
    assert len(warned) == (0 if secure else 1)
    assert all(PASSWORD not in r.getMessage() for r in caplog.records)
