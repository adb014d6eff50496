"""The operating-model and behaviour registries refuse a name taken by another class; plugins name modules."""

from __future__ import annotations

import subprocess
import sys

import pytest

from agents import behaviours
from model import operating_models
from model.operating_models.ybiori import YouBuildItOpsRunIt
from model.params import ParamError
from model.plugins import import_plugin


def test_an_operating_model_cannot_take_a_built_in_name():
    operating_models.names()  # the built-ins are registered

    class Hijack(YouBuildItOpsRunIt):
        name = "ybiori"

    with pytest.raises(ValueError, match=r"name 'ybiori' is taken by model\.operating_models\.ybiori"):
        operating_models.register(Hijack)
    assert operating_models.get("ybiori") is YouBuildItOpsRunIt


def test_registering_the_same_class_again_is_not_a_clash():
    assert operating_models.register(YouBuildItOpsRunIt) is YouBuildItOpsRunIt


def test_a_behaviour_cannot_take_a_built_in_name():
    behaviours.names("prioritise")
    before = behaviours.create("prioritise", "felt-pain")

    class Mine:
        def decide(self, ctx, rng):
            raise AssertionError("never used")

    with pytest.raises(ValueError, match=r"prioritise behaviour name 'felt-pain' is taken by agents\.behaviours"):
        behaviours.register("prioritise", "felt-pain")(Mine)
    assert type(behaviours.create("prioritise", "felt-pain")) is type(before)


def test_a_behaviour_without_a_docstring_is_described_by_its_class_name():
    class Undocumented:
        def decide(self, ctx, rng):
            return None

    behaviours.register("triage", "test-undocumented")(Undocumented)
    try:
        assert Undocumented.description == "Undocumented"
    finally:
        behaviours._REGISTRY["triage"].pop("test-undocumented")


@pytest.mark.parametrize("path", ["./my_extensions.py", "my_extensions.py", "plugins/my_extensions"])
def test_a_plugin_given_as_a_path_is_refused_with_the_module_name_to_use(path):
    with pytest.raises(ParamError, match=r"is a path: give a module name such as 'my_extensions'") as info:
        import_plugin(path, "--plugin")
    assert "(from --plugin)" in str(info.value) and "\n" not in str(info.value)


def test_cli_plugin_errors_name_the_option_and_fit_on_one_line(tmp_path):
    (tmp_path / "hijack.py").write_text(
        "from model.operating_models import register\n"
        "from model.operating_models.ybiori import YouBuildItOpsRunIt\n"
        "@register\nclass D(YouBuildItOpsRunIt):\n    name = 'ybiori'\n"
    )
    out = subprocess.run(
        [sys.executable, "-m", "experiments.cli", "--plugin", "hijack", "models"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert "plugin 'hijack' (from --plugin)" in out.stderr and "'ybiori' is taken" in out.stderr
