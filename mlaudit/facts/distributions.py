"""Provides dependency facts: what a repository declares, pins and locks, and import-name mapping.

Manifests are read statically (TOML with tomllib, setup.py with ast, setup.cfg with
configparser, environment.yml with a small tolerant reader); nothing is ever run. Only names whose distribution differs from the import name are listed: any other import
`a.b` is looked up as the distributions `a-b` and `a` (which also covers namespace
packages such as `google.cloud.storage` -> `google-cloud-storage`).
"""

from __future__ import annotations

import ast
import json
import posixpath
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any, TypeGuard

from mlaudit.discover import in_requirements_folder, template_folder
from mlaudit.model import FileKind
from mlaudit.project import Project, PythonFile, assigned_values
from mlaudit.readers import ini_file, requirements_file, toml_file

_SEPARATORS = re.compile(r"[-_.]+")

IMPORT_TO_DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "sklearn": ("scikit-learn",),
    "skimage": ("scikit-image",),
    "surprise": ("scikit-surprise",),
    "imblearn": ("imbalanced-learn",),
    "cv2": ("opencv-python", "opencv-python-headless", "opencv-contrib-python", "opencv-contrib-python-headless"),
    "PIL": ("pillow",),
    "yaml": ("pyyaml",),
    "bs4": ("beautifulsoup4",),
    "dotenv": ("python-dotenv",),
    "attr": ("attrs",),
    "google.protobuf": ("protobuf",),
    "jwt": ("pyjwt",),
    "dateutil": ("python-dateutil",),
    "Crypto": ("pycryptodome",),
    "Cryptodome": ("pycryptodomex",),
    "OpenSSL": ("pyopenssl",),
    "nacl": ("pynacl",),
    "serial": ("pyserial",),
    "magic": ("python-magic",),
    "docx": ("python-docx",),
    "pptx": ("python-pptx",),
    "fitz": ("pymupdf",),
    "Levenshtein": ("levenshtein", "python-levenshtein"),
    "multipart": ("python-multipart",),
    "jose": ("python-jose",),
    "slugify": ("python-slugify",),
    "git": ("gitpython",),
    "github": ("pygithub",),
    "zmq": ("pyzmq",),
    "Bio": ("biopython",),
    "MySQLdb": ("mysqlclient",),
    "psycopg2": ("psycopg2", "psycopg2-binary"),
    "psycopg": ("psycopg", "psycopg-binary"),
    "bson": ("pymongo",),
    "grpc": ("grpcio",),
    "kafka": ("kafka-python",),
    "absl": ("absl-py",),
    "umap": ("umap-learn",),
    "faiss": ("faiss-cpu", "faiss-gpu"),
    "hydra": ("hydra-core",),
    "llama_cpp": ("llama-cpp-python",),
    "llama_index": ("llama-index", "llama-index-core"),
    "weaviate": ("weaviate-client",),
    "pinecone": ("pinecone", "pinecone-client"),
    "neptune": ("neptune", "neptune-client"),
    "snowflake.connector": ("snowflake-connector-python",),
    "googleapiclient": ("google-api-python-client",),
    "google.auth": ("google-auth",),
    "google.oauth2": ("google-auth",),
    "vertexai": ("google-cloud-aiplatform", "vertexai"),  # Google also publishes the SDK as `vertexai`
    "tensorflow": ("tensorflow", "tensorflow-cpu", "tensorflow-gpu", "tensorflow-macos", "tf-nightly"),
    "keras": ("keras", "tensorflow", "tf-keras"),
    "pytorch_lightning": ("pytorch-lightning", "lightning"),
    # scikit-learn-contrib's linear models share the import name `lightning` with PyTorch Lightning 2.x
    "lightning.classification": ("sklearn-contrib-lightning",),
    "lightning.regression": ("sklearn-contrib-lightning",),
    "lightning.ranking": ("sklearn-contrib-lightning",),
    "lightning.impl": ("sklearn-contrib-lightning",),
    "onnxruntime": ("onnxruntime", "onnxruntime-gpu"),
    "cupy": ("cupy", "cupy-cuda11x", "cupy-cuda12x"),
    "mpl_toolkits": ("matplotlib",),
    "pylab": ("matplotlib",),
    "pkg_resources": ("setuptools",),
    "_pytest": ("pytest",),
    "distributed": ("distributed", "dask"),
    "win32api": ("pywin32",),
    "ldap": ("python-ldap",),
    "telegram": ("python-telegram-bot",),
    "sentencepiece": ("sentencepiece",),
    "lightgbm": ("lightgbm",),
    "websocket": ("websocket-client",),
    "jinja2": ("jinja2",),
    "markdown": ("markdown",),
    "markdown_it": ("markdown-it-py",),
    "ruamel": ("ruamel-yaml",),
    "tritonclient": ("tritonclient",),
    "tf_keras": ("tf-keras",),
    "skopt": ("scikit-optimize",),
    "sklearnex": ("scikit-learn-intelex",),
    "interpret": ("interpret", "interpret-core"),
    "scikitplot": ("scikit-plot", "mljar-scikit-plot"),
    "feather": ("feather-format",),
    "skvideo": ("scikit-video",),
    "thop": ("thop", "ultralytics-thop"),
    "dora": ("dora-search",),
    "coqpit": ("coqpit", "coqpit-config"),
    "PySide6": ("pyside6", "pyside6-essentials"),
    "pynvml": ("pynvml", "nvidia-ml-py"),
    "cattr": ("cattrs",),
    "grpc_health": ("grpcio-health-checking",),
    "opentelemetry.trace": ("opentelemetry-api",),
    "opentelemetry.context": ("opentelemetry-api",),
    "opentelemetry.propagate": ("opentelemetry-api",),
    "opentelemetry.metrics": ("opentelemetry-api",),
    "opentelemetry.baggage": ("opentelemetry-api",),
    "opentelemetry.util": ("opentelemetry-api",),
    "opentelemetry._logs": ("opentelemetry-api",),
    "opentelemetry.semconv": ("opentelemetry-semantic-conventions",),
    "taming": ("taming-transformers",),
    "mmcv": ("mmcv", "mmcv-full", "mmcv-lite"),
    "OpenGL": ("pyopengl",),
    "osgeo": ("gdal",),
    "ffmpeg": ("ffmpeg-python",),
    "speech_recognition": ("speechrecognition",),
    "wx": ("wxpython",),
    "usb": ("pyusb",),
    "cairo": ("pycairo",),
    "gi": ("pygobject",),
    "Xlib": ("python-xlib",),
    "igraph": ("igraph", "python-igraph"),
    "pycocotools": ("pycocotools", "pycocotools-windows"),
    "detectron2": ("detectron2",),
    "sklearn_crfsuite": ("sklearn-crfsuite",),
    "fasttext": ("fasttext", "fasttext-wheel"),
    "pywt": ("pywavelets",),
    # deep-learning frameworks and scientific / medical-imaging packages published under another name
    "paddle": ("paddlepaddle", "paddlepaddle-gpu"),
    "haiku": ("dm-haiku",),
    "sonnet": ("dm-sonnet",),
    # Google's and DeepMind's TensorFlow-ecosystem packages published under other names
    "gin": ("gin-config",),
    "tree": ("dm-tree",),
    "tensorflow_datasets": ("tensorflow-datasets", "tfds-nightly"),
    "official": ("tf-models-official", "tf-models-nightly"),
    "radiomics": ("pyradiomics",),
    "ants": ("antspyx",),
    "nrrd": ("pynrrd",),
    "cc3d": ("connected-components-3d",),
    "openslide": ("openslide-python", "openslide-bin"),
    "deprecate": ("pydeprecate",),
    "plum": ("plum-dispatch",),
    "pygame": ("pygame", "pygame-ce"),  # the community fork installs the same `pygame` module
    "pl_bolts": ("lightning-bolts", "pytorch-lightning-bolts"),
    # the Django apps a labelling tool's or model service's backend is built from, published under other names
    "rest_framework": ("djangorestframework",),
    "rest_framework_simplejwt": ("djangorestframework-simplejwt",),
    "django_filters": ("django-filter",),
    "polymorphic": ("django-polymorphic",),
    "rest_polymorphic": ("django-rest-polymorphic",),
    "corsheaders": ("django-cors-headers",),
    "debug_toolbar": ("django-debug-toolbar",),
    "allauth": ("django-allauth",),
    "social_django": ("social-auth-app-django",),
    "mem0": ("mem0ai",),
    "a2a": ("a2a-sdk",),  # the agent-to-agent protocol's SDK (`a2a` on the index is an unrelated project)
}

CONDA_TO_PYPI: dict[str, str] = {
    "pytorch": "torch",
    "pytorch-gpu": "torch",
    "pytorch-cpu": "torch",
    "tensorflow-gpu": "tensorflow",
    "py-opencv": "opencv-python",
    "opencv": "opencv-python",
    "py-xgboost": "xgboost",
    "py-xgboost-gpu": "xgboost",
    "lightgbm-cpu": "lightgbm",
    "matplotlib-base": "matplotlib",
}

# Distributions used without being imported by name: tools, plugins, servers, backends.
IMPLICIT_DISTRIBUTIONS = frozenset(
    {
        "pip",
        "setuptools",
        "wheel",
        "build",
        "twine",
        "hatchling",
        "flit",
        "poetry",
        "pdm",
        "uv",
        "pytest",
        "pytest-cov",
        "pytest-xdist",
        "pytest-mock",
        "pytest-asyncio",
        "pytest-benchmark",
        "coverage",
        "mypy",
        "pyright",
        "ruff",
        "black",
        "isort",
        "yapf",  # formatters, run on the code, never imported by it
        "autopep8",
        "flake8",
        "pylint",
        "bandit",
        "pre-commit",
        "tox",
        "nox",
        "pip-audit",
        "pip-tools",
        "nbstripout",
        "grpcio-tools",  # protoc for Python: writes the _pb2 modules, which import grpc and protobuf instead
        "nbqa",
        "jupyter",
        "jupyterlab",
        "notebook",
        "ipykernel",
        "ipython",
        "ipywidgets",
        "uvicorn",
        "gunicorn",
        "python-multipart",
        "email-validator",
        "httpx",
        "pyarrow",
        "fastparquet",
        "openpyxl",
        "xlrd",
        "netcdf4",  # xarray's engines: open_dataset(path) reads through them, nothing imports them
        "h5netcdf",
        "jsonargparse",  # LightningCLI parses its arguments with it
        "tabulate",
        "psycopg2-binary",
        "tensorboard",
        "tb-nightly",  # tensorboard's nightly build: torch.utils.tensorboard writes through it
        "accelerate",
        "safetensors",
        "sentencepiece",
        "protobuf",
        "tokenizers",
        "sphinx",
        "mkdocs",
        "mkdocs-material",
        "dvc",
        "python",
        "cudatoolkit",
        "cudnn",
        "cuda-version",
        "mkl",
        "nvidia-cudnn-cu12",
    }
)
_TOOL_PREFIXES = ("types-", "pytest-", "flake8-", "mkdocs-", "sphinx-", "mypy-")
_TOOL_SUFFIXES = ("-stubs",)


# Builds of a package published under another name that install the same module: `onnx-weekly` and
# `onnxruntime-directml` install `onnx`/`onnxruntime`, `nvidia-dali-cuda120` installs `nvidia.dali`, `diffq-fixed`
# and `onnx2torch-py313` are patched forks,
# and a maintained fork marks itself so (`pdfminer.six`, `docopt-ng`, `pygame-ce` install pdfminer, docopt, pygame).
_VARIANT = re.compile(
    r"-(?:nightly|weekly|fixed|patched|gpu|cpu|directml|silicon|headless|py3\d*|cu(?:da)?\d+x?|rocm[\d.]*"
    r"|six|ng|ce|fork|reloaded)$"
)


def variant_of(name: str) -> str:
    """Return the distribution a variant build stands in for (`onnx-weekly` -> `onnx`), else "" ."""
    base = _VARIANT.sub("", name)
    return base if base != name else ""


_BINDING_SUFFIXES = ("-py", "-python", "-sdk")
_SUCCESSOR = re.compile(r"^([a-z][a-z-]*[a-z])\d+$")


def aliases_of(name: str) -> frozenset[str]:
    """Return the other names a distribution's module goes by: the package a variant build stands in for
    (`onnx-weekly`: onnx), its name without a `py`/`python-` prefix or with the other one (`pyicu`: icu;
    `python-crfsuite`: pycrfsuite), without a `-py`/`-python`/`-sdk` suffix that marks the Python binding of a
    tool (`rerun-sdk`: rerun, `hebi-py`: hebi, `discord.py`: discord) and without a successor's number
    (`fpdf2`: fpdf)."""
    found = {variant_of(name)}
    found |= {name.removesuffix(s) for s in _BINDING_SUFFIXES if name.endswith(s) and len(name) > len(s) + 1}
    if name.startswith("python-"):
        found |= {name[7:], f"py{name[7:]}"}
    elif name.startswith("py") and len(name) > 4 and "-" not in name:
        found.add(name[2:])
    if match := _SUCCESSOR.match(name):
        found.add(match.group(1))
    return frozenset(found - {"", name})


def normalise(name: str) -> str:
    """Return the PEP 503 normalised form of a distribution name."""
    return _SEPARATORS.sub("-", name).lower()


NAMESPACE_PACKAGES = frozenset({"google", "azure", "opentelemetry"})
# Namespace folders whose subpackages are separate distributions: `from google.cloud import storage`
# imports google.cloud.storage (google-cloud-storage).
NAMESPACE_CONTAINERS = frozenset(
    {
        "google",
        "google.cloud",
        "azure",
        "azure.mgmt",
        "azure.storage",
        "azure.ai",
        "opentelemetry",
        "opentelemetry.instrumentation",
        "opentelemetry.exporter",
        "opentelemetry.exporter.otlp",
        "opentelemetry.exporter.otlp.proto",
    }
)


def namespace_path(module: str) -> str | None:
    """Return the dotted path naming the distribution of a module under a namespace package: the namespace
    folders plus the first subpackage below them (`opentelemetry.sdk.trace` -> `opentelemetry.sdk`,
    `google.cloud.storage.blob` -> `google.cloud.storage`); None outside a namespace package."""
    parts = module.split(".")
    if parts[0] not in NAMESPACE_PACKAGES or len(parts) < 2:
        return None
    depth = max(size for size in range(1, len(parts)) if ".".join(parts[:size]) in NAMESPACE_CONTAINERS | {parts[0]})
    return ".".join(parts[: depth + 1])


def candidate_distributions(module: str) -> frozenset[str]:
    """Return the (normalised) distributions that may provide an imported module `a.b.c`.

    A top-level module named with leading underscores (`_wiring`) is a distribution's private import name: the
    distribution is named without them (`wiring`), as no distribution's name starts with a separator.
    """
    parts = module.split(".")
    top = _distribution_top(parts[0])
    found: set[str] = set()
    for size in range(len(parts), 0, -1):
        prefix = ".".join(parts[:size])
        found.update(normalise(d) for d in IMPORT_TO_DISTRIBUTIONS.get(prefix, ()))
        found.add(normalise("-".join([top, *parts[1:size]])))
    return frozenset(found)


def _distribution_top(top: str) -> str:
    """Return a top-level module's name as a distribution would spell it: without leading underscores."""
    return top.lstrip("_") or top


def preferred_distribution(module: str) -> str:
    """Return the distribution to suggest for an undeclared import.

    Under a namespace package the distribution is named after the namespace folders and the first
    subpackage below them (`google.cloud.storage` -> google-cloud-storage, `azure.identity.aio` ->
    azure-identity, `opentelemetry.sdk.trace` -> opentelemetry-sdk).
    """
    parts = module.split(".")
    for size in range(len(parts), 0, -1):
        mapped = IMPORT_TO_DISTRIBUTIONS.get(".".join(parts[:size]))
        if mapped:
            return mapped[0]
    under_namespace = namespace_path(module)
    return normalise((under_namespace or _distribution_top(parts[0])).replace(".", "-"))


def is_sklearn_lightning(module: str) -> bool:
    """Return True for scikit-learn-contrib lightning's modules (`lightning.classification`, `lightning.impl.base`):
    linear estimators, not PyTorch Lightning, whose 2.x releases import as `lightning` too."""
    return preferred_distribution(module) == "sklearn-contrib-lightning"


def sklearn_lightning_in(modules: Iterable[str]) -> bool:
    """Return True when the modules a file imports (`from lightning import classification` names
    `lightning.classification`) show that its `lightning` is scikit-learn-contrib's: one name, one installed
    package, so every `lightning` import of that file is the linear models' package."""
    return any(is_sklearn_lightning(module) for module in modules)


def without_sklearn_lightning(modules: Iterable[str], names: Iterable[str] = ()) -> list[str]:
    """Return a file's imported modules without any `lightning` one when they, or the names it imports
    (`from lightning import classification`), show scikit-learn-contrib's package (see above)."""
    listed = list(modules)
    if not sklearn_lightning_in([*listed, *names]):
        return listed
    return [m for m in listed if m != "lightning" and not m.startswith("lightning.")]


# Standard-library modules of the Python versions mlaudit may run under (3.11 on) that the running interpreter's
# `sys.stdlib_module_names` may lack: added later (3.14: `compression.zstd`, `annotationlib`), or removed from it
# (3.12: distutils, imp, asyncore; 3.13: PEP 594's dead batteries) yet still what code written for its Python imports.
STDLIB_OF_OTHER_VERSIONS = frozenset(
    {"compression", "annotationlib"}
    | {"asynchat", "asyncore", "distutils", "imp", "smtpd"}
    | {"aifc", "audioop", "cgi", "cgitb", "chunk", "crypt", "imghdr", "lib2to3", "mailcap", "msilib", "nis"}
    | {"nntplib", "ossaudiodev", "pipes", "sndhdr", "spwd", "sunau", "telnetlib", "uu", "xdrlib"}
)


# Python 2's standard-library modules that Python 3 renamed or dropped (`cPickle` -> pickle, `urllib2` -> urllib):
# old research code imports them, usually beside the Python 3 name; they were never a distribution to declare.
PYTHON2_STDLIB = frozenset(
    {"cPickle", "cStringIO", "StringIO", "urllib2", "urlparse", "httplib", "HTMLParser", "htmlentitydefs"}
    | {"ConfigParser", "Queue", "SocketServer", "BaseHTTPServer", "SimpleHTTPServer", "CGIHTTPServer", "cookielib"}
    | {"Tkinter", "tkMessageBox", "__builtin__", "copy_reg", "xmlrpclib", "dummy_thread", "anydbm", "dbhash"}
    | {"dumbdbm", "gdbm", "whichdb", "robotparser", "UserDict", "UserList", "UserString"}
)  # not `commands` or `thread`: names a project's own modules often have


def is_standard_library(top: str) -> bool:
    """Return True for a top-level module of the standard library of any Python 3 version from 3.11 on, whichever
    interpreter runs the audit (the judgement of an import must not depend on it), or one of Python 2's."""
    return top in sys.stdlib_module_names or top in STDLIB_OF_OTHER_VERSIONS or top in PYTHON2_STDLIB


def is_implicit(distribution: str) -> bool:
    """Return True for distributions normally used without an import (tools, stubs, backends)."""
    name = normalise(distribution)
    return name in IMPLICIT_DISTRIBUTIONS or name.startswith(_TOOL_PREFIXES) or name.endswith(_TOOL_SUFFIXES)


class Pin(StrEnum):
    """How tightly a requirement fixes its version."""

    EXACT = "exact"
    RANGE = "range"
    BARE = "bare"
    URL = "url"
    BRANCH = "branch"


@dataclass(frozen=True)
class Requirement:
    """One declared requirement: normalised name, the text as written, where, and its pin."""

    name: str
    spec: str
    path: str
    line: int | None
    pin: Pin
    version: str | None = None
    dev: bool = False
    extra: bool = False  # declared in an optional extra (`[project.optional-dependencies]`), not the core install


@dataclass(frozen=True)
class ManifestProblem:
    """A dependency manifest that could not be read, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class PythonVersion:
    """The declared Python version and the file that declares it."""

    spec: str
    path: str


@dataclass(frozen=True)
class DependencyFacts:
    """Everything the repository declares about its dependencies, read statically."""

    requirements: tuple[Requirement, ...]
    locked: dict[str, str]
    lock_files: tuple[str, ...]
    covered_sources: frozenset[str]
    python: PythonVersion | None
    problems: tuple[ManifestProblem, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        """Return the files that declare at least one requirement."""
        return tuple(sorted({r.path for r in self.requirements}))

    @cached_property
    def names(self) -> frozenset[str]:
        """Return the normalised names of every declared distribution."""
        return frozenset(r.name for r in self.requirements)

    @cached_property
    def provided(self) -> frozenset[str]:
        """Return the declared names, the other names their modules go by (`onnx-weekly`: onnx, `pyicu`: icu) and
        the packages an extra named after one asks for (`transformers[torch]` installs torch)."""
        extras = frozenset(extra for r in self.requirements for extra in requested_extras(r.spec))
        return self.names.union(extras, *(aliases_of(name) for name in self.names | extras))

    @cached_property
    def _exact_names(self) -> frozenset[str]:
        return frozenset(r.name for r in self.requirements if r.pin is Pin.EXACT)

    def declares(self, distribution: str) -> bool:
        """Return True when the distribution is declared anywhere (runtime or dev)."""
        return normalise(distribution) in self.names

    def is_pinned(self, req: Requirement) -> bool:
        """Return True when the requirement is exact, or a lock file or another exact pin covers it."""
        if req.pin in (Pin.EXACT, Pin.URL) or req.path in self.covered_sources:
            return True
        return req.name in self.locked or req.name in self._exact_names

    def pinned_versions(self) -> dict[str, str]:
        """Return one exact version per pinned distribution (lock files win over ==)."""
        versions = {r.name: r.version for r in self.requirements if r.pin is Pin.EXACT and r.version}
        return dict(sorted({**versions, **self.locked}.items()))


_NAME = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*(.*)$", re.DOTALL)
_OPERATOR = re.compile(r"(===|==|~=|!=|<=|>=|<|>)\s*([A-Za-z0-9.*+!_-]+)")
_OPTION = re.compile(r"^(-[-\w]*)(?:[=\s]+(\S+))?")
_DEV_WORDS = frozenset({"dev", "develop", "test", "tests", "testing", "lint", "docs", "doc", "typing", "ci", "check"})
_LOCK_COVERS: dict[str, tuple[str, ...]] = {
    "uv.lock": ("pyproject.toml",),
    "poetry.lock": ("pyproject.toml",),
    "pdm.lock": ("pyproject.toml",),
    "Pipfile.lock": ("Pipfile",),
    "conda-lock.yml": ("environment.yml", "environment.yaml"),
    "conda-lock.yaml": ("environment.yml", "environment.yaml"),
}


_EXTRAS = re.compile(r"^\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*\[([^\]]*)\]")


def requested_extras(spec: str) -> frozenset[str]:
    """Return the normalised extras a requirement asks for (`qpsolvers[clarabel]`: clarabel); an extra named
    after a package (`transformers[torch]`, `sentry-sdk[flask]`) makes the installer bring that package."""
    match = _EXTRAS.match(spec)
    if match is None:
        return frozenset()
    return frozenset(normalise(extra.strip()) for extra in match.group(1).split(",") if extra.strip())


def parse_requirement(spec: str) -> tuple[str, Pin, str | None] | None:
    """Parse a PEP 508 requirement into (normalised name, pin, exact version); None if it is not one.

    Direct references count too: `name @ git+https://...@v1.2`, `git+https://.../repo.git@main`,
    `-e git+...#egg=name` and archive URLs. A VCS reference to a commit or a version tag is
    pinned (`Pin.URL`); one to a branch, or to no ref at all, tracks a moving target
    (`Pin.BRANCH`).
    """
    text = spec.strip()
    direct = _direct_reference(text)
    if direct is not None:
        return direct
    if "://" in text:
        return None
    match = _NAME.match(text)
    if match is None:
        return None
    name, rest = match.group(1), match.group(2).split(";", 1)[0].strip()
    return normalise(name), *_pin_of(rest)


_EDITABLE = re.compile(r"^(?:-e|--editable)(?:\s+|=)")
_VCS_SCHEMES = ("git+", "hg+", "svn+", "bzr+")
_COMMIT = re.compile(r"^[0-9a-f]{7,40}$")
_VERSION_TAG = re.compile(r"^(?:v|release[-_/]?|version[-_]?)?\d+(?:[._-]\d+)*(?:[._-]?(?:a|b|rc|post|dev)\d*)?$", re.I)
_ARCHIVE = re.compile(r"\.(?:tar\.gz|tgz|tar\.bz2|zip|whl)$")


def _direct_reference(text: str) -> tuple[str, Pin, str | None] | None:
    """Return (name, pin, None) for a URL or VCS requirement, else None."""
    text = _EDITABLE.sub("", text, count=1).strip()
    match = _NAME.match(text)
    if match is not None and match.group(2).startswith("@") and "://" in text:
        name: str | None = match.group(1)
        url = match.group(2)[1:].split(";", 1)[0].strip()
    elif text.startswith(_VCS_SCHEMES) or (text.startswith(("http://", "https://")) and " " not in text):
        name, url = None, text.split()[0]
    else:
        return None
    name = name or _name_from_url(url)
    if not name:
        return None
    return normalise(name), _url_pin(url), None


def _name_from_url(url: str) -> str | None:
    egg = re.search(r"[#&]egg=([A-Za-z0-9._-]+)", url)
    if egg:
        return egg.group(1)
    path = url.split("#", 1)[0].split("?", 1)[0].rstrip("/")
    last = path.rsplit("/", 1)[-1].split("@", 1)[0]
    if _ARCHIVE.search(last):
        return re.split(r"-\d", _ARCHIVE.sub("", last), maxsplit=1)[0] or None
    return last.removesuffix(".git") or None


def _url_pin(url: str) -> Pin:
    """Pin of a direct reference: VCS refs to branches (or none) move, commits and tags do not."""
    if not url.startswith(_VCS_SCHEMES):
        return Pin.URL
    path = url.split("#", 1)[0].split("?", 1)[0]
    last = path.rstrip("/").rsplit("/", 1)[-1]
    ref = last.split("@", 1)[1] if "@" in last else None
    if ref and (_COMMIT.match(ref) or _VERSION_TAG.match(ref)):
        return Pin.URL
    return Pin.BRANCH


def vcs_ref(spec: str) -> str | None:
    """Return the `@ref` of a VCS requirement (None when it has none)."""
    url = spec.split("#", 1)[0].rstrip("/")
    last = url.rsplit("/", 1)[-1]
    return last.split("@", 1)[1].split()[0] if "@" in last else None


def public_spec(spec: str) -> str:
    """Return the requirement text with any `user:password@` of a URL masked, for messages."""
    return re.sub(r"(://)[^/@\s]+@", r"\1***@", spec)


def _pin_of(version_spec: str) -> tuple[Pin, str | None]:
    operators = _OPERATOR.findall(version_spec)
    exact = [v for op, v in operators if op in ("==", "===") and "*" not in v]
    if exact:
        return Pin.EXACT, exact[0]
    return (Pin.RANGE, None) if operators else (Pin.BARE, None)


def is_dev_group(name: str) -> bool:
    """Return True for an extra, group or requirements file name meant for development only."""
    return bool(set(re.split(r"[-_./]+", name.lower())) & _DEV_WORDS)


@dataclass
class _Collector:
    project: Project
    requirements: list[Requirement] = field(default_factory=list)
    locked: dict[str, str] = field(default_factory=dict)
    lock_files: list[str] = field(default_factory=list)
    python: PythonVersion | None = None
    problems: list[ManifestProblem] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)

    def add(self, path: str, spec: str, dev: bool, line: int | None = None, extra: bool = False) -> None:
        template = _PLACEHOLDER.search(spec) is not None  # an f-string: its `{VERSION}` is filled at build time
        parsed = parse_requirement(_PLACEHOLDER.sub("0", spec))
        if parsed is not None:
            name, pin, version = parsed
            version = None if template else version
            where = line if line is not None else _line_of(self.project.text(path), spec)
            self.requirements.append(Requirement(name, spec.strip(), path, where, pin, version, dev, extra))

    def add_pinned(self, path: str, name: str, pin: tuple[Pin, str | None], dev: bool, line: int | None) -> None:
        spec = name if pin[1] is None else f"{name}=={pin[1]}"
        self.requirements.append(Requirement(normalise(name), spec, path, line, pin[0], pin[1], dev))

    def lock(self, name: str, version: object) -> None:
        if isinstance(version, str) and version:
            self.locked[normalise(name)] = version

    def set_python(self, spec: object, path: str) -> None:
        if self.python is None and isinstance(spec, str) and spec.strip():
            self.python = PythonVersion(spec.strip(), path)

    def problem(self, path: str, reason: str) -> None:
        self.problems.append(ManifestProblem(path, reason))

    def toml(self, path: str) -> dict[str, Any] | None:
        parsed = toml_file(self.project, path)
        if parsed.error is not None:
            self.problem(path, f"malformed TOML ({parsed.error})")
        return parsed.data

    def freeze(self) -> DependencyFacts:
        covered = frozenset(
            posixpath.join(posixpath.dirname(lock), manifest)
            for lock in self.lock_files
            for manifest in _LOCK_COVERS.get(posixpath.basename(lock), ())
        )
        return DependencyFacts(
            tuple(self.requirements),
            dict(sorted(self.locked.items())),
            tuple(self.lock_files),
            covered,
            self.python,
            tuple(self.problems),
        )


def collect_dependencies(project: Project) -> DependencyFacts:
    """Read every dependency manifest of the project once (never running any of it)."""
    collector = _Collector(project)
    texts = {p for p in project.texts if _is_requirements(p) and template_folder(p) is None}
    paths = {f.path for f in project.of_kind(FileKind.MANIFEST)} | texts
    for path in sorted(paths, key=lambda p: (p.count("/"), p)):
        reader = _reader_for(path)
        if reader is not None:
            reader(collector, path)
    if collector.python is None:
        _read_docker_python(collector)
    return collector.freeze()


# `FROM python:3.11-slim`, `FROM --platform=$P docker.io/library/python:3.10 AS base`
_PYTHON_IMAGE = re.compile(
    r"^\s*FROM\s+(?:--\S+\s+)*(?:docker\.io/)?(?:library/)?python:(\S+)", re.IGNORECASE | re.MULTILINE
)
_DOCKER_ARG = re.compile(r"^\s*ARG\s+(\w+)=([\w.${}-]+)\s*$", re.MULTILINE)
_IMAGE_VERSION = re.compile(r"^(3(?:\.\d+){1,2})(?![\d.])")
_EXAMPLE_DIRS = frozenset({"examples", "example", "tests", "test", "docs", "templates"})


def _read_docker_python(c: _Collector) -> None:
    """A Dockerfile built on an official Python image (`FROM python:3.11-slim`) fixes the Python the
    project runs on: the shallowest such Dockerfile outside examples, tests and docs declares it."""
    paths = [p for p in c.project.texts if _is_dockerfile(p) and not _EXAMPLE_DIRS & set(p.split("/")[:-1])]
    for path in sorted(paths, key=lambda p: (p.count("/"), p)):
        version = _docker_python(c.project.text(path) or "")
        if version is not None:
            c.set_python(version, path)
            return


def _is_dockerfile(path: str) -> bool:
    name = posixpath.basename(path).lower()
    return name == "dockerfile" or name.startswith("dockerfile.") or name.endswith(".dockerfile")


def _docker_python(text: str) -> str | None:
    """Return the Python version of the first official Python base image (`ARG` defaults filled in)."""
    args = {m.group(1): m.group(2) for m in _DOCKER_ARG.finditer(text)}
    for match in _PYTHON_IMAGE.finditer(text):
        tag = re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m.group(1), m.group(0)), match.group(1))
        version = _IMAGE_VERSION.match(tag)
        if version is not None:
            return version.group(1)
    return None


def _is_requirements(path: str) -> bool:
    """Return True for requirements files by name (`dev-requirements.txt`) or folder (`requirements/base.txt`,
    `requirements/server/base.txt`)."""
    name = posixpath.basename(path)
    in_folder = in_requirements_folder(tuple(path.split("/")[:-1]))
    return name.endswith((".txt", ".in")) and ("requirements" in name or in_folder)


def _line_of(text: str | None, needle: str) -> int | None:
    """Return the first line declaring `needle`: quoted first, never a comment line that only mentions it."""
    if not text or not needle:
        return None
    lines = text.splitlines()
    if needle.startswith("\n"):
        return next((n for n, line in enumerate(lines, start=1) if line.startswith(needle[1:])), None)
    for candidate in (f'"{needle}', f"'{needle}", needle):
        for number, line in enumerate(lines, start=1):
            if candidate in line and not line.lstrip().startswith("#"):
                return number
    return None


def _key_line(text: str | None, key: str) -> int | None:
    """Return the 1-based line of the TOML entry `key = ...` (bare or quoted key)."""
    if not text:
        return None
    escaped = re.escape(key)
    match = re.search(rf"^[ \t]*(?:{escaped}|\"{escaped}\"|'{escaped}')[ \t]*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else _line_of(text, key)


def _table(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


# --- pyproject.toml, Pipfile -------------------------------------------------------------


def _read_pyproject(c: _Collector, path: str) -> None:
    data = c.toml(path)
    if data is None:
        return
    meta = _table(data.get("project"))
    own = normalise(str(meta.get("name") or ""))
    for table in (meta, *_metadata_hooks(data)):
        for spec in _strings(table.get("dependencies")):
            c.add(path, spec, dev=False)
        for group, items in _table(table.get("optional-dependencies")).items():
            for spec in _strings(items):
                if not _names_itself(spec, own):
                    c.add(path, spec, dev=is_dev_group(group), extra=True)
    for items in _table(data.get("dependency-groups")).values():
        for spec in _strings(items):
            if not _names_itself(spec, own):
                c.add(path, spec, dev=True)
    c.set_python(meta.get("requires-python"), path)
    tool = _table(data.get("tool"))
    _read_poetry(c, path, _table(tool.get("poetry")))
    for spec in _strings(_table(tool.get("uv")).get("dev-dependencies")):
        c.add(path, spec, dev=True)
    for items in _table(_table(tool.get("pdm")).get("dev-dependencies")).values():
        for spec in _strings(items):
            c.add(path, spec, dev=True)


def _metadata_hooks(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the tables of hatch's metadata hooks (`[tool.hatch.metadata.hooks.uv-dynamic-versioning]`): a project
    listing its dependencies as `dynamic` writes them there, filled in at build time (`pkg=={{ version }}`)."""
    hooks = _table(_table(_table(_table(data.get("tool")).get("hatch")).get("metadata")).get("hooks"))
    return [_table(hook) for hook in hooks.values()]


def _names_itself(spec: str, own: str) -> bool:
    """Return True for `mypkg[video,timm]` in mypkg's own extras or groups: it gathers other extras, it needs nothing new."""
    parsed = parse_requirement(spec)
    return bool(own) and parsed is not None and parsed[0] == own


def _read_poetry(c: _Collector, path: str, poetry: dict[str, Any]) -> None:
    _add_table(c, path, _table(poetry.get("dependencies")), dev=False)
    _add_table(c, path, _table(poetry.get("dev-dependencies")), dev=True)
    for group in _table(poetry.get("group")).values():
        _add_table(c, path, _table(_table(group).get("dependencies")), dev=True)


def _read_pipfile(c: _Collector, path: str) -> None:
    data = c.toml(path)
    if data is None:
        return
    _add_table(c, path, _table(data.get("packages")), dev=False)
    _add_table(c, path, _table(data.get("dev-packages")), dev=True)
    requires = _table(data.get("requires"))
    c.set_python(requires.get("python_version") or requires.get("python_full_version"), path)


def _add_table(c: _Collector, path: str, table: dict[str, Any], dev: bool) -> None:
    """Add `name = spec` entries (Poetry and Pipfile style); `python` is the interpreter."""
    text = c.project.text(path)
    for name, spec in table.items():
        if name.lower() == "python":
            c.set_python(spec, path)
            continue
        pin = _table_pin(spec)
        if pin is not None:
            c.add_pinned(path, name, pin, dev, _key_line(text, name))


def _table_pin(spec: object) -> tuple[Pin, str | None] | None:
    if isinstance(spec, dict):
        if any(key in spec for key in ("path", "develop", "editable")):
            return None
        if "git" in spec and not any(key in spec for key in ("rev", "tag")):
            return Pin.BRANCH, None
        if any(key in spec for key in ("git", "url", "file")):
            return Pin.URL, None
        spec = spec.get("version", "*")
    return _version_string_pin(spec) if isinstance(spec, str) else (Pin.RANGE, None)


def _version_string_pin(spec: str) -> tuple[Pin, str | None]:
    """Pin of a Poetry/Pipfile version string: `*`, `1.2.3` (exact in Poetry), `^1.2`, `>=1`."""
    text = spec.strip()
    if text in ("", "*"):
        return Pin.BARE, None
    if text[0].isdigit():
        return Pin.EXACT, text
    if text.startswith(("^", "~")) and not text.startswith("~="):
        return Pin.RANGE, None
    return _pin_of(text)


# --- requirements files ----------------------------------------------------------------


def _read_requirements(c: _Collector, path: str, constraints: bool = False) -> None:
    if path in c.seen:
        return
    c.seen.add(path)
    dev = is_dev_group(posixpath.basename(path).rsplit(".", 1)[0]) or is_dev_group(posixpath.dirname(path))
    for line_no, line in requirements_file(c.project, path).lines:
        match = _OPTION.match(line)
        if match is None:
            _requirement_line(c, path, line_no, line, constraints, dev)
        elif match.group(1) in ("-r", "--requirement", "-c", "--constraint") and match.group(2):
            _include(c, path, match.group(2), constraints or match.group(1) in ("-c", "--constraint"))
        elif match.group(1) in ("-e", "--editable"):
            _requirement_line(c, path, line_no, line, constraints, dev)


def _read_constraints(c: _Collector, path: str) -> None:
    _read_requirements(c, path, constraints=True)


def _requirement_line(c: _Collector, path: str, line_no: int, line: str, constraints: bool, dev: bool) -> None:
    if not constraints:
        c.add(path, line, dev, line_no)
        return
    parsed = parse_requirement(line)
    if parsed is not None and parsed[1] is Pin.EXACT:
        c.lock(parsed[0], parsed[2])


def _include(c: _Collector, path: str, target: str, constraints: bool) -> None:
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
    if c.project.text(resolved) is None:
        c.problem(path, f"includes {target}, which is missing or unreadable")
        return
    _read_requirements(c, resolved, constraints)


# --- setup.py and setup.cfg --------------------------------------------------------------


def _read_setup_py(c: _Collector, path: str) -> None:
    pf = c.project.python.get(path)
    if pf is None:
        return
    for call in setup_calls(pf):
        _read_setup_call(c, pf, call)


def setup_calls(pf: PythonFile) -> Iterator[ast.Call]:
    """Yield the calls of the packaging function in a setup.py: `setup(...)`, `setuptools.setup(...)`."""
    for call in pf.nodes(ast.Call):
        if not isinstance(call, ast.Call):
            continue
        func = call.func
        if (isinstance(func, ast.Name) and func.id == "setup") or (
            isinstance(func, ast.Attribute) and func.attr == "setup"
        ):
            yield call


def setup_arguments(pf: PythonFile) -> Iterator[tuple[str | None, ast.expr]]:
    """Yield the keyword arguments of a setup.py's `setup(...)` calls (`_setup_arguments`: unpacked dicts too)."""
    for call in setup_calls(pf):
        yield from _setup_arguments(pf, call)


def _setup_arguments(pf: PythonFile, call: ast.Call) -> Iterator[tuple[str | None, ast.expr]]:
    """Yield setup()'s keyword arguments, including the keys of a dict it unpacks (`setup(**config)`), written
    as a literal (`{"install_requires": [...]}`) or as a `dict(install_requires=[...])` call."""
    for keyword in call.keywords:
        unpacked = module_value(pf, keyword.value) if keyword.arg is None else None
        if isinstance(unpacked, ast.Dict):
            for key, value in zip(unpacked.keys, unpacked.values, strict=True):
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    yield key.value, value
        elif _dict_call(unpacked):
            yield from _setup_arguments(pf, unpacked)
        else:
            yield keyword.arg, keyword.value


def _dict_call(node: ast.expr | None) -> TypeGuard[ast.Call]:
    """Return True for `dict(name="pkg", install_requires=[...])`: keyword arguments gathered into a dict."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" and not node.args


def _read_setup_call(c: _Collector, pf: PythonFile, call: ast.Call) -> None:
    # a literal reached twice (`extras["all"] = extras["a"] + extras["b"]`) counts once; keyed by where it is
    # written, not by id(), since a requirement put together at build time is a fresh node each time
    seen: set[tuple[int, int, str]] = set()
    for arg, node in _setup_arguments(pf, call):
        if arg in ("install_requires", "tests_require"):
            for item in requirement_literals(pf, node):
                if _place(item) not in seen:
                    seen.add(_place(item))
                    c.add(pf.path, str(item.value), arg == "tests_require", item.lineno)
        elif arg == "extras_require":
            for group, items in _extras_groups(pf, node):
                for item in requirement_literals(pf, items):
                    if _place(item) not in seen:
                        seen.add(_place(item))
                        c.add(pf.path, str(item.value), is_dev_group(group), item.lineno, extra=True)
        elif arg == "python_requires":
            value = module_value(pf, node)
            if isinstance(value, ast.Constant):
                c.set_python(value.value, pf.path)
            elif isinstance(value, ast.JoinedStr):
                c.set_python(_rendered(pf, value), pf.path)


def _rendered(pf: PythonFile, text: ast.JoinedStr) -> str | None:
    """Return an f-string built from literals and module constants (`f">={REQUIRED_MAJOR}.{REQUIRED_MINOR}"` with
    `REQUIRED_MAJOR = 3`) as the text it makes, None when a part is no constant of the module."""
    parts: list[str] = []
    for part in text.values:
        value = module_value(pf, part.value) if isinstance(part, ast.FormattedValue) else part
        if not isinstance(value, ast.Constant) or not isinstance(value.value, str | int):
            return None
        parts.append(str(value.value))
    return "".join(parts)


def _place(item: ast.Constant) -> tuple[int, int, str]:
    return item.lineno, item.col_offset, str(item.value)


def module_value(pf: PythonFile, node: ast.expr) -> ast.expr:
    """Follow a bare name to its module-level assignment (`install_requires=REQUIRES`)."""
    if not isinstance(node, ast.Name):
        return node
    for stmt in pf.tree.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id for t in stmt.targets):
            return stmt.value
    return node


REQUIREMENT_DEPTH = 8  # names followed from a setup() keyword to the literals that build it
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# an f-string requirement declares its name when the name is written out before the first `{...}`
_REQUIREMENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_NAMED_TEMPLATE = re.compile(r"^\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*[=<>!~\[;@(]")


def _template_literal(node: ast.JoinedStr) -> ast.Constant | None:
    """Return `f"pkg=={VERSION}"` as the literal `pkg=={VERSION}`; None when the name itself is computed."""
    first = node.values[0] if node.values else None
    if not (isinstance(first, ast.Constant) and isinstance(first.value, str) and _NAMED_TEMPLATE.match(first.value)):
        return None
    parts = [
        str(v.value) if isinstance(v, ast.Constant) else "{" + ast.unparse(getattr(v, "value", v)) + "}"
        for v in node.values
    ]
    return ast.copy_location(ast.Constant("".join(parts)), node)


def _joined_literal(node: ast.Call) -> ast.Constant | None:
    """Return `">=".join(["torch", torch_min])` as the literal `torch>={torch_min}`, like an f-string; None when
    the call is no string join or the name itself is computed."""
    func = node.func
    if not (isinstance(func, ast.Attribute) and func.attr == "join" and isinstance(func.value, ast.Constant)):
        return None
    separator = func.value.value
    parts = node.args[0] if len(node.args) == 1 and not node.keywords else None
    if not (isinstance(separator, str) and isinstance(parts, ast.List | ast.Tuple) and parts.elts):
        return None
    written = [str(e.value) if isinstance(e, ast.Constant) else "{" + ast.unparse(e) + "}" for e in parts.elts]
    text = separator.join(written)
    if not _NAMED_TEMPLATE.match(text) or not isinstance(parts.elts[0], ast.Constant):
        return None
    return ast.copy_location(ast.Constant(text), node)


def requirement_literals(pf: PythonFile, node: ast.expr, depth: int = REQUIREMENT_DEPTH) -> Iterator[ast.Constant]:
    """Yield the string literals a setup.py expression gathers, following module-level names.

    A list is often built in steps: `install = []`, `install += default` under an `if`, `.extend(...)`,
    `extras["all"] = extras["api"] + extras["cloud"]`. Every literal any step adds is declared (a
    branch chosen by an environment variable still names what the package can need), and so is a
    requirement put together at build time (`f"pkg=={VERSION}"`, `">=".join(["torch", torch_min])`).
    """
    if depth <= 0:
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, ast.JoinedStr | ast.Call):
        yield from _built_literals(pf, node, min(depth - 1, REQUIREMENT_DEPTH // 2))
    elif isinstance(node, ast.List | ast.Tuple | ast.Set):
        for element in node.elts:
            yield from requirement_literals(pf, element, depth - 1)
    elif isinstance(node, ast.ListComp | ast.GeneratorExp):
        # `[line for line in REQUIRES.split("\n") if line]`: the lines it keeps are those the string names;
        # `[r for group in GROUPS.values() for r in group]` flattens the collection its first loop walks
        yield from requirement_literals(pf, node.generators[0].iter, depth - 1)
    elif isinstance(node, ast.Starred):
        yield from requirement_literals(pf, node.value, depth - 1)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        yield from requirement_literals(pf, node.left, depth - 1)
        yield from requirement_literals(pf, node.right, depth - 1)
    elif isinstance(node, ast.Name | ast.Subscript):
        for value in _bound_values(pf, node):
            yield from requirement_literals(pf, value, depth - 1)
        if isinstance(node, ast.Subscript):
            key = _table_key(pf, node)
            if key is not None:
                yield key


def _built_literals(pf: PythonFile, node: ast.JoinedStr | ast.Call, depth: int) -> Iterator[ast.Constant]:
    """Yield the requirements an f-string, a string join or a version-table helper call puts together.

    `depth` only shrinks along the way, so a name rebound from itself (`reqs = list(set(reqs))`) ends.
    """
    literal = _template_literal(node) if isinstance(node, ast.JoinedStr) else _joined_literal(node)
    if literal is not None:
        yield literal
    elif isinstance(node, ast.Call) and _looks_up_table(pf, node):
        yield from (a for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
    elif isinstance(node, ast.Call) and _copies_collection(node):
        yield from requirement_literals(pf, node.args[0], depth)
    elif isinstance(node, ast.Call) and (groups := _mapping_values(node)) is not None:
        for _, value in _extras_groups(pf, groups):
            yield from requirement_literals(pf, value, depth)
    elif isinstance(node, ast.Call):
        yield from _split_string(pf, node)
        yield from _split_by_helper(pf, node)
        for value in _helper_returns(pf, node):
            yield from requirement_literals(pf, value, depth)


def _mapping_values(call: ast.Call) -> ast.Name | None:
    """Return `GROUPS` of `GROUPS.values()`: the values of a mapping of requirement groups."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "values" and not call.args and isinstance(func.value, ast.Name):
        return func.value
    return None


def _split_by_helper(pf: PythonFile, call: ast.Call) -> Iterator[ast.Constant]:
    """Yield the requirements of a string literal handed to a module-level helper that splits its parameter into
    parts (`to_list(\"\"\"torch\nnumpy  # arrays\"\"\")` with `def to_list(buffer): ... buffer.splitlines()`)."""
    if not (isinstance(call.func, ast.Name) and len(call.args) == 1 and not call.keywords):
        return
    text = module_value(pf, call.args[0])
    helper = next((s for s in pf.tree.body if isinstance(s, ast.FunctionDef) and s.name == call.func.id), None)
    if (
        helper is None
        or len(helper.args.args) != 1
        or not (isinstance(text, ast.Constant) and isinstance(text.value, str))
    ):
        return
    param = helper.args.args[0].arg
    for node in ast.walk(helper):
        func = node.func if isinstance(node, ast.Call) else None
        if (
            isinstance(node, ast.Call)
            and isinstance(func, ast.Attribute)
            and func.attr in SPLITTERS
            and isinstance(func.value, ast.Name)
            and func.value.id == param
        ):
            yield from _split_string(pf, ast.Call(ast.Attribute(text, func.attr), node.args, []))
            return


COPIES = frozenset({"list", "tuple", "sorted", "set"})


def _copies_collection(call: ast.Call) -> bool:
    """Return True for `list(install_requires)`, `sorted(set(extras))`: a copy of the collection it is given."""
    return isinstance(call.func, ast.Name) and call.func.id in COPIES and len(call.args) == 1 and not call.keywords


SPLITTERS = frozenset({"split", "splitlines"})
STRIPPERS = frozenset({"strip", "lstrip", "rstrip"})


def _split_string(pf: PythonFile, call: ast.Call) -> Iterator[ast.Constant]:
    """Yield each requirement of a string literal split into parts (`REQUIRES.split("\n")`,
    `\"\"\"torch\nnumpy\"\"\".strip().splitlines()`), each at its own line of the literal; comments and blank
    parts are left out."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr in SPLITTERS):
        return
    text = func.value
    while isinstance(text, ast.Call) and isinstance(text.func, ast.Attribute) and text.func.attr in STRIPPERS:
        text = text.func.value
    text = module_value(pf, text)
    if not (isinstance(text, ast.Constant) and isinstance(text.value, str)):
        return
    separator = call.args[0] if func.attr == "split" and call.args else None
    written = separator.value if isinstance(separator, ast.Constant) and isinstance(separator.value, str) else ""
    pattern = re.escape(written) if written else None
    pattern = pattern or (r"\n" if func.attr == "splitlines" else r"\s+")
    start = 0
    for part in re.split(f"({pattern})", text.value):
        spec = part.split("#", 1)[0].strip()
        if spec and (_NAMED_TEMPLATE.match(spec) or _REQUIREMENT_NAME.match(spec)):
            line = text.lineno + text.value.count("\n", 0, start)
            yield ast.Constant(spec, lineno=line, col_offset=start, end_lineno=line, end_col_offset=start)
        start += len(part)


def _helper_returns(pf: PythonFile, call: ast.Call) -> Iterator[ast.expr]:
    """Yield what a module-level helper called without arguments returns (`install_requires=get_requirements()`),
    a local name followed to its assignment in the helper."""
    if not (isinstance(call.func, ast.Name) and not call.args and not call.keywords):
        return
    helper = next((s for s in pf.tree.body if isinstance(s, ast.FunctionDef) and s.name == call.func.id), None)
    if helper is None:
        return
    for node in ast.walk(helper):
        value = node.value if isinstance(node, ast.Return) else None
        if isinstance(value, ast.Name):
            yield from assigned_values(helper, value.id)
        elif value is not None:
            yield value


def _looks_up_table(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for `deps_list("torch", "numpy")`: a module-level function returning
    `[deps[name] for name in names]`, a lookup of each name in a computed version table."""
    if not isinstance(call.func, ast.Name):
        return False
    func = next((s for s in pf.tree.body if isinstance(s, ast.FunctionDef) and s.name == call.func.id), None)
    returned = func.body[-1] if func is not None and func.body else None
    comp = returned.value if isinstance(returned, ast.Return) else None
    if not (isinstance(comp, ast.ListComp) and isinstance(comp.elt, ast.Subscript)):
        return False
    table = comp.elt.value
    return isinstance(table, ast.Name) and isinstance(module_value(pf, table), ast.DictComp)


def _table_key(pf: PythonFile, node: ast.Subscript) -> ast.Constant | None:
    """Return the name a lookup in a computed version table declares (`deps["torch"]` where
    `deps = {name: spec for ...}`): the table maps each requirement's name to its pinned spec."""
    key = node.slice
    if not (isinstance(key, ast.Constant) and isinstance(key.value, str) and _REQUIREMENT_NAME.match(key.value)):
        return None
    if not isinstance(node.value, ast.Name) or not isinstance(module_value(pf, node.value), ast.DictComp):
        return None
    return ast.copy_location(ast.Constant(key.value), node)


def _module_statements(pf: PythonFile) -> Iterator[ast.stmt]:
    """Yield the module's top-level statements, including those under a top-level if/try/with/for."""
    pending = list(pf.tree.body)
    while pending:
        stmt = pending.pop(0)
        yield stmt
        if isinstance(stmt, ast.If | ast.For | ast.While | ast.With):
            pending.extend([*stmt.body, *getattr(stmt, "orelse", [])])
        elif isinstance(stmt, ast.Try):
            pending.extend([*stmt.body, *stmt.orelse, *stmt.finalbody, *(s for h in stmt.handlers for s in h.body)])


def _same_target(target: ast.expr, node: ast.Name | ast.Subscript) -> bool:
    if isinstance(node, ast.Name):
        return isinstance(target, ast.Name) and target.id == node.id
    return (
        isinstance(target, ast.Subscript)
        and isinstance(target.value, ast.Name)
        and isinstance(node.value, ast.Name)
        and target.value.id == node.value.id
        and isinstance(target.slice, ast.Constant)
        and isinstance(node.slice, ast.Constant)
        and target.slice.value == node.slice.value
    )


def _bound_values(pf: PythonFile, node: ast.Name | ast.Subscript) -> Iterator[ast.expr]:
    """Yield every value a module-level statement binds to or adds to a name (or `name["key"]`)."""
    for stmt in _module_statements(pf):
        value = _step_value(stmt, node)
        if value is not None:
            yield value
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and isinstance(node.slice, ast.Constant):
        key = node.slice.value
        for group, value in _extras_groups(pf, node.value):
            if group == key:
                yield value


def _step_value(stmt: ast.stmt, node: ast.Name | ast.Subscript) -> ast.expr | None:
    """Return what one statement binds to or adds to the name: `x = v`, `x += v`, `x.extend(v)`, `x.append(v)`."""
    if isinstance(stmt, ast.Assign) and any(_same_target(t, node) for t in stmt.targets):
        return stmt.value
    if isinstance(stmt, ast.AugAssign | ast.AnnAssign) and stmt.value and _same_target(stmt.target, node):
        return stmt.value
    call = stmt.value if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) else None
    func = call.func if call is not None else None
    if call is not None and call.args and isinstance(func, ast.Attribute) and func.attr in ("extend", "append"):
        return call.args[0] if _same_target(func.value, node) else None
    return None


def _extras_groups(pf: PythonFile, node: ast.expr) -> Iterator[tuple[str, ast.expr]]:
    """Yield (group, value) of an extras mapping: a dict literal, or a name built by `extras["dev"] = [...]`."""
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:
                continue
            group = key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else ""
            yield group, value
        return
    if not isinstance(node, ast.Name):
        return
    for stmt in _module_statements(pf):
        if not isinstance(stmt, ast.Assign):
            continue
        for target in stmt.targets:
            if _same_target(target, node) and isinstance(stmt.value, ast.Dict):
                yield from _extras_groups(pf, stmt.value)
            elif (
                isinstance(target, ast.Subscript)
                and _same_target(target.value, node)
                and isinstance(target.slice, ast.Constant)
                and isinstance(target.slice.value, str)
            ):
                yield target.slice.value, stmt.value


def _read_setup_cfg(c: _Collector, path: str) -> None:
    ini = ini_file(c.project, path)
    if ini.error is not None:
        c.problem(path, f"malformed setup.cfg ({ini.error})")
        return
    parser = ini.parser
    if parser is None:
        return
    options = parser["options"] if parser.has_section("options") else {}
    for spec in _cfg_lines(options.get("install_requires", "")):
        c.add(path, spec, dev=False)
    c.set_python(options.get("python_requires"), path)
    if parser.has_section("options.extras_require"):
        for group, value in parser["options.extras_require"].items():
            for spec in _cfg_lines(value):
                c.add(path, spec, dev=is_dev_group(group), extra=True)


def _cfg_lines(value: str) -> list[str]:
    return [ln.split("#", 1)[0].strip() for ln in value.splitlines() if ln.split("#", 1)[0].strip()]


# --- conda environment.yml ---------------------------------------------------------------


def _read_environment(c: _Collector, path: str) -> None:
    reader = _EnvironmentReader(c, path)
    for number, raw in enumerate((c.project.text(path) or "").splitlines(), start=1):
        reader.feed(number, raw)


@dataclass
class _EnvironmentReader:
    """A tolerant reader of the `dependencies:` list of a conda environment file (no YAML library)."""

    collector: _Collector
    path: str
    in_dependencies: bool = False
    pip_indent: int | None = None

    def feed(self, number: int, raw: str) -> None:
        line = re.sub(r"(^|\s)#.*$", "", raw).rstrip()
        stripped = line.strip()
        if not stripped:
            return
        indent = len(line) - len(line.lstrip())
        if indent == 0 and not stripped.startswith("-"):
            self.in_dependencies, self.pip_indent = stripped.startswith("dependencies:"), None
            return
        if not self.in_dependencies or not stripped.startswith("-"):
            return
        item = stripped[1:].strip().strip("'\"")
        if self.pip_indent is not None and indent > self.pip_indent:
            self.collector.add(self.path, item, dev=False, line=number)
            return
        self.pip_indent = indent if item.replace(" ", "") == "pip:" else None
        if self.pip_indent is None:
            self._conda(number, item)

    def _conda(self, number: int, item: str) -> None:
        match = re.match(r"^([A-Za-z0-9_.-]+)\s*(.*)$", item.rsplit("::", maxsplit=1)[-1])
        if match is None:
            return
        name, rest = match.group(1).lower(), match.group(2).strip()
        if name == "python":
            self.collector.set_python(rest.lstrip("=") or None, self.path)
        elif name != "pip":
            self.collector.add_pinned(self.path, CONDA_TO_PYPI.get(name, name), _conda_pin(rest), False, number)


def _conda_pin(rest: str) -> tuple[Pin, str | None]:
    if not rest:
        return Pin.BARE, None
    if rest.startswith(("<", ">", "!", "~")) or "," in rest or "*" in rest or "|" in rest:
        return Pin.RANGE, None
    version = rest.lstrip("= ").split()[0]
    return (Pin.EXACT, version) if version else (Pin.BARE, None)


# --- lock files and Python version files --------------------------------------------------


def _read_toml_lock(c: _Collector, path: str) -> None:
    c.lock_files.append(path)
    data = c.toml(path)
    for package in (data or {}).get("package", []):
        if isinstance(package, dict) and not _is_local_source(package.get("source")):
            c.lock(str(package.get("name", "")), package.get("version"))


def _is_local_source(source: object) -> bool:
    return isinstance(source, dict) and any(k in source for k in ("editable", "virtual", "directory", "path"))


def _read_pipfile_lock(c: _Collector, path: str) -> None:
    c.lock_files.append(path)
    try:
        data = json.loads(c.project.text(path) or "{}")
    except json.JSONDecodeError as err:
        c.problem(path, f"malformed JSON ({err.msg} at line {err.lineno})")
        return
    for section in ("default", "develop"):
        for name, info in _table(_table(data).get(section)).items():
            version = _table(info).get("version")
            if isinstance(version, str) and version.startswith("=="):
                c.lock(name, version[2:])


def _read_conda_lock(c: _Collector, path: str) -> None:
    c.lock_files.append(path)
    name = ""
    for raw in (c.project.text(path) or "").splitlines():
        match = re.match(r"^\s*-?\s*(name|version):\s*['\"]?([^'\"\s]+)", raw)
        if match and match.group(1) == "name":
            name = match.group(2)
        elif match and name:
            c.lock(CONDA_TO_PYPI.get(name, name), match.group(2))
            name = ""


def _read_python_file(c: _Collector, path: str) -> None:
    for raw in (c.project.text(path) or "").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            c.set_python(line.removeprefix("python-"), path)
            return


_READERS: dict[str, Callable[[_Collector, str], None]] = {
    "pyproject.toml": _read_pyproject,
    "Pipfile": _read_pipfile,
    "setup.py": _read_setup_py,
    "setup.cfg": _read_setup_cfg,
    "environment.yml": _read_environment,
    "environment.yaml": _read_environment,
    "uv.lock": _read_toml_lock,
    "poetry.lock": _read_toml_lock,
    "pdm.lock": _read_toml_lock,
    "Pipfile.lock": _read_pipfile_lock,
    "conda-lock.yml": _read_conda_lock,
    "conda-lock.yaml": _read_conda_lock,
    ".python-version": _read_python_file,
    "runtime.txt": _read_python_file,
}


def _reader_for(path: str) -> Callable[[_Collector, str], None] | None:
    name = posixpath.basename(path)
    if name in _READERS and not (name.endswith(".txt") and _is_requirements(path)):
        return _READERS[name]  # `requirements/runtime.txt` lists packages; a root runtime.txt names the Python
    if name.endswith((".txt", ".in")) and name.startswith("constraints"):
        return _read_constraints
    return _read_requirements if _is_requirements(path) else None
