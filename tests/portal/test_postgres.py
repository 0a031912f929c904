"""The suite really runs on PostgreSQL when DATABASE_URL says so (CI): the test database, the
constraints and the row locks our services rely on behave as in production."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from core.models import Membership
from schools.models import RegistryEntry, School
from tests import factories as f

pytestmark = pytest.mark.postgres


@pytest.mark.django_db
def test_runs_on_the_postgresql_test_database():
    assert connection.vendor == "postgresql"
    assert str(connection.settings_dict["NAME"]).startswith("test_")
    assert connection.pg_version >= 130000
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_encoding")
        assert cursor.fetchone()[0] == "UTF8"


@pytest.mark.django_db
def test_check_constraints_are_enforced_by_the_server(school):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=f.UserFactory(), role="director")  # a director needs a school
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistryEntry.objects.create(
            school=school,
            academic_year=2021,
            category="shnor",
            included_on=dt.date(2021, 9, 1),
            excluded_on=dt.date(2022, 5, 31),
            exclusion_reason="",
        )


@pytest.mark.django_db
def test_cyrillic_text_round_trips_and_sorts(municipality):
    for code, name in [("X-2", "МОУ «Яснозоренская СОШ»"), ("X-1", "МОУ «Журавлевская СОШ»")]:
        f.SchoolFactory(municipality=municipality, code=code, name=name)
    names = list(School.objects.filter(code__startswith="X-").order_by("name").values_list("name", flat=True))
    assert names == ["МОУ «Журавлевская СОШ»", "МОУ «Яснозоренская СОШ»"]


@pytest.mark.django_db(transaction=True)
def test_skip_locked_lets_a_second_worker_pass_a_claimed_row(municipality):
    """Job claiming in tasks uses select_for_update(skip_locked=True): a locked row is skipped."""
    school = f.SchoolFactory(municipality=municipality)
    seen_by_other: list[list[int]] = []

    def other_worker() -> None:
        try:
            with transaction.atomic():
                seen_by_other.append(
                    list(
                        School.objects.select_for_update(skip_locked=True)
                        .filter(pk=school.pk)
                        .values_list("pk", flat=True)
                    )
                )
        finally:
            connections.close_all()

    with transaction.atomic():
        assert School.objects.select_for_update().get(pk=school.pk) == school
        thread = threading.Thread(target=other_worker)
        thread.start()
        thread.join(timeout=20)
    assert seen_by_other == [[]]
