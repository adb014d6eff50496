"""Implementing You Build It You Run It at scale (S6, PB: scale): out-of-hours cover tiered by availability target.

In hours the owning team always responds; out of hours a 95% service waits for the morning, a 99% service goes
to one engineer covering a domain of sibling teams, a 99.9%+ service to its own team rota; all from CapEx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from model.operating_models import register
from model.operating_models.base import RotaSpec, Tier
from model.operating_models.ybiyri import OWNER, ROUTE, YouBuildItYouRunIt

if TYPE_CHECKING:
    from model.org import OrgModel, Team
    from model.services import Incident, Service


def schedule(service: Service) -> str:
    """Out-of-hours schedule from the availability target (PB: scale): none, domain or team."""
    if service.target >= 0.999:
        return "team"
    if service.target >= 0.99:
        return "domain"
    return "none"


@register
class ImplementingYouBuildItYouRunItAtScale(YouBuildItYouRunIt):
    """YBIYRI with team, domain or no out-of-hours rota per service, chosen from its availability target."""

    name = "ybiyri-tiered"
    description = "YBIYRI at scale, tiered: out-of-hours team / domain / no rota by availability target (S6, PB)"

    def domains(self, org: OrgModel) -> list[list[Team]]:
        """Sibling teams grouped into domains of ``domain_size`` in team order."""
        size = self.p["domain_size"]
        teams = org.delivery_teams
        return [teams[i : i + size] for i in range(0, len(teams), size)]

    def rotas(self, org: OrgModel) -> list[RotaSpec]:
        """A team rota per 99.9%+ service and one rota per domain holding any 99% service."""
        out = []
        for domain in self.domains(org):
            for t in domain:
                if schedule(t.service) == "team":
                    out.append(RotaSpec(f"team:{t.name}", t, tuple(t.members), "capex", self.delivery_pay_rule(t)))
            covered = tuple(t for t in domain if schedule(t.service) == "domain")
            if covered:
                # one responder pool drawn from every sibling team; the first team's budget holder pays
                members = tuple(e for t in domain for e in t.members[:2])
                out.append(
                    RotaSpec(
                        f"domain:{domain[0].name}",
                        covered[0],
                        members,
                        "capex",
                        self.delivery_pay_rule(covered[0]),
                        covers=covered,
                    )
                )
        return out

    def setup(self, org: OrgModel) -> None:
        """Domain responders know their sibling services, though less well than the owners (PB: sync penalty)."""
        for domain in self.domains(org):
            for t in domain:
                for sibling in domain:
                    if sibling is t:
                        continue
                    for e in t.members:
                        e.knowledge.setdefault(sibling.service.sid, self.p["sibling_knowledge"])

    def support_path(self, incident: Incident, service: Service, org: OrgModel, alert: bool) -> list[Tier]:
        """Owner in hours; out of hours the service's schedule decides: team or domain rota, or hold."""
        ooh = "hold" if schedule(service) == "none" else "rota"
        owner = Tier("owner", service.owner, OWNER, ooh=ooh, swarm=True)
        if alert or not org.calendar.is_working(org.time):
            return [owner]
        return [Tier("L1", org.team("service_desk"), ROUTE, ooh="hold"), owner]
