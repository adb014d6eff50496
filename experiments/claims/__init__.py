"""The claims report's experiments: one module per stylised fact of operating-models.md §6, named after it.

Each ``factNN_*.py`` module defines ``CLAIM``; :func:`all_claims` returns every fact 1-35 in order.
"""

from __future__ import annotations

import importlib
import pkgutil

from experiments.claims.base import Claim


def all_claims() -> list[Claim]:
    """Every claim (modelled or not), one per fact number, sorted by number."""
    from experiments.claims.not_modelled import CLAIMS as NOT_MODELLED

    found: dict[int, Claim] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("fact"):
            claim = importlib.import_module(f"{__name__}.{info.name}").CLAIM
            found[claim.number] = claim
    for claim in NOT_MODELLED:
        found.setdefault(claim.number, claim)
    return [found[n] for n in sorted(found)]
