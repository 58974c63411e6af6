"""Tests of rule TST003 (`mlaudit/rules/testing/tst003_untested_module.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree
from tests.rules.testing._helpers import LIB


def test_tst003_names_untested_modules_by_importance(tmp_path: Path) -> None:
    write_tree(
        tmp_path, {**LIB, "tests/test_data.py": "from pkg.data import load\n\n\ndef test_l():\n    assert load(1)\n"}
    )
    hits = {h.path: h for h in findings(tmp_path, "TST003")}
    assert set(hits) == {"pkg/features.py", "pkg/report.py"}
    assert (
        hits["pkg/features.py"].severity is Severity.WARNING
        and "pkg.features (features)" in hits["pkg/features.py"].message
    )
    assert hits["pkg/report.py"].severity is Severity.INFO


def test_tst003_a_transformer_model_is_no_preprocessing_but_a_transforms_module_is(tmp_path: Path) -> None:
    model = _module("import torch\n\n\nclass Encoder(torch.nn.Module):\n    pass\n")
    tree = {**LIB, "pkg/models/__init__.py": "", "pkg/models/transformer.py": model, "pkg/transforms.py": model}
    tree["tests/test_data.py"] = "from pkg.data import load\n\n\ndef test_l():\n    assert load(1)\n"
    write_tree(tmp_path, tree)
    hits = {h.path: h for h in findings(tmp_path, "TST003")}
    assert hits["pkg/models/transformer.py"].severity is Severity.INFO
    assert (
        hits["pkg/transforms.py"].severity is Severity.WARNING
        and "(preprocessing)" in hits["pkg/transforms.py"].message
    )


def test_tst003_counts_package_attribute_reexport_and_patch(tmp_path: Path) -> None:
    tests = (
        "import pkg\nfrom unittest import mock\nfrom pkg import load\n\n\n"
        "def test_all():\n"
        "    assert pkg.features.build(1) == 1\n"
        "    with mock.patch('pkg.report.render') as r:\n"
        "        r.assert_not_called()\n"
        "    assert load(2) == 2\n"
    )
    write_tree(tmp_path, {**LIB, "pkg/data.py": LIB["pkg/data.py"], "tests/test_pkg.py": tests})
    assert findings(tmp_path, "TST003") == []


def _module(body: str) -> str:
    padding = "".join(f"    v{i} = {i}\n" for i in range(10))
    return body + "\n\ndef _pad():\n" + padding + "    return v0\n"


def test_tst003_end_to_end_call_reaches_the_modules_it_uses(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "speech/__init__.py": "from .model import load_model\n",
            "speech/model.py": _module(
                "from .decoding import decode as decode_function\n\n\n"
                "class Model:\n    decode = decode_function\n\n\n"
                "def load_model(name):\n    return Model()\n"
            ),
            "speech/decoding.py": _module(
                "from .features import frames\n\n\ndef decode(model, x):\n    return frames(x)\n"
            ),
            "speech/features.py": _module("def frames(x):\n    return [x]\n"),
            "speech/metrics.py": _module("def wer(a, b):\n    return 0.0\n"),
            "tests/test_e2e.py": "import speech\n\n\ndef test_decode():\n    assert speech.load_model('t').decode(1)\n",
        },
    )
    assert [h.path for h in findings(tmp_path, "TST003")] == ["speech/metrics.py"]


def test_tst003_registry_call_reaches_every_registered_module(tmp_path: Path) -> None:
    registry = (
        "_ENTRIES = {}\n\n\ndef register_model(fn):\n    _ENTRIES[fn.__name__] = fn\n    return fn\n\n\n"
        "def list_models():\n    return sorted(_ENTRIES)\n\n\n"
        "def create_model(name):\n    return _ENTRIES[name]()\n"
    )
    net = "from zoo.registry import register_model\n\n\n@register_model\ndef {name}():\n    return object()\n"
    files = {
        "zoo/__init__.py": "from .registry import create_model, list_models\nfrom . import resnet, vit\n",
        "zoo/registry.py": _module(registry),
        "zoo/resnet.py": _module(net.format(name="resnet18")),
        "zoo/vit.py": _module(net.format(name="vit_tiny")),
        "zoo/losses.py": _module("def focal(x):\n    return x\n"),
        "tests/test_zoo.py": (
            "import pytest\n\nfrom zoo import create_model, list_models\n\n\n"
            "@pytest.mark.parametrize('name', list_models())\n"
            "def test_create(name):\n    assert create_model(name) is not None\n"
        ),
    }
    write_tree(tmp_path, files)
    assert [h.path for h in findings(tmp_path, "TST003")] == ["zoo/losses.py"]


def test_tst003_follows_star_reexports_to_named_reexports(tmp_path: Path) -> None:
    files = {
        "lens/__init__.py": "from .vision import *\nfrom .audio import *\n",
        "lens/vision/__init__.py": "from .detect import Detector\nfrom .crop import crop_box\n",
        "lens/vision/detect.py": _module("class Detector:\n    def run(self, x):\n        return x\n"),
        "lens/vision/crop.py": _module("def crop_box(img, box):\n    return img\n"),
        "lens/audio/__init__.py": "from .resample import Resampler\n",
        "lens/audio/resample.py": _module("class Resampler:\n    pass\n"),
        "tests/test_detect.py": "from lens import Detector\n\n\ndef test_run():\n    assert Detector().run(1) == 1\n",
    }
    write_tree(tmp_path, files)
    # Detector reaches detect.py through two re-exports; nothing names crop_box or Resampler
    assert sorted(str(h.path) for h in findings(tmp_path, "TST003")) == [
        "lens/audio/resample.py",
        "lens/vision/crop.py",
    ]


def test_tst003_follows_a_star_import_into_the_module_that_defines_the_name(tmp_path: Path) -> None:
    files = {
        "fitkit/__init__.py": "",
        "fitkit/hooks/__init__.py": "from .base import *\nfrom .timing import *\nfrom .stopping import *\n",
        "fitkit/hooks/base.py": _module(
            "__all__ = ['Hook']\n\n\nclass Hook:\n    def on_epoch(self, net):\n        pass\n"
        ),
        "fitkit/hooks/timing.py": _module(
            "__all__ = ['Timer']\n\n\nclass Timer:\n    def on_epoch(self, net):\n        pass\n"
        ),
        "fitkit/hooks/stopping.py": _module("__all__ = ['EarlyStop']\n\n\nclass EarlyStop:\n    patience = 3\n"),
        "tests/test_hooks.py": (
            "from fitkit.hooks import Hook, Timer\n\n\n"
            "def test_hooks_run():\n    assert Hook().on_epoch(None) is None\n    assert Timer().on_epoch(None) is None\n"
        ),
    }
    write_tree(tmp_path, files)
    # Hook and Timer come from base.py and timing.py through the star imports; nothing names EarlyStop
    assert [str(h.path) for h in findings(tmp_path, "TST003")] == ["fitkit/hooks/stopping.py"]


def test_tst003_the_package_named_after_the_project_says_nothing_about_its_modules_roles(tmp_path: Path) -> None:
    module = (
        "def run(env):\n    total = 0\n"
        + "".join(f"    total += env.step({i})\n" for i in range(10))
        + "    return total\n"
    )
    setup = "from setuptools import setup\n\nsetup(name='cleanroom', packages=['cleanroom', 'cleanroom.transforms'])\n"
    files = {
        "setup.py": setup,
        "cleanroom/__init__.py": "",
        "cleanroom/ppo.py": module,
        "cleanroom/transforms/__init__.py": "",
        "cleanroom/transforms/frames.py": module,
        "tests/test_ppo_smoke.py": "def test_nothing():\n    assert 1 + 1 == 2\n",
    }
    write_tree(tmp_path, files)
    hits = {h.path: h for h in findings(tmp_path, "TST003")}
    # cleanroom/ is the project's name, not a cleaning step; a transforms/ folder inside it is a role.
    assert hits["cleanroom/ppo.py"].severity is Severity.INFO
    assert hits["cleanroom/transforms/frames.py"].severity is Severity.WARNING
    assert "(preprocessing)" in hits["cleanroom/transforms/frames.py"].message


def test_tst003_database_migrations_are_not_modules_to_unit_test(tmp_path: Path) -> None:
    """A migration named for the data it changes is run by `manage.py migrate`; a data module beside it is code."""
    migration = (
        "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n"
        "    dependencies = [('chat', '0013_statement_tags')]\n\n    operations = [\n"
        "        migrations.RemoveField(\n            model_name='statement',\n"
        "            name='extra_data',\n        ),\n        migrations.AddField(\n            model_name='statement',\n"
        "            name='persona',\n            field=models.CharField(default='', max_length=50),\n        ),\n    ]\n"
    )
    loader = (
        "def load_rows(path):\n"
        + "".join(f"    rows_{i} = path.read_text()\n" for i in range(10))
        + "    return rows_0\n"
    )
    files = {
        "chat/__init__.py": "",
        "chat/migrations/__init__.py": "",
        "chat/migrations/0014_remove_statement_extra_data.py": migration,
        "chat/data.py": loader,
        "tests/test_smoke.py": "def test_one():\n    assert 1 + 1 == 2\n",
    }
    write_tree(tmp_path, files)
    assert [h.path for h in findings(tmp_path, "TST003")] == ["chat/data.py"]


def test_tst003_follows_a_name_a_package_binds_through_a_lazy_import_helper(tmp_path: Path) -> None:
    """`CEM = import_optional("xai.explainers.cem", names=["CEM"])` in the package re-exports `CEM` from that
    module: a test importing `from xai.explainers import CEM` reaches it. A module path handed to a helper
    that binds nothing (a log line) re-exports nothing."""
    helper = "import importlib\n\n\ndef import_optional(path, names):\n    return getattr(importlib.import_module(path), names[0])\n"
    files = {
        "xai/__init__.py": "",
        "xai/utils.py": _module(helper),
        "xai/explainers/__init__.py": (
            "from xai.utils import import_optional\n\n"
            "CEM = import_optional('xai.explainers.cem', names=['CEM'])\n"
            "print('xai.explainers.proto')\n"
        ),
        "xai/explainers/cem.py": _module("class CEM:\n    def explain(self, x):\n        return x\n"),
        "xai/explainers/proto.py": _module("class Proto:\n    def explain(self, x):\n        return x\n"),
        "tests/test_cem.py": "from xai.explainers import CEM\n\n\ndef test_cem():\n    assert CEM().explain(1) == 1\n",
    }
    write_tree(tmp_path, files)
    assert [str(h.path) for h in findings(tmp_path, "TST003")] == ["xai/explainers/proto.py"]


def test_tst003_a_plugin_imported_by_a_name_built_at_run_time_is_reached_through_its_loader(tmp_path: Path) -> None:
    """`__import__("faces.detectors." + name)` in the tested api loads whichever detector the caller names: the
    tests reach every module of that package. A package the api never imports that way stays untested."""
    api = (
        "import importlib\n\n\nclass Aligner:\n    def __init__(self, detector='sfd'):\n"
        "        module = importlib.import_module(f'faces.detectors.{detector}')\n"
        "        self.detector = module.Detector()\n"
    )
    detector = _module("class Detector:\n    def detect(self, x):\n        return x\n")
    files = {
        "faces/__init__.py": "from faces.api import Aligner\n",
        "faces/api.py": _module(api),
        "faces/detectors/__init__.py": "",
        "faces/detectors/sfd.py": detector,
        "faces/detectors/blaze.py": detector,
        "faces/export/__init__.py": "",
        "faces/export/onnx.py": _module("def export(model, path):\n    return path\n"),
        "tests/test_api.py": "import faces\n\n\ndef test_align():\n    assert faces.Aligner('blaze').detector\n",
    }
    write_tree(tmp_path, files)
    assert [str(h.path) for h in findings(tmp_path, "TST003")] == ["faces/export/onnx.py"]


def test_tst003_follows_names_a_package_attaches_through_lazy_loader(tmp_path: Path) -> None:
    """`lazy.attach_stub(__name__, __file__)` re-exports what `__init__.pyi` imports and `lazy.attach(__name__,
    submod_attrs={"io": ["load"]})` what it names: tests calling `wave.feature.mfcc` and `wave.load` reach both
    modules. The same stub beside an `__init__` that attaches nothing re-exports nothing at run time."""
    stub_init = "import lazy_loader as lazy\n\n__getattr__, __dir__, __all__ = lazy.attach_stub(__name__, __file__)\n"
    attach_init = "import lazy_loader as lazy\n\n__getattr__, __dir__, __all__ = lazy.attach(__name__, submodules=['feature'], submod_attrs={'io': ['load']})\n"
    test = "import wave\n\n\ndef test_mfcc():\n    assert wave.feature.mfcc(wave.load('a.wav')) is not None\n"
    files = {
        "wave/__init__.py": attach_init,
        "wave/io.py": _module("def load(path):\n    return [0.0]\n"),
        "wave/feature/__init__.py": stub_init,
        "wave/feature/__init__.pyi": "from .spectral import mfcc as mfcc\n",
        "wave/feature/spectral.py": _module("def mfcc(y):\n    return y\n"),
        "wave/feature/rhythm.py": _module("def tempo(y):\n    return y\n"),
        "tests/test_wave.py": test,
    }
    write_tree(tmp_path, files)
    assert [str(h.path) for h in findings(tmp_path, "TST003")] == ["wave/feature/rhythm.py"]
    files["wave/feature/__init__.py"] = "__version__ = '1.0'\n"
    write_tree(tmp_path, files)
    assert sorted(str(h.path) for h in findings(tmp_path, "TST003")) == [
        "wave/feature/rhythm.py",
        "wave/feature/spectral.py",
    ]


def test_tst003_follows_a_name_a_test_star_imports_through_a_module_standing_in_for_a_package(tmp_path: Path) -> None:
    """`from spec.legacy import *` where `spec/legacy.py` holds `from .features import *`: the test's bare
    `STFT(...)` comes from `spec/features/stft.py`. The mel module, whose class no test uses, stays untested."""
    files = {
        "spec/__init__.py": "",
        "spec/legacy.py": "import warnings\n\nfrom .features import *\n\nwarnings.warn('import spec.features instead')\n",
        "spec/features/__init__.py": "from .mel import *\nfrom .stft import *\n",
        "spec/features/stft.py": _module("class STFT:\n    def __init__(self, n_fft):\n        self.n_fft = n_fft\n"),
        "spec/features/mel.py": _module(
            "class MelSpectrogram:\n    def __init__(self, n_mels):\n        self.n_mels = n_mels\n"
        ),
        "tests/test_stft.py": "from spec.legacy import *\n\n\ndef test_stft():\n    layer = STFT(n_fft=512)\n    assert layer.n_fft == 512\n",
    }
    write_tree(tmp_path, files)
    assert [str(h.path) for h in findings(tmp_path, "TST003")] == ["spec/features/mel.py"]


def test_tst003_tests_run_from_a_package_folder_reach_its_modules_by_their_short_names(tmp_path: Path) -> None:
    loader = _module("def load(path):\n    return path\n")
    tests = (
        "from django.test import TestCase\n\nfrom labels.data import load\nfrom utils.features import build\n\n\n"
        "class LoadTests(TestCase):\n    def test_load(self):\n        self.assertEqual(load(1), 1)\n"
        "        self.assertEqual(build(2), 2)\n"
    )
    tree = {
        "backend/__init__.py": "",
        "backend/manage.py": "import sys\n",
        "backend/labels/__init__.py": "",
        "backend/labels/data.py": loader,
        "backend/labels/metrics.py": loader,
        "backend/labels/tests/__init__.py": "",
        "backend/labels/tests/test_data.py": tests,
        "backend/utils/__init__.py": "",
        "backend/utils/features.py": loader,
        "utils/__init__.py": "",
        "utils/features.py": loader,
    }
    write_tree(tmp_path, tree)
    assert sorted(str(h.path) for h in findings(tmp_path, "TST003")) == [
        "backend/labels/metrics.py",
        "backend/utils/features.py",
    ]


def test_tst003_a_django_test_reaches_the_view_its_reversed_url_name_routes_to(tmp_path: Path) -> None:
    view = _module("class ItemList:\n    def get(self, request):\n        return []\n")
    urls = (
        "from django.urls import path\n\nfrom .views.items import ItemList\nfrom .views.reports import ReportList\n\n"
        "urlpatterns = [\n    path('items', ItemList.as_view(), name='item_list'),\n"
        "    path('reports', ReportList.as_view(), name='report_list'),\n]\n"
    )
    tests = (
        "from django.test import TestCase\nfrom django.urls import reverse\n\n\n"
        "class ItemTests(TestCase):\n    def test_list(self):\n"
        "        response = self.client.get(reverse('shop:item_list'))\n        self.assertEqual(response.status_code, 200)\n"
    )
    tree = {
        "shop/__init__.py": "",
        "shop/urls.py": urls + "".join(f"V{i} = {i}\n" for i in range(10)),
        "shop/views/__init__.py": "",
        "shop/views/items.py": view,
        "shop/views/reports.py": view.replace("ItemList", "ReportList"),
        "tests/test_api.py": tests,
    }
    write_tree(tmp_path, tree)
    assert sorted(str(h.path) for h in findings(tmp_path, "TST003")) == ["shop/views/reports.py"]


def test_tst003_a_package_lazy_import_helper_loads_nothing_until_a_test_calls_through_it(tmp_path: Path) -> None:
    """`speech/__init__.py` wraps its modules in functions that `importlib.import_module(f"speech.{name}")` on
    call: a test importing `speech.align` runs that `__init__` but calls no wrapper, so `speech.asr` stays
    untested. A test calling the wrapper `speech.load_model()` loads the modules through it."""
    init = (
        "import importlib\n\n\ndef _lazy(name):\n    return importlib.import_module(f'speech.{name}')\n\n\n"
        "def load_model(*args):\n    return _lazy('asr').load_model(*args)\n"
    )
    files = {
        "speech/__init__.py": init,
        "speech/align.py": _module("def align(words):\n    return sorted(words)\n"),
        "speech/asr.py": _module("def load_model(name):\n    return name\n"),
        "tests/test_align.py": "from speech.align import align\n\n\ndef test_align():\n    assert align([2, 1]) == [1, 2]\n",
    }
    write_tree(tmp_path, files)
    assert [str(h.path) for h in findings(tmp_path, "TST003")] == ["speech/asr.py"]
    files["tests/test_model.py"] = (
        "import speech\n\n\ndef test_load():\n    assert speech.load_model('tiny') == 'tiny'\n"
    )
    write_tree(tmp_path, files)
    assert findings(tmp_path, "TST003") == []


def test_tst003_a_support_helper_no_test_imports_tests_nothing(tmp_path: Path) -> None:
    helper = "from pkg.features import build\n\n\ndef fit_helper(df):\n    return build(df)\n"
    test = "from pkg.data import load\n\n\ndef test_l():\n    assert load(1)\n"
    files = {**LIB, "pkg/testing/__init__.py": "", "pkg/testing/helpers.py": helper, "tests/test_data.py": test}
    write_tree(tmp_path, files)
    assert {h.path for h in findings(tmp_path, "TST003")} == {"pkg/features.py", "pkg/report.py"}
    # Look-alike: the same helper imported by a test runs with it and reaches what it calls
    write_tree(tmp_path, {"tests/test_data.py": "from pkg.testing.helpers import fit_helper\n" + test})
    assert {h.path for h in findings(tmp_path, "TST003")} == {"pkg/report.py"}


ENUMERATED_DATASETS = {
    "geo/__init__.py": "",
    "geo/datasets/__init__.py": "from .taxi import TaxiDataset\nfrom .crime import CrimeDataset\n",
    "geo/datasets/taxi.py": _module("class TaxiDataset:\n    def load(self):\n        return [1]\n"),
    "geo/datasets/crime.py": _module("class CrimeDataset:\n    def load(self):\n        return [2]\n"),
    "geo/loaders/__init__.py": "from .download import download_file\n",
    "geo/loaders/download.py": _module("def download_file(url):\n    return url\n"),
}

ENUMERATING_TEST = """\
import inspect
import sys

import pytest

import geo.datasets

DATASETS = [cls for _, cls in inspect.getmembers(sys.modules[geo.datasets.__name__], inspect.isclass)]


@pytest.mark.parametrize("dataset_class", DATASETS)
def test_load(dataset_class):
    assert dataset_class().load()
"""


def test_tst003_a_test_enumerating_a_package_reaches_the_modules_it_re_exports(tmp_path: Path) -> None:
    write_tree(tmp_path, {**ENUMERATED_DATASETS, "tests/test_datasets.py": ENUMERATING_TEST})
    assert [h.path for h in findings(tmp_path, "TST003")] == ["geo/loaders/download.py"]


def test_tst003_a_test_importing_a_package_without_using_its_members_reaches_none_of_its_modules(
    tmp_path: Path,
) -> None:
    test = "import geo.datasets\n\n\ndef test_name():\n    assert geo.datasets.__name__ == 'geo.datasets'\n"
    write_tree(tmp_path, {**ENUMERATED_DATASETS, "tests/test_datasets.py": test})
    assert sorted(h.path or "" for h in findings(tmp_path, "TST003")) == [
        "geo/datasets/crime.py",
        "geo/datasets/taxi.py",
        "geo/loaders/download.py",
    ]
