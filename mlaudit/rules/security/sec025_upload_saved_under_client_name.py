"""Provides rule SEC025: Uploaded file saved under the name the client sent."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.model import FileKind, Severity
from mlaudit.project import FunctionNode, PythonFile
from mlaudit.registry import FileRule, Hit, register

# calls that keep only the last part of a client's file name, or build a path the library itself checks
SANITISERS = frozenset({"secure_filename", "basename", "safe_join", "sanitize_filename", "sanitise_filename"})
# attributes of a `Path` that keep a part with no folder in it (`Path(upload.filename).name`)
NAME_PARTS = frozenset({"name", "stem", "suffix", "suffixes"})
# calls and tests with which a function checks where a path lands (`target.resolve().is_relative_to(root)`)
PATH_CHECKS = frozenset({"is_relative_to", "commonpath", "commonprefix", "secure_filename", "safe_join"})
# calls that write or move a file to the path they are handed
WRITERS = frozenset({"open", "save", "write_bytes", "write_text", "copyfile", "copy", "copy2", "move", "rename"})


def _upload_names(pf: PythonFile, func: FunctionNode) -> set[str]:
    """Return the names of a function bound to uploaded files: parameters annotated `UploadFile` (FastAPI,
    Starlette), names bound to Flask's `request.files[...]`, and loop variables over either."""
    names = {
        a.arg
        for a in (*func.args.args, *func.args.kwonlyargs)
        if a.annotation is not None and "UploadFile" in ast.unparse(a.annotation)
    }
    for node in ast.walk(func):
        if isinstance(node, ast.Assign) and _from_request_files(node.value):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension) and isinstance(node.target, ast.Name):
            iterated = node.iter
            if _from_request_files(iterated) or (isinstance(iterated, ast.Name) and iterated.id in names):
                names.add(node.target.id)
    return names


def _from_request_files(value: ast.expr) -> bool:
    """Return True for `request.files["image"]`, `request.files.get(...)`, `request.files.getlist(...)`."""
    return ast.unparse(value).startswith("request.files")


def _client_name_in(node: ast.AST, uploads: set[str], tainted: set[str]) -> ast.AST | None:
    """Return the part of an expression that carries the client's file name (`upload.filename`, or a name bound to
    a value built from it), skipping what a sanitiser keeps (`secure_filename(...)`, `Path(...).name`)."""
    if isinstance(node, ast.Call) and _callee(node) in SANITISERS:
        return None
    if isinstance(node, ast.Attribute) and node.attr in NAME_PARTS:
        return None
    if _extension_of(node):
        return None  # `os.path.splitext(upload.filename)[1]`: an extension holds no folder
    uploaded = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in uploads
    if uploaded and isinstance(node, ast.Attribute) and node.attr == "filename":
        return node
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in tainted:
        return node
    for child in ast.iter_child_nodes(node):
        found = _client_name_in(child, uploads, tainted)
        if found is not None:
            return found
    return None


def _extension_of(node: ast.AST) -> bool:
    """Return True for `os.path.splitext(name)[1]` (or `[-1]`): the extension, which `splitext` takes from after
    the last folder separator, so no `../` can be in it."""
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Call)
        and _callee(node.value) == "splitext"
        and isinstance(node.slice, ast.Constant | ast.UnaryOp)
        and ast.unparse(node.slice) in {"1", "-1"}
    )


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _tainted_names(func: FunctionNode, uploads: set[str]) -> set[str]:
    """Return the local names bound to a value built from an upload's client-given name, in source order."""
    tainted: set[str] = set()
    assigns = sorted(
        (n for n in ast.walk(func) if isinstance(n, ast.Assign | ast.AnnAssign) and n.value is not None),
        key=lambda n: n.lineno,
    )
    for _ in range(2):  # a name bound in a loop before the name it is built from is bound
        for node in assigns:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if node.value is None or _client_name_in(node.value, uploads, tainted) is None:
                continue
            tainted.update(t.id for t in targets if isinstance(t, ast.Name))
            split = isinstance(node.value, ast.Call) and _callee(node.value) == "splitext"
            for target in targets:
                # `stem, ext = os.path.splitext(upload.filename)`: the stem keeps the client's folders, the extension none
                if split and isinstance(target, ast.Tuple) and target.elts and isinstance(target.elts[0], ast.Name):
                    tainted.add(target.elts[0].id)
    return tainted


def _checks_paths(func: FunctionNode) -> bool:
    """Return True when the function checks where paths land, or rejects `..` in a name."""
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and _callee(node) in PATH_CHECKS:
            return True
        if isinstance(node, ast.Compare) and any(
            isinstance(part, ast.Constant) and part.value == ".." for part in (node.left, *node.comparators)
        ):
            return True
    return False


def _written_paths(call: ast.Call) -> list[ast.expr]:
    """Return the expressions a writing call takes as its path: its arguments, or the path it is a method of
    (`(folder / name).write_bytes(data)`)."""
    if isinstance(call.func, ast.Attribute) and call.func.attr in {"write_bytes", "write_text"}:
        return [call.func.value]
    return [*call.args[:2], *(k.value for k in call.keywords if k.arg in {"file", "dst", "dest", "path"})]


def client_named_writes(pf: PythonFile) -> Iterator[tuple[ast.Call, ast.AST, FunctionNode]]:
    """Yield each call that writes to a path built from an uploaded file's client-given name, with that name's
    expression and the function holding both."""
    functions: list[FunctionNode] = [*pf.nodes(ast.FunctionDef), *pf.nodes(ast.AsyncFunctionDef)]
    for func in functions:
        uploads = _upload_names(pf, func)
        if not uploads or _checks_paths(func):
            continue
        tainted = _tainted_names(func, uploads)
        for call in (n for n in ast.walk(func) if isinstance(n, ast.Call) and _callee(n) in WRITERS):
            if pf.enclosing_function(call) is not func:
                continue
            for path in _written_paths(call):
                name = _client_name_in(path, uploads, tainted)
                if name is not None:
                    yield call, name, func
                    break


@register
class UploadSavedUnderClientName(FileRule):
    """Flags an uploaded file written to a path built from the file name the client sent.

    ## What it does
    In a function that takes an upload (a parameter annotated `UploadFile` in FastAPI or Starlette, or Flask's
    `request.files[...]`), reports `open(...)`, `.save(...)`, `.write_bytes(...)`, `shutil.copyfile/move(...)`
    and the like whose path is built from the upload's `filename` (directly, or through names built from it:
    `location = os.path.join(upload_dir, file.filename)`, or the stem unpacked from
    `stem, ext = os.path.splitext(file.filename)`). Not reported: a name reduced to its last part
    (werkzeug's `secure_filename(...)`, `os.path.basename(...)`, `Path(...).name`) or to its extension
    (`os.path.splitext(file.filename)[1]`, `Path(...).suffix`: no folder in it), and a function that checks
    where its paths land (`is_relative_to`, `os.path.commonpath`, `safe_join`, a test for `".."` in the name).
    A handler that reads the upload's bytes in memory (`Image.open(io.BytesIO(await file.read()))`) writes no path.

    ## Why is this bad?
    The file name is whatever the client sends: `../../app/main.py` or an absolute path joins to a path outside the
    upload folder, so anyone who can reach the endpoint overwrites files the service can write (its code, its
    model weights, a user's `.bashrc`): a path traversal (CWE-22).

    ## Example
    ```python
    @app.post("/images")
    async def upload(file: UploadFile):
        with open(os.path.join(UPLOAD_DIR, file.filename), "wb") as out:
            out.write(await file.read())
    ```

    ## Use instead
    ```python
    @app.post("/images")
    async def upload(file: UploadFile):
        target = UPLOAD_DIR / f"{uuid.uuid4().hex}{Path(file.filename or '').suffix}"
        target.write_bytes(await file.read())
    ```
    """

    code = "SEC025"
    file_kinds = (FileKind.LIBRARY, FileKind.SCRIPT)
    title = "Uploaded file saved under the name the client sent"
    practice = "security"
    severity = Severity.WARNING
    fix = "Keep only the name's last part (secure_filename(name), Path(name).name) or name the file yourself (uuid4)."

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        if "filename" not in pf.text:
            return
        for call, name, func in client_named_writes(pf):
            shown = ast.unparse(name)[:40]
            message = f"{_callee(call)}() writes to a path built from the client's file name `{shown}` in {func.name}()"
            yield Hit(pf.path, call.lineno, message + ": a name like ../../x lands outside the upload folder")
