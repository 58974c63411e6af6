"""Provides the rules of the `production` practice: typed services, sane containers, CI."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from mlaudit.model import FileKind, Severity
from mlaudit.practices._ci import ci_files, ci_running_tests
from mlaudit.practices._service_facts import (
    deploy_recipes,
    guarded,
    has_error_handler,
    imported_files,
    loads_model_file,
    module_level_calls,
    reports_http_errors,
    returns_html,
    returns_response_objects,
)
from mlaudit.project import FunctionNode, Project, PythonFile
from mlaudit.readers import pyproject
from mlaudit.redact import redact
from mlaudit.registry import Hit, Output, Rule, applicability, register
from mlaudit.secrets import is_placeholder

SERVICE_MODULES = {
    "fastapi": "FastAPI",
    "flask": "Flask",
    "starlette": "Starlette",
    "bentoml": "BentoML",
    "litserve": "LitServe",
    "ray.serve": "Ray Serve",
    "aiohttp.web": "aiohttp",
    "django.http": "Django",
    "django.views": "Django",
    "rest_framework": "Django",
}
DEMO_MODULES = ("gradio", "streamlit")
SERVICE_KINDS = (FileKind.LIBRARY, FileKind.SCRIPT)
ROUTE_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "route", "api_route", "websocket"}
)
HEALTH_WORDS = re.compile(r"(?i)health|ready|live|ping|status|heartbeat")


@dataclass(frozen=True)
class Route:
    """A web route handler: its file, function, framework and path."""

    pf: PythonFile
    func: FunctionNode
    framework: str
    path: str | None
    decorator: ast.Call


def framework_of(pf: PythonFile) -> str | None:
    """Return the web framework a module imports (FastAPI, Flask, ...), if any."""
    for module in sorted(pf.imported_modules):
        for prefix, name in SERVICE_MODULES.items():
            if module == prefix or module.startswith(prefix + "."):
                return name
    if "ray" in pf.imported_modules and pf.imports.get("serve") == "ray.serve":
        return "Ray Serve"
    return None


def service_files(project: Project) -> tuple[tuple[PythonFile, str], ...]:
    """Return the modules that define a web service, with their framework."""
    found = [(pf, framework_of(pf)) for pf in project.python_of(*SERVICE_KINDS)]
    return tuple((pf, fw) for pf, fw in found if fw is not None)


def _services(project: Project) -> tuple[tuple[PythonFile, str], ...]:
    """Return the service modules the production rules judge: examples, tutorials and docs left out."""
    result: tuple[tuple[PythonFile, str], ...] = project.fact("production.services", service_files)
    return tuple((pf, fw) for pf, fw in result if not is_example(pf.path))


def _route_decorator(func: FunctionNode) -> ast.Call | None:
    for dec in func.decorator_list:
        if isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute) and dec.func.attr in ROUTE_METHODS:
            return dec
    return None


def _route_path(dec: ast.Call, pf: PythonFile | None = None) -> str | None:
    first = dec.args[0] if dec.args else next((k.value for k in dec.keywords if k.arg in {"path", "rule"}), None)
    if isinstance(first, ast.Name) and pf is not None:
        first = _module_constant(pf, first.id)
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def _module_constant(pf: PythonFile, name: str) -> ast.expr | None:
    """Return the value of a module-level `NAME = "..."` (route paths kept in constants)."""
    for stmt in pf.tree.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets):
            return stmt.value
    return None


def find_routes(project: Project) -> tuple[Route, ...]:
    """Return every route handler of every service module."""
    routes: list[Route] = []
    for pf, framework in _services(project):
        for func in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            dec = _route_decorator(func)
            if dec is not None:
                routes.append(Route(pf, func, framework, _route_path(dec, pf), dec))
    return tuple(routes)


def _routes(project: Project, framework: str | None = None) -> list[Route]:
    routes: tuple[Route, ...] = project.fact("production.routes", find_routes)
    return [r for r in routes if framework is None or r.framework == framework]


def console_scripts(project: Project) -> list[str]:
    """Return `name = target` for each [project.scripts] entry of pyproject.toml."""
    scripts = pyproject(project).get("project", {}).get("scripts", {})
    return [f"{name} = {target}" for name, target in scripts.items()] if isinstance(scripts, dict) else []


@applicability("production")
def production_applies(project: Project) -> str | None:
    """Return why the practice is n/a (no web service), or None when a service exists."""
    if _services(project):
        return None
    notes: list[str] = []
    examples = sorted(pf.path for pf, _ in project.fact("production.services", service_files))
    if examples:
        notes.append("web apps only in examples/docs: " + ", ".join(examples[:3]))
    scripts = console_scripts(project)
    if scripts:
        notes.append("console entry points: " + ", ".join(scripts))
    demos = sorted({m for pf in project.python.values() for m in DEMO_MODULES if m in pf.imported_modules})
    if demos:
        notes.append(f"{'/'.join(demos)} apps are demos, not services")
    return "no web service found" + (f" ({'; '.join(notes)})" if notes else "")


def _annotation_name(ann: ast.expr | None) -> str | None:
    base = ann.value if isinstance(ann, ast.Subscript) else ann
    if isinstance(base, ast.Attribute):
        return base.attr
    return base.id if isinstance(base, ast.Name) else None


def _params(func: FunctionNode) -> list[ast.arg]:
    args = func.args
    return [a for a in [*args.posonlyargs, *args.args, *args.kwonlyargs] if a.arg not in {"self", "cls"}]


def _parses_raw_json(pf: PythonFile, func: FunctionNode) -> bool:
    return any(
        isinstance(call.func, ast.Attribute)
        and call.func.attr in {"json", "body"}
        and isinstance(pf.parent(call), ast.Await)
        for call in pf.nodes(ast.Call)
        if pf.enclosing_function(call) is func
    )


def untyped_inputs(pf: PythonFile, func: FunctionNode) -> list[str]:
    """Return how a FastAPI handler takes untyped input (dict/Any/untyped params, raw JSON)."""
    problems: list[str] = []
    for arg in _params(func):
        name = _annotation_name(arg.annotation)
        if arg.annotation is None:
            problems.append(f"untyped parameter `{arg.arg}`")
        elif name in {"dict", "Dict", "Any"}:
            problems.append(f"`{arg.arg}: {ast.unparse(arg.annotation)}`")
    if _parses_raw_json(pf, func):
        problems.append("`await request.json()`")
    return problems


@register
class UntypedRequestBody(Rule):
    """Flags FastAPI endpoints that take `dict`, `Any`, untyped parameters or parse raw JSON.

    ## What it does
    Checks each FastAPI route handler's parameters for `dict`/`Any` annotations, missing
    annotations, and `Request` bodies parsed with `await request.json()`.

    ## Why is this bad?
    Without a pydantic model FastAPI cannot validate the payload or document it in OpenAPI:
    malformed requests reach the model and fail with 500s (or silently wrong predictions).

    ## Example
    ```python
    @app.post("/predict")
    async def predict(payload: dict):
        return model.predict(payload["features"])
    ```

    ## Use instead
    ```python
    class PredictRequest(BaseModel):
        features: list[float]

    @app.post("/predict", response_model=PredictResponse)
    def predict(body: PredictRequest) -> PredictResponse: ...
    ```
    """

    code = "SRV001"
    restates = "typed_requests"
    title = "Untyped request body"
    practice = "production"
    severity = Severity.WARNING
    fix = "Declare the body as a pydantic BaseModel parameter so FastAPI validates and documents it."

    def check(self, project: Project) -> Iterator[Output]:
        for route in _routes(project, "FastAPI"):
            problems = untyped_inputs(route.pf, route.func)
            if problems:
                yield Hit(route.pf.path, route.func.lineno, f"endpoint {route.func.name}() takes {', '.join(problems)}")


def _typed_return(returns: ast.expr | None) -> bool:
    """Return True for a return annotation other than bare `dict`/`Any` (dict[str, str] is typed)."""
    if returns is None:
        return False
    return isinstance(returns, ast.Subscript) or _annotation_name(returns) not in {"dict", "Dict", "Any"}


@register
class UntypedResponse(Rule):
    """Flags FastAPI endpoints with neither `response_model=` nor a typed return annotation.

    ## What it does
    Checks each FastAPI route for a `response_model=` argument or a return annotation other
    than `dict`/`Any`.

    ## Why is this bad?
    The response shape is undocumented and unchecked: a renamed key breaks every client
    without a single failing test.

    ## Example
    ```python
    @app.post("/predict")
    def predict(body: PredictRequest):
        return {"score": score}
    ```

    ## Use instead
    ```python
    @app.post("/predict")
    def predict(body: PredictRequest) -> PredictResponse:
        return PredictResponse(score=score)
    ```
    """

    code = "SRV002"
    restates = "typed_responses"
    title = "Untyped response"
    practice = "production"
    severity = Severity.WARNING
    fix = "Return a pydantic model and annotate it (-> PredictResponse) or pass response_model=."
    weight = 3
    cap = 10

    def check(self, project: Project) -> Iterator[Output]:
        for route in _routes(project, "FastAPI"):
            keywords = {k.arg for k in route.decorator.keywords}
            if keywords & {"response_model", "response_class"} or _typed_return(route.func.returns):
                continue
            if returns_response_objects(route.func) and not returns_html(route.func):
                continue
            if returns_html(route.func):
                message = f"endpoint {route.func.name}() returns HTML without response_class=HTMLResponse"
                fix = "Declare response_class=HTMLResponse on the route (an HTML page needs no response model)."
                yield Hit(route.pf.path, route.func.lineno, message, fix=fix)
                continue
            yield Hit(route.pf.path, route.func.lineno, f"endpoint {route.func.name}() has no response model")


@register
class AssertInHandler(Rule):
    """Flags `assert` used to validate requests inside route handlers.

    ## What it does
    Finds `assert` statements in web route handlers.

    ## Why is this bad?
    Asserts vanish under `python -O`, and when they fire the client gets a 500 instead of a
    400 with a useful message.

    ## Example
    ```python
    assert len(body.texts) <= 64
    ```

    ## Use instead
    ```python
    if len(body.texts) > 64:
        raise HTTPException(status_code=413, detail="batch too large")
    ```
    """

    code = "SRV003"
    title = "assert used for request validation"
    practice = "production"
    severity = Severity.WARNING
    fix = "Validate with the request model (Field constraints) or raise HTTPException(400/422)."

    def check(self, project: Project) -> Iterator[Output]:
        for route in _routes(project):
            for node in route.pf.nodes(ast.Assert):
                if route.pf.enclosing_function(node) is route.func:
                    shown = ast.unparse(node.test)[:50]
                    yield Hit(route.pf.path, node.lineno, f"assert {shown} in handler {route.func.name}()")


@register
class DeprecatedOnEvent(Rule):
    """Flags FastAPI `@app.on_event("startup"/"shutdown")` handlers.

    ## What it does
    Finds decorators `@<app>.on_event(...)` in FastAPI modules.

    ## Why is this bad?
    `on_event` is deprecated; startup and shutdown logic split over two functions cannot
    share state safely, and a lifespan handler is what tests and newer versions expect.

    ## Example
    ```python
    @app.on_event("startup")
    def load_model(): ...
    ```

    ## Use instead
    ```python
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.model = load_model()
        yield

    app = FastAPI(lifespan=lifespan)
    ```
    """

    code = "SRV004"
    title = "Deprecated on_event handler"
    practice = "production"
    severity = Severity.WARNING
    fix = "Move startup/shutdown code into a lifespan context manager: FastAPI(lifespan=lifespan)."
    weight = 3
    cap = 8

    def check(self, project: Project) -> Iterator[Output]:
        for pf, framework in _services(project):
            if framework != "FastAPI":
                continue
            for func in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
                for dec in getattr(func, "decorator_list", []):
                    if (
                        isinstance(dec, ast.Call)
                        and isinstance(dec.func, ast.Attribute)
                        and dec.func.attr == "on_event"
                    ):
                        event = ast.unparse(dec.args[0]) if dec.args else ""
                        yield Hit(
                            pf.path, dec.lineno, f"@{ast.unparse(dec.func)}({event}) on {getattr(func, 'name', '?')}()"
                        )


LOADERS = frozenset(
    {
        "torch.load",
        "joblib.load",
        "pickle.load",
        "pickle.loads",
        "dill.load",
        "cloudpickle.load",
        "transformers.pipeline",
        "tensorflow.keras.models.load_model",
        "keras.models.load_model",
        "onnxruntime.InferenceSession",
        "sentence_transformers.SentenceTransformer",
        "mlflow.pyfunc.load_model",
        "numpy.load",
    }
)
LOADER_METHODS = frozenset({"from_pretrained", "load_model", "load_from_checkpoint"})


def _loader_name(pf: PythonFile, call: ast.Call) -> str | None:
    name = pf.call_name(call)
    if name in LOADERS or (name or "").endswith(".load_model"):
        return name
    if isinstance(call.func, ast.Attribute) and call.func.attr in LOADER_METHODS:
        return ast.unparse(call.func)[:50]
    return None


def calls_in(route: Route) -> Iterator[ast.Call]:
    """Yield the calls made directly in a handler's body (not in nested functions)."""
    for call in route.pf.nodes(ast.Call):
        inside = route.func.lineno <= call.lineno <= (route.func.end_lineno or call.lineno)
        if inside and route.pf.enclosing_function(call) is route.func:
            yield call


@register
class ModelLoadedPerRequest(Rule):
    """Flags models loaded inside a request handler, on every request.

    ## What it does
    Finds `torch.load`, `joblib.load`, `pickle.load`, `from_pretrained`, `pipeline(...)`,
    `load_model` and similar calls inside route handlers.

    ## Why is this bad?
    Loading weights takes hundreds of milliseconds to minutes and a lot of memory; doing it per
    request multiplies latency and memory under load and can exhaust the worker.

    ## Example
    ```python
    @app.post("/predict")
    def predict(body: Req):
        model = joblib.load("model.joblib")
        return model.predict(body.x)
    ```

    ## Use instead
    ```python
    @asynccontextmanager
    async def lifespan(app):
        app.state.model = joblib.load("model.joblib")
        yield
    ```
    """

    code = "SRV005"
    scoring = "flat"
    title = "Model loaded per request"
    practice = "production"
    severity = Severity.ERROR
    fix = "Load the model once at startup (lifespan / app factory) and reuse it from app state."

    def check(self, project: Project) -> Iterator[Output]:
        for route in _routes(project):
            for call in calls_in(route):
                loader = _loader_name(route.pf, call)
                if loader is not None:
                    yield Hit(route.pf.path, call.lineno, f"{loader}() called inside handler {route.func.name}()")


INFERENCE_METHODS = frozenset({"predict", "predict_proba", "generate", "decision_function"})
MODEL_METHODS = frozenset({"encode", "embed", "embed_documents", "embed_query", "recommend", "transform", "forward"})
MODEL_NAME = re.compile(
    r"(?i)model|encoder|embedder|pipe(?:line)?|clf|classifier|regressor|estimator|predictor|llm|generator|recommender"
    r"|^net$|booster|session"
)
OFFLOADERS = frozenset({"run_in_threadpool", "to_thread", "run_in_executor", "run_sync"})


def _receiver_name(node: ast.expr) -> str:
    if isinstance(node, ast.Subscript):
        key = node.slice
        return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else _receiver_name(node.value)
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _receiver_name(node.func)
    return node.id if isinstance(node, ast.Name) else ""


def blocking_inference(call: ast.Call) -> str | None:
    """Return a description of a CPU-bound model call (`model.predict(...)`), or None."""
    func = call.func
    if isinstance(func, ast.Attribute):
        receiver = _receiver_name(func.value)
        if func.attr in INFERENCE_METHODS or (func.attr in MODEL_METHODS and MODEL_NAME.search(receiver)):
            return f"{ast.unparse(func)[:50]}(...)"
        return None
    if isinstance(func, ast.Name) and MODEL_NAME.search(func.id) and func.id[:1].islower():
        return f"{func.id}(...)"
    return None


def _offloaded(pf: PythonFile, call: ast.Call) -> bool:
    for anc in pf.ancestors(call):
        if isinstance(anc, ast.Await | ast.stmt):
            return isinstance(anc, ast.Await) and anc.value is not call
        if isinstance(anc, ast.Call) and _receiver_name(anc.func) in OFFLOADERS:
            return True
    return False


@register
class BlockingInferenceInAsyncHandler(Rule):
    """Flags CPU-bound model calls made directly inside `async def` handlers.

    ## What it does
    Finds `model.predict(...)`, `model(...)`, `.generate(...)`, `encoder.encode(...)` and
    similar calls in `async def` route handlers that are not offloaded to a thread.

    ## Why is this bad?
    An async handler runs on the event loop: a 200 ms forward pass blocks every other
    request, health checks included, for those 200 ms.

    ## Example
    ```python
    @app.post("/predict")
    async def predict(body: Req) -> Resp:
        return Resp(score=model.predict(body.x))
    ```

    ## Use instead
    ```python
    @app.post("/predict")
    def predict(body: Req) -> Resp:  # FastAPI runs sync handlers in a threadpool
        return Resp(score=model.predict(body.x))
    ```
    """

    code = "SRV006"
    title = "Blocking inference in async handler"
    practice = "production"
    severity = Severity.WARNING
    fix = "Make the handler a plain def, or await run_in_threadpool(model.predict, x)."

    def check(self, project: Project) -> Iterator[Output]:
        for route in _routes(project):
            if not isinstance(route.func, ast.AsyncFunctionDef):
                continue
            for call in calls_in(route):
                what = blocking_inference(call)
                if what is not None and not _offloaded(route.pf, call):
                    message = f"blocking {what} in async def {route.func.name}()"
                    yield Hit(route.pf.path, call.lineno, message)


@register
class NoHealthEndpoint(Rule):
    """Flags a web service without a health or readiness endpoint.

    ## What it does
    Looks for a route whose path mentions health, ready, live, ping or status
    (`/health`, `/healthz`, `/readyz`, `/livez`...) in the FastAPI/Flask services.

    ## Why is this bad?
    Load balancers and Kubernetes cannot tell a pod that is still loading the model from one
    that is ready, so traffic hits cold or broken workers.

    ## Example
    ```python
    @app.post("/predict")
    def predict(body: Req) -> Resp: ...
    ```

    ## Use instead
    ```python
    @app.get("/health")
    def health() -> Health:
        return Health(status="ok", model_loaded=app.state.model is not None)
    ```
    """

    code = "SRV007"
    restates = "health_endpoint"
    title = "No health endpoint"
    practice = "production"
    severity = Severity.WARNING
    fix = "Add GET /health (and /ready if the model loads slowly) returning the model's load state."

    def check(self, project: Project) -> Iterator[Output]:
        routes = _routes(project)
        paths = [r.path for r in routes if r.path is not None]
        if not paths or any(HEALTH_WORDS.search(p) for p in paths):
            return
        first = routes[0]
        shown = ", ".join(sorted(set(paths))[:4])
        yield Hit(first.pf.path, None, f"service routes ({shown}) include no health endpoint")


VALIDATORS = re.compile(r"(?i)validat|parse_obj|parse_raw|schema\w*\.loads?$")


def _validates(route: Route) -> bool:
    for call in calls_in(route):
        name = route.pf.call_name(call) or ast.unparse(call.func)
        if VALIDATORS.search(name) or name.startswith(("jsonschema", "marshmallow", "pydantic")):
            return True
        if isinstance(call.func, ast.Name) and call.func.id[:1].isupper() and any(k.arg is None for k in call.keywords):
            return True
    return False


def _json_reads(route: Route) -> list[int]:
    return [
        node.lineno
        for node in route.pf.nodes(ast.Attribute)
        if node.attr in {"json", "get_json"}
        and isinstance(node.value, ast.Name)
        and node.value.id == "request"
        and route.pf.enclosing_function(node) is route.func
    ]


@register
class UnvalidatedFlaskJson(Rule):
    """Flags Flask handlers that use `request.json` / `request.get_json()` without validation.

    ## What it does
    Finds Flask route handlers reading the JSON body with no pydantic, marshmallow or
    jsonschema validation in the same handler.

    ## Why is this bad?
    A missing key or a string where a number was expected becomes a KeyError/500 or, worse,
    a silently wrong prediction.

    ## Example
    ```python
    data = request.json
    x = [[data["tenure"], data["charges"]]]
    ```

    ## Use instead
    ```python
    req = PredictRequest.model_validate(request.get_json())
    x = [[req.tenure, req.charges]]
    ```
    """

    code = "SRV008"
    title = "Unvalidated Flask request JSON"
    practice = "production"
    severity = Severity.WARNING
    fix = "Validate the body with a pydantic model (Model.model_validate(request.get_json())) or a marshmallow schema."

    def check(self, project: Project) -> Iterator[Output]:
        for route in _routes(project, "Flask"):
            lines = _json_reads(route)
            if lines and not _validates(route):
                yield Hit(route.pf.path, lines[0], f"handler {route.func.name}() uses request.json without validation")


@register
class FlaskDebugServer(Rule):
    """Flags `app.run(debug=True)`.

    ## What it does
    Finds `.run(..., debug=True)` calls in Flask modules.

    ## Why is this bad?
    The Werkzeug debugger lets anyone who can trigger an error run Python on the server,
    and the dev server is single-process and not meant for traffic.

    ## Example
    ```python
    app.run(host="0.0.0.0", debug=True)
    ```

    ## Use instead
    ```text
    gunicorn -w 4 -b 0.0.0.0:5000 app:app
    ```
    """

    code = "SRV009"
    scoring = "flat"
    title = "Flask debug server"
    practice = "production"
    severity = Severity.CRITICAL
    fix = "Remove debug=True (use FLASK_DEBUG locally) and serve with gunicorn/uvicorn."

    def check(self, project: Project) -> Iterator[Output]:
        for pf, framework in _services(project):
            if framework != "Flask":
                continue
            apps = set() if _served_by_wsgi_server(project) else _flask_apps(pf)
            for call in pf.nodes(ast.Call):
                if _is_debug_run(call):
                    yield Hit(
                        pf.path, call.lineno, f"{ast.unparse(call.func)}(debug=True) starts the Werkzeug debugger"
                    )
                elif _is_app_run(call, apps) and not is_example(pf.path):
                    message = f"{ast.unparse(call.func)}() serves the API with Flask's development server"
                    fix = "Serve with a production WSGI server (gunicorn 'module:app' or waitress-serve)."
                    yield Hit(pf.path, call.lineno, message, Severity.WARNING, fix=fix)


WSGI_SERVERS = re.compile(r"\b(?:gunicorn|waitress-serve|waitress|uwsgi|hypercorn|uvicorn|mod_wsgi)\b")


def _served_by_wsgi_server(project: Project) -> bool:
    """Return True when a Dockerfile, Procfile, compose file or script starts a production server."""
    return any(WSGI_SERVERS.search(project.texts[path]) for path in _launch_files(project))


def _flask_apps(pf: PythonFile) -> set[str]:
    """Return the names bound to `Flask(...)` in a module."""
    names: set[str] = set()
    for assign in pf.nodes(ast.Assign):
        if isinstance(assign.value, ast.Call) and pf.call_name(assign.value) == "flask.Flask":
            names.update(t.id for t in assign.targets if isinstance(t, ast.Name))
    return names


def _is_app_run(call: ast.Call, apps: set[str]) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "run"
        and isinstance(func.value, ast.Name)
        and func.value.id in apps
    )


def _is_debug_run(call: ast.Call) -> bool:
    """Return True for `<app>.run(..., debug=True)`."""
    func = call.func
    debug = next((k.value for k in call.keywords if k.arg == "debug"), None)
    is_run = isinstance(func, ast.Attribute) and func.attr == "run"
    return is_run and isinstance(debug, ast.Constant) and debug.value is True


@dataclass(frozen=True)
class Instruction:
    """One Dockerfile instruction, continuation lines joined."""

    line: int
    keyword: str
    args: str


def is_dockerfile(path: str) -> bool:
    """Return True for Dockerfile, Dockerfile.gpu, app.dockerfile and the like."""
    name = PurePosixPath(path).name
    return name == "Dockerfile" or name.startswith("Dockerfile.") or name.lower().endswith(".dockerfile")


def parse_dockerfile(text: str) -> list[Instruction]:
    """Split a Dockerfile into instructions (comments dropped, `\\` continuations joined)."""
    found: list[Instruction] = []
    buffer: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not buffer and (not line or line.startswith("#")):
            continue
        if not buffer:
            start = number
        buffer.append(line.rstrip("\\").strip())
        if not line.endswith("\\"):
            keyword, _, args = " ".join(buffer).partition(" ")
            found.append(Instruction(start, keyword.upper(), args.strip()))
            buffer = []
    return found


def _dockerfiles(project: Project) -> Iterator[tuple[str, list[Instruction]]]:
    for path in sorted(project.texts):
        if is_dockerfile(path):
            yield path, parse_dockerfile(project.texts[path])


def unpinned_image(args: str, stages: set[str]) -> str | None:
    """Return the image of a FROM line when it is unpinned (`:latest` or no tag), else None."""
    tokens = [t for t in args.split() if not t.startswith("--")]
    image = tokens[0] if tokens else ""
    if not image or _not_pullable(image, stages):
        return None
    last = image.rsplit("/", 1)[-1]
    tag = last.split(":", 1)[1] if ":" in last else None
    return image if tag in {None, "latest"} else None


def _not_pullable(image: str, stages: set[str]) -> bool:
    """Return True for build stages, scratch, variables and digests (nothing to pin)."""
    return image.lower() in stages or image == "scratch" or "$" in image or "@sha256:" in image


@register
class UnpinnedBaseImage(Rule):
    """Flags Dockerfile base images without a version tag or with `:latest`.

    ## What it does
    Reads each `FROM` line; a digest or a version tag counts as pinned, build-stage names
    and `scratch` are ignored.

    ## Why is this bad?
    `python:latest` moves: the same Dockerfile builds a different Python (and CUDA, glibc)
    next month, breaking wheels and changing numerics without any code change.

    ## Example
    ```dockerfile
    FROM python:latest
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.11.9-slim
    ```
    """

    code = "SRV020"
    title = "Unpinned base image"
    practice = "production"
    severity = Severity.WARNING
    fix = "Pin the base image to a full version tag (python:3.11.9-slim) or a digest."

    def check(self, project: Project) -> Iterator[Output]:
        for path, instructions in _dockerfiles(project):
            stages: set[str] = set()
            for ins in instructions:
                if ins.keyword != "FROM":
                    continue
                image = unpinned_image(ins.args, stages)
                if image is not None:
                    yield Hit(path, ins.line, f"base image {image} is not pinned to a version")
                parts = ins.args.split()
                if len(parts) >= 3 and parts[-2].upper() == "AS":
                    stages.add(parts[-1].lower())


@register
class ContainerRunsAsRoot(Rule):
    """Flags Dockerfiles whose final stage never switches to a non-root `USER`.

    ## What it does
    Checks the last `USER` instruction of the final build stage.

    ## Why is this bad?
    A compromised service (say, through a pickle or a parser bug) runs as root inside the
    container, which makes escaping or tampering with mounted volumes much easier.

    ## Example
    ```dockerfile
    FROM python:3.11.9-slim
    CMD ["uvicorn", "app:app"]
    ```

    ## Use instead
    ```dockerfile
    RUN useradd --system app
    USER app
    CMD ["uvicorn", "app:app"]
    ```
    """

    code = "SRV021"
    title = "Container runs as root"
    practice = "production"
    severity = Severity.INFO
    fix = "Create an unprivileged user and add `USER app` before CMD."

    def check(self, project: Project) -> Iterator[Output]:
        for path, instructions in _dockerfiles(project):
            starts = [i for i, ins in enumerate(instructions) if ins.keyword == "FROM"]
            final = instructions[starts[-1] :] if starts else instructions
            users = [ins.args.split(":", 1)[0] for ins in final if ins.keyword == "USER"]
            if not users or users[-1] in {"root", "0"}:
                yield Hit(path, None, f"{path} runs as root (no non-root USER in the final stage)")


DOCKER_SECRET_NAME = re.compile(
    r"(?i)(?:^|_)(?:api_?key|key|token|secret|secret_key|password|passwd|pass|credentials?|auth)(?:$|_)"
)
NOT_SECRET_VALUES = frozenset({"true", "false", "yes", "no", "on", "off", "none", "null"})
DOCKER_NOT_SECRET = re.compile(r"(?i)_(?:path|file|dir|url|name|id)$|^path$|keyring")


def env_pairs(args: str) -> list[tuple[str, str]]:
    """Return the (name, value) pairs of an ENV or ARG instruction (both syntaxes)."""
    if "=" not in args.split(" ", 1)[0]:
        name, _, value = args.partition(" ")
        return [(name, value.strip().strip("\"'"))] if name else []
    pairs = re.findall(r"([\w.\-]+)=(\"[^\"]*\"|'[^']*'|\S*)", args)
    return [(name, value.strip("\"'")) for name, value in pairs]


@register
class SecretInDockerfile(Rule):
    """Flags secrets baked into a Dockerfile with `ENV` or `ARG`.

    ## What it does
    Finds `ENV`/`ARG` variables named like *KEY*, *TOKEN*, *SECRET*, *PASSWORD* that are given
    a literal value (not empty, not `$VAR`, not a placeholder).

    ## Why is this bad?
    ENV values are stored in the image config and ARG values in its history: anyone who can
    pull the image can read them with `docker history` / `docker inspect`.

    ## Example
    ```dockerfile
    ENV OPENAI_API_KEY=sk-proj-...
    ```

    ## Use instead
    ```dockerfile
    RUN --mount=type=secret,id=openai_key ...  # build time; pass runtime secrets with -e / a secret store
    ```
    """

    code = "SRV022"
    scoring = "flat"
    title = "Secret in Dockerfile ENV/ARG"
    practice = "production"
    severity = Severity.CRITICAL
    fix = (
        "Remove the value; pass secrets at runtime (docker run -e, orchestrator secrets) or via BuildKit secret mounts."
    )

    def check(self, project: Project) -> Iterator[Output]:
        for path, instructions in _dockerfiles(project):
            for ins in instructions:
                if ins.keyword not in {"ENV", "ARG"}:
                    continue
                for name, value in env_pairs(ins.args):
                    if _is_baked_secret(name, value):
                        yield Hit(path, ins.line, f"{ins.keyword} {name}={redact(value)} bakes a secret into the image")


def _is_baked_secret(name: str, value: str) -> bool:
    if not DOCKER_SECRET_NAME.search(name) or DOCKER_NOT_SECRET.search(name):
        return False
    if not value or value.startswith("$") or value.lower() in NOT_SECRET_VALUES or value.isdigit():
        return False
    return not is_placeholder(value)


JUPYTER_OPEN = re.compile(
    r"jupyter.*--(?:NotebookApp|ServerApp|IdentityProvider)\.(?:token|password)\s*=\s*(?:''|\"\"|\s|$|\\)"
)


def _launch_files(project: Project) -> Iterator[str]:
    for path in sorted(project.texts):
        name = PurePosixPath(path).name.lower()
        if (
            is_dockerfile(path)
            or name.startswith(("docker-compose", "compose."))
            or name.endswith(".sh")
            or name in {"makefile", "procfile", "entrypoint"}
        ):
            yield path


@register
class JupyterWithoutAuth(Rule):
    """Flags Jupyter servers started with an empty token or password.

    ## What it does
    Scans Dockerfiles, docker-compose files, shell scripts and Makefiles for `jupyter`
    commands passing `--NotebookApp.token=''` / `--ServerApp.token=''` (or an empty password).

    ## Why is this bad?
    A Jupyter server is a remote shell: without a token anyone who reaches the port
    (a published container port, a cloud VM) runs code as the container user.

    ## Example
    ```dockerfile
    CMD jupyter lab --ip=0.0.0.0 --ServerApp.token=''
    ```

    ## Use instead
    ```dockerfile
    CMD jupyter lab --ip=127.0.0.1   # default random token; reach it through an SSH tunnel
    ```
    """

    code = "SRV023"
    scoring = "flat"
    title = "Jupyter server without authentication"
    practice = "production"
    severity = Severity.ERROR
    fix = "Keep Jupyter's token (the default) or a password, and bind to 127.0.0.1 behind an SSH tunnel."

    def check(self, project: Project) -> Iterator[Output]:
        for path in _launch_files(project):
            for number, line in enumerate(project.texts[path].splitlines(), start=1):
                if JUPYTER_OPEN.search(line):
                    yield Hit(path, number, "Jupyter started with an empty token/password")


@register
class NoCiTests(Rule):
    """Notes a service without a CI workflow that runs the tests.

    ## What it does
    Looks for a CI configuration (GitHub Actions, GitLab CI, CircleCI, Azure, Jenkins)
    that runs pytest/unittest/tox/nox. The testing practice owns the main check; this is a
    reminder for services.

    ## Why is this bad?
    A service deployed from a branch nobody tested breaks in production first.

    ## Example
    ```text
    .github/workflows/  (missing)
    ```

    ## Use instead
    ```yaml
    - run: uv run pytest
    ```
    """

    code = "SRV030"
    title = "Service without CI tests"
    practice = "production"
    severity = Severity.INFO
    fix = "Add a CI workflow that installs the package and runs the tests on every push."

    def check(self, project: Project) -> Iterator[Output]:
        ci = ci_files(project)
        if ci_running_tests(project):
            return
        reason = "CI configured but no step runs the tests" if ci else "no CI workflow found"
        yield Hit(None, None, f"service without CI tests: {reason}")


EXAMPLE_PARTS = frozenset({"examples", "example", "docs", "doc", "tutorials", "tutorial", "demo", "demos"})


def is_example(path: str) -> bool:
    """Return True for files in example, tutorial and documentation folders."""
    return any(part.lower() in EXAMPLE_PARTS for part in PurePosixPath(path).parts[:-1])


def _real_services(project: Project) -> list[tuple[PythonFile, str]]:
    return [(pf, fw) for pf, fw in _services(project) if _routes_in(project, pf)]


def _routes_in(project: Project, pf: PythonFile) -> list[Route]:
    return [r for r in _routes(project) if r.pf is pf]


@register
class NoDeployRecipe(Rule):
    """Flags a web service with no Dockerfile or other deployment recipe.

    ## What it does
    Looks for a Dockerfile, a compose file, Kubernetes manifests or a platform file
    (Procfile, serverless.yml, app.yaml, fly.toml, bentofile.yaml, ...) in a repository that
    defines a web service (examples and docs excluded).

    ## Why is this bad?
    Without a recipe the service runs however the last person started it: an unpinned
    interpreter, a bare `uvicorn` command, no resource limits; nobody can rebuild it.

    ## Example
    ```text
    api.py        # FastAPI app
    start.sh      # uvicorn api:app
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.11.9-slim
    COPY . /app
    RUN pip install --no-cache-dir -r /app/requirements.txt
    CMD ["uvicorn", "api:app", "--host", "0.0.0.0"]
    ```
    """

    code = "SRV010"
    restates = "deploy_recipe"
    title = "Service without a deployment recipe"
    practice = "production"
    severity = Severity.WARNING
    fix = "Add a Dockerfile (pinned base image, non-root USER) or the platform manifest you deploy with."
    weight = 10
    cap = 10

    def check(self, project: Project) -> Iterator[Output]:
        services = _real_services(project)
        if not services or deploy_recipes(project):
            return
        shown = ", ".join(f"{pf.path} ({fw})" for pf, fw in services[:3])
        yield Hit(None, None, f"web service {shown} has no Dockerfile or other deployment recipe")


@register
class UnhandledInferenceError(Rule):
    """Flags route handlers that call the model with no error handling.

    ## What it does
    Finds model calls (`model.predict(...)`, `pipeline(...)`) in a route handler that are not
    inside `try:`, in a handler that raises no HTTP error itself and a module that registers
    no exception handler.

    ## Why is this bad?
    A malformed input or an out-of-memory error becomes a bare 500 with a stack trace (and
    sometimes internals) in the response, and nothing says which input broke the model.

    ## Example
    ```python
    @app.post("/predict")
    def predict(req: PredictRequest) -> PredictResponse:
        return PredictResponse(label=model.predict(req.text))
    ```

    ## Use instead
    ```python
    @app.post("/predict")
    def predict(req: PredictRequest) -> PredictResponse:
        try:
            label = model.predict(req.text)
        except ValueError as err:
            raise HTTPException(status_code=422, detail=str(err)) from err
        return PredictResponse(label=label)
    ```
    """

    code = "SRV011"
    restates = "error_handling"
    title = "Inference without error handling"
    practice = "production"
    severity = Severity.WARNING
    fix = "Wrap the model call in try/except and return a 4xx/5xx with a clear message (or register an exception handler)."
    weight = 5
    cap = 10

    def check(self, project: Project) -> Iterator[Output]:
        for pf, _ in _real_services(project):
            if has_error_handler(pf):
                continue
            for route in _routes_in(project, pf):
                if reports_http_errors(route.func):
                    continue
                call = next(
                    (c for c in calls_in(route) if blocking_inference(c) and not guarded(pf, c, route.func)), None
                )
                if call is not None:
                    message = f"{route.func.name}() calls {blocking_inference(call)} with no error handling"
                    yield Hit(pf.path, call.lineno, message)


@register
class ModelLoadedAtImport(Rule):
    """Flags a model loaded at import time of a service module (or a module it imports).

    ## What it does
    Finds module-level statements of a web service module, and of the repository modules it
    imports, that load a model: `torch.load`, `from_pretrained`, `InferenceSession`, a call
    given a model file path, or a project class whose `__init__` does one of those.

    ## Why is this bad?
    Importing the app (tests, a worker, `uvicorn --reload`, a CLI) loads gigabytes and may
    download weights; a missing file crashes the import instead of failing a readiness check,
    and tests cannot swap the model.

    ## Example
    ```python
    model = SentimentModel("weights/model.bin")   # runs on `import api`
    ```

    ## Use instead
    ```python
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.model = SentimentModel("weights/model.bin")
        yield

    app = FastAPI(lifespan=lifespan)   # or: @lru_cache def get_model() + Depends(get_model)
    ```
    """

    code = "SRV012"
    title = "Model loaded at import time"
    practice = "production"
    severity = Severity.WARNING
    fix = "Load the model in a lifespan handler (FastAPI) / app factory, or a cached dependency (@lru_cache get_model)."
    weight = 5
    cap = 10

    def check(self, project: Project) -> Iterator[Output]:
        seen: set[tuple[str, int]] = set()
        for service, _ in _real_services(project):
            for pf in [service, *imported_files(project, service)]:
                classes = _loading_classes(project, pf)
                for call in module_level_calls(pf):
                    what = _load_description(pf, call, classes)
                    if what is None or (pf.path, call.lineno) in seen:
                        continue
                    seen.add((pf.path, call.lineno))
                    where = "" if pf is service else f" (imported by the service {service.path})"
                    yield Hit(pf.path, call.lineno, f"{what} loads a model when {pf.path} is imported{where}")


def _load_description(pf: PythonFile, call: ast.Call, classes: set[str]) -> str | None:
    loader = _loader_name(pf, call)
    if loader is not None:
        return f"{loader}()"
    callee = ast.unparse(call.func)
    last = callee.rsplit(".", 1)[-1]
    if last in classes or ("load" in last.lower() and loads_model_file(call)):
        return f"{callee}()"
    return None


def _loading_classes(project: Project, pf: PythonFile) -> set[str]:
    """Return the names of classes (defined here or imported from the repo) whose __init__ loads a model."""
    names: set[str] = set()
    for module in [pf, *imported_files(project, pf)]:
        for cls in module.nodes(ast.ClassDef):
            init = next((b for b in cls.body if isinstance(b, ast.FunctionDef) and b.name == "__init__"), None)
            if init is not None and any(
                isinstance(n, ast.Call) and (_loader_name(module, n) or loads_model_file(n)) for n in ast.walk(init)
            ):
                names.add(cls.name)
    return names
