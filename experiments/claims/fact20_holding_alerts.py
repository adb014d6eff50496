"""Fact 20: holding 95% alerts to the morning still motivates: tiered no-rota teams invest more than YBIORI's.

Low-band (95%) services of tiered YBIYRI against the same services run by YBIORI, from the per-service table.
"""

from __future__ import annotations

import pandas as pd

from experiments.claims.base import Claim, Verdict, bars, new_figure, rounded, status, sweep


def low_band(tables) -> pd.DataFrame:
    """Low-band services with the operating model of their run."""
    runs = tables["holding-95"][["run_id", "operating_model"]]
    services = tables["holding-95:services"].merge(runs, on="run_id")
    return services[services["band"] == "low"]


class HoldingAlerts(Claim):
    """Operability of low-band services: tiered (no rota) vs YBIORI."""

    keep_tables = ("services",)

    def spec(self, quick: bool):
        """YBIORI and tiered YBIYRI, ten teams, mixed portfolio."""
        return [
            sweep(
                "holding-95",
                quick,
                long=True,
                fixed={"portfolio": "mixed", "delivery_teams": 10},
                grid={"operating_model": ["ybiori", "ybiyri-tiered"]},
            )
        ]

    def evaluate(self, tables):
        """Higher end operability for tiered no-rota services."""
        low = low_band(tables)
        tiered = float(low.loc[low.operating_model == "ybiyri-tiered", "operability"].mean())
        ori = float(low.loc[low.operating_model == "ybiori", "operability"].mean())
        text = f"Operability of 95% services at the end: tiered (held to the morning) {tiered:.2f} vs YBIORI {ori:.2f}."
        return Verdict(
            status(tiered > ori),
            rounded({"tiered_low_band_operability": tiered, "ybiori_low_band_operability": ori}),
            text,
        )

    def figure(self, tables):
        """Bars of low-band operability."""
        low = low_band(tables)
        fig, (ax,) = new_figure()
        models = ["ybiori", "ybiyri-tiered"]
        bars(
            ax,
            models,
            [low.loc[low.operating_model == m, "operability"] for m in models],
            "operability (low-band services)",
        )
        ax.set_title("Fact 20: 95% services held to the morning", fontsize="medium")
        return fig


CLAIM = HoldingAlerts(
    20,
    "Holding 95% alerts still motivates",
    "PB: scale",
    "tiered YBIYRI vs YBIORI, ten teams, mixed portfolio",
    "higher operability investment of no-rota teams than of YBIORI-covered services",
    "a night failure becomes the team's lost morning",
)
