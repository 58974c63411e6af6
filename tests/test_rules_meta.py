"""Meta tests over the registry: every rule is documented, tested, and uniquely coded."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from mlaudit.practices import PRACTICE_KEYS
from mlaudit.registry import DOC_SECTIONS, load_rules, parse_doc_sections

RULES = load_rules()
TESTS = Path(__file__).resolve().parent
TEST_TEXT = "\n".join(p.read_text(encoding="utf-8") for p in TESTS.rglob("test_*.py"))
PREFIX = {
    "layout": "LAY",
    "dependencies": "DEP",
    "typing": "TYP",
    "functions": "FUN",
    "logging": "LOG",
    "testing": "TST",
    "performance": "PRF",
    "reproducibility": "REP",
    "interfaces": "API",
    "production": "SRV",
    "security": "SEC",
}


def test_every_practice_has_rules() -> None:
    assert {rule.practice for rule in RULES.values()} == set(PRACTICE_KEYS)


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_is_documented(code: str) -> None:
    rule = RULES[code]
    sections = parse_doc_sections(inspect.getdoc(rule) or "")
    missing = [s for s in DOC_SECTIONS if not sections.get(s, "").strip()]
    assert missing == [], f"{code} docstring lacks {missing}"
    assert rule.fix.strip() and rule.title.strip()
    assert code.startswith(PREFIX[rule.practice])


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_code_is_exercised_by_tests(code: str) -> None:
    assert re.search(rf"\b{code}\b", TEST_TEXT), f"no test mentions {code}"


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_has_its_own_module_and_mirrored_tests(code: str) -> None:
    rule = RULES[code]
    package, _, stem = rule.__module__.rpartition(".")
    assert package == f"mlaudit.rules.{rule.practice}", f"{code} lives in {rule.__module__}"
    assert code.lower() in stem.split("_"), f"{code}'s module {stem} is not named after it"
    test_module = TESTS / "rules" / rule.practice / f"test_{stem}.py"
    assert test_module.is_file(), f"{code} has no mirrored test module {test_module.relative_to(TESTS)}"
    text = test_module.read_text(encoding="utf-8")
    assert re.search(rf"\b{code}\b|{code.lower()}", text), f"{test_module.name} never names {code}"
