"""An engineer: a Mesa agent on one node of the communication graph, with role, team, pay and state.

Roles follow ITIL v3 Service Operation as used by the seed (S1): Service Desk and Ops Bridge (L1),
Application Operations (L2) and Delivery developers; knowledge, fatigue and morale are per engineer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mesa.discrete_space import FixedAgent

from agents.pay import PayRule

if TYPE_CHECKING:
    from model.org import OrgModel, Team


class Engineer(FixedAgent):
    """One person: where they sit, who pays them, what they know and how tired they are."""

    def __init__(self, model: OrgModel, cell, team: Team, role: str, pay_rule: PayRule) -> None:
        super().__init__(model)
        self.cell = cell
        self.team = team
        self.role = role
        self.pay_rule = pay_rule
        self.node = cell.coordinate  # integer node id in model.comms
        self.knowledge: dict[int, float] = {}  # service id -> [0, 1]
        self.fatigue = 0.0  # decaying count of night pages
        self.morale = 1.0
        self.busy_until = 0.0  # working on an incident or an App Ops task until then
        self.on_call = False
        self.working_incident: int | None = None
        self.ooh_pages = 0
        self.unpaid_this_week = False
        self.vacant_until = -1.0  # after a leaver, the seat is empty until a replacement starts

    @property
    def present(self) -> bool:
        """False while the seat is empty after the engineer left.

        Each read also reads Mesa's observable clock: loops over many engineers read ``model.time`` once and
        test ``e.vacant_until <= now`` instead.
        """
        return self.vacant_until <= self.model.time

    def knows(self, service_id: int) -> float:
        """Knowledge of one service in [0, 1] (0 if never met)."""
        return self.knowledge.get(service_id, 0.0)

    def learn(self, service_id: int, amount: float) -> None:
        """Change knowledge of a service by ``amount``, kept within [0, 1]."""
        self.knowledge[service_id] = min(1.0, max(0.0, self.knows(service_id) + amount))

    def paged_at_night(self) -> None:
        """Record a night page: it adds fatigue (calibration A4: +1 per night page)."""
        self.fatigue += 1.0
