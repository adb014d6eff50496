"""Fast layer for the main page: solara.render, no browser (about a second per test)."""

from __future__ import annotations

import ipyvuetify as v
import ipywidgets
import pytest
import solara
from reacton.find import Finder

import viz.app as app
from model import operating_models
from model.params import PARAMS
from viz import components
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


def images(rc) -> list[bytes]:
    """Every matplotlib image on the page."""
    return [bytes(w.value) for w in rc.find(ipywidgets.Image).widgets]


def panel_images(rc) -> dict[str, bytes]:
    """Each panel's image by panel key (graph, delivery, operability, support, people)."""
    out = {}
    for cls in components.ALL_PANELS:
        [card] = [c for c in rc.find(v.Card).widgets if f"panel-{cls.key}" in c.class_.split()]
        [widget] = Finder([card]).find(ipywidgets.Image).widgets
        out[cls.key] = bytes(widget.value)
    return out


def alerts(rc) -> list[str]:
    return [" ".join(map(str, w.children)) for w in rc.find(v.Alert).widgets]


def texts(rc) -> str:
    return "\n".join(" ".join(map(str, w.children)) for w in rc.find(v.Html).widgets if w.children)


def wait_time(rc, hours: float, timeout: float = 20) -> None:
    rc.find(v.Html, children=[f"Time: {float(hours)}"]).wait_for(timeout=timeout)


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
    # Mesa's sliders: Render Interval min 1 step 2, Play Interval min 1 step 10; the browser snaps any other
    # value (24 became 25), so the fast layer and the served page would disagree.
    assert (app.RENDER_INTERVAL - 1) % 2 == 0
    assert (app.PLAY_INTERVAL - 1) % 10 == 0


def test_app_serves_main_and_compare_routes():
    assert [r.path for r in app.routes] == ["/", "compare"]
    assert app.routes[0].component is app.Page
    assert app.routes[1].component is app.ComparePage
    assert app.routes[0].layout is app.Layout  # the root layout wraps both pages (tabs to switch)


def test_page_renders_every_panel_with_its_caption_at_time_zero(rendered):
    rc, _ = rendered
    rc.find(v.Html, children=["Time: 0.0"]).assert_single()
    assert len(images(rc)) == len(components.ALL_PANELS) == 5
    shown = texts(rc)
    for cls in components.ALL_PANELS:
        assert cls.caption in shown, f"{cls.title}: caption missing"
    assert "Discontinuous Delivery" in components.DeliveryPanel.caption
    assert "Inoperability" in components.OperabilityPanel.caption
    assert "The run so far" in [w.children[0] for w in rc.find(v.CardTitle).widgets]


def test_step_advances_one_day(rendered):
    rc, model = rendered
    click(rc, "Step")
    wait_time(rc, app.RENDER_INTERVAL)
    assert model.value.time == app.RENDER_INTERVAL
    assert len(model.value.datacollector.get_model_vars_dataframe()) == 2  # one daily row per Step


def test_changing_the_operating_model_and_stepping_updates_every_panel(rendered):
    rc, model = rendered
    opening = panel_images(rc)
    other = "ybiyri"  # a different organisation (no App Ops, Ops Bridge): the graph must change
    assert other in operating_models.names() and other != model.value.p["operating_model"]
    rc.find(v.Select, label="Operating model").widget.v_model = other
    rc.find(v.Slider, label="Render Interval (steps)").widget.v_model = 99  # fewer, longer Steps: ~4 days each
    click(rc, "Reset")
    assert model.value.p["operating_model"] == other
    assert model.value.p["delivery_teams"] == 3  # the rest of the scenario is kept
    assert model.value.time == 0.0
    wait_time(rc, 0)
    assert {e.role for e in model.value.engineers} == {"developer", "service_desk"}
    after_reset = panel_images(rc)
    assert after_reset["graph"] != opening["graph"], "graph did not redraw for the new operating model"
    assert after_reset["people"] != opening["people"], "by-team bars did not follow the new teams"
    for _ in range(2):
        click(rc, "Step")
    wait_time(rc, 2 * 99)
    stepped = panel_images(rc)
    for key, before in after_reset.items():
        assert stepped[key] != before, f"{key} panel did not change after two Steps"


@pytest.mark.parametrize("seed", ["abc", "-1"])
def test_bad_seed_shows_a_message_and_keeps_the_settings(rendered, seed):
    rc, model = rendered
    click(rc, "Step")
    rc.find(v.Select, label="Operating model").widget.v_model = "ybiyri"
    type_text(rc, "Seed", seed)
    click(rc, "Reset")  # must not raise
    [message] = alerts(rc)
    assert "Reset kept the previous settings" in message
    assert "seed must be a whole number" in message
    assert model.value.p["operating_model"] == "ybiori"  # the last settings that worked, not half of the new
    assert rc.find(v.TextField, label="Seed").widget.v_model == seed  # the controls still show the input
    click(rc, "Step")
    wait_time(rc, app.RENDER_INTERVAL)
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


# --- what a new reader reported ---------------------------------------------------------------------------------
def test_every_slider_always_shows_its_value(rendered, every_slider_shows_its_value):
    every_slider_shows_its_value(rendered[0])


def test_sliders_keep_showing_what_reset_will_use(rendered):
    rc, model = rendered
    rc.find(v.Slider, label="Weeks").widget.v_model = 3
    click(rc, "Reset")
    assert model.value.p["weeks"] == 3
    assert rc.find(v.Slider, label="Weeks").widget.v_model == 3


@pytest.mark.parametrize(("seed", "named"), [("abc", "seed='abc' is not allowed"), ("-1", "seed=-1 is not allowed")])
def test_bad_seed_message_names_the_seed_field(rendered, seed, named):
    rc, _ = rendered
    type_text(rc, "Seed", seed)
    click(rc, "Reset")
    [message] = alerts(rc)
    assert named in message and "rng" not in message
    assert len(message.splitlines()) == 1


def test_step_stops_exactly_at_the_horizon(rendered):
    rc, model = rendered
    rc.find(v.Slider, label="Weeks").widget.v_model = 1
    click(rc, "Reset")
    horizon = model.value.horizon
    assert horizon == 168
    for k in range(1, 7):  # 25 h a Step: 150 h after six
        click(rc, "Step")
        wait_time(rc, k * app.RENDER_INTERVAL)
    click(rc, "Step")  # the seventh would end at 175 h
    wait_time(rc, horizon)
    assert model.value.time == horizon
    assert rc.find(v.Btn, children=["Step"]).widget.disabled
    model.value.step()  # also a stray step (Play's frame in progress) leaves the clock at the horizon
    assert model.value.time == horizon


def test_play_stops_exactly_at_the_horizon(rendered):
    rc, model = rendered
    rc.find(v.Slider, label="Weeks").widget.v_model = 1
    rc.find(v.Slider, label="Play Interval (ms)").widget.v_model = 1
    click(rc, "Reset")
    click(rc, "▶")
    rc.find(v.Btn, children=["❚❚"], disabled=True).wait_for(timeout=60)  # Play ends by itself at the horizon
    wait_time(rc, 168)
    assert model.value.time == 168
