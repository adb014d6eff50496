"""Fact 23: Ops night cover for services weakens the operability incentive (YBIOSRI, Ops-covered vs own rota).

The ablation gives every team YBIYRI's feedback (delivery_feedback=true), so Ops-covered services' owners feel the pain.
"""

from __future__ import annotations

from experiments.claims.base import Claim, Verdict, ablation_text, gap_closed, rounded, status
from experiments.claims.fact22_ybiosri_majority import CLAIM as FACT22
from experiments.claims.fact22_ybiosri_majority import OPS, TEAM, services, ybiosri


class OpsNightCover(Claim):
    """End operability of Ops-covered against own-rota services."""

    keep_tables = ("services",)

    def spec(self, quick: bool):
        """The YBIOSRI sweep."""
        return [ybiosri(quick)]

    def evaluate(self, tables):
        """Lower operability under Ops cover."""
        s = services(tables)
        fb = s["delivery_feedback"].astype(bool)
        base = s[~fb].groupby("run_by")["operability"].mean()
        fed = s[fb].groupby("run_by")["operability"].mean()
        n = {
            "ops_covered_operability": float(base.get(OPS, float("nan"))),
            "own_rota_operability": float(base.get(TEAM, float("nan"))),
            "ablation_ops_covered_operability": float(fed.get(OPS, float("nan"))),
        }
        ok = n["ops_covered_operability"] < n["own_rota_operability"]
        ops, own = n["ops_covered_operability"], n["own_rota_operability"]
        text = f"Operability at the end: Ops-covered {ops:.2f}, own rota {own:.2f}."
        closed = gap_closed(
            n["ops_covered_operability"], n["ablation_ops_covered_operability"], n["own_rota_operability"]
        )
        return Verdict(status(ok), rounded(n), text, ablation_text(closed, "delivery_feedback=true"))

    def figure(self, tables):
        """The YBIOSRI figure of fact 22."""
        return FACT22.figure(tables)


CLAIM = OpsNightCover(
    23,
    "Ops night cover for digital services weakens the incentive",
    "PB: scale; S5",
    "YBIOSRI, mixed portfolio",
    "lower operability investment under Ops cover than on own-rota teams",
    "the callout pain lands on Ops, not the decider (ablation: delivery_feedback=true)",
)
