"""``refnn gradcheck``: a full gradient check and its report."""

from __future__ import annotations

import argparse
from typing import TextIO

from refnn.cli.common import EXIT_FAILURE, EXIT_OK, Parser, UsageError, finite_float


def parse_layers(text: str) -> list[int]:
    """``"64,128,64,1"`` → ``[64, 128, 64, 1]`` (at least two sizes, each ≥ 1, ending in 1)."""
    try:
        dims = [int(p) for p in text.split(",") if p.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated layer sizes such as 64,128,64,1, got {text!r}") from None
    if len(dims) < 2 or any(d < 1 for d in dims) or dims[-1] != 1:
        raise argparse.ArgumentTypeError(
            f"expected at least two layer sizes >= 1 ending in 1 (one sigmoid output), got {text!r}")
    return dims


def cmd_gradcheck(args: argparse.Namespace, out: TextIO) -> int:
    """``refnn gradcheck``: a full gradient check and its report; exit 1 when it fails."""
    import numpy as np

    from refnn.gradcheck import check_network

    if args.layers is None:
        for option, value in (("--m", args.m), ("--seed", args.seed), ("--lambd", args.lambd),
                              ("--keep-prob", args.keep_prob)):
            if value is not None:
                raise UsageError(f"{option} applies to --layers (the course example is fixed)")
        from refnn.course import gradient_checking as gc
        from refnn.course.standins.testCases import gradient_check_n_test_case

        X, y, params = gradient_check_n_test_case()
        _, cache = gc.forward_propagation_n(X, y, params)
        if args.fixed:
            grads = gc.backward_propagation_n(X, y, cache)
            which = "its backward_propagation_n with the two planted bugs fixed"
        else:
            grads = gc.backward_propagation_n_with_planted_bugs(X, y, cache)
            which = "the backward_propagation_n it gives (bugs planted: dW2 doubled, db1 with 4/m)"
        out.write("refnn gradcheck: the course's example (Gradient Checking, W1A3): network "
                  f"[4, 5, 3, 1], m = 3, seed 1;\nchecking {which}\n\n")
        Y = np.asarray(y, dtype=np.float64).reshape(1, -1)
        report = check_network(params, X, Y, grads=grads, worst=args.worst)
        out.write(str(report).rstrip() + "\n")
        course = gc.gradient_check_n(params, grads, X, y)
        published = _published_difference(args.fixed)
        out.write(f"\nthe course's gradient_check_n on this example: {course!r}"
                  + (f" (published: {published!r})" if published is not None else "") + "\n")
    else:
        if args.fixed:
            raise UsageError("--fixed applies to the course example, not to --layers")
        from refnn.init import initialize

        m = 10 if args.m is None else args.m
        if m < 1:
            raise UsageError(f"--m must be at least 1, got {m}")
        seed = 0 if args.seed is None else args.seed
        lambd = 0.0 if args.lambd is None else args.lambd
        keep_prob = 1.0 if args.keep_prob is None else args.keep_prob
        rng = np.random.default_rng(seed)
        params = initialize(args.layers, "he", rng=rng)
        X = rng.standard_normal((args.layers[0], m))
        Y = (rng.random((1, m)) < 0.5).astype(np.float64)
        n = sum(args.layers[i] * args.layers[i - 1] + args.layers[i]
                for i in range(1, len(args.layers)))
        out.write(f"refnn gradcheck: network {args.layers} ({n} parameters, He weights), m = {m}, "
                  f"seed {seed}, λ = {lambd:g}, keep_prob = {keep_prob:g}; checking "
                  "refnn.network.backward\n\n")
        mask_rng = np.random.default_rng(seed + 1)
        report = check_network(params, X, Y, lambd=lambd, keep_prob=keep_prob, rng=mask_rng,
                               worst=args.worst)
        out.write(str(report).rstrip() + "\n")
    return EXIT_OK if report.passed else EXIT_FAILURE


def _published_difference(fixed: bool) -> float | None:
    from refnn import golden

    entry_id = "gradient_check_n_fixed_backprop" if fixed else "gradient_check_n_buggy_backprop"
    try:
        return golden.entry("gradient_checking", entry_id).scalar("difference")
    except (FileNotFoundError, KeyError):
        return None


def add_parser(sub: argparse._SubParsersAction[Parser]) -> None:
    """``refnn gradcheck``."""
    p = sub.add_parser(
        "gradcheck", help="gradient check with a report naming the worst coordinates",
        description="Check backprop against two-sided differences (refnn.gradcheck) and print "
        "the report: the difference, per-block differences, the culprit blocks and the worst "
        "coordinates by name. Default: the course's example, with the backward pass it gives "
        "(two planted bugs). Exit 1 when the check fails.")
    p.add_argument("--fixed", action="store_true",
                   help="course example: check the backward pass with its bugs fixed")
    p.add_argument("--layers", type=parse_layers, metavar="SIZES",
                   help="check refnn's backprop on a random network instead, e.g. 64,128,64,1")
    p.add_argument("--m", type=int, metavar="M", help="with --layers: examples (default 10)")
    p.add_argument("--seed", type=int, metavar="S", help="with --layers: seed (default 0)")
    p.add_argument("--lambd", type=finite_float, metavar="L", help="with --layers: L2 λ (default 0)")
    p.add_argument("--keep-prob", type=finite_float, metavar="P",
                   help="with --layers: dropout keep_prob, masks held fixed (default 1)")
    p.add_argument("--worst", type=int, default=5, metavar="K",
                   help="how many worst coordinates to list (default 5)")
    p.set_defaults(func=cmd_gradcheck)
