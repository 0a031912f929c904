"""The pages of a reference: list, create, detail, text, and the workflow actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import apply_service_errors, message_service_errors
from core.lists import ListPage, filtered_queryset, paginate
from core.scope import has_role, municipalities_for
from core.versions import posted_version

from .. import permissions, selectors, services
from ..document import TEMPLATE_FIELDS, document_build
from ..filters import ReferenceFilterSet
from ..forms import (
    NarrativeForm,
    RecommendationFormSet,
    ReferenceCreateForm,
    ReturnForm,
    SignForm,
)
from ..models import ReferenceStatus
from ..selectors.snapshot import snapshot_compute
from ..selectors.warnings import author_warnings
from .common import _reference, _require_viewer


@login_required
@require_GET
def reference_list(request: HttpRequest) -> HttpResponse:
    """The user's references; the coordinator sees every municipality of the region with filters."""
    _require_viewer(request)
    filterset = ReferenceFilterSet(
        request.GET,
        queryset=selectors.reference_list(request.user),
        request=request,
        with_municipality=municipalities_for(request.user).active()[:2].count() > 1,
    )
    references = filtered_queryset(request, filterset)
    listing = ListPage(filter=filterset, page=paginate(request, references))
    signed_count = selectors.signed_versions_for(request.user, references).count()
    return render(
        request,
        "reports/reference_list.html",
        {
            "listing": listing,
            "form": filterset.form,
            "page": listing.page,
            "can_create": permissions.can_create(request.user),
            "can_zip": has_role(request.user, *permissions.ZIP_ROLES),
            "signed_count": signed_count,
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reference_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create(request.user):
        raise PermissionDenied("Создавать справки могут методисты и региональные координаторы.")
    scopes = permissions.creatable_scopes(request.user)
    form = ReferenceCreateForm(request.POST or None, scopes=scopes)
    if request.method == "POST" and form.is_valid():
        kind, _, code = form.cleaned_data["scope"].partition(":")
        try:
            reference = services.reference_create(
                user=request.user,
                template=form.cleaned_data["template"],
                scope_kind=kind,
                scope_code=code,
                date_from=form.cleaned_data["date_from"],
                date_to=form.cleaned_data["date_to"],
                title=form.cleaned_data["title"],
                precision=form.cleaned_data["precision"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                "Справка создана. Выводы и замечания предложены порталом по данным — проверьте и отредактируйте их.",
            )
            return redirect("reports:detail", pk=reference.pk)
    return render(request, "reports/reference_form.html", {"form": form})


def _live_snapshot(reference) -> dict:
    """Today's data of the reference's scope and period (the page's figures and the author's warnings)."""
    return snapshot_compute(
        scope_kind=reference.scope_kind,
        scope_code=reference.scope_code,
        date_from=reference.date_from,
        date_to=reference.date_to,
        template=reference.template,
    )


@login_required
@require_GET
def reference_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Today's figures, the text, the versions with their signatures, the job and the audit trail."""
    reference = _reference(request, pk)
    snapshot = _live_snapshot(reference)
    narrative = services.narrative_of(reference)
    doc = document_build(
        snapshot=snapshot, narrative=narrative, template=reference.template, precision=reference.precision
    )
    versions = list(selectors.versions_of(reference))
    latest = next((v for v in versions if v.pk == reference.current_version_id), versions[0] if versions else None)
    job = getattr(latest, "job", None) if latest else None
    return render(
        request,
        "reports/reference_detail.html",
        {
            "reference": reference,
            "doc": doc,
            "warnings": author_warnings(snapshot),
            "versions": versions,
            "latest": latest,
            "job": job,
            "transitions": reference.transitions.select_related("actor", "version"),
            "recommendations": reference.recommendations.all(),
            "can_prepare": permissions.can_prepare(request.user, reference),
            "can_sign": permissions.can_sign(request.user, reference),
            "fields": TEMPLATE_FIELDS[reference.template],
            "is_sent": reference.status == ReferenceStatus.SENT,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reference_edit(request: HttpRequest, pk: int) -> HttpResponse:
    reference = _reference(request, pk)
    permissions.require_preparer(request.user, reference)
    if reference.status == ReferenceStatus.SENT:
        messages.error(request, "Справка на подписании: изменить её можно после возврата руководителем.")
        return redirect("reports:detail", pk=reference.pk)
    visible = TEMPLATE_FIELDS[reference.template]
    initial_recs = [
        {"addressee": r.addressee, "text": r.text, "deadline": r.deadline} for r in reference.recommendations.all()
    ]
    # The version the text was opened at (kept stale on a refused save, so a blind resubmit is refused again).
    version = posted_version(request.POST) if request.method == "POST" else reference.version
    if request.method == "POST":
        form = NarrativeForm(request.POST, instance=reference, visible=visible)
        formset = RecommendationFormSet(request.POST, prefix="rec")
        if form.is_valid() and formset.is_valid():
            data = {name: form.cleaned_data[name] for name in form.cleaned_data if not name.startswith("paragraph_")}
            data["paragraphs"] = form.paragraphs()
            recs = [
                f.cleaned_data
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("text")
            ]
            try:
                services.reference_update(
                    reference=reference, user=request.user, data=data, recommendations=recs, version=version
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, "Текст справки сохранён. Сформируйте новую версию, чтобы обновить PDF.")
                return redirect("reports:detail", pk=reference.pk)
    else:
        form = NarrativeForm(instance=reference, visible=visible)
        formset = RecommendationFormSet(initial=initial_recs, prefix="rec")
    snapshot = _live_snapshot(reference)
    return render(
        request,
        "reports/reference_edit.html",
        {
            "reference": reference,
            "form": form,
            "formset": formset,
            "visible": visible,
            "form_version": version,
            "warnings": author_warnings(snapshot),
        },
    )


def _post_action(request: HttpRequest, pk: int, action) -> HttpResponse:
    reference = _reference(request, pk)
    try:
        message = action(reference)
    except ValidationError as exc:
        message_service_errors(request, exc)
    else:
        if message:
            messages.success(request, message)
    return redirect("reports:detail", pk=reference.pk)


@login_required
@require_POST
def reference_redraft(request: HttpRequest, pk: int) -> HttpResponse:
    def act(reference):
        services.reference_redraft(reference=reference, user=request.user, version=posted_version(request.POST))
        return "Выводы и замечания заменены черновиком по текущим данным. Проверьте и сохраните текст."

    return _post_action(request, pk, act)


@login_required
@require_POST
def reference_generate(request: HttpRequest, pk: int) -> HttpResponse:
    def act(reference):
        before = reference.versions.count()
        version = services.reference_generate(
            reference=reference, user=request.user, version=posted_version(request.POST)
        )
        if reference.versions.count() == before:
            return f"Данные и текст совпадают с версией {version.number}: она не формируется повторно."
        return f"Версия {version.number} поставлена в очередь на формирование."

    return _post_action(request, pk, act)


@login_required
@require_POST
def reference_send(request: HttpRequest, pk: int) -> HttpResponse:
    def act(reference):
        services.reference_send(reference=reference, user=request.user, version=posted_version(request.POST))
        return "Справка направлена руководителю на подписание."

    return _post_action(request, pk, act)


@login_required
@require_http_methods(["GET", "POST"])
def reference_sign(request: HttpRequest, pk: int) -> HttpResponse:
    reference = _reference(request, pk)
    permissions.require_signer(request.user, reference)
    if reference.status != ReferenceStatus.SENT:
        messages.error(request, "Подписать можно только справку, направленную на подписание.")
        return redirect("reports:detail", pk=reference.pk)
    version = reference.versions.defer("pdf", "xlsx", "snapshot").filter(pk=reference.current_version_id).first()
    user = request.user
    initial = {
        "position": user.position or services.signer_position(reference),
        "name": user.short_name,
        "signed_on": timezone.localdate(),
        "outgoing_number": reference.outgoing_number,
    }
    form = SignForm(request.POST or None, initial=initial)
    form_version = posted_version(request.POST) if request.method == "POST" else reference.version
    return_form = ReturnForm()
    if request.method == "POST" and form.is_valid():
        try:
            services.reference_sign(
                reference=reference,
                user=user,
                position=form.cleaned_data["position"],
                name=form.cleaned_data["name"],
                signed_on=form.cleaned_data["signed_on"],
                outgoing_number=form.cleaned_data["outgoing_number"],
                kind=form.cleaned_data["kind"],
                version=form_version,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Справка подписана. PDF с подписью формируется и после этого не изменится.")
            return redirect("reports:detail", pk=reference.pk)
    return render(
        request,
        "reports/reference_sign.html",
        {
            "reference": reference,
            "version": version,
            "form": form,
            "return_form": return_form,
            "form_version": form_version,
        },
    )


@login_required
@require_POST
def reference_return(request: HttpRequest, pk: int) -> HttpResponse:
    reference = _reference(request, pk)
    permissions.require_signer(request.user, reference)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Укажите, что нужно исправить: без комментария справку вернуть нельзя.")
        return redirect("reports:sign", pk=reference.pk)

    def act(ref):
        services.reference_return(
            reference=ref, user=request.user, comment=form.cleaned_data["comment"], version=posted_version(request.POST)
        )
        return "Справка возвращена на доработку с комментарием."

    return _post_action(request, pk, act)
