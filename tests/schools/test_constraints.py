"""Database constraints of the registry: they hold even when a write bypasses the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from schools.models import CuratorAssignment, PartnerAssignment
from tests import factories as f


def test_registry_allows_one_entry_per_school_and_year(school):
    f.RegistryEntryFactory(school=school, academic_year=2020)
    f.RegistryEntryFactory(school=school, academic_year=2021)  # another year is fine
    with pytest.raises(IntegrityError), transaction.atomic():
        f.RegistryEntryFactory(school=school, academic_year=2020)


def test_registry_exclusion_needs_reason(school):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.RegistryEntryFactory(school=school, excluded_on=dt.date(2021, 5, 1), exclusion_reason="")


def test_registry_exclusion_not_before_inclusion(school):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.RegistryEntryFactory(
            school=school, included_on=dt.date(2020, 9, 1), excluded_on=dt.date(2020, 8, 31), exclusion_reason="Рост"
        )


def test_partner_cannot_be_itself(school):
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerAssignment.objects.create(school=school, leader=school, date_from=dt.date(2020, 9, 1))


def test_curator_unassigned_after_assigned(school):
    with pytest.raises(IntegrityError), transaction.atomic():
        CuratorAssignment.objects.create(
            school=school, full_name="А.А. Петрова", assigned_on=dt.date(2021, 1, 1), unassigned_on=dt.date(2020, 1, 1)
        )
