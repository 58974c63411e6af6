"""Provides the string constants of each module, a per-file fact shared by the layout and reproducibility rules."""

from __future__ import annotations

import ast

from mlaudit.project import PythonFile

SHORT_STRINGS_FACT = "strings.short"  # a per-file fact (mlaudit.filefacts)
MAX_LENGTH = 300


def short_strings(pf: PythonFile) -> tuple[str, ...]:
    """Return the file's string constants shorter than 300 characters, once each, in order of appearance."""
    return tuple(
        dict.fromkeys(
            node.value
            for node in pf.nodes(ast.Constant)
            if isinstance(node.value, str) and len(node.value) < MAX_LENGTH
        )
    )


def file_strings(pf: PythonFile) -> tuple[str, ...]:
    """Return the short string constants of a file (the cached per-file fact)."""
    strings: tuple[str, ...] = pf.file_fact(SHORT_STRINGS_FACT, short_strings)
    return strings
