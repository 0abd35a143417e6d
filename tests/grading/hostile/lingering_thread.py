"""Starts a non-daemon thread that never ends (once), then answers correctly."""
import threading
import time

from refnn.course import compute_cost_with_regularization as _correct


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    if not getattr(compute_cost_with_regularization, "started", False):
        compute_cost_with_regularization.started = True
        threading.Thread(target=time.sleep, args=(10**6,), daemon=False).start()
    return _correct(A3, Y, parameters, lambd)
