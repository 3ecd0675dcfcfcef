"""A pool of one provision carries its rows through the window: no join brings them back."""

from __future__ import annotations

import sqlglot.expressions as exp

import policyrules
from policyrules.backends.sql import compile_batch


def test_a_pool_of_one_provision_is_not_joined_back_and_keeps_every_row() -> None:
    policy = policyrules.load("policies/beijing_2025")
    steps = dict(compile_batch(policy.checked).steps)
    wide = 0
    for name, query in steps.items():
        if not (name.startswith("p") and name.endswith("_j")):
            continue
        tables = {t.name for t in query.find_all(exp.Table)}
        window = next(t for t in tables if t.startswith("w"))
        if query.find(exp.Join) is not None:  # a pool of several provisions: joined back
            continue
        wide += 1
        assert tables == {window}
        # The window's result adds the award's rows outside it (win not TRUE) to its own.
        award = name.removesuffix("_j")
        union = steps[window]
        assert isinstance(union, exp.Union)
        outside = union.expression
        assert {t.name for t in outside.find_all(exp.Table)} == {f"{award}_c"}
        assert outside.args["where"].sql() == 'WHERE NOT ("win" IS TRUE)'
    assert wide >= 1  # 京经信发〔2025〕50号 第3条's firm-year cap at least
