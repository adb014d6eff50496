"""The README's example output and results are what the current model gives (kept there by cog)."""

import re
from pathlib import Path

from cogapp import Cog

from experiments import readme_figures

README = Path(__file__).resolve().parents[2] / "README.md"
SECTIONS = (
    "page_scenario",
    "cli_example",
    "delivery_table",
    "delivery_ablations",
    "support_table",
    "incentives_text",
    "standby_table",
    "series_text",
)


def test_every_section_is_generated_in_the_readme():
    called = re.findall(r"\[\[\[cog .*?cog\.outl\(f\.(\w+)\(\)\) \]\]\]", README.read_text())
    assert sorted(called) == sorted(SECTIONS)
    assert all(callable(getattr(readme_figures, name)) for name in SECTIONS)


def test_readme_figures_match_the_model(capsys):
    status = Cog().main(["cog", "--check", "--diff", "--check-fail-msg", "run `make readme`", str(README)])
    assert status == 0, capsys.readouterr().out
