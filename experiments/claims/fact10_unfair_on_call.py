"""Fact 10: unfair on-call: YBIORI's unpaid L3 answers later, loses morale and is more likely to leave.

YBIORI with six teams, unpaid best endeavours L3 against the paid ablation (l3_paid=true), at the default incident
rate and at eight times it, because the grievance builds only where unpaid callouts come faster than goodwill
recovers (0.05 lost per callout, 0.01 regained a week). Attrition is read as expected leavers (the sum of weekly
leave chances), which carries the same mechanism as who actually left without the coin-flip noise; the realised
count is reported beside it. A second ablation keeps the unpaid hours but takes the morale cost of each unpaid
callout away.
"""

from __future__ import annotations

from experiments.claims.base import (
    Claim,
    Verdict,
    ablation_text,
    bars,
    gap_closed,
    mean,
    new_figure,
    rounded,
    status,
    sweep,
)

KEYS = ("delivery_morale_avg", "delivery_morale_min", "delivery_attrition_expected", "ttr_h_median_out_of_hours")
EXTRA = ("delivery_attrition", "delivery_unpaid_ooh_hours")
RATES = (0.5, 4.0)
HIGH = RATES[-1]
FIXED = {"operating_model": "ybiori", "delivery_teams": 6}
NO_GRIEVANCE = {"unpaid_callout_morale_hit": 0.0, "unpaid_callout_team_morale_hit": 0.0}


def oncall_pay(quick: bool):
    """Unpaid vs paid L3 at two incident rates."""
    return sweep(
        "oncall-pay",
        quick,
        long=True,
        fixed=FIXED,
        grid={"incident_rate_per_week": list(RATES), "l3_paid": [False, True]},
    )


def no_grievance(quick: bool):
    """The high rate again with unpaid callouts that cost no morale."""
    return sweep(
        "oncall-pay-no-grievance",
        quick,
        long=True,
        fixed={**FIXED, **NO_GRIEVANCE, "incident_rate_per_week": HIGH},
        grid={"l3_paid": [False, True]},
    )


def label(paid: bool) -> str:
    """A group label."""
    return "paid" if paid else "unpaid"


SLOWER_H = 0.8  # unpaid nights slower by more than this: about 2 SD of 8-replicate noise (bootstrap, 2026-12-06)


class UnfairOnCall(Claim):
    """Delivery morale, expected and realised attrition, and night restore time, unpaid vs paid L3."""

    def spec(self, quick: bool):
        """The on-call pay sweep and its no-grievance ablation."""
        return [oncall_pay(quick), no_grievance(quick)]

    def evaluate(self, tables):
        """At the high rate unpaid L3 has lower morale, more expected leavers and slower night restores."""
        t, a = tables["oncall-pay"], tables["oncall-pay-no-grievance"]
        n = {
            f"rate{r}_{label(p)}_{k}": mean(t, k, incident_rate_per_week=r, l3_paid=p)
            for r in RATES
            for p in (False, True)
            for k in KEYS + EXTRA
        }
        for p in (False, True):
            n[f"no_grievance_{label(p)}_delivery_attrition_expected"] = mean(
                a, "delivery_attrition_expected", l3_paid=p
            )
        hi, lo = f"rate{HIGH}", f"rate{RATES[0]}"
        ok = (
            n[f"{hi}_unpaid_delivery_morale_avg"] < n[f"{hi}_paid_delivery_morale_avg"] - 0.01
            and n[f"{hi}_unpaid_delivery_morale_min"] < n[f"{hi}_paid_delivery_morale_min"] - 0.1
            and n[f"{hi}_unpaid_delivery_attrition_expected"] > 1.03 * n[f"{hi}_paid_delivery_attrition_expected"]
            and n[f"{hi}_unpaid_ttr_h_median_out_of_hours"] > n[f"{hi}_paid_ttr_h_median_out_of_hours"] + SLOWER_H
        )

        def v(rate: str, pay: str, key: str) -> float:
            return n[f"{rate}_{pay}_{key}"]

        def rise(rate: str) -> float:
            return v(rate, "unpaid", "delivery_attrition_expected") / v(rate, "paid", "delivery_attrition_expected") - 1

        text = (
            f"At {HIGH:g} incidents per service a week, unpaid L3 worked "
            f"{v(hi, 'unpaid', 'delivery_unpaid_ooh_hours'):.0f} unpaid hours. Delivery morale averaged "
            f"{v(hi, 'unpaid', 'delivery_morale_avg'):.3f} unpaid vs {v(hi, 'paid', 'delivery_morale_avg'):.3f} paid "
            f"(worst engineer at the end {v(hi, 'unpaid', 'delivery_morale_min'):.2f} vs "
            f"{v(hi, 'paid', 'delivery_morale_min'):.2f}). Expected Delivery leavers were "
            f"{v(hi, 'unpaid', 'delivery_attrition_expected'):.2f} vs "
            f"{v(hi, 'paid', 'delivery_attrition_expected'):.2f} "
            f"({rise(hi):+.0%}; realised {v(hi, 'unpaid', 'delivery_attrition'):.2f} vs "
            f"{v(hi, 'paid', 'delivery_attrition'):.2f}). Night median TTR "
            f"{v(hi, 'unpaid', 'ttr_h_median_out_of_hours'):.1f} h vs "
            f"{v(hi, 'paid', 'ttr_h_median_out_of_hours'):.1f} h (slower means by more than {SLOWER_H:g} h). "
            f"At the default rate ({RATES[0]:g}) the unpaid hours ({v(lo, 'unpaid', 'delivery_unpaid_ooh_hours'):.0f}) "
            f"are too sparse for a grievance: morale {v(lo, 'unpaid', 'delivery_morale_avg'):.3f}, expected leavers "
            f"{rise(lo):+.1%}."
        )
        closed = gap_closed(
            n[f"{hi}_unpaid_delivery_attrition_expected"],
            n["no_grievance_unpaid_delivery_attrition_expected"]
            - n["no_grievance_paid_delivery_attrition_expected"]
            + n[f"{hi}_paid_delivery_attrition_expected"],
            n[f"{hi}_paid_delivery_attrition_expected"],
        )
        return Verdict(
            status(ok),
            rounded(n),
            text,
            ablation_text(closed, "unpaid callouts without a morale cost (expected leavers)"),
        )

    def figure(self, tables):
        """Bars per pay rule at each incident rate, for each measure."""
        t = tables["oncall-pay"]
        fig, axes = new_figure(len(KEYS), width=4)
        groups = [(r, p) for r in RATES for p in (False, True)]
        for ax, k in zip(axes, KEYS, strict=True):
            bars(
                ax,
                [f"{label(p)} @{r:g}" for r, p in groups],
                [t.loc[(t.incident_rate_per_week == r) & (t.l3_paid == p), k] for r, p in groups],
                k,
            )
        fig.suptitle("Fact 10: unfair on-call (YBIORI, six teams; default and 8x incident rate)")
        return fig


CLAIM = UnfairOnCall(
    10,
    "Unfair on-call",
    "S1; S3; S5; PB",
    "YBIORI (six teams), unpaid vs paid L3, default and 8x incident rate",
    "unpaid responders answer less and later; morale falls per unpaid callout; more leave",
    "responding depends on pay and goodwill, goodwill erodes with uncompensated callouts and low morale raises "
    "the chance of leaving (ablations: l3_paid=true; unpaid callouts without a morale cost)",
)
