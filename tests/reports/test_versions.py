"""Lost updates of references (issue 11): the narrative text, generating a version, redrafting the
conclusions, and sending, signing and returning carry the version of the reference they were made
against (core.versions); a stale one is refused naming who changed what and writes nothing, a fresh
one works."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from core.versions import StaleVersion
from reports import services
from reports.models import AnalyticalReference, ReferenceStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


def _generate(reference, user, capture) -> None:
    with capture(execute=True):
        services.reference_generate(reference=reference, user=user)


def _fresh(reference) -> AnalyticalReference:
    return AnalyticalReference.objects.get(pk=reference.pk)


@pytest.fixture
def colleague(methodist):
    return f.user_with_role("methodist", municipality=methodist.memberships.first().municipality)


@pytest.fixture
def reviewed(make_reference, methodist):
    reference = make_reference("roadmap-monitoring")
    return services.reference_update(
        reference=reference,
        user=methodist,
        data={"decisions": "внести корректировки в «дорожную карту»"},
        recommendations=[],
    )


def test_two_tabs_of_the_text_the_second_is_refused(client, reviewed, methodist, colleague):
    url = reverse("reports:edit", args=[reviewed.pk])
    client.force_login(methodist)
    opened = _fresh(reviewed).version
    assert f'name="version" value="{opened}"' in client.get(url).content.decode()
    services.reference_update(
        reference=reviewed, user=colleague, data={"goal": "Цель коллеги"}, recommendations=[], version=opened
    )
    with pytest.raises(StaleVersion) as exc:
        services.reference_update(
            reference=reviewed, user=methodist, data={"goal": "Моя цель"}, recommendations=[], version=opened
        )
    message = exc.value.message
    assert message.startswith(f"Справку уже изменил(а) {colleague.short_name} (")
    assert "цель" in message
    assert _fresh(reviewed).goal == "Цель коллеги"
    # Through the page: refused with the input kept, then saved from a fresh version.
    data = {"version": opened, "title": "Справка", "goal": "Моя цель", "precision": 2, "rec-TOTAL_FORMS": 0}
    data.update({"rec-INITIAL_FORMS": 0, "rec-MIN_NUM_FORMS": 0, "rec-MAX_NUM_FORMS": 1000})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Справку уже изменил(а)" in response.content.decode()
    assert _fresh(reviewed).goal == "Цель коллеги"
    response = client.post(url, {**data, "version": _fresh(reviewed).version})
    assert response.status_code == 302
    assert _fresh(reviewed).goal == "Моя цель"


def test_stale_send_is_refused(client, reviewed, methodist, colleague, django_capture_on_commit_callbacks):
    _generate(reviewed, methodist, django_capture_on_commit_callbacks)
    client.force_login(methodist)
    page = client.get(reverse("reports:detail", args=[reviewed.pk])).content.decode()
    seen = _fresh(reviewed).version
    assert f'name="version" value="{seen}"' in page
    services.reference_update(
        reference=reviewed, user=colleague, data={"goal": "Цель коллеги"}, recommendations=[], version=seen
    )
    _generate(reviewed, colleague, django_capture_on_commit_callbacks)
    response = client.post(reverse("reports:send", args=[reviewed.pk]), {"version": seen}, follow=True)
    assert "Справку уже изменил(а)" in response.content.decode()
    assert _fresh(reviewed).status == ReferenceStatus.DRAFT
    client.post(reverse("reports:send", args=[reviewed.pk]), {"version": _fresh(reviewed).version})
    assert _fresh(reviewed).status == ReferenceStatus.SENT


@pytest.fixture
def resent(reviewed, methodist, head, django_capture_on_commit_callbacks):
    """Sent; another head returns it, the methodist changes the text and sends it again. Returns the
    version the first head read."""
    _generate(reviewed, methodist, django_capture_on_commit_callbacks)
    services.reference_send(reference=reviewed, user=methodist, version=_fresh(reviewed).version)
    seen = _fresh(reviewed).version
    other_head = f.user_with_role("head", municipality=reviewed.municipality)
    services.reference_return(reference=reviewed, user=other_head, comment="Уточните", version=seen)
    services.reference_update(
        reference=reviewed, user=methodist, data={"goal": "Новая цель"}, recommendations=[], version=None
    )
    _generate(reviewed, methodist, django_capture_on_commit_callbacks)
    services.reference_send(reference=reviewed, user=methodist, version=_fresh(reviewed).version)
    return seen


def test_stale_sign_is_refused(client, reviewed, resent, head, django_capture_on_commit_callbacks):
    url = reverse("reports:sign", args=[reviewed.pk])
    client.force_login(head)
    data = {
        "version": resent,
        "position": "Начальник управления образования",
        "name": "Н.А. Бозина",
        "signed_on": dt.date.today().strftime("%d.%m.%Y"),
        "outgoing_number": "00-14/1",
        "kind": "approve",
    }
    response = client.post(url, data)
    assert "Справку уже изменил(а)" in response.content.decode()
    assert _fresh(reviewed).status == ReferenceStatus.SENT
    assert not reviewed.versions.filter(signed_at__isnull=False).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**data, "version": _fresh(reviewed).version})
    assert _fresh(reviewed).status == ReferenceStatus.SIGNED


def test_stale_return_is_refused(client, reviewed, resent, head):
    url = reverse("reports:return", args=[reviewed.pk])
    client.force_login(head)
    response = client.post(url, {"version": resent, "comment": "Исправьте"}, follow=True)
    assert "Справку уже изменил(а)" in response.content.decode()
    assert _fresh(reviewed).status == ReferenceStatus.SENT
    client.post(url, {"version": _fresh(reviewed).version, "comment": "Исправьте"})
    assert _fresh(reviewed).status == ReferenceStatus.RETURNED


def _button_version(page: str, name: str, reference) -> int:
    """The version the page's form for the `name` button posts."""
    action = reverse(f"reports:{name}", args=[reference.pk])
    form = re.search(rf'action="{re.escape(action)}"[^>]*>(.*?)</form>', page, re.DOTALL)
    assert form, f"the page has no {name} form"
    found = re.search(r'name="version" value="(\d+)"', form.group(1))
    assert found, f"the {name} form posts no version"
    return int(found.group(1))


def test_stale_generate_is_refused(client, reviewed, methodist, colleague, django_capture_on_commit_callbacks):
    client.force_login(methodist)
    page = client.get(reverse("reports:detail", args=[reviewed.pk])).content.decode()
    seen = _button_version(page, "generate", reviewed)
    assert seen == _fresh(reviewed).version
    services.reference_update(
        reference=reviewed, user=colleague, data={"goal": "Цель коллеги"}, recommendations=[], version=seen
    )
    url = reverse("reports:generate", args=[reviewed.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"version": seen}, follow=True)
    text = response.content.decode()
    assert f"Справку уже изменил(а) {colleague.short_name} (" in text
    assert "Изменено: цель." in text
    assert not reviewed.versions.exists()
    assert _fresh(reviewed).current_version_id is None
    # Without a version at all (an old page, a hand-made post) it is refused the same way.
    client.post(url)
    assert not reviewed.versions.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"version": _fresh(reviewed).version})
    assert reviewed.versions.get().narrative["goal"] == "Цель коллеги"


def test_generate_after_another_generation_names_the_version(
    client, reviewed, methodist, colleague, django_capture_on_commit_callbacks
):
    seen = _fresh(reviewed).version
    _generate(reviewed, colleague, django_capture_on_commit_callbacks)
    with pytest.raises(StaleVersion) as exc:
        services.reference_generate(reference=reviewed, user=methodist, version=seen)
    assert exc.value.message.startswith(f"Справку уже изменил(а) {colleague.short_name} (")
    assert "сформирована версия 1" in exc.value.message
    assert reviewed.versions.count() == 1


def test_stale_redraft_is_refused(client, reviewed, methodist, colleague):
    client.force_login(methodist)
    page = client.get(reverse("reports:detail", args=[reviewed.pk])).content.decode()
    seen = _button_version(page, "redraft", reviewed)
    assert seen == _fresh(reviewed).version
    services.reference_update(
        reference=reviewed,
        user=colleague,
        data={"conclusions": "Выводы коллеги"},
        recommendations=[],
        version=seen,
    )
    url = reverse("reports:redraft", args=[reviewed.pk])
    response = client.post(url, {"version": seen}, follow=True)
    text = response.content.decode()
    assert f"Справку уже изменил(а) {colleague.short_name} (" in text
    assert "Изменено: выводы." in text
    after = _fresh(reviewed)
    assert after.conclusions == "Выводы коллеги" and not after.draft_pending
    client.post(url)
    assert _fresh(reviewed).conclusions == "Выводы коллеги"
    client.post(url, {"version": after.version})
    redrafted = _fresh(reviewed)
    assert redrafted.draft_pending and redrafted.conclusions != "Выводы коллеги"
