"""The one transition helper: a status change, its history row and its notification, in one place."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from core.transitions import transition, transition_record
from roadmaps.models import ReportTransition, RoadmapStatus, RoadmapTransition
from tests import factories as f

REFUSED = "Нельзя %(action)s: статус «%(status)s»."


def _stamp(roadmap, action, user, now):
    roadmap.submitted_at = now
    return ["submitted_at"]


@pytest.fixture
def roadmap(school):
    return f.RoadmapFactory(school=school, academic_year=2025)


def test_transition_changes_status_records_who_when_from_to_and_notifies_after_commit(
    roadmap, director, django_capture_on_commit_callbacks
):
    sent: list[int] = []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        entry = transition(
            roadmap,
            history=RoadmapTransition,
            user=director,
            action="submit",
            to_status=RoadmapStatus.SUBMITTED,
            allowed_from=(RoadmapStatus.DRAFT,),
            refused=REFUSED,
            stamp=_stamp,
            comment="Готово",
            notify=sent.append,
        )
    assert sent == []  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()
    assert sent == [entry.pk]
    entry.refresh_from_db()
    assert (entry.roadmap_id, entry.actor, entry.from_status, entry.to_status, entry.action, entry.comment) == (
        roadmap.pk,
        director,
        "draft",
        "submitted",
        "submit",
        "Готово",
    )
    assert entry.created_at is not None
    roadmap.refresh_from_db()
    assert roadmap.status == "submitted" and roadmap.submitted_at is not None


def test_the_callers_instance_gets_the_saved_values_back(roadmap, director):
    transition(
        roadmap,
        history=RoadmapTransition,
        user=director,
        action="submit",
        to_status=RoadmapStatus.SUBMITTED,
        allowed_from=(RoadmapStatus.DRAFT,),
        refused=REFUSED,
        stamp=_stamp,
    )
    assert roadmap.status == "submitted" and roadmap.submitted_at is not None


def test_a_move_the_status_does_not_allow_is_refused_with_the_models_action_label_and_writes_nothing(
    roadmap, director, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError) as exc:
        transition(
            roadmap,
            history=RoadmapTransition,
            user=director,
            action="approve",
            to_status=RoadmapStatus.APPROVED,
            allowed_from=(RoadmapStatus.SUBMITTED,),
            refused=REFUSED,
            notify=lambda pk: None,
        )
    assert exc.value.messages == ["Нельзя утвердить: статус «черновик»."]
    assert callbacks == []
    assert not RoadmapTransition.objects.exists()
    roadmap.refresh_from_db()
    assert roadmap.status == "draft"


def test_no_target_status_keeps_the_status_and_still_records_the_action(roadmap, director):
    entry = transition(
        roadmap,
        history=RoadmapTransition,
        user=director,
        action="certify",
        to_status=None,
        allowed_from=(RoadmapStatus.DRAFT,),
        refused=REFUSED,
    )
    assert (entry.from_status, entry.to_status, entry.action_label) == ("draft", "draft", "заверить")


def test_the_action_labels_live_with_each_history_models_choices():
    from reports.models import ReferenceTransition

    assert ReportTransition(action="submit").action_label == "отправить на проверку"
    assert RoadmapTransition(action="submit").action_label == "отправить на согласование"
    assert ReferenceTransition(action="sign").action_label == "подписана"


def test_transition_record_writes_the_models_extra_fields(methodist, municipality):
    from reports.models import ReferenceTransition

    reference = f.reference(municipality=municipality, created_by=methodist)
    entry = transition_record(
        ReferenceTransition,
        reference,
        actor=None,
        action="generate",
        from_status="draft",
        to_status="draft",
        version=None,
        comment="Версия 1",
    )
    assert entry.reference == reference and entry.actor is None and entry.action_label == "сформирована версия"
