from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from model.params import PARAMS, Param, ParamError, defaults, parse_assignments, unknown_key_error, validate

NUMERIC = [p for p in PARAMS.values() if p.kind in (int, float)]
INTS = [p for p in PARAMS.values() if p.kind is int]
FLOATS = [p for p in PARAMS.values() if p.kind is float]
BOOLS = [p for p in PARAMS.values() if p.kind is bool]
CHOICES = [p for p in PARAMS.values() if p.kind is str]


def _ids(params):
    return [p.name for p in params]


def _raises_one_line(values, *must_contain: str) -> str:
    with pytest.raises(ParamError) as info:
        validate(values)
    message = str(info.value)
    assert "\n" not in message and "\r" not in message, message
    for text in must_contain:
        assert text in message, (text, message)
    return message


# --- the schema --------------------------------------------------------------------------------------------
def test_schema_is_well_formed():
    assert len(PARAMS) >= 50
    for name, p in PARAMS.items():
        assert name == p.name
        assert p.kind in (int, float, bool, str)
        assert p.doc
        assert p.role in ("lever", "uncertainty", "setting")
        if p.kind in (int, float):
            assert p.low is not None and p.high is not None and p.low < p.high, name
        if p.kind is str:
            assert p.options(), name


def test_defaults_pass_validate():
    assert validate() == defaults()
    assert validate({}) == defaults()
    assert validate(defaults()) == defaults()


@pytest.mark.parametrize("p", list(PARAMS.values()), ids=_ids(PARAMS.values()))
def test_each_default_passes_its_own_check(p: Param):
    value = p.check(p.default)
    assert value == p.default
    assert type(value) is p.kind
    if p.kind in (int, float):
        assert p.low <= p.default <= p.high


def test_validate_returns_a_fresh_complete_dict():
    first = validate({"weeks": 3})
    first["weeks"] = 99
    assert validate({"weeks": 3})["weeks"] == 3
    assert set(validate()) == set(PARAMS)


@pytest.mark.parametrize("p", NUMERIC, ids=_ids(NUMERIC))
def test_bounds_are_inclusive(p: Param):
    low = int(p.low) if p.kind is int else p.low
    high = int(p.high) if p.kind is int else p.high
    extra = {"weeks": 520} if p.name == "demand_shock_week" else {}
    extra |= {"workday_start_hour": 0} if p.name == "workday_end_hour" else {}
    extra |= {"workday_end_hour": 24} if p.name == "workday_start_hour" else {}
    assert validate({**extra, p.name: low})[p.name] == low
    assert validate({**extra, p.name: high})[p.name] == high


def test_int_param_accepts_integral_float_and_converts():
    out = validate({"delivery_teams": 3.0})
    assert out["delivery_teams"] == 3
    assert type(out["delivery_teams"]) is int


def test_float_param_accepts_int_and_converts():
    out = validate({"demand_per_week": 2})
    assert out["demand_per_week"] == 2.0
    assert type(out["demand_per_week"]) is float


# --- bad values: one line, naming the parameter and what is allowed ------------------------------------
@pytest.mark.parametrize("p", NUMERIC, ids=_ids(NUMERIC))
def test_out_of_range_raises(p: Param):
    span = p.high - p.low
    for bad in (p.low - max(1, span), p.high + max(1, span)):
        bad = int(bad) if p.kind is int else float(bad)
        _raises_one_line({p.name: bad}, p.name, f"{p.low:g}..{p.high:g}")


@pytest.mark.parametrize("p", NUMERIC, ids=_ids(NUMERIC))
def test_wrong_type_raises(p: Param):
    for bad in ("3", [1], None, {"a": 1}, object()):
        _raises_one_line({p.name: bad}, p.name, f"{p.low:g}..{p.high:g}")


@pytest.mark.parametrize("p", NUMERIC, ids=_ids(NUMERIC))
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
def test_nan_and_infinity_raise(p: Param, bad: float):
    _raises_one_line({p.name: bad}, p.name, f"{p.low:g}..{p.high:g}")


@pytest.mark.parametrize("p", NUMERIC, ids=_ids(NUMERIC))
@pytest.mark.parametrize("bad", [True, False])
def test_bool_for_number_raises(p: Param, bad: bool):
    _raises_one_line({p.name: bad}, p.name, "an integer" if p.kind is int else "a number")


@pytest.mark.parametrize("p", INTS, ids=_ids(INTS))
def test_fractional_value_for_int_raises(p: Param):
    _raises_one_line({p.name: p.low + 0.5}, p.name, "an integer", f"{p.low:g}..{p.high:g}")


@pytest.mark.parametrize("p", BOOLS, ids=_ids(BOOLS))
@pytest.mark.parametrize("bad", [1, 0, "true", "false", None, 1.0])
def test_non_bool_for_bool_raises(p: Param, bad):
    _raises_one_line({p.name: bad}, p.name, "true or false")


@pytest.mark.parametrize("p", CHOICES, ids=_ids(CHOICES))
@pytest.mark.parametrize("bad", ["nope", "", 1, None, "YBIORI "])
def test_unknown_choice_raises_listing_the_choices(p: Param, bad):
    message = _raises_one_line({p.name: bad}, p.name, "one of")
    for option in p.options():
        assert option in message


def test_choices_are_the_registries():
    from agents.behaviours import names as behaviour_names
    from model.operating_models import names as model_names

    assert PARAMS["operating_model"].options() == model_names()
    assert {"ybiori", "ybiyri"} <= set(model_names())
    assert PARAMS["prioritisation"].options() == behaviour_names("prioritise")


def test_multiline_string_value_still_gives_one_line():
    _raises_one_line({"operating_model": "ybiori\nybiyri"}, "operating_model")
    _raises_one_line({"weeks": "1\n2"}, "weeks", "1..520")


@pytest.mark.parametrize(
    ("key", "suggestion"),
    [
        ("delivery_team", "delivery_teams"),
        ("week", "weeks"),
        ("cab_enable", "cab_enabled"),
        ("operatingmodel", "operating_model"),
        ("standby_rate_per_wk", "standby_rate_per_week"),
    ],
)
def test_unknown_key_suggests_close_name(key: str, suggestion: str):
    message = _raises_one_line({key: 1}, repr(key), f"did you mean {suggestion!r}")
    assert message.startswith("unknown parameter")


def test_unknown_key_without_close_name_has_no_suggestion():
    message = _raises_one_line({"zzzzqqqq": 1}, "'zzzzqqqq'")
    assert "did you mean" not in message
    assert str(unknown_key_error("zzzzqqqq")) == message


def test_first_bad_key_is_reported_even_with_good_ones():
    _raises_one_line({"weeks": 4, "delivery_teams": 0}, "delivery_teams", "1..50")


def test_error_is_a_value_error():
    assert issubclass(ParamError, ValueError)


def test_numpy_scalars_are_accepted():
    out = validate({"weeks": np.int64(4), "delivery_teams": np.int32(2), "demand_per_week": np.float32(0.5)})
    assert out["weeks"] == 4 and type(out["weeks"]) is int
    assert out["delivery_teams"] == 2


def test_numpy_float64_is_accepted():
    out = validate({"demand_per_week": np.float64(0.5), "weeks": np.float64(4.0)})
    assert out["demand_per_week"] == 0.5 and type(out["demand_per_week"]) is float
    assert out["weeks"] == 4 and type(out["weeks"]) is int


@pytest.mark.parametrize("bad", [np.int64(0), np.int64(2**40), np.float64("nan"), np.bool_(True)], ids=repr)
def test_numpy_scalars_out_of_range_or_wrong_kind_raise(bad):
    _raises_one_line({"weeks": bad}, "weeks", "1..520")


def test_numpy_bool_is_accepted_for_bool_params():
    out = validate({"cab_enabled": np.False_, "l3_paid": np.True_})
    assert out["cab_enabled"] is False and out["l3_paid"] is True


@pytest.mark.parametrize("bad", [pd.Series([1, 2]), np.array([[1, 2], [3, 4]])], ids=["series", "2d-array"])
def test_message_is_one_line_whatever_the_value(bad):
    _raises_one_line({"weeks": bad}, "weeks", "1..520")


# --- cross-parameter checks ----------------------------------------------------------------------------
def test_ops_share_floor_must_not_exceed_cap():
    _raises_one_line({"ops_share_floor": 0.5, "ops_share_cap": 0.1}, "ops_share_floor", "ops_share_cap")


@pytest.mark.parametrize(("start", "end"), [(9, 9), (17, 9), (23, 1), (12, 11)])
def test_workday_end_must_be_after_start(start: int, end: int):
    _raises_one_line(
        {"workday_start_hour": start, "workday_end_hour": end},
        "workday_end_hour",
        "workday_start_hour",
        f"workday_end_hour={end}",
    )


def test_workday_end_just_after_start_is_fine():
    out = validate({"workday_start_hour": 23, "workday_end_hour": 24})
    assert (out["workday_start_hour"], out["workday_end_hour"]) == (23, 24)


def test_workday_end_before_default_start_is_rejected():
    _raises_one_line({"workday_end_hour": 8}, "workday_end_hour", "workday_start_hour=9")


@pytest.mark.parametrize(("weeks", "shock"), [(4, 5), (1, 2), (52, 53), (10, 520)])
def test_demand_shock_after_the_run_is_rejected(weeks: int, shock: int):
    _raises_one_line({"weeks": weeks, "demand_shock_week": shock}, "demand_shock_week", f"weeks={weeks}")


@pytest.mark.parametrize(("weeks", "shock"), [(4, 0), (4, 4), (4, 1), (520, 520)])
def test_demand_shock_within_the_run_is_fine(weeks: int, shock: int):
    assert validate({"weeks": weeks, "demand_shock_week": shock})["demand_shock_week"] == shock


def test_demand_shock_default_weeks_checked_against_default():
    _raises_one_line({"demand_shock_week": 53}, "demand_shock_week", "weeks=52")


# --- parse_assignments ---------------------------------------------------------------------------------
def test_parse_assignments_types():
    out = parse_assignments(
        ["delivery_teams=3", "cab_enabled=false", "demand_per_week=0.5", "operating_model=ybiyri", " weeks = 8 "]
    )
    assert out == {
        "delivery_teams": 3,
        "cab_enabled": False,
        "demand_per_week": 0.5,
        "operating_model": "ybiyri",
        "weeks": 8,
    }
    assert type(out["delivery_teams"]) is int
    assert out["cab_enabled"] is False
    assert type(out["demand_per_week"]) is float


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("yes", True),
        ("on", True),
        ("false", False),
        ("0", False),
        ("no", False),
        ("Off", False),
    ],
)
def test_parse_bool_spellings(text: str, value: bool):
    assert parse_assignments([f"l3_paid={text}"]) == {"l3_paid": value}


def test_parse_integral_float_text_for_int():
    assert parse_assignments(["delivery_teams=3.0"]) == {"delivery_teams": 3}
    assert parse_assignments(["delivery_teams=1e1"]) == {"delivery_teams": 10}


def test_parse_assignments_empty():
    assert parse_assignments([]) == {}


@pytest.mark.parametrize("item", ["x", "delivery_teams", "=3", " =3", ""])
def test_parse_rejects_malformed(item: str):
    with pytest.raises(ParamError) as info:
        parse_assignments([item])
    message = str(info.value)
    assert "\n" not in message
    assert "key=value" in message


@pytest.mark.parametrize(
    ("item", "name", "allowed"),
    [
        ("delivery_teams=abc", "delivery_teams", "1..50"),
        ("delivery_teams=", "delivery_teams", "1..50"),
        ("delivery_teams=2.5", "delivery_teams", "an integer"),
        ("delivery_teams=0", "delivery_teams", "1..50"),
        ("delivery_teams=nan", "delivery_teams", "1..50"),
        ("demand_per_week=nan", "demand_per_week", "0.05..20"),
        ("demand_per_week=inf", "demand_per_week", "0.05..20"),
        ("cab_enabled=maybe", "cab_enabled", "true or false"),
        ("operating_model=itil", "operating_model", "ybiori"),
    ],
)
def test_parse_rejects_bad_values(item: str, name: str, allowed: str):
    with pytest.raises(ParamError) as info:
        parse_assignments([item])
    message = str(info.value)
    assert "\n" not in message
    assert name in message and allowed in message


def test_parse_rejects_unknown_key_with_suggestion():
    with pytest.raises(ParamError, match="did you mean 'delivery_teams'"):
        parse_assignments(["delivery_team=3"])


def test_parsed_values_validate():
    parsed = parse_assignments(["weeks=4", "demand_shock_week=2", "cab_enabled=off"])
    out = validate(parsed)
    assert out["weeks"] == 4 and out["demand_shock_week"] == 2 and out["cab_enabled"] is False
