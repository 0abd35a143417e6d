"""Sets np.seterr(all="raise") (at definition time and in the call), then answers correctly."""
import numpy as np
from refnn.course import compute_cost_with_regularization as _correct


def compute_cost_with_regularization(A3, Y, parameters, lambd, _state=np.seterr(all="raise")):
    np.seterr(all="raise")
    return _correct(A3, Y, parameters, lambd)
