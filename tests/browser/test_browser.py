"""Browser layer: the served pages in headless Debian Chromium (catches blank pages and missing assets).

Set WHORUNSIT_SCREENSHOTS=1 to save docs/img/main-page.png and docs/img/compare-page.png from the run.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect  # a dev dependency: if it is missing the layer fails here, it never skips

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = os.environ.get("WHORUNSIT_SCREENSHOTS") == "1"
TIME_RE = re.compile(r"Time: (\d+(?:\.\d+)?)")
RATIO_RE = re.compile(r"\d+(?:\.\d+)?x")
STEP_H = 25.0  # viz.components.RENDER_INTERVAL: hours per Step and per Play frame
PLAY_MS = 51.0  # viz.components.PLAY_INTERVAL
MAIN_IMAGES = 5  # graph, delivery, operability, support, people and money
COMPARE_IMAGES = 3  # two graphs and the overlay
VIEWPORT = {"width": 1600, "height": 1000}


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


def open_page(page, url: str, images: int) -> list[str]:
    """Load a page, wait until it is really rendered, and return the list collecting page errors."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
    page.set_viewport_size(VIEWPORT)
    page.goto(url)
    expect(page.get_by_text("Time: 0.0")).to_be_visible(timeout=60_000)
    imgs = page.locator(".whorunsit-panel img")
    expect(imgs).to_have_count(images, timeout=30_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.whorunsit-panel img')].every(i => i.complete && i.naturalWidth > 100)",
        timeout=30_000,
    )
    return errors


def image_sources(page) -> list[str]:
    """The src of every panel image (each redraw gives a new blob URL or data)."""
    return page.locator(".whorunsit-panel img").evaluate_all("imgs => imgs.map(i => i.src)")


def wait_images_change(page, before: list[str], timeout_ms: int = 20_000) -> None:
    """Wait until every panel image differs from ``before``."""
    page.wait_for_function(
        """before => {
            const now = [...document.querySelectorAll('.whorunsit-panel img')].map(i => i.src);
            return now.length === before.length && now.every((s, k) => s !== before[k]);
        }""",
        arg=before,
        timeout=timeout_ms,
    )


def step_once(page, expected_h: float) -> None:
    page.get_by_role("button", name="Step").click()
    expect(page.get_by_text(f"Time: {expected_h}")).to_be_visible(timeout=20_000)


def play_pause(page, frames: int = 4) -> float:
    """Play until ``frames`` more frames have run, Pause, and return the settled time."""
    start = shown_time(page)
    page.get_by_role("button", name="▶").click()
    page.wait_for_function(
        "([start, hours]) => { const m = /Time: (\\d+)\\./.exec(document.body.innerText);"
        " return m && +m[1] >= start + hours; }",
        arg=[start, frames * STEP_H],
        timeout=120_000,  # a frame redraws every figure; slow when the 2 cores are shared
    )
    page.get_by_role("button", name="❚❚").click()
    paused_at = settled_time(page)
    assert paused_at >= start + frames * STEP_H
    assert paused_at % STEP_H == 0, "a Play frame should advance RENDER_INTERVAL hours"
    expect(page.get_by_role("button", name="Step")).to_be_enabled()
    page.wait_for_timeout(1000)
    assert shown_time(page) == paused_at, "model kept running after Pause"
    return paused_at


def screenshot(page, name: str) -> None:
    """Save the whole page (the content scrolls inside the layout, so grow the viewport to fit it first)."""
    path = ROOT / "docs" / "img" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": VIEWPORT["width"], "height": min(int(height) + 200, 4000)})
    page.wait_for_timeout(1500)  # let the layout settle and the images decode
    page.screenshot(path=str(path))


def slider_values(page) -> dict[str, float]:
    """Each slider's label and the value the browser holds (after Vuetify snapped it to the slider's grid)."""
    pairs = page.evaluate(
        """() => [...document.querySelectorAll('[role=slider]')].map(
               e => [e.closest('.v-input').querySelector('label').innerText, e.getAttribute('aria-valuenow')])"""
    )
    return {label: float(value) for label, value in pairs}


# --- main page ----------------------------------------------------------------------------------------------------
def test_sliders_open_at_the_configured_values(page, solara_url):
    """A value off a slider's grid is silently snapped by the browser (24 -> 25) and then used by Reset."""
    from viz.controls import model_params  # light: the schema only

    errors = open_page(page, solara_url, MAIN_IMAGES)
    expected = {
        spec["label"]: float(spec["value"])
        for spec in model_params().values()
        if isinstance(spec, dict) and spec["type"].startswith("Slider")
    }
    expected |= {"Render Interval (steps)": STEP_H, "Play Interval (ms)": PLAY_MS}
    assert slider_values(page) == expected
    assert not errors, errors


def test_main_page_steps_plays_and_pauses(page, solara_url):
    errors = open_page(page, solara_url, MAIN_IMAGES)
    for title in ("Communication graph", "Delivery", "Operability", "Support", "People and money"):
        expect(page.locator(".v-card__title", has_text=re.compile(f"^{title}$"))).to_be_visible()
    expect(page.get_by_text("Discontinuous Delivery: demand the pipeline cannot deploy")).to_be_visible()

    before = image_sources(page)
    step_once(page, STEP_H)
    wait_images_change(page, before)  # the graph and every plot redrew

    before = image_sources(page)
    play_pause(page)
    assert image_sources(page) != before
    for _ in range(20):  # a month in, so the screenshot shows the mechanisms at work
        if not SCREENSHOTS:
            break
        step_once(page, shown_time(page) + STEP_H)
    if SCREENSHOTS:
        screenshot(page, "main-page.png")
    assert not errors, errors


def test_bad_seed_shows_message_not_traceback(page, solara_url):
    errors = open_page(page, solara_url, MAIN_IMAGES)
    seed = page.get_by_label("Seed")
    seed.fill("abc")
    seed.press("Enter")  # solara.InputText reports on Enter or focus-out
    page.get_by_role("button", name="Reset").click()
    expect(page.get_by_text("seed must be a whole number")).to_be_visible(timeout=20_000)
    expect(page.get_by_text("Time: 0.0")).to_be_visible()
    assert page.locator("pre", has_text="Traceback").count() == 0
    step_once(page, STEP_H)
    assert not errors, errors


# --- compare page --------------------------------------------------------------------------------------------------
def test_tabs_switch_between_the_pages(page, solara_url):
    errors = open_page(page, solara_url, MAIN_IMAGES)
    page.get_by_role("tab", name="Compare two").click()
    expect(page.get_by_text("Key differences:")).to_be_visible(timeout=30_000)
    expect(page.locator(".whorunsit-panel img")).to_have_count(COMPARE_IMAGES, timeout=30_000)
    assert page.url.rstrip("/").endswith("/compare")
    page.get_by_role("tab", name="One operating model").click()
    expect(page.locator(".whorunsit-panel img")).to_have_count(MAIN_IMAGES, timeout=30_000)
    assert not errors, errors


def test_compare_page_steps_both_models_and_shows_ratios(page, solara_url):
    errors = open_page(page, solara_url + "compare", COMPARE_IMAGES)
    expect(page.get_by_text("Key differences: ybiori relative to ybiyri")).to_be_visible()
    expect(page.locator("table.differences")).to_be_visible()

    before = image_sources(page)
    step_once(page, STEP_H)
    wait_images_change(page, before)  # both graphs and the overlay redrew
    play_pause(page, frames=4)
    for _ in range(25):  # a month in: the differences have had time to show
        if not SCREENSHOTS:
            break
        step_once(page, shown_time(page) + STEP_H)
    headline = page.locator(".headline").inner_text()
    assert RATIO_RE.search(headline) or "only" in headline, headline
    assert RATIO_RE.search(page.locator("table.differences").inner_text())
    if SCREENSHOTS:
        screenshot(page, "compare-page.png")
    assert not errors, errors
