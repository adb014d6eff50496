"""Fact 19: tiered YBIYRI costs less than all-team YBIYRI and keeps most of its restore-time benefit.

For every D >= 3: standby cost between YBIORI and YBIYRI; TTR nearer YBIYRI's than YBIORI's.
"""

from __future__ import annotations

from experiments.claims.base import Claim, Verdict, mean, new_figure, rounded, status
from experiments.claims.shared import scale_models

MODELS = ("ybiori", "ybiyri-tiered", "ybiyri")


class Tiering(Claim):
    """Cost vs TTR frontier of the three models at each D."""

    def spec(self, quick: bool):
        """The scale sweep."""
        return [scale_models(quick)]

    def evaluate(self, tables):
        """Cost in between and TTR position below one half (0 = YBIYRI's TTR, 1 = YBIORI's) for every D >= 3."""
        s = tables["scale"]
        ds = [d for d in sorted(s["delivery_teams"].unique()) if d >= 3]
        numbers, ok = {}, True
        for d in ds:
            cost = {m: mean(s, "standby_cost", operating_model=m, delivery_teams=d) for m in MODELS}
            ttr = {m: mean(s, "time_to_restore_h_median", operating_model=m, delivery_teams=d) for m in MODELS}
            position = (ttr["ybiyri-tiered"] - ttr["ybiyri"]) / (ttr["ybiori"] - ttr["ybiyri"])
            between = cost["ybiori"] <= cost["ybiyri-tiered"] < cost["ybiyri"]
            numbers |= {f"tiered_standby_share_of_ybiyri_D{d}": cost["ybiyri-tiered"] / cost["ybiyri"]}
            numbers |= {f"tiered_ttr_position_D{d}": position}
            ok &= between and position < 0.5
        text = (
            "Tiered standby as a share of all-team standby, and TTR position between YBIYRI (0) and YBIORI (1): "
            + ", ".join(
                f"D={d}: {numbers[f'tiered_standby_share_of_ybiyri_D{d}']:.0%} / "
                f"{numbers[f'tiered_ttr_position_D{d}']:.2f}"
                for d in ds
            )
            + "."
        )
        return Verdict(
            status(ok), rounded(numbers), text, "domain-rota sync penalty not switchable separately; no ablation"
        )

    def figure(self, tables):
        """Standby cost against median TTR per model, one point per D."""
        fig, (ax,) = new_figure()
        s = tables["scale"]
        for i, m in enumerate(MODELS):
            g = s[s.operating_model == m].groupby("delivery_teams")[["standby_cost", "time_to_restore_h_median"]].mean()
            ax.plot(
                g["standby_cost"] / s["weeks"].iloc[0],
                g["time_to_restore_h_median"],
                marker="o",
                color=f"C{i}",
                label=m,
            )
            for d, row in g.iterrows():
                ax.annotate(
                    f"D={d}",
                    (row["standby_cost"] / s["weeks"].iloc[0], row["time_to_restore_h_median"]),
                    fontsize="x-small",
                )
        ax.set_xlabel("standby cost per week (GBP)")
        ax.set_ylabel("median TTR (h)")
        ax.legend(fontsize="small")
        ax.set_title("Fact 19: cost vs TTR frontier", fontsize="medium")
        return fig


CLAIM = Tiering(
    19,
    "Tiering grows more slowly than D and keeps most of the benefit",
    "PB: scale",
    "tiered vs all-team YBIYRI vs YBIORI@scale, mixed portfolio",
    "tiered sits between on cost and near all-team on TTR",
    "only high-exposure services carry team rotas; domain responders pay a sync penalty",
)
