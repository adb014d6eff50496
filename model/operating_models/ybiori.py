"""You Build It Ops Run It (S1): Operations deploy and support every application through ITIL tiers.

Ops Bridge / Service Desk (L1) -> App Ops (L2) -> Delivery (L3, unpaid best endeavours out of hours);
normal changes via the CAB and the App Ops queue; Ops paid standby + callout from OpEx; two rotas whatever D.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agents.pay import PayRule
from model.operating_models import register
from model.operating_models.base import (
    APP_OPS,
    DELIVERY,
    OPS_BRIDGE,
    SERVICE_DESK,
    OperatingModel,
    RotaSpec,
    Tier,
)

if TYPE_CHECKING:
    from model.org import OrgModel, Team
    from model.services import Incident, Service

L1 = frozenset({"runbook"})
L2 = frozenset({"workaround", "rollback"})
L3 = frozenset({"code_fix"})  # no production access: App Ops applies the fix


@register
class YouBuildItOpsRunIt(OperatingModel):
    """Operations deploy and run every service; Delivery is unpaid L3."""

    name = "ybiori"
    description = "You Build It Ops Run It: CAB + App Ops deploy; L1 -> L2 -> unpaid L3 support (S1)"

    def delivery_pay_rule(self, team: Team) -> PayRule:
        """Unpaid best endeavours, unless the l3_paid ablation pays standby + callout."""
        return PayRule.STANDBY_AND_CALLOUT if self.p["l3_paid"] else PayRule.BEST_ENDEAVOURS

    def tie_density(self, kind_a: str, name_a: str, kind_b: str, name_b: str) -> float:
        """Ops teams talk to each other; Delivery and Ops rarely know each other (restricted collaboration)."""
        kinds = {kind_a, kind_b}
        if DELIVERY in kinds and kinds & {APP_OPS, OPS_BRIDGE}:
            return self.p["delivery_ops_tie_density"]
        if kinds == {OPS_BRIDGE, APP_OPS} or kinds == {SERVICE_DESK, OPS_BRIDGE}:
            return 0.5
        return self.p["tie_density_across"]

    def rotas(self, org: OrgModel) -> list[RotaSpec]:
        """Two Ops rotas whatever the number of teams (S6); paid L3 adds one rota per Delivery team."""
        out = [
            RotaSpec(
                "ops_bridge",
                org.team(OPS_BRIDGE),
                tuple(org.team(OPS_BRIDGE).members),
                "opex",
                PayRule.STANDBY_AND_CALLOUT,
            ),
            RotaSpec(
                "app_ops",
                org.team(APP_OPS),
                tuple(org.team(APP_OPS).members),
                "opex",
                PayRule.STANDBY_AND_CALLOUT,
            ),
        ]
        if self.p["l3_paid"]:
            out += [
                RotaSpec(f"l3:{t.name}", t, tuple(t.members), "capex", PayRule.STANDBY_AND_CALLOUT)
                for t in org.delivery_teams
            ]
        return out

    def deployment_path(self, service: Service, change: str) -> tuple[str, ...]:
        """Normal change: CAB, App Ops queue and window, Delivery smoke test, knowledge transfer."""
        return ("cab", "app_ops_deploy", "smoke_test", "handover")

    def deployer(self, service: Service, org: OrgModel) -> Team:
        """App Ops deploys every service."""
        return org.team(APP_OPS)

    def support_path(self, incident: Incident, service: Service, org: OrgModel, alert: bool) -> list[Tier]:
        """L1 (Ops Bridge for alerts and night contacts, Service Desk for day contacts) -> App Ops -> L3."""
        day = org.calendar.is_working(org.time)
        l1 = org.team(SERVICE_DESK) if (not alert and day) else org.team(OPS_BRIDGE)
        l3_ooh = "rota" if self.p["l3_paid"] else "best_endeavours"
        return [
            Tier("L1", l1, L1),
            Tier("L2", org.team(APP_OPS), L2),
            Tier("L3", service.owner, L3, ooh=l3_ooh, deploys_via=org.team(APP_OPS)),
        ]
