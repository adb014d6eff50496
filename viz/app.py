"""The whorunsit Solara page: the engineers' communication graph and two daily measures, run by SolaraViz.

It lets a reader watch one operating model hour by hour and switch policy or levers with Reset; serve it
with ``solara run viz/app.py``.
"""

from __future__ import annotations

import logging
from typing import Any

import solara
from matplotlib.lines import Line2D
from mesa.visualization import SolaraViz, SpaceRenderer, make_plot_component
from mesa.visualization.components import AgentPortrayalStyle

from model.org import OrgModel
from model.params import ParamError
from viz.controls import initial_values, model_params

log = logging.getLogger(__name__)

TITLE = "Who runs it?"

#: One Step (and one Play frame) advances this many one-hour steps: about a day, so a Step adds one daily
#: row to the plots (now and then two) and a year of Play is about 350 frames. Not 24: Mesa's "Render
#: Interval" slider (min 1, step 2) only holds odd values and the browser snaps 24 to 25 on load.
RENDER_INTERVAL = 25
#: Pause between Play frames (ms), on Mesa's slider grid (1, 11, 21, ...). Stepping a day takes about a
#: millisecond; redrawing the three figures (a few hundred ms) sets the pace.
PLAY_INTERVAL = 51

ROLE_COLOURS = {
    "developer": "tab:blue",
    "app_ops": "tab:orange",
    "ops_bridge": "tab:green",
    "service_desk": "tab:purple",
}
ROLE_LABELS = {
    "developer": "Delivery developer",
    "app_ops": "App Ops (L2)",
    "ops_bridge": "Ops Bridge (L1)",
    "service_desk": "Service Desk (L1)",
}
NODE_SIZE = 60
ON_CALL_SIZE = 200
INCIDENT_EDGE = "red"


def portrayal(engineer: Any) -> AgentPortrayalStyle:
    """Colour an engineer by role, enlarge them while on call, ring them in red while working an incident."""
    busy = engineer.working_incident is not None
    return AgentPortrayalStyle(
        color=ROLE_COLOURS.get(engineer.role, "tab:gray"),
        size=ON_CALL_SIZE if engineer.on_call else NODE_SIZE,
        edgecolors=INCIDENT_EDGE if busy else "white",  # every agent needs one, or Mesa's arrays misalign
        linewidths=2.5 if busy else 0.5,
        zorder=3 if busy else 2,
    )


def _legend(ax: Any) -> None:
    """Title the graph and explain the encoding (drawn once per renderer; Mesa keeps legends across frames)."""
    handles = [
        Line2D([], [], ls="", marker="o", ms=7, color=colour, label=ROLE_LABELS[role])
        for role, colour in ROLE_COLOURS.items()
    ]
    handles += [
        Line2D([], [], ls="", marker="o", ms=12, color="lightgray", label="on call (large)"),
        Line2D(
            [], [], ls="", marker="o", ms=7, color="lightgray", mec=INCIDENT_EDGE, mew=2, label="working an incident"
        ),
    ]
    ax.set_title("Communication graph: engineers and their ties", fontsize=10)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)


class OrgGraphRenderer(SpaceRenderer):
    """A matplotlib SpaceRenderer over ``model.grid`` that sets up its own styling.

    Mesa 3.5's Reset copies a renderer with ``type(renderer)(model=..., backend=...)`` and loses the
    ``setup_structure`` keyword arguments; doing the set-up in ``__init__`` makes it survive every Reset.
    The spring layout (seed 0) is computed by Mesa's NetworkSpaceDrawer at construction: cheap at ~30 nodes.
    """

    def __init__(self, model: OrgModel, backend: str = "matplotlib") -> None:
        super().__init__(model, backend=backend)
        self.setup_structure(
            node_kwargs={"node_size": 0, "alpha": 0.0},  # agents are drawn on top by the portrayal
            edge_kwargs={"alpha": 0.35, "style": "-", "edge_color": "gray", "width": 0.6},
        )
        self.setup_agents(portrayal)
        self.post_process = _legend


#: The parameters that last built a model, per visitor (a served ``solara.reactive`` is per session).
_last_good: solara.Reactive[dict[str, Any] | None] = solara.reactive(None)


class PageModel(OrgModel):
    """OrgModel as the page builds it; SolaraViz's Reset calls ``type(model)(**params)``.

    Two adaptations, nothing else changes:

    * Mesa 3.5.1's Reset adds ``scenario=Scenario()`` to the arguments of any model whose constructor takes
      ``**kwargs``, and OrgModel rightly rejects it as an unknown parameter. It is always empty here (the
      seed arrives as ``rng``), so it is dropped.
    * SolaraViz lets a constructor error escape the Reset handler, and Solara then replaces the whole page
      with a traceback (an error boundary cannot catch it: reacton 1.11 loops on event-handler errors). So
      invalid values on screen (the seed "abc", a shock week after the horizon) rebuild the last settings
      that worked and keep the reason in :attr:`reset_note`, which the page shows in the sidebar.
    """

    reset_note: str | None = None

    def __init__(self, *, rng: Any = None, scenario: Any = None, **params: Any) -> None:
        try:
            super().__init__(rng=rng, **params)
        except ParamError as error:
            fallback = _last_good.value
            if vars(self) or fallback is None:  # half-built (not a validation error), or nothing to go back to
                raise
            super().__init__(**fallback)
            self.reset_note = f"Reset kept the previous settings: {error}"
            log.warning("%s", self.reset_note)
            return
        _last_good.value = {"rng": rng, **params}


def make_renderer(model: OrgModel) -> OrgGraphRenderer:
    """A drawn graph renderer for ``model``."""
    return OrgGraphRenderer(model).render()


def _day_axis(title: str):
    """Post-process for a daily plot: Mesa labels the x axis "Step", but each row is one day."""

    def post_process(ax: Any) -> None:
        ax.set_title(f"{title} (x: day)", fontsize=10)

    return post_process


COMPONENTS = [
    make_plot_component(["deployments_cum", "demand_cum"], post_process=_day_axis("Deployments vs demand")),
    make_plot_component(["operability"], post_process=_day_axis("Mean operability")),
]

MODEL_PARAMS = model_params()


def build_model() -> PageModel:
    """The model the page opens with: the same values the controls show, so Reset changes only what moved."""
    return PageModel(**initial_values(MODEL_PARAMS))


def make_page(model: OrgModel | solara.Reactive[OrgModel], renderer: SpaceRenderer) -> solara.Element:
    """The SolaraViz element for ``model`` drawn by ``renderer``."""
    return SolaraViz(
        model,
        renderer,
        components=COMPONENTS,
        model_params=MODEL_PARAMS,
        play_interval=PLAY_INTERVAL,
        render_interval=RENDER_INTERVAL,
        name=TITLE,
    )


@solara.component
def ResetNote(model: solara.Reactive[OrgModel]) -> None:
    """Say at the top of the sidebar why the last Reset could not use the values on screen.

    The sidebar slot is always there, even when empty: a slot that comes and goes re-mounts the SolaraViz
    controls, which then show their opening values while SolaraViz keeps the edited ones.
    """
    note = getattr(model.value, "reset_note", None)
    with solara.Sidebar(), solara.Column():
        if note:
            solara.Error(note, classes=["reset-note"])


@solara.component
def Page(model: solara.Reactive[OrgModel] | None = None) -> None:
    """One visitor's page: an own model and renderer (a shared one would step in every open tab).

    Args:
        model: a reactive model to drive (tests pass one to inspect it); by default a fresh one per visitor.
    """
    given = model
    first = solara.use_memo(lambda: build_model() if given is None else given.value, [])
    own = solara.use_reactive(first)
    model = own if given is None else given
    renderer = solara.use_memo(lambda: make_renderer(model.value), [])
    ResetNote(model)
    make_page(model, renderer)


#: The SolaraViz element over a module-level model, for notebooks (``from viz.app import page; page``).
#: ``solara run`` prefers :func:`Page`, which gives every visitor an own model and figure.
notebook_model = build_model()
page = make_page(notebook_model, make_renderer(notebook_model))
