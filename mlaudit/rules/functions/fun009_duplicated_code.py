"""Provides rule FUN009: Duplicated code block across files."""

from __future__ import annotations

import ast
import hashlib
import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from mlaudit.facts.kind import is_example, step_folder
from mlaudit.model import FileKind, Severity
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Metric, Output, Rule, register
from mlaudit.scoring import linear_points

WINDOW = 8


MAX_SPREAD = 50


def string_statement_lines(pf: PythonFile) -> set[int]:
    """Return the lines of bare string statements (docstrings) and of text assigned to `__doc__` (`__doc__ =
    f"{SHORT_DESCRIPTION} ..."`, a docstring filled in from shared descriptions): documentation, not code to
    compare."""
    lines: set[int] = set()
    for stmt in pf.nodes(ast.Expr):
        if isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
            lines.update(range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1))
    for assign in pf.nodes(ast.Assign):
        if isinstance(assign, ast.Assign) and _assigns_docstring(assign):
            lines.update(range(assign.lineno, (assign.end_lineno or assign.lineno) + 1))
    return lines


def _assigns_docstring(assign: ast.Assign) -> bool:
    """Return True for `__doc__ = "..."` or `X.__doc__ = f"..."`: a string, plain or formatted, set as a docstring."""
    text = assign.value
    if not (isinstance(text, ast.JoinedStr) or (isinstance(text, ast.Constant) and isinstance(text.value, str))):
        return False
    return any(
        (isinstance(t, ast.Name) and t.id == "__doc__") or (isinstance(t, ast.Attribute) and t.attr == "__doc__")
        for t in assign.targets
    )


def interface_lines(pf: PythonFile) -> set[int]:
    """Return the lines of function signatures and import statements: interfaces shared on purpose, not copied logic.

    Model families implement one method signature each (`forward_intermediates(self, x, indices=None, ...)`);
    identical parameter lists and multi-line import lists are not a block someone copied.
    """
    lines: set[int] = set()
    functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = [
        *pf.nodes(ast.FunctionDef),
        *pf.nodes(ast.AsyncFunctionDef),
    ]
    for func in functions:
        lines.update(range(func.lineno, func.body[0].lineno))
    for stmt in pf.nodes(ast.Import, ast.ImportFrom):
        lines.update(range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1))
    return lines


LINES_FACT = "functions.compared_lines"  # a per-file fact (mlaudit.filefacts)


def compared_lines(pf: PythonFile) -> tuple[bytes, bytes]:
    """Return (a hash of each run of `WINDOW` normalised code lines worth comparing, in order; those lines' 1-based numbers).

    A line is hashed with a stable 64-bit digest and a window with Python's hash of those ints:
    both are the same in every process (the fact cache keeps them; never a line's text). Both
    sequences are packed 64-bit integers (`array("q")` bytes): two objects per module to cache,
    not one per line.
    """
    skip = string_statement_lines(pf) | interface_lines(pf)
    kept: list[str] = []
    numbers: list[int] = []
    for number, raw in enumerate(pf.lines, start=1):
        if number in skip:
            continue
        line = (_without_comment(raw) if "#" in raw else raw).strip()
        if len(line) < 4 or line.startswith(("#", "import ", "from ", "@")):
            continue
        kept.append(line)
        numbers.append(number)
    hashes = _line_hashes(kept)
    windows = array("q", map(hash, zip(*(hashes[i:] for i in range(WINDOW)), strict=False)))
    return windows.tobytes(), array("i", numbers).tobytes()


def _line_hashes(lines: list[str]) -> list[int]:
    """Return each line's stable 64-bit digest as a signed integer (read little-endian, all at once)."""
    blake2b = hashlib.blake2b
    digests = array(
        "q", b"".join([blake2b(line.encode("utf-8", "surrogatepass"), digest_size=8).digest() for line in lines])
    )
    if sys.byteorder == "big":
        digests.byteswap()
    return digests.tolist()


def normalised_lines(pf: PythonFile) -> tuple[list[int], list[int]]:
    """Return (the hash of each window of normalised code lines, the lines' 1-based numbers), skipping noise."""
    windows, numbers = pf.file_fact(LINES_FACT, compared_lines)
    return array("q", windows).tolist(), array("i", numbers).tolist()


def _without_comment(line: str) -> str:
    """Return the line without a trailing `# comment` (a `#` after an odd number of quotes is in a string)."""
    cut = line.find("#")
    while cut > 0:
        before = line[:cut]
        if before.count('"') % 2 == 0 and before.count("'") % 2 == 0:
            return before
        cut = line.find("#", cut + 1)
    return line


def _windows(windows: list[int]) -> dict[int, int]:
    """Return each distinct window hash of a file with its first position."""
    return dict(zip(reversed(windows), range(len(windows) - 1, -1, -1), strict=True))  # the first start is written last


@dataclass(frozen=True)
class DuplicatePair:
    """Two files sharing copied code: the size of the shared block and where it starts."""

    first: str
    second: str
    shared_lines: int
    line_in_second: int
    line_in_first: int


def _covered(starts: list[int]) -> int:
    covered = 0
    reach = -1
    for start in sorted(starts):
        end = start + WINDOW
        covered += end - max(start, reach)
        reach = end
    return covered


_SHIFT = 32


_MASK = (1 << _SHIFT) - 1


def _shared_windows(files: list[PythonFile]) -> tuple[dict[int, list[int]], list[list[int]]]:
    """Link every copy of a window to its first holder: linear, and only ints (no GC pressure).

    Keys of the result are `first << 32 | other` file indexes; values `pos_other << 32 | pos_first`.
    Set operations find the windows held by two files or more; only those are looked at one by one.
    """
    numbers: list[list[int]] = []
    windows: list[dict[int, int]] = []
    seen: set[int] = set()
    repeated: set[int] = set()
    for pf in files:
        found, lines = normalised_lines(pf)
        numbers.append(lines)
        own = _windows(found)
        windows.append(own)
        repeated.update(seen.intersection(own))
        seen.update(own)
    copies: Counter[int] = Counter()
    for own in windows:
        copies.update(repeated.intersection(own))
    spread = {window for window, count in copies.items() if count <= MAX_SPREAD}  # boilerplate left out
    first_holder: dict[int, int] = {}
    shared: dict[int, list[int]] = defaultdict(list)
    for index, own in enumerate(windows):
        for window in spread.intersection(own):
            start = own[window]
            holder = first_holder.setdefault(window, index << _SHIFT | start)
            if holder >> _SHIFT != index:
                shared[(holder >> _SHIFT) << _SHIFT | index].append(start << _SHIFT | (holder & _MASK))
    return shared, numbers


def duplicate_pairs(files: list[PythonFile], min_lines: int) -> list[DuplicatePair]:
    """Return file pairs sharing at least `min_lines` normalised lines; each copy is paired with the first file."""
    shared, numbers = _shared_windows(files)
    pairs: list[DuplicatePair] = []
    for key, positions in shared.items():
        a, b = key >> _SHIFT, key & _MASK
        size = _covered([p >> _SHIFT for p in positions])
        if size >= min_lines:
            first = min(positions)
            pos_b, pos_a = first >> _SHIFT, first & _MASK
            pairs.append(DuplicatePair(files[a].path, files[b].path, size, numbers[b][pos_b], numbers[a][pos_a]))
    return sorted(pairs, key=lambda p: (p.second, p.first))


def copied_pairs(project: Project) -> list[DuplicatePair]:
    """Return the pairs of library and script modules sharing copied code (computed once per audit)."""
    pairs: list[DuplicatePair] = project.fact("copied_pairs", _copied_pairs)
    return pairs


def _copied_pairs(project: Project) -> list[DuplicatePair]:
    return duplicate_pairs(copy_candidates(project), int(project.options.threshold("min_duplicate_lines", 12)))


def copy_candidates(project: Project) -> list[PythonFile]:
    """Return the modules compared for copies: library and script code, `__init__.py` and tiny files left out."""
    code = project.python_of(FileKind.LIBRARY, FileKind.SCRIPT)
    # A module with fewer compared lines than a window holds no window: leaving it out changes no pair.
    return [pf for pf in code if not pf.path.endswith("__init__.py") and normalised_lines(pf)[0]]


COPIED_SHARE_OK = 0.01  # copies covering up to 1% of the code cost nothing


COPIED_SHARE_WORST = 0.07  # copies covering 7% or more cost the rule's cap


@register
class DuplicatedCode(Rule):
    """Flags files that share a copied block of code (copy-per-experiment folders).

    ## What it does
    Hashes every window of eight normalised code lines (whitespace, blank, comment, docstring (also one
    assigned to `__doc__`, often an f-string of shared descriptions), import, decorator and function-signature
    lines dropped) of library and script modules and reports each file
    sharing at least 12 such lines with an earlier file (in path order), once per pair, with
    the size of the shared block. `__init__.py` files and windows found in more than 50
    files (boilerplate) are ignored. Copies between numbered sibling folders (`week_1/`,
    `week_2/`, `lesson-3/`: a course's per-step snapshots) are an info note; numbered experiment
    folders (`exp055/`, `exp056/`) are the drift this rule is about. Copies between two example, tutorial or
    docs files are a note too: each example is written to be read and run on its own; so are copies between the
    recipes of a recipe collection (`recipes/ljspeech/glow_tts/train.py`, `recipes/vctk/glow_tts/train.py`, `egs/`),
    each one standalone run for one dataset and model. The copies are priced by the
    share of code lines they cover: up to 1% costs nothing, 7% or more costs the cap, linearly
    between.

    ## Why is this bad?
    `exp055/train.py` and `exp056/train.py` drift apart: a bug fixed in one lives on in the
    other, and nobody knows which copy produced the model in production.

    ## Example
    ```text
    exp055/train.py   # 300 lines
    exp056/train.py   # the same 300 lines, one learning rate changed
    ```

    ## Use instead
    ```text
    churn/train.py               # shared code, imported
    configs/exp055.yaml          # what differs between experiments
    configs/exp056.yaml
    ```
    """

    code = "FUN009"
    title = "Duplicated code block across files"
    practice = "functions"
    severity = Severity.WARNING
    fix = "Move the shared code into one module both files import, and keep only the differences (a config) apart."
    scoring = "measured"
    weight = 0  # each copy is listed where it is; the share they cover is what costs
    cap = 30  # copies drift apart: 7% of the code in copies costs as much as a practice's largest capability

    def check(self, project: Project) -> Iterator[Output]:
        code = project.python_of(FileKind.LIBRARY, FileKind.SCRIPT)
        by_path = {pf.path: pf for pf in copy_candidates(project)}
        copied = 0
        for pair in copied_pairs(project):
            snapshot = snapshot_folders(pair.first, pair.second)
            recipes = not snapshot and recipe_folders(pair.first, pair.second)
            examples = not (snapshot or recipes) and is_example(pair.first) and is_example(pair.second)
            copied += 0 if snapshot or recipes or examples else pair.shared_lines
            note = " (numbered snapshot folders, copied by design)" if snapshot else ""
            note = " (recipes, each a complete run for one dataset and model)" if recipes else note
            note = " (examples, each complete on its own for its reader)" if examples else note
            here = block_start(by_path[pair.second], pair.line_in_second)
            there = block_start(by_path[pair.first], pair.line_in_first)
            yield Hit(
                pair.second,
                here,
                f"{pair.second} shares {pair.shared_lines} code lines with {pair.first} "
                f"(from line {here} here, line {there} there){note}",
                severity=Severity.INFO if snapshot or recipes or examples else None,
            )
        yield self._share(copied, sum(pf.code_lines for pf in code))

    @staticmethod
    def _share(copied: int, total: int) -> Metric:
        """Price the copies by the share of the code they cover: 1% is noise, 7% costs the cap."""
        share = copied / total if total else 0.0
        points = linear_points(1 - share, 1 - COPIED_SHARE_WORST, 1 - COPIED_SHARE_OK, DuplicatedCode.effective_cap())
        reason = f"FUN009 {share:.1%} of the code lines are copies of blocks in other files ({copied} of {total})"
        return Metric("duplicated_code_share", round(share, 4), points, reason)


BODY_STARTS_FACT = "functions.body_starts"  # a per-file fact (mlaudit.filefacts)


def block_start(pf: PythonFile, line: int) -> int:
    """Return the `def` line when a shared block starts with a function's first statement, else `line`.

    Signatures are not compared, so a copied function is found from its body; the reader
    still wants to land on the function.
    """
    return pf.file_fact(BODY_STARTS_FACT, body_starts).get(line, line)


def body_starts(pf: PythonFile) -> dict[int, int]:
    """Map the first statement line of each function body (docstring and bare constants skipped) to its `def` line."""
    functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = [
        *pf.nodes(ast.FunctionDef),
        *pf.nodes(ast.AsyncFunctionDef),
    ]
    starts: dict[int, int] = {}
    for func in functions:
        body = [s for s in func.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
        if body:
            starts.setdefault(body[0].lineno, func.lineno)
    return starts


RECIPE_FOLDERS = frozenset({"recipes", "egs"})  # one standalone run per dataset and model (coqui TTS, ESPnet, icefall)


def recipe_folders(first: str, second: str) -> bool:
    """Return True when both files sit in a recipe collection (`recipes/ljspeech/glow_tts/train.py`, `egs/`).

    A recipe is one complete, standalone run for one dataset and model that users copy and edit;
    repeating the setup in each is the convention of these folders, as in examples.
    """
    return all(RECIPE_FOLDERS & set(path.split("/")[:-1]) for path in (first, second))


def snapshot_folders(first: str, second: str) -> bool:
    """Return True when two files sit in numbered course-step folders (`week_1/`, `week_2/`; `lesson-3/`).

    Courses and tutorials keep one snapshot of the project per step; copies between steps
    are the point, not drift.
    """
    ma, mb = step_folder(first), step_folder(second)
    return bool(ma and mb and ma.group(1).lower() == mb.group(1).lower() and ma.group(2) != mb.group(2))
