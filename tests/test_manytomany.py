"""The contraction hierarchy and the scipy fallback give exact shortest-path matrices."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from benchmarks.matrix_benchmark import grid_streets
from planner.network import _manytomany
from planner.network._manytomany import (
    ContractionHierarchy,
    fallback_many_to_many,
    many_to_many,
)


def floyd_warshall(n: int, tails, heads, weights) -> np.ndarray:
    """All-pairs costs by brute force: an independent reference for small graphs."""
    d = np.full((n, n), np.inf)
    np.minimum.at(d, (np.asarray(tails, int), np.asarray(heads, int)), np.asarray(weights, float))
    np.fill_diagonal(d, 0.0)
    for k in range(n):
        d = np.minimum(d, d[:, k : k + 1] + d[k : k + 1, :])
    return d


@st.composite
def directed_graphs(draw):
    n = draw(st.integers(1, 24))
    m = draw(st.integers(0, 4 * n))
    node = st.integers(0, n - 1)
    tails = draw(st.lists(node, min_size=m, max_size=m))
    heads = draw(st.lists(node, min_size=m, max_size=m))
    # Small integers make ties and zero-weight edges common; floats test rounding.
    weight = st.one_of(
        st.integers(0, 4).map(float), st.floats(0, 1000, allow_nan=False, allow_infinity=False)
    )
    weights = draw(st.lists(weight, min_size=m, max_size=m))
    return n, np.array(tails, int), np.array(heads, int), np.array(weights, float)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(directed_graphs())
def test_random_graphs_match_brute_force(graph):
    n, tails, heads, weights = graph
    expected = floyd_warshall(n, tails, heads, weights)
    nodes = np.arange(n)
    ch = ContractionHierarchy.build(n, tails, heads, weights)
    got = many_to_many(ch, nodes, nodes)
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(np.isinf(got), np.isinf(expected))
    fallback = fallback_many_to_many(n, tails, heads, weights, nodes, nodes)
    np.testing.assert_allclose(fallback, expected, rtol=1e-9, atol=1e-9)


def grid_graph(side: int, seed: int = 3):
    """A grid with random lengths, 20 % of streets removed and 10 % one-way."""
    rng = np.random.default_rng(seed)
    a, b, oneway = grid_streets(side, rng)
    tails = np.concatenate([a, b[~oneway]])
    heads = np.concatenate([b, a[~oneway]])
    weights = rng.uniform(20.0, 200.0, tails.size)
    return side * side, tails, heads, weights


@pytest.fixture(scope="module")
def grid():
    n, tails, heads, weights = grid_graph(45)
    return n, tails, heads, weights, ContractionHierarchy.build(n, tails, heads, weights)


def test_grid_matches_scipy_dijkstra(grid):
    n, tails, heads, weights, ch = grid
    rng = np.random.default_rng(0)
    sources = rng.choice(n, 300, replace=False)
    targets = rng.choice(n, 400, replace=False)
    graph = csr_matrix((weights, (tails, heads)), shape=(n, n))  # no parallel edges here
    expected = dijkstra(graph, indices=sources)[:, targets]
    got = many_to_many(ch, sources, targets)
    assert np.isinf(expected).any() and np.isfinite(expected).any()
    np.testing.assert_allclose(got, expected, rtol=1e-9)
    np.testing.assert_array_equal(np.isinf(got), np.isinf(expected))
    np.testing.assert_allclose(
        fallback_many_to_many(n, tails, heads, weights, sources, targets), expected, rtol=1e-12
    )


def test_result_does_not_depend_on_thread_count(grid, monkeypatch):
    n, _, _, _, ch = grid
    nodes = np.random.default_rng(1).choice(n, 600, replace=False)
    threaded = many_to_many(ch, nodes, nodes)
    monkeypatch.setattr(_manytomany, "_MAX_THREADS", 1)
    np.testing.assert_array_equal(many_to_many(ch, nodes, nodes), threaded)


def test_build_is_deterministic(grid):
    n, tails, heads, weights, ch = grid
    again = ContractionHierarchy.build(n, tails, heads, weights)
    for name in _manytomany._ARRAY_FIELDS:
        np.testing.assert_array_equal(getattr(again, name), getattr(ch, name))


def test_unreachable_pairs_are_inf():
    # 0 -> 1 is one-way; node 3 is isolated; 2 <-> 1 both ways.
    ch = ContractionHierarchy.build(4, [0, 1, 2], [1, 2, 1], [5.0, 1.0, 1.0])
    got = many_to_many(ch, [0, 1, 3], [0, 2, 3])
    expected = np.array([[0.0, 6.0, np.inf], [np.inf, 1.0, np.inf], [np.inf, np.inf, 0.0]])
    np.testing.assert_array_equal(got, expected)


def test_parallel_edges_keep_the_cheapest_and_zero_weights_count():
    tails = [0, 0, 0, 1, 1, 2, 2]
    heads = [1, 1, 1, 2, 2, 2, 0]
    weights = [7.0, 3.0, 9.0, 0.0, 4.0, 0.5, 0.0]  # 2 -> 2 self-loop is ignored
    expected = np.array([[0.0, 3.0, 3.0], [0.0, 0.0, 0.0], [0.0, 3.0, 0.0]])
    ch = ContractionHierarchy.build(3, tails, heads, weights)
    np.testing.assert_array_equal(many_to_many(ch, [0, 1, 2], [0, 1, 2]), expected)
    np.testing.assert_array_equal(
        fallback_many_to_many(3, tails, heads, weights, [0, 1, 2], [0, 1, 2]), expected
    )


def test_infinite_weight_means_no_edge():
    ch = ContractionHierarchy.build(2, [0, 1], [1, 0], [np.inf, 2.0])
    np.testing.assert_array_equal(many_to_many(ch, [0, 1], [0, 1]), [[0.0, np.inf], [2.0, 0.0]])


def test_repeated_and_empty_queries(grid):
    *_, ch = grid
    got = many_to_many(ch, [5, 5, 7], [9, 5, 9])
    assert got[0].tolist() == got[1].tolist()
    assert got[0, 0] == got[0, 2] and got[0, 1] == 0.0
    assert many_to_many(ch, [], [1, 2]).shape == (0, 2)
    assert fallback_many_to_many(3, [0], [1], [1.0], [0, 2], []).shape == (2, 0)


def test_npz_round_trip(grid, tmp_path):
    n, _, _, _, ch = grid
    path = tmp_path / "ch.npz"
    ch.to_npz(path)
    loaded = ContractionHierarchy.from_npz(path)
    for name in _manytomany._ARRAY_FIELDS:
        np.testing.assert_array_equal(getattr(loaded, name), getattr(ch, name))
    nodes = np.arange(0, n, 17)
    np.testing.assert_array_equal(
        many_to_many(loaded, nodes, nodes), many_to_many(ch, nodes, nodes)
    )


def test_npz_of_another_version_is_rejected(grid, tmp_path, monkeypatch):
    *_, ch = grid
    path = tmp_path / "ch.npz"
    ch.to_npz(path)
    monkeypatch.setattr(_manytomany, "FORMAT_VERSION", _manytomany.FORMAT_VERSION + 1)
    with pytest.raises(ValueError, match="format"):
        ContractionHierarchy.from_npz(path)


@pytest.mark.parametrize(
    ("tails", "heads", "weights", "message"),
    [
        ([0], [1], [-1.0], ">= 0"),
        ([0], [1], [np.nan], ">= 0"),
        ([0], [3], [1.0], "node indices"),
        ([0, 1], [1], [1.0, 1.0], "same length"),
    ],
)
def test_bad_edges_are_rejected(tails, heads, weights, message):
    with pytest.raises(ValueError, match=message):
        ContractionHierarchy.build(3, tails, heads, weights)
    with pytest.raises(ValueError, match=message):
        fallback_many_to_many(3, tails, heads, weights, [0], [1])


def test_bad_query_nodes_are_rejected(grid):
    n, _, _, _, ch = grid
    with pytest.raises(ValueError, match="sources"):
        many_to_many(ch, [n], [0])
    with pytest.raises(ValueError, match="targets"):
        many_to_many(ch, [0], [-1])
