"""You Build It You Run It (S2): the Delivery team deploys its own service and is on call for it.

Standard pre-approved changes through the team's own pipeline; the owning team is paged directly, stops the
line and swarms; paid standby + callout from the team's CapEx budget; one rota per team.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from agents.pay import PayRule
from model.operating_models import register
from model.operating_models.base import DELIVERY, SERVICE_DESK, OperatingModel, RotaSpec, Tier

if TYPE_CHECKING:
    from model.org import OrgModel, Team
    from model.services import Incident, Service

ROUTE = frozenset({"route"})
ROTA_PAY = {
    "standby_and_callout": PayRule.STANDBY_AND_CALLOUT,
    "callout_only": PayRule.CALLOUT_ONLY,
    "unpaid": PayRule.BEST_ENDEAVOURS,
}
OWNER = frozenset({"code_fix", "rollback"})


@register
class YouBuildItYouRunIt(OperatingModel):
    """Each Delivery team deploys and runs its own service."""

    name = "ybiyri"
    description = "You Build It You Run It: team deploys via standard changes and is paid L1 on call (S2)"
    ops_teams = (SERVICE_DESK,)
    delivery_accountable = True
    learning = "review_all"

    def delivery_pay_rule(self, team: Team) -> PayRule:
        """Standby + callout from the team's own CapEx by default; the delivery_rota_pay lever can change it."""
        return ROTA_PAY[self.p["delivery_rota_pay"]]

    def tie_density(self, kind_a: str, name_a: str, kind_b: str, name_b: str) -> float:
        """The Service Desk knows every owning team through the application map."""
        if {kind_a, kind_b} == {SERVICE_DESK, DELIVERY}:
            return 0.5
        return self.p["tie_density_across"]

    def rotas(self, org: OrgModel) -> list[RotaSpec]:
        """One rota per Delivery team, paid from that team's CapEx (S2, S4)."""
        return [
            RotaSpec(f"team:{t.name}", t, tuple(t.members), "capex", self.delivery_pay_rule(t))
            for t in org.delivery_teams
        ]

    def change_class(self, service: Service, rng: random.Random) -> str:
        """The team classifies each change: most are pre-approved standard changes (PB)."""
        return "standard" if rng.random() < self.p["standard_change_share"] else "normal"

    def deployment_path(self, service: Service, change: str) -> tuple[str, ...]:
        """Standard changes go straight to the team's pipeline; high-risk ones wait for the CAB first."""
        return ("team_deploy",) if change == "standard" else ("cab", "team_deploy")

    def deployer(self, service: Service, org: OrgModel) -> Team:
        """The owning team deploys."""
        return service.owner

    def support_path(self, incident: Incident, service: Service, org: OrgModel, alert: bool) -> list[Tier]:
        """Alerts page the owner; customer contacts go via the Service Desk and the application map.

        Out of hours the incident system maps a customer contact to the owner and pages them (S2).
        """
        owner = Tier("owner", service.owner, OWNER, swarm=True)
        if alert or not org.calendar.is_working(org.time):
            return [owner]
        return [Tier("L1", org.team(SERVICE_DESK), ROUTE, ooh="hold"), owner]
