"""The report page's error summary: every error of the line inputs, with a link to its field.

The summary is what a keyboard or screen-reader user meets first (role=alert, focused after a refused
post by static/js/roadmaps.js); each error stays at its field too, tied by aria-describedby.
docs/accessibility.md → Forms."""

from __future__ import annotations

from django import template

register = template.Library()

# The labels the report page shows above each input (templates/roadmaps/report_detail.html).
INPUT_LABELS = {
    "status": "Статус",
    "started_on": "Начало",
    "finished_on": "Окончание",
    "participants": "Участников",
    "result": "Результат",
    "reason": "Причина невыполнения / переноса",
}


@register.simple_tag
def report_errors(directions) -> dict:
    """`{"entries": [{"href", "text"}], "posted": bool}` over the lines of the page's directions:
    `posted` is true when the page shows a refused post (its forms are bound)."""
    items: list[dict] = []
    posted = False
    for group in directions:
        for line in group["lines"]:
            form = getattr(line, "form", None)
            if form is None:
                continue
            posted = posted or form.is_bound
            title = line.reported.title
            where = f"Строка {line.number} «{title}»"
            for error in form.non_field_errors():
                items.append({"href": f"#line-{line.pk}", "text": f"{where} — {error}"})
            for name, x in form.inputs().items():
                for error in x["errors"]:
                    items.append({"href": f"#{x['id']}", "text": f"{where}, «{INPUT_LABELS[name]}» — {error}"})
    return {"entries": items, "posted": posted}
