"""Fixtures of the reliability suite (helpers in `reliability_support`)."""

from __future__ import annotations

import pytest
from reliability_support import write_orders


@pytest.fixture(scope="session")
def big_orders(tmp_path_factory):
    """200,000 cable quote requests (about 22 MB): large enough for `--jobs` to start worker processes."""
    return write_orders(tmp_path_factory.mktemp("big") / "orders.jsonl", 200_000)


@pytest.fixture
def cable(bizops_run):
    """`cable(*args)`: bizops for the cable maker."""

    def invoke(*args, input=None, env=None):
        return bizops_run("--company", "cable", *args, input=input, env=env)

    return invoke
