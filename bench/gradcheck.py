"""Benchmark: refnn.gradcheck's full (batched) and fast (directional) checks against the course's loop.

The baseline is the course's ``gradient_check_n`` written from the math: for every coordinate,
copy ``θ``, move it by ``±ε``, rebuild the parameter dict and run one full forward pass + cost
(``2n`` forward passes). It is run through :func:`refnn.gradcheck.course_loop_gradapprox` with a
plain numpy forward pass of the course's arithmetic (``np.dot``, ``np.maximum``, ``1/(1+e^{−z})``,
``(1/m)·np.sum(−y log a − (1−y) log(1−a))``).

* full: :func:`refnn.gradcheck.check_network` (batched engine, the report included);
* fast: :func:`refnn.gradcheck.check_network_fast` (two random directions, kink-aware).

All three get the same analytic gradients (:func:`refnn.network.backward`) and run in this one
process; each time is the median of several runs. Usage::

    .venv/bin/python bench/gradcheck.py            # prints the [64,128,64,1] ratio last
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import TypeVar

import numpy as np

from refnn import network
from refnn.gradcheck import (
    ParamLayout,
    check_network,
    check_network_fast,
    course_loop_gradapprox,
    relative_difference,
)
from refnn.init import initialize
from refnn.types import FloatArray, Params

T = TypeVar("T")


def course_style_cost(layout: ParamLayout, X: FloatArray, Y: FloatArray
                      ) -> Callable[[FloatArray], float]:
    """``J(θ)``: ``vector_to_dictionary`` then the course's forward pass and cost."""
    L = layout.n_layers
    m = X.shape[1]

    def J(theta: FloatArray) -> float:
        p = layout.to_params(theta)
        A = X
        for l in range(1, L + 1):
            Z = np.dot(p[f"W{l}"], A) + p[f"b{l}"]
            A = np.maximum(0, Z) if l < L else 1 / (1 + np.exp(-Z))
        logprobs = np.multiply(-np.log(A), Y) + np.multiply(-np.log(1 - A), 1 - Y)
        return float(1.0 / m * np.sum(logprobs))

    return J


def course_loop_check(params: Params, X: FloatArray, Y: FloatArray, grad: FloatArray) -> float:
    """The course's ``gradient_check_n`` for any depth: ``2n`` forward passes."""
    layout = ParamLayout.from_params(params)
    theta = layout.to_vector(params).reshape(-1, 1)
    gradapprox = course_loop_gradapprox(course_style_cost(layout, X, Y), theta, 1e-7)
    return relative_difference(grad.reshape(-1, 1), gradapprox)


def timed(fn: Callable[[], T], runs: int) -> tuple[float, T]:
    """The median wall time of ``runs`` calls, and the last call's result."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def problem(dims: list[int], m: int, seed: int) -> tuple[Params, FloatArray, FloatArray, dict[str, FloatArray]]:
    rng = np.random.default_rng(seed)
    params = initialize(dims, "he", rng=rng)
    params = {k: v + (0.1 * rng.standard_normal(v.shape) if k.startswith("b") else 0.0)
              for k, v in params.items()}
    X = rng.standard_normal((dims[0], m))
    Y = (rng.random((1, m)) < 0.5).astype(np.float64)
    _, cache = network.forward(params, X)
    grads = network.backward(params, cache, Y)
    return params, X, Y, grads


def bench(dims: list[int], m: int, loop_runs: int, full_runs: int, fast_runs: int
          ) -> tuple[float, float]:
    params, X, Y, grads = problem(dims, m, seed=0)
    layout = ParamLayout.from_params(params)
    grad = layout.grads_to_vector(grads)
    seeds = iter(range(10**6))
    t_loop, loop_diff = timed(lambda: course_loop_check(params, X, Y, grad), loop_runs)
    t_full, full = timed(lambda: check_network(params, X, Y, grads=grads), full_runs)
    t_fast, fast = timed(lambda: check_network_fast(params, X, Y, grads=grads,
                                                    rng=np.random.default_rng(next(seeds))),
                         fast_runs)
    print(f"{str(dims):<16} m = {m:<4} n = {layout.size:>6}:  "
          f"loop {t_loop * 1e3:9.2f} ms  full {t_full * 1e3:8.2f} ms  fast {t_fast * 1e3:7.3f} ms"
          f"   loop/full = {t_loop / t_full:7.1f}  loop/fast = {t_loop / t_fast:8.0f}")
    print(f"    differences: loop {loop_diff:.3e}, full {full.difference:.3e} "
          f"(passed {full.passed}, kinks {len(full.kinks)}), fast passed {fast.passed} "
          f"(max rel. error {max(d.rel_error for d in fast.directional.directions):.1e})",
          flush=True)
    return t_loop / t_full, t_loop / t_fast


def framework_rows(dims: list[int], m: int, runs: int) -> None:
    """Extra rows (issue 6): each framework's own gradient check of the same problem, if installed —
    ``torch.autograd.gradcheck`` (full numerical Jacobian, and ``fast_mode``) and
    ``jax.test_util.check_grads`` (reverse mode), on the cost from the logits, in float64."""
    params, X, Y, _ = problem(dims, m, seed=0)
    keys = [f"{k}{l}" for l in range(1, len(dims)) for k in "Wb"]
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        print("    torch: not installed (pip install 'refnn[torch]')")
    else:
        Xt, Yt = torch.as_tensor(X), torch.as_tensor(Y)
        tensors = tuple(torch.tensor(params[k], requires_grad=True) for k in keys)

        def cost_t(*P: torch.Tensor) -> torch.Tensor:
            A = Xt
            for l in range(len(P) // 2):
                Z = P[2 * l] @ A + P[2 * l + 1]
                A = torch.relu(Z) if 2 * l + 2 < len(P) else Z
            return F.binary_cross_entropy_with_logits(A, Yt)

        for fast in (False, True):
            t, ok = timed(lambda: torch.autograd.gradcheck(cost_t, tensors, fast_mode=fast), runs)
            print(f"    torch.autograd.gradcheck(fast_mode={fast}): {t * 1e3:10.2f} ms (passed {ok})",
                  flush=True)
    try:
        import jax
        import jax.numpy as jnp
        from jax.test_util import check_grads
    except ImportError:
        print("    jax: not installed (pip install 'refnn[jax]')")
    else:
        jax.config.update("jax_enable_x64", True)
        Xj, Yj = jnp.asarray(X), jnp.asarray(Y)
        P = {k: jnp.asarray(params[k]) for k in keys}
        L = len(dims) - 1

        def cost_j(P: dict[str, jax.Array]) -> jax.Array:
            A = Xj
            for l in range(1, L + 1):
                Z = P[f"W{l}"] @ A + P[f"b{l}"]
                A = jax.nn.relu(Z) if l < L else Z
            return -jnp.mean(Yj * jax.nn.log_sigmoid(A) + (1 - Yj) * jax.nn.log_sigmoid(-A))

        def check_j() -> str:
            try:  # a random direction, default eps: on a wide ReLU net it can cross kinks
                check_grads(cost_j, (P,), order=1, modes=("rev",))
            except AssertionError as e:
                return "failed: " + " ".join(str(e).split())[:120]
            return "passed"

        t, verdict = timed(check_j, runs)
        print(f"    jax.test_util.check_grads(order=1, modes=rev): {t * 1e3:10.2f} ms ({verdict})",
              flush=True)


def main() -> None:
    print("refnn.gradcheck benchmark (medians; loop = the course's 2n forward passes)")
    bench([4, 5, 3, 1], 3, loop_runs=21, full_runs=51, fast_runs=201)
    bench([2, 10, 5, 1], 300, loop_runs=11, full_runs=21, fast_runs=101)
    x, y = bench([64, 128, 64, 1], 256, loop_runs=3, full_runs=7, fast_runs=51)
    # The frameworks last, so that importing them cannot affect refnn's rows.
    for dims, m, runs in (([4, 5, 3, 1], 3, 5), ([2, 10, 5, 1], 300, 5), ([64, 128, 64, 1], 256, 1)):
        print(f"{str(dims):<16} m = {m:<4} frameworks' own checks (medians):")
        framework_rows(dims, m, runs)
    print(f"gradcheck ratio loop/full = {x:.1f} loop/fast = {y:.0f}")


if __name__ == "__main__":
    main()
