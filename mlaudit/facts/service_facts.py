"""Provides facts about web services that the production rules share: deployment recipes,
module-level model loading (in the service module or a module it imports), error handling
around inference, and HTML pages.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from mlaudit.model import FileKind
from mlaudit.project import FunctionNode, Project, PythonFile, own_nodes

DEPLOY_NAMES = frozenset(
    {
        "procfile",
        "app.yaml",
        "app.yml",
        "fly.toml",
        "render.yaml",
        "railway.json",
        "railway.toml",
        "serverless.yml",
        "serverless.yaml",
        "template.yaml",
        "template.yml",
        "bentofile.yaml",
        "chart.yaml",
        "skaffold.yaml",
        "vercel.json",
        "zappa_settings.json",
        "samconfig.toml",
        "cog.yaml",
        "modal.toml",
    }
)
_K8S = re.compile(r"(?m)^kind:\s*(?:Deployment|StatefulSet|Service|InferenceService|Job)\b")
_MODEL_FILE = re.compile(r"(?i)\.(?:pt|pth|bin|ckpt|h5|keras|onnx|pkl|pickle|joblib|safetensors|pb|tflite|engine)$")
_ERROR_HANDLER_ATTRS = frozenset(
    {"exception_handler", "errorhandler", "add_exception_handler", "register_error_handler"}
)
HTML_RESPONSES = frozenset({"HTMLResponse", "Jinja2Templates", "TemplateResponse", "render_template"}) | frozenset(
    {"render", "render_to_response"}  # Django's shortcuts that render a template into a page
)


def deploy_recipes(project: Project) -> list[str]:
    """Return the Dockerfiles, compose files and platform manifests that deploy something."""
    found: list[str] = []
    for source in project.files:
        name = PurePosixPath(source.path).name.lower()
        is_docker = name == "dockerfile" or name.startswith("dockerfile.") or name.endswith(".dockerfile")
        compose = name.startswith(("docker-compose", "compose.")) and name.endswith((".yml", ".yaml"))
        k8s = name.endswith((".yml", ".yaml")) and bool(_K8S.search(project.text(source.path) or ""))
        template = name.endswith(TEMPLATE_SUFFIXES) and _is_dockerfile(project.text(source.path) or "")
        if is_docker or compose or k8s or template or name in DEPLOY_NAMES:
            found.append(source.path)
    found.extend(
        pf.path
        for pf in project.python.values()
        if pf.kind is not FileKind.TEST and (_builds_platform_image(pf) or _writes_dockerfile(pf))
    )
    return sorted(found)


TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2", ".tmpl", ".tpl", ".template")
_FROM_LINE = re.compile(r"(?m)^FROM\s+\S")
_START_LINE = re.compile(r"(?m)^(?:CMD|ENTRYPOINT)\s*\S")


def _is_dockerfile(text: str) -> bool:
    """Return True for the text of a Dockerfile: a `FROM` line and a `CMD` or `ENTRYPOINT` line."""
    return _FROM_LINE.search(text) is not None and _START_LINE.search(text) is not None


def _writes_dockerfile(pf: PythonFile) -> bool:
    """Return True for a module that holds a Dockerfile template as a string (a serving library's
    `containerize` command writes it for its users): a deployment recipe written as code."""
    if "FROM " not in pf.text:
        return False
    return any(
        isinstance(node.value, str) and _is_dockerfile(node.value)
        for node in pf.nodes(ast.Constant)
        if isinstance(node, ast.Constant)
    )


def _builds_platform_image(pf: PythonFile) -> bool:
    """Return True for a module that defines its container image in Python (`modal.Image.debian_slim()`):
    a deployment recipe written as code."""
    if "modal" not in {module.split(".", 1)[0] for module in pf.imported_modules}:
        return False
    return "modal.Image." in pf.text or "Image.from_registry(" in pf.text or "Image.debian_slim(" in pf.text


def has_error_handler(pf: PythonFile) -> bool:
    """Return True when the module registers an exception handler with its framework."""
    for node in pf.nodes(ast.Attribute):
        if isinstance(node, ast.Attribute) and node.attr in _ERROR_HANDLER_ATTRS:
            return True
    return False


_HTTP_ERRORS = frozenset({"HTTPException", "abort", "BadRequest", "RequestValidationError"})


def reports_http_errors(func: FunctionNode) -> bool:
    """Return True when a handler raises HTTP errors itself (`raise HTTPException(...)`, `abort(400)`)."""
    for node in ast.walk(func):
        target = node.exc if isinstance(node, ast.Raise) else node if isinstance(node, ast.Expr) else None
        value = target.value if isinstance(target, ast.Expr) else target
        if isinstance(value, ast.Call):
            callee = value.func.attr if isinstance(value.func, ast.Attribute) else getattr(value.func, "id", "")
            if callee in _HTTP_ERRORS:
                return True
    return False


def guarded(pf: PythonFile, node: ast.AST, func: FunctionNode) -> bool:
    """Return True when `node` sits in a `try:` body (with handlers) inside `func`."""
    child: ast.AST = node
    for anc in pf.ancestors(node):
        if anc is func:
            return False
        if isinstance(anc, ast.Try | ast.TryStar) and anc.handlers and child in anc.body:
            return True
        child = anc
    return False


def returns_html(func: FunctionNode) -> bool:
    """Return True for a handler that returns an HTML string or an HTML/template response."""
    for node in ast.walk(func):
        if isinstance(node, ast.Return) and node.value is not None:
            value = node.value
            if (
                isinstance(value, ast.Constant)
                and isinstance(value.value, str)
                and value.value.lstrip().startswith("<")
            ):
                return True
            if isinstance(value, ast.Call):
                callee = value.func.attr if isinstance(value.func, ast.Attribute) else getattr(value.func, "id", "")
                if callee in HTML_RESPONSES:
                    return True
    return False


def returns_response_objects(func: FunctionNode, pf: PythonFile | None = None, depth: int = 2) -> bool:
    """Return True when every `return` of a handler gives a Response object (`RedirectResponse(...)`), also
    through a function of its module (`pf`) that does (`return await _authenticate_user(request, user)`, whose
    every return is one), at most `depth` calls deep.

    FastAPI sends such objects as they are, so a response model would not apply to them.
    """
    helpers = _response_helpers(pf, func, depth) if pf is not None else frozenset()
    made: set[str] = set()
    returns: list[ast.expr | None] = []
    for node in own_nodes(func):
        if isinstance(node, ast.Assign) and _is_response_call(node.value, helpers):
            made.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.Return):
            returns.append(node.value)
    return bool(returns) and all(
        value is not None and (_is_response_call(value, helpers) or (isinstance(value, ast.Name) and value.id in made))
        for value in returns
    )


def _response_helpers(pf: PythonFile, func: FunctionNode, depth: int) -> frozenset[str]:
    """Return the names of the functions `func` calls, directly or through a thread-pool wrapper
    (`asyncify(render)(data)`, `run_in_threadpool(render, data)`), that return only Response objects: the module's
    top-level functions and those defined beside `func` in the function that builds the app (`def create_app():`
    holding both the route and its helper)."""
    if depth <= 0:
        return frozenset()
    called = {name for node in ast.walk(func) if isinstance(node, ast.Call) for name in _called_names(node)}
    scope = pf.parent(func)
    siblings = scope.body if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef) else []
    return frozenset(
        stmt.name
        for stmt in [*pf.tree.body, *siblings]
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
        and stmt.name in called
        and stmt is not func
        and returns_response_objects(stmt, pf, depth - 1)
    )


# Wrappers that run a blocking function in a worker thread and give back its result: `asyncify(f)(x)` (asyncer),
# `run_in_threadpool(f, x)` (Starlette), `run_sync(f, x)` (anyio.to_thread), `to_thread(f, x)` (asyncio).
THREAD_WRAPPERS = frozenset({"asyncify", "run_in_threadpool", "run_sync", "to_thread"})


def _called_names(call: ast.Call) -> Iterator[str]:
    """Yield the plain name a call runs: `render(x)`, or the function a thread-pool wrapper runs (`asyncify(render)(x)`,
    `run_in_threadpool(render, x)`)."""
    if isinstance(call.func, ast.Name):
        yield call.func.id
    wrapper = call.func if isinstance(call.func, ast.Call) else call
    name = wrapper.func.attr if isinstance(wrapper.func, ast.Attribute) else getattr(wrapper.func, "id", "")
    if name in THREAD_WRAPPERS and wrapper.args and isinstance(wrapper.args[0], ast.Name):
        yield wrapper.args[0].id


def _is_response_call(value: ast.expr, helpers: frozenset[str] = frozenset()) -> bool:
    if isinstance(value, ast.Await):
        value = value.value
    if not isinstance(value, ast.Call):
        return False
    callee = value.func.attr if isinstance(value.func, ast.Attribute) else getattr(value.func, "id", "")
    return isinstance(callee, str) and (
        callee.endswith("Response") or any(name in helpers for name in _called_names(value))
    )


def _module_files(project: Project) -> dict[str, str]:
    """Map dotted module names to repository paths (root and `src/` layouts)."""
    names: dict[str, str] = {}
    for path in project.python:
        parts = list(PurePosixPath(path).with_suffix("").parts)
        if parts and parts[0] == "src":
            parts = parts[1:]
        if parts and parts[-1] == "__init__":
            parts = parts[:-1]
        if parts:
            names[".".join(parts)] = path
    return names


def imported_files(project: Project, pf: PythonFile) -> list[PythonFile]:
    """Return the repository modules a module imports (absolute, relative and sibling imports)."""
    modules = _module_files(project)
    folder = posixpath.dirname(pf.path)
    found: list[str] = []
    for node in pf.nodes(ast.Import, ast.ImportFrom):
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        for target in _targets(node, folder):
            if target in modules:
                found.append(modules[target])
            sibling = posixpath.join(folder, target.replace(".", "/") + ".py")
            if sibling in project.python:
                found.append(sibling)
    return [project.python[p] for p in dict.fromkeys(found) if p != pf.path]


def _targets(node: ast.Import | ast.ImportFrom, folder: str) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        parts = [p for p in folder.split("/") if p and p != "src"]
        parts = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
        base = ".".join([*parts, *([base] if base else [])])
    yield base
    for alias in node.names:
        yield f"{base}.{alias.name}" if base else alias.name


def module_level_calls(pf: PythonFile) -> Iterator[ast.Call]:
    """Yield calls that run when the module is imported (not in functions, classes or a main guard)."""
    for stmt in pf.tree.body:
        if isinstance(stmt, ast.Assign | ast.AnnAssign | ast.Expr | ast.With):
            for node in ast.walk(stmt):
                if isinstance(node, ast.Call):
                    yield node


_PATH_TYPES = frozenset({"Path", "PurePath", "PosixPath", "PurePosixPath", "WindowsPath"})


def loads_model_file(call: ast.Call) -> bool:
    """Return True for a class or loader given a literal model file path (`Predictor("models/m.onnx")`)."""
    func = call.func
    callee = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if not callee or callee in _PATH_TYPES or not (callee[0].isupper() or "load" in callee.lower()):
        return False
    return any(
        isinstance(arg, ast.Constant) and isinstance(arg.value, str) and bool(_MODEL_FILE.search(arg.value))
        for arg in [*call.args, *(k.value for k in call.keywords)]
    )
