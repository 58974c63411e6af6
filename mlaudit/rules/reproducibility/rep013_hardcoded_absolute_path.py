"""Provides rule REP013: Hard-coded absolute path."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from mlaudit.facts.randomness import CODE_KINDS
from mlaudit.model import FileKind, Severity
from mlaudit.project import PythonFile, local_reads, parameter_defaults
from mlaudit.registry import FileRule, Hit, register

ABSOLUTE_PATH = re.compile(r"^(/home/|/Users/|/kaggle/|/content/drive/|/mnt/|/root/|[A-Za-z]:\\\\)")


MOUNT_KEYS = frozenset({"mount_path", "mountPath", "container_path", "containerPath", "mount_point"})


def _container_mounts(pf: PythonFile) -> frozenset[str]:
    """Return the absolute paths the file mounts a volume at inside a container (`V1VolumeMount(name="out",
    mount_path="/mnt/out")`, `{"mountPath": "/mnt/data"}`): the container spec, not a machine, fixes them."""
    found: set[str] = set()
    for kw in pf.nodes(ast.keyword):
        if isinstance(kw, ast.keyword) and _mount_key(kw.arg) and isinstance(kw.value, ast.Constant):
            found.add(str(kw.value.value))
    for function in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            found.update(_mount_defaults(function.args))
    for mapping in pf.nodes(ast.Dict):
        if not isinstance(mapping, ast.Dict):
            continue
        for key, value in zip(mapping.keys, mapping.values, strict=True):
            if isinstance(key, ast.Constant) and _mount_key(key.value) and isinstance(value, ast.Constant):
                found.add(str(value.value))
    return frozenset(m for m in found if m.startswith("/") and len(m) > 1)


def _mount_key(name: object) -> bool:
    """Return True for a name that holds where a volume is mounted in a container (`mount_path`,
    `volume_mount_path`)."""
    return isinstance(name, str) and (name in MOUNT_KEYS or name.endswith(("_mount_path", "_mount_point")))


def _mount_defaults(args: ast.arguments) -> Iterator[str]:
    """Yield the string defaults of mount-path parameters (`def mount_pvc(volume_mount_path="/mnt/pipeline")`)."""
    for name, default in parameter_defaults(args).items():
        if _mount_key(name) and isinstance(default, ast.Constant) and isinstance(default.value, str):
            yield default.value


# a line of a Dockerfile held in a string: the file writes the image the path lives in
_DOCKERFILE_LINE = re.compile(r"(?m)^\s*(?:FROM|RUN|ENV|WORKDIR|COPY|ADD|ENTRYPOINT|CMD)\s")


def _image_texts(pf: PythonFile) -> tuple[str, ...]:
    """Return the Dockerfile text the file builds an image from (strings holding two or more Dockerfile
    instructions): a path it names there is inside that image, fixed by the image, not by a machine."""
    return tuple(
        str(node.value)
        for node in pf.nodes(ast.Constant)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and len(_DOCKERFILE_LINE.findall(node.value)) >= 2
    )


def _in_image(value: str, images: tuple[str, ...]) -> bool:
    """Return True when the Dockerfile text names the path or a folder holding it, two levels deep or more
    (`/root/.venv` holds `/root/.venv/bin/python`; `/root` alone is every path of a home)."""
    parts = value.rstrip("/").split("/")
    folders = ["/".join(parts[:end]) for end in range(3, len(parts) + 1)]
    return any(folder in text for folder in folders for text in images)


DRIVE_MOUNT = "google.colab.drive.mount"


def _drive_mounts(pf: PythonFile) -> frozenset[str]:
    """Return where the file mounts Google Drive (`drive.mount("/content/drive")`): Colab's own mount point."""
    found: set[str] = set()
    for call in pf.nodes(ast.Call):
        if not (isinstance(call, ast.Call) and pf.call_name(call) == DRIVE_MOUNT):
            continue
        point = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "mountpoint"), None)
        if isinstance(point, ast.Constant) and isinstance(point.value, str) and point.value.startswith("/"):
            found.add(point.value.rstrip("/"))
    return frozenset(found)


HOME_ROOTS = frozenset({"/home/", "/Users/"})
PROBES = frozenset({"os.path.exists", "os.path.isfile", "os.path.isdir", "os.path.lexists", "os.access"})
PATH_PROBES = frozenset({"exists", "is_file", "is_dir"})
PATH_CLASSES = frozenset({"pathlib.Path", "Path", "pathlib.PurePath"})


def _probed(pf: PythonFile, node: ast.expr) -> bool:
    """Return True when `node` is the path an existence test looks at (`os.path.exists(P)`, `Path(P).exists()`)."""
    call = pf.parent(node)
    if not isinstance(call, ast.Call) or not call.args or call.args[0] is not node:
        return False
    if pf.call_name(call) in PROBES:
        return True
    method = pf.parent(call)
    return (
        pf.call_name(call) in PATH_CLASSES
        and isinstance(method, ast.Attribute)
        and method.attr in PATH_PROBES
        and isinstance(pf.parent(method), ast.Call)
    )


def _only_probed(pf: PythonFile, node: ast.Constant) -> bool:
    """Return True when a path is only tested for existence: passed straight to the test, or bound to a local
    name (`marker = "/mnt/azmnt/.nbvm"`) that the function uses for existence tests and nothing else."""
    if _probed(pf, node):
        return True
    uses = local_reads(pf, node)
    return bool(uses) and all(_probed(pf, use) for use in uses or ())


PREFIX_TESTS = frozenset({"startswith", "endswith", "removeprefix", "removesuffix"})


def _prefix_tested(pf: PythonFile, node: ast.Constant) -> bool:
    """Return True for a path some other string is tested against (`name.startswith(("/Users/", "/Shared/"))`,
    `root in ("/home/", "/root/")`): a pattern that recognises a location, not one the code reads or writes."""
    holder: ast.AST = node
    parent = pf.parent(node)
    if isinstance(parent, ast.Tuple | ast.List | ast.Set):
        holder, parent = parent, pf.parent(parent)
    if isinstance(parent, ast.Compare):
        return True
    return (
        isinstance(parent, ast.Call)
        and holder in parent.args
        and isinstance(parent.func, ast.Attribute)
        and parent.func.attr in PREFIX_TESTS
    )


def _home_of_whoever_runs(pf: PythonFile, node: ast.Constant) -> bool:
    """Return True for the head of `f"/home/{user}/..."`: a home folder named at run time, not the author's."""
    joined = pf.parent(node)
    if not isinstance(joined, ast.JoinedStr) or node.value not in HOME_ROOTS:
        return False
    parts = joined.values
    index = next(i for i, part in enumerate(parts) if part is node)
    return index + 1 < len(parts) and isinstance(parts[index + 1], ast.FormattedValue)


def _inside_formatted_string(pf: PythonFile, node: ast.Constant) -> bool:
    """Return True for a literal piece of an f-string after a formatted value (`f"https://{host}/root/content"`):
    it continues a string that starts elsewhere, a URL's path or a path under a folder formatted in."""
    joined = pf.parent(node)
    return isinstance(joined, ast.JoinedStr) and bool(joined.values) and joined.values[0] is not node


def _under(value: str, mounts: frozenset[str]) -> bool:
    return any(value.rstrip("/") == mount or value.startswith(mount.rstrip("/") + "/") for mount in mounts)


@register
class HardcodedAbsolutePath(FileRule):
    """Flags machine-specific absolute paths hard-coded in code.

    ## What it does
    Finds string literals starting with `/home/`, `/Users/`, `/kaggle/`, `/content/drive/`, `/mnt/`,
    `/root/` or a Windows drive (`C:\\`) in library code, scripts and notebooks (docstrings excluded),
    except paths inside a volume the same file mounts into a container (`mount_path="/mnt/out"`, also as
    the default of a `volume_mount_path` parameter), paths only tested for existence to detect the
    platform (`os.path.exists("/kaggle/input")`, also through a local name used for nothing else), patterns another
    path is tested against (`name.startswith(("/Users/", "/Shared/"))`, `root in ("/home/", "/root/")`) and
    home folders whose user is formatted in (`f"/home/{user}/"`), the rest of an f-string after a formatted value
    (`f"https://api.host/shares/{key}/root/content"`, `f"{data_dir}/mnt/x"`: its start lies elsewhere), and paths the file's own Dockerfile text names
    (`python_exec="/root/.venv/bin/python"` beside a template holding `RUN uv venv /root/.venv`): they lie inside
    the image the file builds. A notebook or
    script that mounts Google Drive itself (`drive.mount("/content/drive")`) follows Colab's convention: its paths
    under that mount are a note (info), since a reader still needs the same Drive folder; in library code a
    `/content/drive/` path stays a warning, as the library cannot assume it runs in Colab.

    ## Why is this bad?
    The code runs only on the machine (or Kaggle kernel) it was written on; anyone else has to edit
    source files to reproduce a result, and outputs land in someone's home directory.

    ## Example
    ```python
    df = pd.read_csv("/home/alice/data/churn/train.csv")
    ```

    ## Use instead
    ```python
    df = pd.read_csv(cfg.data_dir / "train.csv")  # data_dir from the config or an env variable
    ```
    """

    code = "REP013"
    file_kinds = (*CODE_KINDS, FileKind.CONFIG)  # a settings module (`configs/x.py`) holds paths too
    title = "Hard-coded absolute path"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Take the path from the config or an environment variable, relative to a configurable data directory."

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        seen: set[str] = set()
        mounts = _container_mounts(pf)
        images: tuple[str, ...] | None = None
        drives = _drive_mounts(pf) if pf.kind is not FileKind.LIBRARY else frozenset()
        for node in pf.nodes(ast.Constant):
            value = node.value
            if isinstance(value, str) and ABSOLUTE_PATH.match(value) and value not in seen:
                if isinstance(pf.parent(node), ast.Expr | ast.Compare) or _only_probed(pf, node):
                    continue  # a docstring, or a comparison or existence test that detects the environment
                if _prefix_tested(pf, node):
                    continue  # a pattern some other path is matched against, not a location
                if _home_of_whoever_runs(pf, node) or _inside_formatted_string(pf, node):
                    continue
                if _under(value, mounts) or value.rstrip("/") in drives:
                    continue  # inside a volume the file mounts into its container, or the Drive mount point itself
                images = _image_texts(pf) if images is None else images
                if _in_image(value, images):
                    continue  # a path of the image whose Dockerfile the file writes
                seen.add(value)
                if _under(value, drives):
                    note = f"Absolute path {value[:80]!r} in {pf.path}, under the Google Drive it mounts (Colab's convention)"
                    yield Hit(pf.path, node.lineno, note, severity=Severity.INFO)
                    continue
                yield Hit(pf.path, node.lineno, f"Absolute path {value[:80]!r} in {pf.path}")
