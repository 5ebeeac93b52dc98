"""Exact many-to-many shortest-path distances on a directed graph given as plain arrays.

Two engines, both exact:

* :class:`ContractionHierarchy` (Geisberger et al. 2008) with the bucket-based many-to-many
  query of Knopp et al. (2007). On a street-like grid of 55,000 nodes building it takes
  about 3 s and a 1000 x 1000 matrix about 0.1 s (benchmarks/matrix_benchmark.py). The
  kernels are compiled with numba and cached on disk (``cache=True``), so a fresh process
  loads them (~0.15 s) instead of recompiling them (~15 s); queries run on one thread per
  CPU. Memory: about 16 bytes per target per node in its upward search (a few hundred).
* :func:`fallback_many_to_many`: one scipy Dijkstra per source, for small inputs where a
  hierarchy would not pay for itself.

Weights are whatever unit the caller uses (metres or seconds); results are in the same unit
and ``np.inf`` marks a pair with no path. Nodes are integers ``0 .. n_nodes - 1``.

A hierarchy adds *shortcut* edges ``u -> w`` standing for ``u -> v -> w`` while it removes
("contracts") the nodes ``v`` one by one in order of importance. Every shortest path then
exists as an up-then-down path: first only to later-contracted nodes, then only to earlier
ones. A query therefore needs only two small "upward" searches per pair, and the
many-to-many variant shares them: one backward search per target leaves (target, distance)
entries in buckets at the nodes it reaches, and one forward search per source scans the
buckets of the nodes it reaches.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

# Bump when the build algorithm or the stored arrays change, so stale caches are rejected.
FORMAT_VERSION = 1

# Witness searches are truncated after this many settled nodes. Truncation only ever adds
# superfluous shortcuts, never loses a path, so these bound build time without hurting
# exactness. Priority estimates use the cheaper limit.
_WITNESS_SETTLE_LIMIT = 500
_ESTIMATE_SETTLE_LIMIT = 20

# Memory cap (bytes) for one block of rows of the scipy fallback's source x node matrix.
_FALLBACK_BLOCK_BYTES = 64 * 1024 * 1024

# Query threads: the kernels release the GIL, so plain threads share the searches.
_MAX_THREADS = 8
_MIN_SEARCHES_PER_THREAD = 100

_ARRAY_FIELDS = (
    "rank",
    "up_indptr",
    "up_heads",
    "up_weights",
    "down_indptr",
    "down_tails",
    "down_weights",
)
_ARRAY_DTYPES = (np.int32, np.int64, np.int32, np.float64, np.int64, np.int32, np.float64)


def _jit(func: Callable[..., Any], *, nogil: bool = False) -> Callable[..., Any]:
    """Compile ``func`` with numba, caching the machine code on disk when possible.

    numba stores the cache beside this file, else in the user cache directory, or in
    ``NUMBA_CACHE_DIR`` when that is set. When none is writable it refuses ``cache=True`` at
    decoration time; the kernels then compile in memory in every process (a start-up of
    seconds instead of ~0.15 s, same results).
    """
    try:
        return numba.njit(cache=True, nogil=nogil)(func)
    except RuntimeError:
        return numba.njit(nogil=nogil)(func)


def _jit_nogil(func: Callable[..., Any]) -> Callable[..., Any]:
    """Like :func:`_jit`, releasing the GIL so that threads can run the kernel side by side."""
    return _jit(func, nogil=True)


@dataclass(frozen=True, eq=False)
class ContractionHierarchy:
    """A contraction hierarchy of a directed graph, stored as arrays in contraction order.

    Node ``v`` of the input graph is node ``rank[v]`` here; rank ``n_nodes - 1`` was contracted
    last (the most important node). Both edge sets are CSR arrays indexed by rank:

    * ``up_*``: edges ``a -> b`` with ``b`` ranked above ``a``, listed at ``a``.
    * ``down_*``: edges ``b -> a`` with ``b`` ranked above ``a``, listed at ``a`` (so
      ``down_tails`` holds the higher tail node ``b``).

    Weights are in the unit of the input weights (metres or seconds).
    """

    rank: NDArray[np.int32]
    up_indptr: NDArray[np.int64]
    up_heads: NDArray[np.int32]
    up_weights: NDArray[np.float64]
    down_indptr: NDArray[np.int64]
    down_tails: NDArray[np.int32]
    down_weights: NDArray[np.float64]

    @property
    def n_nodes(self) -> int:
        """Number of nodes of the graph."""
        return len(self.rank)

    @classmethod
    def build(
        cls, n_nodes: int, tails: ArrayLike, heads: ArrayLike, weights: ArrayLike
    ) -> ContractionHierarchy:
        """Contract a directed graph given as edge arrays.

        Parameters
        ----------
        n_nodes : int
            Number of nodes; edges refer to nodes ``0 .. n_nodes - 1``.
        tails, heads : array_like of int
            Edge ``i`` runs from ``tails[i]`` to ``heads[i]``. Parallel edges are allowed (the
            cheapest counts); self-loops are ignored.
        weights : array_like of float
            Edge costs >= 0 (metres or seconds). ``inf`` means the edge is absent.

        Returns
        -------
        ContractionHierarchy
            Deterministic: the same input always gives the same arrays.
        """
        t, h, w = _simple_edges(n_nodes, tails, heads, weights)
        rank, up, down = _contract(
            np.int64(n_nodes),
            t.astype(np.int32),
            h.astype(np.int32),
            w,
            _WITNESS_SETTLE_LIMIT,
            _ESTIMATE_SETTLE_LIMIT,
        )
        return cls(rank, *up, *down)

    def to_npz(self, path: str | os.PathLike[str]) -> None:
        """Write the arrays to an uncompressed ``.npz`` file.

        Not atomic: callers write to a temporary path and rename (see ``planner._io``).
        """
        np.savez(
            path,
            format_version=np.int64(FORMAT_VERSION),
            **{name: getattr(self, name) for name in _ARRAY_FIELDS},
        )

    @classmethod
    def from_npz(cls, path: str | os.PathLike[str]) -> ContractionHierarchy:
        """Read a hierarchy written by :meth:`to_npz`.

        Raises
        ------
        ValueError
            If the file was written by another format version or misses arrays; the caller
            should rebuild the hierarchy.
        """
        with np.load(Path(path), allow_pickle=False) as z:
            missing = [name for name in ("format_version", *_ARRAY_FIELDS) if name not in z.files]
            if missing:
                raise ValueError(f"{path}: not a contraction hierarchy (missing {missing})")
            if int(z["format_version"]) != FORMAT_VERSION:
                raise ValueError(
                    f"{path}: hierarchy format {int(z['format_version'])}, "
                    f"expected {FORMAT_VERSION}"
                )
            ch = cls(**{name: z[name] for name in _ARRAY_FIELDS})
        ch._check_shapes(path)
        return ch

    def _check_shapes(self, origin: object) -> None:
        # Other dtypes would make numba compile new kernels instead of loading cached ones.
        for name, dtype in zip(_ARRAY_FIELDS, _ARRAY_DTYPES, strict=True):
            if getattr(self, name).dtype != dtype:
                raise ValueError(f"{origin}: array {name} is not {np.dtype(dtype).name}")
        n = self.n_nodes
        for prefix, nbrs in (("up", self.up_heads), ("down", self.down_tails)):
            indptr = getattr(self, f"{prefix}_indptr")
            wts = getattr(self, f"{prefix}_weights")
            if len(indptr) != n + 1 or indptr[-1] != len(nbrs) or len(wts) != len(nbrs):
                raise ValueError(f"{origin}: inconsistent {prefix} edge arrays")


def many_to_many(
    ch: ContractionHierarchy, sources: ArrayLike, targets: ArrayLike
) -> NDArray[np.float64]:
    """Shortest-path costs from every source to every target node.

    Parameters
    ----------
    ch : ContractionHierarchy
        Hierarchy of the graph, from :meth:`ContractionHierarchy.build`.
    sources, targets : array_like of int
        Node indices; repeats are allowed.

    Returns
    -------
    numpy.ndarray
        ``(len(sources), len(targets))`` float64 matrix in the unit of the edge weights
        (metres or seconds); ``np.inf`` where the target cannot be reached.
    """
    src = _node_indices(sources, ch.n_nodes, "sources")
    dst = _node_indices(targets, ch.n_nodes, "targets")
    result = np.full((len(src), len(dst)), np.inf)
    if result.size == 0:
        return result
    graph = (
        ch.up_indptr,
        ch.up_heads,
        ch.up_weights,
        ch.down_indptr,
        ch.down_tails,
        ch.down_weights,
    )
    src_rank = ch.rank[src].astype(np.int32)
    dst_rank = ch.rank[dst].astype(np.int32)
    workers = _worker_count(max(len(src), len(dst)))
    with ThreadPoolExecutor(workers) as pool:
        # Chunks are merged in order, so the buckets and the matrix do not depend on threads.
        parts = list(
            pool.map(
                lambda b: _target_searches(*graph, dst_rank[b[0] : b[1]], b[0]),
                _chunk_bounds(len(dst), workers),
            )
        )
        entries = (np.concatenate([part[i] for part in parts]) for i in range(3))
        buckets = _buckets(ch.n_nodes, *entries)
        list(
            pool.map(
                lambda b: _source_searches(
                    *graph, src_rank[b[0] : b[1]], *buckets, result[b[0] : b[1]]
                ),
                _chunk_bounds(len(src), workers),
            )
        )
    return result


def _worker_count(n_searches: int) -> int:
    """Return the threads for a query: one per usable CPU, at most ``_MAX_THREADS``.

    Fewer for small jobs, where starting threads costs more than it saves.
    """
    if hasattr(os, "sched_getaffinity"):
        cpus = len(os.sched_getaffinity(0))
    else:
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, _MAX_THREADS, n_searches // _MIN_SEARCHES_PER_THREAD))


def _chunk_bounds(n_items: int, n_chunks: int) -> list[tuple[int, int]]:
    edges = np.linspace(0, n_items, n_chunks + 1).astype(int)
    return list(zip(edges[:-1].tolist(), edges[1:].tolist()))


def fallback_many_to_many(
    n_nodes: int,
    tails: ArrayLike,
    heads: ArrayLike,
    weights: ArrayLike,
    sources: ArrayLike,
    targets: ArrayLike,
) -> NDArray[np.float64]:
    """Shortest-path costs with one scipy Dijkstra per distinct source (no preprocessing).

    Same inputs and result as :meth:`ContractionHierarchy.build` followed by
    :func:`many_to_many`; the cheaper choice when there are few sources. Sources are
    processed in blocks so memory stays bounded whatever their number.

    Returns
    -------
    numpy.ndarray
        ``(len(sources), len(targets))`` float64 matrix in the unit of the edge weights
        (metres or seconds); ``np.inf`` where unreachable.
    """
    t, h, w = _simple_edges(n_nodes, tails, heads, weights)
    src = _node_indices(sources, n_nodes, "sources")
    dst = _node_indices(targets, n_nodes, "targets")
    # Explicit zeros in a CSR matrix are edges for csgraph, so zero-weight edges survive.
    graph = csr_matrix((w, (t, h)), shape=(n_nodes, n_nodes))
    uniq, inverse = np.unique(src, return_inverse=True)
    out = np.empty((len(uniq), len(dst)))
    block = max(1, _FALLBACK_BLOCK_BYTES // (8 * max(n_nodes, 1)))
    for start in range(0, len(uniq), block):
        rows = dijkstra(graph, directed=True, indices=uniq[start : start + block])
        out[start : start + block] = rows[:, dst]
    return out[inverse]


def _node_indices(nodes: ArrayLike, n_nodes: int, name: str) -> NDArray[np.int64]:
    idx = np.asarray(nodes, dtype=np.int64).ravel()
    if idx.size and (idx.min() < 0 or idx.max() >= n_nodes):
        raise ValueError(f"{name} must be node indices in 0..{n_nodes - 1}")
    return idx


def _simple_edges(
    n_nodes: int, tails: ArrayLike, heads: ArrayLike, weights: ArrayLike
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """Return the validated edges, sorted by (tail, head).

    Self-loops, absent (inf) edges and costlier parallel twins are dropped.
    """
    t = np.asarray(tails, dtype=np.int64).ravel()
    h = np.asarray(heads, dtype=np.int64).ravel()
    w = np.asarray(weights, dtype=np.float64).ravel()
    if not len(t) == len(h) == len(w):
        raise ValueError("tails, heads and weights must have the same length")
    if n_nodes < 0 or n_nodes >= np.iinfo(np.int32).max:
        raise ValueError(f"n_nodes must be in 0..{np.iinfo(np.int32).max - 1}")
    if len(t) and (min(t.min(), h.min()) < 0 or max(t.max(), h.max()) >= n_nodes):
        raise ValueError(f"edge endpoints must be node indices in 0..{n_nodes - 1}")
    if np.any(np.isnan(w)) or np.any(w < 0):
        raise ValueError("edge weights must be >= 0 (NaN is not allowed)")
    keep = (t != h) & np.isfinite(w)
    t, h, w = t[keep], h[keep], w[keep]
    order = np.lexsort((w, h, t))
    t, h, w = t[order], h[order], w[order]
    first = np.ones(len(t), dtype=bool)
    first[1:] = (t[1:] != t[:-1]) | (h[1:] != h[:-1])
    return t[first], h[first], w[first]


# --------------------------------------------------------------------------------------------
# Indexed binary min-heap over node ids, keyed by key[node], ties broken by node id so every
# run pops in the same order. ``heap`` is a pair (nodes, keys) of arrays holding each entry's
# key inline, which saves an indirection per comparison; pos[node] is the node's slot, or -1.


@_jit
def _before(ka, a, kb, b):
    return ka < kb or (ka == kb and a < b)


@_jit
def _sift_up(heap, pos, i):
    nodes, keys = heap
    x, kx = nodes[i], keys[i]
    while i > 0:
        parent = (i - 1) >> 1
        if not _before(kx, x, keys[parent], nodes[parent]):
            break
        nodes[i], keys[i] = nodes[parent], keys[parent]
        pos[nodes[i]] = i
        i = parent
    nodes[i], keys[i] = x, kx
    pos[x] = i


@_jit
def _sift_down(heap, pos, i, size):
    nodes, keys = heap
    x, kx = nodes[i], keys[i]
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and _before(
            keys[child + 1], nodes[child + 1], keys[child], nodes[child]
        ):
            child += 1
        if not _before(keys[child], nodes[child], kx, x):
            break
        nodes[i], keys[i] = nodes[child], keys[child]
        pos[nodes[i]] = i
        i = child
    nodes[i], keys[i] = x, kx
    pos[x] = i


@_jit
def _heap_set(heap, pos, key, size, v):
    """Insert ``v`` or restore order after ``key[v]`` changed; returns the new size."""
    nodes, keys = heap
    i = pos[v]
    if i < 0:
        nodes[size], keys[size] = v, key[v]
        _sift_up(heap, pos, size)
        return size + 1
    keys[i] = key[v]
    _sift_up(heap, pos, i)
    _sift_down(heap, pos, pos[v], size)
    return size


@_jit
def _heap_pop(heap, pos, key, size):
    """Remove the minimum; returns (node, new size)."""
    nodes, keys = heap
    v = nodes[0]
    pos[v] = -1
    size -= 1
    if size > 0:
        nodes[0], keys[0] = nodes[size], keys[size]
        _sift_down(heap, pos, 0, size)
    return v, size


# --------------------------------------------------------------------------------------------
# Contraction. The shrinking graph keeps, per node and direction (0 = out, 1 = in), a list of
# (neighbour, weight) in one shared pool; a full list moves to the pool's end with double room.
# Contracting v removes v from its neighbours' lists but leaves v's own lists untouched: they
# then hold exactly v's edges to higher-ranked nodes, i.e. its part of the hierarchy.


@_jit
def _make_room(nbr, wt, start, length, cap, top, d, v):
    """Ensure list (d, v) can take one more entry; returns (nbr, wt, top) as the pool may grow."""
    if length[d, v] < cap[d, v]:
        return nbr, wt, top
    new_cap = max(4, 2 * cap[d, v])
    if top + new_cap > nbr.size:
        size = max(2 * nbr.size, top + new_cap)
        grown_nbr = np.empty(size, np.int32)
        grown_wt = np.empty(size, np.float64)
        grown_nbr[:top] = nbr[:top]
        grown_wt[:top] = wt[:top]
        nbr, wt = grown_nbr, grown_wt
    s, k = start[d, v], length[d, v]
    nbr[top : top + k] = nbr[s : s + k]
    wt[top : top + k] = wt[s : s + k]
    start[d, v] = top
    cap[d, v] = new_cap
    return nbr, wt, top + new_cap


@_jit
def _add_or_lower(nbr, wt, start, length, cap, top, d, v, x, w):
    """Set list (d, v)'s entry for x to min(current, w), appending it if absent."""
    s = start[d, v]
    for k in range(s, s + length[d, v]):
        if nbr[k] == x:
            wt[k] = min(wt[k], w)
            return nbr, wt, top
    nbr, wt, top = _make_room(nbr, wt, start, length, cap, top, d, v)
    k = start[d, v] + length[d, v]
    nbr[k] = x
    wt[k] = w
    length[d, v] += 1
    return nbr, wt, top


@_jit
def _remove(nbr, wt, start, length, d, v, x):
    """Delete x from list (d, v) (order is not kept)."""
    s = start[d, v]
    last = s + length[d, v] - 1
    for k in range(s, last + 1):
        if nbr[k] == x:
            nbr[k] = nbr[last]
            wt[k] = wt[last]
            length[d, v] -= 1
            return


@_jit
def _witness_search(
    nbr,
    wt,
    start,
    length,
    source,
    avoid,
    bound,
    settle_limit,
    is_target,
    n_targets,
    dist,
    heap,
    pos,
    touched,
):
    """Run a truncated Dijkstra from ``source`` over out-lists, never entering ``avoid``.

    Stops once the ``n_targets`` nodes flagged in ``is_target`` are settled, the next node is
    farther than ``bound`` or ``settle_limit`` nodes are settled. Leaves upper bounds of path
    costs avoiding ``avoid`` in ``dist`` and returns how many entries of ``touched`` name the
    nodes whose ``dist``/``pos`` must be reset.
    """
    dist[source] = 0.0
    touched[0] = source
    n_touched = 1
    size = _heap_set(heap, pos, dist, 0, source)
    settled = 0
    while size > 0 and settled < settle_limit and n_targets > 0:
        u, size = _heap_pop(heap, pos, dist, size)
        du = dist[u]
        if du > bound:
            break
        settled += 1
        if is_target[u]:
            n_targets -= 1
        s = start[0, u]
        for k in range(s, s + length[0, u]):
            x = nbr[k]
            nd = du + wt[k]
            if x != avoid and nd < dist[x]:
                if dist[x] == np.inf:
                    touched[n_touched] = x
                    n_touched += 1
                dist[x] = nd
                size = _heap_set(heap, pos, dist, size, x)
    return n_touched


@_jit
def _needed_shortcuts(
    v,
    nbr,
    wt,
    start,
    length,
    settle_limit,
    is_target,
    dist,
    heap,
    pos,
    touched,
    out_from,
    out_to,
    out_w,
):
    """Shortcuts u -> x (cost u->v->x) that contracting v requires.

    Fills ``out_*`` when they are non-empty and returns the number of shortcuts.
    ``is_target`` must be all False on entry and is so again on return.
    """
    count = 0
    s_in, s_out = start[1, v], start[0, v]
    n_out = length[0, v]
    max_out = 0.0
    for k in range(s_out, s_out + n_out):
        max_out = max(max_out, wt[k])
        is_target[nbr[k]] = True
    for ki in range(s_in, s_in + length[1, v]):
        u, w_uv = nbr[ki], wt[ki]
        n_touched = _witness_search(
            nbr,
            wt,
            start,
            length,
            u,
            v,
            w_uv + max_out,
            settle_limit,
            is_target,
            n_out,
            dist,
            heap,
            pos,
            touched,
        )
        for ko in range(s_out, s_out + n_out):
            x = nbr[ko]
            via_v = w_uv + wt[ko]
            if x != u and dist[x] > via_v:
                if out_from.size > 0:
                    out_from[count], out_to[count], out_w[count] = u, x, via_v
                count += 1
        for k in range(n_touched):
            dist[touched[k]] = np.inf
            pos[touched[k]] = -1
    for k in range(s_out, s_out + n_out):
        is_target[nbr[k]] = False
    return count


@_jit
def _priority(v, nbr, wt, start, length, settle_limit, is_target, dist, heap, pos, touched, level):
    """Return the contraction order key.

    Contract first what adds fewer shortcuts than the edges it removes (edge difference) and
    what sits low in the hierarchy built so far (level), which spreads contraction evenly over
    the graph and keeps search spaces small.
    """
    empty_i = np.empty(0, np.int32)
    added = _needed_shortcuts(
        v,
        nbr,
        wt,
        start,
        length,
        settle_limit,
        is_target,
        dist,
        heap,
        pos,
        touched,
        empty_i,
        empty_i,
        np.empty(0, np.float64),
    )
    removed = length[0, v] + length[1, v]
    return added - removed + level[v]


@_jit
def _contract(n, tails, heads, weights, witness_limit, estimate_limit):
    """Contract all nodes; returns (rank, up CSR triple, down CSR triple) in rank space."""
    # Initial lists: one CSR layout per direction, each list with room to double.
    start = np.zeros((2, n), np.int64)
    length = np.zeros((2, n), np.int64)
    for i in range(tails.size):
        length[0, tails[i]] += 1
        length[1, heads[i]] += 1
    cap = np.maximum(2 * length, 4)
    top = 0
    for d in range(2):
        for v in range(n):
            start[d, v] = top
            top += cap[d, v]
    nbr = np.empty(2 * top, np.int32)
    wt = np.empty(2 * top, np.float64)
    length[:] = 0
    for i in range(tails.size):
        t, h = tails[i], heads[i]
        k = start[0, t] + length[0, t]
        nbr[k], wt[k] = h, weights[i]
        length[0, t] += 1
        k = start[1, h] + length[1, h]
        nbr[k], wt[k] = t, weights[i]
        length[1, h] += 1

    dist = np.full(n, np.inf)
    wpos = np.full(n, -1, np.int64)
    wheap = (np.empty(n, np.int64), np.empty(n, np.float64))
    touched = np.empty(n, np.int64)
    is_target = np.zeros(n, np.bool_)
    level = np.zeros(n, np.float64)

    prio = np.empty(n, np.float64)
    qpos = np.full(n, -1, np.int64)
    qheap = (np.empty(n, np.int64), np.empty(n, np.float64))
    qsize = 0
    for v in range(n):
        prio[v] = _priority(
            v, nbr, wt, start, length, estimate_limit, is_target, dist, wheap, wpos, touched, level
        )
        qsize = _heap_set(qheap, qpos, prio, qsize, v)

    rank = np.empty(n, np.int32)
    order = np.empty(n, np.int64)
    for r in range(n):
        # Lazy updates: re-evaluate the best candidate until it stays the best. Re-evaluating
        # every neighbour after each contraction instead costs several times the build time
        # for hardly better hierarchies.
        while True:
            v = qheap[0][0]
            prio[v] = _priority(
                v,
                nbr,
                wt,
                start,
                length,
                estimate_limit,
                is_target,
                dist,
                wheap,
                wpos,
                touched,
                level,
            )
            qsize = _heap_set(qheap, qpos, prio, qsize, v)
            if qheap[0][0] == v:
                break
        v, qsize = _heap_pop(qheap, qpos, prio, qsize)
        rank[v] = r
        order[r] = v

        n_max = length[0, v] * length[1, v]
        sc_from = np.empty(n_max, np.int32)
        sc_to = np.empty(n_max, np.int32)
        sc_w = np.empty(n_max, np.float64)
        n_sc = _needed_shortcuts(
            v,
            nbr,
            wt,
            start,
            length,
            witness_limit,
            is_target,
            dist,
            wheap,
            wpos,
            touched,
            sc_from,
            sc_to,
            sc_w,
        )
        s_out, s_in = start[0, v], start[1, v]
        for k in range(s_out, s_out + length[0, v]):
            _remove(nbr, wt, start, length, 1, nbr[k], v)
        for k in range(s_in, s_in + length[1, v]):
            _remove(nbr, wt, start, length, 0, nbr[k], v)
        for i in range(n_sc):
            nbr, wt, top = _add_or_lower(
                nbr, wt, start, length, cap, top, 0, sc_from[i], sc_to[i], sc_w[i]
            )
            nbr, wt, top = _add_or_lower(
                nbr, wt, start, length, cap, top, 1, sc_to[i], sc_from[i], sc_w[i]
            )
        for d in range(2):
            s = start[d, v]
            for k in range(s, s + length[d, v]):
                x = nbr[k]
                level[x] = max(level[x], level[v] + 1.0)

    up = _rank_csr(n, rank, order, nbr, wt, start[0], length[0])
    down = _rank_csr(n, rank, order, nbr, wt, start[1], length[1])
    return rank, up, down


@_jit
def _rank_csr(n, rank, order, nbr, wt, start, length):
    """Return the CSR over ranks of the lists left at each node.

    Neighbours are renamed to ranks and sorted by rank within a list (for determinism and memory
    locality).
    """
    indptr = np.zeros(n + 1, np.int64)
    for r in range(n):
        indptr[r + 1] = indptr[r] + length[order[r]]
    nbrs = np.empty(indptr[n], np.int32)
    wts = np.empty(indptr[n], np.float64)
    for r in range(n):
        v = order[r]
        s = start[v]
        k0 = indptr[r]
        ranks = np.empty(length[v], np.int32)
        for k in range(length[v]):
            ranks[k] = rank[nbr[s + k]]
        for j, k in enumerate(np.argsort(ranks, kind="mergesort")):
            nbrs[k0 + j] = ranks[k]
            wts[k0 + j] = wt[s + k]
    return indptr, nbrs, wts


# --------------------------------------------------------------------------------------------
# Queries (all in rank space).


@_jit
def _upward_search(
    root,
    indptr,
    nbrs,
    wts,
    stall_indptr,
    stall_nbrs,
    stall_wts,
    dist,
    heap,
    pos,
    touched,
    found_nodes,
    found_dist,
):
    """Dijkstra from ``root`` along edges to higher ranks, with stall-on-demand.

    A node is stalled (skipped) when a higher neighbour already reached offers a shorter way
    into it: its tentative cost then is not a shortest-path cost, and no shortest up-down
    path has its top there. Unstalled settled nodes go to ``found_*``; returns their count.
    Resets ``dist`` and ``pos`` before returning.
    """
    dist[root] = 0.0
    touched[0] = root
    n_touched = 1
    n_found = 0
    size = _heap_set(heap, pos, dist, 0, root)
    while size > 0:
        v, size = _heap_pop(heap, pos, dist, size)
        dv = dist[v]
        stalled = False
        for k in range(stall_indptr[v], stall_indptr[v + 1]):
            if dist[stall_nbrs[k]] + stall_wts[k] < dv:
                stalled = True
                break
        if stalled:
            continue
        found_nodes[n_found] = v
        found_dist[n_found] = dv
        n_found += 1
        for k in range(indptr[v], indptr[v + 1]):
            x = nbrs[k]
            nd = dv + wts[k]
            if nd < dist[x]:
                if dist[x] == np.inf:
                    touched[n_touched] = x
                    n_touched += 1
                dist[x] = nd
                size = _heap_set(heap, pos, dist, size, x)
    for k in range(n_touched):
        dist[touched[k]] = np.inf
    return n_found


@_jit
def _search_workspace(n):
    """Scratch arrays for :func:`_upward_search` on an ``n``-node hierarchy."""
    return (
        np.full(n, np.inf),
        (np.empty(n, np.int64), np.empty(n, np.float64)),
        np.full(n, -1, np.int64),
        np.empty(n, np.int64),
        np.empty(n, np.int32),
        np.empty(n, np.float64),
    )


@_jit_nogil
def _target_searches(
    up_indptr, up_heads, up_weights, down_indptr, down_tails, down_weights, targets, first_target
):
    """Backward upward searches from ``targets`` (numbered from ``first_target``).

    Returns bucket entries (node, target number, cost node -> target) in target order.
    """
    dist, heap, pos, touched, found_nodes, found_dist = _search_workspace(up_indptr.size - 1)
    capacity = 16 * targets.size
    entry_node = np.empty(capacity, np.int32)
    entry_target = np.empty(capacity, np.int32)
    entry_dist = np.empty(capacity, np.float64)
    n_entries = 0
    for j in range(targets.size):
        m = _upward_search(
            targets[j],
            down_indptr,
            down_tails,
            down_weights,
            up_indptr,
            up_heads,
            up_weights,
            dist,
            heap,
            pos,
            touched,
            found_nodes,
            found_dist,
        )
        if n_entries + m > capacity:
            capacity = max(2 * capacity, n_entries + m)
            entry_node = _grown(entry_node, capacity, n_entries)
            entry_target = _grown(entry_target, capacity, n_entries)
            entry_dist = _grown(entry_dist, capacity, n_entries)
        entry_node[n_entries : n_entries + m] = found_nodes[:m]
        entry_target[n_entries : n_entries + m] = first_target + j
        entry_dist[n_entries : n_entries + m] = found_dist[:m]
        n_entries += m
    return entry_node[:n_entries], entry_target[:n_entries], entry_dist[:n_entries]


@_jit
def _grown(arr, size, keep):
    out = np.empty(size, arr.dtype)
    out[:keep] = arr[:keep]
    return out


@_jit
def _buckets(n, entry_node, entry_target, entry_dist):
    """Bucket entries as CSR by node; a counting sort, so target order holds in each bucket."""
    bucket_ptr = np.zeros(n + 1, np.int64)
    for e in range(entry_node.size):
        bucket_ptr[entry_node[e] + 1] += 1
    for v in range(n):
        bucket_ptr[v + 1] += bucket_ptr[v]
    fill = bucket_ptr[:-1].copy()
    bucket_target = np.empty(entry_node.size, np.int32)
    bucket_dist = np.empty(entry_node.size, np.float64)
    for e in range(entry_node.size):
        k = fill[entry_node[e]]
        bucket_target[k] = entry_target[e]
        bucket_dist[k] = entry_dist[e]
        fill[entry_node[e]] += 1
    return bucket_ptr, bucket_target, bucket_dist


@_jit_nogil
def _source_searches(
    up_indptr,
    up_heads,
    up_weights,
    down_indptr,
    down_tails,
    down_weights,
    sources,
    bucket_ptr,
    bucket_target,
    bucket_dist,
    result,
):
    """Run the forward upward search from each source, meeting the buckets.

    Row i of ``result`` (filled with inf) receives source i's costs.
    """
    dist, heap, pos, touched, found_nodes, found_dist = _search_workspace(up_indptr.size - 1)
    for i in range(sources.size):
        m = _upward_search(
            sources[i],
            up_indptr,
            up_heads,
            up_weights,
            down_indptr,
            down_tails,
            down_weights,
            dist,
            heap,
            pos,
            touched,
            found_nodes,
            found_dist,
        )
        row = result[i]
        for f in range(m):
            v, dv = found_nodes[f], found_dist[f]
            for k in range(bucket_ptr[v], bucket_ptr[v + 1]):
                c = dv + bucket_dist[k]
                j = bucket_target[k]
                row[j] = min(row[j], c)
