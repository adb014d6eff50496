"""A reusable contract test for operating models: inherit it in a ``Test...`` class and set ``name``.

It runs the model at 1 and 10 teams with the same invariants the built-in models keep (work, incidents, queues,
ledger, knowledge), checks it reproduces from its seed, pickles, and appears in the CLI's parameter choices::

    from model.operating_models.contract import OperatingModelContract

    class TestMyModel(OperatingModelContract):
        name = "my-model"
"""

from __future__ import annotations

import json
import pickle
from typing import Any, ClassVar

from model.invariants import QueueSampler, check_invariants, check_sampled_littles_law, check_summary
from model.operating_models import OperatingModel, get, names
from model.params import PARAMS, validate

SHORT = {"weeks": 6, "demand_per_week": 2.0, "incident_rate_per_week": 2.0}


class OperatingModelContract:
    """What every registered operating model must do; subclasses set ``name`` (and may add ``params``)."""

    name: ClassVar[str] = ""
    params: ClassVar[dict[str, Any]] = {}

    def run_org(self, teams: int, seed: int = 1):
        """A short run of the model at ``teams`` teams, watched by a queue sampler: (model, params, sampler)."""
        from model.org import OrgModel

        p = validate({**SHORT, **self.params, "operating_model": self.name, "delivery_teams": teams})
        org = OrgModel(rng=seed, **p)
        sampler = QueueSampler(org)  # watches the queues' lengths, for Little's law
        org.run_until(org.horizon)
        return org, p, sampler

    def test_is_registered_with_a_description(self) -> None:
        assert self.name in names()
        cls = get(self.name)
        assert issubclass(cls, OperatingModel) and cls.description

    def test_is_a_parameter_choice(self) -> None:
        assert self.name in PARAMS["operating_model"].options()

    def test_keeps_every_invariant_at_1_and_10_teams(self) -> None:
        from model import metrics

        for teams in (1, 10):
            org, p, sampler = self.run_org(teams)
            check_invariants(org)
            check_sampled_littles_law(org, sampler)
            check_summary(metrics.summary(org, 1), p, 1)

    def test_same_seed_same_summary(self) -> None:
        from model.run import run

        params = {**SHORT, **self.params, "operating_model": self.name, "delivery_teams": 2}
        first, second = run(params, 7).summary, run(params, 7).summary
        assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)  # NaN-safe comparison

    def test_model_pickles(self) -> None:
        org, _, _ = self.run_org(1)
        assert pickle.loads(pickle.dumps(org.policy)).name == self.name
