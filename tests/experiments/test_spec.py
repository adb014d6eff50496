"""Sweep specs: every mistake is one line naming it; expansion gives the right runs with seeds spawned up front."""

from __future__ import annotations

import numpy as np
import pytest

from experiments.spec import (
    SPECS_DIR,
    SpecError,
    design_points,
    expand,
    load_spec,
    parse_spec,
    replicate_seeds,
)
from model.params import PARAMS, ParamError

BASE = {"name": "t", "weeks": 2, "replicates": 2, "master_seed": 3}


def spec(**extra):
    return {**BASE, **extra}


BAD = [
    (spec(colour="red"), "unknown key 'colour'"),
    ({"name": "t", "weeks": 2, "master_seed": 1}, "missing field 'replicates'"),
    (spec(replicates=0), "replicates=0"),
    (spec(master_seed=-1), "master_seed=-1"),
    (spec(name="a b"), "name='a b'"),
    (spec(weeks=0), "weeks=0"),
    (spec(fixed={"no_such_param": 1}), "unknown parameter 'no_such_param'"),
    (spec(fixed={"weeks": 3}), "top-level 'weeks'"),
    (spec(fixed={"delivery_teams": 0}), "delivery_teams=0"),
    (spec(grid={"demand_per_week": [1, 30]}), "demand_per_week=30"),
    (spec(grid={"operating_model": ["ybiori", "nosuch"]}), "operating_model='nosuch'"),
    (spec(grid={"demand_per_week": []}), "demand_per_week=[]"),
    (spec(grid={"demand_per_week": [1, 1.0]}), "more than once"),
    (spec(fixed={"demand_per_week": 1}, grid={"demand_per_week": [1, 2]}), "both in [fixed] and in [grid]"),
    (spec(sample={"method": "latin", "n": 4, "bounds": {"demand_per_week": [0.01, 2]}}), "demand_per_week's range"),
    (spec(sample={"method": "latin", "n": 4, "bounds": {"demand_per_week": [2, 1]}}), "low must be less than high"),
    (spec(sample={"method": "latin", "n": 4, "bounds": {"operating_model": [0, 1]}}), "operating_model cannot be"),
    (spec(sample={"method": "latin", "n": 4, "bounds": {"cab_enabled": [0, 1]}}), "cab_enabled cannot be sampled"),
    (spec(sample={"method": "latin", "n": 4, "bounds": {"app_ops_size": [1.5, 4]}}), "whole-number bounds"),
    (spec(sample={"method": "grid", "n": 4, "bounds": {"demand_per_week": [1, 2]}}), "method='grid'"),
    (spec(sample={"method": "sobol", "n": 6, "bounds": {"demand_per_week": [1, 2]}}), "power of 2"),
    (spec(sample={"method": "latin", "bounds": {"demand_per_week": [1, 2]}}), "missing field 'n'"),
    (spec(sample={"method": "latin", "n": 4, "bounds": {"demand_per_week": [1]}}), "[low, high]"),
    (
        spec(grid={"demand_per_week": [1]}, sample={"method": "latin", "n": 2, "bounds": {"app_ops_size": [1, 3]}}),
        "either [grid] or [sample]",
    ),
    (spec(grid={"workday_start_hour": [9, 18]}), "design point 1 (workday_start_hour=18)"),
]


@pytest.mark.parametrize(("raw", "needle"), BAD, ids=[needle for _, needle in BAD])
def test_each_mistake_is_one_line_naming_it(raw, needle):
    with pytest.raises(SpecError) as info:
        parse_spec(raw, source="bad.toml")
    assert len(info.value.errors) == 1, info.value.errors
    line = info.value.errors[0]
    assert "\n" not in line and line.startswith("bad.toml: ")
    assert needle in line
    assert isinstance(info.value, ValueError)


def test_several_mistakes_give_one_line_each():
    raw = spec(colour=1, fixed={"nosuch": 1}, grid={"demand_per_week": [99]})
    with pytest.raises(SpecError) as info:
        parse_spec(raw)
    assert len(info.value.errors) == 3
    assert str(info.value).splitlines() == info.value.errors


def test_bad_toml_and_missing_file_are_one_line(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("name = 'x'\nweeks = \n")
    with pytest.raises(SpecError) as info:
        load_spec(path)
    assert str(info.value).startswith("broken.toml: not valid TOML") and "\n" not in str(info.value)
    with pytest.raises(SpecError, match="no spec file"):
        load_spec(tmp_path / "absent.toml")


def test_schema_still_supplies_the_param_error():
    with pytest.raises(ParamError):
        PARAMS["demand_per_week"].check(99)


def test_shipped_specs_are_valid_and_expand_to_the_documented_sizes():
    sizes = {"smoke": 8, "demand": 40, "lhs": 8, "bench": 200}
    for name, size in sizes.items():
        assert len(expand(load_spec(SPECS_DIR / f"{name}.toml"))) == size
        assert load_spec(name).name == name  # a bare name finds experiments/specs/NAME.toml


def test_grid_expansion_is_full_factorial_with_common_seeds():
    s = parse_spec(spec(grid={"operating_model": ["ybiori", "ybiyri"], "demand_per_week": [0.25, 1, 5]}))
    runs = expand(s)
    assert len(runs) == 2 * 3 * 2
    assert len({r.run_id for r in runs}) == len(runs)
    seeds = replicate_seeds(3, 2)
    assert seeds == [int(c.generate_state(1)[0]) for c in np.random.SeedSequence(3).spawn(2)]
    for r in runs:
        assert r.seed == seeds[r.replicate]  # replicate r of every design point shares one seed
        assert r.params["weeks"] == 2 and r.params["demand_per_week"] in (0.25, 1.0, 5.0)
    assert [r.replicate for r in runs[:6]] == [0] * 6  # replicate-major order


def test_same_master_seed_same_runs_and_seeds_other_seed_differs():
    raw = spec(grid={"demand_per_week": [0.5, 2]})
    a, b = expand(parse_spec(raw)), expand(parse_spec(raw))
    assert [(r.run_id, r.seed, r.replicate) for r in a] == [(r.run_id, r.seed, r.replicate) for r in b]
    c = expand(parse_spec({**raw, "master_seed": 4}))
    assert {r.seed for r in a}.isdisjoint({r.seed for r in c})
    assert {r.run_id for r in a}.isdisjoint({r.run_id for r in c})
    more = expand(parse_spec({**raw, "replicates": 3}))  # adding replicates keeps the existing ones
    assert {r.run_id for r in a} < {r.run_id for r in more}


def test_latin_sample_is_reproducible_in_bounds_and_rounds_integers():
    raw = spec(sample={"method": "latin", "n": 8, "bounds": {"demand_per_week": [0.25, 5], "app_ops_size": [1, 4]}})
    points = design_points(parse_spec(raw))
    assert points == design_points(parse_spec(raw))
    assert len(points) == 8
    assert all(isinstance(p["app_ops_size"], int) and 1 <= p["app_ops_size"] <= 4 for p in points)
    assert {p["app_ops_size"] for p in points} == {1, 2, 3, 4}  # the end values are not under-sampled
    assert all(0.25 <= p["demand_per_week"] <= 5 for p in points)


def test_sobol_sample_has_saltelli_size():
    raw = spec(sample={"method": "sobol", "n": 4, "bounds": {"demand_per_week": [0.25, 5], "handoff_h": [0, 2]}})
    s = parse_spec(raw)
    points = design_points(s)
    assert len(points) == 4 * (2 * 2 + 2)
    # With two parameters Saltelli's AB_1 and BA_2 matrices coincide: a repeated point is run once.
    distinct = {tuple(sorted(p.items())) for p in points}
    runs = expand(s)
    assert len(runs) == len(distinct) * 2 < len(points) * 2
    assert {r.point for r in runs} <= set(range(len(points)))
