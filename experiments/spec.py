"""Sweep specifications: TOML files that name a design (grid, Latin hypercube or Sobol' sample) over the schema.

A spec is checked against :data:`model.params.PARAMS` before anything runs, and :func:`expand` turns it into
the exact list of runs, with seeds spawned up front from the master seed so every run is reproducible alone.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import numbers
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from model.params import PARAMS, ParamError, unknown_key_error, validate

#: Where the project's own specs live; ``whorunsit sweep NAME`` looks here when NAME is not a file.
SPECS_DIR = Path(__file__).resolve().parent / "specs"

TOP_KEYS = ("name", "description", "weeks", "replicates", "master_seed", "fixed", "grid", "sample")
REQUIRED_KEYS = ("name", "weeks", "replicates", "master_seed")
SAMPLE_KEYS = ("method", "n", "bounds", "seed", "calc_second_order")
METHODS = ("latin", "sobol")
MAX_REPLICATES = 100_000
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class SpecError(ValueError):
    """A sweep spec that cannot be run; ``errors`` holds one line per problem and ``str()`` joins them."""

    def __init__(self, errors: list[str] | str):
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("\n".join(self.errors))


@dataclass(frozen=True)
class Sample:
    """A sampled design: SALib method, base size ``n``, and ``[low, high]`` bounds per numeric parameter."""

    method: str
    n: int
    bounds: dict[str, tuple[float, float]]
    seed: int
    calc_second_order: bool = True


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep: the horizon, replicates, master seed, fixed values and a grid or sample design."""

    name: str
    weeks: int
    replicates: int
    master_seed: int
    fixed: dict[str, Any]
    grid: dict[str, list[Any]] = field(default_factory=dict)
    sample: Sample | None = None
    description: str = ""
    source: str = "<spec>"

    @property
    def design(self) -> str:
        """The kind of design: ``grid``, ``latin``, ``sobol``, or ``single`` (fixed values only)."""
        if self.sample is not None:
            return self.sample.method
        return "grid" if self.grid else "single"

    @property
    def swept(self) -> list[str]:
        """Names of the parameters that vary between design points, in spec order."""
        return list(self.sample.bounds) if self.sample is not None else list(self.grid)


@dataclass(frozen=True)
class RunSpec:
    """One run of a sweep: a stable id, its design point and replicate, the seed and the full parameter set."""

    run_id: str
    point: int
    replicate: int
    seed: int
    params: dict[str, Any] = field(repr=False)
    values: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- loading and validation


def resolve_spec_path(name_or_path: str | Path) -> Path:
    """Return the spec file for a path, or for a bare name found in ``experiments/specs/``."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    if path.suffix == "" and (SPECS_DIR / f"{path.name}.toml").is_file() and path.parent == Path("."):
        return SPECS_DIR / f"{path.name}.toml"
    known = ", ".join(sorted(p.stem for p in SPECS_DIR.glob("*.toml")))
    raise SpecError(f"no spec file {str(name_or_path)!r} (the project's specs are: {known})")


def load_spec(path: str | Path) -> SweepSpec:
    """Read and validate a TOML sweep spec (a path, or the name of one in ``experiments/specs/``).

    Raises:
        SpecError: one line per problem found, each naming the file and the key.
    """
    path = resolve_spec_path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise SpecError(f"{path.name}: not valid TOML: {err}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise SpecError(f"{path.name}: cannot read the spec: {err}") from None
    return parse_spec(raw, source=path.name)


def parse_spec(raw: Mapping[str, Any], source: str = "<spec>") -> SweepSpec:
    """Validate a spec given as a mapping (the parsed TOML) and return it as a :class:`SweepSpec`.

    Raises:
        SpecError: one line per problem found.
    """
    errors: list[str] = []

    def err(message: str) -> None:
        errors.append(f"{source}: {message}")

    for key in raw:
        if key not in TOP_KEYS:
            close = [k for k in TOP_KEYS if k in key or key in k]
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            err(f"unknown key {key!r}{hint}; a spec has {', '.join(TOP_KEYS)}")
    for key in REQUIRED_KEYS:
        if key not in raw:
            err(f"missing field {key!r}")

    name = raw.get("name", "")
    if "name" in raw and not (isinstance(name, str) and NAME_PATTERN.match(name)):
        err(f"name={name!r} is not allowed: use letters, digits, '_', '-' and '.' (it names the output folder)")
    description = raw.get("description", "")
    if not isinstance(description, str):
        err("description must be a string")
        description = ""

    weeks = raw.get("weeks", PARAMS["weeks"].default)
    try:
        weeks = PARAMS["weeks"].check(weeks)
    except ParamError as e:
        err(str(e))
    replicates = _whole(raw, "replicates", 1, MAX_REPLICATES, err)
    master_seed = _whole(raw, "master_seed", 0, 2**63 - 1, err)

    fixed = _check_fixed(raw.get("fixed", {}), err)
    grid = _check_grid(raw.get("grid"), err)
    sample = _check_sample(raw.get("sample"), master_seed, err)
    if grid and sample is not None:
        err("a spec has either [grid] or [sample], not both (use one spec per design)")
    swept = set(grid) | (set(sample.bounds) if sample else set())
    for key in sorted(swept & set(fixed)):
        section = "[grid]" if key in grid else "[sample.bounds]"
        err(f"{key} is both in [fixed] and in {section}; keep it in one place")

    if errors:
        raise SpecError(errors)
    spec = SweepSpec(
        name=name,
        weeks=weeks,
        replicates=replicates,
        master_seed=master_seed,
        fixed=fixed,
        grid=grid,
        sample=sample,
        description=description,
        source=source,
    )
    _check_points(spec)
    return spec


def _whole(raw: Mapping[str, Any], key: str, low: int, high: int, err) -> int:
    """Check a top-level whole number in ``low..high``; report and return ``low`` if it is bad."""
    if key not in raw:
        return low
    value = raw[key]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        err(f"{key}={value!r} is not allowed: {key} must be a whole number in {low}..{high}")
        return low
    return value


def _schema_key(key: str, section: str, err) -> bool:
    """Report a key that is not a parameter, or is ``weeks`` (set at the top level); return whether it is usable."""
    if key == "weeks":
        err(f"{section} weeks: the horizon is set by the top-level 'weeks' key, not in {section}")
        return False
    if key not in PARAMS:
        err(f"{section} {unknown_key_error(key)}")
        return False
    return True


def _check_fixed(table: Any, err) -> dict[str, Any]:
    """Check the ``[fixed]`` table and return its values in their schema types."""
    if not isinstance(table, Mapping):
        err("[fixed] must be a table of parameter = value")
        return {}
    out: dict[str, Any] = {}
    for key, value in table.items():
        if not _schema_key(key, "[fixed]", err):
            continue
        try:
            out[key] = PARAMS[key].check(value)
        except ParamError as e:
            err(f"[fixed] {e}")
    return out


def _check_grid(table: Any, err) -> dict[str, list[Any]]:
    """Check the ``[grid]`` table (a non-empty list of distinct allowed values per parameter)."""
    if table is None:
        return {}
    if not isinstance(table, Mapping) or not table:
        err("[grid] must be a non-empty table of parameter = [values]")
        return {}
    out: dict[str, list[Any]] = {}
    for key, values in table.items():
        if not _schema_key(key, "[grid]", err):
            continue
        if not isinstance(values, list) or not values:
            err(f"[grid] {key}={values!r} is not allowed: give a non-empty list, e.g. {key} = [a, b]")
            continue
        checked = []
        for value in values:
            try:
                checked.append(PARAMS[key].check(value))
            except ParamError as e:
                err(f"[grid] {e}")
        if len(checked) == len(values):
            repeated = sorted({repr(v) for v in checked if checked.count(v) > 1})
            if repeated:
                err(f"[grid] {key} lists {', '.join(repeated)} more than once")
            out[key] = checked
    return out


def _check_sample(table: Any, master_seed: int, err) -> Sample | None:
    """Check the ``[sample]`` table: method, n, optional seed and bounds within each parameter's range."""
    if table is None:
        return None
    if not isinstance(table, Mapping):
        err("[sample] must be a table with method, n and [sample.bounds]")
        return None
    ok = True
    for key in table:
        if key not in SAMPLE_KEYS:
            err(f"[sample] unknown key {key!r}; [sample] has {', '.join(SAMPLE_KEYS)}")
            ok = False
    for key in ("method", "n", "bounds"):
        if key not in table:
            err(f"[sample] missing field {key!r}")
            ok = False
    method = table.get("method")
    if "method" in table and method not in METHODS:
        err(f"[sample] method={method!r} is not allowed: method must be one of {', '.join(METHODS)}")
        ok = False
    n = table.get("n")
    if "n" in table:
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 1_000_000:
            err(f"[sample] n={n!r} is not allowed: n must be a whole number in 1..1000000")
            ok = False
        elif method == "sobol" and n & (n - 1):
            err(f"[sample] n={n} is not allowed for method 'sobol': n must be a power of 2 (e.g. {_pow2(n)})")
            ok = False
    seed = table.get("seed", master_seed)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        err(f"[sample] seed={seed!r} is not allowed: seed must be a whole number >= 0")
        ok = False
    second = table.get("calc_second_order", True)
    if not isinstance(second, bool):
        err(f"[sample] calc_second_order={second!r} is not allowed: it must be true or false")
        ok = False
    elif "calc_second_order" in table and method != "sobol":
        err("[sample] calc_second_order only applies to method 'sobol'")
        ok = False
    bounds = _check_bounds(table.get("bounds"), err) if "bounds" in table else None
    if not ok or bounds is None:
        return None
    return Sample(method=method, n=n, bounds=bounds, seed=seed, calc_second_order=second)


def _check_bounds(table: Any, err) -> dict[str, tuple[float, float]] | None:
    """Check ``[sample.bounds]``: numeric parameters, each ``[low, high]`` with low < high inside its range."""
    if not isinstance(table, Mapping) or not table:
        err("[sample.bounds] must be a non-empty table of parameter = [low, high]")
        return None
    out: dict[str, tuple[float, float]] = {}
    for key, pair in table.items():
        if not _schema_key(key, "[sample.bounds]", err):
            continue
        p = PARAMS[key]
        if p.kind not in (int, float):
            err(f"[sample.bounds] {key} cannot be sampled: it is {p.allowed()}, not a number (put it in [fixed])")
            continue
        if (
            not isinstance(pair, list)
            or len(pair) != 2
            or not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in pair)
        ):
            err(f"[sample.bounds] {key}={pair!r} is not allowed: give [low, high], two numbers")
            continue
        low, high = float(pair[0]), float(pair[1])
        if not (math.isfinite(low) and math.isfinite(high)) or low >= high:
            err(f"[sample.bounds] {key}={pair!r} is not allowed: low must be less than high")
        elif low < p.low or high > p.high:
            err(f"[sample.bounds] {key}={pair!r} is not allowed: it must lie in {key}'s range {p.low:g}..{p.high:g}")
        elif p.kind is int and not (low.is_integer() and high.is_integer()):
            err(f"[sample.bounds] {key}={pair!r} is not allowed: {key} is an integer, so give whole-number bounds")
        else:
            out[key] = (low, high)
    return out if len(out) == len(table) else None


def _pow2(n: int) -> int:
    """The power of two nearest to ``n``."""
    return 2 ** round(math.log2(n))


def _check_points(spec: SweepSpec) -> None:
    """Validate every design point with :func:`model.params.validate` (cross-parameter rules), one line each."""
    errors = []
    for i, values in enumerate(design_points(spec)):
        try:
            validate(values)
        except ParamError as e:
            shown = ", ".join(f"{k}={v!r}" for k, v in values.items() if k in spec.swept)
            errors.append(f"{spec.source}: design point {i}{' (' + shown + ')' if shown else ''}: {e}")
            if len(errors) == 5:
                errors.append(f"{spec.source}: (further design points not checked)")
                break
    if errors:
        raise SpecError(errors)


# --------------------------------------------------------------------------- design and expansion


def salib_problem(spec: SweepSpec) -> dict[str, Any]:
    """The SALib problem dict of a sampled spec, generated from the schema.

    Integer parameters are sampled over ``[low - 0.5, high + 0.5]`` and rounded, so every whole value in
    ``low..high`` is equally likely (plain rounding would give the two end values half weight).
    """
    if spec.sample is None:
        raise SpecError(f"{spec.source}: the spec has no [sample] section, so it has no SALib problem")
    names, bounds = [], []
    for key, (low, high) in spec.sample.bounds.items():
        names.append(key)
        bounds.append([low - 0.5, high + 0.5] if PARAMS[key].kind is int else [low, high])
    return {"num_vars": len(names), "names": names, "bounds": bounds}


def sample_matrix(spec: SweepSpec) -> np.ndarray:
    """The raw SALib sample of a sampled spec: one row per design point, one column per swept parameter."""
    problem = salib_problem(spec)
    sample = spec.sample
    if sample.method == "latin":
        from SALib.sample import latin

        return latin.sample(problem, sample.n, seed=sample.seed)
    from SALib.sample import sobol

    return sobol.sample(problem, sample.n, calc_second_order=sample.calc_second_order, seed=sample.seed)


def design_points(spec: SweepSpec) -> list[dict[str, Any]]:
    """The design points in order: ``weeks``, the fixed values and the swept values of each point."""
    base = {"weeks": spec.weeks, **spec.fixed}
    if spec.sample is not None:
        points = []
        for row in sample_matrix(spec):
            values = {}
            for key, x in zip(spec.sample.bounds, row, strict=True):
                p = PARAMS[key]
                if p.kind is int:
                    low, high = spec.sample.bounds[key]
                    values[key] = int(min(max(math.floor(float(x) + 0.5), low), high))
                else:
                    values[key] = p.check(float(x))
            points.append({**base, **values})
        return points
    if spec.grid:
        keys = list(spec.grid)
        return [{**base, **dict(zip(keys, combo, strict=True))} for combo in itertools.product(*spec.grid.values())]
    return [dict(base)]


def replicate_seeds(master_seed: int, replicates: int) -> list[int]:
    """One seed per replicate, spawned up front from ``master_seed`` (shared by every design point)."""
    children = np.random.SeedSequence(master_seed).spawn(replicates)
    return [int(child.generate_state(1)[0]) for child in children]


def run_id_for(values: Mapping[str, Any], replicate: int, seed: int) -> str:
    """A stable 16-hex-digit id from a design point's values (weeks, fixed, swept), the replicate and the seed."""
    text = json.dumps({"values": dict(sorted(values.items())), "replicate": replicate, "seed": seed}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def expand(spec: SweepSpec) -> list[RunSpec]:
    """Every run of the sweep, replicate-major (all design points of replicate 0 first).

    Replicate ``r`` of every design point uses the same seed (common random numbers), so differences
    between design points are paired. The id hashes what the spec sets (not the schema's defaults, so adding
    a parameter to the schema keeps a sweep resumable), the replicate and the seed; a sampled design that
    repeats a point after rounding yields one run for it. ``params`` is the full set the run is given.
    """
    seeds = replicate_seeds(spec.master_seed, spec.replicates)
    points = [(values, validate(values)) for values in design_points(spec)]
    runs: list[RunSpec] = []
    seen: set[str] = set()
    for replicate, seed in enumerate(seeds):
        for point, (values, params) in enumerate(points):
            run_id = run_id_for(values, replicate, seed)
            if run_id in seen:
                continue
            seen.add(run_id)
            swept = {k: values[k] for k in spec.swept}
            runs.append(RunSpec(run_id, point, replicate, seed, params, swept))
    return runs


def spec_to_dict(spec: SweepSpec) -> dict[str, Any]:
    """The validated spec as a JSON-ready dict (values in their schema types), for ``metadata.json``."""
    out: dict[str, Any] = {
        "name": spec.name,
        "description": spec.description,
        "source": spec.source,
        "weeks": spec.weeks,
        "replicates": spec.replicates,
        "master_seed": spec.master_seed,
        "design": spec.design,
        "fixed": dict(spec.fixed),
    }
    if spec.grid:
        out["grid"] = {k: list(v) for k, v in spec.grid.items()}
    if spec.sample is not None:
        out["sample"] = {
            "method": spec.sample.method,
            "n": spec.sample.n,
            "seed": spec.sample.seed,
            "calc_second_order": spec.sample.calc_second_order,
            "bounds": {k: list(v) for k, v in spec.sample.bounds.items()},
        }
    return out
