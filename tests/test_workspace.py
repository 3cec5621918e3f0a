"""The per-worker workspace of month grids (core/workspace.py): what it hands out, and when it
hands the same memory out again."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from bpo_cost.analysis import simulate
from bpo_cost.case.examples import example_path
from bpo_cost.core import workspace
from bpo_cost.core.workspace import MIN_BYTES, Workspace, as_float, into, op, scratch, zeros

GRID = (MIN_BYTES // 8 // 12 + 1, 12)  # just large enough to come from the workspace


def test_outside_a_workspace_numpy_makes_fresh_arrays():
    a, b = np.full(GRID, 3.0), np.arange(12.0)
    assert scratch(a, b) is None
    got = op(np.multiply, a, b)
    assert np.array_equal(got, a * b) and not np.shares_memory(got, a)
    acc = op(np.add, a, 1.0)
    assert into(acc, np.multiply, 2.0, acc) is acc  # in place, into the caller's own array
    assert np.array_equal(acc, (a + 1.0) * 2.0)


def test_a_block_is_reused_once_no_array_uses_it():
    ws = Workspace()
    with ws.active():
        a = op(np.multiply, np.ones(GRID), 2.0)
        view = a[:, :3]  # a view keeps the block in use
        del a
        b = op(np.multiply, np.ones(GRID), 3.0)
        assert not np.shares_memory(view, b) and ws.blocks == 2
        assert float(view.sum()) == 2.0 * view.size  # not overwritten by b
        del view
        c = op(np.add, np.ones(GRID), 1.0)  # the first block is free again
        assert ws.blocks == 2 and not np.shares_memory(b, c)
        del b, c
    with ws.active():  # the next batch, shorter: the same memory, nothing new
        d = op(np.multiply, np.ones((GRID[0] - 5, 12)), 4.0)
        assert d.shape == (GRID[0] - 5, 12) and ws.blocks == 2
        assert float(d.sum()) == 4.0 * d.size
    assert scratch(np.ones(GRID)) is None  # the batch is over: fresh arrays again


def test_small_arrays_are_left_to_numpy():
    ws = Workspace()
    with ws.active():
        assert scratch(np.ones((2, 12))) is None
        assert op(np.add, np.ones((2, 12)), 1.0).base is None
    assert ws.blocks == 0


def test_the_larger_request_gets_a_larger_block_and_zeros_are_zeros():
    ws = Workspace()
    with ws.active():
        a = op(np.multiply, np.ones(GRID), 2.0)
        del a
        wide = (GRID[0], 24)
        z = zeros(wide)  # too large for the free block: a new one, zeroed
        assert z.shape == wide and not z.any() and ws.blocks == 2
        band = zeros(GRID, np.intp)  # any dtype, from the same bytes
        assert band.dtype == np.intp and not band.any()
        mask = as_float(np.arange(GRID[0] * 12).reshape(GRID) % 2 == 0)
        assert mask.dtype == float and float(mask.sum()) == GRID[0] * 6


def test_a_workspace_is_active_in_its_own_thread_only():
    ws = Workspace()
    seen = []
    with ws.active():
        t = threading.Thread(target=lambda: seen.append(scratch(np.ones(GRID))))
        t.start()
        t.join()
        assert scratch(np.ones(GRID)) is not None
    assert seen == [None]


def test_simulate_with_every_array_from_the_workspace_is_bit_for_bit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Small batches made wholly in each worker's workspace (two workers, a short last batch):
    the same numbers as the default run, in arrays of their own."""
    claims = example_path("claims_back_office")
    want = simulate(claims, n=500, seed=11, workers=1)
    monkeypatch.setattr(workspace, "MIN_BYTES", 0)
    import bpo_cost.analysis.montecarlo as mc

    monkeypatch.setattr(mc, "BLOCK", 64)  # several tasks, so both workers take some
    for chunk, workers in [(48, 2), (500, 1), (7, 2)]:
        got = simulate(claims, n=500, seed=11, chunk_size=chunk, workers=workers)
        assert np.array_equal(got.tco, want.tco) and np.array_equal(got.npv_cost, want.npv_cost)
        assert got.tco.base is None and got.npv_cost.base is None
