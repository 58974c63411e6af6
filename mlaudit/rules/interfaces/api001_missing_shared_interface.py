"""Provides rule API001: Swappable components without a shared interface."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.interfaces._shared import classes_of, component_groups, without_interface


@register
class MissingSharedInterface(Rule):
    """Flags interchangeable components with no shared Protocol or ABC.

    ## What it does
    Groups the repo's own classes by role (`...Retriever`, `...Model`, `...Classifier`, ...)
    or by shared ML methods (`fit`/`predict`...; a method that hands the work to the same-named method of
    another object, as a tracker's `update` updates each of its tracks and a track's its Kalman filter, makes
    the class a layer over that object, not an alternative to it; a class that builds two or more of its role's
    classes and runs each in turn, as BERT's `FullTokenizer` runs a `BasicTokenizer`, then a `WordpieceTokenizer`
    (from a method named like theirs, or from any method where the second works on what the first returned), is a
    pipeline, and neither it nor its stages are alternatives; two parts handed the same input side by side are an
    ensemble of alternatives, not stages; a role-named class with public methods none of
    which another of that role has, an ASR `WhisperModel.transcribe` beside a `VadModel.__call__`, does another
    job under the same suffix; classes grouped by an ML verb alone, with no role name in common, must share a
    second public method: a regression helper's `predict` beside a forecaster's is no evidence of one component).
    Two or more implementations without a common base
    class defined in the repo, or a `Protocol` whose methods they all implement, are a finding.
    Subclasses of external bases (`nn.Module`, `BaseEstimator`, torch `Dataset`) are left alone;
    an in-repo base class whose methods raise `NotImplementedError` is an interface, so is a class
    several repo classes derive from (the base of its own family), a member deriving from another
    member keeps that member's interface (`ParallelModel(MLModel)`), and copies
    of one class (same name and methods, e.g. in course snapshots, or one copy's methods within the other's: a
    variant module's `Trainer` copied before a method was added) count once. Classes that share only
    scikit-learn's estimator methods, `fit` among them (`fit`/`predict`/`transform`/`score`...), follow
    sklearn's documented estimator API, the contract `Pipeline` and `GridSearchCV` rely on, and are left alone.

    ## Why is this bad?
    Without a written-down interface, callers grow `isinstance` checks and `if model_type == ...`
    branches, a new implementation silently misses a method, and nothing can be type-checked.

    ## Example
    ```python
    class BM25Retriever:
        def retrieve(self, query, k): ...

    class DenseRetriever:
        def retrieve(self, query, k): ...
    ```

    ## Use instead
    ```python
    class Retriever(Protocol):
        def retrieve(self, query: str, k: int) -> list[Document]: ...
    ```
    """

    code = "API001"
    title = "Swappable components without a shared interface"
    practice = "interfaces"
    severity = Severity.WARNING
    scoring = "flat"  # a missing interface is a design gap, not a habit that grows with the code
    fix = "Define a typing.Protocol (or abc.ABC) with the shared typed methods and have every implementation follow it."

    def check(self, project: Project) -> Iterator[Output]:
        classes = classes_of(project)
        for role, members in sorted(component_groups(classes).items()):
            group = without_interface(members, classes)
            if not group:
                continue
            group.sort(key=lambda c: (c.path, c.line))
            names = ", ".join(f"{c.name} ({c.path})" for c in group[:4])
            shared = sorted(set.intersection(*(set(c.methods) for c in group)))
            methods = f"; shared methods: {', '.join(shared[:5])}" if shared else ""
            protocol = role if "/" not in role else "Component"
            what = f"{role} implementations" if "/" not in role else f"classes implementing {role}"
            yield Hit(
                group[0].path,
                group[0].line,
                f"{len(group)} {what} with no shared Protocol/ABC: {names}{methods}",
                fix=f"Add class {protocol}(Protocol) declaring {', '.join(shared[:3]) or 'the shared methods'}"
                " with type hints, and type callers against it.",
            )
