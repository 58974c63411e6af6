"""Provides rule FUN008: Function mixes loading, preprocessing, training and evaluation."""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from mlaudit.facts.assertions import CHECK_PREFIXES
from mlaudit.model import Severity
from mlaudit.name_tests import MAX_REMEMBERED
from mlaudit.paths import pure_path
from mlaudit.project import FunctionNode, Project, PythonFile
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.functions._shared import CODE_KINDS, call_label
from mlaudit.tools.complexity import function_code_lines

MODEL_STATE_WORDS = ("checkpoint", "state_dict", "weights", "ckpt", "pretrained")


STAGE_WORDS = {"load": "loads", "preprocess": "preprocesses", "train": "trains", "evaluate": "evaluates"}


PREPROCESS_NAMES = frozenset(
    {"fillna", "dropna", "drop_duplicates", "get_dummies", "fit_transform", "transform", "normalize", "tokenize"}
)


TRAIN_NAMES = frozenset({"fit", "partial_fit", "backward", "train_on_batch", "fit_generator", "zero_grad"})


EVALUATE_NAMES = frozenset(
    {"evaluate", "score", "predict", "predict_proba", "classification_report", "confusion_matrix"}
)


STAGES_FACT = "functions.stage_calls"  # a per-file fact (mlaudit.filefacts)


@dataclass(frozen=True)
class StageCall:
    """A call of an ML stage inside a function, in source order, with what decides whether it is the project's own.

    It is own code when `top` is None and `own` is True, or when `top` (the top package of the
    imported name the call goes through) is one of the project's top-level names.
    """

    function: str
    line: int  # the function's `def` line
    code_lines: int  # the function's code lines
    stage: str
    label: str
    own: bool
    top: str | None
    check: bool = False  # the function is a check that asserts on results (`_asserting_checks`)

    def is_own(self, local: frozenset[str]) -> bool:
        """Return True for a call into the project's own functions (orchestration, not work)."""
        return self.own if self.top is None else self.top in local


def _local_tops(project: Project) -> frozenset[str]:
    tops: set[str] = set()
    for path in project.python:
        parts = pure_path(path).parts
        if parts[0] == "src" and len(parts) > 1:
            parts = parts[1:]
        tops.add(pure_path(parts[0]).stem)
    return frozenset(tops)


def _root_name(expr: ast.expr) -> str | None:
    while isinstance(expr, ast.Attribute | ast.Call | ast.Subscript):
        expr = expr.func if isinstance(expr, ast.Call) else expr.value
    return expr.id if isinstance(expr, ast.Name) else None


def _ownership(pf: PythonFile, call: ast.Call) -> tuple[bool, str | None]:
    """Return (own, top): how to tell whether a call goes into the project's own functions (`StageCall.is_own`)."""
    root = _root_name(call.func)
    if root is None:
        return False, None
    if root in {"self", "cls"}:
        return True, None
    imported = pf.imports.get(root)
    if imported is None:
        return isinstance(call.func, ast.Name) and root != "open", None
    return False, imported.split(".")[0]


def _receiver_name(call: ast.Call) -> str | None:
    """Return the lower-cased root name a method is called on (`optimizer` in `optimizer.step()`)."""
    if not isinstance(call.func, ast.Attribute):
        return None
    return (_root_name(call.func.value) or "").lower()


def _is_load(label: str) -> bool:
    return label == "open" or label.startswith(("read_", "load"))


def _is_preprocess(label: str) -> bool:
    return label in PREPROCESS_NAMES or label.startswith(("preprocess", "clean", "impute"))


def _is_train(label: str, receiver: str | None) -> bool:
    if label in TRAIN_NAMES:
        return True
    return receiver is not None and (label == "train" or (label == "step" and "optim" in receiver))


def _is_evaluate(label: str) -> bool:
    return label in EVALUATE_NAMES or label.endswith(("_score", "_error")) or label.startswith("eval")


def _mode_toggle(label: str, call: ast.Call) -> bool:
    """Return True for `model.train()` / `model.eval()`: switching a module's mode is not a stage."""
    return label in {"train", "eval"} and not call.args and not call.keywords


def _model_state(label: str) -> bool:
    """Return True for checkpoint and weight handling (`load_checkpoint`, `clean_checkpoint`): not data stages."""
    return any(word in label.lower() for word in MODEL_STATE_WORDS)


# The only labels whose stage depends on the call (its arguments or receiver): `model.train()`, `model.eval()`,
# `optimizer.step()`. Any other label has one stage, remembered per label.
_CALL_DEPENDENT = frozenset({"train", "eval", "step"})
_LABEL_STAGES: dict[str, str | None] = {}


def stage_of(label: str, call: ast.Call) -> str | None:
    """Return which ML stage (load, preprocess, train, evaluate) a call's name belongs to."""
    if label in _CALL_DEPENDENT:
        return _stage_of(label, call)
    if label not in _LABEL_STAGES:
        if len(_LABEL_STAGES) >= MAX_REMEMBERED:
            _LABEL_STAGES.clear()
        _LABEL_STAGES[label] = _stage_of(label, call)
    return _LABEL_STAGES[label]


def _stage_of(label: str, call: ast.Call) -> str | None:
    if _mode_toggle(label, call) or _model_state(label):
        return None
    if _is_load(label):
        return "load"
    if _is_preprocess(label):
        return "preprocess"
    if _is_train(label, _receiver_name(call)):
        return "train"
    return "evaluate" if _is_evaluate(label) else None


def stage_calls(pf: PythonFile) -> tuple[StageCall, ...]:
    """Return the calls of an ML stage made in a function's own body, in source order."""
    found: list[StageCall] = []
    lengths: dict[FunctionNode, int] = {}
    checks: frozenset[int] | None = None
    for call in pf.nodes(ast.Call):
        label = call_label(call)
        stage = stage_of(label, call) if label else None
        if stage is None or label is None:
            continue
        owner = pf.enclosing_function(call)
        if owner is not None:
            if owner not in lengths:
                lengths[owner] = function_code_lines(pf, owner)
            checks = _asserting_checks(pf) if checks is None else checks
            own, top = _ownership(pf, call)
            check = owner.lineno in checks
            found.append(StageCall(owner.name, owner.lineno, lengths[owner], stage, label, own, top, check))
    return tuple(found)


# Calls that only produce predictions: they evaluate only beside a call that scores them.
PREDICTIONS = frozenset({"predict", "predict_proba"})


def function_stages(pf: PythonFile, local: frozenset[str]) -> dict[tuple[str, int, int], dict[str, str]]:
    """Map each function (name, line, code lines) to the stages its own body touches, with the first call of each.

    Predicting is evaluation only when the body also scores (`accuracy_score`, `model.score`, `evaluate`): a
    function that fits and returns predictions (a forecaster's `direct_forecast`) does one job, inference."""
    stages: dict[tuple[str, int, int], dict[str, str]] = defaultdict(dict)
    scored: set[tuple[str, int, int]] = set()
    for call in pf.file_fact(STAGES_FACT, stage_calls):
        if call.is_own(local) or call.check:
            continue
        key = (call.function, call.line, call.code_lines)
        if call.stage == "evaluate" and call.label not in PREDICTIONS:
            scored.add(key)
            stages[key]["evaluate"] = stages[key].get("evaluate", call.label)
        else:
            stages[key].setdefault(call.stage, call.label)
    for key, found in stages.items():
        if key not in scored:
            found.pop("evaluate", None)
    return stages


def _asserting_checks(pf: PythonFile) -> frozenset[int]:
    """Return the `def` lines of the file's checks: functions named `check_*`/`test_*` that assert on results
    (`assert`, `assert_array_equal(...)`), such as the estimator checks a library ships for its users' test
    suites; a test fits, predicts and compares in one body by design."""
    found: set[int] = set()
    for node in pf.nodes(ast.Assert, ast.Call):
        if isinstance(node, ast.Call) and not (call_label(node) or "").startswith("assert"):
            continue
        func = pf.enclosing_function(node)
        if func is not None and func.name.startswith(CHECK_PREFIXES):
            found.add(func.lineno)
    return frozenset(found)


@register
class MixedResponsibilities(Rule):
    """Flags one function that loads data, preprocesses, trains and evaluates by itself.

    ## What it does
    Classifies the calls in each function body into four stages (loading: `read_csv`,
    `load`, `open`; preprocessing: `fillna`, `transform`, `get_dummies`; training: `fit`,
    `backward`, `optimizer.step`; evaluating: `score`, `*_score` metrics, and `predict` beside them) and reports
    functions of 15+ code lines touching three or more. Predictions nothing in the body scores are inference, not
    evaluation: a function that fits a scaler and a model and returns the forecast does one job. Calls into the
    project's own functions
    (an orchestrating `main()` calling `load_data()`, `train()`...) do not count, nor do mode
    switches (`model.train()`, `model.eval()`) or checkpoint handling (`load_checkpoint`). A check
    that asserts on the results (`check_classifier_labels()` of a library's estimator checks, which
    loads a toy dataset, fits, predicts and asserts) is a test and does all of it by design.

    ## Why is this bad?
    None of the steps can be tested, reused or swapped alone: changing the metric means
    re-running the loading code, and a notebook cannot import just the preprocessing.

    ## Example
    ```python
    def run(path):
        df = pd.read_csv(path).fillna(0)
        model = LogisticRegression().fit(df[X], df.y)
        print(accuracy_score(df.y, model.predict(df[X])))
    ```

    ## Use instead
    ```python
    def run(path: Path) -> float:
        frame = clean(load(path))
        model = fit(frame)
        return score(model, frame)
    ```
    """

    code = "FUN008"
    title = "Function mixes loading, preprocessing, training and evaluation"
    practice = "functions"
    severity = Severity.WARNING
    fix = "Split it into load_*, preprocess_*, train_* and evaluate_* functions and call them in sequence."
    weight = 6
    cap = 20

    def check(self, project: Project) -> Iterator[Output]:
        local = _local_tops(project)
        for pf in project.python_of(*CODE_KINDS):
            for (name, line, code_lines), stages in function_stages(pf, local).items():
                if len(stages) >= 3 and code_lines >= 15:
                    did = ", ".join(f"{STAGE_WORDS[s]} ({c})" for s, c in stages.items())
                    yield Hit(pf.path, line, f"{name}() {did} in one body")
