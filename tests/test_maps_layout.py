"""The Python layout used for large maps (no database, no browser)."""
from __future__ import annotations

import numpy as np

from graphkit.maps import layout as map_layout


def test_layout_keeps_neighbours_close_and_nodes_apart():
    # a chain of 400 nodes: adjacent nodes must end up far closer than nodes 50 links apart,
    # and no two nodes on top of each other
    n = 400
    edges = [(i, i + 1) for i in range(n - 1)]
    pos = map_layout.layout(n, edges, seed=1)
    assert pos.shape == (n, 2) and np.isfinite(pos).all()
    near = np.linalg.norm(pos[:-1] - pos[1:], axis=1).mean()
    far = np.linalg.norm(pos[:-50] - pos[50:], axis=1).mean()
    assert far > 3 * near
    d = np.sqrt(((pos[:, None, :] - pos[None, :, :]) ** 2).sum(axis=2)) + np.eye(n) * 1e9
    assert d.min() > 1.0


def test_layout_is_deterministic_and_handles_tiny_graphs():
    edges = [(0, 1), (1, 2), (2, 0), (3, 4)]
    assert np.array_equal(map_layout.layout(5, edges, seed=3), map_layout.layout(5, edges, seed=3))
    assert map_layout.layout(0, []).shape == (0, 2)
    assert map_layout.layout(1, []).tolist() == [[0.0, 0.0]]
