"""Fixed node positions for the explorer, computed here so that the page draws its first frame at once.

Each connected component is laid out alone (networkx's spring layout below 500 nodes; above, Louvain
communities laid out alone and placed by a spring layout of the graph of communities), scaled so that a typical
link is `EDGE_LENGTH` canvas pixels long, pushed apart where nodes overlap, and the components are then packed
in rows, tallest first, into a block about as wide as a screen. Nodes without any link come last, in a grid of
their own, so hiding them leaves the rest in one piece. Everything is seeded: the same graph gives the same
positions.
"""
from __future__ import annotations

import math
from collections.abc import Hashable, Iterable

import networkx as nx
import numpy as np

SEED = 7
EDGE_LENGTH = 110.0  # canvas pixels of a typical (median) link
GAP = 70.0  # between packed components
ASPECT = 1.7  # width / height of the packed block: about the graph area of a laptop screen
PAD = 14.0  # least room between the borders of two nodes
SEPARATE_MAX = 500  # overlap removal is pairwise: a bigger component keeps its two-level layout as is
SINGLE_CELL = (150.0, 70.0)  # grid cell of a node without links: room for its label


def layout(
    nodes: Iterable[Hashable], links: Iterable[tuple[Hashable, Hashable]], sizes: dict
) -> dict[Hashable, tuple[float, float]]:
    """Positions in canvas pixels for every node; `sizes` are node radii in the same unit."""
    ordered = sorted(nodes, key=str)
    net: nx.Graph[Hashable] = nx.Graph()
    net.add_nodes_from(ordered)
    net.add_edges_from(sorted(((a, b) for a, b in links if a != b), key=lambda e: (str(e[0]), str(e[1]))))
    components = sorted((sorted(c, key=str) for c in nx.connected_components(net)), key=lambda c: (-len(c), str(c[0])))
    blocks: list[dict[Hashable, np.ndarray]] = []
    singles: list[Hashable] = []  # nodes without links
    for members in components:
        if len(members) == 1:
            singles.append(members[0])
            continue
        unit = _component_layout(net.subgraph(members), members)
        points = np.array([unit[node] for node in members], dtype=float)
        lengths = [float(np.hypot(*(unit[a] - unit[b]))) for a, b in net.subgraph(members).edges()]
        typical = float(np.median(lengths)) if lengths else 1.0
        points *= EDGE_LENGTH / max(typical, 1e-6)
        radii = np.array([float(sizes.get(node, 10.0)) for node in members])
        if len(members) <= SEPARATE_MAX:
            points = _separate(points, radii)
        blocks.append(dict(zip(members, points, strict=True)))
    return _pack(blocks, singles, sizes)


def _component_layout(sub: nx.Graph, nodes: list) -> dict:
    """Positions in [-1, 1]. Below 500 nodes networkx's (dense) spring layout; above, two levels: Louvain
    communities each laid out alone, placed by a spring layout of the graph of communities (no scipy needed)."""
    if len(nodes) == 1:
        return {nodes[0]: np.zeros(2)}
    ordered: nx.Graph[Hashable] = nx.Graph()
    ordered.add_nodes_from(nodes)
    ordered.add_weighted_edges_from(
        sorted(((a, b, d.get("weight", 1)) for a, b, d in sub.edges(data=True)), key=lambda e: (str(e[0]), str(e[1])))
    )
    if len(nodes) < 500:
        return nx.spring_layout(ordered, seed=SEED, method="force", iterations=60)
    groups = [sorted(c, key=str) for c in nx.community.louvain_communities(ordered, seed=SEED)]
    if len(groups) == 1:  # one dense lump: no structure worth the cost of a force layout
        return nx.circular_layout(ordered)
    groups.sort(key=lambda g: (-len(g), str(g[0])))
    member = {node: index for index, group in enumerate(groups) for node in group}
    quotient: nx.Graph[int] = nx.Graph()
    quotient.add_nodes_from(range(len(groups)))
    for a, b in ordered.edges():
        if member[a] != member[b]:
            pair = (member[a], member[b])
            weight = quotient.get_edge_data(*pair, default={"weight": 0})["weight"]
            quotient.add_edge(*pair, weight=weight + 1)
    centres = _component_layout(quotient, list(range(len(groups))))
    radius = np.array([math.sqrt(len(g)) for g in groups])
    centre = np.array([centres[i] for i in range(len(groups))])
    # spread the centres until most neighbouring communities no longer overlap
    gaps = np.sqrt(((centre[:, None, :] - centre[None, :, :]) ** 2).sum(axis=2)) + np.eye(len(groups))
    spread = float(np.quantile((radius[:, None] + radius[None, :]) / np.maximum(gaps, 1e-3), 0.95))
    positions = {}
    for index, group in enumerate(groups):
        local = _component_layout(ordered.subgraph(group), group)
        for node in group:
            positions[node] = centre[index] * spread + np.asarray(local[node]) * radius[index] * 1.2
    scale = max(float(np.abs(np.array(list(positions.values()))).max()), 1e-9)
    return {node: pos / scale for node, pos in positions.items()}


def _separate(points: np.ndarray, radii: np.ndarray, rounds: int = 30) -> np.ndarray:
    """Push apart every pair of nodes closer than their radii plus PAD, half each way, a few rounds."""
    points = points.copy()
    count = len(points)
    need = radii[:, None] + radii[None, :] + PAD
    upper = np.triu(np.ones((count, count), dtype=bool), 1)
    # coincident nodes part along a fixed direction per pair, so the result does not depend on float noise
    angle = np.add.outer(np.arange(count), 2 * np.arange(count)) * 2.399963
    for _ in range(rounds):
        delta = points[:, None, :] - points[None, :, :]
        distance = np.sqrt((delta**2).sum(axis=2))
        overlap = upper & (distance < need)
        if not overlap.any():
            break
        i, j = np.nonzero(overlap)
        d = distance[i, j]
        direction = np.where(
            (d > 1e-6)[:, None], delta[i, j] / np.maximum(d, 1e-6)[:, None],
            np.stack([np.cos(angle[i, j]), np.sin(angle[i, j])], axis=1),
        )
        push = ((need[i, j] - d) / 2)[:, None] * direction
        moves = np.zeros_like(points)
        np.add.at(moves, i, push)
        np.add.at(moves, j, -push)
        points += moves
    return points


def _grid(nodes: list, width: float) -> dict[Hashable, np.ndarray]:
    """Nodes without links in rows as wide as `width`."""
    columns = max(1, int(width // SINGLE_CELL[0]))
    return {
        node: np.array([(index % columns) * SINGLE_CELL[0], (index // columns) * SINGLE_CELL[1]])
        for index, node in enumerate(nodes)
    }


def _pack(blocks: list[dict[Hashable, np.ndarray]], singles: list, sizes: dict) -> dict[Hashable, tuple[float, float]]:
    """Shelf packing of the blocks (each moved to the origin), tallest first, in rows about ASPECT times wider
    than the whole is tall; the nodes without links follow in a grid of that width, below them all."""
    boxes = []
    for block in blocks:
        points = np.array(list(block.values()))
        radii = np.array([float(sizes.get(node, 10.0)) for node in block])
        low = (points - radii[:, None]).min(axis=0)
        boxes.append((block, low, (points + radii[:, None]).max(axis=0) - low))
    boxes.sort(key=lambda box: (-box[2][1], -box[2][0]))  # stable: equal boxes keep the components' order
    area = sum((size[0] + GAP) * (size[1] + GAP) for _, _, size in boxes) + len(singles) * math.prod(SINGLE_CELL)
    width = max([math.sqrt(area * ASPECT), *(size[0] for _, _, size in boxes), SINGLE_CELL[0]])
    positions: dict[Hashable, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for block, low, size in boxes:
        if x > 0 and x + size[0] > width:
            x, y, row_height = 0.0, y + row_height + GAP, 0.0
        for node, point in block.items():
            positions[node] = (round(float(point[0] - low[0] + x), 1), round(float(point[1] - low[1] + y), 1))
        x += size[0] + GAP
        row_height = max(row_height, size[1])
    top = y + row_height + GAP if boxes else 0.0
    for node, point in _grid(singles, width).items():
        positions[node] = (round(float(point[0]), 1), round(float(point[1] + top), 1))
    return positions
