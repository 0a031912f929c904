"""The report page writes the line inputs as plain HTML (issue 7: widget rendering was three
quarters of the page's time): the markup must carry what Django's widgets would — names, ids, the
saved or posted values, selected status, errors tied to their inputs for screen readers."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from roadmaps.forms import LineForm

pytestmark = pytest.mark.django_db


def _tag(html: str, tag: str, element_id: str) -> str:
    match = re.search(rf'<{tag}\b[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
    assert match, f"no <{tag} id={element_id}>"
    return match.group(0)


def test_saved_values_are_shown_in_the_inputs(client, director, report):
    line = report.lines.order_by("pk").first()
    line.status = "done"
    line.started_on = dt.date(2021, 1, 5)
    line.finished_on = dt.date(2021, 2, 7)
    line.participants = 12
    line.result = "Семинар «Учитель & ученик» <проведён>"
    line.save()
    client.force_login(director)
    html = client.get(reverse("roadmaps:report-detail", args=[report.pk])).content.decode()
    p = f"line-{line.pk}"
    assert '<option value="done" selected>выполнено</option>' in html
    assert f'name="{p}-status"' in _tag(html, "select", f"id_{p}-status")
    assert 'value="05.01.2021"' in _tag(html, "input", f"id_{p}-started_on")
    assert 'value="07.02.2021"' in _tag(html, "input", f"id_{p}-finished_on")
    participants = _tag(html, "input", f"id_{p}-participants")
    assert 'type="number"' in participants and 'value="12"' in participants and 'min="0"' in participants
    assert "Семинар «Учитель &amp; ученик» &lt;проведён&gt;</textarea>" in html  # escaped, not markup
    assert f'<label class="form-label small mb-0" for="id_{p}-result">Результат</label>' in html
    assert "aria-invalid" not in html


def test_invalid_post_keeps_the_input_and_ties_errors_to_the_fields(client, director, report):
    lines = list(report.lines.order_by("pk"))
    data = {"version": report.version, "action": "save"}
    for line in lines:
        data[f"line-{line.pk}-status"] = "in_progress"
    bad = lines[0]
    p = f"line-{bad.pk}"
    data.update({f"{p}-started_on": "32.01.2021", f"{p}-participants": "-3", f"{p}-result": "Черновик <b>"})
    client.force_login(director)
    response = client.post(reverse("roadmaps:report-detail", args=[report.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    started = _tag(html, "input", f"id_{p}-started_on")
    assert 'value="32.01.2021"' in started
    assert f'aria-invalid="true" aria-describedby="id_{p}-started_on_error"' in started
    assert (
        f'<div id="id_{p}-started_on_error"><div class="invalid-feedback d-block">'
        "Укажите в поле «Дата начала» существующую дату в формате ДД.ММ.ГГГГ.</div>" in html
    )
    assert 'value="-3"' in _tag(html, "input", f"id_{p}-participants")
    assert f'id="id_{p}-participants_error"' in html
    assert "Черновик &lt;b&gt;</textarea>" in html
    other = f"line-{lines[1].pk}"
    assert "aria-invalid" not in _tag(html, "input", f"id_{other}-started_on")
    assert '<option value="in_progress" selected>в работе</option>' in html


def test_inputs_match_the_widgets_values(report):
    """`LineForm.inputs` gives what the widgets would render, bound or not."""
    line = report.lines.order_by("pk").first()
    line.started_on = dt.date(2021, 3, 9)
    form = LineForm(line=line)
    inputs = form.inputs()
    for name in ("started_on", "finished_on", "participants", "result", "reason"):
        rendered = str(form[name])
        assert f'name="{inputs[name]["name"]}"' in rendered and f'id="{inputs[name]["id"]}"' in rendered
    assert inputs["started_on"]["value"] == "09.03.2021"
    assert [o["value"] for o in inputs["status"]["options"]] == ["", "done", "in_progress", "not_done", "postponed"]


def _post_all(report, action: str, by_line: dict | None = None) -> dict:
    """Every line «в работе» with a result, except the lines given as {pk: (status, reason)}."""
    data = {"version": report.version, "action": action}
    for line in report.lines.all():
        status, reason = (by_line or {}).get(line.pk, ("in_progress", ""))
        data.update(
            {f"line-{line.pk}-status": status, f"line-{line.pk}-result": "Идёт", f"line-{line.pk}-reason": reason}
        )
    return data


@pytest.mark.parametrize(("status", "label"), [("postponed", "перенесено"), ("not_done", "не выполнено")])
def test_a_line_needing_a_reason_names_the_missing_reason_at_its_field(client, director, report, status, label):
    """Issue 13: the submit refusal's banner named the line; the reason field itself now says it, tied
    to the field for screen readers, and the summary above the form links to it."""
    lines = list(report.lines.order_by("pk"))
    bad, fine = lines[0], lines[1]
    data = _post_all(report, "submit", {bad.pk: (status, ""), fine.pk: (status, "Карантин")})
    client.force_login(director)
    url = reverse("roadmaps:report-detail", args=[report.pk])
    response = client.post(url, data, follow=True)
    html = response.content.decode()
    assert "Черновик сохранён, но отчёт не отправлен. Исправьте:" in html  # the banner stays
    p = f"line-{bad.pk}"
    reason = _tag(html, "textarea", f"id_{p}-reason")
    assert f'aria-invalid="true" aria-describedby="id_{p}-reason_error"' in reason
    message = f"Укажите причину: со статусом «{label}» отчёт без неё не отправить на проверку."
    assert f'<div id="id_{p}-reason_error"><div class="invalid-feedback d-block">{message}</div>' in html
    assert "aria-invalid" not in _tag(html, "textarea", f"id_line-{fine.pk}-reason")
    summary = re.search(r'<div class="alert alert-danger" role="alert" id="report-errors"[^>]*>(.*?)</div>', html, re.S)
    assert summary, "no error summary"
    assert "data-focus-on-load" not in summary.group(0)  # after a redirect the banner speaks first
    assert f'href="#id_{p}-reason"' in summary.group(1) and message in summary.group(1)
    assert summary.group(1).count("<li>") == 1


def test_a_refused_post_puts_every_error_in_the_summary_and_focuses_it(client, director, report):
    lines = list(report.lines.order_by("pk"))
    data = _post_all(report, "save", {lines[1].pk: ("postponed", "")})
    data[f"line-{lines[0].pk}-started_on"] = "31.02.2021"
    client.force_login(director)
    response = client.post(reverse("roadmaps:report-detail", args=[report.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    summary = re.search(r'<div class="alert alert-danger" role="alert" id="report-errors"[^>]*>(.*?)</div>', html, re.S)
    assert summary and "data-focus-on-load" in summary.group(0)
    items = re.findall(r'<li><a class="alert-link" href="#([^"]+)">([^<]+)</a></li>', summary.group(1))
    assert [href for href, _ in items] == [f"id_line-{lines[0].pk}-started_on", f"id_line-{lines[1].pk}-reason"]
    assert items[0][1].startswith("Строка 1 «") and "«Начало» — Укажите в поле «Дата начала»" in items[0][1]


def test_a_complete_draft_has_no_error_summary(client, director, report):
    client.force_login(director)
    html = client.get(reverse("roadmaps:report-detail", args=[report.pk])).content.decode()
    assert 'id="report-errors"' not in html and "aria-invalid" not in html


def test_reason_missing_only_for_the_statuses_that_need_a_reason():
    from roadmaps.forms import reason_missing

    assert reason_missing("postponed", "  \n")
    assert reason_missing("not_done", "")
    assert not reason_missing("postponed", "Карантин")
    assert not reason_missing("done", "")
    assert not reason_missing("in_progress", "")
    assert not reason_missing("", "")
