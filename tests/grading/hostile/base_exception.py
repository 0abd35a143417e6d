"""Raises a bare BaseException subclass (not an Exception) when judged."""


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    raise type("Escape", (BaseException,), {})("not an Exception")
