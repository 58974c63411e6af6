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
    for call in pf.nodes(ast.Call):
        label = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        if label not in PATH_READERS or not call.args:
            continue
        arg = call.args[0]
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            continue
        path = arg.value
        if path.startswith(("/", "~", "http:", "https:")) or "://" in path or not path.endswith(ARTIFACT_SUFFIXES):
            continue
        if _writes(call) or path in written:
            continue
        yield call, path


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
    same file writes (`open("learner.pkl", "wb")` before `open("learner.pkl", "rb")`) is its own output.

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
