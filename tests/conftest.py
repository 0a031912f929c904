"""Shared fixtures. Tests are fast by default (MD5 hasher, in-process tasks, temporary media).

The same suite switches to real services when the environment names them (see README.md → Tests):
DATABASE_URL=postgres://… runs it on PostgreSQL (pytest-django creates `test_<name>`), REDIS_URL=…
lets tests marked `worker` send tasks through Redis to a real Celery worker process that this session
starts against the test database. Everything else keeps running tasks in-process, because a test's
uncommitted rows are invisible to another process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os

os.environ.setdefault("TESTING", "1")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL", "0")

import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, TypeVar  # noqa: E402

import pytest  # noqa: E402

from tests import factories as f  # noqa: E402

# The one Playwright set-up (`page`, `login`, `shot`), for the browser tests of every app.
pytest_plugins = ["tests.browser.fixtures"]

BASE_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
T = TypeVar("T")


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require_service(name: str, available: bool) -> None:
    """Skip when a service is missing on a developer's machine; fail under CI=true."""
    if available:
        return
    if running_in_ci():
        pytest.fail(f"{name} is required in CI but is not available")
    pytest.skip(f"{name} is not available")


def redis_available() -> bool:
    """True when REDIS_URL is set and the server answers a PING within a second."""
    from django.conf import settings

    if not settings.REDIS_URL:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def _uses_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _service_markers(request):
    """Tests marked `postgres`, `worker` or `browser` need that service: skip locally, fail in CI."""
    node = request.node
    if node.get_closest_marker("postgres"):
        require_service("PostgreSQL (DATABASE_URL=postgres://…)", _uses_postgres())
    if node.get_closest_marker("worker"):
        require_service("Redis (REDIS_URL) for the Celery worker", redis_available())
    if node.get_closest_marker("browser"):
        require_service(f"Chromium at {CHROMIUM}", CHROMIUM.exists())


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Queued tasks run in-process unless the test asks for the real worker (`celery_worker`)."""
    from portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@dataclass(frozen=True)
class CeleryWorker:
    """A real `celery worker` process consuming this test session's own queue."""

    queue: str
    process: subprocess.Popen
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        return _log_tail(self.log, lines)


@pytest.fixture(scope="session")
def _celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[CeleryWorker]:
    """Start `celery -A portal worker --pool=solo` against the test database, once per session."""
    from django.db import connection

    require_service("Redis (REDIS_URL) for the Celery worker", redis_available())
    from bench.worker import database_url_of

    with django_db_blocker.unblock():
        database_url = database_url_of(connection.settings_dict)
    require_service("a test database another process can open (PostgreSQL or file SQLite)", database_url is not None)

    queue = f"test-{uuid.uuid4().hex[:12]}"
    log = tmp_path_factory.mktemp("celery") / "worker.log"
    with running_celery_worker(
        app="portal", pool=["--pool=solo"], queue=queue, log=log, database_url=database_url
    ) as p:
        yield CeleryWorker(queue=queue, process=p, log=log)


def _log_tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def wait_until(predicate: Callable[[], T], *, seconds: float, what: str, worker: Any = None) -> T:
    """Poll `predicate` until it returns something truthy and return that; after `seconds`, fail with
    `what` and the tail of the worker's log (any object with `log_tail()`)."""
    deadline = time.monotonic() + seconds
    while not (value := predicate()):
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {seconds} s" + (f":\n{worker.log_tail()}" if worker else ""))
        time.sleep(0.1)
    return value


@contextlib.contextmanager
def running_celery_worker(
    *,
    app: str,
    pool: list[str],
    queue: str,
    log: Path,
    database_url: str,
    extra_env: dict[str, str] | None = None,
    own_group: bool = False,
) -> Iterator[subprocess.Popen]:
    """A `celery -A <app> worker` process on its own queue against the test database, ready to take
    tasks; stopped (warm, then killed) on exit. `own_group` starts it in a process group of its own,
    so that its pool children, held or not, go with it."""
    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "TESTING": "1",
        "DEBUG": "0",
        "SECURE_SSL": "0",
        "DB_CONN_MAX_AGE": "0",
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    celery = BASE_DIR / ".venv/bin/celery"
    command = [
        *([str(celery)] if celery.exists() else [sys.executable, "-m", "celery"]),
        "-A",
        app,
        "worker",
        *pool,
        "-Q",
        queue,
        "--hostname",
        f"{queue}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=INFO",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=own_group
        )
    try:
        deadline = time.monotonic() + 60
        while " ready." not in log.read_text(errors="replace"):
            if process.poll() is not None:
                pytest.fail(f"the Celery worker exited with {process.returncode}:\n{_log_tail(log)}")
            if time.monotonic() > deadline:
                pytest.fail(f"the Celery worker did not become ready in 60 s:\n{_log_tail(log)}")
            time.sleep(0.2)
        yield process
    finally:
        # Stop it before pytest-django drops the test database it is connected to.
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=20)
        if own_group:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        elif process.poll() is None:
            process.kill()
        process.wait(timeout=10)


# The data migrations that fill catalogues (model whose emptiness says they are gone, module).
CATALOGUE_MIGRATIONS = (
    ("schools.RiskFactor", "schools.migrations.0002_risk_factors"),
    ("roadmaps.ActivityType", "roadmaps.migrations.0002_catalogues"),
    ("monitoring.Indicator", "monitoring.migrations.0003_indicators"),
)


@pytest.fixture
def catalogues(transactional_db) -> None:
    """The catalogues of the data migrations, for transactional tests (live server, real worker).

    A transactional test ends with a flush that empties every table, migration data included, so a
    later one finds no activity types; running the migrations' loaders again puts them back.
    (Serialized rollback would do it too, but pytest-django serializes only for tests without a
    django_db marker.)
    """
    from importlib import import_module

    from django.apps import apps

    for model, module in CATALOGUE_MIGRATIONS:
        if not apps.get_model(model).objects.exists():
            import_module(module).load(apps, None)


@pytest.fixture
def celery_worker(catalogues, transactional_db, _celery_worker_process) -> Iterator[CeleryWorker]:
    """Send this test's tasks through Redis to the real worker; rows are committed so it sees them."""
    from portal.celery import app

    previous = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager = False
    app.conf.task_default_queue = _celery_worker_process.queue
    yield _celery_worker_process
    app.conf.task_always_eager, app.conf.task_default_queue = previous
    if _celery_worker_process.process.poll() is not None:
        pytest.fail(f"the Celery worker died during the test:\n{_celery_worker_process.log_tail()}")


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_ENABLED = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def region(db):
    return f.RegionFactory()


@pytest.fixture
def municipality(region):
    return f.MunicipalityFactory(region=region)


@pytest.fixture
def school(municipality):
    return f.SchoolFactory(municipality=municipality)


@pytest.fixture
def other_school(db):
    """A school in another municipality of another region: an outsider for every scope above."""
    return f.SchoolFactory()


@pytest.fixture
def director(school):
    return f.user_with_role("director", school=school)


@pytest.fixture
def methodist(municipality):
    return f.user_with_role("methodist", municipality=municipality)


@pytest.fixture
def head(municipality):
    return f.user_with_role("head", municipality=municipality)


@pytest.fixture
def coordinator(region):
    return f.user_with_role("coordinator", region=region)


@pytest.fixture
def curator(school):
    user = f.user_with_role("curator")
    f.CuratorAssignmentFactory(school=school, user=user, full_name=user.full_name)
    return user


@pytest.fixture
def admin_user(db):
    return f.user_with_role("admin")


@pytest.fixture
def outsider_methodist(other_school):
    """A methodist of another municipality: sees none of `school`'s data."""
    return f.user_with_role("methodist", municipality=other_school.municipality)


@pytest.fixture
def outsider_director(other_school):
    """The director of a school in another region: sees none of `school`'s data."""
    return f.user_with_role("director", school=other_school)


@pytest.fixture
def quarter() -> tuple[int, int]:
    from core.calendar import current_quarter

    return current_quarter()


@pytest.fixture
def roadmap(school, quarter):
    """The school's roadmap for the current quarter's academic year, with three activities."""
    from core.calendar import quarter_academic_year, quarter_bounds

    year, q = quarter
    roadmap = f.RoadmapFactory(school=school, academic_year=quarter_academic_year(year, q))
    start, end = quarter_bounds(year, q)
    f.ActivityFactory(roadmap=roadmap, activity_type=f.activity_type("teachers-09"), due_on=end)
    f.ActivityFactory(
        roadmap=roadmap, activity_type=f.activity_type("parents-02"), due_on=start + dt.timedelta(days=20)
    )
    f.ActivityFactory(
        roadmap=roadmap, activity_type=None, title="Собственное мероприятие школы", due_on=end, starts_on=start
    )
    return roadmap


@pytest.fixture
def report(roadmap, quarter, director):
    """The director's draft report of the current quarter."""
    from roadmaps import services

    year, q = quarter
    return services.report_create(roadmap=roadmap, year=year, quarter=q, user=director)
