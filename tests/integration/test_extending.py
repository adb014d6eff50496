"""Runs docs/extending.md as a new user would: its module and its tests, through the CLI, a sweep and the page."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "docs" / "extending.md"


def tutorial_files() -> dict[str, str]:
    """The code blocks of the tutorial that start with '# file: NAME'."""
    blocks = re.findall(r"```python\n(.*?)```", TUTORIAL.read_text(), flags=re.S)
    files = {}
    for block in blocks:
        first, _, rest = block.partition("\n")
        if first.startswith("# file: "):
            files[first.removeprefix("# file: ").strip()] = rest
    return files


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    d = tmp_path_factory.mktemp("tutorial")
    for name, text in tutorial_files().items():
        (d / name).write_text(text)
    return d


def sh(workdir, *args, plugins=True):
    env = {**os.environ, "WHORUNSIT_PLUGINS": "my_extensions" if plugins else ""}
    return subprocess.run([sys.executable, *args], cwd=workdir, env=env, capture_output=True, text=True, timeout=300)


def test_tutorial_example_is_complete_and_short(workdir):
    files = tutorial_files()
    assert set(files) == {"my_extensions.py", "test_my_extensions.py"}
    assert len(files["my_extensions.py"].splitlines()) < 100


def test_models_and_params_list_the_extensions(workdir):
    models = sh(workdir, "-m", "experiments.cli", "models")
    assert models.returncode == 0, models.stderr
    assert "ybidori" in models.stdout
    params = sh(workdir, "-m", "experiments.cli", "params", "--json")
    listed = {p["name"]: p for p in json.loads(params.stdout)}
    assert "reliability-first" in listed["prioritisation"]["allowed"]
    assert "ybidori" in listed["operating_model"]["allowed"]
    without = sh(workdir, "-m", "experiments.cli", "models", plugins=False)
    assert "ybidori" not in without.stdout  # nothing leaks into the core


def test_cli_runs_the_new_model_and_behaviour(workdir):
    out = sh(
        workdir,
        "-m",
        "experiments.cli",
        "--plugin",
        "my_extensions",
        "run",
        "--model",
        "ybidori",
        "--set",
        "prioritisation=reliability-first",
        "--set",
        "demand_per_week=1",
        "--json",
        plugins=False,
    )
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert summary["operating_model"] == "ybidori"
    # the example's claim: own deployments remove Discontinuous Delivery, tiers keep restores slow
    assert summary["demand_satisfaction"] > 0.9 and not summary["discontinuous_delivery"]
    yri = sh(workdir, "-m", "experiments.cli", "run", "--model", "ybiyri", "--set", "demand_per_week=1", "--json")
    assert summary["time_to_restore_h_median"] > 1.5 * json.loads(yri.stdout)["time_to_restore_h_median"]


def test_the_tutorial_contract_tests_pass(workdir):
    out = sh(
        workdir,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:solara",
        "-p",
        "no:playwright",
        "test_my_extensions.py",
    )
    assert out.returncode == 0, out.stdout[-3000:]
    assert re.search(r"\d+ passed", out.stdout)


def test_a_sweep_runs_the_new_model_in_worker_processes(workdir):
    spec = workdir / "mine.toml"
    spec.write_text(
        'name = "mine"\nweeks = 2\nreplicates = 2\nmaster_seed = 3\n\n[grid]\noperating_model = ["ybidori", "ybiori"]\n'
    )
    out = sh(workdir, "-m", "experiments.cli", "sweep", str(spec), "--workers", "2", "--out", str(workdir / "sw"))
    assert out.returncode == 0, out.stderr[-3000:]
    table = workdir / "table.csv"
    collected = sh(workdir, "-m", "experiments.cli", "sweep", "--collect", str(workdir / "sw"), "--csv", str(table))
    assert collected.returncode == 0, collected.stderr
    assert table.read_text().count("ybidori") == 2


def test_the_page_offers_the_new_choices(workdir):
    code = (
        "from viz.controls import model_params; c = model_params(); "
        "print('ybidori' in c['operating_model']['values'], 'reliability-first' in str(c))"
    )
    out = sh(workdir, "-c", code)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["True", "True"]
