"""Provides the capabilities of the `production` practice: a typed, observable service that loads its model once."""

from __future__ import annotations

import ast
import re
from collections import Counter

from mlaudit.capabilities import Assessment, Capability, register_capability
from mlaudit.capabilities._common import import_graph, nearest_first, reached_from, share_text
from mlaudit.facts.callgraph import import_targets, reached_definitions
from mlaudit.facts.randomness import MAIN_BLOCK, Node
from mlaudit.facts.reexported_names import resolve_call
from mlaudit.facts.service_facts import deploy_recipes, returns_html, returns_response_objects
from mlaudit.facts.test_suite import suite_of
from mlaudit.model import FileKind
from mlaudit.project import FunctionNode, Project, PythonFile
from mlaudit.rules.production._shared import (
    LOADERS,
    MODEL_NAME,
    REQUEST_HANDED,
    SCHEMA_MODEL,
    Route,
    Schema,
    _loader_name,
    _params,
    _receiver_name,
    _services,
    caller_built_app,
    calls_in,
    find_routes,
    hidden_from_schema,
    is_health_route,
    is_model_management_route,
    loads_state_not_model,
    local_tool,
    reads_django_request,
    reads_handed_request,
    reads_request,
    rejects_bad_input,
    returns_no_body,
    route_schema,
    untyped_inputs,
    validates_input,
    validates_with_serializer,
)
from mlaudit.rules.security._shared import keyword as kw_value

NO_SERVICE = "No web service (no FastAPI/Flask/... route) to judge"
DEPLOY_DIRS = ("k8s/", "kubernetes/", "helm/", "deploy/", "charts/")
EXTRA_LOADERS = frozenset({"torch.hub.load", "torch.jit.load", "tensorflow.saved_model.load", "ultralytics.YOLO"})
ERROR_NAMES = frozenset(
    {"HTTPException", "abort", "exception_handler", "add_exception_handler", "errorhandler", "JSONResponse"}
) | frozenset(  # Django's and DRF's: exceptions the framework answers with their status, and error responses
    {"Http404", "get_object_or_404", "APIException", "ParseError", "NotFound", "PermissionDenied"}
    | {"HttpResponseBadRequest", "HttpResponseNotFound", "HttpResponseServerError"}
)
CLIENT_NAMES = frozenset({"TestClient", "test_client", "AsyncClient"})


def routes_of(project: Project) -> tuple[Route, ...]:
    """Return the routes of the project's services (shared with the production rules)."""
    routes: tuple[Route, ...] = project.fact("production.routes", find_routes)
    return routes


def _handlers(project: Project) -> list[Route]:
    return [r for r in routes_of(project) if not is_health_route(r)]


@register_capability
class TypedRequests(Capability):
    """Request handlers take typed inputs (pydantic models or annotated parameters), not raw dicts or JSON.
    A framework without typed parameters (Flask) earns it with a schema (marshmallow, pydantic, jsonschema),
    and half with checks by hand that answer a client error (`return {"error": ...}, 400`). Handlers that take
    no input (no parameter, no read of Flask's `request`: pages of a dashboard) have nothing to type."""

    key = "typed_requests"
    practice = "production"
    title = "Typed requests"
    points = 25

    def assess(self, project: Project) -> Assessment:
        routes = [r for r in _handlers(project) if _takes_input(r)]
        if not routes_of(project):
            return Assessment.missing(NO_SERVICE)
        if not routes:
            return Assessment.earned("no handler takes input (no parameter, no read of the request): nothing to type")
        typed = [r for r in routes if _typed_input(project, r)]
        checked = [(r, line) for r in routes if r not in typed and (line := rejects_bad_input(r)) is not None]
        sentence = f"{share_text(len(typed), len(routes))} handlers take typed input"
        if typed:
            first = typed[0]
            sentence += f", e.g. {first.func.name}() at {first.pf.location(first.func.lineno)}"
        if checked:
            route, line = checked[0]
            sentence += (
                f"; {len(checked)} check their input by hand, e.g. {route.func.name}() at {route.pf.location(line)}"
            )
        return Assessment.partly((len(typed) + len(checked) / 2) / len(routes), sentence)


def _takes_input(route: Route) -> bool:
    """Return True for a handler given input: parameters, or a read of the request (Flask's global `request`); a
    Django view is always given its `request`, so only reading its data (`request.data`) counts, and a Starlette or
    aiohttp handler, handed the request as its one parameter, takes input only when it uses it."""
    if route.framework == "Django":
        return reads_django_request(route)
    params = _params(route.func)
    if route.framework in REQUEST_HANDED and len(params) == 1:
        return reads_handed_request(route, params[0].arg)
    return bool(params) or (route.framework != "FastAPI" and reads_request(route))


def _typed_input(project: Project, route: Route) -> bool:
    if route.framework == "FastAPI":
        return not untyped_inputs(route.pf, route.func, project)
    return validates_input(route) or (route.framework == "Django" and validates_with_serializer(route))


@register_capability
class TypedResponses(Capability):
    """Handlers declare their response (response_model= or a typed return annotation; a dict of anything,
    `-> dict[str, Any]`, names no field: half); a health or readiness probe (its status code is its answer), a
    Flask-style page
    (`render_template(...)`, an HTML string), a handler returning no value (a status, or an error raised) and a
    FastAPI handler returning only Response objects (`FileResponse(...)`, `RedirectResponse(...)`, sent as they are)
    have no response schema to declare and are left out."""

    key = "typed_responses"
    practice = "production"
    title = "Typed responses"
    points = 15

    def assess(self, project: Project) -> Assessment:
        routes = _handlers(project)
        if not routes:
            return Assessment.missing(NO_SERVICE)
        routes = [r for r in routes if not hidden_from_schema(r) and not is_health_route(r)] or routes
        pages = [r for r in routes if r.framework != "FastAPI" and returns_html(r.func)]
        if len(pages) == len(routes):
            where = f"{pages[0].func.name}() at {pages[0].pf.location(pages[0].func.lineno)}"
            return Assessment.earned(f"handlers serve HTML pages (e.g. {where}): no response schema to declare")
        routes = [r for r in routes if r not in pages]
        routes = [r for r in routes if not returns_no_body(r.func)] or routes
        sent = [r for r in routes if _sends_response_objects(r)]
        if len(sent) == len(routes):
            where = f"{sent[0].func.name}() at {sent[0].pf.location(sent[0].func.lineno)}"
            return Assessment.earned(f"handlers return Response objects (e.g. {where}): no response schema to declare")
        routes = [r for r in routes if r not in sent]
        schemas = [route_schema(r) for r in routes]
        typed = schemas.count(Schema.DECLARED)
        loose = schemas.count(Schema.NO_FIELDS)
        sentence = f"{share_text(typed, len(routes))} handlers declare their response"
        if loose:
            sentence += f"; {loose} return a dict of any keys (a JSON object with no declared fields: half)"
        return Assessment.partly((typed + loose / 2) / len(routes), sentence)


def _sends_response_objects(route: Route) -> bool:
    """Return True for a FastAPI handler that declares no response and whose every return is a Response object
    FastAPI sends as it is (a declared `-> PredictResponse` model is judged as declared)."""
    return (
        route.framework == "FastAPI"
        and route_schema(route) is not Schema.DECLARED
        and returns_response_objects(route.func, route.pf)
        and not returns_html(route.func)
    )


@register_capability
class HealthEndpoint(Capability):
    """A health or readiness route lets orchestrators tell a loading worker from a ready one; a web app the code
    opens on localhost in the user's browser is a local tool that no orchestrator runs, and a library that only adds
    routes to an app its caller builds (`add_routes(app)`) leaves the probe to that app."""

    key = "health_endpoint"
    practice = "production"
    title = "Health endpoint"
    points = 10

    def assess(self, project: Project) -> Assessment:
        routes = routes_of(project)
        if not routes:
            return Assessment.missing(NO_SERVICE)
        for r in routes:
            if is_health_route(r):
                shown = r.path or f"{r.func.name}()"
                return Assessment.earned(f"{shown} at {r.pf.location(r.func.lineno)}", r.pf.path, r.func.lineno)
        local = local_tool(project)
        if local is not None:
            return Assessment.nothing_to_apply(f"{LOCAL_TOOL.format(local)}: no orchestrator probes its health")
        handed = caller_built_app(project)
        if handed is not None:
            return Assessment.nothing_to_apply(f"{CALLER_APP.format(handed)}: the caller's app serves the probe")
        return Assessment.missing("No /health or /ready route")


@register_capability
class ModelLoadedOnce(Capability):
    """The model is loaded once (at import, startup or in a cached dependency; a loader, or a model object loading
    itself: `await model.load()`), and no handler loads it per request;
    a service answering through a hosted model's SDK (OpenAI, Anthropic, ...) has no weights to load, and a library
    that only adds routes to an app its caller builds (`add_routes(app, chain)`) serves what the caller hands it."""

    key = "model_loaded_once"
    practice = "production"
    title = "Model loaded once at startup"
    points = 15

    def assess(self, project: Project) -> Assessment:
        routes = routes_of(project)
        if not routes:
            return Assessment.missing(NO_SERVICE)
        in_handlers: set[int] = set()
        for r in routes:
            calls = list(calls_in(r))
            in_handlers.update(id(call) for call in calls)
            for call in calls if not is_model_management_route(r) else ():
                if _model_load(project, r.pf, call):
                    return Assessment.missing(
                        f"{r.func.name}() loads the model per request ({r.pf.location(call.lineno)})"
                    )
        services = {r.pf.path for r in routes}
        at_startup = _load_at_startup(project, services, in_handlers)
        if at_startup is not None:
            return at_startup
        for r in routes:
            injected = _injected_model(r)
            if injected is not None:
                factory, name = injected
                return Assessment.earned(
                    f"{factory.name}({name}) is given the model once; {r.func.name}() at "
                    f"{r.pf.location(r.func.lineno)} serves it",
                    r.pf.path,
                    factory.lineno,
                )
        hosted = _hosted_model_client(project, services | reached_from(project, services))
        if hosted is not None:
            path, module = hosted
            return Assessment.earned(
                f"the service calls a hosted model ({module} imported in {path}): no weights to load", path
            )
        handed = caller_built_app(project)
        if handed is not None:
            return Assessment.nothing_to_apply(f"{CALLER_APP.format(handed)}: the caller hands in what it serves")
        return Assessment.missing("No model loading found in the service code")


def _load_at_startup(project: Project, services: set[str], in_handlers: set[int]) -> Assessment | None:
    """Return the nearest model load the service runs outside its handlers: in its modules, the
    launcher that runs it, or code they reach (not a helper of another tool the package also holds)."""
    launchers = _launchers(project, services)
    own = services | set(launchers)
    reached = reached_definitions(project, sorted(own))
    for path in nearest_first(project, services, launchers):
        pf = project.python.get(path)
        if pf is None:
            continue
        for call in pf.nodes(ast.Call):
            if id(call) in in_handlers:
                continue  # a load in a model-management route is not a load at startup
            if path not in own and _definition_of(pf, call) not in reached:
                continue  # code the service never runs
            name = _startup_loader(project, pf, call)
            if name:
                return Assessment.earned(
                    f"{name} at {pf.location(call.lineno)}, outside any handler", path, call.lineno
                )
    return None


def _model_load(project: Project, pf: PythonFile, call: ast.Call) -> str | None:
    """Return the name of a known model loader a call makes: by its name in the file, or through the imports of
    the project's own modules (`from .models import load_model`, a package re-exporting `joblib.load`)."""
    found = _loader_name(pf, call)
    if found:
        return None if loads_state_not_model(project, call) else found
    resolved = resolve_call(project, pf, call) or ""
    known = resolved in LOADERS or resolved in EXTRA_LOADERS or resolved.endswith(".load_model")
    return resolved if known and resolved != pf.call_name(call) else None


def _startup_loader(project: Project, pf: PythonFile, call: ast.Call) -> str | None:
    """Return the name of a model load: a known loader, or a model class's own `Predictor.deserialize(path)`
    (loading only a config or tokenizer, `AutoTokenizer.from_pretrained`, loads no weights)."""
    if _loads_no_weights(call):
        return None
    name = _model_load(project, pf, call) or (pf.call_name(call) if pf.call_name(call) in EXTRA_LOADERS else None)
    func = call.func
    if name is None and _loads_itself(func):
        return ast.unparse(func)
    if name is None and isinstance(func, ast.Attribute) and func.attr == "deserialize" and call.args:
        owner = func.value
        if isinstance(owner, ast.Name) and owner.id[:1].isupper() and not owner.id.isupper():
            return ast.unparse(func)
    return name


def _loads_itself(func: ast.expr) -> bool:
    """Return True for `await model.load()`, `self.model.load()`: a model object (an instance, named for a model)
    loading its own weights, as a serving framework's model wrapper does before it is served."""
    if not (isinstance(func, ast.Attribute) and func.attr == "load"):
        return False
    receiver = _receiver_name(func.value)
    return receiver[:1].islower() and MODEL_NAME.search(receiver) is not None and not SCHEMA_MODEL.search(receiver)


NO_WEIGHTS = re.compile(r"(?:Config|Tokenizer(?:Fast)?|Processor|FeatureExtractor)$")


def _loads_no_weights(call: ast.Call) -> bool:
    """Return True for `AutoConfig.from_pretrained(...)`: a config, tokenizer or processor class's loader."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "from_pretrained"):
        return False
    owner = func.value
    name = owner.attr if isinstance(owner, ast.Attribute) else owner.id if isinstance(owner, ast.Name) else ""
    return NO_WEIGHTS.search(name) is not None


def _definition_of(pf: PythonFile, node: ast.AST) -> Node:
    """Return the call-graph node holding `node`: its top-level function or class, the main block, or module code."""
    top: ast.AST = node
    for anc in pf.ancestors(node):
        if anc is pf.tree:
            break
        top = anc
    if isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return pf.path, top.name
    return pf.path, MAIN_BLOCK if pf.in_main_guard(node) else None


def _launchers(project: Project, services: set[str]) -> list[str]:
    """Return the code files (not tests) that import a service module: where the app is built and run."""
    graph = import_graph(project)
    return sorted(
        path
        for path, targets in graph.items()
        if path not in services and targets & services and project.python[path].kind is not FileKind.TEST
    )


# a parameter holding a model object, not its location or name (`user_model`, `clf`, not `model_path`)
_MODEL_OBJECT = re.compile(
    r"(?i)^(?!.*_(?:path|name|dir|file|id|uri|url|type|config|cfg)$)"
    r".*(?:model|predictor|pipeline|classifier|regressor|estimator|llm|encoder|embedder|clf)"
)


# SDKs of hosted models: a service that answers through one has no weights of its own to load.
HOSTED_MODEL_SDKS = (
    *("openai", "anthropic", "cohere", "mistralai", "groq", "together", "replicate", "google.generativeai"),
    *("google.genai", "vertexai", "langchain_openai", "langchain_anthropic", "langchain_google_genai"),
    *("langchain_mistralai", "langchain_cohere", "langchain_groq", "litellm"),
)


def _hosted_model_client(project: Project, reach: set[str]) -> tuple[str, str] | None:
    """Return (module, SDK) for the first service module, or module it loads, that imports a hosted-model SDK."""
    for path in sorted(reach):
        pf = project.python.get(path)
        if pf is None:
            continue
        for module in sorted(pf.imported_modules):
            if any(module == sdk or module.startswith(sdk + ".") for sdk in HOSTED_MODEL_SDKS):
                return path, module
    return None


def _injected_model(route: Route) -> tuple[FunctionNode, str] | None:
    """Return the app factory and its model parameter when a handler nested in the factory uses a model given to it
    (`create_app(model)`): the factory's caller loaded the model once, before any request."""
    factory = route.pf.enclosing_function(route.func)
    if factory is None:
        return None
    used = {n.id for n in ast.walk(route.func) if isinstance(n, ast.Name)}
    names = sorted(a.arg for a in _params(factory) if _MODEL_OBJECT.search(a.arg) and a.arg in used)
    return (factory, names[0]) if names else None


@register_capability
class DeployRecipe(Capability):
    """A container or deployment recipe exists (Dockerfile, compose, Kubernetes/Helm, serverless, Procfile); a web
    app the code opens on localhost in the user's browser is a local tool, deployed by installing the package, and a
    library that only adds routes to an app its caller builds (`add_routes(app)`) is deployed with that app."""

    key = "deploy_recipe"
    practice = "production"
    title = "Container or deploy recipe"
    points = 10

    def assess(self, project: Project) -> Assessment:
        if not routes_of(project):
            return Assessment.missing(NO_SERVICE)
        recipes = deploy_recipes(project) + [f.path for f in project.files if f.path.startswith(DEPLOY_DIRS)]
        if recipes:
            return Assessment.earned(f"{recipes[0]} deploys the service", recipes[0])
        local = local_tool(project)
        if local is not None:
            return Assessment.nothing_to_apply(f"{LOCAL_TOOL.format(local)}: installing the package deploys it")
        handed = caller_built_app(project)
        if handed is not None:
            return Assessment.nothing_to_apply(f"{CALLER_APP.format(handed)}: the caller deploys the service")
        return Assessment.missing("No Dockerfile or deployment recipe for the service")


LOCAL_TOOL = "a local tool: {} opens its page in the user's browser"
CALLER_APP = "a library adding routes to an app its caller builds ({})"


@register_capability
class ErrorHandling(Capability):
    """Handlers turn failures into proper HTTP errors (HTTPException, abort, exception handlers registered in
    any service module: a decorator, `add_exception_handler` or `FastAPI(exception_handlers=...)`, a response
    built with an error status: `ErrorResponse(body, status_code=500)`, or a handler returning an error status
    with its body: Flask's `return {"error": "unknown model"}, 404`)."""

    key = "error_handling"
    practice = "production"
    title = "HTTP error handling"
    points = 15

    def assess(self, project: Project) -> Assessment:
        routes = routes_of(project)
        if not routes:
            return Assessment.missing(NO_SERVICE)
        files = {r.pf.path: r.pf for r in routes} | {pf.path: pf for pf, _ in _services(project)}
        for pf in sorted(files.values(), key=lambda p: p.path):
            for kw in pf.nodes(ast.keyword):
                if isinstance(kw, ast.keyword) and kw.arg == "exception_handlers":  # FastAPI(exception_handlers=...)
                    line = kw.value.lineno
                    return Assessment.earned(f"exception handlers registered at {pf.location(line)}", pf.path, line)
            for node in pf.nodes(ast.Name, ast.Attribute):
                name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", "")
                if name in ERROR_NAMES and not (name == "JSONResponse" and not _status_error(pf.segment(node))):
                    line = getattr(node, "lineno", 0)
                    return Assessment.earned(f"{name} at {pf.location(line)}", pf.path, line)
            answer = _error_response(pf)
            if answer is not None:
                callee, line = answer
                return Assessment.earned(f"{callee}(status_code=...) at {pf.location(line)}", pf.path, line)
        status = next((found for route in routes if (found := _error_status_return(route)) is not None), None)
        if status is not None:
            pf, line, code = status
            return Assessment.earned(f"a handler returns a {code} status at {pf.location(line)}", pf.path, line)
        return Assessment.missing("Handlers never raise HTTP errors (expected HTTPException or an exception handler)")


def _error_status_return(route: Route) -> tuple[PythonFile, int, int] | None:
    """Return (file, line, status) of a handler's `return body, 404` (Flask's `(body, status)` or `(body, status,
    headers)` answer) with an error status: the handler answers that failure over HTTP."""
    for node in ast.walk(route.func):
        if not isinstance(node, ast.Return):
            continue
        value = node.value
        if isinstance(value, ast.Tuple) and len(value.elts) in (2, 3):
            code = value.elts[1]
            if isinstance(code, ast.Constant) and isinstance(code.value, int) and code.value >= HTTP_ERROR:
                return route.pf, node.lineno, code.value
    return None


HTTP_ERROR = 400


def _error_response(pf: PythonFile) -> tuple[str, int] | None:
    """Return (class, line) of the first response object the module builds with an error status
    (`NumpyJSONResponse(body, status_code=500)`, DRF's `Response(body, status=status.HTTP_400_BAD_REQUEST)`, any
    `...Response` class): its handlers answer failures over HTTP."""
    for call in pf.nodes(ast.Call):
        if not isinstance(call, ast.Call):
            continue
        func = call.func
        callee = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        status = kw_value(call, "status_code") or kw_value(call, "status")
        if isinstance(callee, str) and callee.endswith("Response") and _error_code(status):
            return callee, call.lineno
    return None


ERROR_STATUS_NAME = re.compile(r"^HTTP_[45]\d\d(?:_|$)")  # DRF's `status.HTTP_400_BAD_REQUEST`


def _error_code(status: ast.expr | None) -> bool:
    """Return True for an error status: `500`, or a named one (`status.HTTP_404_NOT_FOUND`)."""
    if isinstance(status, ast.Constant):
        return isinstance(status.value, int) and status.value >= HTTP_ERROR
    return isinstance(status, ast.Attribute) and ERROR_STATUS_NAME.match(status.attr) is not None


def _status_error(segment: str) -> bool:
    return "status_code" in segment and any(code in segment for code in ("4", "5"))


@register_capability
class ServiceTested(Capability):
    """Tests exercise the service (a test client, or tests importing the service module)."""

    key = "service_tested"
    practice = "production"
    title = "Service tested"
    points = 10

    def assess(self, project: Project) -> Assessment:
        routes = routes_of(project)
        if not routes:
            return Assessment.missing(NO_SERVICE)
        services = {r.pf.path for r in routes}
        suite = suite_of(project)
        tests = {*suite.test_modules, *suite.support_files}
        for path in (*suite.test_modules, *suite.support_files):
            pf = project.python[path]
            if any(name.rsplit(".", 1)[-1] in CLIENT_NAMES or name in DJANGO_CLIENTS for name in pf.imports.values()):
                return Assessment.earned(f"{path} drives the service through a test client", path)
            if services & _imported_by_test(project, path, tests):
                return Assessment.earned(f"{path} imports the service module", path)
        return Assessment.missing(f"No test exercises the service (expected {_expected_client(routes)} tests)")


# Django's and DRF's test clients, and the test cases that hand one to each test (`self.client.post(...)`).
DJANGO_CLIENTS = frozenset(
    {
        *("django.test.Client", "django.test.client.Client", "django.test.AsyncClient", "django.test.RequestFactory"),
        *("rest_framework.test.APIClient", "rest_framework.test.APITestCase", "rest_framework.test.APIRequestFactory"),
        *("rest_framework.test.APITransactionTestCase", "rest_framework.test.APILiveServerTestCase"),
    }
)


# The test client each framework ships, named in the evidence of a service no test drives.
TEST_CLIENTS = {"FastAPI": "fastapi.testclient.TestClient", "Starlette": "starlette.testclient.TestClient"}
TEST_CLIENTS |= {"Flask": "app.test_client()", "aiohttp": "aiohttp's TestClient", "Django": "django.test.Client"}


def _expected_client(routes: tuple[Route, ...]) -> str:
    """Return the test client of the framework most routes use (`app.test_client()` for Flask)."""
    frameworks = Counter(route.framework for route in routes)
    framework = max(sorted(frameworks), key=lambda name: frameworks[name])
    return TEST_CLIENTS.get(framework, "test-client")


def _imported_by_test(project: Project, start: str, tests: set[str]) -> set[str]:
    """Return the files a test imports itself or through other test files (a package `__init__` chain does not count)."""
    seen: set[str] = set()
    stack = [start]
    while stack:
        for target in import_targets(project, project.python[stack.pop()]):
            if target not in seen:
                seen.add(target)
                if target in tests:
                    stack.append(target)
    return seen
