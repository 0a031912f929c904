"""`load_demo`: the organisations and users of the source documents, idempotent, contract output."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.apps import apps
from django.core.management import call_command

from core.models import User
from schools.models import CuratorAssignment, PartnerAssignment, RegistryEntry, School

EXPECTED_USERS = {
    "admin": "admin",
    "coord.bryansk": "coordinator",
    "coord.belgorod": "coordinator",
    "head.bryansk": "head",
    "head.belgorod": "head",
    "head.kotelnikovo": "head",
    "metod.belgorod": "methodist",
    "metod.kotelnikovo": "methodist",
    "metod.krylovsky": "methodist",
    "metod.rognedino": "methodist",
    "curator.belgorod": "curator",
    "curator.kotelnikovo": "curator",
    "dir.zhuravlevka": "director",
    "dir.nikolskaya": "director",
    "dir.krasnoyarsk": "director",
    "dir.gobik": "director",
}


def _run() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("load_demo", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo twice into the test database once for this module; undone at the end."""
    with django_db_blocker.unblock():
        from django.db import connection, transaction
        from django.test import override_settings

        # Module-scoped, so the per-test fast settings are not in force yet: set the hasher here.
        fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
        fast.enable()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            first = _run()
            counts_first = _counts()
            second = _run()
            counts_second = _counts()
            yield {"first": first, "second": second, "counts": (counts_first, counts_second)}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            fast.disable()
            connection.close()


# Marked django_db so that pytest-django runs them with the other database tests, before any
# transactional test flushes the catalogue rows the data migrations put in.
@pytest.mark.django_db
def test_second_run_changes_no_row_count(demo):
    first, second = demo["counts"]
    assert first == second
    assert first["schools.School"] == 36  # 6 + 16 + 7 + 4 + 3, leader schools included
    assert first["portal.User"] == 16


@pytest.mark.django_db
def test_output_is_one_tab_separated_line_per_user_and_identical(demo):
    out_first, _err = demo["first"]
    out_second, _err = demo["second"]
    assert out_first == out_second
    lines = out_first.splitlines()
    rows = [line.split("\t") for line in lines]
    assert all(len(r) == 4 for r in rows), lines
    assert {login: role for role, login, _pw, _scope in rows} == EXPECTED_USERS
    assert all(pw == "demo" for _role, _login, pw, _scope in rows)
    scopes = {login: scope for _role, login, _pw, scope in rows}
    assert scopes["metod.belgorod"] == "Белгородский район"
    assert scopes["coord.bryansk"] == "Брянская область"
    assert scopes["dir.zhuravlevka"] == "МОУ «Журавлевская СОШ»"
    assert scopes["admin"] == "все организации"


@pytest.mark.django_db
def test_demo_contents_match_the_source_documents(demo):
    teachers = dict(School.objects.filter(code__startswith="BEL-0").values_list("name", "teachers_count"))
    assert teachers == {
        "МОУ «Журавлевская СОШ»": 17,
        "МОУ «Никольская средняя школа»": 37,
        "МОУ «Солохинская СОШ»": 15,
        "МОУ «Яснозоренская СОШ»": 35,
        "МОУ «Малиновская ООШ» (здание с. Петровка)": 8,
    }
    assert School.objects.filter(code__startswith="BRY-").count() == 16
    assert School.objects.get(code="BRY-09").name == "МБОУ «Гобикская СОШ Рогнединского района Брянской области»"
    assert School.objects.filter(municipality__code="KRD-KRYL").count() == 7
    assert set(School.objects.filter(municipality__code="SMO-DOR", is_leader=False).values_list("code", flat=True)) == {
        "SMO-01",
        "SMO-02",
    }
    partners = PartnerAssignment.objects.filter(leader__code="BEL-L1")
    assert sorted(partners.values_list("school__code", flat=True)) == ["BEL-01", "BEL-02", "BEL-03", "BEL-04", "BEL-05"]
    excluded = RegistryEntry.objects.get(school__code="VLG-01", academic_year=2020)
    assert excluded.excluded_on == dt.date(2021, 5, 20)
    assert "Налажено взаимодействие со школой – наставником." in excluded.exclusion_reason
    assert not RegistryEntry.objects.filter(school__code="VLG-01", academic_year=2021).exists()
    curated = CuratorAssignment.objects.filter(user__username="curator.belgorod").values_list("school__code", flat=True)
    assert sorted(curated) == ["BEL-01", "BEL-02", "BEL-03", "BEL-04", "BEL-05"]


@pytest.mark.django_db
def test_demo_users_log_in_with_password_demo(demo):
    for username in EXPECTED_USERS:
        assert User.objects.get(username=username).check_password("demo"), username
