"""portal/settings.py: environment helpers fail loudly, production settings pass `check --deploy`."""

from __future__ import annotations

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parents[2]
SETTINGS = BASE_DIR / "portal" / "settings.py"
# Variables that decide the mode; each test sets the ones it needs.
MODE_VARIABLES = (
    "DEBUG",
    "TESTING",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SITE_URL",
    "SECURE_SSL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)
PRODUCTION = {
    "DEBUG": "0",
    "TESTING": "0",
    "SECRET_KEY": "x" * 20 + secrets.token_urlsafe(48),
    "ALLOWED_HOSTS": "portal.example.ru",
    "SITE_URL": "https://portal.example.ru",
    "SECURE_SSL": "1",
}


def load_settings(monkeypatch, tmp_path, **env: str) -> dict:
    """Execute settings.py afresh under `env` and return its module namespace."""
    for name in MODE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


@pytest.mark.parametrize("raw", ["1", "true", "YES", " on "])
def test_env_bool_true(monkeypatch, raw):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG") is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "off", ""])
def test_env_bool_false(monkeypatch, raw):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", True) is False


def test_env_bool_rejects_anything_else_naming_the_variable(monkeypatch):
    monkeypatch.setenv("FLAG", "da")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be a boolean.*'da'"):
        env_bool("FLAG")


def test_env_int_parses_and_defaults(monkeypatch):
    monkeypatch.setenv("NUMBER", "42")
    assert env_int("NUMBER", 7) == 42
    monkeypatch.setenv("NUMBER", " ")
    assert env_int("NUMBER", 7) == 7
    monkeypatch.delenv("NUMBER")
    assert env_int("NUMBER", 7) == 7


def test_env_int_rejects_a_word(monkeypatch):
    monkeypatch.setenv("NUMBER", "восемь")
    with pytest.raises(ImproperlyConfigured, match="NUMBER must be an integer"):
        env_int("NUMBER", 8)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.ru, ,b.ru,")
    assert env_list("HOSTS") == ["a.ru", "b.ru"]
    assert env_str("NOT_SET_ANYWHERE_42", "d") == "d"


def test_production_requires_a_secret_key(monkeypatch, tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        load_settings(monkeypatch, tmp_path, **env)


def test_production_requires_allowed_hosts(monkeypatch, tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "ALLOWED_HOSTS"}
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        load_settings(monkeypatch, tmp_path, **env)


def test_production_requires_the_public_address(monkeypatch, tmp_path):
    """Signed references print SITE_URL as their verification link: production has no default for it."""
    env = {k: v for k, v in PRODUCTION.items() if k != "SITE_URL"}
    with pytest.raises(ImproperlyConfigured, match="SITE_URL must be the portal's public address"):
        load_settings(monkeypatch, tmp_path, **env)
    assert load_settings(monkeypatch, tmp_path, DEBUG="1")["SITE_URL"] == "http://127.0.0.1:8000"


def test_bad_boolean_in_the_environment_stops_startup(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="SECURE_SSL must be a boolean"):
        load_settings(monkeypatch, tmp_path, **{**PRODUCTION, "SECURE_SSL": "maybe"})


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DATABASE_URL", "mysqlx://db/portal", "DATABASE_URL must be"),
        ("REDIS_URL", "127.0.0.1:6379", "REDIS_URL must start with redis://"),
        ("SITE_URL", "portal.example.ru", "SITE_URL must start with http"),
        ("SECURE_HSTS_SECONDS", "year", "SECURE_HSTS_SECONDS must be an integer"),
    ],
)
def test_malformed_urls_and_numbers_stop_startup(monkeypatch, tmp_path, name, value, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        load_settings(monkeypatch, tmp_path, **{**PRODUCTION, name: value})


def test_database_url_parses_postgres_and_sqlite(monkeypatch, tmp_path):
    ns = load_settings(monkeypatch, tmp_path, **PRODUCTION, DATABASE_URL="postgres://portal:s3cret@db:5432/portal")
    db = ns["DATABASES"]["default"]
    assert (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "django.db.backends.postgresql",
        "portal",
        "portal",
        "s3cret",
        "db",
        5432,
    )
    assert db["CONN_HEALTH_CHECKS"] is True

    ns = load_settings(monkeypatch, tmp_path, **PRODUCTION, DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3")
    assert ns["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert ns["DATABASES"]["default"]["NAME"] == f"{tmp_path}/x.sqlite3"


def test_without_database_url_sqlite_lives_under_var(monkeypatch, tmp_path):
    ns = load_settings(monkeypatch, tmp_path, DEBUG="1")
    assert ns["DATABASES"]["default"]["NAME"] == tmp_path / "db.sqlite3"


def test_without_redis_tasks_run_in_process_and_with_it_through_the_broker(monkeypatch, tmp_path):
    ns = load_settings(monkeypatch, tmp_path, DEBUG="1")
    assert ns["CELERY_TASK_ALWAYS_EAGER"] is True
    assert ns["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")

    ns = load_settings(monkeypatch, tmp_path, DEBUG="1", REDIS_URL="redis://cache:6379/0")
    assert ns["CELERY_TASK_ALWAYS_EAGER"] is False
    assert ns["CELERY_BROKER_URL"] == ns["CELERY_RESULT_BACKEND"] == "redis://cache:6379/0"
    assert ns["CACHES"]["default"]["BACKEND"].endswith("RedisCache")


def test_production_is_hardened(monkeypatch, tmp_path):
    ns = load_settings(monkeypatch, tmp_path, **PRODUCTION)
    assert ns["DEBUG"] is False
    assert ns["SESSION_COOKIE_SECURE"] is True
    assert ns["CSRF_COOKIE_SECURE"] is True
    assert ns["SESSION_COOKIE_HTTPONLY"] is True
    assert ns["SECURE_SSL_REDIRECT"] is True
    assert ns["SECURE_HSTS_SECONDS"] >= 31536000
    assert ns["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert ns["CSRF_TRUSTED_ORIGINS"] == ["https://portal.example.ru"]
    assert ns["SESSION_COOKIE_AGE"] == 8 * 3600
    assert ns["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert ns["X_FRAME_OPTIONS"] == "DENY"
    directives = ns["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "whitenoise.storage.CompressedManifestStaticFilesStorage" in ns["STORAGES"]["staticfiles"]["BACKEND"]


def test_csp_header_is_sent(client, db):
    header = client.get("/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in header
    assert "unsafe-inline" not in header


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in MODE_VARIABLES}
    env.update(PRODUCTION, VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/deploy.sqlite3")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_catches_a_weak_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in MODE_VARIABLES}
    env.update(PRODUCTION, SECRET_KEY="short", VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/d.sqlite3")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_readme_lists_every_environment_variable_the_settings_read():
    """Each `env_*("NAME", …)` of portal/settings.py has a row in the README's settings table."""
    import re

    read = set(re.findall(r'env_(?:str|int|bool|list)\(\s*"([A-Z0-9_]+)"', SETTINGS.read_text()))
    readme = (BASE_DIR / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    missing = sorted(name for name in read if f"`{name}`" not in table)
    assert read and not missing, f"README → Configuration lacks: {missing}"


def test_no_setting_is_read_with_a_hidden_default():
    """Settings are defined once in portal/settings.py, not defaulted by `getattr` where they are used."""
    import re

    offenders = []
    for path in BASE_DIR.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        for match in re.finditer(r'getattr\(settings,\s*"([A-Z0-9_]+)"', path.read_text()):
            offenders.append(f"{path.relative_to(BASE_DIR)}: {match.group(1)}")
    assert not offenders, offenders
