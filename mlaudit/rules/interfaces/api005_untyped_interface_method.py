"""Provides rule API005: Interface method without type hints."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.interfaces._shared import classes_of, protocols


@register
class UntypedInterfaceMethod(Rule):
    """Notes public methods of a Protocol or ABC that are not fully annotated.

    ## What it does
    Checks every public method of the repo's `Protocol` and `ABC` classes for parameter and
    return annotations.

    ## Why is this bad?
    An interface is a contract; without types the checker cannot verify implementations or callers,
    and readers must guess what `retrieve(query, k)` returns.

    ## Example
    ```python
    class Retriever(ABC):
        @abstractmethod
        def retrieve(self, query, k): ...
    ```

    ## Use instead
    ```python
    class Retriever(ABC):
        @abstractmethod
        def retrieve(self, query: str, k: int) -> list[Document]: ...
    ```
    """

    code = "API005"
    title = "Interface method without type hints"
    practice = "interfaces"
    severity = Severity.INFO
    fix = "Annotate every parameter and the return type of the interface's public methods."

    def check(self, project: Project) -> Iterator[Output]:
        for info in sorted(protocols(classes_of(project)), key=lambda c: (c.path, c.line)):
            for method, line in info.untyped:
                yield Hit(info.path, line, f"{info.name}.{method}() in interface {info.name} is not fully typed")
