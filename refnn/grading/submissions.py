"""Finding submissions: files, folders (searched recursively) and glob patterns, ``.py`` and
``.ipynb``; and ``--shard K/N``, a deterministic slice of them.

Inside a folder, hidden entries, ``__pycache__``, ``.ipynb_checkpoints`` and the course's helper
modules (``reg_utils.py``, ``testCases.py``, …, which a learner's folder often holds beside the
notebook) are not submissions. A file named explicitly always is.
"""

from __future__ import annotations

import glob
import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

SUFFIXES = (".py", ".ipynb")
HELPERS = frozenset({"init_utils.py", "reg_utils.py", "gc_utils.py", "testCases.py",
                     "public_tests.py", "test_utils.py", "__init__.py", "conftest.py"})
_SKIP_DIRS = frozenset({"__pycache__", ".ipynb_checkpoints", ".git", ".hypothesis"})


def _in_folder(folder: Path) -> list[Path]:
    out: list[Path] = []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).parts
        if any(part.startswith(".") or part in _SKIP_DIRS for part in rel):
            continue
        if p.is_file() and p.suffix in SUFFIXES and p.name not in HELPERS:
            out.append(p)
    return out


def find(paths: Iterable[str]) -> list[Path]:
    """The submissions named by ``paths``, each once, in a stable order.

    Raises:
        FileNotFoundError: a path or pattern matches nothing.
        ValueError: a file named explicitly is neither ``.py`` nor ``.ipynb``.
    """
    found: dict[Path, None] = {}
    for spec in paths:
        matches = [Path(m) for m in sorted(glob.glob(spec, recursive=True))] \
            if glob.has_magic(spec) else [Path(spec)]
        if not matches or not all(m.exists() for m in matches):
            raise FileNotFoundError(f"no submission matches '{spec}'")
        for m in matches:
            if m.is_dir():
                for p in _in_folder(m):
                    found.setdefault(p.resolve(), None)
            elif m.suffix in SUFFIXES:
                found.setdefault(m.resolve(), None)
            elif not glob.has_magic(spec):
                raise ValueError(f"'{spec}': expected a .py file, an .ipynb notebook or a "
                                 f"folder, got a {m.suffix or 'suffix-less'} file")
    return list(found)


def parse_shard(text: str) -> tuple[int, int]:
    """``"K/N"`` → ``(K, N)`` with 1 ≤ K ≤ N.

    Raises:
        ValueError: not of that form.
    """
    k, sep, n = text.partition("/")
    if not sep or not k.isdigit() or not n.isdigit() or not 1 <= int(k) <= int(n):
        raise ValueError(f"--shard: expected K/N with 1 <= K <= N (e.g. 2/8), got {text!r}")
    return int(k), int(n)


def shard_key(path: Path, root: Path | None = None) -> str:
    """The key a submission is sharded by: its path relative to ``root`` (else its name),
    so every machine puts the same file in the same shard wherever the folder is mounted."""
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.name


def shard(paths: Sequence[Path], k: int, n: int, root: Path | None = None) -> list[Path]:
    """The submissions of shard ``k`` of ``n``: those whose key's SHA-256 is ``k − 1`` mod ``n``
    (deterministic, independent of the order and of the other submissions)."""
    def bucket(p: Path) -> int:
        digest = hashlib.sha256(shard_key(p, root).encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % n

    return [p for p in paths if bucket(p) == k - 1]


def common_root(paths: Sequence[Path]) -> Path | None:
    """The deepest folder holding every path (``None`` for none)."""
    if not paths:
        return None
    parents = [p.parent.parts for p in paths]
    prefix: list[str] = []
    for parts in zip(*parents):
        if len(set(parts)) != 1:
            break
        prefix.append(parts[0])
    return Path(*prefix) if prefix else None
