"""The compare page: two operating models side by side on the same seed and parameters, stepping together.

One Step / Play / Reset drives both models; the page calls out the key differences as ratios of the two
models' run summaries so far ("time to restore 6.1x"), shows each model's communication graph, and overlays
the measures that differ most on shared axes.
"""

from __future__ import annotations

import html
import math
import threading
import time
import traceback
import weakref
from dataclasses import dataclass
from typing import Any, override

import numpy as np
import reacton.ipywidgets as rw
import solara
from matplotlib.ticker import FuncFormatter, NullFormatter
from mesa.visualization.solara_viz import split_model_params
from mesa.visualization.utils import force_update, update_counter

from model import metrics, operating_models
from model.calendar import HOURS_PER_DAY
from model.org import OrgModel
from model.params import ParamError
from viz.components import (
    CSS,
    FONT,
    PLAY_INTERVAL,
    RENDER_INTERVAL,
    WIDE,
    GraphPanel,
    IntervalSliders,
    Panel,
    ParamInputs,
    counted,
    daily,
    day_limit,
    nice_top,
    panel_for,
    plain_number,
    style_axes,
)
from viz.controls import initial_values, model_params, seed_value

#: The shared controls: every parameter but the operating model, which has a selector per side.
COMPARE_PARAMS = {k: v for k, v in model_params().items() if k != "operating_model"}
COLOURS = ("#c0392b", "#1f5fa8")  # model A, model B


def default_names() -> tuple[str, str]:
    """The pair the page opens with: the first two models of the series if registered, else the first two."""
    names = operating_models.names()
    preferred = [n for n in ("ybiori", "ybiyri") if n in names] + [n for n in names if n not in ("ybiori", "ybiyri")]
    return (preferred[0], preferred[1] if len(preferred) > 1 else preferred[0])


class Pair:
    """Two organisations built from the same parameters and seed, differing only in the operating model."""

    def __init__(self, a: OrgModel, b: OrgModel, params: dict[str, Any]) -> None:
        self.a, self.b = a, b
        self.params = params  #: what both were built from (the seed as an int), so a Reset can rebuild them

    @classmethod
    def build(cls, params: dict[str, Any], names: tuple[str, str]) -> Pair:
        """Build both models (raises ParamError, with nothing built, if the values are invalid).

        The seed comes from the "Seed" box and is checked as that (:func:`viz.controls.seed_value`).
        """
        params = {**params, "rng": seed_value(params.get("rng"))}
        return cls(*(OrgModel(**{**params, "operating_model": name}) for name in names), params)

    @property
    def names(self) -> tuple[str, str]:
        """The two operating models' names."""
        return self.a.p["operating_model"], self.b.p["operating_model"]

    @property
    def time(self) -> float:
        """The shared clock (both models step together)."""
        return self.a.time

    @property
    def running(self) -> bool:
        """True while either model is before its horizon (they share it)."""
        return self.a.running or self.b.running

    def step(self) -> None:
        """Advance both models one hour."""
        for m in (self.a, self.b):
            if m.running:
                m.step()


# --- the differences in numbers ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Measure:
    """One compared quantity: its label, where it comes from in the run summary, and its unit."""

    label: str
    key: str
    unit: str = ""
    digits: int = 0


MEASURES = (
    Measure("deployments", "deployments"),
    Measure("features live", "features_live"),
    Measure("lead time (median)", "lead_time_h_median", " h", 1),
    Measure("incidents", "incidents"),
    Measure("time to restore (median)", "time_to_restore_h_median", " h", 1),
    Measure("reassignments per incident", "reassignments_per_incident", "", 2),
    Measure("standby cost", "standby_cost", " £"),
    Measure("callout cost", "callout_cost", " £"),
    Measure("unpaid out-of-hours", "delivery_unpaid_ooh_hours", " h"),
    Measure("OpEx", "opex_cost", " £"),
    Measure("CapEx", "capex_cost", " £"),
    Measure("mean fatigue", "fatigue_mean", "", 2),
    Measure("leavers", "attrition"),
    Measure("operability", "operability_end", "", 2),
)


def run_summary(m: OrgModel) -> dict[str, Any]:
    """The model's delivery, support, cost and people summaries so far, plus its deployments."""
    out: dict[str, Any] = {"deployments": metrics.deployments_cum(m)}
    for summary in (metrics.delivery_summary, metrics.support_summary, metrics.cost_summary, metrics.people_summary):
        out.update(summary(m))
    return out


@dataclass(frozen=True)
class Difference:
    """A compared measure: both values and their ratio (A / B; NaN when undefined, inf when only A has any)."""

    measure: Measure
    a: float
    b: float

    @property
    def ratio(self) -> float:
        """A / B: NaN if either is missing or both are zero, inf if only B is zero."""
        a, b = self.a, self.b
        if any(isinstance(v, float) and math.isnan(v) for v in (a, b)) or (a == 0 and b == 0):
            return math.nan
        return math.inf if b == 0 else a / b

    @property
    def ratio_text(self) -> str:
        """The ratio in words: 6.1x, 0.25x, "only A", "only B" or a dash."""
        return self.ratio_words(("A", "B"))

    def ratio_words(self, names: tuple[str, str]) -> str:
        """The ratio in words, naming the model when only one of them has any: "only ybiori"."""
        r = self.ratio
        if math.isnan(r):
            return "–"
        if math.isinf(r):
            return f"only {names[0]}"
        if r == 0:
            return f"only {names[1]}"
        return f"{r:.2g}x" if r < 1 else f"{r:.1f}x" if r < 10 else f"{r:.0f}x"

    @property
    def strength(self) -> float:
        """How different: |log ratio| (0 for undefined ratios; one-sided ones rank first)."""
        r = self.ratio
        if math.isnan(r):
            return 0.0
        return math.inf if r in (0.0, math.inf) else abs(math.log(r))

    def value_text(self, value: float) -> str:
        """A value with its unit."""
        if isinstance(value, float) and math.isnan(value):
            return "–"
        m = self.measure
        if m.unit == " £":
            return f"£{value:,.0f}"
        return f"{value:,.{m.digits}f}{m.unit}"


def key_differences(a: OrgModel, b: OrgModel) -> list[Difference]:
    """Every measure of :data:`MEASURES` for both models, in that order."""
    sa, sb = run_summary(a), run_summary(b)
    return [Difference(m, float(sa[m.key]), float(sb[m.key])) for m in MEASURES]


def headline(differences: list[Difference], names: tuple[str, str] = ("A", "B"), top: int = 3) -> str:
    """The few biggest differences so far, in words: "time to restore 6.1x, deployments 0.2x, ..."."""
    ranked = sorted((d for d in differences if d.strength > math.log(1.2)), key=lambda d: -d.strength)
    if not ranked:
        return "No big differences yet: step on."
    return ", ".join(f"{d.measure.label} {d.ratio_words(names)}" for d in ranked[:top])


def differences_html(names: tuple[str, str], differences: list[Difference]) -> str:
    """An HTML table of the differences: measure, A, B, A / B, strong ones (2x either way) in bold.

    Plain HTML, not ``solara.Markdown``: the Markdown widget fetches KaTeX and Mermaid from the CDN on
    mount, which an offline server does not have.
    """
    a, b = (html.escape(n) for n in names)
    head = f"<tr><th>measure</th><th>{a}</th><th>{b}</th><th>{a} / {b}</th></tr>"
    rows = []
    for d in differences:
        ratio = html.escape(d.ratio_words(names))
        if d.strength >= math.log(2):
            ratio = f"<b>{ratio}</b>"
        rows.append(
            f"<tr><td>{html.escape(d.measure.label)}</td><td>{html.escape(d.value_text(d.a))}</td>"
            f"<td>{html.escape(d.value_text(d.b))}</td><td>{ratio}</td></tr>"
        )
    return f'<table class="differences">{head}{"".join(rows)}</table>'


TABLE_CSS = """
table.differences { border-collapse: collapse; font-size: 0.9rem; }
table.differences th, table.differences td { padding: 2px 12px; border-bottom: 1px solid #e0e0e0; }
table.differences td:not(:first-child), table.differences th:not(:first-child) { text-align: right; }
"""


# --- the overlay figure -------------------------------------------------------------------------------------
class OverlayPanel(Panel):
    """Both models on shared axes: the delivery wedge, time to restore, on-call pay and unpaid hours."""

    key = "overlay"
    title = "Side by side over time"
    caption = (
        "Same seed, same parameters, same demand: only the operating model differs. A wedge between a model's "
        "demand (dashed) and deployments (solid) is Discontinuous Delivery; the rest is who restores, and who pays."
    )

    @override
    def figsize(self, model: Any) -> tuple[float, float]:
        return (WIDE, 3.4)

    @override
    def build(self, model: Any) -> None:
        pair: Pair = model
        fig = self.figure
        fig.subplots_adjust(left=0.06, right=0.99, bottom=0.14, top=0.9, wspace=0.32)
        axes = self.axes = fig.subplots(1, 4)
        style_axes(axes[0], "Deployments vs demand", "day", "cumulative")
        style_axes(axes[1], "Time to restore, median (h)", "day")
        axes[1].set_yscale("log")
        axes[1].yaxis.set_major_formatter(FuncFormatter(plain_number))
        axes[1].yaxis.set_minor_formatter(NullFormatter())
        style_axes(axes[2], "Standby + callout pay (£)", "day")
        style_axes(axes[3], "Unpaid out-of-hours (h)", "day")
        self.lines: list[dict[str, Any]] = []
        for colour, name in zip(COLOURS, pair.names, strict=True):
            self.lines.append(
                {
                    "demand": axes[0].plot([], [], color=colour, lw=1.0, ls="--")[0],
                    "deployed": axes[0].plot([], [], color=colour, lw=1.6, label=name)[0],
                    "ttr": axes[1].plot([], [], color=colour, lw=1.4)[0],
                    "pay": axes[2].plot([], [], color=colour, lw=1.4)[0],
                    "unpaid": axes[3].plot([], [], color=colour, lw=1.4)[0],
                    "wedge": None,
                }
            )
        axes[0].legend(fontsize=FONT - 1, loc="upper left", frameon=False)
        for ax in axes:
            self.add_now_line(ax)

    @override
    def update(self, model: Any) -> None:
        pair: Pair = model
        tops = np.zeros(4)
        longest = 1.0
        for colour, m, lines in zip(COLOURS, (pair.a, pair.b), self.lines, strict=True):
            rows = daily(m)
            x = np.asarray(rows["day"], dtype=float)
            demand = np.asarray(rows["demand_cum"], dtype=float)
            deployed = np.asarray(rows["deployments_cum"], dtype=float)
            ttr = np.asarray(rows["ttr_h_recent"], dtype=float)
            pay = np.asarray(rows["standby_cost"], dtype=float) + np.asarray(rows["callout_cost"], dtype=float)
            unpaid = np.asarray(rows["unpaid_ooh_h"], dtype=float)
            lines["demand"].set_data(x, demand)
            lines["deployed"].set_data(x, deployed)
            lines["ttr"].set_data(x, ttr)
            lines["pay"].set_data(x, pay)
            lines["unpaid"].set_data(x, unpaid)
            if lines["wedge"] is not None:
                lines["wedge"].remove()
            lines["wedge"] = self.axes[0].fill_between(
                x, deployed, demand, where=demand >= deployed, color=colour, alpha=0.15, lw=0
            )
            tops = np.maximum(tops, [demand.max(initial=0), 0, pay.max(initial=0), unpaid.max(initial=0)])
            longest = max(longest, float(np.nanmax(ttr, initial=0)))
        right = max(day_limit(pair.a), day_limit(pair.b))
        for ax, top, floor in zip(self.axes, tops, (5.0, 0, 100.0, 5.0), strict=True):
            ax.set_xlim(0, right)
            if ax is not self.axes[1]:
                ax.set_ylim(0, nice_top(float(top) * 1.05, floor))
        self.axes[1].set_ylim(0.1, 10.0 ** max(1, math.ceil(math.log10(longest * 1.2))))

    @override
    def dynamic(self) -> list[Any]:
        return [artist for lines in self.lines for artist in lines.values() if artist is not None]


#: model A -> (model B, overlay); goes with model A.
_OVERLAYS: weakref.WeakKeyDictionary[Any, tuple[Any, OverlayPanel]] = weakref.WeakKeyDictionary()


def overlay_for(pair: Pair) -> OverlayPanel:
    """The cached overlay of this pair, built on first use."""
    cached = _OVERLAYS.get(pair.a)
    if cached is None or cached[0] is not pair.b:
        cached = _OVERLAYS[pair.a] = (pair.b, OverlayPanel(pair))
    return cached[1]


# --- Solara components -------------------------------------------------------------------------------------------
@solara.component
def PairController(
    pair: solara.Reactive[Pair],
    parameters: solara.Reactive[dict[str, Any]],
    names: solara.Reactive[tuple[str, str]],
    note: solara.Reactive[str | None],
    play_interval: solara.Reactive[int],
    render_interval: solara.Reactive[int],
) -> None:
    """Reset / Play-Pause / Step for both models at once (Mesa's ModelController, for a pair).

    Play runs in a thread and advances ``render_interval`` hours per frame; Pause takes effect after the
    frame in progress, as in Mesa.
    """
    playing = solara.use_reactive(False)
    running = solara.use_reactive(True)
    error = solara.use_reactive(None)
    lock = solara.use_memo(threading.Lock, [])

    def advance() -> None:
        with lock:
            for _ in range(render_interval.value):
                pair.value.step()
                running.value = pair.value.running
                if not running.value:
                    break

    def play_loop() -> None:
        try:
            while running.value and playing.value:
                time.sleep(play_interval.value / 1000)
                advance()
                force_update()  # also after Pause landed mid-frame, so the page shows where the models are
        except Exception as exc:  # shown in the sidebar, like Mesa's controller
            error.value = f"error in step: {exc}"
            traceback.print_exc()

    solara.lab.use_task(play_loop, dependencies=[playing.value, running.value], prefer_threaded=True)

    def do_step() -> None:
        advance()
        force_update()

    def do_reset() -> None:
        playing.value = False
        error.value = None
        try:
            new = Pair.build(parameters.value, names.value)
            note.value = None
        except ParamError as exc:  # as on the main page: restart with the last settings that worked, and say why
            new = Pair.build(pair.value.params, pair.value.names)
            note.value = f"Reset kept the previous settings: {exc}"
        running.value = True
        pair.value = new
        force_update()

    def do_play_pause() -> None:
        playing.value = not playing.value

    with solara.Row(justify="space-between"):
        solara.Button(label="Reset", color="primary", on_click=do_reset)
        solara.Button(
            label="▶" if not playing.value else "❚❚",
            color="primary",
            on_click=do_play_pause,
            disabled=not running.value,
        )
        solara.Button(label="Step", color="primary", on_click=do_step, disabled=playing.value or not running.value)
    if error.value:
        solara.Error(label=error.value)


@solara.component
def PairTime(pair: Pair) -> None:
    """The shared clock, as Mesa's "Time: x"."""
    update_counter.get()
    solara.Text(f"Time: {pair.time}")


@solara.component
def GraphImage(model: OrgModel, clock: float) -> None:
    """One model's communication graph (cached layout, redrawn when its clock moves; see PanelFigure)."""
    panel = panel_for(model, GraphPanel)
    png = solara.use_memo(lambda: panel.render(model), [model, clock])
    rw.Image(value=png, format="png")


@solara.component
def OverlayImage(pair: Pair, clock: float) -> None:
    """The overlay of both models."""
    panel = overlay_for(pair)
    png = solara.use_memo(lambda: panel.render(pair), [pair.a, pair.b, clock])
    rw.Image(value=png, format="png")


@solara.component
def Differences(pair: Pair, clock: float) -> None:
    """The key differences so far in numbers: a headline and the full table."""
    diffs = solara.use_memo(lambda: key_differences(pair.a, pair.b), [pair.a, pair.b, clock])
    a, b = pair.names
    with solara.Card(f"Key differences: {a} relative to {b}", margin=0, classes=["key-differences"]):
        solara.Text(
            f"After {counted(round(pair.time / HOURS_PER_DAY), 'day')}, {a} / {b}: {headline(diffs, pair.names)}",
            classes=["headline"],
            style={"font-size": "1.1rem", "font-weight": "600", "display": "block", "margin-bottom": "6px"},
        )
        solara.HTML(tag="div", unsafe_innerHTML=differences_html(pair.names, diffs), classes=["differences"])


@solara.component
def ModelColumn(model: OrgModel, side: str, colour: str, clock: float) -> None:
    """One side: the model's name, what it is, and its communication graph."""
    policy = model.policy
    with solara.Card(f"{side}: {model.p['operating_model']}", margin=0, classes=["whorunsit-panel", f"side-{side}"]):
        solara.Text(policy.description, classes=["whorunsit-caption"], style={"border-left": f"4px solid {colour}"})
        GraphImage(model, clock)


@solara.component
def ComparePage(pair: solara.Reactive[Pair] | None = None) -> None:
    """Two operating models side by side, stepping together, with the differences called out in numbers.

    Args:
        pair: a reactive pair to drive (tests pass one to inspect it); by default a fresh one per visitor.
    """
    given = pair
    first = solara.use_memo(
        lambda: Pair.build(initial_values(COMPARE_PARAMS), default_names()) if given is None else given.value, []
    )
    own = solara.use_reactive(first)
    pair = own if given is None else given
    names = solara.use_reactive(pair.value.names)
    user_params, _fixed = split_model_params(COMPARE_PARAMS)  # fixed values travel in ``parameters``
    parameters = solara.use_reactive(initial_values(COMPARE_PARAMS))
    note = solara.use_reactive(None)
    play_interval = solara.use_reactive(PLAY_INTERVAL)
    render_interval = solara.use_reactive(RENDER_INTERVAL)
    choices = list(operating_models.names())

    with solara.AppBar():
        solara.AppBarTitle("Who runs it? Two operating models side by side")
    with solara.Sidebar(), solara.Column():
        with solara.Column():
            if note.value:
                solara.Error(note.value, classes=["reset-note"])
        with solara.Card("Controls"):
            IntervalSliders(play_interval, render_interval)
            PairController(pair, parameters, names, note, play_interval, render_interval)
        with solara.Card("Operating models (Reset to apply)"):
            solara.Select(
                "Model A", values=choices, value=names.value[0], on_value=lambda v: names.set((v, names.value[1]))
            )
            solara.Select(
                "Model B", values=choices, value=names.value[1], on_value=lambda v: names.set((names.value[0], v))
            )
        with solara.Card("Shared parameters"):
            ParamInputs(user_params, parameters)
        with solara.Card("Information"):
            PairTime(pair.value)
    CompareBody(pair.value)


@solara.component
def CompareBody(pair: Pair) -> None:
    """The compare page's content; the one place it listens to Step, Play and Reset (one render pass each)."""
    update_counter.get()
    solara.Style(CSS + TABLE_CSS)
    with solara.Column():
        Differences(pair, pair.time)
        with solara.ColumnsResponsive(12, large=6):
            ModelColumn(pair.a, "A", COLOURS[0], pair.time)
            ModelColumn(pair.b, "B", COLOURS[1], pair.time)
        with solara.Card(OverlayPanel.title, margin=0, classes=["whorunsit-panel", "overlay"]):
            solara.Text(OverlayPanel.caption, classes=["whorunsit-caption"])
            OverlayImage(pair, pair.time)
