"""Provides redaction and visible text: the only forms in which repository text may reach any output.

`redact` shortens one secret value. `Redactor` removes every window of 8 characters of the
secrets a scan found, plus anything a token-format scan recognises, from arbitrary text.
`redact_report` runs that over every string of a Report that came from the audited
repository (messages, fixes, paths, reasons, branch names, metrics), and `visible` turns
control characters, C1 controls and bidi overrides into printable escapes so no file name or
message can move the cursor, retitle the terminal or reorder what a reader sees.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any, TypeVar

from mlaudit.model import Report

WINDOW = 8
MIN_EXACT = 4
_INVISIBLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb\ud800-\udfff]"
)
_SKIPPED_FIELDS = frozenset(
    {"root", "rules", "fingerprint", "mlaudit_version", "schema_version", "rule", "practice", "key", "grade", "profile"}
)
T = TypeVar("T")


def redact(secret: str) -> str:
    """Return a redacted form such as `sk-p…(51 chars)`: a short prefix and the length.

    The prefix is at most 4 characters and never more than a quarter of the value, so a
    short secret shows less.
    """
    value = secret.strip()
    shown = min(4, len(value) // 4)
    return f"{value[:shown]}…({len(value)} chars)"


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """Return `text` with C0/C1 controls, DEL, bidi overrides, invisible separators and lone surrogates as escapes.

    Lone surrogates are how Python carries file-name bytes that are not UTF-8; shown as `\\udcff`
    they can be printed and written as JSON.
    """
    return _INVISIBLE.sub(_escape_char, text)


class Redactor:
    """Removes known secret values (any 8-character window of them) and token-shaped strings from text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        values = {s for s in secrets if len(s) >= MIN_EXACT}
        self._grams = {v[i : i + WINDOW] for v in values if len(v) >= WINDOW for i in range(len(v) - WINDOW + 1)}
        short = sorted((v for v in values if len(v) < WINDOW), key=len, reverse=True)
        self._short = re.compile("|".join(re.escape(v) for v in short)) if short else None

    def __call__(self, text: str) -> str:
        """Return `text` with every secret span replaced by its redacted form."""
        spans = self._spans(text)
        if not spans:
            return text
        out: list[str] = []
        last = 0
        for start, end in _merged(spans):
            out.append(text[last:start])
            out.append(redact(text[start:end]))
            last = end
        out.append(text[last:])
        return "".join(out)

    def _spans(self, text: str) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        if self._grams and len(text) >= WINDOW:
            spans.extend((i, i + WINDOW) for i in range(len(text) - WINDOW + 1) if text[i : i + WINDOW] in self._grams)
        if self._short is not None:
            spans.extend(m.span() for m in self._short.finditer(text))
        spans.extend(_token_spans(text))
        return spans


def _token_spans(text: str) -> list[tuple[int, int]]:
    """Return the spans of anything the secret scanner recognises in `text` (with next-line values)."""
    from mlaudit.secrets import scan_line

    spans: list[tuple[int, int]] = []
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        for match in scan_line(line, next_line=following):
            where = index + match.line_offset
            begin = starts[where] + match.start
            if text[begin : begin + len(match.value)] == match.value:
                spans.append((begin, begin + len(match.value)))
    return spans


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Return `text` redacted (known values and token formats) and made visible, for any view."""
    return visible(Redactor(secrets)(text))


def redact_lines(lines: list[str], secrets: Iterable[str] = ()) -> list[str]:
    """Return the lines of a file redacted and made visible, for a code view.

    Every secret the scanner finds anywhere in these lines is hidden wherever else it occurs
    in them too (a password assigned once and passed on later), as are values under their key.
    """
    from mlaudit.secrets import scan_text

    text = "\n".join(lines)
    found = {match.secret_part for _, match in scan_text(text)}
    return [visible(line) for line in Redactor({*secrets, *found})(text).split("\n")]


def redact_report(report: Report, secrets: Iterable[str] = ()) -> Report:
    """Return the Report with every repository-derived string redacted and made visible."""
    redactor = Redactor(secrets)
    done: dict[str, str] = {}  # paths and messages repeat: each distinct string is scanned once

    def clean(text: str) -> str:
        found = done.get(text)
        if found is None:
            found = done[text] = visible(redactor(text))
        return found

    return map_strings(report, clean)


def visible_report(report: Report) -> Report:
    """Return the Report with control characters in repository-derived strings made visible."""
    return map_strings(report, visible)


def map_strings(value: T, func: Callable[[str], str]) -> T:
    """Return `value` (frozen dataclasses, tuples, lists, dict values) with `func` applied to each string.

    Enums, dict keys and fields that mlaudit itself writes (rule docs, codes, versions, the
    root the user chose) are left as they are.
    """
    return _map(value, func)  # type: ignore[no-any-return]


def _map(value: Any, func: Callable[[str], str]) -> Any:
    kind = type(value)
    if kind is str:
        return func(value)
    handler = _HANDLERS.get(kind)
    if handler is None:
        handler = _HANDLERS[kind] = _handler_for(kind)
    return handler(value, func)


_Handler = Callable[[Any, Callable[[str], str]], Any]


def _handler_for(kind: type) -> _Handler:
    """Return how `_map` treats a value of this type (found once per type): the checks in their order of precedence."""
    if kind is tuple:
        return _map_tuple
    if kind is list:
        return _map_list
    if kind is dict:
        return _map_dict
    if issubclass(kind, Enum):
        return _same
    if issubclass(kind, str):
        return _call
    if _mapped_fields(kind) is not None:
        return _map_dataclass
    if issubclass(kind, tuple):
        return _map_tuple
    if issubclass(kind, list):
        return _map_list
    if issubclass(kind, dict):
        return _map_dict
    return _same


def _same(value: Any, _func: Callable[[str], str]) -> Any:
    return value


def _call(value: Any, func: Callable[[str], str]) -> Any:
    return func(value)


def _map_tuple(value: Any, func: Callable[[str], str]) -> Any:
    """Return the mapped tuple, or the tuple itself when nothing in it changed."""
    mapped = [_map(v, func) for v in value]
    for new, old in zip(mapped, value, strict=True):
        if new is not old:
            return tuple(mapped)
    return value


def _map_list(value: Any, func: Callable[[str], str]) -> Any:
    return [_map(v, func) for v in value]


def _map_dict(value: Any, func: Callable[[str], str]) -> Any:
    return {k: _map(v, func) for k, v in value.items()}


def _map_dataclass(value: Any, func: Callable[[str], str]) -> Any:
    """Return the dataclass with its mapped fields; the same object when none changed."""
    changes = {}
    for name in _FIELDS[type(value)] or ():
        old = getattr(value, name)
        new = _map(old, func)
        if new is not old:
            changes[name] = new
    return dataclasses.replace(value, **changes) if changes else value


_HANDLERS: dict[type, _Handler] = {}


_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _mapped_fields(kind: type) -> tuple[str, ...] | None:
    """Return the fields of a dataclass type that `_map` visits (None: not a dataclass)."""
    try:
        return _FIELDS[kind]
    except KeyError:
        names = None
        if dataclasses.is_dataclass(kind):
            names = tuple(f.name for f in dataclasses.fields(kind) if f.name not in _SKIPPED_FIELDS)
        _FIELDS[kind] = names
        return names
