"""Provides the secret sweep: every text of the audited tree scanned once, parse or no parse.

Python modules and notebook cells, every notebook string (metadata, every output type,
error values), configs, data and lock files, the text of files that failed to parse
(Python 2, stray Latin-1 bytes, broken notebooks) and tracked files that discovery leaves
out (`build/`, `dist/`, `.ipynb_checkpoints/`, `.dvc/`). Files that could not be read are
listed with the reason, never counted as clean. Found values stay inside the process: they
feed redaction of every output and never leave this module unredacted.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath

from mlaudit import cache
from mlaudit.discover import is_excluded, read_regular
from mlaudit.model import FileKind, Skipped
from mlaudit.options import AuditOptions
from mlaudit.project import MAX_FILE_BYTES, Project, PythonFile
from mlaudit.secrets import SecretMatch, scan_text

NOT_TEXT_KINDS = frozenset({FileKind.BINARY, FileKind.MODEL})
BINARY_DATA_SUFFIXES = frozenset(
    {
        ".parquet",
        ".pq",
        ".feather",
        ".arrow",
        ".npy",
        ".npz",
        ".xlsx",
        ".xls",
        ".avro",
        ".tfrecord",
        ".orc",
        ".sqlite",
        ".db",
    }
)
SWEEP_FACT = "secrets.sweep"
CLEAN_FACT = "secrets.clean"  # a per-file fact (mlaudit.filefacts): a module's text holds no secret


@dataclass(frozen=True)
class SweepSettings:
    """The settings a scan depends on: entropy and length thresholds, placeholder words."""

    entropy: float
    min_length: int
    placeholders: tuple[str, ...]

    @classmethod
    def of(cls, options: AuditOptions) -> SweepSettings:
        """Return the settings of an audit."""
        return cls(
            options.threshold("entropy", 3.5),
            int(options.threshold("secret_min_length", 12)),
            tuple(p for p in options.placeholders if p),
        )

    def scan(self, text: str, quoted_only: bool) -> Iterator[tuple[int, SecretMatch]]:
        """Yield (line, match) for each secret of `text` that is not a placeholder."""
        for line, match in scan_text(text, quoted_only=quoted_only, entropy=self.entropy, min_length=self.min_length):
            if not any(p in match.value for p in self.placeholders) and not binary_noise(match.value):
                yield line, match


_CONTROL = re.compile("[\ufffd\x00-\x08\x0b-\x1f\x7f]")


def binary_noise(value: str) -> bool:
    """Return True for a value holding bytes that are not text (an undecodable byte, a control character): a run
    of a binary file (a mesh, a scan, a raster) that happens to follow `-p` or `--token`, never a typed secret."""
    return _CONTROL.search(value) is not None


def module_is_clean(pf: PythonFile, settings: SweepSettings) -> bool:
    """Return True when a module's text holds no secret (the fact cache keeps only this, never a value)."""
    return next(settings.scan(pf.text, True), None) is None


@dataclass(frozen=True)
class LocatedSecret:
    """One secret and where it is: file, line (None when unknown), notebook cell, output or source."""

    path: str
    line: int | None
    cell: int | None
    in_output: bool
    match: SecretMatch


@dataclass(frozen=True)
class SecretSweep:
    """Every secret found at HEAD, and the text files that could not be scanned (with why)."""

    found: tuple[LocatedSecret, ...]
    not_scanned: tuple[Skipped, ...]
    clean: frozenset[str] = frozenset()  # paths whose whole text was scanned (now or before) and holds no secret

    @property
    def values(self) -> frozenset[str]:
        """Return the secret values (without published prefixes): for redaction only, never for output."""
        return frozenset(s.match.secret_part for s in self.found)


def sweep(project: Project) -> SecretSweep:
    """Return the secret sweep of a project (computed once per project)."""
    result: SecretSweep = project.fact(SWEEP_FACT, _sweep)
    return result


def _sweep(project: Project) -> SecretSweep:
    scanner = _Scanner(project)
    for pf in project.python.values():
        scanner.isolated(pf.path, partial(scanner.python_file, pf))
    for path, text in project.texts.items():
        scanner.isolated(path, partial(scanner.remembered, path, text, False))
    read = set(project.python) | set(project.texts)
    left = [s.path for s in project.files if s.path not in read and s.kind not in NOT_TEXT_KINDS]
    discovered = {f.path for f in project.files}
    tracked = (project.tracked or frozenset()) - discovered
    left += [p for p in sorted(tracked) if not is_excluded(p, project.options.exclude) and not _binary_name(p)]
    for path in left:
        scanner.isolated(path, partial(scanner.raw_file, path))
    if scanner.clean is not None:
        scanner.clean.save()
    clean = scanner.scanned - {s.path for s in scanner.found} - {s.path for s in scanner.not_scanned}
    return SecretSweep(tuple(scanner.found), tuple(sorted(scanner.not_scanned, key=lambda s: s.path)), frozenset(clean))


def _binary_name(path: str) -> bool:
    from mlaudit.discover import BINARY_SUFFIXES, MODEL_SUFFIXES

    suffix = PurePosixPath(path).suffix.lower()
    return suffix in BINARY_SUFFIXES or suffix in MODEL_SUFFIXES


class _Scanner:
    """Collects secrets and unscanned files while the sweep walks the project."""

    def __init__(self, project: Project) -> None:
        self.root = project.root
        self.settings = SweepSettings.of(project.options)
        self.found: list[LocatedSecret] = []
        self.not_scanned: list[Skipped] = []
        self.scanned: set[str] = set()  # whole texts scanned as one (modules and other files, not notebooks)
        # Texts other than modules (configs, docs, sources discovery does not parse) found clean
        # before are not scanned again (modules have the per-file `CLEAN_FACT`).
        self.clean = cache.CleanKeys.of(project.root, project.options, "sweep", repr(self.settings))

    def isolated(self, path: str, work: Callable[[], None]) -> None:
        """Run the scan of one file; a failure lists that file as not scanned instead of ending the audit."""
        try:
            work()
        except Exception as err:  # noqa: BLE001 - one hostile file must not stop the sweep
            self.not_scanned.append(Skipped(path, f"secret scan failed ({type(err).__name__}): not scanned"))

    def scan(self, text: str, quoted_only: bool) -> Iterator[tuple[int, SecretMatch]]:
        return self.settings.scan(text, quoted_only)

    def text(self, path: str, text: str, quoted_only: bool, cell: int | None = None) -> None:
        for line, match in self.scan(text, quoted_only):
            self.found.append(LocatedSecret(path, line, cell, False, match))

    def remembered(self, path: str, text: str, quoted_only: bool) -> None:
        """Scan a whole text unless the same text at the same path was scanned clean before."""
        self.scanned.add(path)
        if self.clean is None:
            self.text(path, text, quoted_only)
            return
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        key = self.clean.key(path, str(quoted_only), digest)
        if self.clean.known(key):
            return
        before = len(self.found)
        self.text(path, text, quoted_only)
        if len(self.found) == before:
            self.clean.add(key)

    def python_file(self, pf: PythonFile) -> None:
        if not pf.is_notebook:
            self._module(pf)
            return
        seen: set[str] = set()
        for cell in pf.cells:
            for line, match in self.scan(cell.source, cell.cell_type == "code"):
                self.found.append(LocatedSecret(pf.path, line, cell.index, False, match))
                seen.add(match.value)
            for output in cell.outputs:
                for _line, match in self.scan(output, False):
                    self.found.append(LocatedSecret(pf.path, None, cell.index, True, match))
                    seen.add(match.value)
        self._notebook_strings(pf, seen)

    def _module(self, pf: PythonFile) -> None:
        """Scan a module, unless its summary says it is clean; record whether it is, for the fact cache."""
        self.scanned.add(pf.path)
        scanned = False

        def scan(one: PythonFile) -> bool:
            nonlocal scanned
            scanned = True
            before = len(self.found)
            self.text(one.path, one.text, True)
            return len(self.found) == before

        if not pf.file_fact(CLEAN_FACT, scan) and not scanned:
            self.text(pf.path, pf.text, True)

    def _notebook_strings(self, pf: PythonFile, seen: set[str]) -> None:
        """Scan every other string of the notebook (metadata, SVG/JS/custom outputs, error values), parsed once with it."""
        if pf.notebook_strings is None:
            self.not_scanned.append(Skipped(pf.path, "secret scan failed (RecursionError): not scanned"))
            return
        for string in pf.notebook_strings:
            for _line, match in self.scan(string.text, False):
                if match.value not in seen:
                    seen.add(match.value)
                    self.found.append(LocatedSecret(pf.path, None, string.cell, True, match))

    def raw_file(self, path: str) -> None:
        """Scan the text of a file the project did not parse (parse failure, or left out by discovery)."""
        if PurePosixPath(path).suffix.lower() in BINARY_DATA_SUFFIXES:
            return
        raw = self.read(path)
        if raw is None:
            return
        # NUL bytes in a text-named file (.py, .env, .yaml) do not hide it: its text is scanned anyway.
        text = raw.decode("utf-8", errors="replace").replace("\0", " ")
        self.remembered(path, text, quoted_only=path.endswith(".py") and b"\0" not in raw)
        if b"\0" in raw:
            self.scanned.discard(path)  # scanned with its NUL bytes blanked: not the bytes git holds

    def read(self, path: str) -> bytes | None:
        """Return a file's bytes, or None after noting why it could not be read."""
        result = _read_text_file(self.root, path)
        if isinstance(result, str):
            self.not_scanned.append(Skipped(path, result))
            return None
        return result


def _read_text_file(root: Path, path: str) -> bytes | str:
    """Return the bytes of a regular file inside `root`, or why it was not scanned (never blocks)."""
    try:
        return read_regular(root / path, root, MAX_FILE_BYTES)
    except FileNotFoundError:
        return "tracked but missing from the working tree: not scanned for secrets"
    except OSError as err:
        return f"{err.strerror or type(err).__name__}: not scanned for secrets"
