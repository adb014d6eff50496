"""The whorunsit Solara pages: watch inoperability and Discontinuous Delivery emerge, one hour at a time.

``solara run viz/app.py`` (``whorunsit serve``, ``make serve``) serves two routes:

* ``/``: one operating model. The sidebar holds Mesa's Step / Play / Reset controller and the controls
  generated from the parameter schema; the page shows the communication graph and four mechanism panels
  (delivery, operability, support, people and money), each with a caption saying what to look for.
* ``/compare``: two operating models on the same seed and parameters, stepping together (:mod:`viz.compare`).

Design (see also :mod:`viz.components`): the page is composed from Mesa's own ``ModelController`` and
``ShowSteps`` (and the parameter widgets of Mesa's ``ModelCreator``, with their values shown) rather than the
``SolaraViz`` shell, because SolaraViz puts every panel
in a fixed half-width draggable grid cell (too small for multi-axis panels and captions) and its
``SpaceRenderer`` re-runs a spring layout on every Reset and redraws from scratch every frame. Here the
graph is a custom matplotlib component with a team-clustered layout computed once per model and cached,
and each panel updates its artists in place. Step, Play, Pause, Reset, the render interval and the
"Time: x" text behave exactly as in SolaraViz, because they are SolaraViz's components.
"""

from __future__ import annotations

import logging
from typing import Any

import solara
import solara.lab
from mesa.visualization.solara_viz import ModelController, ShowSteps, split_model_params

from model.org import OrgModel
from model.params import ParamError
from viz.compare import ComparePage
from viz.components import PLAY_INTERVAL, RENDER_INTERVAL, ROLE_COLOURS, Dashboard, IntervalSliders, ParamInputs
from viz.controls import initial_values, model_params, seed_value

log = logging.getLogger(__name__)

TITLE = "Who runs it?"

__all__ = [
    "PLAY_INTERVAL",
    "RENDER_INTERVAL",
    "ROLE_COLOURS",
    "ComparePage",
    "Layout",
    "OrgModel",
    "Page",
    "PageModel",
    "build_model",
    "routes",
]


#: The parameters that last built a model, per visitor (a served ``solara.reactive`` is per session).
_last_good: solara.Reactive[dict[str, Any] | None] = solara.reactive(None)


class PageModel(OrgModel):
    """OrgModel as the page builds it; Mesa's Reset calls ``type(model)(**params)``.

    Three adaptations, nothing else changes:

    * Mesa 3.5.1's Reset adds ``scenario=Scenario()`` to the arguments of any model whose constructor takes
      ``**kwargs``, and OrgModel rightly rejects it as an unknown parameter. It is always empty here (the
      seed arrives as ``rng``), so it is dropped.
    * Mesa's controller lets a constructor error escape the Reset handler, and Solara then replaces the whole
      page with a traceback (an error boundary cannot catch it: reacton 1.11 loops on event-handler errors).
      So invalid values on screen (the seed "abc", a shock week after the horizon) rebuild the last settings
      that worked and keep the reason in :attr:`reset_note`, which the page shows in the sidebar. A bad seed
      is reported as the "Seed" box, not as the ``rng`` argument it becomes.
    * Mesa's ``step`` ticks the clock on past the horizon, and its controller finishes the Step's
      ``render_interval`` hours after the model stopped: here a step at the horizon does nothing, so Step
      and Play stop exactly there (168 h for one week, not 175).
    """

    reset_note: str | None = None

    def __init__(self, *, rng: Any = None, scenario: Any = None, **params: Any) -> None:
        try:
            seed = seed_value(rng)
            super().__init__(rng=seed, **params)
        except ParamError as error:
            fallback = _last_good.value
            if vars(self) or fallback is None:  # half-built (not a validation error), or nothing to go back to
                raise
            super().__init__(**fallback)
            self.reset_note = f"Reset kept the previous settings: {error}"
            log.warning("%s", self.reset_note)
        else:
            _last_good.value = {"rng": seed, **params}
        self._hour = self.step  # Mesa's step, an instance attribute: one hour, whatever the clock says
        self.step = self._step_within_horizon

    def _step_within_horizon(self) -> None:
        """Advance one hour, unless the run has reached its horizon."""
        if self.time < self.horizon:
            self._hour()


MODEL_PARAMS = model_params()
USER_PARAMS, _FIXED = split_model_params(MODEL_PARAMS)  # the widgets; fixed values travel in ``parameters``


def build_model() -> PageModel:
    """The model the page opens with: the same values the controls show, so Reset changes only what moved."""
    return PageModel(**initial_values(MODEL_PARAMS))


@solara.component
def ResetNote(note: str | None) -> None:
    """Say why the last Reset could not use the values on screen.

    The container is always there, even when empty: a sidebar child that comes and goes re-mounts the
    controls below it, which then show their opening values while the controller keeps the edited ones.
    """
    with solara.Column():
        if note:
            solara.Error(note, classes=["reset-note"])


@solara.component
def Page(model: solara.Reactive[OrgModel] | None = None) -> None:
    """The main page for one visitor: an own model (a shared one would step in every open tab).

    Args:
        model: a reactive model to drive (tests pass one to inspect it); by default a fresh one per visitor.
    """
    given = model
    first = solara.use_memo(lambda: build_model() if given is None else given.value, [])
    own = solara.use_reactive(first)
    model = own if given is None else given
    parameters = solara.use_reactive(initial_values(MODEL_PARAMS))  # what the next Reset builds
    play_interval = solara.use_reactive(PLAY_INTERVAL)
    render_interval = solara.use_reactive(RENDER_INTERVAL)
    use_threads = solara.use_reactive(False)  # threads would draw while the model steps: off, and not offered

    with solara.AppBar():
        solara.AppBarTitle(TITLE)
    with solara.Sidebar(), solara.Column():
        ResetNote(getattr(model.value, "reset_note", None))
        with solara.Card("Controls"):
            IntervalSliders(play_interval, render_interval)
            ModelController(
                model,
                model_parameters=parameters,
                play_interval=play_interval,
                render_interval=render_interval,
                use_threads=use_threads,
            )
        with solara.Card("Model Parameters"):
            ParamInputs(USER_PARAMS, parameters)
        with solara.Card("Information"):
            ShowSteps(model.value)
    Dashboard(model.value)


@solara.component
def Layout(children: list | None = None) -> None:
    """Solara's AppLayout with a tab per page (used when served with routes; tests render pages directly)."""
    route, routes = solara.use_route()
    router = solara.use_router()
    index = routes.index(route) if route in routes else 0

    def go(i: int) -> None:
        router.push("/" if routes[i].path == "/" else f"/{routes[i].path}")

    with solara.AppLayout(title=TITLE):
        with solara.AppBar(), solara.lab.Tabs(value=index, on_value=go, align="center"):
            for r in routes:
                solara.lab.Tab(r.label)
        for child in children or []:
            solara.display(child)


#: What ``solara run viz/app.py`` serves: the main page and the comparison, with a tab for each.
routes = [
    solara.Route(path="/", component=Page, label="One operating model", layout=Layout),
    solara.Route(path="compare", component=ComparePage, label="Compare two"),
]
