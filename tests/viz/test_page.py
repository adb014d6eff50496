"""Fast layer for the Solara page: solara.render, no browser (about a second per test)."""

from __future__ import annotations

from types import SimpleNamespace

import ipyvuetify as v
import ipywidgets
import pytest
import solara
from mesa.visualization.solara_viz import copy_renderer

import viz.app as app
from model.params import PARAMS
from viz.controls import SCENARIO, initial_values, model_params


@pytest.fixture
def rendered():
    """The page inside solara.AppLayout (as `solara run` serves it), driving a model the test can inspect."""
    model = solara.reactive(app.build_model())

    @solara.component
    def Root():
        with solara.AppLayout():
            app.Page(model=model)

    _, rc = solara.render(Root(), handle_error=False)
    yield rc, model
    rc.close()


def click(rc, label: str) -> None:
    rc.find(v.Btn, children=[label]).widget.click()


def type_text(rc, label: str, text: str) -> None:
    """Type into a solara.InputText: it reports its value only on focus-out or Enter."""
    field = rc.find(v.TextField, label=label).widget
    field.v_model = text
    field.fire_event("focusout", {})


def images(rc) -> list:
    """The matplotlib panels: the graph first, then the plots."""
    return [w.value for w in rc.find(ipywidgets.Image).widgets]


def alerts(rc) -> list[str]:
    return [" ".join(map(str, w.children)) for w in rc.find(v.Alert).widgets]


# --- controls generated from the schema -------------------------------------------------------------------
def test_controls_come_from_the_schema():
    params = model_params()
    assert params["rng"] == {"type": "InputText", "value": 1, "label": "Seed"}
    assert set(params) == {"rng", *PARAMS}  # every parameter passed, so Reset keeps the fixed ones
    assert params["operating_model"]["type"] == "Select"
    assert params["operating_model"]["values"] == list(PARAMS["operating_model"].options())
    assert params["delivery_teams"]["type"] == "SliderInt"
    assert params["demand_per_week"]["type"] == "SliderFloat"
    assert params["l3_paid"]["type"] == "Checkbox"
    assert not isinstance(params["incident_rate_per_week"], dict)  # a support uncertainty: fixed
    assert params["incident_rate_per_week"] == PARAMS["incident_rate_per_week"].default
    for name, spec in params.items():
        if isinstance(spec, dict) and spec["type"].startswith("Slider"):
            p = PARAMS[name]
            assert (spec["min"], spec["max"]) == (p.low, p.high)
            k = (spec["value"] - spec["min"]) / spec["step"]
            assert abs(k - round(k)) < 1e-6, f"{name}: opening value is off the slider grid"


def test_default_scenario_opens_the_page():
    values = initial_values(model_params())
    assert {k: values[k] for k in SCENARIO} == SCENARIO
    m = app.build_model()
    assert m.p["operating_model"] == "ybiori"
    assert m.p["delivery_teams"] == 3
    assert m.p["demand_per_week"] == 2.0
    assert m.p["weeks"] == 52


# --- the page ------------------------------------------------------------------------------------------------
def test_intervals_sit_on_mesa_slider_grids():
    # SolaraViz's sliders: Render Interval min 1 step 2, Play Interval min 1 step 10; the browser snaps
    # any other value (24 became 25), so the fast layer and the served page would disagree.
    assert (app.RENDER_INTERVAL - 1) % 2 == 0
    assert (app.PLAY_INTERVAL - 1) % 10 == 0


def test_page_imports():
    assert isinstance(app.page, solara.Element)
    assert callable(app.Page)
    assert isinstance(app.notebook_model, app.OrgModel)


def test_page_renders_in_app_layout_at_time_zero(rendered):
    rc, _ = rendered
    rc.find(v.Html, children=["Time: 0.0"]).assert_single()
    assert len(images(rc)) == 3  # graph and two plots


def test_step_advances_one_day(rendered):
    rc, model = rendered
    click(rc, "Step")
    rc.find(v.Html, children=[f"Time: {float(app.RENDER_INTERVAL)}"]).wait_for(timeout=10)
    assert model.value.time == app.RENDER_INTERVAL
    assert len(model.value.datacollector.get_model_vars_dataframe()) == 2  # one daily row per Step


def test_reset_uses_the_selected_operating_model(rendered):
    rc, model = rendered
    click(rc, "Step")
    rc.find(v.Select, label="Operating model").widget.v_model = "ybiyri"
    click(rc, "Reset")
    assert model.value.p["operating_model"] == "ybiyri"
    assert model.value.p["delivery_teams"] == 3  # the rest of the scenario is kept
    assert model.value.time == 0.0
    rc.find(v.Html, children=["Time: 0.0"]).wait_for(timeout=10)
    assert {e.role for e in model.value.engineers} == {"developer", "service_desk"}


def test_graph_image_changes_after_steps(rendered):
    rc, _ = rendered
    before = images(rc)
    steps = 8  # past the first weekly rota handover (168 h), so who is on call changes
    for _ in range(steps):
        click(rc, "Step")
    rc.find(v.Html, children=[f"Time: {steps * float(app.RENDER_INTERVAL)}"]).wait_for(timeout=20)
    after = images(rc)
    assert after[0] != before[0], "graph did not change"
    assert after[1] != before[1], "deployments plot did not change"


def test_bad_seed_shows_a_message_and_keeps_the_settings(rendered):
    rc, model = rendered
    click(rc, "Step")
    rc.find(v.Select, label="Operating model").widget.v_model = "ybiyri"
    type_text(rc, "Seed", "abc")
    click(rc, "Reset")  # must not raise
    [message] = alerts(rc)
    assert "Reset kept the previous settings" in message
    assert "seed must be a whole number" in message
    assert model.value.p["operating_model"] == "ybiori"  # the last settings that worked, not half of the new
    assert rc.find(v.TextField, label="Seed").widget.v_model == "abc"  # the controls still show the input
    click(rc, "Step")
    rc.find(v.Html, children=[f"Time: {float(app.RENDER_INTERVAL)}"]).wait_for(timeout=10)
    type_text(rc, "Seed", "7")
    click(rc, "Reset")
    assert alerts(rc) == []
    assert model.value.p["operating_model"] == "ybiyri"
    assert model.value.reset_note is None


def test_invalid_combination_is_reported_not_raised(rendered):
    rc, model = rendered
    rc.find(v.Slider, label="Weeks").widget.v_model = 2
    rc.find(v.Slider, label="Demand shock week").widget.v_model = 10
    click(rc, "Reset")
    [message] = alerts(rc)
    assert "demand_shock_week=10 is not allowed" in message
    assert model.value.p["weeks"] == 52


# --- graph drawing -----------------------------------------------------------------------------------------
def engineer(role="developer", on_call=False, incident=None):
    return SimpleNamespace(role=role, on_call=on_call, working_incident=incident)


def test_portrayal_encodes_role_on_call_and_incident():
    plain = app.portrayal(engineer())
    assert plain.color == app.ROLE_COLOURS["developer"]
    assert app.portrayal(engineer("app_ops")).color != plain.color
    assert app.portrayal(engineer(on_call=True)).size > plain.size
    busy = app.portrayal(engineer(incident=3))
    assert busy.edgecolors == app.INCIDENT_EDGE and busy.linewidths > plain.linewidths
    assert plain.edgecolors is not None  # Mesa needs an edge colour for every agent or none


def test_graph_styling_survives_reset():
    renderer = app.make_renderer(app.build_model())
    copied = copy_renderer(renderer, app.build_model())  # what SolaraViz's Reset does
    assert type(copied) is app.OrgGraphRenderer
    assert copied.draw_space_kwargs == renderer.draw_space_kwargs
    assert copied.agent_portrayal is app.portrayal
