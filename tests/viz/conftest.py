"""Checks shared by the page tests of both pages."""

from __future__ import annotations

import ipyvuetify as v
import pytest

SLIDERS_ON_BOTH_PAGES = {"Weeks", "Delivery teams", "Demand per week", "Play Interval (ms)", "Render Interval (steps)"}


def _every_slider_shows_its_value(rc) -> None:
    sliders = rc.find(v.Slider).widgets
    assert {s.label for s in sliders} >= SLIDERS_ON_BOTH_PAGES
    hidden = [s.label for s in sliders if s.thumb_label != "always"]
    assert not hidden, f"sliders that show their value only while dragged: {hidden}"


@pytest.fixture
def every_slider_shows_its_value():
    """Fail unless the rendered page's sliders (the usual ones among them) show their value at all times."""
    return _every_slider_shows_its_value
