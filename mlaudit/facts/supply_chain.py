"""Provides the facts behind two supply-chain rules: packages pip-installed by the code at run
time, and model files downloaded without a checksum.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from mlaudit.facts.assertions import callee
from mlaudit.facts.distributions import module_value
from mlaudit.facts.input_origin import user_supplied
from mlaudit.model import FileKind
from mlaudit.paths import pure_path
from mlaudit.project import Project, PythonFile, assigned_values, parameter_defaults, prose_lines

_SHELL_CALLS = frozenset(
    {
        "os.system",
        "os.popen",
        "subprocess.run",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.Popen",
        "pip.main",
        "pip._internal.main",
        "pip._internal.cli.main.main",
    }
)
_PIP_INSTALL = re.compile(r"\bpip3?\b.*\binstall\b|^\s*install\b", re.DOTALL)
_INSTALLER_NAME = re.compile(r"(?i)requirement|dependenc|install|package")
_INSTALL_PARAMS = frozenset({"install", "auto_install", "autoinstall", "auto_update", "autoupdate"})

_PY_DOWNLOAD = re.compile(
    r"\b(gdown\.download|gdown\.cached_download|urlretrieve|wget\.download|download_url_to_file|"
    r"load_state_dict_from_url)\s*\("
)
# Every match of _PY_DOWNLOAD holds one of these words: a file without them has no download to look at.
_PY_DOWNLOAD_WORDS = ("download", "urlretrieve", "load_state_dict_from_url")
_SHELL_DOWNLOAD = re.compile(r"(?:^|[\s;&|(])(wget|curl|gdown)\s+\S")
_MODEL_LIKE = re.compile(
    r"(?i)\.(?:pt|pth|bin|ckpt|h5|hdf5|onnx|pkl|pickle|safetensors|pb|tflite|joblib|engine|gguf)\b"
    r"|\bmodels?\b|weights|checkpoint|drive\.google\.com"
)
_CHECKSUM = re.compile(r"(?i)hashlib|sha256|sha1sum|md5|checksum|hash_prefix|check_hash=(?!False)|\bhash=|shasum")
_SCRIPT_SUFFIXES = (".sh", ".bash")
_CURL_SAVES = re.compile(r"\s(?:-[a-zA-Z]*[oO]\b|--output\b|--remote-name\b)|>")  # curl otherwise prints the answer


@dataclass(frozen=True)
class Download:
    """A command or call that downloads a model file, and the tool it uses."""

    path: str
    line: int
    tool: str
    plain_http: bool = False  # fetched over http://: anyone on the way can swap the file


def _command_text(node: ast.expr) -> str:
    if isinstance(node, ast.List | ast.Tuple):
        return " ".join(_command_text(e) for e in node.elts)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else " " for v in node.values
        )
    if isinstance(node, ast.Attribute) and node.attr == "executable":
        return "python"
    return ""


_SHELL_TOOLS = ("wget", "curl", "gdown")


def shell_downloads(pf: PythonFile) -> tuple[int, ...]:
    """Return the lines of the commands a module that runs shell commands (`os.system`, `subprocess`) writes to
    download a file: a string holding `wget URL`, `curl -o file URL` or `gdown ID`
    (`os.system(f"wget {url}; tar -xf model.tar")`), or an argument list starting with one of those tools."""
    if not any(tool in pf.text for tool in _SHELL_TOOLS):
        return ()
    if not any(pf.call_name(call) in _SHELL_CALLS for call in pf.nodes(ast.Call) if isinstance(call, ast.Call)):
        return ()
    prose = prose_lines(pf)
    found: list[int] = []
    for node in pf.nodes(ast.Constant, ast.JoinedStr, ast.List, ast.Tuple):
        if isinstance(node, ast.Constant) and isinstance(pf.parent(node), ast.JoinedStr | ast.List | ast.Tuple):
            continue  # read with the f-string or argument list it is part of
        command = _written_command(node)
        match = _SHELL_DOWNLOAD.search(command)
        if match is None or node.lineno in prose:
            continue
        # the tool's own command up to the next `;`, `&&` or `|`: it names an address (a URL or a `{}` filled in)
        # and curl saves what it fetches; "please install wget" names no address
        segment = _COMMAND_END.split(command[match.end() - 1 :], maxsplit=1)[0]
        fetches = "://" in segment or "{}" in segment
        if fetches and (match.group(1) != "curl" or _CURL_SAVES.search(segment)):
            found.append(node.lineno)
    return tuple(found)


_COMMAND_END = re.compile(r"[;&|\n]")


def _written_command(node: ast.AST) -> str:
    """Return the command a string, f-string (each `{...}` kept as `{}`) or argument list writes, else ""."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else ""
    if isinstance(node, ast.JoinedStr):
        return "".join(str(v.value) if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if isinstance(node, ast.List | ast.Tuple) and node.elts:
        first = node.elts[0]
        if isinstance(first, ast.Constant) and first.value in _SHELL_TOOLS:
            return " ".join(
                e.value if isinstance(e, ast.Constant) and isinstance(e.value, str) else "{}" for e in node.elts
            )
    return ""


def pip_install_calls(pf: PythonFile) -> Iterator[ast.Call]:
    """Yield the subprocess / os.system / pip.main calls whose command runs `pip install`."""
    for call in pf.nodes(ast.Call):
        name = pf.call_name(call)
        if name in _SHELL_CALLS and call.args and _PIP_INSTALL.search(_command_text(call.args[0])):
            yield call


def installing_functions(pf: PythonFile) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    """Yield functions named like requirement checkers whose `install` parameter defaults to True."""
    for func in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef) or not _INSTALLER_NAME.search(func.name):
            continue
        if any(
            name in _INSTALL_PARAMS and _is_true(default) for name, default in parameter_defaults(func.args).items()
        ):
            yield func


def _is_true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _is_script_text(path: str, text: str) -> bool:
    name = pure_path(path).name
    return name.endswith(_SCRIPT_SUFFIXES) or name in {"Makefile", "Dockerfile"} or text.startswith("#!")


def model_downloads(project: Project) -> Iterator[tuple[Download, int]]:
    """Yield the first unverified model download (or plain-http download) per file and tool, with how many there are."""
    grouped: dict[tuple[str, str, bool], list[Download]] = {}
    for download in _model_downloads(project):
        grouped.setdefault((download.path, download.tool, download.plain_http), []).append(download)
    for downloads in grouped.values():
        yield downloads[0], len(downloads)


def _model_downloads(project: Project) -> Iterator[Download]:
    for pf in project.python_of(FileKind.LIBRARY, FileKind.SCRIPT):
        yield from pf.file_fact(DOWNLOADS_FACT, module_downloads)
    for path, text in sorted(project.texts.items()):
        if path in project.python or not _is_script_text(path, text) or _CHECKSUM.search(text):
            continue
        yield from _downloads_in(path, text, _PY_DOWNLOAD if "python" in text.split("\n", 1)[0] else _SHELL_DOWNLOAD)


DOWNLOADS_FACT = "supply_chain.downloads"  # a per-file fact (mlaudit.filefacts)


def module_downloads(pf: PythonFile) -> tuple[Download, ...]:
    """Return a module's unverified model downloads, and its downloads over plain http:// (none when the
    module checks a checksum)."""
    text = pf.text
    found = list(_downloads_in(pf.path, text, _PY_DOWNLOAD)) if any(w in text for w in _PY_DOWNLOAD_WORDS) else []
    if found:  # a docstring's example (`>>> torch.hub.load_state_dict_from_url(...)`) downloads nothing
        prose = prose_lines(pf)
        found = [d for d in found if d.line not in prose]
    if any(word in text for word in _FETCH_WORDS):  # every fetch below is named by one of these words
        seen = {d.line for d in found}
        found.extend(d for d in _fetched_to_files(pf) if d.line not in seen)
    if found:  # the user's own input fetched by the URL they hand in is no artefact of the project
        given = user_input_fetches(pf)
        found = [d for d in found if d.line not in given]
    if not found or verifies_checksum(pf):  # read only where there is a download to excuse
        return ()
    return tuple(sorted(found, key=lambda d: d.line))


# A parameter that hands a download its expected digest: `hash_prefix=`, `known_hash=`, `md5=`, `check_hash=True`.
_CHECKSUM_KEYWORD = re.compile(
    r"(?i)^(?:check_hash|hash_prefix|known_hash|(?:expected_|file_)?(?:md5|sha\d*|hash|checksum))$"
)
# A helper named for checking a digest: `check_integrity`, `verify_sha256`, `md5_matches`.
_CHECKS_DIGEST = re.compile(
    r"(?i)(?:check|verif|validat).*(?:hash|sha\d|md5|checksum|integrity|digest)"
    r"|(?:hash|sha\d+|md5|checksum|digest).*(?:check|verif|match|valid)"
)
_DIGEST_METHODS = frozenset({"hexdigest", "digest"})
_SUM_COMMAND = re.compile(r"\b(?:sha\d*sum|shasum|md5sum)\b")


def verifies_checksum(pf: PythonFile) -> bool:
    """Return True when the module checks downloaded bytes against an expected digest: it compares a digest it
    computes (`hashlib.sha256(blob).hexdigest() != expected`), hands a download its expected hash
    (`hash_prefix=`, `check_hash=True`, `md5=`), calls a helper named for the check (`check_integrity`) or runs
    `sha256sum`. A hash that only names a cache file (`sha256(url.encode()).hexdigest()`) verifies nothing, nor
    does one of an object the code serialised itself (`sha256(json.dumps(cfg).encode())`)."""
    for call in pf.nodes(ast.Call):
        if any(k.arg and _CHECKSUM_KEYWORD.match(k.arg) and _hands_digest(k) for k in call.keywords):
            return True
        if _CHECKS_DIGEST.search(callee(call)):
            return True
    if any(isinstance(c.value, str) and _SUM_COMMAND.search(c.value) for c in pf.nodes(ast.Constant)):
        return True
    return _compares_digest(pf)


def _hands_digest(keyword: ast.keyword) -> bool:
    """Return True for `check_hash=True` or an expected digest (`md5=MD5`), not `None` nor `hash=False` (a field)."""
    value = keyword.value
    if keyword.arg == "check_hash":
        return not (isinstance(value, ast.Constant) and not value.value)
    return not (isinstance(value, ast.Constant) and (value.value is None or isinstance(value.value, bool)))


def _compares_digest(pf: PythonFile) -> bool:
    """Return True for `==`/`!=` (or `hmac.compare_digest`) on a digest the module computes: a `.hexdigest()`
    call, a name bound to one, or a call of a module function returning one."""
    digests = [
        c
        for c in pf.nodes(ast.Call)
        if isinstance(c.func, ast.Attribute)
        and c.func.attr in _DIGEST_METHODS
        and not (isinstance(c.func.value, ast.Call) and hashes_own_objects(pf, c.func.value))
    ]
    if not digests:
        return False
    names: set[str] = set()
    for digest in digests:
        holder = pf.parent(digest)
        if isinstance(holder, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = holder.targets if isinstance(holder, ast.Assign) else [holder.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        func = pf.enclosing_function(digest)
        if func is not None and isinstance(holder, ast.Return):
            names.add(func.name)
    names = set(digest_carriers(pf, names))
    for node in pf.nodes(ast.Compare, ast.Call):
        if isinstance(node, ast.Compare) and all(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops):
            operands: list[ast.expr] = [node.left, *node.comparators]
        elif isinstance(node, ast.Call) and callee(node) == "compare_digest":
            operands = list(node.args)
        else:
            continue
        if any(_digest_operand(part, names) for operand in operands for part in ast.walk(operand)):
            return True
    return False


# calls that serialise the program's own objects: a digest of their output fingerprints data held in memory
_SERIALISERS = frozenset({"json.dumps", "pickle.dumps", "yaml.dump", "yaml.safe_dump", "repr", "str"})


def hashes_own_objects(pf: PythonFile, hash_call: ast.Call) -> bool:
    """Return True when a hash is given bytes the code serialised from its own objects
    (`sha256(json.dumps(policy).encode())`, also through a local): a fingerprint of data in memory, compared to
    notice a change, not a check of a file's or download's bytes."""
    data = hash_call.args[0] if hash_call.args else None
    if isinstance(data, ast.Name):
        bound = assigned_values(pf.enclosing_function(hash_call) or pf.tree, data.id)
        data = bound[0] if len(bound) == 1 else None
    if isinstance(data, ast.Call) and isinstance(data.func, ast.Attribute) and data.func.attr == "encode":
        data = data.func.value
    if not isinstance(data, ast.Call):
        return False
    builtin = data.func.id if isinstance(data.func, ast.Name) and data.func.id in _SERIALISERS else None
    return (builtin or pf.call_name(data)) in _SERIALISERS


def digest_carriers(pf: PythonFile, names: set[str]) -> frozenset[str]:
    """Return `names` (names and helpers holding a digest) with what carries it on: a name bound to a call of
    such a helper (`actual = file_md5(path)`), and a function returning an expression of such a name
    (`return hasher.hexdigest()`): a digest computed in one helper and compared in the caller is still compared."""
    found = set(names)
    changed = bool(found)
    while changed:
        before = len(found)
        for node in pf.nodes(ast.Assign):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                helper = node.value.func
                if isinstance(helper, ast.Name) and helper.id in found:
                    found.update(t.id for t in node.targets if isinstance(t, ast.Name))
        for ret in pf.nodes(ast.Return):
            func = pf.enclosing_function(ret)
            value = ret.value if isinstance(ret, ast.Return) else None
            if func is not None and value is not None and _mentions(value, found):
                found.add(func.name)
        changed = len(found) > before
    return frozenset(found)


def _mentions(node: ast.AST, names: set[str]) -> bool:
    return any(isinstance(part, ast.Name) and part.id in names for part in ast.walk(node))


def _digest_operand(node: ast.AST, names: set[str]) -> bool:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _DIGEST_METHODS:
        return True
    return isinstance(node, ast.Name) and node.id in names


def _downloads_in(path: str, text: str, pattern: re.Pattern[str]) -> Iterator[Download]:
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith("#"):
            continue
        match = pattern.search(line)
        if match is None:
            continue
        statement = _statement(lines, number - 1, pattern is _PY_DOWNLOAD)
        plain = _PLAIN_HTTP.search(statement) is not None and (
            match.group(1) != "curl" or _CURL_SAVES.search(statement) is not None
        )
        if plain or _MODEL_LIKE.search(statement):
            yield Download(path, number, match.group(1), plain)


# Calls that fetch a URL's bytes; the code then writes them to a file itself.
_FETCHES = frozenset(
    {
        "requests.get",
        "requests.request",
        "httpx.get",
        "httpx.stream",
        "urllib.request.urlopen",
        "urllib2.urlopen",
        "urllib.urlopen",
        "six.moves.urllib.request.urlopen",
    }
)
_RETRIEVES = {  # calls that save a URL to a file, by the tool name findings show
    "urllib.request.urlretrieve": "urlretrieve",
    "urllib.urlretrieve": "urlretrieve",
    "six.moves.urllib.request.urlretrieve": "urlretrieve",
    "gdown.download": "gdown.download",
    "wget.download": "wget.download",
    "torch.hub.download_url_to_file": "download_url_to_file",
    "torch.hub.load_state_dict_from_url": "load_state_dict_from_url",
    "torch.utils.model_zoo.load_url": "load_url",
}
_BUCKET_DOWNLOADS = frozenset({"download_file", "download_fileobj"})  # boto3 client, resource and bucket methods
# Every call `_fetched_to_files` reports is named by one of these words (the import or the method).
_FETCH_WORDS = ("requests", "httpx", "urlopen", "urlretrieve", "download", "load_url", "load_state_dict_from_url")
_STREAMS = frozenset({"iter_content", "iter_bytes", "iter_raw", "content", "raw"})
_PLAIN_HTTP = re.compile(r"http://(?!localhost\b|127\.|0\.0\.0\.0\b)[\w-]")  # a named host other than this one
_MODEL_URL = re.compile(
    r"(?i)https?://[^\s'\"]*(?:\.(?:pt|pth|bin|ckpt|h5|hdf5|onnx|pkl|pickle|safetensors|pb|tflite|joblib|gguf)\b"
    r"|drive\.google\.com)"
)


def _fetched_to_files(pf: PythonFile) -> Iterator[Download]:
    """Yield the module's own downloads to a file: a fetched response written out (`requests.get(url)` then
    `f.write(r.content)`), `urlretrieve`, `gdown.download`, torch.hub's, or a boto3 `download_file`; each of a
    model file (the call, its function's name or parameters, or a URL of the module names one) or over plain http://."""
    module_models: bool | None = None  # searched once, at the first download found
    bucket = any(m.split(".")[0] in ("boto3", "botocore") for m in pf.imported_modules)
    for call in pf.nodes(ast.Call):
        name = pf.call_name(call) or ""
        method = call.func.attr if isinstance(call.func, ast.Attribute) else ""
        if name in _RETRIEVES:
            tool = _RETRIEVES[name]
        elif bucket and method in _BUCKET_DOWNLOADS and len(call.args) + len(call.keywords) >= 2:
            tool = f"boto3 {method}"
        elif name in _FETCHES:
            tool = name
        else:
            continue
        scope = pf.enclosing_function(call)  # only for the few calls that download: walking up costs
        if name in _FETCHES and (scope is None or not _writes_response(scope, name)):  # a fetch must be saved
            continue
        plain = _plain_http_url(pf, call)
        statement = "\n".join(pf.text.splitlines()[call.lineno - 1 : call.end_lineno])
        header = f"{scope.name}({ast.unparse(scope.args)})" if scope is not None else ""
        if module_models is None:
            module_models = _MODEL_URL.search(pf.text) is not None
        if plain or module_models or _MODEL_LIKE.search(statement) or _MODEL_LIKE.search(header.replace("_", " ")):
            yield Download(pf.path, call.lineno, tool, plain)


def _writes_response(func: ast.AST, fetch: str) -> bool:
    """Return True when the function writes fetched bytes to a file: `.write(...)` of a response's content or of
    chunks it streams (`.read()` of what `urlopen` returns), `shutil.copyfileobj`, or `Path.write_bytes`."""
    streams = False
    writes = False
    wanted = _STREAMS | {"read"} if fetch.endswith("urlopen") else _STREAMS
    for node in ast.walk(func):
        if isinstance(node, ast.Attribute) and node.attr in wanted:
            streams = True
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            writes = writes or called in ("write", "write_bytes", "copyfileobj")
    return streams and writes


def _plain_http_url(pf: PythonFile, call: ast.Call) -> bool:
    """Return True when the call's URL (its first argument or `url=`) is a plain http:// address to another host:
    a literal, or a module constant holding one."""
    url = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "url"), None)
    url = module_value(pf, url) if url is not None else None
    if isinstance(url, ast.JoinedStr) and url.values:
        url = url.values[0]
    return isinstance(url, ast.Constant) and isinstance(url.value, str) and _PLAIN_HTTP.match(url.value) is not None


def _statement(lines: list[str], start: int, python: bool) -> str:
    """Return the statement starting at `start`: a call up to its closing line, or a shell
    command with its `\\` continuations."""
    taken: list[str] = []
    for line in lines[start : start + 8]:
        taken.append(line)
        if python and line.count(")") >= 1 and "(" not in line[line.rfind(")") :]:
            break
        if not python and not line.rstrip().endswith("\\"):
            break
    return "\n".join(taken)


# Calls that fetch whatever URL they are given (not a model hub's loader, which names an artefact by nature).
_URL_FETCHERS = _FETCHES | frozenset(n for n in _RETRIEVES if not n.endswith(("load_state_dict_from_url", "load_url")))


def user_input_fetches(pf: PythonFile) -> frozenset[int]:
    """Return the lines of the module's URL fetches whose URL is the user's input (a request field, a
    command-line argument: `facts.input_origin.user_supplied`): the file the user asks the program to process,
    not a file the code pins, so no checksum can be known for it. None in a module that names a model file's
    URL: an argument there may carry it as its default (`--weights-url`, default `https://.../model.pt`)."""
    if _MODEL_URL.search(pf.text):
        return frozenset()
    lines: set[int] = set()
    for call in pf.nodes(ast.Call):
        if (pf.call_name(call) or "") not in _URL_FETCHERS:
            continue
        url = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "url"), None)
        if url is not None and user_supplied(pf, call, url):
            lines.update(range(call.lineno, (call.end_lineno or call.lineno) + 1))
    return frozenset(lines)
