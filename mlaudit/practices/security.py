"""Provides the rules of the `security` practice: leaked secrets, unsafe loading, personal data."""

from __future__ import annotations

import ast
import csv
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from mlaudit.model import FileKind, Severity
from mlaudit.practices._image_secrets import BakedSecret, SecretBuild, baked_secrets, publishing_build, secret_builds
from mlaudit.practices._input_origin import carries_request_data, digits_only
from mlaudit.practices._output_leaks import HARMLESS_CALLS, NOT_DATA_KEYS, leaks
from mlaudit.practices._supply_chain import installing_functions, model_downloads, pip_install_calls
from mlaudit.practices._unsafe_loading import (
    UNSAFE_BY_DEFAULT_LOADERS,
    Wrapper,
    code_files,
    is_opt_out_branch,
    kwargs_weights_only,
    loads_download,
    project_wrappers,
    wrapper_target,
)
from mlaudit.practices.production import framework_of, is_dockerfile, parse_dockerfile
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, NotRun, Output, Rule, register
from mlaudit.secret_sweep import sweep

CODE_KINDS = (FileKind.LIBRARY, FileKind.SCRIPT, FileKind.NOTEBOOK)
FIXTURE_PARTS = frozenset({"tests", "test", "testing", "fixtures", "testdata", "test_data"})
SAFE_ENV_SUFFIXES = (".example", ".sample", ".template", ".dist", ".defaults")


@dataclass(frozen=True)
class FoundSecret:
    """A secret found at HEAD: where it is, what kind, and its redacted form only."""

    path: str
    line: int | None
    cell: int | None
    in_output: bool
    description: str
    fixture: bool


def is_fixture_path(path: str) -> bool:
    """Return True for files under tests/ or fixtures/ folders (or test modules)."""
    pure = PurePosixPath(path)
    return any(p in FIXTURE_PARTS for p in pure.parts[:-1]) or pure.name.startswith("test_")


def current_secrets(project: Project) -> tuple[FoundSecret, ...]:
    """Return every secret at HEAD: code, notebooks (every string), configs, data, unparsed and left-out files."""
    return tuple(
        FoundSecret(s.path, s.line, s.cell, s.in_output, s.match.describe(), is_fixture_path(s.path))
        for s in sweep(project).found
    )


def _secrets(project: Project) -> tuple[FoundSecret, ...]:
    result: tuple[FoundSecret, ...] = project.fact("security.secrets", current_secrets)
    return result


@register
class HardcodedSecret(Rule):
    """Flags API keys, tokens, passwords and private keys written into code, configs or .env files.

    ## What it does
    Scans the text of every tracked text file (Python modules, notebook cells, outputs and
    metadata, configs, `.env` files, Dockerfiles, shell scripts, small data files, files that
    do not parse, and tracked files under `build/`, `dist/` or `.dvc/`) for about seventy known
    token formats (cloud, LLM, forge, chat, payment and SaaS keys, private keys, JWTs, bearer
    headers), passwords in URLs and command lines, and random-looking values assigned to
    secret-like names (also on the line under the name). Documentation placeholders,
    templates, hash digests and UUIDs are ignored; values in tests are reported as info.
    Files that could not be read are listed as not checked.

    ## Why is this bad?
    Anyone with read access to the repository (or a fork, a wheel, a Docker image) can use
    the key. Bots harvest public repositories for keys within minutes.

    ## Example
    ```python
    client = OpenAI(api_key="sk-proj-...")
    ```

    ## Use instead
    ```python
    class Settings(BaseSettings):
        openai_api_key: SecretStr

    client = OpenAI(api_key=Settings().openai_api_key.get_secret_value())
    ```
    """

    code = "SEC001"
    scoring = "flat"
    title = "Hard-coded secret"
    practice = "security"
    severity = Severity.CRITICAL
    fix = "Revoke and rotate the key, then read it from the environment (a settings object with SecretStr)."
    weight = 25
    cap = 50

    def check(self, project: Project) -> Iterator[Output]:
        for found in _secrets(project):
            if found.in_output:
                continue
            severity = Severity.INFO if found.fixture else None
            yield Hit(
                found.path, found.line, f"{found.description} in {found.path}", severity=severity, cell=found.cell
            )
        missed = sweep(project).not_scanned
        if missed:
            shown = "; ".join(f"{s.path} ({s.reason.split(':')[0]})" for s in missed[:10])
            more = f"; and {len(missed) - 10} more" if len(missed) > 10 else ""
            yield NotRun(f"secrets in {len(missed)} file(s)", f"could not be read: {shown}{more}")


@register
class SecretInNotebookOutput(Rule):
    """Flags secrets printed into a notebook's saved cell outputs.

    ## What it does
    Scans the text outputs (stdout, text/plain, HTML, tracebacks) saved in notebooks for the
    same token formats as SEC001; images and other binary outputs are not scanned.

    ## Why is this bad?
    Printing a key "to check it loaded" saves it into the `.ipynb` file, even when the code
    itself reads it from the environment, and the notebook is then committed and shared.

    ## Example
    ```python
    print("openai key:", os.environ["OPENAI_API_KEY"])
    ```

    ## Use instead
    ```python
    print("openai key set:", "OPENAI_API_KEY" in os.environ)
    ```
    """

    code = "SEC002"
    scoring = "flat"
    title = "Secret in notebook output"
    practice = "security"
    severity = Severity.ERROR
    fix = "Rotate the key, clear the outputs (nbstripout as a pre-commit hook) and never print secrets."
    weight = 25
    cap = 50

    def check(self, project: Project) -> Iterator[Output]:
        for found in _secrets(project):
            if found.in_output:
                message = f"{found.description} in the saved output of cell {found.cell}"
                yield Hit(found.path, None, message, severity=Severity.INFO if found.fixture else None, cell=found.cell)


CREDENTIAL_NAMES = frozenset(
    {
        "id_rsa",
        "id_dsa",
        "id_ecdsa",
        "id_ed25519",
        "credentials.json",
        "kaggle.json",
        ".netrc",
        ".git-credentials",
        ".htpasswd",
    }
)
CREDENTIAL_SUFFIXES = (".pem", ".key", ".p12", ".pfx", ".keystore", ".jks")
TOKEN_CONFIGS = {".npmrc": ("_authToken=", "_auth=", "_password="), ".pypirc": ("password",)}


def is_env_file(name: str) -> bool:
    """Return True for `.env` and `.env.local`-style files, not `.env.example`/`.sample`/`.template`."""
    lower = name.lower()
    return lower == ".env" or (lower.startswith(".env.") and not lower.endswith(SAFE_ENV_SUFFIXES))


def _key_file_kind(lower: str) -> str | None:
    if lower in CREDENTIAL_NAMES or lower.endswith(CREDENTIAL_SUFFIXES):
        return "credential/key file"
    if lower.startswith(("service-account", "service_account", "client_secret")) and lower.endswith(".json"):
        return "service-account key file"
    return None


def credential_kind(project: Project, path: str) -> str | None:
    """Return why a file is a credential file (e.g. `.env file`), or None."""
    name = PurePosixPath(path).name
    if is_env_file(name):
        return ".env file"
    kind = _key_file_kind(name.lower())
    if kind is not None:
        return kind
    markers = TOKEN_CONFIGS.get(name.lower())
    text = project.text(path) or ""
    if markers and any(m in text for m in markers):
        return f"{name} with a token"
    return None


@register
class CredentialFileTracked(Rule):
    """Flags `.env` files, private keys and credential files tracked by git.

    ## What it does
    Checks the files git tracks for `.env` (not `.env.example`), `*.pem`/`*.key`, `id_rsa`,
    `credentials.json`, `kaggle.json`, `service-account*.json`, and `.npmrc`/`.pypirc`
    holding tokens.

    ## Why is this bad?
    Every clone carries the credentials, and deleting the file later leaves them in history.

    ## Example
    ```text
    $ git ls-files
    .env
    gcp/service-account.json
    ```

    ## Use instead
    ```text
    # .gitignore
    .env
    *.pem
    service-account*.json
    ```
    """

    code = "SEC003"
    scoring = "flat"
    title = "Credential file tracked by git"
    practice = "security"
    severity = Severity.ERROR
    fix = "Rotate what it holds, `git rm --cached` the file and add it to .gitignore; commit a .env.example instead."
    weight = 20
    cap = 40

    def check(self, project: Project) -> Iterator[Output]:
        if project.tracked is None:
            return
        discovered = {f.path for f in project.files}
        for path in sorted(project.tracked & discovered):
            kind = credential_kind(project, path)
            if kind is not None:
                severity = Severity.INFO if is_fixture_path(path) else None
                yield Hit(path, None, f"{kind} {path} is tracked by git", severity=severity)


@register
class EnvNotIgnored(Rule):
    """Flags a repository whose `.gitignore` is missing or does not ignore `.env`.

    ## What it does
    Asks git (or reads `.gitignore` outside git) whether a `.env` file at the root would be
    ignored. Only where a `.env` matters: an env file exists, or the code loads one
    (python-dotenv, a settings class) or reads secret-like environment variables.

    ## Why is this bad?
    `git add .` then commits the local secrets file on the first careless commit.

    ## Example
    ```text
    # .gitignore
    __pycache__/
    ```

    ## Use instead
    ```text
    # .gitignore
    __pycache__/
    .env
    .env.*
    !.env.example
    ```
    """

    code = "SEC004"
    title = ".env not ignored by git"
    practice = "security"
    severity = Severity.WARNING
    fix = "Add `.env` and `.env.*` (with `!.env.example`) to .gitignore."

    def check(self, project: Project) -> Iterator[Output]:
        if ".env" in project.inventory.ignored_probe or not reads_env_secrets(project):
            return
        if not project.has_file(".gitignore"):
            yield Hit(None, None, "No .gitignore: a .env file with secrets would be committed by `git add .`")
        else:
            yield Hit(".gitignore", None, ".gitignore does not ignore .env")


@register
class SecretInHistory(Rule):
    """Flags secrets that recent commits added and that are no longer in the tree.

    ## What it does
    Scans the file versions written by the last `history_depth` commits for the secrets
    SEC001 finds (same settings and placeholders) and reports those no longer present at
    HEAD, with the file, line and commit. A shallow clone is reported as not checked.

    ## Why is this bad?
    Deleting a key from the code does not remove it from history: every clone still has it,
    and hosted forks and caches keep it even after a history rewrite.

    ## Example
    ```text
    a1b2c3d  add quick test   (+ OPENAI_API_KEY = "sk-proj-...")
    e4f5a6b  remove key       (- OPENAI_API_KEY = "sk-proj-...")
    ```

    ## Use instead
    ```text
    Revoke the key at the provider and issue a new one, kept out of git.
    ```
    """

    code = "SEC005"
    scoring = "flat"
    title = "Secret in git history"
    practice = "security"
    severity = Severity.CRITICAL
    fix = "Rotate the key; rewriting history does not un-leak it."
    needs = ("git_history",)
    weight = 20
    cap = 40

    def check(self, project: Project) -> Iterator[Output]:
        scan = project.tool("git_history")
        if scan is None:
            yield NotRun("secrets in git history", "history scan did not run")
            return
        if not scan.ran:
            yield NotRun("secrets in git history", scan.reason or "history scan did not run")
            return
        for secret in scan.secrets:
            message = (
                f"{secret.kind} {secret.redacted} added to {secret.path} (line {secret.line}) in commit "
                f"{secret.commit}, gone at HEAD: rotate the key; rewriting history does not un-leak it"
            )
            yield Hit(secret.path, secret.line, message, commit=secret.commit)
        if scan.partial:
            yield NotRun("secrets in git history", scan.partial)


LAUNCHER_VARS = frozenset(
    {
        "RANK",
        "LOCAL_RANK",
        "WORLD_SIZE",
        "LOCAL_WORLD_SIZE",
        "NODE_RANK",
        "GROUP_RANK",
        "MASTER_ADDR",
        "MASTER_PORT",
        "CUDA_VISIBLE_DEVICES",
        "HOME",
        "PATH",
        "USER",
        "PWD",
        "TMPDIR",
        "CI",
        "TERM",
        "LANG",
        "PYTHONPATH",
        "HOSTNAME",
        "OMP_NUM_THREADS",
        "TORCHELASTIC_RUN_ID",
        "XDG_CACHE_HOME",
        "NO_COLOR",
    }
)
LAUNCHER_PREFIXES = (
    "SLURM_",
    "PMI_",
    "OMPI_",
    "GITHUB_",
    "KUBERNETES_",
    "TPU_",
    "XLA_",
    "NCCL_",
    "KMP_",
    "MKL_",
    "OPENBLAS_",
    "COVERAGE_",
    "PYTEST_",
    "PYTHON",
)
BUILD_VARS = frozenset(
    {"CFLAGS", "CPPFLAGS", "CXXFLAGS", "LDFLAGS", "CC", "CXX", "LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH"}
)
ENV_CALLS = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault", "os.environ.pop"})


def _literal_str(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _env_key(pf: PythonFile, node: ast.AST) -> tuple[bool, str | None]:
    """Return (is an environment read, the variable name if literal)."""
    if isinstance(node, ast.Call) and pf.call_name(node) in ENV_CALLS:
        return True, _literal_str(node.args[0]) if node.args else None
    if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and pf.qualname(node.value) == "os.environ":
        return True, _literal_str(node.slice)
    return False, None


def is_launcher_var(name: str | None) -> bool:
    """Return True for variables set by launchers and shells (RANK, SLURM_*, HOME, ...)."""
    return name is not None and (name in LAUNCHER_VARS or name in BUILD_VARS or name.startswith(LAUNCHER_PREFIXES))


def _defines_settings(pf: PythonFile) -> bool:
    return any(
        (pf.qualname(base) or "").endswith("BaseSettings") for cls in pf.nodes(ast.ClassDef) for base in cls.bases
    )


def env_reads(pf: PythonFile) -> list[tuple[int, str]]:
    """Return (line, variable) of the module's environment reads that are not launcher contracts."""
    if not any(v == "os" or v.startswith("os.") for v in pf.imports.values()) or _defines_settings(pf):
        return []
    reads: list[tuple[int, str]] = []
    for node in pf.nodes(ast.Call, ast.Subscript):
        is_read, key = _env_key(pf, node)
        if is_read and not is_launcher_var(key):
            reads.append((node.lineno, key or "<dynamic>"))
    return reads


ENV_SECRET_NAME = re.compile(r"(?i)key|token|secret|password|passwd|credential|auth")
DOTENV_TEXT = re.compile(r"load_dotenv|dotenv_values|env_file\s*[:=]|BaseSettings")


def reads_env_secrets(project: Project) -> bool:
    """Return True when a `.env` file exists, the code loads one, or it reads secret-like variables."""
    if any(PurePosixPath(f.path).name.lower().startswith(".env") for f in project.files):
        return True
    if any(DOTENV_TEXT.search(text) for path, text in project.texts.items() if "compose" in path):
        return True
    for pf in project.python_of(*CODE_KINDS):
        if DOTENV_TEXT.search(pf.text):
            return True
        for node in pf.nodes(ast.Call, ast.Subscript):
            is_read, key = _env_key(pf, node)
            if is_read and key is not None and ENV_SECRET_NAME.search(key):
                return True
    return False


@register
class ScatteredEnvironmentReads(Rule):
    """Flags environment variables read all over the library instead of in one settings object.

    ## What it does
    Counts library modules that read `os.environ[...]`, `os.environ.get` or `os.getenv`
    (launcher contracts such as `RANK`, `WORLD_SIZE`, `SLURM_*`, `HOME` excluded) and flags
    the pattern from three modules on (tunable: `env_modules`).

    ## Why is this bad?
    Nobody can tell which variables the code needs, defaults drift apart, secrets end up as
    plain strings that get logged, and tests must monkeypatch the environment everywhere.

    ## Example
    ```python
    # data.py
    BUCKET = os.getenv("BUCKET", "dev-bucket")
    # client.py
    key = os.environ["OPENAI_API_KEY"]
    ```

    ## Use instead
    ```python
    class Settings(BaseSettings):
        bucket: str = "dev-bucket"
        openai_api_key: SecretStr
    ```
    """

    code = "SEC006"
    title = "Environment read in many modules"
    practice = "security"
    severity = Severity.WARNING
    fix = "Read configuration once into a pydantic-settings object (SecretStr for secrets) and pass it in."

    def check(self, project: Project) -> Iterator[Output]:
        modules = [(pf, reads) for pf in project.python_of(FileKind.LIBRARY) if (reads := env_reads(pf))]
        limit = int(project.options.threshold("env_modules", 3))
        if len(modules) < limit:
            return
        names = sorted({key for _, reads in modules for _, key in reads})
        shown = ", ".join(names[:5]) + (f" (+{len(names) - 5} more)" if len(names) > 5 else "")
        first, reads = modules[0]
        message = (
            f"Environment variables ({shown}) read in {len(modules)} library modules instead of one settings object"
        )
        yield Hit(first.path, reads[0][0], message)


@dataclass(frozen=True)
class ResolvedCall:
    """A call in code (not tests) whose target resolves through the file's imports."""

    pf: PythonFile
    call: ast.Call
    name: str


def _resolved_calls(project: Project) -> tuple[ResolvedCall, ...]:
    found: list[ResolvedCall] = []
    for pf in project.python_of(*CODE_KINDS):
        for call in pf.nodes(ast.Call):
            name = pf.call_name(call)
            if name is not None:
                found.append(ResolvedCall(pf, call, name))
    return tuple(found)


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    """Return the value of a keyword argument, if given."""
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def is_const(node: ast.expr | None, value: object) -> bool:
    """Return True when the node is the literal `value` (True, False, None...)."""
    return isinstance(node, ast.Constant) and node.value is value


def place(pf: PythonFile, node: ast.AST) -> str:
    """Return `in train()` or `at module level` for messages."""
    func = pf.enclosing_function(node)
    return f"in {func.name}()" if func is not None else "at module level"


class CallRule(Rule):
    """A rule judging resolved calls one by one (`judge` returns a hit or None)."""

    targets: frozenset[str] = frozenset()

    def check(self, project: Project) -> Iterator[Output]:
        calls: tuple[ResolvedCall, ...] = project.fact("security.calls", _resolved_calls)
        for resolved in calls:
            if not self.targets or resolved.name in self.targets:
                hit = self.judge(resolved.pf, resolved.call, resolved.name)
                if hit is not None:
                    yield hit

    def judge(self, pf: PythonFile, call: ast.Call, name: str) -> Hit | None:
        """Return a hit for this call, or None."""
        raise NotImplementedError


PICKLE_LOADS = frozenset(
    {
        "pickle.load",
        "pickle.loads",
        "_pickle.load",
        "_pickle.loads",
        "cPickle.load",
        "cPickle.loads",
        "cloudpickle.load",
        "cloudpickle.loads",
        "dill.load",
        "dill.loads",
        "joblib.load",
        "sklearn.externals.joblib.load",
        "pandas.read_pickle",
        "pickle.Unpickler",
    }
)


@register
class PickleLoad(CallRule):
    """Flags pickle-based loads (pickle, cloudpickle, dill, joblib, `pd.read_pickle`).

    ## What it does
    Finds calls that unpickle data in library code, scripts and notebooks.

    ## Why is this bad?
    Unpickling runs arbitrary code from the file: a swapped model artifact or a downloaded
    checkpoint executes whatever its author wanted, with your credentials.

    ## Example
    ```python
    model = joblib.load("model.joblib")
    ```

    ## Use instead
    ```python
    model = onnxruntime.InferenceSession("model.onnx")  # or skops.io.load(..., trusted=[...])
    ```
    """

    code = "SEC008"
    title = "Unsafe pickle-based load"
    practice = "security"
    severity = Severity.WARNING
    fix = "Load only artifacts you produced and verify their hash, or use a safe format (safetensors, ONNX, skops)."
    targets = PICKLE_LOADS

    def judge(self, pf: PythonFile, call: ast.Call, name: str) -> Hit | None:
        return Hit(pf.path, call.lineno, f"{name}() {place(pf, call)} unpickles arbitrary code")


@register
class TorchLoadWithoutWeightsOnly(CallRule):
    """Flags `torch.load` without `weights_only=True` (and `weights_only=False` as an error).

    ## What it does
    Finds `torch.load(...)` calls that do not pass `weights_only=True`.

    ## Why is this bad?
    Without it `torch.load` unpickles the file, which can run arbitrary code; older torch
    versions default to the unsafe mode, and `weights_only=False` forces it.

    ## Example
    ```python
    state = torch.load(path, map_location="cpu")
    ```

    ## Use instead
    ```python
    state = torch.load(path, map_location="cpu", weights_only=True)
    ```
    """

    code = "SEC009"
    title = "torch.load without weights_only=True"
    practice = "security"
    severity = Severity.WARNING
    fix = (
        "Pass weights_only=True (save plain state dicts), or use safetensors; if the checkpoint holds "
        "other objects, allow-list them with torch.serialization.safe_globals([...])."
    )
    targets = frozenset({"torch.load"})

    def check(self, project: Project) -> Iterator[Output]:
        direct = list(super().check(project))
        yield from direct
        wrappers = project_wrappers(project, self._unsafe_loads(project))
        for pf in code_files(project):
            for call in pf.nodes(ast.Call):
                wrapper = wrapper_target(pf, call, wrappers)
                if wrapper is not None and self._flags_wrapper_call(pf, call, wrapper):
                    yield self._wrapper_hit(pf, call, wrapper)

    def judge(self, pf: PythonFile, call: ast.Call, name: str) -> Hit | None:
        flag = self._flag(pf, call)
        if is_const(flag, True) or (flag is not None and not isinstance(flag, ast.Constant)):
            return None
        if is_opt_out_branch(pf, call):
            return None
        if is_const(flag, False):
            return Hit(pf.path, call.lineno, f"torch.load(weights_only=False) {place(pf, call)}", Severity.ERROR)
        opaque = next((kw.value for kw in call.keywords if kw.arg is None and not isinstance(kw.value, ast.Name)), None)
        if opaque is not None:
            shown = ast.unparse(opaque)[:60]
            message = f"torch.load(**{shown}) {place(pf, call)}: weights_only is not visible here; pass it explicitly"
            return Hit(pf.path, call.lineno, message, Severity.INFO)
        return Hit(pf.path, call.lineno, f"torch.load() without weights_only=True {place(pf, call)}")

    @staticmethod
    def _flag(pf: PythonFile, call: ast.Call) -> ast.expr | None:
        return keyword(call, "weights_only") or kwargs_weights_only(pf, call)

    def _unsafe_loads(self, project: Project) -> Iterator[tuple[PythonFile, ast.Call, bool]]:
        for pf in code_files(project):
            for call in pf.nodes(ast.Call):
                if pf.call_name(call) == "torch.load" and self.judge(pf, call, "torch.load") is not None:
                    yield pf, call, is_const(self._flag(pf, call), False)

    @staticmethod
    def _flags_wrapper_call(pf: PythonFile, call: ast.Call, wrapper: Wrapper) -> bool:
        flag = keyword(call, "weights_only")
        if is_const(flag, True) or (flag is not None and not isinstance(flag, ast.Constant)):
            return False
        return wrapper.qualname in UNSAFE_BY_DEFAULT_LOADERS or loads_download(pf, call)

    @staticmethod
    def _wrapper_hit(pf: PythonFile, call: ast.Call, wrapper: Wrapper) -> Hit:
        downloaded = loads_download(pf, call)
        what = "a downloaded file" if downloaded else "its file"
        if wrapper.qualname in UNSAFE_BY_DEFAULT_LOADERS:
            why = f"{wrapper.qualname} {wrapper.where}"
        else:
            why = f"it calls torch.load without weights_only=True at {wrapper.where}"
        severity = Severity.ERROR if downloaded else Severity.WARNING
        message = f"{ast.unparse(call.func)}() unpickles {what} {place(pf, call)} ({why})"
        return Hit(pf.path, call.lineno, message, severity)


SAFE_YAML_LOADERS = ("SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader")
FULL_YAML_LOADERS = ("FullLoader", "CFullLoader")


@register
class UnsafeYamlLoad(CallRule):
    """Flags `yaml.load` without a safe loader, and `yaml.unsafe_load`.

    ## What it does
    Finds `yaml.load`/`yaml.load_all` calls whose `Loader` is not `SafeLoader`/`CSafeLoader`
    (or is missing), and `yaml.unsafe_load`. `FullLoader` is a warning: since PyYAML 5.4 it
    no longer constructs arbitrary objects.

    ## Why is this bad?
    The full loaders construct arbitrary Python objects from tags such as
    `!!python/object/apply:os.system`, so a config file can run code.

    ## Example
    ```python
    cfg = yaml.load(open("config.yaml"), Loader=yaml.Loader)
    ```

    ## Use instead
    ```python
    cfg = yaml.safe_load(open("config.yaml"))
    ```
    """

    code = "SEC010"
    title = "yaml.load without a safe loader"
    practice = "security"
    severity = Severity.ERROR
    fix = "Use yaml.safe_load(...) (or Loader=yaml.SafeLoader)."
    targets = frozenset({"yaml.load", "yaml.load_all", "yaml.unsafe_load", "yaml.unsafe_load_all"})

    def judge(self, pf: PythonFile, call: ast.Call, name: str) -> Hit | None:
        if name.startswith("yaml.unsafe"):
            return Hit(pf.path, call.lineno, f"{name}() {place(pf, call)}")
        loader = keyword(call, "Loader") or (call.args[1] if len(call.args) > 1 else None)
        loader_name = (pf.qualname(loader) or ast.unparse(loader)) if loader is not None else None
        if loader_name is not None and loader_name.endswith(SAFE_YAML_LOADERS):
            return None
        shown = f"Loader={loader_name}" if loader_name else "no Loader"
        if loader_name is not None and loader_name.endswith(FULL_YAML_LOADERS):
            message = f"{name}() with {shown} {place(pf, call)} (no arbitrary objects since PyYAML 5.4; use safe_load)"
            return Hit(pf.path, call.lineno, message, Severity.WARNING)
        return Hit(pf.path, call.lineno, f"{name}() with {shown} {place(pf, call)}")


@register
class TrustRemoteCode(Rule):
    """Flags `trust_remote_code=True` when loading models or datasets.

    ## What it does
    Finds any call passing `trust_remote_code=True` (transformers, datasets, sentence-transformers).

    ## Why is this bad?
    It downloads and runs Python code from the model repository at load time; a compromised
    or updated repo runs new code on your machine.

    ## Example
    ```python
    model = AutoModel.from_pretrained("org/model", trust_remote_code=True)
    ```

    ## Use instead
    ```python
    model = AutoModel.from_pretrained("org/model", trust_remote_code=True, revision="3f2a9b1")  # reviewed commit
    ```
    """

    code = "SEC011"
    title = "Remote code trusted at load time"
    practice = "security"
    severity = Severity.WARNING
    fix = "Avoid trust_remote_code, or pin revision= to a reviewed commit hash."

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python_of(*CODE_KINDS):
            for kw in pf.nodes(ast.keyword):
                if kw.arg == "trust_remote_code" and is_const(kw.value, True):
                    call = pf.parent(kw)
                    if isinstance(call, ast.Call) and not _pinned_revision(call):
                        yield Hit(pf.path, call.lineno, f"{_callee(call)}(trust_remote_code=True) {place(pf, call)}")


def _pinned_revision(call: ast.Call) -> bool:
    revision = _literal_str(keyword(call, "revision"))
    return revision is not None and len(revision) >= 7 and all(c in "0123456789abcdef" for c in revision)


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else "call"


@register
class UnpinnedTorchHub(CallRule):
    """Flags `torch.hub.load` of a repository without a pinned tag or commit.

    ## What it does
    Finds `torch.hub.load("owner/repo", ...)` where the repo string has no `:ref`.

    ## Why is this bad?
    torch.hub imports `hubconf.py` from the default branch at load time: whatever is pushed
    there next runs in your process, and results change silently.

    ## Example
    ```python
    model = torch.hub.load("ultralytics/yolov5", "yolov5s")
    ```

    ## Use instead
    ```python
    model = torch.hub.load("ultralytics/yolov5:v7.0", "yolov5s")
    ```
    """

    code = "SEC012"
    title = "torch.hub.load of an unpinned repository"
    practice = "security"
    severity = Severity.WARNING
    fix = "Pin the ref: torch.hub.load('owner/repo:v1.2', ...)."
    targets = frozenset({"torch.hub.load"})

    def judge(self, pf: PythonFile, call: ast.Call, name: str) -> Hit | None:
        repo = _literal_str(call.args[0]) if call.args else _literal_str(keyword(call, "repo_or_dir"))
        source = _literal_str(keyword(call, "source"))
        if repo is None or ":" in repo or source == "local" or repo.count("/") != 1:
            return None
        return Hit(pf.path, call.lineno, f"torch.hub.load('{repo}') without a pinned ref {place(pf, call)}")


def is_interpolated(node: ast.expr | None) -> bool:
    """Return True for f-strings with fields, `%`/`+` string building and `.format(...)`."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        sides = (node.left, node.right)
        return any(isinstance(side, ast.Constant | ast.JoinedStr) or is_interpolated(side) for side in sides)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return isinstance(node.func.value, ast.Constant)
    return False


@register
class EvalOfDynamicInput(Rule):
    """Flags the builtins `eval`/`exec` applied to anything but a literal.

    ## What it does
    Finds calls of the builtin `eval` or `exec` whose argument is not a string literal
    (methods such as `model.eval()` are not builtins and are ignored). A string just checked
    with `.isnumeric()`/`.isdigit()` is left alone: that `eval` is `int()`.

    ## Why is this bad?
    A config value, a request field or a notebook string passed to `eval` runs as code;
    it is also impossible to type-check or test.

    ## Example
    ```python
    df["ratio"] = eval(cfg["feature_expr"])
    ```

    ## Use instead
    ```python
    FEATURES = {"ratio": lambda df: df.total / (df.tenure + 1)}
    df["ratio"] = FEATURES[cfg["feature"]](df)  # or ast.literal_eval for literals
    ```
    """

    code = "SEC013"
    title = "eval/exec of dynamic input"
    practice = "security"
    severity = Severity.ERROR
    fix = "Replace eval/exec with a lookup table of functions, or ast.literal_eval for literal data."

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python_of(*CODE_KINDS):
            for call in pf.nodes(ast.Call):
                func = call.func
                if not (isinstance(func, ast.Name) and func.id in {"eval", "exec"} and func.id not in pf.imports):
                    continue
                arg = call.args[0] if call.args else None
                if arg is not None and not isinstance(arg, ast.Constant) and not digits_only(pf, call, arg):
                    shown = ast.unparse(arg)[:40]
                    yield Hit(pf.path, call.lineno, f"{func.id}({shown}) {place(pf, call)}")


SUBPROCESS_CALLS = frozenset(
    {"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen"}
)
SHELL_CALLS = frozenset({"os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput"})


@register
class ShellInjection(CallRule):
    """Flags shell commands built from interpolated strings (`shell=True`, `os.system`).

    ## What it does
    Finds `subprocess.*(..., shell=True)`, `os.system` and `os.popen` whose command is an
    f-string, `%`/`+` concatenation or `.format(...)`: an error inside a web route or
    serverless handler (request data), a warning for repository or local values.

    ## Why is this bad?
    A path, run name or user value containing `;`, `$(...)` or a space changes the command:
    at best a broken run, at worst command injection.

    ## Example
    ```python
    os.system(f"aws s3 cp {path} s3://{bucket}/")
    ```

    ## Use instead
    ```python
    subprocess.run(["aws", "s3", "cp", str(path), f"s3://{bucket}/"], check=True)
    ```
    """

    code = "SEC014"
    title = "Shell command built from interpolated strings"
    practice = "security"
    severity = Severity.ERROR
    fix = "Pass an argument list to subprocess.run without shell=True (shlex.quote if a shell is unavoidable)."
    targets = SUBPROCESS_CALLS | SHELL_CALLS

    def judge(self, pf: PythonFile, call: ast.Call, name: str) -> Hit | None:
        command = call.args[0] if call.args else keyword(call, "args") or keyword(call, "command")
        if name in SUBPROCESS_CALLS and not is_const(keyword(call, "shell"), True):
            return None
        if not (is_interpolated(command) or _built_earlier(pf, call, command)):
            return None
        shell = ", shell=True" if name in SUBPROCESS_CALLS else ""
        message = f"{name}(<interpolated string>{shell}) {place(pf, call)}"
        if carries_request_data(pf, call, command):
            return Hit(pf.path, call.lineno, f"{message} with request data")
        return Hit(pf.path, call.lineno, f"{message} (repository or local values)", Severity.WARNING)


def _built_earlier(pf: PythonFile, call: ast.Call, command: ast.expr | None) -> bool:
    """Return True when `command` is a local name assigned an interpolated string before the call."""
    if not isinstance(command, ast.Name):
        return False
    scope = pf.enclosing_function(call)
    for node in pf.nodes(ast.Assign):
        if not (isinstance(node, ast.Assign) and node.lineno < call.lineno and is_interpolated(node.value)):
            continue
        named = any(isinstance(t, ast.Name) and t.id == command.id for t in node.targets)
        if named and pf.enclosing_function(node) is scope:
            return True
    return False


HTTP_CLIENTS = ("requests.", "httpx.", "aiohttp.")
HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})


@register
class TlsVerificationDisabled(Rule):
    """Flags HTTP calls and clients created with `verify=False`.

    ## What it does
    Finds `verify=False` passed to requests/httpx calls, sessions and clients.

    ## Why is this bad?
    Certificate checks are off, so anyone on the network path can read or alter the traffic,
    including API keys and downloaded model weights.

    ## Example
    ```python
    requests.get(url, verify=False, timeout=10)
    ```

    ## Use instead
    ```python
    requests.get(url, verify="/etc/ssl/corp-ca.pem", timeout=10)
    ```
    """

    code = "SEC015"
    title = "TLS verification disabled"
    practice = "security"
    severity = Severity.ERROR
    fix = "Remove verify=False; point verify= at your CA bundle if a private CA is the problem."

    def check(self, project: Project) -> Iterator[Output]:
        calls: tuple[ResolvedCall, ...] = project.fact("security.calls", _resolved_calls)
        for resolved in calls:
            if resolved.name.startswith(HTTP_CLIENTS) and is_const(keyword(resolved.call, "verify"), False):
                where = place(resolved.pf, resolved.call)
                yield Hit(resolved.pf.path, resolved.call.lineno, f"{resolved.name}(verify=False) {where}")


@register
class HttpWithoutTimeout(CallRule):
    """Flags `requests` calls without a `timeout=`.

    ## What it does
    Finds `requests.get/post/...` calls that pass no `timeout`.

    ## Why is this bad?
    requests waits forever by default: one stalled server hangs a training job or a worker.

    ## Example
    ```python
    resp = requests.get(DATA_URL)
    ```

    ## Use instead
    ```python
    resp = requests.get(DATA_URL, timeout=30)
    ```
    """

    code = "SEC016"
    title = "HTTP call without a timeout"
    practice = "security"
    severity = Severity.INFO
    fix = "Pass timeout= (seconds) to every requests call."
    targets = frozenset(f"requests.{verb}" for verb in HTTP_VERBS)

    def judge(self, pf: PythonFile, call: ast.Call, name: str) -> Hit | None:
        if keyword(call, "timeout") is not None or any(kw.arg is None for kw in call.keywords):
            return None
        return Hit(pf.path, call.lineno, f"{name}() without timeout= {place(pf, call)}")


@register
class NumpyAllowPickle(CallRule):
    """Flags `np.load(..., allow_pickle=True)`.

    ## What it does
    Finds `numpy.load` calls that enable pickle support.

    ## Why is this bad?
    Object arrays are unpickled on load, which can run arbitrary code from the file.

    ## Example
    ```python
    features = np.load("features.npy", allow_pickle=True)
    ```

    ## Use instead
    ```python
    features = np.load("features.npy")  # store numeric arrays; use parquet for mixed data
    ```
    """

    code = "SEC017"
    title = "np.load with allow_pickle=True"
    practice = "security"
    severity = Severity.WARNING
    fix = "Save plain numeric arrays and load them without allow_pickle; use parquet/JSON for objects."
    targets = frozenset({"numpy.load"})

    def judge(self, pf: PythonFile, call: ast.Call, name: str) -> Hit | None:
        if not is_const(keyword(call, "allow_pickle"), True):
            return None
        return Hit(pf.path, call.lineno, f"np.load(allow_pickle=True) {place(pf, call)}")


LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log", "fatal"})
LOGGER_NAMES = frozenset({"logger", "log", "logging", "_logger", "_log", "LOGGER", "LOG", "_LOGGER"})
SENSITIVE_NAME = re.compile(
    r"(?i)^(?:\w*_)?(?:e_?mail|phone(?:_number)?|ssn|social_security_number|password|passwd|api_?key|secret"
    r"|credit_?card(?:_number)?|card_number|access_token|auth_token|api_token|refresh_token|bearer_token|id_token"
    r"|hf_token)$|^(?:user_)?prompts?$|^user_(?:input|message)$"
)
PROMPT_NAME = re.compile(r"(?i)^(?:user_)?prompts?$|^user_(?:input|message)$")
BODY_ATTRS = frozenset({"json", "get_json", "body", "form", "data", "values", "stream"})
BODY_PARAMS = frozenset({"payload", "body", "request_body", "json_body", "data"})
ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "route", "api_route", "websocket"})


def _unwrap(node: ast.expr) -> ast.expr:
    while isinstance(node, ast.Await | ast.Call):
        node = node.value if isinstance(node, ast.Await) else node.func
    return node


def is_request_body(node: ast.expr) -> bool:
    """Return True for `request.json`, `request.get_json()`, `await request.body()` and the like."""
    target = _unwrap(node)
    return (
        isinstance(target, ast.Attribute)
        and target.attr in BODY_ATTRS
        and isinstance(target.value, ast.Name)
        and target.value.id in {"request", "req"}
    )


def is_route(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Return True when a decorator registers the function as a web route (`@app.post(...)`)."""
    return any(
        isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in ROUTE_METHODS
        for d in func.decorator_list
    )


def _body_names(pf: PythonFile) -> dict[ast.AST, set[str]]:
    """Map each function to the local names holding a raw request body."""
    names: dict[ast.AST, set[str]] = {}
    for assign in pf.nodes(ast.Assign):
        func = pf.enclosing_function(assign) if is_request_body(assign.value) else None
        if func is not None:
            names.setdefault(func, set()).update(t.id for t in assign.targets if isinstance(t, ast.Name))
    for handler in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
        if isinstance(handler, ast.FunctionDef | ast.AsyncFunctionDef) and is_route(handler):
            names.setdefault(handler, set()).update(_body_params(handler))
    return names


def _body_params(handler: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """Return a route handler's parameters that carry the raw body (dict/Any or named payload/body)."""
    return [a.arg for a in handler.args.args if a.arg in BODY_PARAMS or _untyped_body(a)]


def _untyped_body(arg: ast.arg) -> bool:
    ann = arg.annotation
    base = ann.value if isinstance(ann, ast.Subscript) else ann
    return isinstance(base, ast.Name) and base.id in {"dict", "Dict", "Any"}


def is_log_call(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for print(...) and logger/logging calls."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id == "print" and "print" not in pf.imports
    if not (isinstance(func, ast.Attribute) and func.attr in LOG_METHODS):
        return False
    receiver = func.value
    name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
    return name in LOGGER_NAMES or (pf.call_name(call) or "").startswith("logging.")


def _sensitive(node: ast.AST, ident: str, body: set[str], service: bool = True) -> str | None:
    """Describe what sensitive value `node` (named `ident`) is, or return None."""
    shown = ast.unparse(node)[:40]
    if isinstance(node, ast.Name):
        if not isinstance(node.ctx, ast.Load):
            return None
        if ident in body:
            return f"request body `{shown}`"
    elif isinstance(node, ast.Attribute) and is_request_body(node):
        return f"request body `{shown}`"
    elif isinstance(node, ast.Attribute) and not isinstance(node.value, ast.Name):
        return None
    if PROMPT_NAME.match(ident) and not service:
        return None  # a local tool printing its own user's prompt is not a leak of user data
    return f"`{shown}`" if SENSITIVE_NAME.match(ident) else None


def _log_call_of(pf: PythonFile, node: ast.AST) -> ast.Call | None:
    """Return the log call that writes `node`; None when only its size, type or id is written."""
    child = node
    for anc in pf.ancestors(node):
        if isinstance(anc, ast.stmt) or _summarises(anc, child):
            return None
        if isinstance(anc, ast.Call) and child is not anc.func and is_log_call(pf, anc):
            return anc
        child = anc
    return None


def _summarises(node: ast.AST, child: ast.AST) -> bool:
    """Return True when `node` reduces `child` to a count, type or id (`len(body)`, `body.request_id`)."""
    if isinstance(node, ast.Call) and child is not node.func:
        return isinstance(node.func, ast.Name) and node.func.id in HARMLESS_CALLS
    return isinstance(node, ast.Attribute) and bool(NOT_DATA_KEYS.search(node.attr))


def _identifier(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return _literal_str(node.slice) if isinstance(node, ast.Subscript) else None


def sensitive_logs(pf: PythonFile) -> Iterator[tuple[ast.Call, str]]:
    """Yield each log/print call that writes user data or secrets, with what it writes."""
    bodies = _body_names(pf)
    body_names = set().union(*bodies.values()) if bodies else set()
    service = framework_of(pf) is not None
    seen: set[ast.Call] = set()
    for node, ident in _candidates(pf, body_names):
        func = pf.enclosing_function(node)
        what = _sensitive(node, ident, bodies.get(func, set()) if func is not None else set(), service)
        call = _log_call_of(pf, node) if what else None
        if call is not None and what is not None and call not in seen:
            seen.add(call)
            yield call, what


def _candidates(pf: PythonFile, body_names: set[str]) -> Iterator[tuple[ast.AST, str]]:
    """Yield the names, attributes and string keys that could hold user data or secrets, in source order."""
    found: list[tuple[ast.expr, str]] = []
    for kind in (ast.Name, ast.Attribute, ast.Subscript):
        for node in pf.nodes(kind):
            ident = _identifier(node)
            if ident is not None and (ident in body_names or ident in BODY_ATTRS or SENSITIVE_NAME.match(ident)):
                found.append((node, ident))
    # Sorting the few candidates (stable) gives the order of sorting every node first, at a fraction of the cost.
    found.sort(key=lambda item: (item[0].lineno, item[0].col_offset))
    yield from found


@register
class SensitiveDataLogged(Rule):
    """Flags logging or printing of request bodies, prompts, emails, passwords and tokens.

    ## What it does
    Finds `print` and logger calls whose arguments include a raw request body
    (`request.json`, `await request.body()`, an untyped body parameter), or a variable,
    attribute or key named like email, phone, ssn, password, token, api_key, secret,
    credit_card, prompt or user input.

    ## Why is this bad?
    Logs are copied to aggregators, tickets and laptops with far weaker access control than
    the database; personal data and secrets in them are a privacy incident (GDPR/CCPA).

    ## Example
    ```python
    logger.info(f"batch request: {payload}")
    print(f"login user={body['user']} password={body['password']}")
    ```

    ## Use instead
    ```python
    logger.info("batch request: %d users", len(payload.users))
    ```
    """

    code = "SEC007"
    title = "User data or secret written to logs"
    practice = "security"
    severity = Severity.WARNING
    fix = "Log counts, ids or hashes instead of raw bodies and personal fields; never log secrets."

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python_of(FileKind.LIBRARY, FileKind.SCRIPT):
            seen: set[ast.Call] = set()
            for leak in leaks(pf, is_log_call):
                seen.add(leak.call)
                yield self._hit(pf, leak.call, leak.what, leak.severity)
            for call, what in sensitive_logs(pf):
                if call not in seen:
                    yield self._hit(pf, call, what, None)

    @staticmethod
    def _hit(pf: PythonFile, call: ast.Call, what: str, severity: Severity | None) -> Hit:
        callee = "print" if isinstance(call.func, ast.Name) else _callee(call)
        return Hit(pf.path, call.lineno, f"{callee}() writes {what} to the logs {place(pf, call)}", severity)


PII_COLUMNS = {
    "email": "email",
    "e_mail": "email",
    "email_address": "email",
    "phone": "phone",
    "phone_number": "phone",
    "mobile_number": "phone",
    "telephone": "phone",
    "ssn": "ssn",
    "social_security_number": "ssn",
    "address": "address",
    "street_address": "address",
    "home_address": "address",
    "date_of_birth": "date_of_birth",
    "dob": "date_of_birth",
    "birth_date": "date_of_birth",
    "birthdate": "date_of_birth",
    "credit_card": "credit_card",
    "credit_card_number": "credit_card",
    "card_number": "credit_card",
    "ip_address": "ip_address",
    "passport_number": "passport",
}
PII_PARQUET_NAMES = re.compile(
    r"(?i)(?:^|[_\-.])(?:customers?|patients?|users?_pii|pii|personal_data|contacts)(?:[_\-.]|$)"
)


def _normalise(column: str) -> str:
    return re.sub(r"[\s\-]+", "_", column.strip().strip("\"'").lower())


def header_columns(path: str, text: str) -> list[str]:
    """Return a data file's column names: CSV/TSV header, or the keys of the first JSON record."""
    if path.endswith((".csv", ".tsv")):
        first = text.split("\n", 1)[0]
        delimiter = "\t" if path.endswith(".tsv") or "\t" in first else ","
        return next(csv.reader([first], delimiter=delimiter), [])
    first_record = text.lstrip().split("\n", 1)[0] if path.endswith((".jsonl", ".ndjson")) else text
    try:
        data = json.loads(first_record)
    except ValueError:
        return []
    if isinstance(data, list) and data:
        data = data[0]
    return [str(k) for k in data] if isinstance(data, dict) else []


def pii_columns(columns: Iterable[str]) -> list[str]:
    """Return the personal-data columns among `columns` (first_name only with last_name)."""
    normal = {_normalise(c) for c in columns}
    found = sorted({PII_COLUMNS[c] for c in normal if c in PII_COLUMNS})
    if {"first_name", "last_name"} <= normal:
        found.append("first_name+last_name")
    return found


@register
class PersonalDataCommitted(Rule):
    """Flags data files in the repository whose columns hold personal data.

    ## What it does
    Reads the header of CSV/TSV files and the keys of JSON/JSONL records and flags columns
    such as email, phone, ssn, address, date_of_birth, first_name+last_name, credit_card
    and ip_address; Parquet files are judged by name only (customers, patients, pii).

    ## Why is this bad?
    Personal data in git is copied to every clone and fork and cannot be deleted on request,
    which breaks GDPR/CCPA obligations and data-sharing agreements.

    ## Example
    ```text
    data/customers.csv: customer_id,name,email,phone,date_of_birth,churned
    ```

    ## Use instead
    ```text
    Keep raw data in access-controlled storage (DVC remote, bucket); commit only
    synthetic or pseudonymised samples (hashed ids, no contact fields).
    ```
    """

    code = "SEC020"
    scoring = "flat"
    title = "Personal data committed"
    practice = "security"
    severity = Severity.WARNING
    fix = "Remove the file from git (and history), store it in access-controlled storage, commit synthetic samples."
    weight = 10
    cap = 25

    def check(self, project: Project) -> Iterator[Output]:
        tracked = project.tracked
        for source in project.of_kind(FileKind.DATA):
            if tracked is not None and source.path not in tracked:
                continue
            hit = self._judge(project, source.path)
            if hit is not None:
                yield hit

    def _judge(self, project: Project, path: str) -> Hit | None:
        severity = Severity.INFO if is_fixture_path(path) else None
        if path.endswith((".parquet", ".pq")):
            if PII_PARQUET_NAMES.search(PurePosixPath(path).stem):
                return Hit(path, None, f"{path} looks like personal data (by its name)", severity=Severity.INFO)
            return None
        columns = pii_columns(header_columns(path, project.text(path) or ""))
        if not columns:
            return None
        return Hit(path, 1, f"{path} has personal-data columns: {', '.join(columns)}", severity=severity)


@register
class SecretBuildArgBakedIntoImage(Rule):
    """Flags secret build arguments that a Dockerfile copies into `ENV` or uses in `RUN`.

    ## What it does
    Finds `ARG` variables named like *KEY*, *TOKEN*, *SECRET*, *PASSWORD* whose value an `ENV`
    instruction copies into the image (`ENV AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY`) or a
    `RUN` instruction reads. When a CI workflow builds the image with `${{ secrets.* }}` as
    build arguments and pushes it, the finding is critical: the keys are published.

    ## Why is this bad?
    `ENV` values are stored in the image config and build-argument values in its history:
    anyone who can pull the image reads them with `docker inspect` / `docker history`.

    ## Example
    ```dockerfile
    ARG AWS_SECRET_ACCESS_KEY
    ENV AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY
    RUN dvc pull
    ```

    ## Use instead
    ```dockerfile
    # docker build --secret id=aws,src=$HOME/.aws/credentials .
    RUN --mount=type=secret,id=aws,target=/root/.aws/credentials dvc pull
    ```
    """

    code = "SEC021"
    title = "Secret build argument baked into the image"
    practice = "security"
    severity = Severity.ERROR
    fix = (
        "Drop the ARG/ENV; read the secret during the build with a BuildKit secret mount "
        "(RUN --mount=type=secret,id=...) and pass runtime secrets with docker run -e or a secret store."
    )
    weight = 25
    cap = 50

    def check(self, project: Project) -> Iterator[Output]:
        builds = secret_builds(project)
        for path in sorted(project.texts):
            if not is_dockerfile(path):
                continue
            for baked in baked_secrets(parse_dockerfile(project.texts[path])):
                yield self._hit(path, baked, publishing_build(builds, path, baked.args))

    @staticmethod
    def _hit(path: str, baked: BakedSecret, build: SecretBuild | None) -> Hit:
        names = ", ".join(baked.names)
        if baked.how == "ARG":
            message = f"ARG {names} is recorded in `docker history` of later RUN layers by the classic builder"
            return Hit(path, baked.line, message, Severity.WARNING)
        what = (
            f"ENV {names} copies the build argument into the image config"
            if baked.how == "ENV"
            else f"RUN uses the secret build argument {names}, which stays in the image history"
        )
        if build is None:
            return Hit(path, baked.line, what)
        published = f"{what}; {build.path}:{build.line} builds it with secrets.* as build arguments and pushes it"
        return Hit(path, baked.line, published, severity=Severity.CRITICAL)


@register
class RuntimePipInstall(Rule):
    """Flags code that pip-installs packages while it runs.

    ## What it does
    Finds `subprocess`/`os.system`/`pip.main` calls that run `pip install`, and requirement
    checkers whose `install` parameter defaults to True (`check_requirements(..., install=True)`).
    Notebook `%pip install` cells are left alone.

    ## Why is this bad?
    The environment changes under a running program: whatever version the index serves
    that day (or a typo-squatted name) is installed and imported, unreviewed and unlocked,
    often into a production or shared interpreter.

    ## Example
    ```python
    subprocess.run([sys.executable, "-m", "pip", "install", "onnxruntime"])
    ```

    ## Use instead
    ```python
    try:
        import onnxruntime
    except ImportError as err:
        raise RuntimeError("install the 'onnx' extra: pip install 'mypkg[onnx]'") from err
    ```
    """

    code = "SEC022"
    title = "Packages installed at run time"
    practice = "security"
    severity = Severity.WARNING
    fix = "Declare the package (an optional extra) and fail with an install hint instead of installing it at run time."

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python_of(FileKind.LIBRARY, FileKind.SCRIPT):
            for call in pip_install_calls(pf):
                yield Hit(pf.path, call.lineno, f"{ast.unparse(call.func)}() runs pip install {place(pf, call)}")
            for func in installing_functions(pf):
                message = f"{func.name}() pip-installs missing packages at run time by default (install=True)"
                yield Hit(pf.path, func.lineno, message)


@register
class ModelDownloadWithoutChecksum(Rule):
    """Flags model files downloaded without verifying a checksum.

    ## What it does
    Finds `gdown.download`, `urlretrieve`, `wget.download`, `download_url_to_file`,
    `load_state_dict_from_url` calls and `wget`/`curl`/`gdown` commands in scripts that fetch
    model-like files (`.pt`, `.bin`, `.ckpt`, `weights`, Google Drive links) in a file that
    never checks a hash (hashlib, sha256sum, `hash_prefix`, `check_hash=True`, `md5=`).

    ## Why is this bad?
    The file at a URL can change or be replaced; a model file is usually a pickle, so an
    unverified download is code you run without having seen it, and a silently different
    model breaks reproducibility.

    ## Example
    ```python
    gdown.download("https://drive.google.com/uc?id=...", "assets/model.bin")
    ```

    ## Use instead
    ```python
    gdown.cached_download(URL, "assets/model.bin", hash="sha256:9f2c...")
    ```
    """

    code = "SEC023"
    title = "Model downloaded without a checksum"
    practice = "security"
    severity = Severity.WARNING
    fix = "Pin the expected SHA-256 and verify it after download (hashlib, sha256sum -c, hash_prefix=/hash=)."

    def check(self, project: Project) -> Iterator[Output]:
        for download, count in model_downloads(project):
            what = "a model file" if count == 1 else f"{count} model files"
            yield Hit(download.path, download.line, f"{download.tool} downloads {what} with no checksum check")
