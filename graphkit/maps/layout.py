"""Positions for large maps, computed in Python so the browser does not run physics.

A force-directed (Fruchterman-Reingold) layout in numpy. Repulsion between all pairs would cost
n^2 per step; instead each node is pushed away from the centres of mass of the cells of a coarse
grid (a Barnes-Hut-style approximation), which costs n x cells. Attraction follows the edges.
networkx's own ``spring_layout`` needs scipy above 500 nodes and loops in Python per node; this
one lays out 5,000 nodes in a few seconds (see ``bench/maps_bench.py``).
"""
from __future__ import annotations

import numpy as np

#: maps above this many nodes are laid out here, with physics off in the browser
LAYOUT_THRESHOLD = 300
#: at most this many members of a grid cell act as repellers inside it
CELL_SAMPLE = 96
#: typical distance from a node to its nearest neighbour, in vis-network pixels
SPACING = 55.0


def layout(n: int, edges: list[tuple[int, int]], iterations: int = 50, seed: int = 0) -> np.ndarray:
    """An (n, 2) array of pixel positions for nodes 0..n-1 tied by ``edges``."""
    if n == 0:
        return np.zeros((0, 2))
    rng = np.random.default_rng(seed)
    side = np.sqrt(n)
    pos = _initial(n, edges, rng)
    if n == 1:
        return pos * 0
    k = 1.0  # ideal edge length in layout units
    src = np.array([e[0] for e in edges], dtype=np.int64)
    dst = np.array([e[1] for e in edges], dtype=np.int64)
    temperature = side * 0.1
    cooling = (0.01 / 0.1) ** (1.0 / max(iterations, 1))
    cells = int(np.clip(np.sqrt(n / 50), 2, 12))
    for _ in range(iterations):
        disp = _repulsion(pos, cells, k)
        if len(src):
            delta = pos[src] - pos[dst]
            force = delta / k  # linear attraction (as ForceAtlas2): less crowding than d^2
            np.add.at(disp, src, -force)
            np.add.at(disp, dst, force)
        disp -= 0.05 * (pos - pos.mean(axis=0))  # gravity keeps components together
        length = np.sqrt((disp ** 2).sum(axis=1)).clip(1e-9)
        pos += disp / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature *= cooling
    pos -= pos.mean(axis=0)
    return pos * (SPACING / _typical_gap(pos, rng))


def _typical_gap(pos: np.ndarray, rng) -> float:
    """Median distance from a node to its nearest neighbour (on a sample of nodes)."""
    sample = rng.choice(len(pos), size=min(len(pos), 400), replace=False)
    d2 = ((pos[sample, None, :] - pos[None, :, :]) ** 2).sum(axis=2)
    d2[np.arange(len(sample)), sample] = np.inf
    gap = float(np.sqrt(np.median(d2.min(axis=1))))
    return gap if gap > 1e-9 else 1.0


def _initial(n: int, edges, rng) -> np.ndarray:
    """Start near the final shape: breadth-first from the best-connected nodes, each node placed
    a random step from the node that reached it, so the force steps need not untangle much."""
    neighbours: list[list[int]] = [[] for _ in range(n)]
    for a, b in edges:
        neighbours[a].append(b)
        neighbours[b].append(a)
    pos = np.zeros((n, 2))
    placed = np.zeros(n, dtype=bool)
    angles = rng.random(n) * 2 * np.pi
    side = np.sqrt(n)
    for root in sorted(range(n), key=lambda i: -len(neighbours[i])):
        if placed[root]:
            continue
        placed[root] = True
        pos[root] = rng.random(2) * side
        queue = [root]
        for node in queue:
            for other in neighbours[node]:
                if not placed[other]:
                    placed[other] = True
                    step = 1.0 + 0.5 * rng.random()
                    pos[other] = pos[node] + step * np.array([np.cos(angles[other]), np.sin(angles[other])])
                    queue.append(other)
    return pos


def _repulsion(pos: np.ndarray, cells: int, k: float) -> np.ndarray:
    """Push each node away from every grid cell's centre of mass, weighted by the cell's count."""
    low = pos.min(axis=0)
    span = (pos.max(axis=0) - low).clip(1e-9)
    cell = np.minimum((pos - low) / span * cells, cells - 1).astype(np.int64)
    index = cell[:, 0] * cells + cell[:, 1]
    mass = np.bincount(index, minlength=cells * cells).astype(float)
    used = mass > 0
    cx = np.bincount(index, weights=pos[:, 0], minlength=cells * cells)[used] / mass[used]
    cy = np.bincount(index, weights=pos[:, 1], minlength=cells * cells)[used] / mass[used]
    m = mass[used]
    dx = pos[:, 0:1] - cx[None, :]
    dy = pos[:, 1:2] - cy[None, :]
    dist2 = (dx * dx + dy * dy).clip(0.01)
    weight = k * k * m[None, :] / dist2
    # a node's own cell is handled exactly below, not through its centre of mass
    own = np.searchsorted(np.flatnonzero(used), index)
    weight[np.arange(len(pos)), own] = 0.0
    disp = np.stack([(dx * weight).sum(axis=1), (dy * weight).sum(axis=1)], axis=1)
    # inside its own cell a node would be pushed from a centre that includes itself; add exact
    # pairwise repulsion for nodes that share a cell, cell by cell (cells are small)
    order = np.argsort(index, kind="stable")
    bounds = np.flatnonzero(np.diff(index[order])) + 1
    for members in np.split(order, bounds):
        if len(members) < 2:
            continue
        # a crowded cell (a hub's many leaves) repels through a sample of its members, weighted
        # up, so the cost stays members x CELL_SAMPLE instead of members^2
        others = members if len(members) <= CELL_SAMPLE else members[::len(members) // CELL_SAMPLE + 1]
        scale = len(members) / len(others)
        d = pos[members][:, None, :] - pos[others][None, :, :]
        d2 = (d ** 2).sum(axis=2).clip(0.01)
        disp[members] += (d * (scale * k * k / d2)[:, :, None]).sum(axis=1)
    return disp
