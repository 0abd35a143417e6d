"""The course's functions as data: names, signatures, what they return, caches, and who writes them.

This is the one list of "Improving Deep Neural Networks", week 1's functions. The suite's protocol
(:mod:`refnn.conformance.protocol`), the course layer (:mod:`refnn.course`, checked by
tests/course/test_course.py), docs/TARGET.md (its table is :func:`markdown_table`, checked by
tests/course/test_course.py) and the judging of a learner's notebook (:mod:`refnn.conformance.subject`:
which functions are the learner's) read it from here.

Each function has a *role* in its notebook:

``graded``
    the learner writes it (the notebook marks it ``# GRADED FUNCTION``); the suite judges it;
``given``
    the notebook hands it out written (``model``, and in Gradient Checking ``forward_propagation_n``
    and ``backward_propagation_n`` — the latter with two planted bugs, ``dW2 × 2`` and ``db1`` with
    ``4/m``, for the learner to find);
``helper``
    it comes from a course helper module (``init_utils``, ``reg_utils``, ``gc_utils``), imported by the
    notebook (refnn stands in for these modules, :data:`refnn.notebook.HELPER_MODULES`).

Facts (../shared/course/course_golden_notes.md): the v1.1 notebooks (rpragides/improve-deep-nnetworks)
mark as graded exactly the initializers (Initialization); the L2 cost and backward pass and the
dropout forward and backward passes (Regularization); the 1-D ``forward_propagation``,
``backward_propagation``, ``gradient_check`` and ``gradient_check_n`` (Gradient Checking). The old
notebooks (``### START CODE HERE ###``) have the same split. ``print_msg`` of the gradient checks
exists from v1.1 on; ``predict`` is in the helper modules in every version (v1.1's still uses
``np.int``).

``forward_propagation`` and ``backward_propagation`` each appear twice: the network's (a helper, in
``init_utils``/``reg_utils``) and the Gradient-Checking notebook's graded 1-D pair (``kind="scalar"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Role = Literal["graded", "given", "helper"]
Notebook = Literal["Initialization", "Regularization", "Gradient Checking"]
FunctionKind = Literal["network", "scalar"]
CacheLayout = Literal["plain", "dropout"]

NOTEBOOKS: Final[tuple[Notebook, ...]] = ("Initialization", "Regularization", "Gradient Checking")

HELPER_MODULE_OF: Final[dict[Notebook, str]] = {
    "Initialization": "init_utils",
    "Regularization": "reg_utils",
    "Gradient Checking": "gc_utils",
}
"""The helper module each notebook imports its ``helper`` functions from."""


@dataclass(frozen=True)
class CourseFunction:
    """One of the course's functions, as one notebook (or its helper module) has it.

    Attributes:
        name: the course's name.
        parameters: the argument list as the course writes it, e.g. ``("X", "parameters",
            "keep_prob=0.5")``.
        returns: what it returns, in words.
        notebook: the assignment.
        role: ``graded`` (the learner's), ``given`` (handed out in the notebook) or ``helper``
            (from the notebook's helper module).
        kind: ``scalar`` for the Gradient-Checking notebook's 1-D pair; else ``network``.
        cache: the cache layout it returns or takes (:data:`refnn.conformance.protocol.CACHES`).
        gradients: whether it returns the gradient dict (``dW1, db1, …``).
        judged: whether the conformance suite has properties for it (``model`` and the activation
            helpers have none).
    """

    name: str
    parameters: tuple[str, ...]
    returns: str
    notebook: Notebook
    role: Role
    kind: FunctionKind = "network"
    cache: CacheLayout | None = None
    gradients: bool = False
    judged: bool = True

    @property
    def parameter_names(self) -> tuple[str, ...]:
        """The argument names, without defaults."""
        return tuple(p.split("=")[0] for p in self.parameters)

    @property
    def signature(self) -> str:
        """``(X, parameters, keep_prob=0.5)``."""
        return "(" + ", ".join(self.parameters) + ")"

    @property
    def module(self) -> str:
        """Where it lives: the notebook, or its helper module (``reg_utils``)."""
        return HELPER_MODULE_OF[self.notebook] if self.role == "helper" else "notebook"


def _f(name: str, parameters: str, returns: str, notebook: Notebook, role: Role,
       **more: object) -> CourseFunction:
    params = tuple(p.strip() for p in parameters.split(",")) if parameters else ()
    return CourseFunction(name, params, returns, notebook, role, **more)  # type: ignore[arg-type]


_INIT: Final[Notebook] = "Initialization"
_REG: Final[Notebook] = "Regularization"
_GC: Final[Notebook] = "Gradient Checking"

COURSE_FUNCTIONS: Final[tuple[CourseFunction, ...]] = (
    # Initialization (W1A1)
    _f("initialize_parameters_zeros", "layers_dims", "parameters {W1, b1, …, WL, bL}", _INIT,
       "graded"),
    _f("initialize_parameters_random", "layers_dims", "parameters; W ~ N(0, 10²)", _INIT, "graded"),
    _f("initialize_parameters_he", "layers_dims", "parameters; W[l] ~ N(0, 2/n[l−1])", _INIT,
       "graded"),
    _f("model", "X, Y, learning_rate=0.01, num_iterations=15000, print_cost=True,"
       " initialization='he'", "parameters", _INIT, "given", judged=False),
    _f("forward_propagation", "X, parameters", "(a3, cache)", _INIT, "helper", cache="plain"),
    _f("backward_propagation", "X, Y, cache", "gradients (dz3, da2, … lower case)", _INIT,
       "helper", cache="plain", gradients=True),
    _f("compute_loss", "a3, Y", "the mean cross-entropy", _INIT, "helper"),
    _f("update_parameters", "parameters, grads, learning_rate", "parameters", _INIT, "helper"),
    _f("predict", "X, y, parameters", "p (1, m) of 0/1 (a3 > 0.5)", _INIT, "helper"),
    _f("sigmoid", "x", "1/(1 + e^−x)", _INIT, "helper", judged=False),
    _f("relu", "x", "max(0, x)", _INIT, "helper", judged=False),
    _f("load_dataset", "", "train_X, train_Y, test_X, test_Y (circles)", _INIT, "helper",
       judged=False),
    # Regularization (W1A2)
    _f("compute_cost_with_regularization", "A3, Y, parameters, lambd", "cost + λ/(2m)ΣW²", _REG,
       "graded"),
    _f("backward_propagation_with_regularization", "X, Y, cache, lambd", "gradients", _REG,
       "graded", cache="plain", gradients=True),
    _f("forward_propagation_with_dropout", "X, parameters, keep_prob=0.5", "(A3, dropout cache)",
       _REG, "graded", cache="dropout"),
    _f("backward_propagation_with_dropout", "X, Y, cache, keep_prob", "gradients", _REG, "graded",
       cache="dropout", gradients=True),
    _f("model", "X, Y, learning_rate=0.3, num_iterations=30000, print_cost=True, lambd=0,"
       " keep_prob=1", "parameters", _REG, "given", judged=False),
    _f("initialize_parameters", "layer_dims", "parameters; W[l] ~ N(0, 1/n[l−1])", _REG, "helper"),
    _f("forward_propagation", "X, parameters", "(A3, cache)", _REG, "helper", cache="plain"),
    _f("backward_propagation", "X, Y, cache", "gradients", _REG, "helper", cache="plain",
       gradients=True),
    _f("compute_cost", "a3, Y", "the mean cross-entropy", _REG, "helper"),
    _f("update_parameters", "parameters, grads, learning_rate", "parameters", _REG, "helper"),
    _f("predict", "X, y, parameters", "p (1, m) of 0/1 (a3 > 0.5)", _REG, "helper"),
    _f("sigmoid", "x", "1/(1 + e^−x)", _REG, "helper", judged=False),
    _f("relu", "x", "max(0, x)", _REG, "helper", judged=False),
    _f("load_2D_dataset", "", "train_X, train_Y, test_X, test_Y (football)", _REG, "helper",
       judged=False),
    # Gradient Checking (W1A3)
    _f("forward_propagation", "x, theta", "J = theta * x", _GC, "graded", kind="scalar"),
    _f("backward_propagation", "x, theta", "dtheta = x", _GC, "graded", kind="scalar"),
    _f("gradient_check", "x, theta, epsilon=1e-7, print_msg=False", "difference", _GC, "graded"),
    _f("forward_propagation_n", "X, Y, parameters", "(cost, cache)", _GC, "given", cache="plain"),
    _f("backward_propagation_n", "X, Y, cache", "gradients (with the planted dW2 × 2, db1 · 4/m)",
       _GC, "given", cache="plain", gradients=True),
    _f("gradient_check_n", "parameters, gradients, X, Y, epsilon=1e-7, print_msg=False",
       "difference", _GC, "graded"),
    _f("dictionary_to_vector", "parameters", "(theta (47, 1), keys)", _GC, "helper"),
    _f("vector_to_dictionary", "theta", "parameters of the [4, 5, 3, 1] network", _GC, "helper"),
    _f("gradients_to_vector", "gradients", "theta-shaped (47, 1)", _GC, "helper"),
    _f("sigmoid", "x", "1/(1 + e^−x)", _GC, "helper", judged=False),
    _f("relu", "x", "max(0, x)", _GC, "helper", judged=False),
)
"""Every function of the three notebooks and their helper modules (a name may appear in several)."""

PLANTED_BUGS: Final[dict[str, float]] = {"dW2": 2.0, "db1": 4.0}
"""The given ``backward_propagation_n``'s deliberate bugs: these gradients, times these factors."""


def functions(*, role: Role | None = None, notebook: Notebook | None = None,
              judged: bool | None = None) -> tuple[CourseFunction, ...]:
    """The functions with the given role / notebook / judged flag (``None``: any)."""
    return tuple(f for f in COURSE_FUNCTIONS
                 if (role is None or f.role == role) and (notebook is None or f.notebook == notebook)
                 and (judged is None or f.judged == judged))


def role_of(name: str, kind: str = "network") -> Role | None:
    """The role of the course function ``name`` (of ``kind``), ``None`` when the course has no such
    function. A name graded in one notebook is ``graded`` (the learner may write it)."""
    roles = {f.role for f in COURSE_FUNCTIONS if f.name == name and f.kind == kind}
    order: tuple[Role, ...] = ("graded", "given", "helper")
    for role in order:
        if role in roles:
            return role
    return None


def helper_names() -> frozenset[str]:
    """Every name a course helper module provides."""
    return frozenset(f.name for f in functions(role="helper"))


def protocol_functions() -> tuple[CourseFunction, ...]:
    """The functions the suite judges (each name/kind once, graded first): the target protocol."""
    seen: set[tuple[str, str]] = set()
    out: list[CourseFunction] = []
    ordered = sorted((f for f in COURSE_FUNCTIONS if f.judged),
                     key=lambda f: (NOTEBOOKS.index(f.notebook), f.role != "graded"))
    for f in ordered:
        if (f.name, f.kind) not in seen:
            seen.add((f.name, f.kind))
            out.append(f)
    return tuple(out)


def protocol_names() -> tuple[str, ...]:
    """The protocol's function names, sorted, each once: what an adapter exports (its ``__all__``)
    and what a catalog entry may break or redefine."""
    return tuple(sorted({f.name for f in protocol_functions()}))


OPTIMIZER_STEPS: Final[tuple[str, ...]] = ("adam_l2_step", "adamw_step", "sgd_weight_decay_step")
"""The weight-decay rules' optimizer steps (docs/SPEC.md, WD-1…WD-5): beyond the course's API, a
target (refnn.weight_decay, the framework adapters) may provide them."""


def _where(name: str, kind: str) -> str:
    parts: list[str] = []
    for f in COURSE_FUNCTIONS:
        if f.name != name or f.kind != kind:
            continue
        label = {"graded": "graded", "given": "given", "helper": f"`{f.module}`"}[f.role]
        text = f"{f.notebook} ({label})"
        if text not in parts:
            parts.append(text)
    return "; ".join(parts)


def markdown_table() -> str:
    """docs/TARGET.md's table of the protocol (tests/course/test_course.py checks the doc holds it)."""
    lines = ["| function | returns | notebook (role) |", "|---|---|---|"]
    for f in protocol_functions():
        lines.append(f"| `{f.name}{f.signature}` | {f.returns} | {_where(f.name, f.kind)} |")
    return "\n".join(lines)
