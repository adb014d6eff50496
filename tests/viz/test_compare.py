"""Fast layer for the compare page: two operating models on one seed, stepping together, differences in numbers."""

from __future__ import annotations

import math
import re

import ipyvuetify as v
import ipywidgets
import pytest
import solara

from model import operating_models
from viz import compare
from viz.compare import COMPARE_PARAMS, Difference, Measure, Pair, default_names, headline, key_differences
from viz.components import RENDER_INTERVAL
from viz.controls import initial_values

RATIO = re.compile(r"\d+(\.\d+)?x")


@pytest.fixture
def rendered():
    pair = solara.reactive(Pair.build(initial_values(COMPARE_PARAMS), default_names()))

    @solara.component
    def Root():
        with solara.AppLayout():
            compare.ComparePage(pair=pair)

    _, rc = solara.render(Root(), handle_error=False)
    yield rc, pair
    rc.close()


def click(rc, label: str) -> None:
    rc.find(v.Btn, children=[label]).widget.click()


def images(rc) -> list[bytes]:
    return [bytes(w.value) for w in rc.find(ipywidgets.Image).widgets]


def headline_text(rc) -> str:
    [widget] = rc.find(v.Html, class_="headline").widgets
    return widget.children[0]


def table_html(rc) -> str:
    [widget] = rc.find(solara.widgets.HTML, attributes={"class": "differences"}).widgets
    return widget.unsafe_innerHTML


# --- ratios -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b", "text"),
    [
        (6.1, 1.0, "6.1x"),
        (1.0, 4.0, "0.25x"),
        (42.0, 2.0, "21x"),
        (3.0, 0.0, "only A"),
        (0.0, 3.0, "only B"),
        (0.0, 0.0, "–"),
        (math.nan, 2.0, "–"),
    ],
)
def test_ratio_text(a, b, text):
    assert Difference(Measure("x", "x"), a, b).ratio_text == text


def test_headline_names_the_biggest_differences_first():
    diffs = [
        Difference(Measure("time to restore", "t"), 61.0, 10.0),
        Difference(Measure("deployments", "d"), 10.0, 42.0),
        Difference(Measure("incidents", "i"), 10.0, 10.5),  # within 20%: not a key difference
    ]
    assert headline(diffs) == "time to restore 6.1x, deployments 0.24x"
    one_sided = Difference(Measure("unpaid out-of-hours", "u"), 8.0, 0.0)
    assert headline([one_sided, *diffs], ("ybiori", "ybiyri")).startswith("unpaid out-of-hours only ybiori, ")
    assert "No big differences" in headline(diffs[2:])


def test_default_pair_comes_from_the_registry():
    names = operating_models.names()
    a, b = default_names()
    assert a in names and b in names and a != b


def test_key_differences_follow_the_summaries():
    pair = Pair.build({**initial_values(COMPARE_PARAMS), "weeks": 8}, ("ybiori", "ybiyri"))
    for _ in range(21 * 24):
        pair.step()
    diffs = {d.measure.label: d for d in key_differences(pair.a, pair.b)}
    assert set(diffs) == {m.label for m in compare.MEASURES}
    support_a = compare.run_summary(pair.a)
    assert diffs["time to restore (median)"].a == pytest.approx(support_a["time_to_restore_h_median"])
    assert diffs["deployments"].b == sum(s.deployments for s in pair.b.services)
    # the series' headline result: restoring through L1 -> L2 -> L3 takes longer than the owner swarming
    assert diffs["time to restore (median)"].ratio > 1


# --- the page ------------------------------------------------------------------------------------------------------
def test_compare_page_renders_both_models_and_the_differences(rendered):
    rc, pair = rendered
    rc.find(v.Html, children=["Time: 0.0"]).assert_single()
    assert len(images(rc)) == 3  # two graphs and the overlay
    a, b = pair.value.names
    titles = [w.children[0] for w in rc.find(v.CardTitle).widgets]
    assert f"A: {a}" in titles and f"B: {b}" in titles
    assert f"Key differences: {a} relative to {b}" in titles
    assert f"<th>{a} / {b}</th>" in table_html(rc)


def test_step_advances_both_models_together_and_shows_ratios(rendered):
    rc, pair = rendered
    before = images(rc)
    rc.find(v.Slider, label="Render Interval (steps)").widget.v_model = 99
    for _ in range(3):
        click(rc, "Step")
    rc.find(v.Html, children=[f"Time: {3 * 99.0}"]).wait_for(timeout=20)
    assert pair.value.a.time == pair.value.b.time == 3 * 99
    after = images(rc)
    assert all(x != y for x, y in zip(before, after, strict=True)), "a panel did not change after Steps"
    assert RATIO.search(headline_text(rc)), headline_text(rc)
    assert RATIO.search(table_html(rc))


def test_reset_rebuilds_both_with_the_chosen_models_and_shared_parameters(rendered):
    rc, pair = rendered
    click(rc, "Step")
    names = operating_models.names()
    rc.find(v.Select, label="Model B").widget.v_model = names[-1]
    rc.find(v.Slider, label="Delivery teams").widget.v_model = 2
    click(rc, "Reset")
    rc.find(v.Html, children=["Time: 0.0"]).wait_for(timeout=10)
    a, b = pair.value.a, pair.value.b
    assert b.p["operating_model"] == names[-1]
    assert a.p["delivery_teams"] == b.p["delivery_teams"] == 2
    assert {k: v for k, v in a.p.items() if k != "operating_model"} == {
        k: v for k, v in b.p.items() if k != "operating_model"
    }
    click(rc, "Step")
    rc.find(v.Html, children=[f"Time: {float(RENDER_INTERVAL)}"]).wait_for(timeout=10)


# --- what a new reader reported ---------------------------------------------------------------------------------
def test_every_slider_always_shows_its_value(rendered, every_slider_shows_its_value):
    every_slider_shows_its_value(rendered[0])


@pytest.mark.parametrize(("seed", "named"), [("abc", "seed='abc' is not allowed"), ("-1", "seed=-1 is not allowed")])
def test_bad_seed_resets_with_the_previous_settings_and_names_the_seed(rendered, seed, named):
    rc, pair = rendered
    before = pair.value
    click(rc, "Step")
    rc.find(v.Html, children=[f"Time: {float(RENDER_INTERVAL)}"]).wait_for(timeout=10)
    rc.find(v.Select, label="Model B").widget.v_model = operating_models.names()[-1]
    field = rc.find(v.TextField, label="Seed").widget
    field.v_model = seed
    field.fire_event("focusout", {})
    click(rc, "Reset")
    rc.find(v.Html, children=["Time: 0.0"]).wait_for(timeout=10)  # restarted, as Reset on the main page
    [alert] = rc.find(v.Alert).widgets
    message = " ".join(map(str, alert.children))
    assert "Reset kept the previous settings" in message and named in message and "rng" not in message
    assert pair.value is not before and pair.value.time == 0
    assert pair.value.names == before.names  # the last settings that worked, not half of the new
    assert pair.value.params == before.params
    assert rc.find(v.TextField, label="Seed").widget.v_model == seed  # the controls still show the input


def test_step_stops_exactly_at_the_horizon(rendered):
    rc, pair = rendered
    rc.find(v.Slider, label="Weeks").widget.v_model = 1
    click(rc, "Reset")
    rc.find(v.Html, children=["Time: 0.0"]).wait_for(timeout=10)
    for _ in range(7):  # 25 h a Step: the seventh would end at 175 h
        click(rc, "Step")
    rc.find(v.Html, children=["Time: 168.0"]).wait_for(timeout=20)
    assert pair.value.a.time == pair.value.b.time == 168
    assert rc.find(v.Btn, children=["Step"]).widget.disabled


def test_headline_counts_one_day_in_the_singular(rendered):
    rc, _ = rendered
    assert headline_text(rc).startswith("After 0 days, ")
    click(rc, "Step")  # 25 h
    rc.find(v.Html, children=[f"Time: {float(RENDER_INTERVAL)}"]).wait_for(timeout=10)
    assert headline_text(rc).startswith("After 1 day, "), headline_text(rc)
