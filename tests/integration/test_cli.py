"""The command line as a user meets it: reproducible JSON, one-line errors, and a light `import model`."""

import json
import subprocess
import sys

import pytest

from experiments.cli import main


def cli(*args):
    return subprocess.run([sys.executable, "-m", "experiments.cli", *args], capture_output=True, text=True, timeout=120)


def test_same_seed_same_json_and_different_seed_differs():
    a, b = (
        cli("run", "--model", "ybiori", "--seed", "1", "--json"),
        cli("run", "--model", "ybiori", "--seed", "1", "--json"),
    )
    c = cli("run", "--model", "ybiori", "--seed", "2", "--json")
    assert a.returncode == 0 and a.stdout == b.stdout
    assert a.stdout != c.stdout
    summary = json.loads(a.stdout)
    for key in (
        "operating_model",
        "seed",
        "weeks",
        "engineers",
        "delivery_teams",
        "standby_cost",
        "callout_cost",
        "capex_cost",
        "opex_cost",
        "delivery_unpaid_ooh_hours",
        "toil_hours",
    ):
        assert key in summary


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["--set", "delivery_teams=0"], "delivery_teams"),
        (["--set", "no_such_key=1"], "no_such_key"),
        (["--model", "nosuch"], "nosuch"),
        (["--set", "demand_per_week=lots"], "demand_per_week"),
        (["--weeks", "0"], "weeks"),
        (["--set", "cab_enabled=maybe"], "cab_enabled"),
        (["--seed", "-1"], "seed"),
        (["--weeks", "5", "--set", "weeks=3"], "weeks is given twice"),  # used to run 5 weeks without a word
        (["--model", "ybiyri", "--set", "operating_model=ybiori"], "operating_model is given twice"),
        (["--set", "weeks=3", "--set", "weeks=4"], "weeks is set twice"),
    ],
)
def test_bad_input_is_one_line_naming_the_problem(args, names, capsys):
    code = main(["run", *args])
    err = capsys.readouterr().err
    assert code != 0
    assert len(err.strip().splitlines()) == 1 and names in err and "Traceback" not in err


def test_the_same_value_given_twice_is_not_a_conflict(capsys):
    assert main(["run", "--weeks", "3", "--set", "weeks=3", "--set", "weeks=3", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["weeks"] == 3


def test_params_and_models_list_everything(capsys):
    from model.params import PARAMS

    assert main(["params", "--json"]) == 0
    listed = {p["name"] for p in json.loads(capsys.readouterr().out)}
    assert listed == set(PARAMS)
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    assert "ybiori" in out and "ybiyri" in out


def test_import_model_does_not_import_solara():
    code = (
        "import sys, model, model.org, model.run; print('solara' in sys.modules, 'mesa.visualization' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
