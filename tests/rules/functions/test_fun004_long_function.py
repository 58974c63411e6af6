"""Tests of rule FUN004 (`mlaudit/rules/functions/fun004_long_function.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree


def lines_function(name: str, count: int) -> str:
    body = "".join(f"    v{i} = x + {i}\n" for i in range(count))
    return f'def {name}(x):\n    """Doc."""\n{body}    return x\n'


def branchy_function(name: str, count: int) -> str:
    body = "".join(f"    if x > {i}:\n        x = x - {i}\n" for i in range(count // 2))
    return f'def {name}(x):\n    """Doc."""\n{body}    return x\n'


def test_fun004_length_warns_then_errors(tmp_path: Path) -> None:
    code = lines_function("short", 50) + lines_function("long", 70) + lines_function("huge", 250)
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/m.py": code})
    hits = {h.message.split("(")[0]: h.severity for h in findings(tmp_path, "FUN004")}
    assert hits == {"long": Severity.WARNING, "huge": Severity.ERROR}


def test_fun004_long_straight_line_body_is_a_warning_long_branchy_body_an_error(tmp_path: Path) -> None:
    layers = "".join(f"        self.block{i} = nn.Linear({i + 1}, {i + 2})\n" for i in range(130))
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/net.py": "from torch import nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n"
            "        super().__init__()\n" + layers,
            "pkg/steps.py": branchy_function("schedule", 130),
        },
    )
    by_path = {f.path: f for f in findings(tmp_path, "FUN004")}
    assert by_path["pkg/net.py"].severity is Severity.WARNING
    assert "cyclomatic complexity 1" in by_path["pkg/net.py"].message
    assert by_path["pkg/steps.py"].severity is Severity.ERROR
    assert "cyclomatic complexity 66" in by_path["pkg/steps.py"].message


def test_fun004_table_of_records_is_data_but_a_list_of_computed_calls_is_not(tmp_path: Path) -> None:
    records = "".join(
        f'        Entry(\n            name="opt{i}",\n            cls=Optim{i % 3},\n            defaults={{"lr": -0.{i}}},\n        ),\n'
        for i in range(30)
    )
    computed = "".join(f"        score(model, batches[{i}], weights[{i}] * 2),\n" for i in range(130))
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/registry.py": f"def register_all(registry):\n    entries = [\n{records}    ]\n    registry.extend(entries)\n",
            "pkg/evaluate.py": f"def score_all(model, batches, weights):\n    return [\n{computed}    ]\n",
        },
    )
    by_path = {f.path: f for f in findings(tmp_path, "FUN004")}
    assert "(152 of them data literals" in by_path["pkg/registry.py"].message
    assert "data literals" not in by_path["pkg/evaluate.py"].message


def test_fun004_data_literals_and_parser_declarations_are_not_an_error(tmp_path: Path) -> None:
    table = "".join(f'            "word{i}": {i},\n' for i in range(130))
    options = "".join(f'    parser.add_argument("--opt{i}", type=int, default={i})\n' for i in range(130))
    write_tree(
        tmp_path,
        {
            "pkg/words.py": (
                "class Numbers:\n    def __init__(self):\n        self.table = {\n" + table + "        }\n"
            ),
            "pkg/cli.py": "import argparse\n\n\ndef get_parser():\n    parser = argparse.ArgumentParser()\n"
            + options
            + "    return parser\n",
            "pkg/calc.py": branchy_function("crunch", 130),
        },
    )
    by_path = {f.path: f for f in findings(tmp_path, "FUN004")}
    assert by_path["pkg/words.py"].severity is Severity.WARNING
    assert "data literals" in by_path["pkg/words.py"].message
    assert by_path["pkg/cli.py"].severity is Severity.WARNING
    assert by_path["pkg/calc.py"].severity is Severity.ERROR


def test_fun004_a_long_text_template_is_data_but_a_long_docstring_does_not_hide_logic(tmp_path: Path) -> None:
    rules = "".join(
        f"    QWidget#panel{i} {{{{\n        color: {{colors['text{i % 4}']}};\n    }}}}\n" for i in range(90)
    )
    steps = "".join(f"    total = total + weights[{i}] * 3\n" for i in range(250))
    notes = "".join(f"    Step {i} adds one weighted term.\n" for i in range(60))
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/theme.py": f'def stylesheet(colors):\n    return f"""\n{rules}    """\n',
            "pkg/sums.py": f'def weighted(weights):\n    """Sum the weights.\n\n{notes}    """\n    total = 0\n{steps}    return total\n',
        },
    )
    by_path = {f.path: f for f in findings(tmp_path, "FUN004")}
    assert by_path["pkg/theme.py"].severity is Severity.WARNING
    assert "data literals" in by_path["pkg/theme.py"].message
    assert by_path["pkg/sums.py"].severity is Severity.ERROR
    assert "data literals" not in by_path["pkg/sums.py"].message


def test_fun004_a_nested_function_is_measured_on_its_own_not_again_in_its_host(tmp_path: Path) -> None:
    wrapper_body = "".join(f"            v{i} = args[0] + {i}\n" for i in range(70))
    factory = (
        'import functools\n\n\ndef retried(times=3):\n    """Retry a call."""\n\n'
        "    def decorate(fn):\n        @functools.wraps(fn)\n        def wrapper(*args):\n"
        + wrapper_body
        + "            return fn(*args)\n\n        return wrapper\n\n    return decorate\n"
    )
    host_body = "".join(f"    w{i} = x * {i}\n" for i in range(64))
    host = "def fit(x):\n    def step(v):\n        return v + 1\n\n" + host_body + "    return step(x)\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/retry.py": factory, "pkg/fit.py": host})
    # retried() and decorate() are a few lines around wrapper(); fit() keeps its own 66 lines, not step()'s body
    assert sorted(h.message.split(",")[0] for h in findings(tmp_path, "FUN004")) == [
        "fit() is 66 code lines long",
        "wrapper() is 71 code lines long",
    ]


def test_fun004_a_nested_functions_decorators_and_signature_are_its_own_not_its_hosts(tmp_path: Path) -> None:
    """A method registering route handlers is as long as its own statements: each handler's route decorator
    (with its API docs) and its parameter declarations belong to the handler; a host doing the work itself is
    still long."""
    route = (
        "        @self.router.get(\n            '/items/{n}',\n            summary='Item',\n"
        + "".join(f"            example_{i}='see docs',\n" for i in range(12))
        + "        )\n        async def item_{n}(\n"
        + "".join(f"            q{i}: int = Query({i}, ge=0),\n" for i in range(6))
        + "        ) -> dict:\n            return {{'n': {n}}}\n\n"
    )
    routes = "".join(route.replace("{n}", str(n)).replace("{{", "{").replace("}}", "}") for n in range(4))
    router = "from fastapi import Query\n\n\nclass Items:\n    def setup_routes(self):\n" + routes
    doing = "def setup(x):\n    def step(v):\n        return v + 1\n\n" + "".join(
        f"    w{i} = step(x) * {i}\n" for i in range(64)
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/routes.py": router, "pkg/work.py": doing + "    return x\n"})
    assert [h.message.split(",")[0] for h in findings(tmp_path, "FUN004")] == ["setup() is 66 code lines long"]
