"""SolaraViz ``model_params`` generated from the one parameter schema in :mod:`model.params`.

Only the user-facing groups get a widget; every other parameter is passed as a fixed value, so Reset
rebuilds the model with the same settings and no parameter is ever listed twice.
"""

from __future__ import annotations

import contextlib
import math
from typing import Any

from model.params import PARAMS, Param, check_seed, unknown_key_error

#: Which roles of which groups get a widget: the whole organisation and demand groups (the questions a
#: reader asks first), and only the levers of the other groups (their uncertainties are calibration).
CONTROL_GROUPS: dict[str, frozenset[str]] = {
    "organisation": frozenset({"lever", "setting", "uncertainty"}),
    "demand": frozenset({"lever", "setting", "uncertainty"}),
    "work": frozenset({"lever"}),
    "incentives": frozenset({"lever"}),
    "people": frozenset({"lever"}),
    "opex": frozenset({"lever"}),
    "pay": frozenset({"lever"}),
    "support": frozenset({"lever"}),
    "services": frozenset({"lever"}),
    "models": frozenset({"lever"}),
}

#: The scenario the page opens with (differs from the schema defaults where a demo needs it).
SCENARIO: dict[str, Any] = {"operating_model": "ybiori", "delivery_teams": 3, "demand_per_week": 2.0, "weeks": 52}

#: The seed the page opens with; typed into a text box, so the model receives a string after an edit.
DEFAULT_SEED = 1
#: The seed box's label; a bad seed is reported under this name, not as the model's ``rng`` argument.
SEED_LABEL = "Seed"

_MIN_SLIDER_POSITIONS = 20  # a float slider gets at least this many positions across its range
_NICE_STEPS = sorted(m * 10.0**e for e in range(-4, 4) for m in (1, 2, 5))


def has_control(param: Param) -> bool:
    """True if ``param`` gets a widget on the page (its group and role are in :data:`CONTROL_GROUPS`)."""
    return param.role in CONTROL_GROUPS.get(param.group, frozenset())


def label(param: Param) -> str:
    """A short widget label: the name in words, with the unit unless the name already says it."""
    words = param.name.split("_")
    if param.unit and words[-1] in ("h", "min"):  # the unit says it better: feature_effort_h -> (engineer-hours)
        words = words[:-1]
    text = " ".join(words)
    text = text[0].upper() + text[1:]
    if param.unit and param.unit.lower() not in text.lower():
        text += f" ({param.unit})"
    return text


def _on_grid(x: float, step: float) -> bool:
    ratio = x / step
    return math.isclose(ratio, round(ratio), abs_tol=1e-6)


def float_step(param: Param, value: float) -> float:
    """The coarsest 1-2-5 step with enough positions that puts ``low``, ``high`` and ``value`` on the grid.

    A slider can only land on ``low + k * step``: a step that misses the opening value or a bound would
    make that value unreachable once the reader touches the slider.
    """
    span = param.high - param.low
    for step in reversed(_NICE_STEPS):
        if span / step >= _MIN_SLIDER_POSITIONS and all(_on_grid(x, step) for x in (param.low, param.high, value)):
            return step
    return span / 1000


def control(param: Param, value: Any) -> dict[str, Any]:
    """The SolaraViz input dict for one parameter, opening at ``value``."""
    common = {"value": value, "label": label(param)}
    if param.kind is bool:
        return {"type": "Checkbox", **common}
    if param.choices is not None:
        return {"type": "Select", **common, "values": list(param.options())}
    if param.kind is int:
        return {"type": "SliderInt", **common, "min": int(param.low), "max": int(param.high), "step": 1}
    if param.kind is float:
        step = float_step(param, value)
        return {"type": "SliderFloat", **common, "min": param.low, "max": param.high, "step": step}
    raise TypeError(f"{param.name}: no widget for a parameter of kind {param.kind.__name__}")


def model_params(scenario: dict[str, Any] | None = None, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """Build SolaraViz ``model_params`` from the schema: widgets for the user-facing subset, fixed values else.

    Args:
        scenario: opening values that override the schema defaults (default :data:`SCENARIO`); they are
            checked against the schema, so a bad scenario fails here with a one-line ``ParamError``.
        seed: the opening seed, shown in a text box labelled "Seed".

    Returns:
        ``{"rng": seed box, name: widget dict or plain value, ...}`` in schema order.
    """
    scenario = SCENARIO if scenario is None else scenario
    for name in scenario:
        if name not in PARAMS:
            raise unknown_key_error(name)
    values = {name: PARAMS[name].check(v) for name, v in scenario.items()}
    out: dict[str, Any] = {"rng": {"type": "InputText", "value": seed, "label": SEED_LABEL}}
    for name, param in PARAMS.items():
        value = values.get(name, param.default)
        out[name] = control(param, value) if has_control(param) else value
    return out


def initial_values(params: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments ``params`` opens with: each widget's value, each fixed value as it is."""
    return {name: spec["value"] if isinstance(spec, dict) and "type" in spec else spec for name, spec in params.items()}


def seed_value(seed: Any) -> Any:
    """The seed box's value as the model's ``rng``: text becomes an int, ``None`` stays (a random seed).

    Raises:
        ParamError: one line naming the field the reader typed in ("seed='abc' is not allowed: ..."),
            not the model's ``rng`` argument.
    """
    if seed is None:
        return None
    if isinstance(seed, str):
        with contextlib.suppress(ValueError):  # not a number: check_seed reports it, quoting what was typed
            seed = int(seed.strip())
    return check_seed(seed, SEED_LABEL.lower())
