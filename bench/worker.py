"""Processes the benchmarks start beside themselves: a Celery worker, a gunicorn server.

Both are pointed at the database the benchmark uses, through the same DATABASE_URL contract.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def database_url_of(db: dict[str, Any]) -> str | None:
    """A DATABASE_URL another process can open for this connection (None for in-memory SQLite)."""
    engine = db["ENGINE"]
    if engine == "django.db.backends.postgresql":
        user = quote(db.get("USER") or "", safe="")
        password = quote(db.get("PASSWORD") or "", safe="")
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or 5432
        return f"postgres://{auth}{host}:{port}/{quote(str(db['NAME']), safe='')}"
    if engine == "django.db.backends.sqlite3":
        name = str(db["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            return None
        return f"sqlite:///{Path(name).resolve()}"
    return None


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child process: this one's database and broker, test-mode settings."""
    from django.db import connection

    url = database_url_of(connection.settings_dict)
    if url is None:
        raise RuntimeError("база в памяти недоступна другому процессу")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": url,
        "REDIS_URL": settings.REDIS_URL,
        "TESTING": "1",
        "DEBUG": "0",
        "SECURE_SSL": "0",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def venv_command(name: str) -> list[str]:
    executable = Path(sys.executable).with_name(name)
    return [str(executable)] if executable.exists() else [sys.executable, "-m", name]


class Process:
    def __init__(self, command: list[str], env: dict[str, str], ready: str, timeout: float = 60) -> None:
        self.log = Path(tempfile.mkstemp(prefix="bench-", suffix=".log")[1])
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while ready not in self.log.read_text(errors="replace"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{command[0]} не запустился:\n{self.tail()}")
            time.sleep(0.2)

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.unlink(missing_ok=True)


class Worker(Process):
    """`celery -A portal worker --pool=solo` on a queue of its own."""

    def __init__(self) -> None:
        self.queue = f"bench-{uuid.uuid4().hex[:10]}"
        command = [
            *venv_command("celery"),
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "-Q",
            self.queue,
            "--hostname",
            f"{self.queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ]
        super().__init__(command, child_env(DB_CONN_MAX_AGE="0"), ready=" ready.")

    @contextlib.contextmanager
    def sending(self) -> Iterator[None]:
        """Tasks queued inside go through Redis to this worker instead of running in-process."""
        from portal.celery import app

        previous = app.conf.task_always_eager, app.conf.task_default_queue
        app.conf.task_always_eager, app.conf.task_default_queue = False, self.queue
        try:
            yield
        finally:
            app.conf.task_always_eager, app.conf.task_default_queue = previous

    def wait_for_job(self, version_pk: int, *, timeout: float):
        from reports.models import RenderJob

        deadline = time.monotonic() + timeout
        while True:
            job = RenderJob.objects.get(version_id=version_pk)
            if job.status in ("done", "failed"):
                return job
            if self.process.poll() is not None:
                raise RuntimeError(f"воркер завершился:\n{self.tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"справка не готова за {timeout:.0f} с")
            time.sleep(0.1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server(Process):
    """gunicorn on a loopback port, configured as in production (3 sync workers)."""

    def __init__(self, workers: int = 3) -> None:
        self.port = free_port()
        command = [
            *venv_command("gunicorn"),
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--backlog",
            "512",
        ]
        env = child_env(ALLOWED_HOSTS="127.0.0.1", AXES_ENABLED="0", LOG_LEVEL="WARNING")
        super().__init__(command, env, ready="Booting worker")
        time.sleep(1.0)  # let every worker boot
