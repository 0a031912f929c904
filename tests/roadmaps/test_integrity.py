"""Issue 11: what is uploaded, certified or mailed stays what it was (roadmaps side)."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django.core import mail
from django.urls import reverse

from roadmaps import services
from roadmaps.models import Evidence, QuarterlyReport, ReportStatus

from .conftest import PDF_BYTES, fill_lines
from .test_conflict_and_evidence import _save_with_file, upload

pytestmark = pytest.mark.django_db


# Evidence is served under the extension of its detected type ----------------------------------------


@pytest.mark.parametrize(
    ("uploaded", "served"),
    [
        ("Приказ.hta", "Приказ.pdf"),
        ("invoice.bat", "invoice.pdf"),
        ("report.html", "report.pdf"),
        ("без имени", "без имени.pdf"),
    ],
)
def test_evidence_is_served_with_the_extension_of_its_content(client, report, director, methodist, uploaded, served):
    _save_with_file(report, director, upload(uploaded, PDF_BYTES))
    evidence = Evidence.objects.get()
    client.force_login(methodist)
    response = client.get(reverse("roadmaps:evidence-download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert served_name(disposition) == served


def served_name(disposition: str) -> str:
    """The file name a browser saves under: the RFC 5987 `filename*` when present, else `filename`."""
    encoded = re.search(r"filename\*=utf-8''([^;]+)", disposition)
    if encoded:
        return unquote(encoded.group(1))
    return re.search(r'filename="([^"]*)"', disposition).group(1)


# Plain-text e-mails are not HTML-escaped ------------------------------------------------------------


def test_return_mail_keeps_the_comment_as_written(
    submitted_report, methodist, director, django_capture_on_commit_callbacks
):
    comment = 'Приложите "приказ" <b>№5</b> & протокол'
    line = submitted_report.lines.first()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(
            report=submitted_report,
            user=methodist,
            comment=comment,
            line_comments={line.pk: "Строка: <i>&</i>"},
            version=submitted_report.version,
        )
    message = mail.outbox[-1]
    assert message.to == [director.email]
    assert f"Замечание к отчёту: {comment}" in message.body
    assert "Строка: <i>&</i>" in message.body
    assert "&quot;" not in message.body and "&lt;" not in message.body and "&amp;" not in message.body
    assert "&" not in message.subject.replace(" & ", "")


def test_return_mail_names_the_report_and_the_line(
    submitted_report, methodist, director, django_capture_on_commit_callbacks
):
    """A second check of the e-mail on return: recipients, subject, link, every line comment."""
    lines = list(submitted_report.lines.select_related("activity").order_by("pk"))
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(
            report=submitted_report,
            user=methodist,
            comment="",
            line_comments={lines[0].pk: "Нет протокола", lines[1].pk: "Уточните число участников"},
            version=submitted_report.version,
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [director.email]
    assert "возвращ" in message.subject.lower()
    assert submitted_report.period_label in message.body
    assert reverse("roadmaps:report-detail", args=[submitted_report.pk]) in message.body
    assert f"Строка «{lines[0].activity.title}»: Нет протокола" in message.body
    assert f"Строка «{lines[1].activity.title}»: Уточните число участников" in message.body
    assert "Замечание к отчёту" not in message.body


# A methodist's «submit» is refused before anything is saved --------------------------------------------


def test_methodist_submit_through_the_form_saves_nothing(client, report, methodist):
    line = report.lines.order_by("pk").first()
    before = (report.version, list(report.lines.values_list("status", "result")))
    client.force_login(methodist)
    response = client.post(
        reverse("roadmaps:report-detail", args=[report.pk]),
        {
            "version": report.version,
            "action": "submit",
            f"line-{line.pk}-status": "done",
            f"line-{line.pk}-result": "Проведено",
            f"line-{line.pk}-participants": "5",
        },
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert (report.version, list(report.lines.values_list("status", "result"))) == before
    assert report.status == ReportStatus.DRAFT
    assert report.history.count() == 1


# Any change to a certified report voids the certification ---------------------------------------------

VOIDED = "Заверение снято: отчёт изменён после заверения"


@pytest.fixture
def certified_report(submitted_report, curator):
    services.report_certify(report=submitted_report, user=curator, version=submitted_report.version)
    submitted_report.refresh_from_db()
    assert submitted_report.certified_at is not None
    return submitted_report


def _assert_voided(report, client, viewer, *, because: str):
    report.refresh_from_db()
    assert report.certified_at is None and report.certified_by is None
    entry = report.transitions.filter(action="uncertify").get()
    assert entry.comment.startswith(VOIDED) and because in entry.comment
    client.force_login(viewer)
    page = client.get(reverse("roadmaps:report-detail", args=[report.pk])).content.decode()
    assert f'id="certification-voided">{VOIDED}' in page
    assert "Заверение снято" in page.split('id="history"', 1)[1]


def test_return_voids_the_certification(client, certified_report, methodist, director):
    services.report_return(
        report=certified_report, user=methodist, comment="Уточните результаты", version=certified_report.version
    )
    _assert_voided(certified_report, client, director, because="возвращён на доработку")


def test_reopen_voids_the_certification(client, certified_report, methodist, director):
    services.report_approve(report=certified_report, user=methodist, version=certified_report.version)
    certified_report.refresh_from_db()
    assert certified_report.certified_at is not None  # approval changes nothing the curator certified
    services.report_reopen(
        report=certified_report, user=methodist, reason="Ошибка в дате", version=certified_report.version
    )
    _assert_voided(certified_report, client, director, because="открыт для исправления")


def test_a_line_save_voids_the_certification(client, certified_report, curator, director):
    # A returned report still carrying a certification (recorded before this rule) is edited.
    QuarterlyReport.objects.filter(pk=certified_report.pk).update(status=ReportStatus.RETURNED)
    fill_lines(certified_report, director, result="Проведено 3 семинара")
    _assert_voided(certified_report, client, director, because="изменены строки")


def test_resubmission_voids_the_certification(client, certified_report, curator, director):
    QuarterlyReport.objects.filter(pk=certified_report.pk).update(status=ReportStatus.RETURNED)
    certified_report.refresh_from_db()
    services.report_submit(report=certified_report, user=director, version=certified_report.version)
    _assert_voided(certified_report, client, director, because="отправлен на проверку повторно")
    # The curator may certify the resubmitted report again.
    services.report_certify(report=certified_report, user=curator, version=certified_report.version)
    certified_report.refresh_from_db()
    assert certified_report.certified_at is not None
    client.force_login(director)
    page = client.get(reverse("roadmaps:report-detail", args=[certified_report.pk])).content.decode()
    assert 'id="certification-voided"' not in page


def test_every_accepted_evidence_type_has_its_download_extension():
    from core.downloads import EXTENSIONS
    from roadmaps.services.evidence import ALLOWED

    for extension, content_type in ALLOWED.items():
        assert EXTENSIONS[content_type] == f".{extension}"
