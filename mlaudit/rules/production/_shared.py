"""Provides helpers shared by several rules of the `production` practice (or by other modules)."""

from __future__ import annotations

import ast
import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from mlaudit.facts.distributions import module_value
from mlaudit.facts.kind import is_example
from mlaudit.facts.randomness import module_paths
from mlaudit.facts.service_facts import loads_model_file
from mlaudit.model import FileKind
from mlaudit.project import FunctionNode, Project, PythonFile, own_nodes, parameter_defaults
from mlaudit.readers import pyproject

SERVICE_MODULES = {
    "fastapi": "FastAPI",
    "flask": "Flask",
    "flask_restx": "Flask",
    "flask_restplus": "Flask",
    "flask_restful": "Flask",
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


HEALTH_WORDS = re.compile(r"(?i)health|ready|live|ping|status|heartbeat|probe")  # `/probe`: a Kubernetes probe
PROBE_WORDS = re.compile(r"(?i)health|ready|live|ping|heartbeat|probe")  # words only a probe's path uses
# Path segments that name the service itself or its API's version, not a resource of it: `/api/v1/status`.
SERVICE_SEGMENT = re.compile(r"(?i)^(?:api|v\d+(?:\.\d+)*|internal|admin|system|sys|service|server|ops|models?)$")
PATH_PARAMETER = re.compile(r"\{[^}]*\}|<[^>]*>")  # FastAPI/Starlette `{id}`, Flask `<int:id>`


@dataclass(frozen=True)
class Route:
    """A web route handler: its file, function, framework and path."""

    pf: PythonFile
    func: FunctionNode
    framework: str
    path: str | None
    decorator: ast.Call


def is_health_route(route: Route) -> bool:
    """Return True for a health or readiness route: by its path, or, when the path is computed
    (`@app.get(self.healthcheck_path)`), by the path expression or the handler's name. A path with a
    parameter (`/status/{job_id}`) reports on one item, and a status under a resource (`/setup/status`) on that
    resource, not on the service; the root path (`/`) says nothing itself, so the handler's name tells
    (`def check_health()`)."""
    if route.path is not None and route.path.strip("/") == "":
        return bool(HEALTH_WORDS.search(route.func.name))
    if route.path is not None:
        if PATH_PARAMETER.search(route.path):
            return False
        return bool(PROBE_WORDS.search(route.path)) or _service_status(route.path)
    first = route.decorator.args[0] if route.decorator.args else None
    if route.framework == "Django" and PROBE_WORDS.search(ast.unparse(route.decorator.func)):
        return True  # a class-based view routed elsewhere, named for what it probes: `HealthCheckView.as_view`
    return bool(HEALTH_WORDS.search(route.func.name) or (first is not None and HEALTH_WORDS.search(ast.unparse(first))))


def _service_status(path: str) -> bool:
    """Return True for a status route of the service itself (`/status`, `/api/v1/status`, `/model/status`): one
    under a resource of its own (`/jobs/status`, `/setup/status`) reports on that resource."""
    segments = [segment for segment in path.strip("/").split("/") if segment]
    for index, segment in enumerate(segments):
        if HEALTH_WORDS.search(segment):
            return all(SERVICE_SEGMENT.match(before) for before in segments[:index])
    return False


# a route whose own action is (re)loading or swapping the model: `POST /models/{name}/load`, `/admin/reload-model`
_LOAD_ACTION = re.compile(r"(?i)(?:^|[-_])(?:re|un)?load(?:[-_]|$)|^(?:register|deploy|swap|switch)(?:[-_]|$)")


def is_model_management_route(route: Route) -> bool:
    """Return True for a route whose action is loading, reloading or swapping a model (its last fixed path segment,
    or the handler's name when the path is computed): loading there is the request's purpose, not a per-request cost."""
    if route.path is None:
        return bool(_LOAD_ACTION.search(route.func.name))
    fixed = [part for part in route.path.split("/") if part and not PATH_PARAMETER.search(part)]
    return bool(fixed) and bool(_LOAD_ACTION.search(fixed[-1]))


def hidden_from_schema(route: Route) -> bool:
    """Return True for a route registered with `include_in_schema=False` (a docs page, a redirect, an internal
    hook): it is left out of the API contract on purpose, so it has no response schema to declare."""
    return any(
        k.arg == "include_in_schema" and isinstance(k.value, ast.Constant) and k.value.value is False
        for k in route.decorator.keywords
    )


def returns_no_body(func: FunctionNode) -> bool:
    """Return True for a handler that returns no value (it answers with a status, or raises): it sends no
    body, so it has no response schema to declare. Nested functions' returns are not the handler's."""
    own = [node for node in own_nodes(func) if isinstance(node, ast.Return | ast.Yield | ast.YieldFrom)]
    return all(isinstance(node, ast.Return) and _no_value(node.value) for node in own)


def _no_value(value: ast.expr | None) -> bool:
    return value is None or (isinstance(value, ast.Constant) and value.value is None) or _status_only(value)


BODY_KEYWORDS = frozenset({"data", "content", "body", "json", "text"})


def _status_only(value: ast.expr) -> bool:
    """Return True for a response built with a status and no body: `Response(status=204)` (not `Response()`)."""
    if not (isinstance(value, ast.Call) and _base_name(value.func).endswith("Response")):
        return False
    return not value.args and bool(value.keywords) and all(k.arg in STATUS_KEYWORDS for k in value.keywords)


# What a body-less response is built with: `Response(status=204)`, not a model's fields (`PredictResponse(label=x)`).
STATUS_KEYWORDS = frozenset({"status", "status_code", "headers"})


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
    if first is not None and pf is not None:
        first = module_value(pf, first)  # route paths kept in module constants
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def find_routes(project: Project) -> tuple[Route, ...]:
    """Return every route handler of every service module: decorated, or registered by a call.

    `APIRoute("/infer", endpoints.infer)`, `app.add_api_route(...)` and Flask's `add_url_rule`
    register a handler by reference; each handler counts once, at its first registration.
    """
    routes: list[Route] = []
    seen: set[tuple[str, int]] = set()
    for route in _url_routes(project):  # first: a Django URL pattern gives its view's path
        if (route.pf.path, route.func.lineno) not in seen:
            seen.add((route.pf.path, route.func.lineno))
            routes.append(route)
    for pf, framework in _services(project):
        for func in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            dec = _route_decorator(func)
            if dec is not None:
                routes.append(Route(pf, func, framework, _route_path(dec, pf), dec))
                seen.add((pf.path, func.lineno))
        django = _django_views(pf) if framework == "Django" else ()
        for route in (
            *_registered_routes(project, pf, framework),
            *_resource_routes(project, pf, framework),
            *django,
        ):
            if (route.pf.path, route.func.lineno) not in seen:
                seen.add((route.pf.path, route.func.lineno))
                routes.append(route)
    return tuple(routes)


# The methods of a class-based view or REST resource that answer an HTTP verb: each is a route handler.
HTTP_VERB_METHODS = frozenset({"get", "post", "put", "patch", "delete"})


def _resource_routes(project: Project, pf: PythonFile, framework: str) -> Iterator[Route]:
    """Yield the HTTP-verb methods (`get`, `post`, ...) of class-based resources: a class decorated with a route
    (`@api.route("/models")`, Flask-RESTX's `Resource`), registered with `api.add_resource(Models, "/models")`
    (Flask-RESTful) or turned into a view (`add_url_rule("/models", view_func=Models.as_view("models"))`)."""
    for cls in pf.nodes(ast.ClassDef):
        if isinstance(cls, ast.ClassDef):
            dec = next((d for d in cls.decorator_list if _is_route_call(d)), None)
            if isinstance(dec, ast.Call):
                yield from _verb_routes(pf, cls, framework, _route_path(dec, pf), dec)
    for call in pf.nodes(ast.Call):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
            continue
        if call.func.attr == "add_resource" and len(call.args) >= 2:
            path = call.args[1]
            found = _class_of(project, pf, call.args[0])
            text = path.value if isinstance(path, ast.Constant) and isinstance(path.value, str) else None
            if found is not None:
                yield from _verb_routes(found[0], found[1], framework, text, call)
        elif call.func.attr == "as_view" and isinstance(call.func.value, ast.Name):
            registrar = pf.parent(call)
            registrar = pf.parent(registrar) if isinstance(registrar, ast.keyword) else registrar
            found = _class_of(project, pf, call.func.value)
            if isinstance(registrar, ast.Call) and found is not None:
                yield from _verb_routes(found[0], found[1], framework, _route_path(registrar, pf), registrar)


# Django's and Django REST framework's view classes (`View`, `APIView`, `ListCreateAPIView`, `ModelViewSet`), and a
# project's own bases named like them: a class deriving from one answers requests with its verb methods.
VIEW_BASE = re.compile(r"(?:View|ViewSet)$")
# A viewset's actions (routed by a DRF router) answer requests like verb methods do.
VIEWSET_ACTIONS = frozenset({"list", "create", "retrieve", "update", "partial_update", "destroy"})
URL_PATTERNS = frozenset({"path", "re_path", "url"})


def _django_views(pf: PythonFile) -> Iterator[Route]:
    """Yield the handlers of a Django module: the verb methods and viewset actions (`list`, `@action` methods) of a
    class-based view (a class deriving from `*View`/`*APIView`/`*ViewSet`) and DRF's `@api_view` functions. A
    class deriving from anything else (a management `Command`, a form) answers no request."""
    for cls in pf.nodes(ast.ClassDef):
        if not (isinstance(cls, ast.ClassDef) and any(VIEW_BASE.search(_base_name(b)) for b in cls.bases)):
            continue
        for item in cls.body:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and _view_method(item):
                yield Route(pf, item, "Django", None, _view_marker(cls))
    for func in pf.tree.body:
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            dec = next((d for d in func.decorator_list if _decorator_name(d) == "api_view"), None)
            if isinstance(dec, ast.Call):
                yield Route(pf, func, "Django", None, dec)


def is_django_view(pf: PythonFile, func: FunctionNode) -> bool:
    """Return True for a handler of a Django module found without its URL patterns: a verb method or action of a
    class-based view, or an `@api_view` function."""
    if framework_of(pf) != "Django":
        return False
    if any(_decorator_name(d) == "api_view" for d in func.decorator_list):
        return True
    owner = pf.parent(func)
    return (
        isinstance(owner, ast.ClassDef)
        and any(VIEW_BASE.search(_base_name(b)) for b in owner.bases)
        and _view_method(func)
    )


def _base_name(base: ast.expr) -> str:
    return base.attr if isinstance(base, ast.Attribute) else base.id if isinstance(base, ast.Name) else ""


def _decorator_name(dec: ast.expr) -> str:
    return _base_name(dec.func if isinstance(dec, ast.Call) else dec)


def _view_method(func: FunctionNode) -> bool:
    if func.name in HTTP_VERB_METHODS or func.name in VIEWSET_ACTIONS:
        return True
    return any(_decorator_name(d) == "action" for d in func.decorator_list)


def _view_marker(cls: ast.ClassDef) -> ast.Call:
    """Return a stand-in for the registration of a class-based view routed elsewhere (`View.as_view()` in a
    `urls.py`, a router): it names the class, which says what the view serves (`HealthView`)."""
    marker = ast.Call(func=ast.Attribute(value=ast.Name(id=cls.name), attr="as_view"), args=[], keywords=[])
    return ast.copy_location(marker, cls)


def _url_routes(project: Project) -> Iterator[Route]:
    """Yield the views a Django URL module routes (`path("health/", views.health)`,
    `re_path(r"^predict/$", PredictView.as_view())`), each with its path, for the modules of the repository
    that declare `urlpatterns` and import Django."""
    for pf in project.python_of(*SERVICE_KINDS):
        if "urlpatterns" not in pf.text or is_example(pf.path) or not _imports_django(pf):
            continue
        for call in pf.nodes(ast.Call):
            name = call.func.id if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) else ""
            keywords = {k.arg: k.value for k in call.keywords}
            view = call.args[1] if len(call.args) >= 2 else keywords.get("view")
            if name not in URL_PATTERNS or view is None:
                continue
            route = call.args[0] if call.args else keywords.get("route")
            path = route.value if isinstance(route, ast.Constant) and isinstance(route.value, str) else None
            if isinstance(view, ast.Call) and isinstance(view.func, ast.Attribute) and view.func.attr == "as_view":
                found = _class_at(project, pf, view.func.value)
                if found is not None:
                    for item in found[1].body:
                        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and _view_method(item):
                            yield Route(found[0], item, "Django", path, call)
            else:
                handler = _function_at(project, pf, view)
                if handler is not None:
                    yield Route(handler[0], handler[1], "Django", path, call)


def _imports_django(pf: PythonFile) -> bool:
    return any(m == "django" or m.startswith("django.") for m in pf.imported_modules)


def _holder_of(project: Project, pf: PythonFile, ref: ast.expr) -> tuple[PythonFile, str] | None:
    """Resolve `name` or `module.name` (`views.health`, `from . import views`) to the repository module holding it."""
    if isinstance(ref, ast.Name):
        module, name = pf.from_imports.get(ref.id, ("", ref.id))
        holder = pf if not module else _module_file(project, pf, module)
        return (holder, name) if holder is not None else None
    if isinstance(ref, ast.Attribute) and isinstance(ref.value, ast.Name):
        alias = ref.value.id
        module = ".".join(pf.from_imports[alias]) if alias in pf.from_imports else pf.imports.get(alias, "")
        holder = _module_file(project, pf, module) if module else None
        return (holder, ref.attr) if holder is not None else None
    return None


def _module_file(project: Project, pf: PythonFile, module: str) -> PythonFile | None:
    """Return the repository module `module` names, from the importing file's enclosing packages too: a Django
    project runs from the folder of its `manage.py`, so `from core import views` in `backend/core/urls.py` is
    `backend.core.views` when `backend/` is itself a package."""
    paths = module_paths(project)
    parts = pf.path.removesuffix(".py").split("/")[:-1]
    for prefix in ["", *(".".join(parts[:end]) + "." for end in range(len(parts), 0, -1))]:
        if prefix + module in paths:
            return project.python.get(paths[prefix + module])
    return None


def _function_at(project: Project, pf: PythonFile, ref: ast.expr) -> tuple[PythonFile, FunctionNode] | None:
    found = _holder_of(project, pf, ref)
    return _top_level_function(found[0], found[1]) if found is not None else None


def _class_at(project: Project, pf: PythonFile, ref: ast.expr) -> tuple[PythonFile, ast.ClassDef] | None:
    found = _holder_of(project, pf, ref)
    if found is None:
        return None
    cls = next((s for s in found[0].tree.body if isinstance(s, ast.ClassDef) and s.name == found[1]), None)
    return (found[0], cls) if cls is not None else None


def _is_route_call(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "route"


def _verb_routes(
    pf: PythonFile, cls: ast.ClassDef, framework: str, path: str | None, call: ast.Call
) -> Iterator[Route]:
    for item in cls.body:
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name in HTTP_VERB_METHODS:
            yield Route(pf, item, framework, path, call)


def _class_of(project: Project, pf: PythonFile, ref: ast.expr) -> tuple[PythonFile, ast.ClassDef] | None:
    """Resolve a class named by a bare name: defined in this module or imported from one of the repository."""
    if not isinstance(ref, ast.Name):
        return None
    module, name = pf.from_imports.get(ref.id, ("", ref.id))
    holder = pf if not module else project.python.get(module_paths(project).get(module, ""))
    if holder is None:
        return None
    found = next((s for s in holder.tree.body if isinstance(s, ast.ClassDef) and s.name == name), None)
    return (holder, found) if found is not None else None


APP_CLASSES = frozenset(
    {
        *("flask.Flask", "flask.Blueprint", "fastapi.FastAPI", "fastapi.APIRouter", "starlette.applications.Starlette"),
        "aiohttp.web.Application",
    }
)
# Servers that own their routes: the handlers are methods of an API class (LitAPI.predict), not
# route functions, so the route-by-route capabilities cannot judge them.
ROUTELESS_APPS = frozenset({"litserve.LitServer", "bentoml.Service"})


def routeless_app(pf: PythonFile) -> str | None:
    """Return the server class a module builds whose routes the framework owns (`LitServer(api)`), if any."""
    for call in pf.nodes(ast.Call):
        name = pf.call_name(call) if isinstance(call, ast.Call) else None
        if name in ROUTELESS_APPS:
            return name
    return None


def constructs_app(pf: PythonFile) -> bool:
    """Return True when the module builds a web app or router (`app = FastAPI()`), even with no route found."""
    return any(isinstance(call, ast.Call) and pf.call_name(call) in APP_CLASSES for call in pf.nodes(ast.Call))


def caller_built_app(project: Project) -> str | None:
    """Return where a library registers its routes on an app or router it is handed (`def add_routes(app: FastAPI)`
    with `@app.post(...)` inside), when every route goes on such a parameter and the project's own code builds no app:
    the caller builds and runs the service, and owns its health probe and its deployment. None otherwise."""
    found: str | None = project.fact("production.caller_built_app", _caller_built_app)
    return found


def _caller_built_app(project: Project) -> str | None:
    routes = _routes(project)
    if not routes or any(constructs_app(pf) for pf, _ in _services(project)):
        return None
    for route in routes:
        holder = route.decorator.func.value if isinstance(route.decorator.func, ast.Attribute) else None
        if not (isinstance(holder, ast.Name) and _handed(route.pf, route.decorator, holder.id)):
            return None
    first = routes[0]
    return f"{ast.unparse(first.decorator.func)}(...) at {first.pf.location(first.decorator.lineno)}"


def _handed(pf: PythonFile, node: ast.AST, name: str) -> bool:
    """Return True when `name` is a parameter of a function enclosing `node`: an object its caller hands it."""
    return any(
        isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef) and any(a.arg == name for a in _params(anc))
        for anc in pf.ancestors(node)
    )


# Calls that register a handler by reference: FastAPI/Starlette route objects and router methods, Flask.
REGISTRARS = frozenset({"APIRoute", "Route", "add_api_route", "add_route", "add_url_rule"})


def _registrar_name(pf: PythonFile, call: ast.Call) -> str:
    """Return the name a call registers a route by: a method's name (`app.add_api_route`), or the name of a class
    imported from a web framework, seen through its alias (`from fastapi.routing import APIRoute as FastAPIRoute`); a
    class imported from anywhere else (`from .geo import Route`, a leg of a trip) registers nothing."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if not isinstance(func, ast.Name):
        return ""
    if func.id not in pf.from_imports:
        return func.id
    module, original = pf.from_imports[func.id]
    framework = any(module == prefix or module.startswith(prefix + ".") for prefix in SERVICE_MODULES)
    return original if framework else ""


def _registered_routes(project: Project, pf: PythonFile, framework: str) -> Iterator[Route]:
    for call in pf.nodes(ast.Call):
        name = _registrar_name(pf, call)
        if name not in REGISTRARS:
            continue
        keywords = {k.arg: k.value for k in call.keywords}
        position = 2 if name == "add_url_rule" else 1
        endpoint = (
            call.args[position] if len(call.args) > position else keywords.get("endpoint", keywords.get("view_func"))
        )
        found = _handler(project, pf, endpoint) if endpoint is not None else None
        if found is not None:
            yield Route(found[0], found[1], framework, _route_path(call, pf), call)


def _handler(project: Project, pf: PythonFile, endpoint: ast.expr) -> tuple[PythonFile, FunctionNode] | None:
    """Resolve a handler reference: a function of this module or one it imports, or `obj.method` of a class there."""
    if isinstance(endpoint, ast.Name):
        module, name = pf.from_imports.get(endpoint.id, ("", endpoint.id))
        holder = pf if not module else project.python.get(module_paths(project).get(module, ""))
        return _top_level_function(holder, name) if holder is not None else None
    if not isinstance(endpoint, ast.Attribute):
        return None
    paths = module_paths(project)
    candidates = [pf, *(project.python[paths[m]] for m in sorted(_imported_names(pf)) if m in paths)]
    for holder in candidates:
        for stmt in holder.tree.body:
            if isinstance(stmt, ast.ClassDef):
                for item in stmt.body:
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name == endpoint.attr:
                        return holder, item
    return None


def _imported_names(pf: PythonFile) -> set[str]:
    """Return the modules a file imports from, relative imports resolved (`from .endpoints import E`)."""
    found = set(pf.imported_modules)
    for module, name in pf.from_imports.values():
        found.update((module, f"{module}.{name}"))  # `from . import endpoints` names a module
    return found


def _top_level_function(pf: PythonFile, name: str) -> tuple[PythonFile, FunctionNode] | None:
    for stmt in pf.tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and stmt.name == name:
            return pf, stmt
    return None


def _routes(project: Project, framework: str | None = None) -> list[Route]:
    routes: tuple[Route, ...] = project.fact("production.routes", find_routes)
    return [r for r in routes if framework is None or r.framework == framework]


def console_scripts(project: Project) -> list[str]:
    """Return `name = target` for each [project.scripts] entry of pyproject.toml."""
    scripts = pyproject(project).get("project", {}).get("scripts", {})
    return [f"{name} = {target}" for name, target in scripts.items()] if isinstance(scripts, dict) else []


def _annotation_name(ann: ast.expr | None) -> str | None:
    base = ann.value if isinstance(ann, ast.Subscript) else ann
    if isinstance(base, ast.Attribute):
        return base.attr
    return base.id if isinstance(base, ast.Name) else None


def _params(func: FunctionNode) -> list[ast.arg]:
    args = func.args
    return [a for a in [*args.posonlyargs, *args.args, *args.kwonlyargs] if a.arg not in {"self", "cls"}]


def _parses_raw_json(pf: PythonFile, func: FunctionNode) -> str | None:
    """Return how a handler parses its raw request as JSON: `await request.json()`, or `await request.body()`
    handed to a JSON parser. Raw bytes it forwards or decodes otherwise (a proxy passing them on as `content=`,
    an image upload) carry no JSON document to declare a model for, and a document handed whole to a request
    model (`Req.model_validate(await request.json())`, `Req(**payload)`, `Req.parse_raw(await request.body())`)
    is validated by that model: typed input read by hand."""
    calls = [call for call in pf.nodes(ast.Call) if pf.enclosing_function(call) is func]
    awaited = {
        call.func.attr: call
        for call in calls
        if isinstance(call.func, ast.Attribute) and isinstance(pf.parent(call), ast.Await)
    }
    if "json" in awaited:
        return None if _validated_whole(pf, func, calls, awaited["json"]) else "`await request.json()`"
    if "body" not in awaited or _validated_whole(pf, func, calls, awaited["body"]):
        return None
    parses = any((pf.call_name(call) or "").endswith(JSON_PARSERS) for call in calls)
    return "`await request.body()` parsed as JSON" if parses else None


JSON_PARSERS = ("json.loads", "orjson.loads", "ujson.loads")
# Methods of a request model (pydantic, marshmallow) that validate a whole document: `Req.model_validate(raw)`.
MODEL_VALIDATORS = frozenset(
    {"model_validate", "model_validate_json", "parse_obj", "parse_raw", "validate_python", "validate_json"}
)


def _validated_whole(pf: PythonFile, func: FunctionNode, calls: list[ast.Call], read: ast.Call) -> bool:
    """Return True when the document a handler reads (`read`: the awaited `request.json()`/`body()`) goes whole
    into a request model: as the argument of a model's validating method (`Req.model_validate(raw)`,
    `Req.parse_obj({k: v for k, v in raw.items() if ...})`) or unpacked into a class (`Req(**raw)`). One field
    taken out of it (`Req(name=raw.get("name"))`, `_validate_replica(raw.get("n"))`) leaves the rest unchecked."""
    holders: set[ast.AST | str] = {read}
    holders |= {
        t.id
        for node in ast.walk(func)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Await) and node.value.value is read
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    for call in calls:
        if _model_validation(call):
            given = [*call.args[:1], *(k.value for k in call.keywords if k.arg is None)]
        elif _class_call(call.func):
            given = [k.value for k in call.keywords if k.arg is None]
        else:
            continue
        if any(_whole_document(value, holders) for value in given):
            return True
    return False


def _model_validation(call: ast.Call) -> bool:
    """Return True for `Model.model_validate(...)`, `Model.parse_obj(...)`, `adapter.validate_python(...)`."""
    return isinstance(call.func, ast.Attribute) and call.func.attr in MODEL_VALIDATORS and bool(call.args)


def _class_call(func: ast.expr) -> bool:
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name[:1].isupper()


def _whole_document(value: ast.expr, holders: set[ast.AST | str]) -> bool:
    """Return True for the document itself (`raw`, `await request.json()`) or a comprehension over it."""
    if isinstance(value, ast.Await):
        value = value.value
    if value in holders or (isinstance(value, ast.Name) and value.id in holders):
        return True
    if isinstance(value, ast.DictComp):
        return any(isinstance(n, ast.Name) and n.id in holders for gen in value.generators for n in ast.walk(gen.iter))
    return False


def is_injected(default: ast.expr | None) -> bool:
    """Return True for a server-side dependency default: `Depends(...)` or `Security(...)`."""
    if not isinstance(default, ast.Call):
        return False
    func = default.func
    label = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return label in {"Depends", "Security", "Provide", "Inject"}


def untyped_inputs(pf: PythonFile, func: FunctionNode, project: Project | None = None) -> list[str]:
    """Return how a FastAPI handler takes untyped input (dict/Any/untyped params, raw JSON, and with the
    project, a request model of the repository whose every field is `Any`/`dict`); a parameter the framework
    injects from the server side (`user=Depends(get_current_user)`) is no client input."""
    problems: list[str] = []
    defaults = parameter_defaults(func.args)
    for arg in _params(func):
        if is_injected(defaults.get(arg.arg)):
            continue  # `user=Depends(get_verified_user)`: the server fills it, no client sends it
        name = _annotation_name(arg.annotation)
        if arg.annotation is None:
            problems.append(f"untyped parameter `{arg.arg}`")
        elif name in {"dict", "Dict", "Any"}:
            problems.append(f"`{arg.arg}: {ast.unparse(arg.annotation)}`")
        elif project is not None and name is not None and (where := _opaque_model(project, pf, name)):
            problems.append(f"`{arg.arg}: {name}` whose every field is Any or dict ({where})")
    parsed = _parses_raw_json(pf, func)
    if parsed is not None:
        problems.append(parsed)
    return problems


OPAQUE_FIELDS = frozenset({"Any", "dict", "Dict", "object"})  # bare: `dict[str, float]` is typed


def _opaque_model(project: Project, pf: PythonFile, name: str) -> str | None:
    """Return `path:line` of the repository's pydantic model `name` (defined in `pf` or imported from the
    repository) when it declares fields and every one is `Any`/`dict`: it validates nothing."""
    module, cls_name = pf.from_imports.get(name, ("", name))
    holder = pf if not module else project.python.get(module_paths(project).get(module, ""))
    if holder is None:
        return None
    for stmt in holder.tree.body:
        if isinstance(stmt, ast.ClassDef) and stmt.name == cls_name:
            if not any(_annotation_name(base) == "BaseModel" for base in stmt.bases):
                return None
            fields = [s.annotation for s in stmt.body if isinstance(s, ast.AnnAssign)]
            opaque = fields and all(
                not isinstance(f, ast.Subscript) and _annotation_name(f) in OPAQUE_FIELDS for f in fields
            )
            return holder.location(stmt.lineno) if opaque else None
    return None


class Schema(enum.IntEnum):
    """What a response annotation tells a client, weakest first."""

    NONE = 0  # no annotation, `Any`, `object`
    NO_FIELDS = (
        1  # a JSON object of anything: `dict`, `dict[str, Any]`, `list[dict]` (OpenAPI: `object`, no properties)
    )
    DECLARED = 2  # a model, a scalar, or a mapping of typed values (`dict[str, float]`: scores by label)


UNTYPED_NAMES = frozenset({"Any", "object"})
MAPPING_NAMES = frozenset({"dict", "Dict", "Mapping", "MutableMapping", "OrderedDict"})
CONTAINER_NAMES = frozenset({"list", "List", "Sequence", "tuple", "Tuple", "set", "Set", "Optional", "Union"})


def response_schema(annotation: ast.expr | None) -> Schema:
    """Return what a return annotation or `response_model=` declares (the weakest member of a union or list)."""
    if annotation is None or (isinstance(annotation, ast.Constant) and annotation.value is None):
        return Schema.NONE
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return _weakest([annotation.left, annotation.right])
    name = _annotation_name(annotation)
    if not isinstance(annotation, ast.Subscript):
        return Schema.NONE if name in UNTYPED_NAMES else Schema.NO_FIELDS if name in MAPPING_NAMES else Schema.DECLARED
    inner = annotation.slice
    members = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
    if name in MAPPING_NAMES:
        typed_values = len(members) == 2 and response_schema(members[-1]) is Schema.DECLARED
        return Schema.DECLARED if typed_values else Schema.NO_FIELDS
    if name in CONTAINER_NAMES:
        return _weakest([m for m in members if not (isinstance(m, ast.Constant) and m.value is Ellipsis)])
    return Schema.DECLARED


def route_schema(route: Route) -> Schema:
    """Return what a route declares of its response: `response_class=` (a page, a file) or `response_model=`
    (`None` turns the model off for a handler returning its own Response) before the return annotation."""
    if route.framework == "Django":
        return django_schema(route)
    keywords = {k.arg: k.value for k in route.decorator.keywords}
    if "response_class" in keywords:
        return Schema.DECLARED
    model = keywords.get("response_model")
    if model is not None:
        return Schema.DECLARED if isinstance(model, ast.Constant) and model.value is None else response_schema(model)
    return response_schema(route.func.returns)


def _weakest(members: list[ast.expr]) -> Schema:
    """Return the weakest schema of a union's or a container's members, leaving `None` out of a union."""
    kept = [m for m in members if not (isinstance(m, ast.Constant) and m.value is None)]
    return min((response_schema(m) for m in kept), default=Schema.NONE)


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
    if isinstance(call.func, ast.Attribute) and (call.func.attr in LOADER_METHODS or _class_load(call.func)):
        return ast.unparse(call.func)[:50]
    return None


def _class_load(func: ast.Attribute) -> bool:
    """Return True for `LudwigModel.load(path)`: a model class's own loader, called on the class (a CamelCase
    name; an all-caps namespace such as `YAML.load` reads a file, and `json.load` is a module's)."""
    owner = func.value
    return func.attr == "load" and isinstance(owner, ast.Name) and owner.id[:1].isupper() and not owner.id.isupper()


TEXT_PARSERS = re.compile(r"^(?:json\.loads?|yaml\.\w*load\w*|tomllib\.loads?|toml\.loads?)$")
TEXT_METHODS = frozenset({"read_text", "model_validate_json", "parse_raw", "parse_file"})
WEIGHT_METHODS = frozenset({"load_weights", "load_state_dict"})
OWN_LOADS_FACT = "production.own_load_methods"
LOAD_METHODS_FACT = "production.load_methods"  # a per-file fact (mlaudit.filefacts)


def loads_state_not_model(project: Project, call: ast.Call) -> bool:
    """Return True for `SessionManager.load(session_id)`: a project class whose own `load()` parses JSON, YAML
    or text and loads no model reads configuration or saved state, not weights."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and _class_load(func)):
        return False
    table: dict[str, list[bool]] = project.fact(OWN_LOADS_FACT, _own_load_methods)
    methods = table.get(func.value.id, [])
    return bool(methods) and all(methods)


def _own_load_methods(project: Project) -> dict[str, list[bool]]:
    """Map each class name of the project to whether each `load()` method its classes of that name define
    reads state (not a model)."""
    table: dict[str, list[bool]] = {}
    for pf in project.python.values():
        for name, reads_state in pf.file_fact(LOAD_METHODS_FACT, load_methods):
            table.setdefault(name, []).append(reads_state)
    return table


def load_methods(pf: PythonFile) -> tuple[tuple[str, bool], ...]:
    """Return (class name, whether it reads state rather than a model) for each `load()` method of the
    module's classes (a per-file fact)."""
    found: list[tuple[str, bool]] = []
    for cls in pf.nodes(ast.ClassDef):
        for stmt in cls.body:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and stmt.name == "load":
                found.append((cls.name, _reads_state(pf, stmt)))
    return tuple(found)


def _reads_state(pf: PythonFile, method: FunctionNode) -> bool:
    calls = [node for node in ast.walk(method) if isinstance(node, ast.Call)]
    for call in calls:
        attr = call.func.attr if isinstance(call.func, ast.Attribute) else ""
        if _loader_name(pf, call) or loads_model_file(call) or attr in WEIGHT_METHODS:
            return False
    return any(
        TEXT_PARSERS.match(pf.call_name(call) or "")
        or (isinstance(call.func, ast.Attribute) and call.func.attr in TEXT_METHODS)
        for call in calls
    )


VALIDATORS = re.compile(r"(?i)validat|parse_obj|parse_raw|schema\w*\.loads?$")
BAD_INPUT_STATUS = frozenset({400, 411, 413, 414, 415, 422})


def validates_input(route: Route) -> bool:
    """Return True when a handler validates its request through a schema (pydantic, marshmallow,
    jsonschema, `Model(**payload)`)."""
    for call in calls_in(route):
        name = route.pf.call_name(call) or ast.unparse(call.func)
        if VALIDATORS.search(name) or name.startswith(("jsonschema", "marshmallow", "pydantic")):
            return True
        if isinstance(call.func, ast.Name) and call.func.id[:1].isupper() and any(k.arg is None for k in call.keywords):
            return True
    return False


# A DRF serializer class, or a generic view's `get_serializer()`: given `data=`, it validates the request's fields.
SERIALIZER = re.compile(r"(?:Serializer$|^get_serializer$|^serializer_class$)")


def validates_with_serializer(route: Route) -> bool:
    """Return True when a Django handler hands the request's data to a serializer (`ItemSerializer(data=request.data)`,
    `self.get_serializer(data=...)`), which validates it field by field, or, in a view declaring its
    `serializer_class`, hands the request to the generic view's own action (`super().create(request)`), which does."""
    if _has_serializer_class(route) and any(_super_call(call) for call in calls_in(route)):
        return True
    for call in calls_in(route):
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if SERIALIZER.search(name) and any(k.arg == "data" for k in call.keywords):
            return True
    return False


# What a Django view reads of its request: DRF's `request.data`/`query_params`, Django's `POST`/`GET`/`body`/`FILES`.
DJANGO_REQUEST_DATA = frozenset({"data", "query_params", "POST", "GET", "body", "FILES"})


def reads_django_request(route: Route) -> bool:
    """Return True when a Django view reads its request's data (`request.data`, `self.request.query_params`); the
    `request` it is given and the URL arguments its converters type (`<int:pk>`) are no untyped input."""
    return any(
        isinstance(node, ast.Attribute) and node.attr in DJANGO_REQUEST_DATA and _base_name(node.value) == "request"
        for node in ast.walk(route.func)
    )


def django_schema(route: Route) -> Schema:
    """Return what a Django view declares of its response: a serializer's data (`Response(serializer.data)`, the
    view's `serializer_class` or one it builds) is declared; a dict literal (`JsonResponse({"label": ...})`) names
    keys no schema states (NO_FIELDS); anything else, nothing."""
    returns = [node.value for node in own_nodes(route.func) if isinstance(node, ast.Return) and node.value is not None]
    serialized = _has_serializer_class(route) or any(
        SERIALIZER.search(_base_name(call.func)) for call in calls_in(route)
    )
    if serialized and any(_serializer_answer(value) for value in returns):
        return Schema.DECLARED
    if any(isinstance(_body_of(value), ast.Dict) for value in returns):
        return Schema.NO_FIELDS
    return Schema.NONE


def _body_of(value: ast.expr) -> ast.expr | None:
    """Return the body a response call is given: its first argument or `data=`/`content=`."""
    if not isinstance(value, ast.Call):
        return None
    return value.args[0] if value.args else next((k.value for k in value.keywords if k.arg in BODY_KEYWORDS), None)


def _serializer_answer(value: ast.expr) -> bool:
    """Return True for `Response(serializer.data)` or a generic view's own answer (`super().create(...)`)."""
    if isinstance(value, ast.Call) and _super_call(value):
        return True
    body = _body_of(value)
    return isinstance(body, ast.Attribute) and body.attr == "data"


def _super_call(call: ast.Call) -> bool:
    """Return True for `super().create(...)`: the generic view's own action."""
    func = call.func
    return (
        isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call) and _base_name(func.value.func) == "super"
    )


def _has_serializer_class(route: Route) -> bool:
    owner = route.pf.parent(route.func)
    return isinstance(owner, ast.ClassDef) and any(
        isinstance(stmt, ast.Assign | ast.AnnAssign)
        and any(
            _base_name(t) == "serializer_class"
            for t in ([stmt.target] if isinstance(stmt, ast.AnnAssign) else stmt.targets)
        )
        for stmt in owner.body
    )


def reads_request(route: Route) -> bool:
    """Return True when a handler reads the request (`request.get_json()`, `request.args`): a Flask-style
    handler takes its input from the global `request`, not from its parameters."""
    return any(isinstance(node, ast.Name) and node.id == "request" for node in ast.walk(route.func))


# Frameworks that hand every handler the request object (Starlette's `async def index(request: Request)`, aiohttp's
# `async def handle(request: web.Request)`): that parameter is no input of its own, what the handler reads of it is.
REQUEST_HANDED = frozenset({"Starlette", "aiohttp", "BentoML", "Ray Serve"})
# Calls that take the request only to describe it (`log_exception(request)`): they read no input from it.
DESCRIBES = re.compile(r"(?i)log|exception|trace")


def reads_handed_request(route: Route, name: str) -> bool:
    """Return True when a handler uses the request object it is handed (`request.query_params`, `await
    request.json()`, `parse(request)`), not only to log it (`log_exception(request)`) or not at all (`_`)."""
    logged = {id(arg) for call in calls_in(route) if DESCRIBES.search(_base_name(call.func)) for arg in call.args}
    return any(
        isinstance(node, ast.Name) and node.id == name and id(node) not in logged for node in ast.walk(route.func)
    )


def rejects_bad_input(route: Route) -> int | None:
    """Return the line where a handler checks its input by hand and answers a client error
    (`return {"error": ...}, 400`, `abort(415)`, `JSONResponse({"error": ...}, status_code=400)`), if it does."""
    for node in ast.walk(route.func):
        status: ast.expr | None = None
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple) and len(node.value.elts) >= 2:
            status = node.value.elts[1]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "abort" and node.args:
            status = node.args[0]
        elif isinstance(node, ast.Call) and _base_name(node.func).lower().endswith("response"):
            status = next((k.value for k in node.keywords if k.arg in {"status", "status_code"}), None)
        if isinstance(status, ast.Constant) and status.value in BAD_INPUT_STATUS:
            return status.lineno
    return None


def calls_in(route: Route) -> Iterator[ast.Call]:
    """Yield the calls made directly in a handler's body (not in nested functions)."""
    for call in route.pf.nodes(ast.Call):
        inside = route.func.lineno <= call.lineno <= (route.func.end_lineno or call.lineno)
        if inside and route.pf.enclosing_function(call) is route.func:
            yield call


VERB_PREFIXES = tuple(
    f"{verb}_"
    for verb in [
        "get",
        "load",
        "build",
        "create",
        "make",
        "fetch",
        "init",
        "setup",
        "read",
        "parse",
        "validate",
        "check",
        "list",
        "save",
        "update",
        "set",
    ]
)


INFERENCE_METHODS = frozenset({"predict", "predict_proba", "generate", "decision_function"})


MODEL_METHODS = frozenset({"encode", "embed", "embed_documents", "embed_query", "recommend", "transform", "forward"})


MODEL_NAME = re.compile(
    r"(?i)model|encoder|embedder|pipe(?:line)?|clf|classifier|regressor|estimator|predictor|llm|generator|recommender"
    r"|^net$|booster|session"
)


def _receiver_name(node: ast.expr) -> str:
    if isinstance(node, ast.Subscript):
        key = node.slice
        return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else _receiver_name(node.value)
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _receiver_name(node.func)
    return node.id if isinstance(node, ast.Name) else ""


def blocking_inference(call: ast.Call, pf: PythonFile | None = None, project: Project | None = None) -> str | None:
    """Return a description of a CPU-bound model call (`model.predict(...)`), or None.

    A bare call counts when the name holds a model object (`classifier(text)`), not when it
    names an action (`get_model_schema()`), a request or response schema (`input_model(**body)`: a pydantic
    class built for an endpoint), a function the file defines (a nested
    `payloads_generator()`) or, with the project, a function a repository module defines and the file
    imports (`from .cache import evict_model_cache`): a helper, whatever its name mentions.
    """
    func = call.func
    if isinstance(func, ast.Attribute):
        receiver = _receiver_name(func.value)
        if func.attr in INFERENCE_METHODS or (func.attr in MODEL_METHODS and MODEL_NAME.search(receiver)):
            return f"{ast.unparse(func)[:50]}(...)"
        return None
    if isinstance(func, ast.Name) and MODEL_NAME.search(func.id) and func.id[:1].islower():
        if (
            func.id.startswith(VERB_PREFIXES)
            or SCHEMA_MODEL.search(func.id)
            or (
                pf is not None
                and (func.id in pf.file_fact(DEFS_FACT, _function_names) or _bound_to_helper(pf, call, func.id))
            )
        ):
            return None
        if pf is not None and project is not None and _imported_function(project, pf, func.id):
            return None
        return f"{func.id}(...)"
    return None


def _imported_function(project: Project, pf: PythonFile, name: str) -> bool:
    """Return True when `name` is imported from a repository module that defines it with a top-level `def`,
    directly or re-exported by a package's `__init__` (`from .protocols import parse_request`)."""
    holder: PythonFile | None = pf
    for _ in range(3):  # the module, then the re-exports of a package or two
        if holder is None or name not in holder.from_imports:
            return False
        module, name = holder.from_imports[name]
        holder = project.python.get(module_paths(project).get(module, ""))
        if holder is not None and _top_level_function(holder, name) is not None:
            return True
    return False


# A "model" named for the data an endpoint takes or gives (`input_model`, `response_model`, `request_model`): a
# pydantic schema class, which validates a payload and runs no inference.
SCHEMA_MODEL = re.compile(
    r"(?i)(?:^|_)(?:input|output|request|response|req|resp|schema|pydantic|body|payload)_models?$"
)


MODEL_LOADS = re.compile(r"(?i)load|pipeline|pretrained|model|session|build|create")


def _bound_to_helper(pf: PythonFile, call: ast.Call, name: str) -> bool:
    """Return True when the handler itself binds `name` from a call that loads no model.

    `encoder, content_type = choose_encoder(accept)` hands back a serialiser function; a model
    comes from outside the handler or from a loading call (`load_model(...)`, `pipeline(...)`).
    """
    handler = pf.enclosing_function(call)
    if handler is None:
        return False
    sources = [
        node.value
        for node in ast.walk(handler)
        if isinstance(node, ast.Assign)
        and any(name in {n.id for n in ast.walk(t) if isinstance(n, ast.Name)} for t in node.targets)
    ]
    return bool(sources) and all(
        isinstance(v, ast.Call) and not MODEL_LOADS.search(ast.unparse(v.func)) for v in sources
    )


DEFS_FACT = "production.function_names"  # computed once per file


def _function_names(pf: PythonFile) -> frozenset[str]:
    """Return the names the file defines with `def` (anywhere, nested ones included)."""
    return frozenset(
        f.name
        for f in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef)
        if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
    )


@dataclass(frozen=True)
class Instruction:
    """One Dockerfile instruction, continuation lines joined."""

    line: int
    keyword: str
    args: str


def is_dockerfile(path: str) -> bool:
    """Return True for Dockerfile, Dockerfile.gpu, app.dockerfile and the like."""
    name = path.rsplit("/", 1)[-1]
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


DOCKER_SECRET_NAME = re.compile(
    r"(?i)(?:^|_)(?:api_?key|key|token|secret|secret_key|password|passwd|pass|credentials?|auth)(?:$|_)"
)


DOCKER_NOT_SECRET = re.compile(r"(?i)_(?:path|file|dir|url|name|id)$|^path$|keyring")


def env_pairs(args: str) -> list[tuple[str, str]]:
    """Return the (name, value) pairs of an ENV or ARG instruction (both syntaxes)."""
    if "=" not in args.split(" ", 1)[0]:
        name, _, value = args.partition(" ")
        return [(name, value.strip().strip("\"'"))] if name else []
    pairs = re.findall(r"([\w.\-]+)=(\"[^\"]*\"|'[^']*'|\S*)", args)
    return [(name, value.strip("\"'")) for name, value in pairs]


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


def _real_services(project: Project) -> list[tuple[PythonFile, str]]:
    return [(pf, fw) for pf, fw in _services(project) if _routes_in(project, pf)]


def _routes_in(project: Project, pf: PythonFile) -> list[Route]:
    return [r for r in _routes(project) if r.pf is pf]


BROWSER_OPENERS = frozenset({"webbrowser.open", "webbrowser.open_new", "webbrowser.open_new_tab"})
LOCAL_URL = re.compile(r"^https?://(?:localhost|127\.0\.0\.1)(?:[:/]|$)")
LOCAL_PAGE_FACT = "production.opens_local_page"  # a per-file fact (mlaudit.filefacts)


def opens_local_page(pf: PythonFile) -> int | None:
    """Return the line where the module opens a localhost page in the user's browser
    (`webbrowser.open(f"http://localhost:{port}")`), None when it does not."""
    for call in pf.nodes(ast.Call):
        if pf.call_name(call) in BROWSER_OPENERS and call.args and LOCAL_URL.match(_literal_text(call.args[0])):
            return call.lineno
    return None


def _literal_text(node: ast.expr) -> str:
    """Return the literal text of a string or f-string, each filled-in value shown as `{}`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(str(p.value) if isinstance(p, ast.Constant) else "{}" for p in node.values)
    return ""


def local_tool(project: Project) -> str | None:
    """Return where the code opens its own localhost page in the user's browser: a web app run on the user's machine
    (an inpainting or labelling UI started from the command line), not a deployed service; None otherwise."""
    for pf in project.python_of(*SERVICE_KINDS):
        line = pf.file_fact(LOCAL_PAGE_FACT, opens_local_page)
        if line is not None and not is_example(pf.path):
            return f"{pf.path}:{line}"
    return None
