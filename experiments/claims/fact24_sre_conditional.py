"""Fact 24: SRE is conditional: only high-traffic, reviewed services get the SRE pager, and hand-backs are rare.

From YBISRI's event log (take-ons, hand-backs) and service table; the ablation opens the traffic and review gates.
"""

from __future__ import annotations

import pandas as pd

from experiments.claims.base import Claim, Verdict, bars, new_figure, rounded, status, sweep

FIXED = {"operating_model": "ybisri", "portfolio": "mixed", "delivery_teams": 10}
THRESHOLD = 0.5


def taken(tables, name: str) -> pd.DataFrame:
    """One row per SRE event (take-on or hand-back) with the service's traffic and band."""
    events = tables[f"{name}:events"]
    services = tables[f"{name}:services"][["run_id", "owner", "traffic", "band"]]
    events = events[events["kind"].isin(["sre_takes_pager", "pager_handed_back"])]
    return events.merge(services, left_on=["run_id", "detail"], right_on=["run_id", "owner"], how="left")


def stats(tables, name: str) -> dict:
    """Take-ons per run, hand-backs per take-on, share of services ever taken, lowest traffic taken."""
    ev = taken(tables, name)
    runs = tables[name]
    ons = ev[ev.kind == "sre_takes_pager"]
    backs = ev[ev.kind == "pager_handed_back"]
    ever = ons.drop_duplicates(["run_id", "detail"])
    return {
        "take_ons_per_run": len(ons) / max(len(runs), 1),
        "hand_backs_per_take_on": len(backs) / len(ons) if len(ons) else float("nan"),
        "share_of_services_ever_sre_run": len(ever) / max(int(runs["delivery_teams"].sum()), 1),
        "lowest_traffic_taken": float(ons["traffic"].min()) if len(ons) else float("nan"),
    }


class SreConditional(Claim):
    """Who SRE takes and how often it hands back."""

    keep_tables = ("services", "events")

    def spec(self, quick: bool):
        """YBISRI, and YBISRI with the gates open."""
        return [
            sweep("sre", quick, long=True, fixed=FIXED),
            sweep(
                "sre-open-gates",
                quick,
                long=True,
                fixed={**FIXED, "sre_traffic_threshold": 0.0, "sre_readiness_operability": 0.0},
            ),
        ]

    def evaluate(self, tables):
        """Every taken service at or above the traffic threshold, and fewer than one hand-back per two take-ons."""
        base, open_ = stats(tables, "sre"), stats(tables, "sre-open-gates")
        n = base | {f"ablation_{k}": v for k, v in open_.items()}
        gated = base["take_ons_per_run"] > 0 and base["lowest_traffic_taken"] >= THRESHOLD
        rare = base["hand_backs_per_take_on"] < 0.5
        text = (
            f"{base['share_of_services_ever_sre_run']:.0%} of services ever get the SRE pager "
            f"({base['take_ons_per_run']:.1f} take-ons a run, lowest traffic {base['lowest_traffic_taken']:.2f}); "
            f"{base['hand_backs_per_take_on']:.2f} hand-backs per take-on (rare means < 0.5)."
        )
        confirmed = open_["lowest_traffic_taken"] < THRESHOLD
        ablation = (
            f"With the traffic and review gates open SRE takes services down to traffic "
            f"{open_['lowest_traffic_taken']:.2f} "
            f"({'mechanism confirmed' if confirmed else 'mechanism not confirmed'}: the gates decide who is covered)"
        )
        return Verdict(status(gated and rare), rounded(n), text, ablation)

    def figure(self, tables):
        """Take-ons and hand-backs per run, gated and open."""
        fig, axes = new_figure(2, width=4.5)
        for ax, kind in zip(axes, ["sre_takes_pager", "pager_handed_back"], strict=True):
            groups = []
            for name in ("sre", "sre-open-gates"):
                ev = taken(tables, name)
                counts = ev[ev.kind == kind].groupby("run_id").size().reindex(tables[name]["run_id"], fill_value=0)
                groups.append(counts)
            bars(ax, ["gated", "gates open"], groups, f"{kind} per run")
        fig.suptitle("Fact 24: SRE take-ons and hand-backs (YBISRI, ten teams)")
        return fig


CLAIM = SreConditional(
    24,
    "SRE is conditional",
    "S7; SRE; UK",
    "YBISRI, ten teams, mixed portfolio",
    "only high-traffic, reviewed services are covered; hand-backs are rare when developers react to burn",
    "traffic thresholds, the review gate, a hand-back that restores the developers' pain "
    "(ablation: sre_traffic_threshold=0, sre_readiness_operability=0)",
)
