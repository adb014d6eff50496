"""The policy interface every operating model implements: who deploys, who responds, who pays.

Each model of the Who Runs It series (operating-models.md §3) answers the same questions differently; the
flows in ``model.delivery`` and ``model.support`` ask only these questions, so a new model needs no core edit.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from agents.pay import PayRule

if TYPE_CHECKING:
    from model.org import OrgModel, Team
    from model.services import Incident, Service

# Team kinds
DELIVERY, APP_OPS, OPS_BRIDGE, SERVICE_DESK = "delivery", "app_ops", "ops_bridge", "service_desk"
MONITORING, SRE = "monitoring", "sre"
#: Ops team kinds that hold knowledge of the services they run (and lose it as the code changes).
OPS_RUN = (APP_OPS, MONITORING, SRE)


@dataclass(frozen=True, slots=True)
class Tier:
    """One level of a support path: a team, what it may do, and how it is reached out of hours.

    ``ooh`` is "rota" (a paid on-call engineer is paged), "best_endeavours" (someone is called through the
    graph, unpaid) or "hold" (the ticket waits for the next working day). ``deploys_via`` names the team that
    must apply a code fix in production when this tier may not (YBIORI's L3 has no production access).
    """

    level: str
    team: Team
    capabilities: frozenset[str]
    ooh: str = "rota"
    deploys_via: Team | None = None
    swarm: bool = False


@dataclass(frozen=True, slots=True)
class RotaSpec:
    """An on-call rota: who takes weekly turns, which account pays the standby, and under what rule."""

    name: str
    team: Team  # the team whose budget holder pays it
    members: tuple[Any, ...]
    account: str
    pay_rule: PayRule
    covers: tuple[Team, ...] = ()  # teams whose services this rota answers for (default: ``team``)


class OperatingModel:
    """Base policy; subclasses set the class attributes and override the methods they vary."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    #: Ops team kinds this model staffs (Delivery teams always exist).
    ops_teams: ClassVar[tuple[str, ...]] = (APP_OPS, OPS_BRIDGE, SERVICE_DESK)
    #: Does the Delivery team (its product manager) answer for reliability and feel every incident?
    delivery_accountable: ClassVar[bool] = False
    #: Post-incident learning: "rca_major" (late root-cause analysis of major incidents, actions to support
    #: backlogs) or "review_all" (a prompt review of every incident, actions to the team's own backlog) [PB].
    learning: ClassVar[str] = "rca_major"

    def accountable(self, team: Team) -> bool:
        """Does this Delivery team answer for its service's reliability (the delivery_feedback ablation says yes)?"""
        return self.delivery_accountable or bool(self.p["delivery_feedback"])

    def reviews_every_incident(self, team: Team) -> bool:
        """Does the owning team review every incident, with actions in its own backlog?"""
        return self.learning == "review_all" or bool(self.p["delivery_feedback"])

    def run_by(self, service: Service, org: OrgModel) -> str:
        """Who runs ``service`` now, for per-service reports: "delivery" or the deploying Ops team's kind."""
        return self.deployer(service, org).kind

    # --- hooks (no-ops unless a model needs them) ---------------------------------------------------
    def setup(self, org: OrgModel) -> None:
        """Called once the organisation is built (e.g. to give domain responders sibling knowledge)."""

    def quarterly(self, org: OrgModel) -> None:
        """Called every 13 weeks (e.g. error-budget reviews)."""

    def incident_restored(self, incident: Incident, org: OrgModel) -> None:
        """Called when an incident is restored (e.g. to charge an error budget)."""

    def rota_active(self, spec: RotaSpec, org: OrgModel) -> bool:
        """Whether a rota holds a pager this week (an inactive rota books no standby)."""
        return True

    def __init__(self, params: dict[str, Any]) -> None:
        self.p = params

    # --- organisation -------------------------------------------------------------------------
    def account(self, team_kind: str) -> str:
        """The account that pays a team's salary: Delivery is CapEx, Operations OpEx (S1)."""
        return "capex" if team_kind == DELIVERY else "opex"

    def delivery_pay_rule(self, team: Team) -> PayRule:
        """How the Delivery engineers of ``team`` are paid for out-of-hours work."""
        raise NotImplementedError

    def tie_density(self, kind_a: str, name_a: str, kind_b: str, name_b: str) -> float:
        """Chance of a tie between members of two different teams."""
        return self.p["tie_density_across"]

    def rotas(self, org: OrgModel) -> list[RotaSpec]:
        """The out-of-hours rotas this model runs."""
        raise NotImplementedError

    # --- delivery -------------------------------------------------------------------------------
    def change_class(self, service: Service, rng: random.Random) -> str:
        """Classify one finished change: "standard" (pre-approved) or "normal" (goes to the CAB)."""
        return "normal"

    def deployment_path(self, service: Service, change: str) -> tuple[str, ...]:
        """Stages a release of ``service`` of one change class passes through (``model.delivery.STAGES``)."""
        raise NotImplementedError

    def deployer(self, service: Service, org: OrgModel) -> Team:
        """The team that deploys ``service`` and so can roll it back."""
        raise NotImplementedError

    # --- support ----------------------------------------------------------------------------------
    def support_path(self, incident: Incident, service: Service, org: OrgModel, alert: bool) -> list[Tier]:
        """The tiers an incident walks through, first responder first."""
        raise NotImplementedError
