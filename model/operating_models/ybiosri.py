"""You Build It Ops Sometimes Run It (S5): high-availability services run by their teams, the rest by Ops.

A minority with targets >= high_availability_target is YBIYRI (paid L1 Delivery, own deploys, CapEx); the
majority is run by an Ops Monitoring team (merged Ops Bridge + App Ops, OpEx) escalating to unpaid L2 Delivery,
deployed the Ops way, so it inherits YBIORI's handoffs and weak incentive.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from agents.pay import PayRule
from model.operating_models import register
from model.operating_models.base import DELIVERY, MONITORING, SERVICE_DESK, OperatingModel, RotaSpec, Tier
from model.operating_models.ybiyri import OWNER, ROTA_PAY, ROUTE

if TYPE_CHECKING:
    from model.org import OrgModel, Team
    from model.services import Incident, Service

MONITOR = frozenset({"runbook", "workaround", "rollback"})  # L1 that merges Ops Bridge and App Ops
L2_DELIVERY = frozenset({"code_fix"})  # unpaid, no production access: Monitoring applies the fix


@register
class YouBuildItOpsSometimesRunIt(OperatingModel):
    """Delivery runs its high-availability services; an Ops Monitoring team runs the rest."""

    name = "ybiosri"
    description = "You Build It Ops Sometimes Run It: high-target services YBIYRI, the rest Ops Monitoring (S5)"
    ops_teams = (MONITORING, SERVICE_DESK)

    def team_runs_it(self, team: Team) -> bool:
        """True when the team's service is high-availability, so the team runs it itself."""
        return team.service.target >= self.p["high_availability_target"]

    def accountable(self, team: Team) -> bool:
        """Only the teams that run their services feel and answer for their incidents."""
        return self.team_runs_it(team) or bool(self.p["delivery_feedback"])

    def reviews_every_incident(self, team: Team) -> bool:
        """Teams that run their services review every incident; the Ops-run majority gets RCAs for majors."""
        return self.accountable(team)

    def delivery_pay_rule(self, team: Team) -> PayRule:
        """Paid L1 (the delivery_rota_pay lever) for teams that run their service; unpaid L2 for the rest."""
        if self.team_runs_it(team) or self.p["l3_paid"]:
            return ROTA_PAY[self.p["delivery_rota_pay"]]
        return PayRule.BEST_ENDEAVOURS

    def tie_density(self, kind_a: str, name_a: str, kind_b: str, name_b: str) -> float:
        """Monitoring rarely knows Delivery; the Service Desk knows owning teams through the application map."""
        kinds = {kind_a, kind_b}
        if kinds == {DELIVERY, MONITORING}:
            return self.p["delivery_ops_tie_density"]
        if kinds == {SERVICE_DESK, DELIVERY}:
            return 0.5
        if kinds == {SERVICE_DESK, MONITORING}:
            return 0.5
        return self.p["tie_density_across"]

    def rotas(self, org: OrgModel) -> list[RotaSpec]:
        """The Monitoring rota (OpEx) plus one rota per team that runs its own service (CapEx)."""
        monitoring = org.team(MONITORING)
        out = [RotaSpec("monitoring", monitoring, tuple(monitoring.members), "opex", PayRule.STANDBY_AND_CALLOUT)]
        for t in org.delivery_teams:
            if self.team_runs_it(t) or self.p["l3_paid"]:
                out.append(RotaSpec(f"team:{t.name}", t, tuple(t.members), "capex", self.delivery_pay_rule(t)))
        return out

    def change_class(self, service: Service, rng: random.Random) -> str:
        """Teams that run their services classify changes as YBIYRI does; Ops-run changes are all normal."""
        if self.team_runs_it(service.owner):
            return "standard" if rng.random() < self.p["standard_change_share"] else "normal"
        return "normal"

    def deployment_path(self, service: Service, change: str) -> tuple[str, ...]:
        """Team-run: the team deploys (CAB for high-risk); Ops-run: the YBIORI path through Monitoring."""
        if self.team_runs_it(service.owner):
            return ("team_deploy",) if change == "standard" else ("cab", "team_deploy")
        return ("cab", "app_ops_deploy", "smoke_test", "handover")

    def deployer(self, service: Service, org: OrgModel) -> Team:
        """The owning team deploys its high-availability service; Monitoring deploys the rest."""
        return service.owner if self.team_runs_it(service.owner) else org.team(MONITORING)

    def support_path(self, incident: Incident, service: Service, org: OrgModel, alert: bool) -> list[Tier]:
        """Team-run: the owner is L1. Ops-run: Monitoring (L1) -> unpaid L2 Delivery via Monitoring."""
        if self.team_runs_it(service.owner):
            owner = Tier("owner", service.owner, OWNER, swarm=True)
            if alert or not org.calendar.is_working(org.time):
                return [owner]
            return [Tier("L1", org.team(SERVICE_DESK), ROUTE, ooh="hold"), owner]
        l2_ooh = "rota" if self.p["l3_paid"] else "best_endeavours"
        monitoring = org.team(MONITORING)
        return [
            Tier("L1", monitoring, MONITOR),
            Tier("L2", service.owner, L2_DELIVERY, ooh=l2_ooh, deploys_via=monitoring),
        ]
