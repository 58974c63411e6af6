"""Provides rule SEC021: Secret build argument baked into the image."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.image_secrets import BakedSecret, SecretBuild, baked_secrets, publishing_build, secret_builds
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.production._shared import is_dockerfile, parse_dockerfile


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
