"""Conformance targets over real frameworks (issue 6): the course's function API on PyTorch and JAX.

:mod:`refnn.adapters.torch_target` and :mod:`refnn.adapters.jax_target` implement the target
protocol (docs/TARGET.md) with each framework's own functions, as a user of that framework would
write them, and return numpy float64 arrays in the course's layouts. They import their framework
at import time: install ``refnn[torch]`` / ``refnn[jax]``. Findings: docs/FRAMEWORKS.md.
"""
