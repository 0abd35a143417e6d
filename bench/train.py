"""Benchmark: ``refnn.training.train`` against a course-style training loop, on the course's He run.

The experiment is the Initialization notebook's He model: the circles data (``refnn.datasets``,
seeds 1 and 2), layers ``[2, 10, 5, 1]``, 15000 iterations of full-batch gradient descent with
learning rate 0.01, He initialization with the course's seeding (``np.random.seed(3)``, then
``W[l] = randn(n[l], n[l-1]) * sqrt(2 / n[l-1])``, ``b[l] = 0``; drawn here from an explicit
``RandomState(3)``, which is the same legacy stream, and handed to ``train`` via ``params=``).

The baseline is written from the math in the style of the course's notebook: per iteration a
``forward_propagation`` that returns a 12-tuple cache built from separate ``np.dot``/``relu``/
``sigmoid`` calls, ``compute_loss`` with ``np.nansum``, ``backward_propagation`` building a
gradients dict (``dz3 = 1/m (a3 − Y)``, the Initialization notebook's placement of ``1/m``) and
``update_parameters`` looping over the keys. Both loops record the cost of every iteration.

Both loops run in this one process, interleaved, ``--runs`` times each (median reported). Before
timing, both runs are checked against the course's published He costs (every 1000 iterations,
≤ 1e-10 relative) and accuracies (0.9933333333333333 train / 0.96 test) from
``course_golden.json``. The last line printed is ``train ratio refnn/course-style = X``.

Usage: ``.venv/bin/python bench/train.py [--runs 7] [--golden PATH]``
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
import warnings
from pathlib import Path
from collections.abc import Callable
from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray

from refnn.datasets import load_course_circles
from refnn.training import accuracy, train

Array: TypeAlias = NDArray[np.float64]
Cache: TypeAlias = tuple[Array, Array, Array, Array, Array, Array, Array, Array, Array, Array,
                         Array, Array]

LAYERS = [2, 10, 5, 1]
LEARNING_RATE = 0.01
NUM_ITERATIONS = 15000
DEFAULT_GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "initialization.json"


# --- the course-style baseline (written from the math, in the notebook's style) -----------------

def initialize_parameters_he(layers_dims: list[int]) -> dict[str, Array]:
    """The course's He recipe: seed 3, ``randn(n[l], n[l-1]) * sqrt(2 / n[l-1])``, zero biases."""
    rs = np.random.RandomState(3)  # the same stream as np.random.seed(3), without touching it
    parameters = {}
    L = len(layers_dims) - 1
    for l in range(1, L + 1):
        parameters["W" + str(l)] = rs.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(
            2.0 / layers_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


def relu(x: Array) -> Array:
    return np.maximum(0, x)


def sigmoid(x: Array) -> Array:
    return 1 / (1 + np.exp(-x))


def forward_propagation(X: Array, parameters: dict[str, Array]) -> tuple[Array, Cache]:
    W1 = parameters["W1"]
    b1 = parameters["b1"]
    W2 = parameters["W2"]
    b2 = parameters["b2"]
    W3 = parameters["W3"]
    b3 = parameters["b3"]

    z1 = np.dot(W1, X) + b1
    a1 = relu(z1)
    z2 = np.dot(W2, a1) + b2
    a2 = relu(z2)
    z3 = np.dot(W3, a2) + b3
    a3 = sigmoid(z3)

    cache = (z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3)
    return a3, cache


def compute_loss(a3: Array, Y: Array) -> float:
    m = Y.shape[1]
    logprobs = np.multiply(-np.log(a3), Y) + np.multiply(-np.log(1 - a3), 1 - Y)
    loss = 1.0 / m * np.nansum(logprobs)
    return float(loss)


def backward_propagation(X: Array, Y: Array, cache: Cache) -> dict[str, Array]:
    m = X.shape[1]
    (z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3) = cache

    dz3 = 1.0 / m * (a3 - Y)
    dW3 = np.dot(dz3, a2.T)
    db3 = np.sum(dz3, axis=1, keepdims=True)

    da2 = np.dot(W3.T, dz3)
    dz2 = np.multiply(da2, np.int64(a2 > 0))
    dW2 = np.dot(dz2, a1.T)
    db2 = np.sum(dz2, axis=1, keepdims=True)

    da1 = np.dot(W2.T, dz2)
    dz1 = np.multiply(da1, np.int64(a1 > 0))
    dW1 = np.dot(dz1, X.T)
    db1 = np.sum(dz1, axis=1, keepdims=True)

    gradients = {"dz3": dz3, "dW3": dW3, "db3": db3,
                 "da2": da2, "dz2": dz2, "dW2": dW2, "db2": db2,
                 "da1": da1, "dz1": dz1, "dW1": dW1, "db1": db1}
    return gradients


def update_parameters(parameters: dict[str, Array], grads: dict[str, Array],
                      learning_rate: float) -> dict[str, Array]:
    L = len(parameters) // 2
    for k in range(L):
        parameters["W" + str(k + 1)] = parameters["W" + str(k + 1)] - learning_rate * grads[
            "dW" + str(k + 1)]
        parameters["b" + str(k + 1)] = parameters["b" + str(k + 1)] - learning_rate * grads[
            "db" + str(k + 1)]
    return parameters


def course_model(X: Array, Y: Array, parameters: dict[str, Array], learning_rate: float,
                 num_iterations: int) -> tuple[dict[str, Array], list[float]]:
    parameters = dict(parameters)
    costs = []
    for i in range(num_iterations):
        a3, cache = forward_propagation(X, parameters)
        cost = compute_loss(a3, Y)
        grads = backward_propagation(X, Y, cache)
        parameters = update_parameters(parameters, grads, learning_rate)
        costs.append(cost)
    return parameters, costs


def course_accuracy(X: Array, Y: Array, parameters: dict[str, Array]) -> float:
    a3, _ = forward_propagation(X, parameters)
    p = (a3 > 0.5).astype(np.float64)
    return float(np.mean(p[0, :] == Y[0, :]))


# --- the frameworks' own loops (extra rows) ------------------------------------------------------

KEYS = ["W1", "b1", "W2", "b2", "W3", "b3"]
Runner: TypeAlias = "Callable[[], tuple[dict[str, Array], Array]]"


def torch_runner(X: Array, Y: Array, params0: dict[str, Array]) -> Runner | None:
    """PyTorch's loop: autograd of ``binary_cross_entropy_with_logits`` and ``optim.SGD``."""
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        print("torch       : not installed (pip install 'refnn[torch]')")
        return None
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)

    def run() -> tuple[dict[str, Array], Array]:
        P = [torch.tensor(params0[k], dtype=torch.float64, requires_grad=True) for k in KEYS]
        opt = torch.optim.SGD(P, lr=LEARNING_RATE)
        costs = torch.empty(NUM_ITERATIONS, dtype=torch.float64)
        for i in range(NUM_ITERATIONS):
            opt.zero_grad()
            A1 = torch.relu(P[0] @ Xt + P[1])
            A2 = torch.relu(P[2] @ A1 + P[3])
            loss = F.binary_cross_entropy_with_logits(P[4] @ A2 + P[5], Yt)
            loss.backward()
            opt.step()
            costs[i] = loss.detach()
        return {k: p.detach().numpy().copy() for k, p in zip(KEYS, P)}, costs.numpy()

    return run


def jax_runner(X: Array, Y: Array, params0: dict[str, Array]) -> Runner | None:
    """JAX's loop: a ``jax.jit``-compiled gradient step (``jax.value_and_grad``) per iteration."""
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        print("jax         : not installed (pip install 'refnn[jax]')")
        return None
    jax.config.update("jax_enable_x64", True)
    Xj, Yj = jnp.asarray(X), jnp.asarray(Y)

    def loss_fn(p: dict[str, object]) -> object:
        A1 = jax.nn.relu(p["W1"] @ Xj + p["b1"])
        A2 = jax.nn.relu(p["W2"] @ A1 + p["b2"])
        Z3 = p["W3"] @ A2 + p["b3"]
        return -jnp.mean(Yj * jax.nn.log_sigmoid(Z3) + (1 - Yj) * jax.nn.log_sigmoid(-Z3))

    @jax.jit
    def step(p: dict[str, object]) -> tuple[object, dict[str, object]]:
        loss, g = jax.value_and_grad(loss_fn)(p)
        return loss, jax.tree_util.tree_map(lambda a, b: a - LEARNING_RATE * b, p, g)

    def run() -> tuple[dict[str, Array], Array]:
        p: dict[str, object] = {k: jnp.asarray(params0[k]) for k in KEYS}
        losses = []
        for _ in range(NUM_ITERATIONS):
            loss, p = step(p)
            losses.append(loss)
        costs = np.asarray(jnp.stack(losses), dtype=np.float64)
        return {k: np.asarray(v, dtype=np.float64) for k, v in p.items()}, costs

    return run


def optax_runner(X: Array, Y: Array, params0: dict[str, Array]) -> Runner | None:
    """Flax/optax's loop: a ``jax.jit``-compiled step of ``optax.sgd`` on ``jax.value_and_grad``."""
    try:
        import jax
        import jax.numpy as jnp
        import optax
    except ImportError:
        print("optax       : not installed (pip install 'refnn[flax]')")
        return None
    jax.config.update("jax_enable_x64", True)
    Xj, Yj = jnp.asarray(X), jnp.asarray(Y)
    tx = optax.sgd(LEARNING_RATE)

    def loss_fn(p: dict[str, object]) -> object:
        A1 = jax.nn.relu(p["W1"] @ Xj + p["b1"])
        A2 = jax.nn.relu(p["W2"] @ A1 + p["b2"])
        return optax.sigmoid_binary_cross_entropy(p["W3"] @ A2 + p["b3"], Yj).mean()

    @jax.jit
    def step(p: dict[str, object], state: object) -> tuple[object, dict[str, object], object]:
        loss, g = jax.value_and_grad(loss_fn)(p)
        updates, state = tx.update(g, state)
        return loss, optax.apply_updates(p, updates), state

    def run() -> tuple[dict[str, Array], Array]:
        p: dict[str, object] = {k: jnp.asarray(params0[k]) for k in KEYS}
        state = tx.init(p)
        losses = []
        for _ in range(NUM_ITERATIONS):
            loss, p, state = step(p, state)
            losses.append(loss)
        costs = np.asarray(jnp.stack(losses), dtype=np.float64)
        return {k: np.asarray(v, dtype=np.float64) for k, v in p.items()}, costs

    return run


def sklearn_runner(X: Array, Y: Array, params0: dict[str, Array]) -> Runner | None:
    """scikit-learn's loop: ``MLPClassifier(solver="sgd", momentum=0, batch_size=m, alpha=0)``,
    ``partial_fit`` once per iteration (full batch), started from the course's He weights
    (``coefs_ = W.T``)."""
    try:
        from sklearn.neural_network import MLPClassifier
    except ImportError:
        print("sklearn     : not installed (pip install scikit-learn)")
        return None
    Xs, ys = X.T.copy(), Y.ravel().astype(int)

    def run() -> tuple[dict[str, Array], Array]:
        clf = MLPClassifier(hidden_layer_sizes=(10, 5), solver="sgd", momentum=0.0,
                            nesterovs_momentum=False, alpha=0.0, batch_size=Xs.shape[0],
                            learning_rate_init=LEARNING_RATE, shuffle=False)
        with warnings.catch_warnings():  # "batch_size larger than sample size": this one call
            warnings.simplefilter("ignore", UserWarning)
            clf.partial_fit(Xs[:1], ys[:1], classes=[0, 1])  # builds the estimator's state
        clf.coefs_ = [params0[f"W{l}"].T.copy() for l in (1, 2, 3)]
        clf.intercepts_ = [params0[f"b{l}"].ravel().copy() for l in (1, 2, 3)]
        del clf._optimizer  # rebuilt over the new arrays by the next partial_fit
        clf.loss_curve_ = []
        for _ in range(NUM_ITERATIONS):
            clf.partial_fit(Xs, ys)
        params = {}
        for l in (1, 2, 3):
            params[f"W{l}"] = clf.coefs_[l - 1].T.copy()
            params[f"b{l}"] = clf.intercepts_[l - 1].reshape(-1, 1).copy()
        return params, np.asarray(clf.loss_curve_, dtype=np.float64)

    return run


# --- the bench ------------------------------------------------------------------------------------

def golden_check(name: str, costs: Array, train_acc: float, test_acc: float,
                 expected: dict[str, object]) -> bool:
    published = expected["costs"]
    assert isinstance(published, dict)
    worst = 0.0
    for key, value in published.items():
        want = float(value)
        worst = max(worst, abs(float(costs[int(key)]) - want) / abs(want))
    acc_ok = (train_acc == float(str(expected["train_accuracy"]))
              and test_acc == float(str(expected["test_accuracy"])))
    ok = worst <= 1e-10 and acc_ok
    print(f"golden {name:12s}: {len(published)} costs (i=0..{max(map(int, published))} every 1000) "
          f"max rel diff {worst:.2e} (<= 1e-10: {worst <= 1e-10}); accuracy {train_acc!r} / "
          f"{test_acc!r} (course 0.9933333333333333 / 0.96: {acc_ok}) -> {'OK' if ok else 'FAIL'}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each loop (>= 5)")
    parser.add_argument("--golden", type=Path, default=DEFAULT_GOLDEN,
                        help="golden/initialization.json (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.runs < 5:
        parser.error("--runs must be >= 5")

    entries = json.loads(args.golden.read_text())["entries"]
    expected = next(e for e in entries if e["id"] == "init_model_he")["expected"]
    train_X, train_Y, test_X, test_Y = load_course_circles()
    params0 = initialize_parameters_he(LAYERS)
    rng = np.random.default_rng(0)  # unused without dropout; train requires an explicit Generator

    def run_course() -> tuple[dict[str, Array], Array]:
        p, c = course_model(train_X, train_Y, params0, LEARNING_RATE, NUM_ITERATIONS)
        return p, np.asarray(c)

    def run_refnn() -> tuple[dict[str, Array], Array]:
        r = train(train_X, train_Y, LAYERS, rng=rng, learning_rate=LEARNING_RATE,
                  num_iterations=NUM_ITERATIONS, params=params0)
        return r.params, r.costs

    # Golden check (also the warm-up run of each loop).
    p_c, c_c = run_course()
    p_r, c_r = run_refnn()
    ok = golden_check("course-style", c_c, course_accuracy(train_X, train_Y, p_c),
                      course_accuracy(test_X, test_Y, p_c), expected)
    ok &= golden_check("refnn", c_r, accuracy(p_r, train_X, train_Y),
                       accuracy(p_r, test_X, test_Y), expected)
    print(f"golden check: {'PASS' if ok else 'FAIL'}; refnn vs course-style costs: max rel diff "
          f"{float(np.max(np.abs(c_r - c_c) / np.abs(c_c))):.2e}")

    runners: dict[str, Runner] = {"course-style": run_course, "refnn": run_refnn}
    for name, make in (("torch", torch_runner), ("jax", jax_runner), ("optax", optax_runner),
                       ("sklearn", sklearn_runner)):
        extra = make(train_X, train_Y, params0)
        if extra is not None:
            p_f, c_f = extra()  # warm-up (JAX compiles here); same problem, same starting point
            print(f"{name:12s}: final cost {float(c_f[-1]):.6f} (refnn {float(c_r[-1]):.6f}); "
                  f"train accuracy {course_accuracy(train_X, train_Y, p_f)!r}")
            runners[name] = extra
    times: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(args.runs):
        for name, fn in runners.items():
            gc.collect()
            t0 = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - t0) / NUM_ITERATIONS * 1e6)
    med = {name: statistics.median(ts) for name, ts in times.items()}
    for name, ts in times.items():
        print(f"{name:12s}: median {med[name]:6.2f} us/iteration over {len(ts)} runs of "
              f"{NUM_ITERATIONS} (min {min(ts):.2f}, max {max(ts):.2f})")
    if not ok:
        print("WARNING: the golden check failed (see above)", file=sys.stderr)
    print(f"train ratio refnn/course-style = {med['refnn'] / med['course-style']:.3f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
