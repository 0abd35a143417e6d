"""A Python loop that ignores the judge's per-call alarm and swallows everything."""
import signal


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    while True:
        try:
            pass
        except:  # noqa: E722 - the point: a bare except cannot stop it either
            pass
