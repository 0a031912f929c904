"""Home-page panels of monitoring (`panels(user) -> list[dict]`): open campaigns with each school's
completeness (the coverage panel: coverage/dashboard.py). A fixed number of queries whatever the number of campaigns and schools."""

from __future__ import annotations

from core.models import Role, User
from core.registry import home_panels
from core.scope import roles_of

from .permissions import CAMPAIGN_VIEWERS
from .selectors import campaign_completeness, open_campaigns_for


@home_panels.register(order=30)
def panels(user: User) -> list[dict]:
    roles = roles_of(user)
    result: list[dict] = []
    if Role.DIRECTOR in roles:
        campaigns = open_campaigns_for(user, roles=(Role.DIRECTOR,))
        completeness = campaign_completeness(user, campaigns)
        rows = [
            {
                "campaign": c,
                "school": s["school"],
                "filled": s["filled"],
                "total": s["total"],
                "complete": s["complete"],
            }
            for c in campaigns
            for s in completeness.get(c.pk, [])
        ]
        result.append({"template": "monitoring/panels/director.html", "order": 15, "rows": rows})
    if roles & set(CAMPAIGN_VIEWERS):
        campaigns = open_campaigns_for(user, roles=CAMPAIGN_VIEWERS)
        completeness = campaign_completeness(user, campaigns)
        items = []
        for c in campaigns:
            schools = completeness.get(c.pk, [])
            items.append(
                {
                    "campaign": c,
                    "schools": schools,
                    "complete": sum(1 for s in schools if s["complete"]),
                    "total": len(schools),
                }
            )
        result.append(
            {
                "template": "monitoring/panels/campaigns.html",
                "order": 25,
                "items": items,
                "can_manage": bool(roles & {Role.METHODIST, Role.COORDINATOR, Role.ADMIN}),
            }
        )
    return result
