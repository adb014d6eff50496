"""You Build It SRE Run It (S7, SRE book): developers run YBIYRI until an SRE team takes the pager.

A service with substantial traffic that passes a readiness review gets the SRE rota (within the team's
capacity); each quarter has an error budget, and a service that exhausts it is handed back to its developers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agents.pay import PayRule
from model.calendar import HOURS_PER_WEEK
from model.operating_models import register
from model.operating_models.base import DELIVERY, SERVICE_DESK, SRE, RotaSpec, Tier
from model.operating_models.ybiyri import OWNER, ROUTE, YouBuildItYouRunIt

if TYPE_CHECKING:
    from model.org import OrgModel
    from model.services import Incident, Service

SRE_CAPS = frozenset({"rollback", "workaround"})  # mitigate; code changes go back to the developers
QUARTER_H = 13 * HOURS_PER_WEEK
SHIFT_H = 12.0


@register
class YouBuildItSreRunIt(YouBuildItYouRunIt):
    """YBIYRI plus an SRE team that takes the pager of reviewed high-traffic services, under error budgets."""

    name = "ybisri"
    description = "You Build It SRE Run It: SRE rota for reviewed high-traffic services; budget hand-back (S7)"
    ops_teams = (SRE, SERVICE_DESK)

    def __init__(self, params: dict) -> None:
        super().__init__(params)
        self.covered: set[int] = set()  # services whose pager the SRE team holds
        self.spent_h: dict[int, float] = {}  # error budget spent this quarter (impact-weighted downtime)
        self.breached: set[int] = set()  # services that exhausted a budget last quarter
        self.sre_pages: list[float] = []  # times SRE on-call took an incident (the per-shift cap)

    def budget_h(self, service: Service) -> float:
        """The quarter's error budget: (1 - target) x 13 weeks."""
        return (1.0 - service.target) * QUARTER_H

    def capacity(self) -> int:
        """How many services the SRE team can take (the 50% operations cap)."""
        return int(self.p["sre_size"] * self.p["sre_services_per_engineer"])

    def tie_density(self, kind_a: str, name_a: str, kind_b: str, name_b: str) -> float:
        """SREs work with developers (shared rotas, postmortems); the Service Desk knows owners via the map."""
        kinds = {kind_a, kind_b}
        if kinds == {SRE, DELIVERY}:
            return 0.1
        return super().tie_density(kind_a, name_a, kind_b, name_b)

    def rotas(self, org: OrgModel) -> list[RotaSpec]:
        """Every team keeps a rota (used while it holds the pager) plus the SRE rota, centrally funded."""
        sre = org.team(SRE)
        return [*super().rotas(org), RotaSpec("sre", sre, tuple(sre.members), "opex", PayRule.STANDBY_AND_CALLOUT)]

    def rota_active(self, spec: RotaSpec, org: OrgModel) -> bool:
        """A team rota books standby only while the team holds its pager."""
        team = spec.team
        return team.kind != DELIVERY or team.service.sid not in self.covered

    def run_by(self, service: Service, org: OrgModel) -> str:
        """Return "sre" while the SRE team holds the pager, else "delivery"."""
        return SRE if service.sid in self.covered else DELIVERY

    def quarterly(self, org: OrgModel) -> None:
        """Close the quarter's budgets, then review: ready, high-traffic services join while capacity lasts."""
        self.breached = {sid for sid, spent in self.spent_h.items() if spent > self.budget_h(org.services[sid])}
        self.spent_h = {}
        for service in sorted(org.services, key=lambda s: -s.traffic):
            if service.sid in self.covered or len(self.covered) >= self.capacity():
                continue
            ready = service.operability >= self.p["sre_readiness_operability"] and service.sid not in self.breached
            if service.traffic >= self.p["sre_traffic_threshold"] and ready:
                self.covered.add(service.sid)
                for e in org.team(SRE).members:  # onboarding: a handover of the service to the SREs
                    e.knowledge[service.sid] = max(e.knows(service.sid), self.p["sre_knowledge_at_entry"])
                org.log("sre_takes_pager", service.owner.name)

    def incident_restored(self, incident: Incident, org: OrgModel) -> None:
        """Charge the error budget; an exhausted budget hands the pager back to the developers."""
        service = org.services[incident.service]
        spent = self.spent_h.get(service.sid, 0.0) + (incident.restored - incident.started) * incident.impact
        self.spent_h[service.sid] = spent
        if spent > self.budget_h(service) and service.frozen_until <= org.time:
            # budget spent: only reliability work ships until the quarter ends (SRE ch. 3)
            service.frozen_until = (org.time // QUARTER_H + 1) * QUARTER_H
            org.at(service.frozen_until, org.delivery.try_release, service)
            org.log("release_freeze", service.owner.name)
        if service.sid in self.covered and spent > self.budget_h(service):
            self.covered.discard(service.sid)
            org.log("pager_handed_back", service.owner.name)

    def support_path(self, incident: Incident, service: Service, org: OrgModel, alert: bool) -> list[Tier]:
        """SRE-covered: SRE mitigates, developers change code; otherwise YBIYRI (also past the SRE shift cap)."""
        if service.sid in self.covered:
            now = org.time
            self.sre_pages = [t for t in self.sre_pages if t > now - SHIFT_H]
            if len(self.sre_pages) < self.p["sre_max_incidents_per_shift"]:
                self.sre_pages.append(now)
                owner = Tier("owner", service.owner, OWNER, ooh="hold", swarm=True)
                return [Tier("SRE", org.team(SRE), SRE_CAPS), owner]
        owner = Tier("owner", service.owner, OWNER, swarm=True)
        if alert or not org.calendar.is_working(org.time):
            return [owner]
        return [Tier("L1", org.team(SERVICE_DESK), ROUTE, ooh="hold"), owner]
