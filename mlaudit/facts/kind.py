"""Provides the project-kind fact: library, service, application, research or notebooks.

Expectations differ by kind (a published library declares ranges, a service pins), so rules
and capabilities ask `project_kind(project)` instead of guessing on their own.

- library: a published package: `[project]` (or setup.py/setup.cfg, or the setup() arguments a
  project module builds for a setup.py that unpacks them: `setup(**setup_args)`) metadata with version
  ranges, plus a build/publish step in CI or PyPI classifiers (also those a setup.py passes for a
  `[project]` table that marks them dynamic);
- service: a web app (FastAPI, Flask, ...) with at least one route;
- application: command-line entry points (console scripts, or scripts with an argument
  parser) over an importable package, or a container recipe;
- application also: a Gradio app that launches, or a Streamlit page, outside example and demo folders
  (unless a training entry point makes it research code with a demo);
- notebooks: at least as many notebooks as Python modules;
- research: code without any of the above, or whose command-line entry points train models with no
  package metadata, console script or container recipe shipping them (a paper's or a competition's code).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mlaudit.facts.distributions import module_value, setup_arguments, setup_calls
from mlaudit.facts.package_roots import package_roots, root_package, src_namespace_packages, subprojects
from mlaudit.model import FileKind
from mlaudit.project import is_main_guard
from mlaudit.readers import ini_file, metadata_readme, pyproject, toml_file

if TYPE_CHECKING:
    from mlaudit.facts.distributions import Requirement
    from mlaudit.project import Project, PythonFile

KINDS = ("library", "service", "application", "research", "notebooks")
PUBLISH = re.compile(
    r"pypa/gh-action-pypi-publish|twine\s+upload|\b(poetry|hatch|flit|uv|pdm)\s+publish\b|python\s+-m\s+build\b"
    r"|\bpython\s+setup\.py\s+(sdist|bdist_wheel)"
)
ROUTE_DECORATORS = frozenset({"get", "post", "put", "patch", "delete", "route", "api_route", "websocket"})
SERVICE_PREFIXES = ("fastapi", "flask", "starlette", "bentoml", "litserve", "aiohttp.web", "django", "sanic")
CLI_MODULES = ("argparse", "click", "typer", "fire", "absl.app", "hydra", "jsonargparse", "tyro", "simple_parsing")
SERVICE_SHARE = 0.1
EXAMPLE_DIRS = frozenset({"examples", "example", "docs", "doc", "tests", "test", "notebooks", "tutorials"})
EXAMPLE_PARTS = frozenset({"examples", "example", "docs", "doc", "tutorials", "tutorial", "demo", "demos"})


# Course and tutorial steps; numbered experiment folders (`exp055/`, `run3/`, `v2/`) are drift, not snapshots.
STEP_FOLDER = re.compile(
    r"^(week|lesson|chapter|ch|part|step|day|lecture|module|session|unit|tutorial|lab|class|episode)[_-]?(\d+)",
    re.IGNORECASE,
)


def step_folder(path: str | None) -> re.Match[str] | None:
    """Return the match of a path's top folder when it is a numbered course step (`week_5_docker/`)."""
    if path is None or "/" not in path:
        return None
    return STEP_FOLDER.match(path.split("/", 1)[0])


EXAMPLE_WORDS = frozenset({"example", "examples", "tutorial", "tutorials", "demo", "demos", "walkthrough"})


# words naming a runnable demo function (not "example": in ML code `shuffle_examples(examples)` handles training data)
DEMO_WORDS = frozenset({"demo", "demos"})


def is_demo_function(name: str) -> bool:
    """Return True for a function named as a demo a module ships (`demo()`, `names_demo()`, `propdemo()`): a
    runnable example of the module, whose run is the reader's, not the library's API (`demographic_split()` is
    no demo)."""
    return any(word in DEMO_WORDS or word.endswith("demo") for word in name.lower().split("_"))


_SPHINX_SETTINGS = frozenset({"extensions", "html_theme", "master_doc", "root_doc", "templates_path"})


def is_sphinx_conf(pf: PythonFile) -> bool:
    """Return True for a Sphinx `conf.py` (it sets `extensions`, `html_theme`, ...): it builds the docs."""
    if pf.path.rsplit("/", 1)[-1] != "conf.py":
        return False
    names = {t.id for s in pf.tree.body if isinstance(s, ast.Assign) for t in s.targets if isinstance(t, ast.Name)}
    return len(names & _SPHINX_SETTINGS) >= 2


def _examples_of(folder: str) -> bool:
    """Return True for a folder named for the examples or tutorials of something (`fastkit_examples/`,
    `examples-advanced/`): an examples folder under a longer name."""
    words = re.split(r"[-_]+", folder.lower())
    return len(words) > 1 and bool(set(words) & {"examples", "tutorials"})


def is_example(path: str) -> bool:
    """Return True for files in example, tutorial, demo and documentation folders (also one named for the examples
    of something: `fastkit_examples/`), and notebooks named for one
    (`bounds/usage_example.ipynb`, `tutorial.ipynb`): teaching material. (A script named `demo.py` is often
    the project's own inference entry point, so only a notebook's name counts.)"""
    parts = path.split("/")
    if any(part.lower() in EXAMPLE_PARTS or _examples_of(part) for part in parts[:-1]):
        return True
    stem, _, suffix = parts[-1].rpartition(".")
    return suffix == "ipynb" and bool(set(re.split(r"[-_. ]+", stem.lower())) & EXAMPLE_WORDS)


TEST_PARTS = frozenset({"tests", "test", "testing", "fixtures", "testdata", "test_data"})


def in_test_folder(path: str) -> bool:
    """Return True for files in test and fixture folders: a notebook or script there is a test's input, not a run."""
    return any(part.lower() in TEST_PARTS for part in path.split("/")[:-1])


DEMO_FACT = "kind.random_data_demo"  # a per-file fact (mlaudit.filefacts)
SYNTHETIC_TENSORS = frozenset(
    {"torch.randn", "torch.rand", "torch.randint", "torch.randn_like", "torch.rand_like", "torch.randperm"}
    | {"torch.zeros", "torch.ones", "torch.full", "torch.fill", "torch.arange", "torch.zeros_like", "torch.ones_like"}
)
DATA_READS = re.compile(r"(?:^|\.)(?:DataLoader|open|load|read_\w+|load_dataset|ImageFolder|from_pretrained)$")


def random_data_demo(pf: PythonFile) -> bool:
    """Return True when a package module's `__main__` block runs the module on tensors it makes itself
    (`x = torch.randn(8, 3, 128, 128); loss = model(x); loss.backward()`, `torch.zeros(4)`) and reads no
    data: a usage demo of the module, not a run of the project (a per-file fact). The block's work includes the
    module functions it calls (`if __name__ == "__main__": _test()`, where `_test` makes the tensors)."""
    guards = [s for s in pf.tree.body if isinstance(s, ast.If) and is_main_guard(s)]
    calls = [n for g in guards for n in ast.walk(g) if isinstance(n, ast.Call)]
    functions = {s.name: s for s in pf.tree.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)}
    called = {functions[c.func.id] for c in calls if isinstance(c.func, ast.Name) and c.func.id in functions}
    calls += [n for f in called for n in ast.walk(f) if isinstance(n, ast.Call)]
    names = [pf.call_name(c) or ast.unparse(c.func) for c in calls]
    return any(n in SYNTHETIC_TENSORS for n in names) and not any(DATA_READS.search(n) for n in names)


SETUP_MAIN_FACT = "kind.setup_only_main"  # a per-file fact (mlaudit.filefacts)
SETUP_MODULES = ("logging.", "warnings.")


def setup_only_main(pf: PythonFile) -> bool:
    """Return True when a module's `__main__` block only configures logging or warnings
    (`logging.basicConfig(format=...)`) or prints values it calls nothing to compute (`print(Extractor.PROMPT)`):
    it runs nothing, so the module is no entry point (a per-file fact)."""
    guards = [s for s in pf.tree.body if isinstance(s, ast.If) and is_main_guard(s)]
    statements = [stmt for g in guards for stmt in g.body]
    return bool(statements) and all(_runs_nothing(pf, stmt) for stmt in statements)


def _runs_nothing(pf: PythonFile, stmt: ast.stmt) -> bool:
    """Return True for a logging or warnings setup call, or a print of values no call computes."""
    call = stmt.value if isinstance(stmt, ast.Expr) else None
    if not isinstance(call, ast.Call):
        return False
    if (pf.call_name(call) or "").startswith(SETUP_MODULES):
        return True
    shown = [*call.args, *(k.value for k in call.keywords)]
    return (
        isinstance(call.func, ast.Name)
        and call.func.id == "print"
        and not any(isinstance(n, ast.Call) for arg in shown for n in ast.walk(arg))
    )


def is_demo_entry(project: Project, path: str) -> bool:
    """Return True for a published library's package module whose `__main__` block only demos it
    (`random_data_demo`): documentation of the API, like an example, not a run of the project."""
    pf = project.python.get(path)
    return (
        pf is not None
        and pf.kind is FileKind.LIBRARY
        and pf.has_main_guard
        and bool(pf.file_fact(DEMO_FACT, random_data_demo))
        and is_library(project)
    )


@dataclass(frozen=True)
class ProjectKind:
    """What kind of project this is, and the evidence for it (`path:line` sentences)."""

    kind: str
    evidence: tuple[str, ...]


def project_kind(project: Project) -> ProjectKind:
    """Return the project's kind (computed once per audit)."""
    result: ProjectKind = project.fact("project_kind", _detect)
    return result


def is_library(project: Project) -> bool:
    """Return True when the project is a published library (its kind)."""
    return project_kind(project).kind == "library"


def _detect(project: Project) -> ProjectKind:
    library = _library(project)
    if library is not None:
        return library
    service, app = _service(project), _application(project)
    if service is not None and (app is None or _service_share(project) >= SERVICE_SHARE):
        return service
    experiment = _experiment_code(project)
    ui = _ui_app(project) if experiment is None else None
    found = ui or _notebooks(project) or experiment or app
    if found is not None:
        return found
    code = len(project.python_of(FileKind.LIBRARY, FileKind.SCRIPT))
    metadata = _metadata(project)
    if metadata is None:
        entry = next(_cli_entry_points(project), None)
        if entry is not None:  # command-line scripts, but no package for them to drive
            return ProjectKind(
                "research",
                (
                    f"{code} Python modules without an importable package, packaging, publishing or service; "
                    f"command-line script {entry[0].path} ({entry[0].location(entry[1])})",
                ),
            )
        return ProjectKind(
            "research", (f"{code} Python modules without packaging, publishing, service or command-line evidence",)
        )
    return ProjectKind(
        "research",
        (
            f"{code} Python modules with package metadata at {metadata[0]} but no classifiers or publish step, "
            "and no service or command-line entry point",
        ),
    )


def _line(text: str | None, pattern: str) -> int | None:
    if not text:
        return None
    match = re.search(pattern, text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _at(path: str, line: int | None) -> str:
    return f"{path}:{line}" if line else path


def _pyproject(project: Project) -> dict[str, Any]:
    return pyproject(project)


# the project's name in setup(): a keyword (`name="pkg"`) or a key of the dict handed to it (`setup(**{"name": NAME})`)
NAME_FIELD = r"""\bname\s*=|["']name["']\s*:"""


def _metadata(project: Project) -> tuple[str, bool] | None:
    """Return (where package metadata is declared, whether it has PyPI classifiers)."""
    data = _pyproject(project)
    meta = data.get("project") if isinstance(data.get("project"), dict) else None
    poetry = data.get("tool", {}).get("poetry") if isinstance(data.get("tool"), dict) else None
    if isinstance(meta, dict) and meta.get("name"):
        line = _line(project.text("pyproject.toml"), r"^\[project\]")
        # Poetry 2 fills fields [project] marks `dynamic` (classifiers among them) from [tool.poetry]; setuptools
        # fills them from the setup.py beside it (`setup(classifiers=get_classifiers())`).
        backend = poetry.get("classifiers") if isinstance(poetry, dict) else None
        dynamic = meta.get("dynamic")
        if not backend and isinstance(dynamic, list) and "classifiers" in dynamic:
            backend = _setup_passes_classifiers(project)
        return _at("pyproject.toml", line) + " [project]", bool(meta.get("classifiers") or backend)
    if isinstance(poetry, dict) and poetry.get("name"):
        return _at(
            "pyproject.toml", _line(project.text("pyproject.toml"), r"^\[tool\.poetry\]")
        ) + " [tool.poetry]", bool(poetry.get("classifiers"))
    for path in ("setup.cfg", "setup.py"):
        text = _text(project, path)
        named = bool(text and re.search(NAME_FIELD, text))
        built = built_setup_arguments(project) if path == "setup.py" else None
        if built is not None:
            return built.where, built.classifiers or "classifiers" in text
        if text and named and re.search(r"install_requires", text):
            return _at(path, _line(text, r"install_requires")) + " install_requires", "classifiers" in text
        if text and named and re.search(r"\b(packages|py_modules)\b", text):
            # A setup() naming the project and what it ships is package metadata, with no runtime requirement.
            return _at(path, _line(text, NAME_FIELD)) + " (no install_requires)", "classifiers" in text
    nested = subprojects(project)
    if nested:  # several projects, each with its own metadata: the repository publishes them together
        table = toml_file(project, nested[0]).table
        meta = _table(table.get("project"))
        poetry = _table(_table(table.get("tool")).get("poetry"))
        header = r"^\[project\]" if meta else r"^\[tool\.poetry\]"
        classifiers = bool(meta.get("classifiers") or poetry.get("classifiers"))
        return _at(nested[0], _line(project.text(nested[0]), header)) + f" ({len(nested)} projects)", classifiers
    return None


# the keys that make a dict setup()'s arguments: the project's name and what it installs or ships
SETUP_NAME_KEY = "name"
SETUP_CONTENT_KEYS = frozenset({"install_requires", "packages", "py_modules"})


@dataclass(frozen=True)
class BuiltSetup:
    """setup()'s arguments as a project module builds them: where, the name they give, whether they classify."""

    where: str
    name: str
    classifiers: bool


def built_setup_arguments(project: Project) -> BuiltSetup | None:
    """Return the setup() arguments a project module builds when setup.py hands setup() a mapping it does not
    write itself (`setuptools.setup(**setup_args)`, the dict a loaded `src/pkg/__setup__.py` returns): the first
    dict of the project with a `name` key and an `install_requires`, `packages` or `py_modules` key. None when
    setup.py writes its own arguments (computed once)."""
    found: BuiltSetup | None = project.fact("kind.built_setup_arguments", _built_setup_arguments)
    return found


def _built_setup_arguments(project: Project) -> BuiltSetup | None:
    setup = project.python.get("setup.py")
    if setup is None or not any(k.arg is None for call in setup_calls(setup) for k in call.keywords):
        return None
    for pf in sorted(project.python_of(FileKind.LIBRARY, FileKind.SCRIPT, FileKind.CONFIG), key=lambda pf: pf.path):
        for node in pf.nodes(ast.Dict):
            if not isinstance(node, ast.Dict):
                continue
            keys = {k.value: v for k, v in zip(node.keys, node.values, strict=True) if isinstance(k, ast.Constant)}
            if SETUP_NAME_KEY in keys and not SETUP_CONTENT_KEYS.isdisjoint(keys):
                name = keys[SETUP_NAME_KEY]
                spelled = name.value if isinstance(name, ast.Constant) and isinstance(name.value, str) else ""
                where = f"{pf.location(node.lineno)} (setup() arguments)"
                return BuiltSetup(where, spelled, "classifiers" in keys)
    return None


def _setup_passes_classifiers(project: Project) -> bool:
    """Return True when setup.py hands `classifiers=` to its `setup(...)` call (a literal list or a helper's)."""
    setup = project.python.get("setup.py")
    if setup is None:
        return False
    return any(k.arg == "classifiers" for call in setup_calls(setup) for k in call.keywords)


def _publish_step(project: Project) -> str | None:
    for f in project.files:
        path = f.path
        if path.startswith(".github/workflows/") or path in (".gitlab-ci.yml", ".travis.yml", "Makefile"):
            line = _line(project.text(path), PUBLISH.pattern)
            if line:
                return _at(path, line)
    return None


def _library(project: Project) -> ProjectKind | None:
    found = _metadata(project)
    if found is None:
        return None
    where, classifiers = found
    if not _declares_ranges(project):
        return None
    publish = _publish_step(project)
    installs = None if publish or classifiers else _readme_install(project)
    if publish is None and not classifiers and installs is None:
        return None
    shipped = shipped_package(project)
    if shipped is None:
        return None
    ranges = "with version ranges " if _runtime_requirements(project) else ""
    package = shipped or f"{root_package(project)} (the repository root)"
    evidence = [f"package metadata {ranges}at {where}", f"ships the importable package {package}"]
    if installs is not None:
        where, source = installs.rsplit(" from ", 1)
        evidence.append(f"the README installs it from {source} ({where})")
    else:
        evidence.append(f"build/publish step at {publish}" if publish else "PyPI classifiers in the package metadata")
    return ProjectKind("library", tuple(evidence))


README_NAMES = ("README.md", "README.rst", "README.txt", "README")


def _readme_install(project: Project) -> str | None:
    """Return where the README tells users to `pip install <the metadata's name>` (`README.md:N from PyPI`; when
    setup.py computes that name, the name of the package it ships), or to pip-install the repository the metadata's
    `url` names (`pip install git+https://github.com/org/tnt.git`): a package its authors publish, even when the
    repository shows no classifiers or publish step."""
    name = _distribution_name(project) or _shipped_name(project)
    if not name:
        return None
    spelled = r"[-_.]".join(re.escape(part) for part in re.split(r"[-_.]+", name))
    command = rf"\bpip3?\s+install\s+(?:-U\s+|--upgrade\s+|-q\s+)*[\"']?{spelled}(?:\[[\w,-]+\])?(?![\w./-])"
    homes = _home_urls(project)
    named = metadata_readme(project)
    for path in (*README_NAMES, *((named,) if named else ())):
        text = project.text(path) or ""
        line = _line(text, r"(?i)" + command)
        if line:
            return f"{_at(path, line)} from PyPI"
        for match in GIT_INSTALL.finditer(text) if homes else ():
            if _bare_url(match.group(1)) in homes:
                return f"{_at(path, text.count(chr(10), 0, match.start()) + 1)} from its repository"
    return None


# `pip install git+https://github.com/org/repo.git@master`: the URL, without `git+`, a `@ref` or `#egg=`
GIT_INSTALL = re.compile(r"\bpip3?\s+install\s+(?:-U\s+|--upgrade\s+|-q\s+)*[\"']?git\+(https?://[^\s@#\"'`]+)")
# `url="https://github.com/org/repo"` in setup.py/setup.cfg, `Homepage = "..."` under [project.urls]
HOME_URL = re.compile(
    r"""^\s*(?:url|home_page|homepage|Homepage|Repository|Source)\s*[=:]\s*["']?(https?://[^\s"',]+)""", re.M
)


def _home_urls(project: Project) -> frozenset[str]:
    """Return the project's own URLs its metadata names (setup.py/setup.cfg `url`, pyproject's [project.urls])."""
    found = {
        _bare_url(match.group(1))
        for path in ("setup.py", "setup.cfg", "pyproject.toml")
        for match in HOME_URL.finditer(_text(project, path))
    }
    return frozenset(found)


def _text(project: Project, path: str) -> str:
    """Return a file's text, also a Python file's (setup.py), or ""."""
    return project.text(path) or (project.python[path].text if path in project.python else "") or ""


def _bare_url(url: str) -> str:
    """Return a repository URL compared loosely: lower case, without a trailing `/` or `.git`."""
    url = url.lower().rstrip("/")
    return url.removesuffix(".git")


def _shipped_name(project: Project) -> str:
    """Return the name of the package the metadata ships (`mani_kit` for `src/mani_kit/`): what the README installs
    when setup.py computes its distribution name (`setup(name=args.package_name)`)."""
    shipped = shipped_package(project)
    return shipped.rstrip("/").rsplit("/", 1)[-1] if shipped else ""


def _distribution_name(project: Project) -> str:
    """Return the distribution name the package metadata declares ("" when none is readable)."""
    data = _pyproject(project)
    name = _table(data.get("project")).get("name") or _table(_table(data.get("tool")).get("poetry")).get("name")
    if isinstance(name, str):
        return name
    for path, quote in (("setup.cfg", "[\"']?"), ("setup.py", "[\"']")):  # `name = args.package_name` in code: no name
        text = _text(project, path)
        match = re.search(rf"""^\s*name\s*=\s*{quote}([A-Za-z0-9][\w.-]*)""", text or "", re.MULTILINE)
        if match:
            return match.group(1)
    built = built_setup_arguments(project)
    if built is not None and built.name:
        return built.name
    setup = project.python.get("setup.py")
    return _setup_call_name(setup) if setup is not None else ""


def _setup_call_name(pf: PythonFile) -> str:
    """Return the `name=` a setup.py passes to `setup(...)` on the call's line (`setup(name='pkg', ...)`), written
    out or held by a module-level constant; "" when none is readable."""
    for arg, node in setup_arguments(pf):
        value = module_value(pf, node) if arg == "name" else None
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return value.value
    return ""


def _table(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def shipped_package(project: Project) -> str | None:
    """Return the top-level package the metadata ships: named by the build backend (`[tool.uv.build-backend]
    module-name`), named like the project, or listed in the build config;
    "" when the metadata maps a package to the repository root itself (`package_dir={"name": "."}`). A
    `src/<name>/` folder without `__init__.py` that setuptools' discovery installs counts (`src_namespace_packages`),
    and so does a package below namespace folders whose path spells the name (`_namespace_portion`). The name is
    pyproject's, else the one setup.cfg/setup.py spells out (`name="pkg" + suffix`); without a match the package
    holding the most code, never a tests folder (its modules check the package, they are not what it ships)."""
    if root_package(project) is not None and "__init__.py" in project.python:
        return ""
    roots = package_roots(project)
    regular = {
        folder
        for f in project.files
        if f.path.endswith("/__init__.py")
        for folder in [f.path.rsplit("/", 1)[0]]
        if (folder.rsplit("/", 1)[0] if "/" in folder else "") in roots
    }
    packages = sorted(regular | src_namespace_packages(project))  # `src/<name>/` setuptools discovers without one
    data = _pyproject(project)
    meta = _table(data.get("project"))
    tool = _table(data.get("tool"))
    poetry = _table(tool.get("poetry"))
    names = [str(meta.get("name") or poetry.get("name") or _distribution_name(project))] + [
        _project_name(project, p) for p in subprojects(project)
    ]
    spelled = _namespace_portion(project, names[0])
    if spelled is not None:
        return spelled
    if not packages:
        return None
    named = _backend_module_names(tool)
    for folder in packages:
        if folder.rsplit("/", 1)[-1] in named:  # `[tool.uv.build-backend] module-name = "bayes_opt"`
            return f"{folder}/"
    for raw in names:
        name = raw.lower().replace("-", "_").replace(".", "_")
        for folder in packages:
            pkg = folder.rsplit("/", 1)[-1].lower()
            if name and (name == pkg or name.endswith("_" + pkg) or name.startswith(pkg + "_")):
                return f"{folder}/"
    configured = any(key in tool for key in ("setuptools", "hatch", "pdm", "flit", "maturin")) or "packages" in poetry
    setup = "setup.py" in project.python and "packages" in project.python["setup.py"].text
    options = ini_file(project, "setup.cfg").section("options") or {}
    if not (configured or setup or options.get("packages") or options.get("py_modules")):
        return None
    shipped = [folder for folder in packages if not in_test_folder(folder + "/")] or packages  # tests ship nothing
    return f"{min(shipped, key=lambda folder: (-package_code_lines(project, folder), folder))}/"


def _backend_module_names(tool: dict[str, Any]) -> frozenset[str]:
    """Return the top-level modules a build backend's config says it ships (uv_build's `module-name`, a name
    or a list of names, dotted for a namespace package: its first part is the folder)."""
    backend = _table(_table(tool.get("uv")).get("build-backend"))
    value = backend.get("module-name")
    names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return frozenset(str(name).split(".", 1)[0] for name in names if name)


def _namespace_portion(project: Project, name: str) -> str | None:
    """Return the regular package below namespace folders whose path spells the distribution's name
    (`llama_index/readers/file/__init__.py`, no `__init__.py` above it, for `llama-index-readers-file`): the
    portion of a namespace package that the distribution installs."""
    wanted = re.sub(r"[-_.]+", "-", name.lower())
    for path in project.python:
        parts = path.split("/")[:-1]  # the package folder of an `__init__.py`, two or more folders deep
        if len(parts) < 2 or not path.endswith("/__init__.py"):
            continue
        if re.sub(r"[-_./]+", "-", "/".join(parts).lower()) != wanted:
            continue
        above = ("/".join(parts[:end]) + "/__init__.py" for end in range(1, len(parts)))
        if not any(init in project.python for init in above):
            return "/".join(parts) + "/"
    return None


def package_code_lines(project: Project, folder: str) -> int:
    """Return the code lines of the Python files under `folder/`."""
    return sum(pf.code_lines for path, pf in project.python.items() if path.startswith(folder + "/"))


def _project_name(project: Project, path: str) -> str:
    table = toml_file(project, path).table
    return str(_table(table.get("project")).get("name") or _table(_table(table.get("tool")).get("poetry")).get("name"))


def _runtime_requirements(project: Project) -> list[Requirement]:
    """Return the runtime requirements the package metadata declares."""
    from mlaudit.rules.dependencies._shared import declared_dependencies

    return [
        r
        for r in declared_dependencies(project).requirements
        if not r.dev and r.path.endswith(("pyproject.toml", "setup.py", "setup.cfg"))
    ]


def _declares_ranges(project: Project) -> bool:
    """Return True when most core runtime requirements are ranges, as a published package's are. The core
    install decides: extras exactly pinned for running the notebooks or docs (`notebooks = ["jupyter==1.1.1"]`)
    are tooling, not what users of the package install."""
    from mlaudit.facts.distributions import Pin

    runtime = _runtime_requirements(project)
    judged = [r for r in runtime if not r.extra] or runtime
    if not judged:
        return True
    return sum(1 for r in judged if r.pin is not Pin.EXACT) >= len(judged) / 2


def _routes_in(pf: PythonFile) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """Return the web route handlers of a module (outside example and test folders)."""
    if set(pf.path.split("/")[:-1]) & EXAMPLE_DIRS:
        return []
    if not any(m.startswith(SERVICE_PREFIXES) for m in pf.imported_modules):
        return []
    found: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
    for func in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for dec in func.decorator_list:
            target = dec.func if isinstance(dec, ast.Call) else dec
            if isinstance(target, ast.Attribute) and target.attr in ROUTE_DECORATORS:
                found.append(func)
                break
    return found


def _service(project: Project) -> ProjectKind | None:
    for pf in sorted(project.python_of(FileKind.LIBRARY, FileKind.SCRIPT), key=lambda p: p.path):
        routes = _routes_in(pf)
        if routes:
            func = routes[0]
            return ProjectKind("service", (f"web route {func.name}() at {pf.location(func.lineno)}",))
    return None


def _service_share(project: Project) -> float:
    """Return the share of code lines in modules that define web routes."""
    files = project.python_of(FileKind.LIBRARY, FileKind.SCRIPT)
    total = sum(pf.code_lines for pf in files) or 1
    serving = sum(pf.code_lines for pf in files if _routes_in(pf))
    return serving / total


def _notebooks(project: Project) -> ProjectKind | None:
    notebooks = len(project.of_kind(FileKind.NOTEBOOK))
    code = len(project.of_kind(FileKind.LIBRARY, FileKind.SCRIPT))
    if notebooks and notebooks >= code:
        return ProjectKind("notebooks", (f"{notebooks} notebooks against {code} Python modules",))
    return None


def _application(project: Project) -> ProjectKind | None:
    scripts = _pyproject(project).get("project", {})
    scripts = scripts.get("scripts") if isinstance(scripts, dict) else None
    if isinstance(scripts, dict) and scripts:
        name = next(iter(scripts))
        line = _line(project.text("pyproject.toml"), r"^\[project\.scripts\]")
        return ProjectKind("application", (f"console script {name!r} at {_at('pyproject.toml', line)}",))
    has_package = any(f.path.endswith("/__init__.py") for f in project.files)
    if not has_package:
        return None
    entry = next(_cli_entry_points(project), None)
    if entry is None:
        return None
    pf, line = entry
    return ProjectKind("application", (f"command-line entry point {pf.path} (parses arguments, {pf.location(line)})",))


UI_MODULES = ("gradio", "streamlit")
# `demo.launch()`, `gr.Interface(fn=predict, ...).queue().launch(share=True)`; a Streamlit script is its own page
_UI_LAUNCH = re.compile(r"\.launch\s*\(")


def _ui_app(project: Project) -> ProjectKind | None:
    """Return application for a Gradio app that launches or a Streamlit page outside example, demo, docs and test
    folders: the project is something people use through its UI, whatever trains the model behind it."""
    for pf in sorted(project.python_of(FileKind.SCRIPT, FileKind.LIBRARY), key=lambda p: (p.path.count("/"), p.path)):
        ui = sorted({m.split(".", 1)[0] for m in pf.imported_modules} & set(UI_MODULES))
        if not ui or is_example(pf.path) or in_test_folder(pf.path):
            continue
        if ui[0] == "streamlit":
            line = _line(pf.text, r"^\s*(import streamlit|from streamlit\b)")
            return ProjectKind("application", (f"Streamlit app {pf.location(line or 1)}",))
        match = _UI_LAUNCH.search(pf.text)
        if match is not None:
            line = pf.text.count("\n", 0, match.start()) + 1
            return ProjectKind("application", (f"Gradio app launched at {pf.location(line)}",))
    return None


def runs_as_command(pf: PythonFile) -> bool:
    """Return True for a module run as a program: a main guard and a command-line parser (`python -m pkg.tool`)."""
    return pf.has_main_guard and any(m.startswith(CLI_MODULES) for m in pf.imported_modules)


def _cli_entry_points(project: Project) -> Iterator[tuple[PythonFile, int]]:
    """Yield (module, line of its command-line import) for modules with a main guard that parse arguments,
    shallowest first."""
    for pf in sorted(project.python_of(FileKind.SCRIPT, FileKind.LIBRARY), key=lambda p: (p.path.count("/"), p.path)):
        if not runs_as_command(pf):
            continue  # (`imported_modules` comes from the fact cache: no parse for modules that do not qualify)
        line = pf.file_fact(CLI_IMPORT_FACT, cli_import_line)
        if line is not None:
            yield pf, line


def _experiment_code(project: Project) -> ProjectKind | None:
    """Return research when a command-line entry point trains a model and nothing ships the code as a
    program for others: no package metadata, console script or container recipe (a paper's or a
    competition's training scripts, not an application)."""
    from mlaudit.facts.randomness import TRAINING_FACT, training_line  # needs the parsed project, not the first paint
    from mlaudit.rules.production._shared import is_dockerfile  # imports this module

    if _metadata(project) is not None or any(is_dockerfile(f.path) for f in project.files):
        return None
    for pf, _cli_line in _cli_entry_points(project):
        line = pf.file_fact(TRAINING_FACT, training_line)
        if line is not None:
            return ProjectKind(
                "research",
                (
                    f"training entry point {pf.path} (trains at {pf.location(line)}) without package metadata, "
                    "console scripts or a container recipe",
                ),
            )
    return None


CLI_IMPORT_FACT = "kind.cli_import"  # a per-file fact (mlaudit.filefacts)


def cli_import_line(pf: PythonFile) -> int | None:
    """Return the line of the module's first absolute import of a command-line library (a per-file fact)."""
    for node in pf.nodes(ast.Import, ast.ImportFrom):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        else:
            continue
        if any(n.startswith(CLI_MODULES) for n in names):
            return node.lineno
    return None
