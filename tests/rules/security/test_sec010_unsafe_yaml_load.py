"""Tests of rule SEC010 (`mlaudit/rules/security/sec010_unsafe_yaml_load.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlaudit.model import Severity
from tests.capabilities.util import assess
from tests.helpers import findings, write_tree
from tests.rules.security._helpers import SAFE, UNSAFE


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("SEC010", [11]),
    ],
)
def test_unsafe_calls_fire_and_safe_lookalikes_stay_silent(tmp_path: Path, code: str, expected: list[int]) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/unsafe.py": UNSAFE, "pkg/safe.py": SAFE})
    hits = findings(tmp_path, code)
    assert all(f.path == "pkg/unsafe.py" for f in hits)
    assert sorted(f.line or 0 for f in hits) == expected


def test_sec010_full_loader_is_a_warning_and_unsafe_loaders_stay_errors(tmp_path: Path) -> None:
    code = (
        "import yaml\n\ndef read(f):\n    a = yaml.load(f, Loader=yaml.FullLoader)\n"
        "    b = yaml.load(f)\n    c = yaml.load(f, Loader=yaml.UnsafeLoader)\n    return a, b, c\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/cfg.py": code})
    found = {f.line: f for f in findings(tmp_path, "SEC010")}
    assert {line: f.severity for line, f in found.items()} == {
        4: Severity.WARNING,
        5: Severity.ERROR,
        6: Severity.ERROR,
    }
    assert "TypeError on PyYAML 6+" in found[5].message
    assert "arbitrary Python objects" in found[6].message and "TypeError" not in found[6].message


def test_sec010_loader_bound_to_a_safe_loader_is_safe(tmp_path: Path) -> None:
    code = (
        "import yaml\n\n\nclass ConfigLoader(yaml.SafeLoader):\n    pass\n\n\n"
        "def read_tuned(f):\n    loader = yaml.SafeLoader\n    loader.add_implicit_resolver('x', None, None)\n"
        "    return yaml.load(f, loader)\n\n\n"
        "def read_custom(f):\n    return yaml.load(f, Loader=ConfigLoader)\n\n\n"
        "def read_any(f):\n    loader = yaml.UnsafeLoader\n    return yaml.load(f, loader)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/cfg.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC010")}
    assert hits == {20: Severity.ERROR}


def test_sec010_a_loader_class_defined_under_an_optional_import_is_judged_by_its_base(tmp_path: Path) -> None:
    """The ordered-dict loader recipe often sits under the optional import of PyYAML (`if yaml_available: import
    yaml; class OrderedLoader(yaml.SafeLoader)`): it is a safe loader. Look-alike: the same recipe built on
    `yaml.Loader` builds arbitrary objects and stays an error."""
    code = (
        "from collections import OrderedDict\n\nYAML = True\n\nif YAML:\n    import yaml\n\n"
        "    class OrderedLoader(yaml.SafeLoader):\n        pass\n\n"
        "    OrderedLoader.add_constructor('tag:yaml.org,2002:map', lambda l, n: OrderedDict(l.construct_pairs(n)))\n"
        "\n\ndef load_ordered(stream):\n    return yaml.load(stream, OrderedLoader)\n"
    )
    write_tree(tmp_path / "a", {"pkg/__init__.py": "", "pkg/cfg.py": code})
    assert findings(tmp_path / "a", "SEC010") == []
    unsafe = code.replace("(yaml.SafeLoader)", "(yaml.Loader)")
    write_tree(tmp_path / "b", {"pkg/__init__.py": "", "pkg/cfg.py": unsafe})
    assert [(f.line, f.severity) for f in findings(tmp_path / "b", "SEC010")] == [(15, Severity.ERROR)]


def test_sec010_loader_held_in_a_local_is_judged_by_what_it_holds(tmp_path: Path) -> None:
    code = (
        "import yaml\n\n\n"
        "def read_settings(path):\n    Loader = yaml.FullLoader\n    with open(path) as f:\n"
        "        return yaml.load(f, Loader=Loader)\n\n\n"
        "def read_objects(path):\n    Loader = yaml.Loader\n    with open(path) as f:\n"
        "        return yaml.load(f, Loader=Loader)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/cfg.py": code})
    found = {f.line: f for f in findings(tmp_path, "SEC010")}
    assert {line: f.severity for line, f in found.items()} == {7: Severity.WARNING, 13: Severity.ERROR}
    assert "Loader=yaml.FullLoader" in found[7].message and "Loader=yaml.Loader" in found[13].message


ROUND_TRIP = """\
import yaml


def show_round_trip(config):
    restored = yaml.load(repr(config), yaml.UnsafeLoader)
    text = yaml.dump(config)
    again = yaml.load(text, Loader=yaml.Loader)
    return restored, again


def load_experiment(path):
    with open(path) as f:
        text = f.read()
    return yaml.load(text, Loader=yaml.UnsafeLoader)
"""


def test_sec010_a_document_serialised_in_memory_is_info_but_one_read_from_a_file_is_an_error(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/configs.py": ROUND_TRIP})
    hits = sorted(findings(tmp_path, "SEC010"), key=lambda f: f.line or 0)
    assert [(f.line, f.severity) for f in hits] == [(5, Severity.INFO), (7, Severity.INFO), (14, Severity.ERROR)]


HELD_LOADERS = """\
import yaml


class Settings:
    def __init__(self, path):
        self.yaml_loader = self._build_loader()
        self.raw_loader = yaml.Loader
        with open(path) as f:
            self.values = yaml.load(f.read(), Loader=self.yaml_loader)
        with open(path) as f:
            self.objects = yaml.load(f.read(), Loader=self.raw_loader)

    def _build_loader(self):
        loader = yaml.SafeLoader
        loader.add_implicit_resolver("tag:yaml.org,2002:float", None, list("-+0123456789."))
        return loader


def make_loader():
    return yaml.FullLoader


def make_unsafe_loader():
    loader = yaml.UnsafeLoader
    return loader


def read(path):
    with open(path) as f:
        first = yaml.load(f, Loader=make_loader())
    with open(path) as f:
        return first, yaml.load(f, Loader=make_unsafe_loader())
"""


def test_sec010_a_loader_held_by_an_attribute_or_built_by_a_helper_is_judged_by_what_it_holds(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/settings.py": HELD_LOADERS})
    found = {f.line: f for f in findings(tmp_path, "SEC010")}
    # The safe loader built by a helper is silent; the full one is a warning; the unsafe ones stay errors.
    assert {line: f.severity for line, f in found.items()} == {
        11: Severity.ERROR,
        30: Severity.WARNING,
        32: Severity.ERROR,
    }
    assert "Loader=yaml.Loader" in found[11].message and "Loader=yaml.UnsafeLoader" in found[32].message


LOADER_FACTORIES = """\
import yaml

_Base = yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else yaml.FullLoader


def _include(root):
    def construct(loader, node):
        with open(root / loader.construct_scalar(node)) as f:
            return yaml.safe_load(f)

    return construct


def make_safe_loader(root):
    class Loader(yaml.SafeLoader):
        pass

    yaml.add_constructor("!include", _include(root), Loader=Loader)
    return Loader


def make_fast_loader(root):
    class Loader(_Base):
        pass

    yaml.add_constructor("!include", _include(root), Loader=Loader)
    return Loader


def make_object_loader(root):
    class Loader(yaml.Loader):
        pass

    yaml.add_constructor("!include", _include(root), Loader=Loader)
    return Loader


def read_safe(path):
    loader_cls = make_safe_loader(path.parent)
    with open(path) as f:
        return yaml.load(f, Loader=loader_cls)


def read_fast(path):
    loader_cls = make_fast_loader(path.parent)
    with open(path) as f:
        return yaml.load(f, Loader=loader_cls)


def read_objects(path):
    loader_cls = make_object_loader(path.parent)
    with open(path) as f:
        return yaml.load(f, Loader=loader_cls)
"""


def test_sec010_a_loader_built_by_a_factory_is_judged_by_the_class_it_returns(tmp_path: Path) -> None:
    """A factory adding an `!include` tag returns a loader class: one on SafeLoader is safe, one on a base chosen
    between CSafeLoader and FullLoader may be the full loader (a warning). Look-alike: one on yaml.Loader builds
    arbitrary objects (an error)."""
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/cfg.py": LOADER_FACTORIES})
    found = {f.line: f for f in findings(tmp_path, "SEC010")}
    assert {line: f.severity for line, f in found.items()} == {47: Severity.WARNING, 53: Severity.ERROR}
    assert "Loader=yaml.FullLoader" in found[47].message


def test_sec010_an_unsafe_load_the_caller_must_opt_into_is_left_to_that_caller(tmp_path: Path) -> None:
    config = (
        "import yaml\n\n\n"
        "def load_config(path, allow_unsafe=False):\n"
        "    with open(path) as f:\n"
        "        try:\n            return yaml.safe_load(f)\n"
        "        except yaml.constructor.ConstructorError:\n"
        "            if not allow_unsafe:\n                raise\n"
        "            f.seek(0)\n            return yaml.unsafe_load(f)\n\n\n"
        "def load_any(path, allow_unsafe=True):\n"
        "    if not allow_unsafe:\n        raise ValueError(path)\n"
        "    with open(path) as f:\n        return yaml.unsafe_load(f)\n\n\n"
        "def load_loose(path, strict=False):\n"
        "    if not strict:\n        with open(path) as f:\n            return yaml.unsafe_load(f)\n"
        "    return None\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/config.py": config})
    # the first waits for allow_unsafe=True from its caller; the second is on unless the caller turns it off,
    # the third whenever a flag named for something else is off
    assert [(f.line, f.severity) for f in findings(tmp_path, "SEC010")] == [(19, Severity.ERROR), (25, Severity.ERROR)]


STRICT_LOADERS = """\
import yaml


class StrictKeysLoader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        keys = [self.construct_object(k, deep=deep) for k, _ in node.value]
        if len(keys) != len(set(keys)):
            raise ValueError("duplicate key")
        return super().construct_mapping(node, deep)


class ObjectLoader(yaml.UnsafeLoader):
    pass
"""


def test_sec010_loader_class_of_another_project_module_is_judged_by_its_base(tmp_path: Path) -> None:
    reader = (
        "import yaml\n\nfrom pkg.loaders import ObjectLoader\nfrom .loaders import StrictKeysLoader\n\n\n"
        "def read_config(f):\n    return yaml.load(f, StrictKeysLoader)\n\n\n"
        "def read_objects(f):\n    return yaml.load(f, Loader=ObjectLoader)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/loaders.py": STRICT_LOADERS, "pkg/config.py": reader})
    assert [(f.path, f.line, f.severity) for f in findings(tmp_path, "SEC010")] == [
        ("pkg/config.py", 12, Severity.ERROR)
    ]


def test_sec010_a_command_line_argument_loaded_with_the_full_loader_is_a_warning(tmp_path: Path) -> None:
    """`yaml.load(values, Loader=yaml.Loader)` of the string an `argparse.Action` is handed (`--conf a.b=3`), or of
    an option of `parse_args()`, builds objects only whoever types the command chose: a warning. Look-alike: the
    same load of a file whose path the caller passes stays an error."""
    code = (
        "import argparse\n\nimport yaml\n\n\n"
        "class NestedDictAction(argparse.Action):\n"
        "    def __call__(self, parser, namespace, values, option_string=None):\n"
        "        setattr(namespace, self.dest, yaml.load(values, Loader=yaml.Loader))\n\n\n"
        "def main():\n"
        "    parser = argparse.ArgumentParser()\n"
        "    parser.add_argument('--override', default='{}')\n"
        "    args = parser.parse_args()\n"
        "    return yaml.load(args.override, Loader=yaml.Loader)\n\n\n"
        "def read_config(path):\n"
        "    with open(path) as f:\n"
        "        return yaml.load(f, Loader=yaml.Loader)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/options.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC010")}
    assert hits == {8: Severity.WARNING, 15: Severity.WARNING, 20: Severity.ERROR}


LOADER_FACTORY_MODULE = """\
import yaml

try:
    from yaml import CSafeLoader

    _Base = CSafeLoader
except ImportError:
    _Base = {fallback}


def get_config_loader(max_nodes=None):
    class ConfigLoader(_Base):
        def construct_document(self, node):
            if max_nodes is not None and len(node.value) > max_nodes:
                raise yaml.constructor.ConstructorError(None, None, "too many nodes", node.start_mark)
            return super().construct_document(node)

    loader = ConfigLoader
    loader.add_constructor("!env", lambda ld, node: ld.construct_scalar(node))
    return loader
"""

FACTORY_USER = """\
import yaml

from ._yaml import get_config_loader


def load(path):
    with open(path) as f:
        return yaml.load(f, Loader=get_config_loader(max_nodes=1000))
"""


def test_sec010_a_loader_a_factory_of_another_module_builds_on_a_safe_base_is_safe(tmp_path: Path) -> None:
    """The factory's class extends a base bound under a top-level try to CSafeLoader or SafeLoader: safe, and the
    capability counts the load as safe too."""
    factory = LOADER_FACTORY_MODULE.format(fallback="yaml.SafeLoader")
    write_tree(tmp_path, {"conf/__init__.py": "", "conf/_yaml.py": factory, "conf/omega.py": FACTORY_USER})
    assert findings(tmp_path, "SEC010") == []
    evidence = assess(tmp_path, "security", "safe_loading")
    assert evidence.share == 1.0


def test_sec010_a_factory_of_another_module_whose_base_may_be_unsafe_is_an_error(tmp_path: Path) -> None:
    factory = LOADER_FACTORY_MODULE.format(fallback="yaml.UnsafeLoader")
    write_tree(tmp_path, {"conf/__init__.py": "", "conf/_yaml.py": factory, "conf/omega.py": FACTORY_USER})
    assert [(f.path, f.line, f.severity) for f in findings(tmp_path, "SEC010")] == [
        ("conf/omega.py", 8, Severity.ERROR)
    ]
