"""Provides rule SRV020: Unpinned base image."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.production._shared import _dockerfiles


def unpinned_image(args: str, stages: set[str]) -> str | None:
    """Return the image of a FROM line when it is unpinned (`:latest` or no tag), else None."""
    tokens = [t for t in args.split() if not t.startswith("--")]
    image = tokens[0] if tokens else ""
    if not image or _not_pullable(image, stages):
        return None
    last = image.rsplit("/", 1)[-1]
    tag = last.split(":", 1)[1] if ":" in last else None
    return image if tag in {None, "latest"} else None


def _not_pullable(image: str, stages: set[str]) -> bool:
    """Return True for build stages, scratch, variables and digests (nothing to pin)."""
    return image.lower() in stages or image == "scratch" or "$" in image or "@sha256:" in image


@register
class UnpinnedBaseImage(Rule):
    """Flags Dockerfile base images without a version tag or with `:latest`.

    ## What it does
    Reads each `FROM` line; a digest or a version tag counts as pinned, build-stage names
    and `scratch` are ignored.

    ## Why is this bad?
    `python:latest` moves: the same Dockerfile builds a different Python (and CUDA, glibc)
    next month, breaking wheels and changing numerics without any code change.

    ## Example
    ```dockerfile
    FROM python:latest
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.11.9-slim
    ```
    """

    code = "SRV020"
    title = "Unpinned base image"
    practice = "production"
    severity = Severity.WARNING
    fix = "Pin the base image to a full version tag (python:3.11.9-slim) or a digest."

    def check(self, project: Project) -> Iterator[Output]:
        for path, instructions in _dockerfiles(project):
            stages: set[str] = set()
            for ins in instructions:
                if ins.keyword != "FROM":
                    continue
                image = unpinned_image(ins.args, stages)
                if image is not None:
                    yield Hit(path, ins.line, f"base image {image} is not pinned to a version", fix=_pin_fix(image))
                parts = ins.args.split()
                if len(parts) >= 3 and parts[-2].upper() == "AS":
                    stages.add(parts[-1].lower())


def _pin_fix(image: str) -> str:
    """Return the fix naming the image itself: `FROM amazon/aws-lambda-python` is pinned as `amazon/aws-lambda-python:<tag>`."""
    name = image.split("@", 1)[0]
    slash = name.rfind("/")
    if ":" in name[slash + 1 :]:
        name = name[: name.rfind(":")]
    example = (
        "python:3.11.9-slim"
        if name in {"python", "library/python", "docker.io/library/python"}
        else f"{name}:<version>"
    )
    return (
        f"Pin it to a full version tag ({example}, the exact release you tested) "
        "or a digest (@sha256:...), so every build starts from the same image."
    )
