"""Mutant: initialize_parameters_he scales by √(2/n[l]) — the fan-out — instead of √(2/n[l−1]).

The library mistake of copying a framework whose weights are laid out (fan_in, fan_out) into the
course's (n[l], n[l−1]) layout.
"""

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "init_he_fan_out",
    "family": "INIT",
    "description": "He scale √(2/n[l]) (fan-out) instead of √(2/n[l−1])",
    "breaks": ["initialize_parameters_he"],
    "kills": ["INIT-6"],
}


def he_fan(n_out, n_in):
    return n_out  # BUG: fan-out instead of fan-in


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
