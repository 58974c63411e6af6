"""Provides rule SEC006: Environment read in many modules."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.facts.kind import is_example
from mlaudit.model import FileKind, Severity
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.security._shared import _env_key

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


def is_launcher_var(name: str | None) -> bool:
    """Return True for variables set by launchers and shells (RANK, SLURM_*, HOME, ...)."""
    return name is not None and (name in LAUNCHER_VARS or name in BUILD_VARS or name.startswith(LAUNCHER_PREFIXES))


def _defines_settings(pf: PythonFile) -> bool:
    return any(
        (pf.qualname(base) or "").endswith("BaseSettings") for cls in pf.nodes(ast.ClassDef) for base in cls.bases
    )


ENV_READS_FACT = "security.env_reads"


def env_reads(pf: PythonFile) -> tuple[tuple[int, str], ...]:
    """Return (line, variable) of the module's environment reads that are not launcher contracts (a per-file fact)."""
    if not any(v == "os" or v.startswith("os.") for v in pf.imports.values()):
        return ()
    found: tuple[tuple[int, str], ...] = pf.file_fact(ENV_READS_FACT, module_env_reads)
    return found


def module_env_reads(pf: PythonFile) -> tuple[tuple[int, str], ...]:
    """Compute `env_reads` of a module."""
    if not any(v == "os" or v.startswith("os.") for v in pf.imports.values()) or _defines_settings(pf):
        return ()
    reads: list[tuple[int, str]] = []
    for node in pf.nodes(ast.Call, ast.Subscript):
        is_read, key = _env_key(pf, node)
        if is_read and not is_launcher_var(key):
            reads.append((node.lineno, key or "<dynamic>"))
    return tuple(reads)


@register
class ScatteredEnvironmentReads(Rule):
    """Flags environment variables read all over the library instead of in one settings object.

    ## What it does
    Counts library modules that read `os.environ[...]`, `os.environ.get` or `os.getenv`
    (launcher contracts such as `RANK`, `WORLD_SIZE`, `SLURM_*`, `HOME` excluded; a docs build's
    `conf.py` reading `READTHEDOCS`, a tutorial or demo configures itself, not the library) and flags
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
        modules = [
            (pf, reads)
            for pf in project.python_of(FileKind.LIBRARY)
            if not is_example(pf.path) and (reads := env_reads(pf))
        ]
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
