"""Provides rule REP015: Config or checkpoint path relative to the working directory."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.facts.randomness import keyword
from mlaudit.model import FileKind, Severity
from mlaudit.project import PythonFile, is_main_guard
from mlaudit.registry import FileRule, Hit, register

ARTIFACT_SUFFIXES = (".yaml", ".yml", ".json", ".toml", ".ckpt", ".pt", ".pth", ".bin", ".safetensors", ".onnx", ".pkl")


PATH_READERS = frozenset(
    {"open", "load", "safe_load", "load_state_dict", "from_file", "read_text", "load_from_checkpoint"}
)


def cwd_relative_loads(pf: PythonFile) -> Iterator[tuple[ast.Call, str]]:
    """Yield calls that open a config or checkpoint through a literal path relative to the working directory,
    except a path the file itself writes (`open("learner.pkl", "wb")`, `torch.save(model, "model.pt")`): the
    file reads back its own output wherever it runs."""
    written = _written_paths(pf)
    archives: frozenset[str] | None = None  # computed only for a file with a candidate call
    for call in pf.nodes(ast.Call):
        label = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        if label not in PATH_READERS or not call.args:
            continue
        archives = _archive_names(pf) if archives is None else archives
        if _reads_archive_member(pf, call, archives):
            continue  # `z.open("labels.json")` of a `zipfile.ZipFile`: a member name inside the archive, no path
        arg = call.args[0]
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            continue
        path = arg.value
        if path.startswith(("/", "~", "http:", "https:")) or "://" in path or not path.endswith(ARTIFACT_SUFFIXES):
            continue
        if _writes(call) or path in written:
            continue
        yield call, path


# Constructors of archives whose `.open(name)` reads a member by its name inside the archive.
ARCHIVES = frozenset({"zipfile.ZipFile", "zipfile.PyZipFile", "tarfile.open", "tarfile.TarFile", "py7zr.SevenZipFile"})


def _archive_names(pf: PythonFile) -> frozenset[str]:
    """Return the names the file binds to an archive (`with zipfile.ZipFile(p) as z`, `tar = tarfile.open(p)`)."""
    found: set[str] = set()
    for node in pf.nodes(ast.withitem):
        if isinstance(node.optional_vars, ast.Name) and _opens_archive(pf, node.context_expr):
            found.add(node.optional_vars.id)
    for assign in pf.nodes(ast.Assign):
        if _opens_archive(pf, assign.value):
            found.update(t.id for t in assign.targets if isinstance(t, ast.Name))
    return frozenset(found)


# Calls returning an installed distribution, whose `read_text(name)` reads a file of its metadata
# (`distribution("openai-whisper").read_text("direct_url.json")`), not one in the working directory.
DISTRIBUTIONS = frozenset({"importlib.metadata.distribution", "importlib_metadata.distribution"})


def _opens_archive(pf: PythonFile, expr: ast.expr) -> bool:
    return isinstance(expr, ast.Call) and pf.call_name(expr) in ARCHIVES | DISTRIBUTIONS


def _reads_archive_member(pf: PythonFile, call: ast.Call, archives: frozenset[str]) -> bool:
    """Return True for `z.open("labels.json")` on an archive (bound to a name or built in place): the argument
    names a member inside the archive, not a file relative to the working directory."""
    if not isinstance(call.func, ast.Attribute):
        return False
    owner = call.func.value
    return (isinstance(owner, ast.Name) and owner.id in archives) or _opens_archive(pf, owner)


SAVERS = frozenset({"save", "dump", "to_pickle", "save_pretrained", "to_json", "to_csv", "savez", "write_text"})


def _written_paths(pf: PythonFile) -> frozenset[str]:
    """Return the literal paths the file writes: opened for writing, or the target of a save or dump call."""
    found: set[str] = set()
    for call in pf.nodes(ast.Call):
        label = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        if label in PATH_READERS and _writes(call):
            targets = call.args[:1]
        elif label in SAVERS:
            targets = [*call.args, *(k.value for k in call.keywords)]
        else:
            continue
        found.update(t.value for t in targets if isinstance(t, ast.Constant) and isinstance(t.value, str))
    return frozenset(found)


def _writes(call: ast.Call) -> bool:
    """Return True for `open(path, "w")`: creating an output file is not reading a config."""
    mode = call.args[1] if len(call.args) > 1 else keyword(call, "mode")
    return isinstance(mode, ast.Constant) and isinstance(mode.value, str) and any(c in mode.value for c in "wax")


@register
class WorkingDirectoryRelativePath(FileRule):
    """Flags configs and checkpoints opened through a literal path relative to the working directory.

    ## What it does
    Finds `open("config.json")`, `OmegaConf.load("configs/x.yaml")`, `torch.load("models/last.ckpt")`
    and similar calls whose first argument is a relative path literal to a config or checkpoint
    file (`.yaml`, `.json`, `.toml`, `.ckpt`, `.pt`, `.pth`, `.bin`, `.safetensors`, `.onnx`, `.pkl`).
    Loads only in a package module's `__main__` self-test are info: users import the module. A path the
    same file writes (`open("learner.pkl", "wb")` before `open("learner.pkl", "rb")`) is its own output, and
    `z.open("labels.json")` on an archive (`zipfile.ZipFile`, `tarfile.open`) names a member inside it, not a file,
    as `importlib.metadata.distribution("pkg").read_text("direct_url.json")` names a file of an installed
    distribution's metadata.

    ## Why is this bad?
    The path resolves against whatever directory the process starts in: the same script loads
    another file, or fails, when run from elsewhere (a service, a scheduler, a notebook), and
    which config or weights a run used is not recorded anywhere.

    ## Example
    ```python
    config = OmegaConf.load("models/ldm/config.yaml")
    ```

    ## Use instead
    ```python
    parser.add_argument("--config", type=Path, default=HERE / "models/ldm/config.yaml")
    config = OmegaConf.load(args.config)
    ```
    """

    code = "REP015"
    file_kinds = (FileKind.LIBRARY, FileKind.SCRIPT)
    title = "Config or checkpoint path relative to the working directory"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Take the path from the CLI or the config, or resolve it against the module: Path(__file__).parent / name."

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        found = list(cwd_relative_loads(pf))
        if found:
            call, path = found[0]
            more = f" (+{len(found) - 1} more)" if len(found) > 1 else ""
            message = f"{path!r} is opened relative to the working directory{more}"
            if pf.kind is FileKind.LIBRARY and all(_in_self_test(pf, c) for c, _ in found):
                yield Hit(pf.path, call.lineno, message + " (in the module's __main__ self-test)", Severity.INFO)
            else:
                yield Hit(pf.path, call.lineno, message)


def _in_self_test(pf: PythonFile, node: ast.AST) -> bool:
    """Return True inside a package module's `if __name__ == "__main__":` block: its developer's smoke test,
    not a way its users run it."""
    parent = pf.parent(node)
    while parent is not None:
        if isinstance(parent, ast.If) and is_main_guard(parent):
            return True
        parent = pf.parent(parent)
    return False
