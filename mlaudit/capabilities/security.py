"""Provides the capabilities of the `security` practice: no leaked keys, safe loading, guarded supply chain."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from mlaudit.capabilities import Assessment, Capability, register_capability
from mlaudit.capabilities._common import code_files, line_of, located
from mlaudit.discover import DATA_SUFFIXES, MODEL_SUFFIXES
from mlaudit.facts.ci import ci_files, ci_text
from mlaudit.facts.kind import is_example, is_library, is_sphinx_conf
from mlaudit.facts.randomness import listed
from mlaudit.facts.supply_chain import (
    digest_carriers,
    hashes_own_objects,
    model_downloads,
    shell_downloads,
    user_input_fetches,
)
from mlaudit.facts.unsafe_loading import (
    is_opt_out_branch,
    kwargs_assignment,
    kwargs_weights_only,
    loads_bundled_file,
    opened_paths,
)
from mlaudit.model import FileKind, Severity
from mlaudit.project import Project, PythonFile, assigned_values, prose_lines
from mlaudit.registry import hits_fact
from mlaudit.rules.security._shared import (
    FILE_PICKLE_LOADERS,
    PICKLE_LOADS,
    PROSE_LINES_FACT,
    SHELL_CALLS,
    SUBPROCESS_CALLS,
    _secrets,
    exchanged_between_ranks,
    fixed_text,
    is_const,
    is_interpolated,
    loader_references,
    loads_what_its_class_saves,
    round_trip_through_buffer,
    secret_env_read,
)
from mlaudit.rules.security._shared import keyword as kw_value
from mlaudit.rules.security.sec008_pickle_load import in_memory_round_trip, passes_own_objects
from mlaudit.rules.security.sec009_torch_load_without_weights_only import safe_default_required
from mlaudit.rules.security.sec010_unsafe_yaml_load import UnsafeYamlLoad, safe_by_project
from mlaudit.rules.security.sec013_eval_of_dynamic_input import dynamic_evals
from mlaudit.suppress import reviewed_lines

CREDENTIAL_USE = re.compile(r"(?i)api_?key|secret|passw(?:or)?d|access_?token|auth_?token|credential|bearer")
_CREDENTIAL_USE_LOWER = re.compile(CREDENTIAL_USE.pattern.removeprefix("(?i)"))
DOWNLOAD_CALL = re.compile(
    r"\b(?:urlretrieve|urlopen|download_url_to_file|load_state_dict_from_url|hf_hub_download|snapshot_download|"
    r"gdown\.|wget\.download|requests\.get|httpx\.get)\s*\("
)
SECRET_STORES = ("dotenv", "keyring", "hvac", "google.cloud.secretmanager", "azure.keyvault", "boto3")
YAML_LOADS = ("yaml.load at ", "yaml.load_all at ")  # how a load of `yaml.load` is shown (`Load.where`)
SAFE_LOADS = frozenset({"yaml.safe_load", "yaml.safe_load_all", "onnxruntime.InferenceSession", "skops.io.load"})
SAFETENSORS = ("safetensors",)
OWN_ARTIFACT_SHARE = 0.5
AUDIT_TOOLS = re.compile(
    r"\b(pip-audit|pip_audit|safety\s+check|bandit|codeql|trufflehog|gitleaks|detect-secrets|snyk|osv-scanner)\b"
)
AUDIT_FILES = (
    ".github/dependabot.yml",
    ".github/dependabot.yaml",
    "renovate.json",
    ".renovaterc",
    ".renovaterc.json",
    ".github/renovate.json",
)
# Every suffix discovery files as a model or data artifact (`*.keras`, `*.tflite`, `*.feather`, ...).
_ARTIFACT_SUFFIXES = "|".join(sorted(re.escape(s.lstrip(".")) for s in MODEL_SUFFIXES | DATA_SUFFIXES))
ARTIFACT_PATTERNS = re.compile(
    rf"^\s*[/*]*\s*(\*?\.({_ARTIFACT_SUFFIXES})\b|"
    r"/?(data|datasets|models|checkpoints|weights|outputs|runs|wandb|mlruns|lightning_logs)/?)\s*$",
    re.MULTILINE,
)
HASHES = (
    "hashlib.sha256",
    "hashlib.sha1",
    "hashlib.md5",
    "hashlib.blake2b",
    "hashlib.blake2s",
    "hashlib.sha224",
    "hashlib.sha384",
    "hashlib.sha512",
    "hashlib.sha3_256",
    "hashlib.sha3_512",
    "hashlib.new",
    "hashlib.file_digest",
)
DIGEST_METHODS = ("hexdigest", "digest")


@register_capability
class NoSecretsAtHead(Capability):
    """The secret scan of every file at HEAD (code, notebook sources and outputs, configs) found no credential."""

    key = "no_secrets_at_head"
    practice = "security"
    title = "No secrets in the tree"
    points = 25

    def assess(self, project: Project) -> Assessment:
        found = [s for s in _secrets(project) if not s.harmless]
        scanned = len(project.python) + len(project.texts)
        if not scanned:
            return Assessment.missing("Nothing was scanned for secrets")
        if found:
            first = found[0]
            where = f"{first.path}[cell {first.cell}]" if first.cell else located(first.path, first.line)
            return Assessment.missing(f"{len(found)} hard-coded secrets at HEAD, first: {first.description} at {where}")
        return Assessment.earned(f"secret scan of {scanned} files at HEAD found no credential")


SAVES = {"torch.save": 1, "joblib.dump": 1, "pickle.dump": 1, "cloudpickle.dump": 1, "dill.dump": 1, "numpy.save": 0}


def _module_strings(pf: PythonFile) -> dict[str, str]:
    """Map module-level names bound to a string literal (`FILE = "data.pth"`) to the literal."""
    found: dict[str, str] = {}
    for stmt in pf.tree.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = stmt.value.value
    return found


def _file_name(pf: PythonFile, node: ast.expr | None, strings: dict[str, str]) -> str | None:
    """Return the base name of a file path argument: a literal, a module constant, `open(<path>)`, the last part of
    a joined path (`os.path.join(folder, "model.pkl")`, `folder / "model.pkl"`, `f"{folder}/model.pkl"`), or what
    the function binds a name or an opened handle to (`path = os.path.join(d, "model.pkl")`, `with open(path,
    "wb") as out:`)."""
    func = pf.enclosing_function(node) if node is not None else None
    start = node
    for _ in range(4):  # a handle, its path name, the joined path, its last part
        node = _path_part(func, node, strings)
        if isinstance(node, ast.Constant):
            break
    if start is not None and node is not None and not isinstance(node, ast.Constant):
        return _instance_path(pf, start, node)
    value = node.value if isinstance(node, ast.Constant) else None
    return value.rsplit("/", 1)[-1] if isinstance(value, str) and "." in value else None


def _instance_path(pf: PythonFile, start: ast.expr, node: ast.expr) -> str | None:
    """Return a key for a path an instance keeps in an attribute (`open(self.cache_file, "wb")`), scoped to the
    module and class that hold it: a file a class writes and reads back through the same attribute is its own."""
    if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self"):
        return None
    owner = next((a for a in pf.ancestors(start) if isinstance(a, ast.ClassDef)), None)
    return f"{pf.path}:{owner.name}.{node.attr}" if owner is not None else None


def _path_part(func: ast.AST | None, node: ast.expr | None, strings: dict[str, str]) -> ast.expr | None:
    """Return the expression one step closer to a path's file name (see `_file_name`), or None."""
    if isinstance(node, ast.Call) and node.args:
        callee = ast.unparse(node.func)
        if callee == "open":
            return node.args[0]
        return node.args[-1] if callee in PATH_JOINS else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return node.right  # `folder / "model.pkl"`
    if isinstance(node, ast.JoinedStr) and node.values:
        return node.values[-1]  # `f"{path}/models.pkl"`
    if not isinstance(node, ast.Name):
        return node
    if node.id in strings:
        return ast.Constant(strings[node.id])
    if func is None:
        return None
    handle = opened_paths(func).get(node.id)
    values = [handle] if handle is not None else assigned_values(func, node.id)
    return values[0] if len(values) == 1 else None


PATH_JOINS = frozenset({"os.path.join", "path.join", "osp.join", "join", "Path", "pathlib.Path"})


def _weights_only_in_scope(pf: PythonFile, call: ast.Call) -> bool:
    """Return True when `torch.load(..., **kwargs)` receives weights_only=True: from the dict literal the code
    assigns to `kwargs` when it builds one (as SEC009 reads it: `load_kwargs = {"map_location": dev}` passes
    no flag, whatever other dict of the function says), else anywhere in the function that sets it."""
    assigned = kwargs_assignment(pf, call)
    if isinstance(assigned, ast.Dict) or (
        isinstance(assigned, ast.Call) and isinstance(assigned.func, ast.Name) and assigned.func.id == "dict"
    ):
        flag = kwargs_weights_only(pf, call)
        return is_const(flag, True) or (flag is not None and not isinstance(flag, ast.Constant))
    func = pf.enclosing_function(call)
    start, end = (func.lineno, func.end_lineno or call.lineno) if func is not None else (1, call.lineno)
    text = "\n".join(pf.lines[start - 1 : end])
    return bool(re.search(r"""["']?weights_only["']?\s*[:=]\s*True""", text))


@dataclass(frozen=True)
class Load:
    """A load of a model or data file: safe or not, where, and the base name of the file when it is known."""

    safe: bool
    where: str
    line: int
    target: str | None
    own: bool = False  # the reading half of the code's own save/load pair (SEC008 reads it so)
    bare_torch: bool = False  # `torch.load(path)` without weights_only: safe where every declared torch is 2.6+


@dataclass(frozen=True)
class Loading:
    """What one module saves (base names of files) and loads."""

    saved: tuple[str, ...]
    loads: tuple[Load, ...]


LOADING_FACT = "capabilities.security.loading"


def loading(pf: PythonFile) -> Loading:
    """Return the files a module saves and the loads it makes (a per-file fact)."""
    found: Loading = pf.file_fact(LOADING_FACT, module_loading)
    return found


def module_loading(pf: PythonFile) -> Loading:
    """Compute `loading` of a module."""
    strings = _module_strings(pf)
    return Loading(_saved(pf, strings), _loads(pf, strings))


def _saved(pf: PythonFile, strings: dict[str, str]) -> tuple[str, ...]:
    names: list[str] = []
    for call in pf.nodes(ast.Call):
        index = SAVES.get(pf.call_name(call) or "")
        if index is not None and len(call.args) > index:
            name = _file_name(pf, call.args[index], strings)
            if name:
                names.append(name)
    return tuple(names)


def saved_files(project: Project) -> frozenset[str]:
    """Return the base names of files the project itself saves with torch.save, joblib/pickle.dump, np.save."""
    names: set[str] = set()
    for pf in code_files(project, FileKind.LIBRARY, FileKind.SCRIPT, FileKind.NOTEBOOK):
        names.update(loading(pf).saved)
    return frozenset(names)


def _judged_loads(
    project: Project,
    pf: PythonFile,
    own: frozenset[str],
    reviewed: frozenset[tuple[str, int]],
    safe_default: bool = False,
) -> tuple[list[str], list[str], list[str]]:
    """Return (safe loads, unsafe loads of files the project saves itself, other unsafe loads) of one module.

    An unsafe load whose line carries a security suppression with a reason was reviewed: it counts as safe. A
    `yaml.load` whose loader another module of the project builds on a safe loader is safe, as SEC010 judges it.
    With `safe_default` (every torch the repository declares is 2.6 or newer), a `torch.load` without
    `weights_only` loads weights only, as SEC009 judges it.
    """
    safe: list[str] = []
    mine: list[str] = []
    unsafe: list[str] = []
    yaml_hits: dict[int, str] | None = None
    for load in loading(pf).loads:
        if not load.safe and load.where.startswith(YAML_LOADS):
            yaml_hits = _yaml_hit_messages(pf) if yaml_hits is None else yaml_hits
            if safe_by_project(project, pf, load.line, yaml_hits.get(load.line, "")):
                safe.append(load.where)
                continue
        if not load.safe and (pf.path, load.line) in reviewed:
            safe.append(f"{load.where}, reviewed and suppressed")
        elif load.safe or (load.bare_torch and safe_default):
            safe.append(load.where)
        else:
            (mine if load.own or (load.target and load.target in own) else unsafe).append(load.where)
    return safe, mine, unsafe


def _loads(pf: PythonFile, strings: dict[str, str]) -> tuple[Load, ...]:
    """Return the module's loads that are known safe or unsafe."""
    found: list[Load] = []
    for call in pf.nodes(ast.Call):
        name = pf.call_name(call) or ""
        if not name:
            continue
        where = f"{name} at {pf.location(call.lineno)}"
        ok: bool | None = None
        bare = False
        if name == "torch.load" and any(k.arg is None for k in call.keywords):
            ok = _weights_only_in_scope(pf, call)
        elif name == "torch.load":
            flag = kw_value(call, "weights_only")
            ok = is_const(flag, True) or (flag is not None and not isinstance(flag, ast.Constant))
            bare = flag is None
        elif name in ("yaml.load", "yaml.load_all"):
            ok = call.lineno not in _unsafe_yaml_lines(pf)
        elif name in PICKLE_LOADS and (
            exchanged_between_ranks(pf, call, name)
            or in_memory_round_trip(pf, call)
            or passes_own_objects(pf, call, name)
        ):
            continue  # the job's own objects, back from its other processes, stages or a pickling check: no file
        elif name in PICKLE_LOADS or name == "yaml.unsafe_load":
            ok = False
        elif name in SAFE_LOADS or (name.startswith(SAFETENSORS) and ("load" in name or "safe_open" in name)):
            ok = True
        if ok is False and _trusted_source(pf, call):
            continue
        if ok is True:
            found.append(Load(True, where, call.lineno, None))
        elif ok is False:
            target = _file_name(pf, call.args[0] if call.args else None, strings)
            paired = name in PICKLE_LOADS and loads_what_its_class_saves(pf, call, name) is not None
            found.append(Load(False, where, call.lineno, target, paired, bare))
    for node, name in loader_references(pf, FILE_PICKLE_LOADERS):  # `{".pkl": pickle.load}`: called on any file
        found.append(Load(False, f"{name} named as a loader at {pf.location(node.lineno)}", node.lineno, None))
    return tuple(found)


def _trusted_source(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for an unsafe load of what the code vouches for: loaded only when the caller says so, shipped
    inside the package, or bytes the function pickled itself into memory (a deep copy, a broadcast to its ranks)."""
    return is_opt_out_branch(pf, call) or loads_bundled_file(pf, call) or round_trip_through_buffer(pf, call)


def _yaml_hit_messages(pf: PythonFile) -> dict[int, str]:
    """Return SEC010's message for each line of the module it reports (from its cached hits)."""
    rule = UnsafeYamlLoad()
    hits = pf.file_fact(hits_fact(rule.code), rule.file_hits)
    return {hit.line: hit.message for hit in hits if hit.line is not None}


def _unsafe_yaml_lines(pf: PythonFile) -> frozenset[int]:
    """Return the lines where SEC010 reports a yaml.load as unsafe or full (an error or warning): the capability
    judges a loader as the rule does, through a local (`loader = yaml.SafeLoader`) or a helper returning it."""
    rule = UnsafeYamlLoad()
    hits = pf.file_fact(hits_fact(rule.code), rule.file_hits)
    return frozenset(hit.line for hit in hits if hit.line is not None and hit.severity is not Severity.INFO)


@register_capability
class SafeLoading(Capability):
    """Model and data files load without running code: safetensors, torch.load(weights_only=True),
    yaml.safe_load, ONNX, instead of pickle (share of loads that are safe; unpickling a file the project
    itself saves, also one a class writes and reads back through the same attribute or through its own save/load
    pair of methods, counts half, a lower risk than a downloaded checkpoint; a load whose security finding is
    suppressed inline with a reason was reviewed and counts as safe; a `torch.load` without `weights_only` is safe
    where every torch the repository declares is 2.6 or newer, whose default loads weights only)."""

    key = "safe_loading"
    practice = "security"
    title = "Safe model and data loading"
    points = 20

    def assess(self, project: Project) -> Assessment:
        safe: list[str] = []
        mine: list[str] = []
        unsafe: list[str] = []
        own = saved_files(project)
        reviewed = reviewed_lines(project, "SEC")
        safe_default = safe_default_required(project)
        for pf in code_files(project, FileKind.LIBRARY, FileKind.SCRIPT, FileKind.NOTEBOOK):
            good, local, bad = _judged_loads(project, pf, own, reviewed, safe_default)
            safe.extend(good)
            mine.extend(local)
            unsafe.extend(bad)
        total = len(safe) + len(mine) + len(unsafe)
        if not total:
            return Assessment.earned("no pickle-based, torch or YAML loads anywhere in the code")
        sentence = f"{len(safe)} of {total} loads are safe"
        if safe:
            sentence += f" (e.g. {safe[0]})"
        if mine:
            sentence += f"; {len(mine)} unpickle files the project saves itself (e.g. {mine[0]})"
        if unsafe:
            sentence += f"; unsafe: {unsafe[0]}"
        return Assessment.partly((len(safe) + OWN_ARTIFACT_SHARE * len(mine)) / total, sentence)


@register_capability
class IgnoresSecretsAndArtifacts(Capability):
    """.gitignore keeps .env files and data/model artifacts out of git (half each)."""

    key = "gitignore_guards"
    practice = "security"
    title = ".gitignore guards secrets and artifacts"
    points = 10

    def assess(self, project: Project) -> Assessment:
        text = project.text(".gitignore")
        if text is None:
            return Assessment.missing("No .gitignore: `git add .` would commit .env files and model weights")
        env = ".env" in project.inventory.ignored_probe
        artifact_line = line_of(text, ARTIFACT_PATTERNS)
        parts = []
        if env:
            parts.append(".env is ignored")
        if artifact_line:
            parts.append(f"artifacts ignored (.gitignore:{artifact_line})")
        if not parts:
            return Assessment.missing(".gitignore ignores neither .env nor data/model artifacts")
        missing = [] if env else [".env is not ignored"]
        missing += [] if artifact_line else ["no data/model pattern"]
        sentence = "; ".join(parts + missing)
        return Assessment.partly(0.5 * env + 0.5 * bool(artifact_line), sentence, ".gitignore", artifact_line)


@register_capability
class SupplyChainChecks(Capability):
    """Dependencies and code are checked automatically: Dependabot/Renovate, pip-audit/safety, CodeQL/bandit,
    or a secret scanner in CI or pre-commit."""

    key = "security_tooling"
    practice = "security"
    title = "Dependency audit or security scanning"
    points = 15

    def assess(self, project: Project) -> Assessment:
        for path in AUDIT_FILES:
            if project.has_file(path):
                return Assessment.earned(f"{path} keeps dependencies updated", path)
        for path in [*ci_files(project), ".pre-commit-config.yaml"]:
            text = ci_text(project, path) if path != ".pre-commit-config.yaml" else project.text(path) or ""
            match = AUDIT_TOOLS.search(text)
            if match:
                line = line_of(project.text(path), AUDIT_TOOLS)
                return Assessment.earned(f"{located(path, line)} runs {match.group(1)}", path, line)
        return Assessment.missing(
            "No dependency audit or security scan (expected .github/dependabot.yml or pip-audit in CI)"
        )


@register_capability
class SecretsFromEnvironment(Capability):
    """Credentials come from the environment or a secret manager (os.environ, BaseSettings/SecretStr, dotenv, keyring);
    a published library holding no credential takes them from its callers, which is as it should be."""

    key = "secrets_from_env"
    practice = "security"
    title = "Secrets read from the environment"
    points = 5

    def assess(self, project: Project) -> Assessment:
        for pf in code_files(project):
            store = sorted(m for m in pf.imported_modules if m.startswith(SECRET_STORES))
            if any("SecretStr" in v or v.endswith("BaseSettings") for v in pf.imports.values()):
                return Assessment.earned(f"{pf.path} declares settings with pydantic BaseSettings/SecretStr", pf.path)
            read = secret_env_read(pf)
            if read is not None:
                line, key = read
                return Assessment.earned(f"{key} read from the environment at {pf.location(line)}", pf.path, line)
            if store and store[0] != "boto3":
                return Assessment.earned(f"{pf.path} reads secrets through {store[0]}", pf.path)
        hard_coded = any(not s.harmless for s in _secrets(project))
        if not hard_coded and not any(pf.file_fact(CREDENTIALS_FACT, names_credentials) for pf in code_files(project)):
            return Assessment.earned("The code uses no credentials: nothing to keep out of it")
        if not hard_coded and is_library(project):
            return Assessment.earned(
                "a published library takes any credential from its caller (a `token` parameter) and holds none: "
                "where its users' programs keep theirs is for them to choose"
            )
        return Assessment.missing("No credential is read from the environment or a secret manager")


CREDENTIALS_FACT = "capabilities.security.names_credentials"  # per-file facts (mlaudit.filefacts)
DOWNLOADS_URL_FACT = "capabilities.security.downloads_by_url"


# Words that hold a credential needle but name no secret: the CORS switch `allow_credentials=True`, gRPC's TLS
# channel and call credential objects (`grpc.ssl_channel_credentials()`), Kubernetes' service-account mount path.
NOT_CREDENTIALS = re.compile(r"(?i)\ballow_credentials\b|\w*(?:channel|call)_credentials\b|/var/run/secrets/")


def names_credentials(pf: PythonFile) -> bool:
    """Return True when a module's code names a credential. Docstrings document, they use nothing: a usage
    example (`>>> token = 'my-secret-token'`) or a dataset's description (`larch-casebearer`) is no credential;
    nor is a CORS switch, a gRPC credential object or a service-account mount (`NOT_CREDENTIALS`)."""
    if not _mentions_credentials(pf.text):
        return False
    text = pf.text
    prose: frozenset[int] = pf.file_fact(PROSE_LINES_FACT, prose_lines)  # shared with the secret sweep
    if prose:
        text = "\n".join(line for number, line in enumerate(text.splitlines(), 1) if number not in prose)
    return _mentions_credentials(NOT_CREDENTIALS.sub(" ", text))


# Each alternative of DOWNLOAD_CALL holds one of these as written (`url` in urlretrieve, urlopen,
# download_url_to_file and load_state_dict_from_url; `download` in hf_hub_download, snapshot_download
# and wget.download): a text holding none of them cannot match, and is not searched with the regex,
# which tries nearly every position of a text (its `\b` start gives `re` no first character to skip to).
_DOWNLOAD_NEEDLES = ("url", "download", "gdown.", "requests.get", "httpx.get")
# Each alternative of CREDENTIAL_USE, lowercased, holds one of these: `passw(?:or)?d` holds `passw`,
# `api_?key`, `access_?token` and `auth_?token` are spelled out with and without the underscore.
_CREDENTIAL_NEEDLES = (
    "api_key",
    "apikey",
    "secret",
    "passw",
    "access_token",
    "accesstoken",
    "auth_token",
    "authtoken",
    "credential",
    "bearer",
)


# what a module does with a GET's body when it keeps it: bytes, text (not a `{r.text}` quoted in an error message),
# a stream, or a file opened for writing
_BODY_READ = re.compile(
    r"\.content\b|\.text\b(?!\s*[}!:])|iter_content|iter_bytes|iter_lines|\.raw\b|stream\s*=\s*True|open\([^)]*['\"][wa]b?['\"]"
)
_API_USE = re.compile(r"\.json\(|\.status_code\b|raise_for_status\(|json\.loads\(")
# the body handed straight to a JSON parser (`json.loads(req.text.encode("utf-8"))`): an API's answer, like `.json()`
_JSON_PARSED_BODY = re.compile(r"json\.loads\(\s*[\w.]+\.(?:text|content)\b")


def downloads_by_url(pf: PythonFile) -> bool:
    """Return True when a module's text downloads weights or data by URL. An HTTP GET whose function reads the
    answer only as JSON (`.json()`, or its text handed straight to `json.loads`) or a status code, and never as
    bytes, text or into a file, calls an API or probes a
    server (unless the function is named a download: `download_extra_data`), as does one whose answer is thrown
    away (see `_answer_dropped`); a `urlopen` given a request with a body (`Request(url, data=...)`) sends data,
    one whose answer is read only for its status (`with urlopen(url) as r: r.status`) probes a server, and one
    whose answer is parsed straight as JSON (`json.loads(urlopen(url).read())`) calls an API: none downloads
    anything to verify. A shell command the module writes and runs (`os.system(f"wget {url}")`) downloads too.
    A download shown only in a docstring or comment (a usage example: `>>> hf_hub_download(repo, "model.bin")`)
    runs nothing."""
    text = pf.text
    if shell_downloads(pf):
        return True
    if not any(needle in text for needle in _DOWNLOAD_NEEDLES):
        return False
    prose: frozenset[int] = pf.file_fact(PROSE_LINES_FACT, prose_lines)  # shared with the secret sweep
    matches = [m for m in DOWNLOAD_CALL.finditer(text) if not _in_prose(text, prose, m.start())]
    given = user_input_fetches(pf) if matches else frozenset()
    if given:  # the user's input fetched by the URL they hand in (a request field, an argument) is no artefact
        matches = [m for m in matches if text.count("\n", 0, m.start()) + 1 not in given]
    calls = {m.group(0).split("(")[0].rstrip() for m in matches}
    if calls - _HTTP_GETS - {"urlopen"}:
        return True
    if "urlopen" in calls and not _urlopen_fetches_no_file(pf, given):
        return True
    return bool(calls & _HTTP_GETS) and _get_reads_body(pf, given)


def _in_prose(text: str, prose: frozenset[int], offset: int) -> bool:
    """Return True when the text at `offset` sits in a docstring or bare string, or after a `#` on its line."""
    start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1 in prose or "#" in text[start:offset]


_HTTP_GETS = frozenset({"requests.get", "httpx.get"})
_SENDING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _get_reads_body(pf: PythonFile, given: frozenset[int]) -> bool:
    """Return True when a function (or the module code) making an HTTP GET of a URL the user did not hand in
    (`given`: lines of those that fetch user input) keeps the answer's body."""
    lines = pf.lines
    for call in pf.nodes(ast.Call):
        if (pf.call_name(call) or ast.unparse(call.func)) not in _HTTP_GETS or call.lineno in given:
            continue
        if _answer_dropped(pf, call):
            continue  # `requests.get(url)` alone: pings or triggers a server, keeps nothing
        scope = pf.enclosing_function(call)
        if scope is not None and "download" in scope.name.lower():
            return True  # `def download_extra_data(url): return requests.get(url).json()`: data, even as JSON
        text = "\n".join(lines[scope.lineno - 1 : scope.end_lineno]) if scope is not None else pf.text
        if _API_USE.search(text) is None or _BODY_READ.search(_JSON_PARSED_BODY.sub("json.loads(", text)) is not None:
            return True
    return False


def _answer_dropped(pf: PythonFile, call: ast.Call) -> bool:
    """Return True when nothing keeps a GET's answer: the call is a statement of its own (`requests.get(url)` to
    check a dashboard is up), or the whole body of a parameterless callback (`stop = lambda: requests.get(url)`
    to trigger a shutdown route). Such a request pings or drives a server and keeps no file to verify."""
    parent = pf.parent(call)
    if isinstance(parent, ast.Expr):
        return True
    return isinstance(parent, ast.Lambda) and parent.body is call and not _has_parameters(parent.args)


def _has_parameters(args: ast.arguments) -> bool:
    return bool(args.posonlyargs or args.args or args.kwonlyargs or args.vararg or args.kwarg)


def _urlopen_fetches_no_file(pf: PythonFile, given: frozenset[int]) -> bool:
    """Return True when every `urlopen` of the module is given a request with a body or a sending method, has its
    answer parsed as JSON or read only for its status (a readiness probe), fetches the user's input (`given`), or
    addresses a server by a host and port it is handed (see `_service_address`)."""
    opens = [call for call in pf.nodes(ast.Call) if (pf.call_name(call) or ast.unparse(call.func)).endswith("urlopen")]
    return bool(opens) and all(
        _sends(pf, call)
        or _reads_json(pf, call)
        or _reads_status_only(pf, call)
        or call.lineno in given
        or _service_address(pf, call)
        for call in opens
    )


# a URL template whose host and port are both filled in: `http://{addr}:{port}/...`, `"http://%s:%d/" % (h, p)`
_FILLED_HOST_PORT = re.compile(r"^[a-z]+://(?:\{[^}]*\}|%[sr]):(?:\{[^}]*\}|%[sd])(?:/|$)")


def _service_address(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for a `urlopen` of a URL whose host and port are both filled in from values
    (`Request(f"http://{addr}:{port}/{scope}/{key}")`): a client of a server the program runs or is told about
    (a rendezvous or key-value store of its own job), not a published file whose checksum the code could pin."""
    func = pf.enclosing_function(call)
    node: ast.expr | None = call.args[0] if call.args else None
    for _ in range(3):  # `urlopen(req)`, `req = Request(url)`, `url = "http://{}:{}/".format(host, port)`
        if isinstance(node, ast.Name) and func is not None:
            bound = assigned_values(func, node.id)
            node = bound[0] if len(bound) == 1 else None
        if isinstance(node, ast.Call) and (pf.call_name(node) or "").rsplit(".", 1)[-1] == "Request" and node.args:
            node = node.args[0]
    template = _url_template(node)
    return template is not None and _FILLED_HOST_PORT.match(template) is not None


def _url_template(node: ast.expr | None) -> str | None:
    """Return a URL's template, `{}` standing for each filled-in value: an f-string, `"...".format(...)`, `"..." % x`."""
    if isinstance(node, ast.JoinedStr):
        return "".join("{}" if isinstance(p, ast.FormattedValue) else str(getattr(p, "value", "")) for p in node.values)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        owner = node.func.value
        return owner.value if isinstance(owner, ast.Constant) and isinstance(owner.value, str) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant):
        return node.left.value if isinstance(node.left.value, str) else None
    return None


STATUS_FIELDS = frozenset({"status", "code", "getcode", "reason"})


def _reads_status_only(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for `with urlopen(url) as response:` whose body reads only the answer's status
    (`response.status`, `response.getcode()`, `getattr(response, "status", 200)`): it probes a server, as a
    `requests.get` read only for its status code does, and keeps nothing to verify."""
    parent = pf.parent(call)
    if not (isinstance(parent, ast.withitem) and isinstance(parent.optional_vars, ast.Name)):
        return False
    handle = parent.optional_vars.id
    scope = pf.enclosing_function(call) or pf.tree
    uses = [n for n in ast.walk(scope) if isinstance(n, ast.Name) and n.id == handle and n is not parent.optional_vars]
    return all(_status_read(pf, use) for use in uses)


def _status_read(pf: PythonFile, use: ast.Name) -> bool:
    """Return True when a use of a response reads its status: `r.status`, `r.getcode()`, `getattr(r, "status")`."""
    parent = pf.parent(use)
    if isinstance(parent, ast.Attribute):
        return parent.attr in STATUS_FIELDS
    if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id == "getattr":
        name = parent.args[1] if len(parent.args) > 1 else None
        return isinstance(name, ast.Constant) and name.value in STATUS_FIELDS
    return False


JSON_PARSERS = frozenset({"json.load", "json.loads"})


def _reads_json(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for a `urlopen` whose answer is parsed straight as JSON (`json.loads(urlopen(url).read())`,
    `json.load(urlopen(url))`, `with urlopen(url) as r: json.load(r)`): an API call, as `requests.get(url).json()`."""
    parent = pf.parent(call)
    if isinstance(parent, ast.withitem) and isinstance(parent.optional_vars, ast.Name):
        handle = parent.optional_vars.id
        scope = pf.enclosing_function(call) or pf.tree
        uses = [
            n for n in ast.walk(scope) if isinstance(n, ast.Name) and n.id == handle and n is not parent.optional_vars
        ]
        return bool(uses) and all(_into_json(pf, use) for use in uses)
    return _into_json(pf, call)


def _into_json(pf: PythonFile, node: ast.expr) -> bool:
    """Return True when a response (or its `.read()`, `.read().decode()`) is handed to `json.load`/`json.loads`."""
    parent = pf.parent(node)
    while isinstance(parent, ast.Attribute) and parent.attr in ("read", "decode"):
        outer = pf.parent(parent)
        if not (isinstance(outer, ast.Call) and outer.func is parent):
            return False
        node, parent = outer, pf.parent(outer)
    return isinstance(parent, ast.Call) and node in parent.args and pf.call_name(parent) in JSON_PARSERS


def _sends(pf: PythonFile, call: ast.Call) -> bool:
    if kw_value(call, "data") is not None:
        return True
    request = call.args[0] if call.args else None
    if isinstance(request, ast.Name):
        scope = pf.enclosing_function(call)
        nodes = ast.walk(scope) if scope is not None else iter(pf.tree.body)
        bound = [
            n.value
            for n in nodes
            if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == request.id for t in n.targets)
        ]
        return bool(bound) and all(_request_with_body(v) for v in bound)
    return request is not None and _request_with_body(request)


def _request_with_body(node: ast.expr) -> bool:
    """Return True for `Request(url, data=...)` or `Request(url, method="POST")`."""
    if not isinstance(node, ast.Call):
        return False
    method = kw_value(node, "method")
    posts = isinstance(method, ast.Constant) and str(method.value).upper() in _SENDING_METHODS
    return posts or kw_value(node, "data") is not None or len(node.args) >= 2


# The only characters beyond ASCII that `(?i)` matches to an ASCII letter (the tests ask every code point):
# `İ` (U+0130) and the dotless i (U+0131) match `i`, the long s (U+017F) `s`, the Kelvin sign (U+212A) `k`.
ASCII_CASE_TWINS = (("\u0130", "i"), ("\u0131", "i"), ("\u017f", "s"), ("\u212a", "k"))


def ascii_folded(text: str) -> str:
    """Return the text lowercased, with the characters `(?i)` takes for ASCII letters written as those letters.

    Every match of a case-insensitive pattern of ASCII letters in `text` is, letter for letter, a
    substring of the result (other characters may change length, but none is part of such a match).
    """
    for twin, letter in ASCII_CASE_TWINS:
        if twin in text:
            text = text.replace(twin, letter)
    return text.lower()


def _mentions_credentials(text: str) -> bool:
    """Return True when the text names a credential (`CREDENTIAL_USE`, any case)."""
    if text.isascii():  # same test, several times faster: a case-sensitive search of the lowercased text
        lower = text.lower()  # an ASCII text holding none of the needles cannot match: no regex pass
        return any(n in lower for n in _CREDENTIAL_NEEDLES) and _CREDENTIAL_USE_LOWER.search(lower) is not None
    folded = ascii_folded(text)  # a text whose folded form holds no needle cannot match either
    return any(n in folded for n in _CREDENTIAL_NEEDLES) and CREDENTIAL_USE.search(text) is not None


@register_capability
class VerifiedDownloads(Capability):
    """Downloaded weights and data are verified (a SHA-256/MD5 digest compared with an expected value, also the
    `hexdigest()` of a hasher fed chunk by chunk and picked from a table by name, check_hash=True, or an error named
    for a checksum mismatch raised when a download's recorded digest differs from the expected one:
    `if expected != url_info: raise NonMatchingChecksumError(url)`). Downloads count in the code, in shell commands it runs and in the project's shell scripts
    (`wget .../model.ckpt` in scripts/download_models.sh). A Sphinx conf.py's downloads (intersphinx inventories)
    are docs build inputs, not data."""

    key = "verified_downloads"
    practice = "security"
    title = "Downloads verified by checksum"
    points = 10

    def assess(self, project: Project) -> Assessment:
        for pf in code_files(project):
            found = call_evidence(pf).checksum
            if found is not None:
                line, name = found
                what = (
                    f"{name} at {pf.location(line)} verifies files against an expected digest"
                    if name
                    else f"check_hash=True at {pf.location(line)}"
                )
                return Assessment.earned(what, pf.path, line)
        # a Sphinx conf.py downloads docs build inputs (intersphinx inventories), never weights or data
        downloading = [
            pf.path
            for pf in code_files(project)
            if pf.file_fact(DOWNLOADS_URL_FACT, downloads_by_url) and not is_sphinx_conf(pf)
        ]
        # the project's shell scripts fetch its weights too (`wget .../model.ckpt` in scripts/download_models.sh)
        scripts = sorted({d.path for d, _ in model_downloads(project) if d.path not in project.python})
        downloading += scripts
        if not downloading:
            return Assessment.earned("The code downloads no weights or data by URL: nothing to verify")
        return Assessment.missing(
            f"Downloaded weights or data are not verified by a checksum (downloads in {listed(downloading, 3)})"
        )


@dataclass(frozen=True)
class CallEvidence:
    """What a module's calls show: its first checksum, its first dynamic code execution, how many calls it makes."""

    checksum: tuple[int, str] | None  # (line, hash function), "" for check_hash=True
    execution: str | None
    calls: int


CALLS_EVIDENCE_FACT = "capabilities.security.calls"


def call_evidence(pf: PythonFile) -> CallEvidence:
    """Return the security evidence of a module's calls (a per-file fact)."""
    found: CallEvidence = pf.file_fact(CALLS_EVIDENCE_FACT, module_call_evidence)
    return found


def module_call_evidence(pf: PythonFile) -> CallEvidence:
    """Compute `call_evidence` of a module."""
    return CallEvidence(_checksum(pf), _code_execution(pf), len(pf.nodes(ast.Call)))


def _checksum(pf: PythonFile) -> tuple[int, str] | None:
    """Return (line, hash) of the first checksum the module verifies: a digest compared with an expected
    value (`if sha256(data).hexdigest() != expected: raise`), or `check_hash=True`. A digest only printed,
    stored or looked up as a key (`if digest in seen: continue`) verifies nothing; nor does a digest of an object
    the code serialised itself (`sha256(json.dumps(cfg).encode())`: a fingerprint of data in memory). A hasher
    object fed chunk by chunk, whatever made it (`hasher = HASHERS[kind](); hasher.update(chunk)`), verifies when its
    `hasher.hexdigest()` is compared with an expected value."""
    for call in pf.nodes(ast.Call):
        name = pf.call_name(call) or ""
        if name in HASHES and _compared(pf, call) and not hashes_own_objects(pf, call):
            return call.lineno, name
        if _hasher_digest(call) and _compared(pf, call):
            return call.lineno, f"{ast.unparse(call.func)}()"
        if is_const(kw_value(call, "check_hash"), True):
            return call.lineno, ""
    return _checksum_error_raised(pf)


FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef)
_CHECKSUM_WORDS = ("checksum", "hash", "digest")
_ERROR_WORDS = ("error", "mismatch", "exception")


def _checksum_error_raised(pf: PythonFile) -> tuple[int, str] | None:
    """Return (line, `raise <error>`) for an error named for a checksum mismatch raised when an (in)equality test
    fails (`if expected_url_info != url_info: raise NonMatchingChecksumError(url)`): the module compares a
    download's recorded digest with the expected one, whichever module computed it."""
    for node in pf.nodes(ast.If):
        if not (isinstance(node, ast.If) and any(_equality(part) for part in ast.walk(node.test))):
            continue
        for stmt in node.body:
            error = _raised_class(stmt)
            last = error.rsplit(".", 1)[-1].lower()
            if any(w in last for w in _CHECKSUM_WORDS) and any(w in last for w in _ERROR_WORDS):
                return stmt.lineno, f"raise {error}"
    return None


def _raised_class(stmt: ast.stmt) -> str:
    """Return the error a `raise` statement raises as written (`errors.ChecksumError` of `raise
    errors.ChecksumError(url)`), or "" for any other statement."""
    if not isinstance(stmt, ast.Raise) or stmt.exc is None:
        return ""
    return ast.unparse(stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc)


def _hasher_digest(call: ast.Call) -> bool:
    """Return True for `hasher.hexdigest()` (or `.digest()`) of a hasher held in a name or attribute (a digest of a
    call's result, `sha256(data).hexdigest()`, is judged by that call)."""
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr in DIGEST_METHODS
        and not call.args
        and isinstance(func.value, ast.Name | ast.Attribute)
    )


def _compared(pf: PythonFile, call: ast.Call) -> bool:
    """Return True when the digest reaches a comparison or assert: directly, through the name it is assigned
    to, or through the module function that returns it (`if sha256sum(path) != expected`), also once its result
    is bound to a name (`actual = sha256sum(path)`; `if actual != expected`)."""
    names: set[str] = set()
    for anc in pf.ancestors(call):
        if isinstance(anc, ast.Assert) or _equality(anc):
            return True
        if isinstance(anc, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = anc.targets if isinstance(anc, ast.Assign) else [anc.target]
            names.update(_bound_names(targets))
        if isinstance(anc, ast.Return):
            func = pf.enclosing_function(anc)
            if func is not None:
                names.add(func.name)
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            break
    names = set(digest_carriers(pf, names))
    tests = [*pf.nodes(ast.Assert), *(c for c in pf.nodes(ast.Compare) if _equality(c))]
    return bool(names) and any(_digest_read(pf, node, names) for test in tests for node in ast.walk(test))


def _digest_read(pf: PythonFile, node: ast.AST, names: set[str]) -> bool:
    """Return True for a name carrying a digest read in a test: a name bound to one, or a call of a helper returning
    one (`sha256sum(path) != expected`); a helper's name itself compared (`hash_function == 'md5'`, picking which
    hash function to use) reads no digest."""
    if not (isinstance(node, ast.Name) and node.id in names):
        return False
    helpers = {f.name for f in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef) if isinstance(f, FUNCTION_NODES)}
    parent = pf.parent(node)
    return node.id not in helpers or (isinstance(parent, ast.Call) and parent.func is node)


def _bound_names(targets: Sequence[ast.expr]) -> Iterator[str]:
    """Yield the names assignment targets bind (`digest = ...`, `a, b = ...`); an attribute or item target
    (`self.run_id = md5(...)`) binds none, and the object it is stored on (`self`) carries no digest."""
    for target in targets:
        if isinstance(target, ast.Name):
            yield target.id
        elif isinstance(target, ast.Tuple | ast.List):
            yield from _bound_names(list(target.elts))
        elif isinstance(target, ast.Starred):
            yield from _bound_names([target.value])


def _equality(node: ast.AST) -> bool:
    """Return True for an (in)equality test (`digest != expected`); a membership test (`digest in seen`) uses the
    digest as a key to skip duplicates or find a cache entry, and verifies nothing."""
    return isinstance(node, ast.Compare) and any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops)


def _code_execution(pf: PythonFile) -> str | None:
    """Return the first place that runs dynamic code: eval/exec of dynamic input (SEC013's test),
    interpolated shell commands, or trust_remote_code=True."""
    evals = {call: name for call, name, _ in dynamic_evals(pf)}
    for call in pf.nodes(ast.Call):
        if call in evals:
            return f"{evals[call]}() at {pf.location(call.lineno)}"
        arg = call.args[0] if call.args else kw_value(call, "args")
        name = pf.call_name(call) or ""
        shell = name in SHELL_CALLS or (name in SUBPROCESS_CALLS and is_const(kw_value(call, "shell"), True))
        if shell and arg is not None and is_interpolated(arg) and not fixed_text(pf, arg):
            return f"{name}() of an interpolated command at {pf.location(call.lineno)}"
        if is_const(kw_value(call, "trust_remote_code"), True):
            return f"trust_remote_code=True at {pf.location(call.lineno)}"
    return None


@register_capability
class NoDynamicCode(Capability):
    """The code never turns data into code: no eval/exec of non-literals, no shell command built from
    strings, no trust_remote_code=True (every call of the library and script code checked); dynamic code
    only in examples or docs earns half (teaching material, but users copy it)."""

    key = "no_dynamic_code"
    practice = "security"
    title = "No dynamic code execution"
    points = 15

    def assess(self, project: Project) -> Assessment:
        files = code_files(project, FileKind.LIBRARY, FileKind.SCRIPT, FileKind.NOTEBOOK)
        if not files:
            return Assessment.missing("No code to check")
        own = [pf for pf in files if not is_example(pf.path)]
        for pf in own or files:
            found = call_evidence(pf).execution
            if found:
                return Assessment.missing(f"Dynamic code execution: {found}")
        teaching = next((found for pf in files if (found := call_evidence(pf).execution)), None)
        if teaching:
            return Assessment.partly(
                0.5,
                f"the project's own code runs no dynamic input; its examples or docs do ({teaching}), and users copy them",
            )
        calls = sum(call_evidence(pf).calls for pf in files)
        return Assessment.earned(f"none of {calls} calls in {len(files)} modules evaluates or shells out dynamic input")
