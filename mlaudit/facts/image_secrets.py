"""Provides the facts behind "secret baked into an image": build-argument secrets in Dockerfiles
and the CI workflows that fill them with real secrets and push the image.

A Dockerfile `ARG` is visible in `docker history` of every layer whose `RUN` uses it, and an
`ENV NAME=$ARG` copies the value into the image config for good. The value comes from
`--build-arg` at build time, so the leak only becomes real when someone builds with a real
key; a CI workflow that passes `${{ secrets.X }}` as a build argument and pushes the image
publishes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from mlaudit.facts.ci import ci_files
from mlaudit.project import Project
from mlaudit.rules.production._shared import DOCKER_NOT_SECRET, DOCKER_SECRET_NAME, Instruction, env_pairs
from mlaudit.secrets import is_placeholder

_VAR_REF = re.compile(r"\$\{?([A-Za-z_]\w*)")
_SECRET_BUILD_ARG = re.compile(
    r"""(?:--build-arg[ =]|^[\s\-"']*)([A-Za-z_]\w*)=["']?\$\{\{\s*secrets\.""", re.MULTILINE
)
_PUSH = re.compile(r"\bdocker\s+(?:image\s+)?push\b|\bpush:\s*true\b|ecr-push|--push\b|push-to-registry")
_WORKDIR = re.compile(r"working-directory:\s*['\"]?([\w./\-]+)")
_FILE_FLAG = re.compile(r"(?:\s-f|--file)[ =]['\"]?([\w./\-]+)|^\s*file:\s*['\"]?([\w./\-]+)", re.MULTILINE)


@dataclass(frozen=True)
class BakedSecret:
    """One Dockerfile instruction that puts a build-argument secret into the image."""

    line: int
    names: tuple[str, ...]
    args: tuple[str, ...]
    how: str


@dataclass(frozen=True)
class SecretBuild:
    """A CI workflow that builds an image with real secrets as build arguments and pushes it."""

    path: str
    line: int
    names: frozenset[str]
    folders: frozenset[str]


def secret_name(name: str) -> bool:
    """Return True for variable names that hold credentials (AWS_SECRET_ACCESS_KEY, HF_TOKEN)."""
    return bool(DOCKER_SECRET_NAME.search(name)) and not DOCKER_NOT_SECRET.search(name)


def _literal_secret(value: str) -> bool:
    """Return True when an ARG default is itself a literal secret (SRV022 reports those)."""
    return bool(value) and not value.startswith("$") and not is_placeholder(value)


def baked_secrets(instructions: list[Instruction]) -> list[BakedSecret]:
    """Return the instructions that put a secret build argument into the image.

    ENV copies and RUN uses are the leak; a secret ARG that a later RUN of the same stage
    merely follows is recorded in `docker history` by the classic builder (reported as "ARG").
    """
    found: list[BakedSecret] = []
    stage = _Stage()
    for ins in instructions:
        if ins.keyword == "FROM":
            found.extend(stage.unused_but_exposed())
            stage = _Stage()
        elif ins.keyword == "ARG":
            stage.declare(ins)
        elif ins.keyword == "ENV":
            found.extend(stage.env(ins))
        elif ins.keyword == "RUN":
            found.extend(stage.run(ins))
    found.extend(stage.unused_but_exposed())
    return sorted(found, key=lambda b: b.line)


class _Stage:
    """Build arguments of one Dockerfile stage and what the stage does with the secret ones."""

    def __init__(self) -> None:
        self.args: set[str] = set()
        self.secret_lines: dict[str, int] = {}
        self.used: set[str] = set()
        self.exposed: set[str] = set()

    def declare(self, ins: Instruction) -> None:
        for name, value in env_pairs(ins.args):
            self.args.add(name)
            if secret_name(name) and not _literal_secret(value):
                self.secret_lines[name] = ins.line

    def env(self, ins: Instruction) -> list[BakedSecret]:
        names: list[str] = []
        refs: list[str] = []
        for name, value in env_pairs(ins.args):
            copied = [
                r for r in _VAR_REF.findall(value) if r in self.secret_lines or (r in self.args and secret_name(name))
            ]
            if copied:
                names.append(name)
                refs.extend(copied)
        self.used.update(refs)
        return [BakedSecret(ins.line, tuple(names), tuple(dict.fromkeys(refs)), "ENV")] if names else []

    def run(self, ins: Instruction) -> list[BakedSecret]:
        self.exposed.update(self.secret_lines)
        used = tuple(sorted({ref for ref in _VAR_REF.findall(ins.args) if ref in self.secret_lines}))
        self.used.update(used)
        return [BakedSecret(ins.line, used, used, "RUN")] if used else []

    def unused_but_exposed(self) -> list[BakedSecret]:
        names = sorted(self.exposed - self.used)
        return [BakedSecret(self.secret_lines[n], (n,), (n,), "ARG") for n in names]


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _folders(text: str) -> frozenset[str]:
    dirs = {m.removeprefix("./").rstrip("/") for m in _WORKDIR.findall(text)}
    for flag, key in _FILE_FLAG.findall(text):
        path = (flag or key).removeprefix("./")
        dirs.add(str(PurePosixPath(path).parent))
    return frozenset("." if d in {"", "."} else d for d in dirs)


def secret_builds(project: Project) -> tuple[SecretBuild, ...]:
    """Return the CI workflows that pass `secrets.*` as Docker build arguments and push."""
    found: list[SecretBuild] = []
    for path in ci_files(project):
        text = project.text(path) or ""
        matches = list(_SECRET_BUILD_ARG.finditer(text))
        if not matches or not _PUSH.search(text) or "docker" not in text.lower():
            continue
        names = frozenset(m.group(1) for m in matches)
        found.append(SecretBuild(path, _line_of(text, matches[0].start()), names, _folders(text)))
    return tuple(found)


def publishing_build(builds: tuple[SecretBuild, ...], dockerfile: str, names: tuple[str, ...]) -> SecretBuild | None:
    """Return the workflow that fills these names with real secrets for this Dockerfile, if any.

    When the workflow names folders (a `working-directory`, a `-f` file), the Dockerfile must
    be in one of them; otherwise a matching build-argument name is enough.
    """
    folder = str(PurePosixPath(dockerfile).parent)
    for build in builds:
        if not build.names.intersection(names):
            continue
        if not build.folders or folder in build.folders:
            return build
    return None
