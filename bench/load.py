"""Deadline-day load: many directors press «Сохранить» at once, against gunicorn over loopback.

Bounded: a fixed number of requests, each with a timeout. Every client first opens its report
form (as a person would), then all of them POST together. Some pairs of clients save the same
report from the same version: exactly one of each pair may win, the other must be told (409).
A write is lost when the server answered «saved» but the database does not hold it.
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from . import synthetic
from .runner import decimal_text

TIMEOUT = 60


class FormFields(HTMLParser):
    """The fields a browser would send for each POST form of a page (no files, no submit buttons)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._select_value: str | None = None
        self._first_option: str | None = None
        self._in_form = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post" and not self._in_form:
            self._in_form = True
            self.fields = []
            self.forms.append(self.fields)
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("file", "submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._select_value, self._first_option = name, None, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self._select_value = value

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea:
            text = "".join(self._text)
            self.fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select:
            value = self._select_value if self._select_value is not None else self._first_option
            self.fields.append((self._select, value or ""))
            self._select = None
        elif tag == "form" and self._in_form:
            self._in_form = False


@dataclass
class Client:
    report_id: int
    username: str
    cookies: dict[str, str] = field(default_factory=dict)
    fields: list[tuple[str, str]] = field(default_factory=list)
    line_field: str = ""
    token: str = ""
    status: int | None = None
    seconds: float | None = None
    error: str = ""

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def remember(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value


@dataclass
class Outcome:
    requests: int
    statuses: dict[int, int]
    lost: int
    server_errors: int
    unexpected: int
    conflicts_expected: int
    conflicts: int
    median: float
    p95: float
    wall: float
    errors: list[str]

    def summary(self) -> str:
        codes = ", ".join(f"{code}×{n}" for code, n in sorted(self.statuses.items()))
        text = (
            f"ответы {codes}; потеряно записей {self.lost}; 500-х {self.server_errors}; "
            f"конфликтов версий {self.conflicts} из {self.conflicts_expected} ожидаемых; "
            f"p95 {self.p95 * 1000:.0f} мс, все за {decimal_text(self.wall, 1)} с (gunicorn, 3 процесса)"
        )
        if self.errors:
            text += f"; ошибки клиента: {self.errors[0]}"
        return text


def _login(username: str) -> dict[str, str]:
    """A real session for `username`, as the login view would create it."""
    from core.models import User

    user = User.objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {settings.SESSION_COOKIE_NAME: session.session_key}


def _request(port: int, client: Client, method: str, path: str, body: str | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    headers = {"Cookie": client.cookie_header(), "Host": "127.0.0.1"}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body.encode() if body is not None else None, headers=headers)
        response = conn.getresponse()
        content = response.read()
        client.remember(response)
        return response.status, content
    finally:
        conn.close()


def _pick_reports(spec: synthetic.Synthetic, count: int) -> list:
    from roadmaps.models import QuarterlyReport, ReportStatus

    year, quarter = spec.current_quarter
    return list(
        QuarterlyReport.objects.filter(
            roadmap__school__municipality__region__code=spec.region_code,
            year=year,
            quarter=quarter,
            status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED],
        )
        .select_related("roadmap__school")
        .order_by("pk")[:count]
    )


def concurrent_saves(spec: synthetic.Synthetic, *, saves: int, log: Callable[[str], None] = print) -> Outcome | None:
    """Run the load; None when the report form is not there to save."""
    from roadmaps.models import ActivityReport

    from .worker import Server

    pairs = max(1, saves // 10)
    distinct = saves - 2 * pairs
    reports = _pick_reports(spec, distinct + pairs)
    if len(reports) < distinct + pairs:  # a small region: as many clients as it has open reports
        if len(reports) < 2:
            raise RuntimeError(f"в текущем квартале {len(reports)} открытых отчётов: сохранять нечего")
        pairs = max(1, len(reports) // 10)
        distinct = len(reports) - pairs
    clients: list[Client] = []
    for n, report in enumerate(reports):
        number = int(report.roadmap.school.code.rsplit("-", 1)[1])
        username = synthetic.director_username(spec.region_code, number)
        for _ in range(2 if n >= distinct else 1):
            clients.append(Client(report_id=report.pk, username=username, cookies=_login(username)))

    server = Server()
    try:
        url = {c.report_id: reverse("roadmaps:report-detail", args=[c.report_id]) for c in clients}
        log(f"  открываю {len(clients)} форм отчётов…")

        def open_form(client: Client) -> None:
            status, content = _request(server.port, client, "GET", url[client.report_id])
            if status != 200:
                raise RuntimeError(f"GET формы отчёта: {status}")
            parser = FormFields()
            parser.feed(content.decode("utf-8"))
            form = next(
                (f for f in parser.forms if any(k.startswith("line-") and k.endswith("-result") for k, _ in f)), None
            )
            if form is None:
                raise RuntimeError("на странице отчёта нет формы со строками отчёта")
            client.fields = [(k, v) for k, v in form if k != "action"]
            client.line_field = next(k for k, _ in client.fields if k.startswith("line-") and k.endswith("-result"))
            client.token = f"Сохранено под нагрузкой {uuid.uuid4().hex}"
            client.fields = [(k, client.token if k == client.line_field else v) for k, v in client.fields]

        with ThreadPoolExecutor(max_workers=16) as pool:
            list(pool.map(open_form, clients))

        barrier = threading.Barrier(len(clients), timeout=TIMEOUT)

        def save(client: Client) -> None:
            body = urlencode(client.fields)
            try:
                barrier.wait()
                started = time.perf_counter()
                client.status, _ = _request(server.port, client, "POST", url[client.report_id], body)
                client.seconds = time.perf_counter() - started
            except Exception as exc:  # noqa: BLE001 - a client failure is a result to report
                client.error = f"{exc.__class__.__name__}: {exc}"

        log(f"  {len(clients)} одновременных POST…")
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=len(clients)) as pool:
            list(pool.map(save, clients))
        wall = time.perf_counter() - started
    finally:
        server.stop()

    stored = dict(
        ActivityReport.objects.filter(pk__in={int(c.line_field.split("-")[1]) for c in clients}).values_list(
            "pk", "result"
        )
    )
    statuses: dict[int, int] = {}
    lost = unexpected = 0
    for c in clients:
        statuses[c.status or 0] = statuses.get(c.status or 0, 0) + 1
        saved_here = stored.get(int(c.line_field.split("-")[1])) == c.token
        if c.status == 302 and not saved_here:
            lost += 1  # told «saved», but the row holds something else
        elif c.status not in (302, 409):
            unexpected += 1
    times = sorted(c.seconds for c in clients if c.seconds is not None) or [0.0]
    return Outcome(
        requests=len(clients),
        statuses=statuses,
        lost=lost,
        server_errors=sum(n for code, n in statuses.items() if code >= 500),
        unexpected=unexpected,
        conflicts_expected=pairs,
        conflicts=statuses.get(409, 0),
        median=statistics.median(times),
        p95=times[min(len(times) - 1, int(len(times) * 0.95))],
        wall=wall,
        errors=[c.error for c in clients if c.error],
    )
