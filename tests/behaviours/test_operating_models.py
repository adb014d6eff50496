"""Every registered operating model passes the operating-model contract (the one users inherit)."""

import pytest

from model.operating_models import names
from model.operating_models.contract import OperatingModelContract


@pytest.mark.parametrize("name", names())
def test_every_registered_model_keeps_the_contract(name):
    contract = type(f"Contract_{name}", (OperatingModelContract,), {"name": name})()
    for attr in dir(contract):
        if attr.startswith("test_"):
            getattr(contract, attr)()
