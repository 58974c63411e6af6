"""Provides rule SEC024: tar archive extracted without a filter."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import PythonFile
from mlaudit.registry import FileRule, Hit, register
from mlaudit.rules.security._shared import CODE_KINDS, keyword, place

TAR_OPENERS = frozenset({"tarfile.open", "tarfile.TarFile", "tarfile.TarFile.open", "tarfile.TarFile.gzopen"})
# a function that lists the members or calls a path check has vetted the archive before extracting it
_MEMBER_LISTINGS = frozenset({"getmembers", "getnames", "getmember"})
_CHECK_WORDS = ("within", "safe", "traversal", "sanitize", "secure")


def _opens_tar(pf: PythonFile, node: ast.expr | None) -> bool:
    return isinstance(node, ast.Call) and pf.call_name(node) in TAR_OPENERS


def _tar_names(pf: PythonFile, scope: ast.AST) -> set[str]:
    """Return the names bound to `tarfile.open(...)` in a function or module (`with ... as tar`, `tar = ...`)."""
    names: set[str] = set()
    for node in ast.walk(scope):
        if isinstance(node, ast.withitem) and _opens_tar(pf, node.context_expr):
            if isinstance(node.optional_vars, ast.Name):
                names.add(node.optional_vars.id)
        elif isinstance(node, ast.Assign) and _opens_tar(pf, node.value):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def _filtered_elsewhere(scope: ast.AST, receiver: ast.expr) -> bool:
    """Return True when the scope also extracts the same archive with `filter=`.

    The bare call is then the fallback for Pythons without the parameter: the function has done
    what those Pythons allow.
    """
    if not isinstance(receiver, ast.Name):
        return False
    for node in ast.walk(scope):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "extractall":
            target = node.func.value
            if isinstance(target, ast.Name) and target.id == receiver.id and keyword(node, "filter") is not None:
                return True
    return False


def _vetted(scope: ast.AST, before: int) -> bool:
    """Return True when the scope calls a path check, or lists the archive's members into a loop or a test
    before extracting (`for m in tar.getmembers(): if ...: raise`). Names listed only to be used after the
    extraction (`names = tar.getnames(); tar.extractall(); ... os.remove(name) for name in names`) vet nothing."""
    listings: list[ast.Call] = []
    for node in ast.walk(scope):
        if isinstance(node, ast.Call):
            func = node.func
            label = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if any(word in label.lower() for word in _CHECK_WORDS):
                return True
            if label in _MEMBER_LISTINGS:
                listings.append(node)
    return bool(listings) and _listing_checked(scope, listings, before)


def _listing_checked(scope: ast.AST, listings: list[ast.Call], before: int) -> bool:
    """Return True when a member listing (or a name bound to one) is looped over or tested before line `before`."""
    bound = {
        target.id
        for node in ast.walk(scope)
        if isinstance(node, ast.Assign) and any(call in listings for call in ast.walk(node.value))
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for node in ast.walk(scope):
        checked: ast.expr | None = None
        if isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
            checked = node.iter
        elif isinstance(node, ast.If | ast.While | ast.Assert):
            checked = node.test
        if checked is None or getattr(checked, "lineno", before) >= before:
            continue
        for part in ast.walk(checked):
            if part in listings or (isinstance(part, ast.Name) and part.id in bound):
                return True
    return False


def unfiltered_tar_extractions(pf: PythonFile) -> Iterator[ast.Call]:
    """Yield `extractall()` calls on a tar archive opened in the same scope, with neither `filter=` nor `members=`."""
    for call in pf.nodes(ast.Call):
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr == "extractall"):
            continue
        if len(call.args) > 1 or keyword(call, "filter") is not None or keyword(call, "members") is not None:
            continue
        if any(kw.arg is None for kw in call.keywords):
            continue
        scope: ast.AST = pf.enclosing_function(call) or pf.tree
        receiver = func.value
        from_tar = _opens_tar(pf, receiver) or (isinstance(receiver, ast.Name) and receiver.id in _tar_names(pf, scope))
        if from_tar and not _vetted(scope, call.lineno) and not _filtered_elsewhere(scope, receiver):
            yield call


@register
class TarExtractWithoutFilter(FileRule):
    """Flags `tarfile` archives extracted with `extractall()` and no `filter=` or vetted `members=`.

    ## What it does
    Finds `extractall()` calls on an archive opened with `tarfile.open` in the same function
    that pass neither `filter=` (Python 3.12+, backported to 3.8+ security releases) nor a
    `members=` list, in a function that never checks the members itself (loops over or tests their listing
    before extracting, or calls a path check); names listed only for use after the extraction vet nothing. The bare
    fallback call on an archive the function also extracts with `filter=` (where Python has
    it) is not flagged.

    ## Why is this bad?
    Before Python 3.14 a tar member may be named `../../.bashrc`, an absolute path or a link
    out of the target folder, and `extractall()` writes it there (CVE-2007-4559). Datasets and
    weights archives are downloaded from elsewhere: whoever controls the archive writes files
    anywhere the job can.

    ## Example
    ```python
    with tarfile.open(archive) as tar:
        tar.extractall(data_dir)
    ```

    ## Use instead
    ```python
    with tarfile.open(archive) as tar:
        tar.extractall(data_dir, filter="data")
    ```
    """

    code = "SEC024"
    file_kinds = CODE_KINDS
    title = "tar archive extracted without a filter"
    practice = "security"
    severity = Severity.WARNING
    fix = 'Pass filter="data" to extractall() (or members= a list whose paths you checked stay inside the target).'

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        for call in unfiltered_tar_extractions(pf):
            message = f"tar archive extractall() without filter= {place(pf, call)}: a member named ../x writes outside"
            yield Hit(pf.path, call.lineno, message + " the target folder")
