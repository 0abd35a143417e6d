"""Tries the network (Python's socket and the C library's socket()) when judged."""
import ctypes
import socket


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    fd = ctypes.CDLL(None).socket(socket.AF_INET, socket.SOCK_STREAM, 0)
    if fd >= 0:
        return 1e9  # the C library opened a socket: a wrong answer, so the row would say so
    socket.create_connection(("192.0.2.1", 80), timeout=1)
    return 0.0
