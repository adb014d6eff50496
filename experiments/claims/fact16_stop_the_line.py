"""Fact 16: Stop the Line costs features, but a lasting planned-work share below 70% needs low operability.

YBIYRI teams starting with low and with high operability stocks; the incident rate follows the stocks.
"""

from __future__ import annotations

from experiments.claims.base import Claim, Verdict, bars, mean, new_figure, rounded, status, sweep

STARTS = [0.1, 0.8]


LOWER = 0.05  # 'lower from a low start' by more than noise (its SD is 0.25 points; the fact expects ~30)


class StopTheLine(Claim):
    """Planned-work share and end operability by starting operability."""

    def spec(self, quick: bool):
        """YBIYRI, three teams, low vs high starting operability."""
        return [
            sweep(
                "stop-the-line",
                quick,
                long=True,
                fixed={"operating_model": "ybiyri", "delivery_teams": 3},
                grid={"operability_start": STARTS},
            )
        ]

    def evaluate(self, tables):
        """Planned share at least 70% from a high start and at least 5 points lower from a low one."""
        t = tables["stop-the-line"]
        n = {}
        for s in STARTS:
            n[f"planned_work_share_start_{s:g}"] = mean(t, "planned_work_share", operability_start=s)
            n[f"operability_end_start_{s:g}"] = mean(t, "operability_end", operability_start=s)
        low, high = n[f"planned_work_share_start_{STARTS[0]:g}"], n[f"planned_work_share_start_{STARTS[1]:g}"]
        ok = high >= 0.7 and low < high - LOWER
        text = (
            f"Planned-work share: {low:.0%} from operability {STARTS[0]:g}, {high:.0%} from {STARTS[1]:g} (lower "
            f"means by at least {LOWER * 100:.0f} points)."
        )
        return Verdict(status(ok), rounded(n), text, "the starting stock is the switch (no further ablation)")

    def figure(self, tables):
        """Bars of planned-work share by starting operability."""
        t = tables["stop-the-line"]
        fig, (ax,) = new_figure()
        bars(
            ax,
            [f"start {s:g}" for s in STARTS],
            [t.loc[t.operability_start == s, "planned_work_share"] for s in STARTS],
            "planned_work_share",
        )
        ax.axhline(0.7, color="grey", linestyle=":")
        ax.set_title("Fact 16: planned-work share, YBIYRI", fontsize="medium")
        return fig


CLAIM = StopTheLine(
    16,
    "Stop the Line costs features; without operability it becomes excessive BAU",
    "S2; S4; PB: pitfalls",
    "YBIYRI (three teams)",
    "a lasting planned-work share below about 70% only when operability starts low and stays low",
    "the whole team swarms, and the incident rate depends on the stocks",
)
