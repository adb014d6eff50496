"""Browser layer: the served page in headless Debian Chromium (catches blank pages and missing assets).

Set WHORUNSIT_SCREENSHOTS=1 to save docs/img/main-page.png from the run.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "img" / "main-page.png"
TIME_RE = re.compile(r"Time: (\d+(?:\.\d+)?)")
STEP_H = 25.0  # viz.app.RENDER_INTERVAL: hours per Step and per Play frame
PLAY_MS = 51.0  # viz.app.PLAY_INTERVAL


def shown_time(page) -> float:
    """The model time in the sidebar's "Time: x" text."""
    match = TIME_RE.search(page.locator("body").inner_text())
    assert match, "no 'Time: x' on the page"
    return float(match.group(1))


def settled_time(page, quiet_s: float = 1.5, cap_s: float = 20.0) -> float:
    """Wait until "Time: x" stops changing for ``quiet_s`` (Pause is asynchronous) and return it."""
    deadline = time.monotonic() + cap_s
    last, since = shown_time(page), time.monotonic()
    while time.monotonic() < deadline:
        page.wait_for_timeout(250)
        now = shown_time(page)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return now
    pytest.fail(f"time still changing after {cap_s} s of Pause (last {last})")


def open_page(page, solara_url: str) -> list[str]:
    """Load the page, wait until it is really rendered, and return the list collecting page errors."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(solara_url)
    expect(page.get_by_text("Time: 0.0")).to_be_visible(timeout=60_000)
    expect(page.locator(".vue-grid-item img")).to_have_count(3, timeout=30_000)  # graph + two plots
    return errors


def slider_values(page) -> dict[str, float]:
    """Each slider's label and the value the browser holds (after Vuetify snapped it to the slider's grid)."""
    pairs = page.evaluate(
        """() => [...document.querySelectorAll('[role=slider]')].map(
               e => [e.closest('.v-input').querySelector('label').innerText, e.getAttribute('aria-valuenow')])"""
    )
    return {label: float(value) for label, value in pairs}


def test_sliders_open_at_the_configured_values(page, solara_url):
    """A value off a slider's grid is silently snapped by the browser (24 -> 25) and then used by Reset."""
    from viz.controls import model_params  # light: the schema only

    errors = open_page(page, solara_url)
    expected = {
        spec["label"]: float(spec["value"])
        for spec in model_params().values()
        if isinstance(spec, dict) and spec["type"].startswith("Slider")
    }
    expected |= {"Render Interval (steps)": STEP_H, "Play Interval (ms)": PLAY_MS}
    assert slider_values(page) == expected
    assert not errors, errors


def test_page_steps_plays_and_pauses(page, solara_url):
    errors = open_page(page, solara_url)
    graph = page.locator(".vue-grid-item img").first
    expect(graph).to_be_visible()
    assert graph.evaluate("img => img.complete && img.naturalWidth > 100"), "graph image is empty"

    page.get_by_role("button", name="Step").click()
    expect(page.get_by_text(f"Time: {STEP_H}")).to_be_visible(timeout=20_000)

    page.get_by_role("button", name="▶").click()  # Play
    page.wait_for_function(
        "() => { const m = /Time: (\\d+)\\./.exec(document.body.innerText); return m && +m[1] >= 4 * 25; }",
        timeout=120_000,  # a frame redraws every figure; slow when the 2 cores are shared
    )
    page.get_by_role("button", name="❚❚").click()  # Pause
    paused_at = settled_time(page)
    assert paused_at >= 4 * STEP_H
    assert paused_at % STEP_H == 0, "a Play frame should advance RENDER_INTERVAL hours"
    expect(page.get_by_role("button", name="Step")).to_be_enabled()
    page.wait_for_timeout(1000)
    assert shown_time(page) == paused_at, "model kept running after Pause"

    if os.environ.get("WHORUNSIT_SCREENSHOTS") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.wait_for_timeout(500)  # let the last frame's images decode
        page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert not errors, errors


def test_bad_seed_shows_message_not_traceback(page, solara_url):
    errors = open_page(page, solara_url)
    seed = page.get_by_label("Seed")
    seed.fill("abc")
    seed.press("Enter")  # solara.InputText reports on Enter or focus-out
    page.get_by_role("button", name="Reset").click()
    expect(page.get_by_text("seed must be a whole number")).to_be_visible(timeout=20_000)
    expect(page.get_by_text("Time: 0.0")).to_be_visible()
    assert page.locator("pre", has_text="Traceback").count() == 0
    page.get_by_role("button", name="Step").click()
    expect(page.get_by_text(f"Time: {STEP_H}")).to_be_visible(timeout=20_000)
    assert not errors, errors
