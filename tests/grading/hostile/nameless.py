"""Defines functions, none of them graded (a submission with the wrong names)."""


def my_cost(A3, Y, parameters, lambd):
    return 0.0
