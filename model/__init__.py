"""The organisation model: parameters, operating models, delivery and support flows, metrics and run()."""

from model.params import PARAMS, ParamError, validate
from model.run import RunResult, run

__all__ = ["PARAMS", "ParamError", "RunResult", "run", "validate"]
