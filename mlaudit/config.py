"""Provides configuration: `[tool.mlaudit]` / `mlaudit.toml`, validated, into AuditOptions.

Unknown keys and wrong types are errors that name the key, the file and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlaudit.discover import read_regular, regular_file_in
from mlaudit.practices import PRACTICE_KEYS
from mlaudit.readers import TomlError, loads_toml

SEVERITIES = ("critical", "error", "warning", "info")
MAX_CONFIG_BYTES = 4 * 1024 * 1024
# Each threshold's allowed range: finite, and where the rules that read it stay meaningful.
THRESHOLD_RANGES: dict[str, tuple[float, float]] = {
    "annotation_target": (0, 100),
    "api_dict_keys": (1, 1000),
    "api_min_lines": (0, 10_000_000),
    "coverage_target": (0, 100),
    "data_artifact_kb": (0, 1_000_000_000),
    "entropy": (0, 8),
    "env_modules": (1, 100_000),
    "file_coverage_floor": (0, 100),
    "loose_root_scripts": (1, 100_000),
    "max_function_lines": (1, 1_000_000),
    "max_function_lines_error": (1, 1_000_000),
    "max_parameters": (0, 1000),
    "min_duplicate_lines": (2, 100_000),
    "min_maintainability": (0, 100),
    "model_artifact_kb": (0, 1_000_000_000),
    "module_code_share": (0, 1),
    "notebook_code_lines_min": (0, 10_000_000),
    "notebook_definitions": (0, 100_000),
    "notebook_output_kb": (0, 1_000_000_000),
    "pinned_share_target": (0, 1),
    "rep_seed_copies": (1, 100_000),
    "secret_min_length": (1, 1000),
    "test_to_code_ratio": (0, 100),
}
THRESHOLD_KEYS = tuple(THRESHOLD_RANGES)
PROFILES: dict[str, dict[str, float]] = {
    "default": {},
    "production": {"security": 1.5, "testing": 1.25, "production": 1.25},
    "research": {"reproducibility": 1.5, "production": 0.25, "testing": 0.75, "layout": 0.75},
    "prototype": {"production": 0.0, "testing": 0.5, "performance": 0.5, "interfaces": 0.5, "typing": 0.5},
}


class ConfigError(Exception):
    """A configuration problem, phrased for a one-line message."""


@dataclass(frozen=True)
class ConfigSuppression:
    """A config-level suppression: rule code (or prefix) and path glob, with a reason."""

    code: str
    path_glob: str
    reason: str
    until: dt.date | None


@dataclass(frozen=True)
class Config:
    """The validated contents of the repository's mlaudit configuration."""

    source: str | None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    weights: Mapping[str, float] | None = None
    fail_under: float | None = None
    fail_on: str | None = None
    thresholds: Mapping[str, float] | None = None
    placeholders: tuple[str, ...] = ()
    profile: str = "default"
    suppressions: tuple[ConfigSuppression, ...] = ()
    vulnerability_ignores: tuple[ConfigSuppression, ...] = ()

    def effective_weights(self) -> dict[str, float]:
        """Return the profile's weights overridden by explicit `weights`."""
        return {**PROFILES[self.profile], **(self.weights or {})}


def find_config(root: Path, explicit: Path | None = None) -> tuple[dict[str, Any], str] | None:
    """Return the raw `[tool.mlaudit]` table and where it came from, or None."""
    if explicit is not None:
        data = _read_toml(explicit)
        table = _tool_table(data, str(explicit), data) if explicit.name == "pyproject.toml" else data
        return _as_table(table, str(explicit)), str(explicit)
    for name in ("mlaudit.toml", ".mlaudit.toml"):
        candidate = regular_file_in(root, name)
        if candidate is not None:
            return _read_toml(candidate, root), name
    pyproject = regular_file_in(root, "pyproject.toml")
    if pyproject is not None:
        try:
            data = _read_toml(pyproject, root)
        except ConfigError:
            return None  # a broken pyproject is reported by the dependency rules, not fatal here
        table = _tool_table(data, "pyproject.toml", None)
        if table is not None:
            return _as_table(table, "pyproject.toml [tool.mlaudit]"), "pyproject.toml [tool.mlaudit]"
    return None


def load_config(root: Path, explicit: Path | None = None) -> Config:
    """Find, read and validate the configuration of the tree at `root`."""
    found = find_config(root, explicit)
    if found is None:
        return Config(source=None)
    table, source = found
    return parse_config(table, source)


def _tool_table(data: dict[str, Any], source: str, default: object) -> object:
    """Return `[tool.mlaudit]` of a pyproject, or `default`; a `tool` that is not a table is an error."""
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{source}: [tool] must be a table")
    return tool.get("mlaudit", default)


def _read_toml(path: Path, root: Path | None = None) -> dict[str, Any]:
    """Read a TOML file (a regular file only: never a FIFO or device, never a link out of `root`)."""
    try:
        raw = read_regular(path, root, MAX_CONFIG_BYTES)
        return loads_toml(raw.decode("utf-8"))
    except OSError as err:
        raise ConfigError(f"cannot read config {path}: {err.strerror or err}") from None
    except UnicodeDecodeError as err:
        raise ConfigError(f"cannot read config {path}: not valid UTF-8 (byte {err.start})") from None
    except TomlError as err:
        raise ConfigError(f"malformed TOML in {path}: {err}") from None


def _as_table(value: object, source: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{source}: [tool.mlaudit] must be a table")
    return value


_TOOL_HINT = (
    " (in this file the settings go at the top level, without the [tool.mlaudit] header,"
    " which belongs in pyproject.toml)"
)


def parse_config(table: Mapping[str, Any], source: str) -> Config:
    """Validate a raw table into a Config; raise ConfigError naming the bad key."""
    allowed = {name for name in _PARSERS}
    for key in table:
        if key not in allowed:
            hint = _TOOL_HINT if key == "tool" else ""
            raise ConfigError(f"{source}: unknown key '{key}'; allowed: {', '.join(sorted(allowed))}{hint}")
    values: dict[str, Any] = {}
    for key, value in table.items():
        field_name, parsed = _PARSERS[key](value, f"{source}: '{key}'")
        values[field_name] = parsed
    return Config(source=source, **values)


def _codes(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f'{where} must be a list of rule codes or prefixes, e.g. ["SEC", "LOG001"]')
    return tuple(v.upper() for v in value)


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")
    return tuple(value)


def _number(value: object, where: str, low: float = 0.0, high: float = 1e12) -> float:
    """Return a finite number within [low, high]; NaN, infinities and huge values are errors."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where} must be a number between {low:g} and {high:g}")
    if not (math.isfinite(value) and low <= value <= high):
        raise ConfigError(f"{where} must be a number between {low:g} and {high:g}")
    return float(value)


def _weights(value: object, where: str) -> dict[str, float]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table of practice = weight; practices: {', '.join(PRACTICE_KEYS)}")
    for key in value:
        if key not in PRACTICE_KEYS:
            raise ConfigError(f"{where}: unknown practice '{key}'; allowed: {', '.join(PRACTICE_KEYS)}")
    return {k: _number(v, f"{where}.{k}", 0, 100) for k, v in value.items()}


def _thresholds(value: object, where: str) -> dict[str, float]:
    """Validate thresholds; keys may be written with dashes or underscores."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table; keys: {', '.join(THRESHOLD_KEYS)}")
    out: dict[str, float] = {}
    for key, number in value.items():
        name = str(key).replace("-", "_")
        if name not in THRESHOLD_KEYS:
            raise ConfigError(f"{where}: unknown threshold '{key}'; allowed: {', '.join(THRESHOLD_KEYS)}")
        low, high = THRESHOLD_RANGES[name]
        out[name] = _number(number, f"{where}.{key}", low, high)
    return out


def _choice(options: tuple[str, ...]) -> Callable[[object, str], str]:
    def parse(value: object, where: str) -> str:
        if value not in options:
            raise ConfigError(f"{where} must be one of: {', '.join(options)}")
        return str(value)

    return parse


def _suppressions(value: object, where: str) -> tuple[ConfigSuppression, ...]:
    if not isinstance(value, dict):
        raise ConfigError(f'{where} must be a table of "CODE:path/glob" = {{ reason = "...", until = 2027-03-01 }}')
    return tuple(_suppression(key, entry, f'{where} "{key}"') for key, entry in value.items())


def _suppression(key: str, entry: object, where: str) -> ConfigSuppression:
    code, _, glob = key.partition(":")
    if not code or not isinstance(entry, dict):
        raise ConfigError(f'{where} must look like "CODE:path/glob" = {{ reason = "..." }}')
    unknown = set(entry) - {"reason", "until"}
    if unknown:
        raise ConfigError(f"{where}: unknown key '{sorted(unknown)[0]}'; allowed: reason, until")
    reason = entry.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise ConfigError(f"{where} needs a non-empty reason")
    until = entry.get("until")
    if isinstance(until, str):
        try:
            until = dt.date.fromisoformat(until)
        except ValueError:
            raise ConfigError(f"{where}: until must be a date like 2027-03-01") from None
    if isinstance(until, dt.datetime):
        until = until.date()
    if until is not None and not isinstance(until, dt.date):
        raise ConfigError(f"{where}: until must be a date like 2027-03-01")
    return ConfigSuppression(code.upper(), glob or "*", reason.strip(), until)


def _vulnerability_ignores(value: object, where: str) -> tuple[ConfigSuppression, ...]:
    """Parse `"ADVISORY-ID" = { reason = "...", until = 2027-03-01 }`: one advisory, always with an expiry."""
    shape = f'{where} must be a table of "ADVISORY-ID" = {{ reason = "...", until = 2027-03-01 }}'
    if not isinstance(value, dict):
        raise ConfigError(shape)
    out: list[ConfigSuppression] = []
    for key, entry in value.items():
        advisory = str(key).strip().upper()
        if not advisory or ":" in advisory or any(c.isspace() for c in advisory):
            raise ConfigError(
                f'{where}: "{key}" is not an advisory id (like GHSA-xxxx-xxxx-xxxx, PYSEC-2024-1, CVE-2024-1)'
            )
        parsed = _suppression(f"{advisory}:*", entry, f'{where} "{key}"')
        if parsed.until is None:
            raise ConfigError(f'{where} "{key}" needs an expiry date: until = 2027-03-01')
        out.append(ConfigSuppression(advisory, "", parsed.reason, parsed.until))
    return tuple(out)


_PARSERS: dict[str, Callable[[object, str], tuple[str, Any]]] = {
    "select": lambda v, w: ("select", _codes(v, w)),
    "ignore": lambda v, w: ("ignore", _codes(v, w)),
    "exclude": lambda v, w: ("exclude", _strings(v, w)),
    "weights": lambda v, w: ("weights", _weights(v, w)),
    "fail-under": lambda v, w: ("fail_under", _number(v, w, 0, 100)),
    "fail-on": lambda v, w: ("fail_on", _choice(SEVERITIES)(v, w)),
    "thresholds": lambda v, w: ("thresholds", _thresholds(v, w)),
    "placeholders": lambda v, w: ("placeholders", _strings(v, w)),
    "profile": lambda v, w: ("profile", _choice(tuple(PROFILES))(v, w)),
    "suppress": lambda v, w: ("suppressions", _suppressions(v, w)),
    "ignore-vulnerabilities": lambda v, w: ("vulnerability_ignores", _vulnerability_ignores(v, w)),
}
