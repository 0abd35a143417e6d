"""``refnn matrix``: the RNG-independent tier over every installed implementation (refnn.course,
PyTorch, JAX, Keras, scikit-learn, Flax/optax), one JSON each and a static ``index.html``."""

from __future__ import annotations

import argparse
from typing import TextIO

from refnn.cli.common import EXIT_OK, Parser, UsageError


def cmd_matrix(args: argparse.Namespace, out: TextIO) -> int:
    """Build the matrix (:func:`refnn.conformance.matrix.build_matrix`) and say where it is."""
    from refnn.conformance.matrix import IMPLEMENTATIONS, build_matrix

    known = [i.key for i in IMPLEMENTATIONS]
    unknown = [k for k in args.only or () if k not in known]
    if unknown:
        raise UsageError(f"unknown implementation(s) {', '.join(unknown)} (known: "
                         f"{', '.join(known)})")
    out.write(f"refnn matrix: {', '.join(args.only or known)} → {args.out} (profile "
              f"{args.profile}, {args.jobs} at a time)\n")
    out.flush()
    page = build_matrix(args.out, args.only or None, profile=args.profile, jobs=args.jobs)
    out.write(f"wrote {page}\n")
    return EXIT_OK


def add_parser(sub: argparse._SubParsersAction[Parser]) -> None:
    """``refnn matrix``."""
    p = sub.add_parser(
        "matrix", help="the frameworks matrix: the RNG-independent tier over every implementation",
        description="Run the RNG-independent tier over every installed implementation (those "
        "not installed get a 'not installed' column with the install hint), write one JSON per "
        "implementation stamped with its version, refnn's version and the spec's revision, and a "
        "self-contained index.html: rules × implementations (docs/conformance/ holds the "
        "committed one; regenerate it with: refnn matrix --out docs/conformance).")
    p.add_argument("--out", default="docs/conformance", metavar="DIR",
                   help="where to write the JSON files and index.html (default docs/conformance)")
    p.add_argument("--only", action="append", metavar="KEY",
                   help="only this implementation (repeatable): course, torch, jax, keras, "
                   "sklearn, flax")
    p.add_argument("--profile", choices=("dev", "ci", "thorough"), default="ci")
    p.add_argument("-j", "--jobs", type=int, default=2, metavar="N",
                   help="implementations judged at a time (default 2)")
    p.set_defaults(func=cmd_matrix)
