"""Time the Solara pages without a browser: first render and per-Step redraw for 1, 10 and 30 teams.

Renders the real page components with ``solara.render`` (as the fast tests do), clicks Step and times the
click: Solara redraws synchronously inside it, so the time is stepping the models by one render interval
plus updating and encoding every figure. Browser transfer and decoding are not included (a few tens of ms
for a few hundred kB of PNG on loopback).

Usage: ``.venv/bin/python -m experiments.viz_timing [--teams 1 10 30] [--steps 8] [--warm 3]``
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import time
from typing import Any

import ipyvuetify as v
import ipywidgets
import solara

BUDGET_FIRST_S = 10.0  # issue 7: first render within 10 s of opening the page
BUDGET_STEP_S = 1.0  # issue 7: one Step redraws within a second for a 10-team organisation


def _render_page(page: Any, **kwargs: Any) -> Any:
    """Render ``page(**kwargs)`` in an AppLayout and return the render context, keeping solara's prints quiet."""

    @solara.component
    def Root() -> None:
        with solara.AppLayout():
            page(**kwargs)

    with contextlib.redirect_stdout(io.StringIO()):  # solara prints each AppBarTitle when rendered without a browser
        return solara.render(Root(), handle_error=False)[1]


def _time_steps(rc: Any, steps: int, warm: int) -> tuple[float, float]:
    """Median and max seconds per Step click, after ``warm`` untimed Steps (the wedge has data by then)."""
    button = rc.find(v.Btn, children=["Step"]).widget
    times = []
    for k in range(warm + steps):
        t0 = time.perf_counter()
        button.click()
        if k >= warm:
            times.append(time.perf_counter() - t0)
    return statistics.median(times), max(times)


def time_main(teams: int, steps: int, warm: int) -> dict[str, float]:
    """First render (model build included) and Step times of the main page for ``teams`` Delivery teams."""
    import viz.app as app
    from viz.controls import initial_values

    t0 = time.perf_counter()
    model = solara.reactive(app.PageModel(**{**initial_values(app.MODEL_PARAMS), "delivery_teams": teams}))
    rc = _render_page(app.Page, model=model)
    first = time.perf_counter() - t0
    assert len(rc.find(ipywidgets.Image).widgets) == 5
    median, worst = _time_steps(rc, steps, warm)
    engineers = len(model.value.engineers)
    rc.close()
    return {"first_s": first, "step_s": median, "step_max_s": worst, "engineers": engineers}


def time_compare(teams: int, steps: int, warm: int) -> dict[str, float]:
    """The same for the compare page (two models stepping together)."""
    from viz import compare
    from viz.controls import initial_values

    t0 = time.perf_counter()
    params = {**initial_values(compare.COMPARE_PARAMS), "delivery_teams": teams}
    pair = solara.reactive(compare.Pair.build(params, compare.default_names()))
    rc = _render_page(compare.ComparePage, pair=pair)
    first = time.perf_counter() - t0
    median, worst = _time_steps(rc, steps, warm)
    engineers = len(pair.value.a.engineers) + len(pair.value.b.engineers)
    rc.close()
    return {"first_s": first, "step_s": median, "step_max_s": worst, "engineers": engineers}


def main(argv: list[str] | None = None) -> int:
    """Print a table of first-render and Step times and their ratios to the 1-team page and to the budgets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument("--steps", type=int, default=8, help="timed Steps per size")
    parser.add_argument("--warm", type=int, default=3, help="untimed Steps first")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    import viz.app  # noqa: F401  (import cost reported apart: mesa.visualization and matplotlib)

    print(f"import viz.app: {time.perf_counter() - t0:.2f} s")
    try:
        with open("/proc/pressure/cpu") as f:
            print("cpu pressure:", f.readline().strip())
    except OSError:
        pass
    time_main(1, 1, 0)  # warm matplotlib's font cache and solara's first-render paths
    rows = []
    for teams in args.teams:
        rows.append(("main", teams, time_main(teams, args.steps, args.warm)))
    for teams in args.teams:
        rows.append(("compare", teams, time_compare(teams, args.steps, args.warm)))
    base = {page: r for page, teams, r in rows if teams == args.teams[0]}
    header = (
        f"{'page':8} {'teams':>5} {'people':>6} {'first s':>8} {'step s':>7} {'max s':>6} {'step x1':>8} {'budget':>7}"
    )
    print(header)
    print("-" * len(header))
    for page, teams, r in rows:
        ratio = r["step_s"] / base[page]["step_s"]
        budget = r["step_s"] / BUDGET_STEP_S
        print(
            f"{page:8} {teams:>5} {r['engineers']:>6} {r['first_s']:>8.2f} {r['step_s']:>7.3f} {r['step_max_s']:>6.3f}"
            f" {ratio:>7.2f}x {budget:>6.0%}"
        )
    print(
        f"(step x1: Step time relative to {args.teams[0]} team(s); budget: share of the {BUDGET_STEP_S:.0f} s budget;"
        f" first render budget {BUDGET_FIRST_S:.0f} s, longest here {max(r['first_s'] for _, _, r in rows):.2f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
