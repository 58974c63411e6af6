"""Logging and security rules and capabilities read per-file facts: from cached summaries they give the
same findings and evidence as from parsed modules, without parsing any module."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mlaudit import filefacts
from mlaudit.capabilities import Assessment, load_capabilities
from mlaudit.capabilities._common import TRACKER_FACT, _tracker_of, first_call
from mlaudit.capabilities.security import LOADING_FACT
from mlaudit.discover import discover
from mlaudit.engine import AuditOptions
from mlaudit.facts.kind import project_kind
from mlaudit.project import MISSING, Project, load_project
from mlaudit.registry import Output, load_rules
from mlaudit.report import json as json_report
from mlaudit.rules.logging._shared import OUTPUTS_FACT
from mlaudit.rules.security._shared import CALLS_FACT, SECRET_ENV_FACT
from mlaudit.rules.security.sec006_scattered_environment_reads import ENV_READS_FACT
from mlaudit.rules.security.sec009_torch_load_without_weights_only import LOADERS_FACT
from tests.helpers import git_init, run_audit, write_tree
from tests.test_secrets import fake

PACKAGE = {
    "pyproject.toml": (
        '[project]\nname = "shop"\nversion = "0.1.0"\ndependencies = ["torch", "pyyaml", "requests", "numpy", '
        '"wandb", "hubtools"]\n[project.scripts]\nshop = "shop.entry:run"\n'
    ),
    "src/shop/__init__.py": "",
    "src/shop/entry.py": (
        "import logging\nimport sys\n\n\ndef run():\n    print('starting')\n    logging.basicConfig(level=logging.INFO)\n\n\n"
        "def helper(x):\n    print('debug', x)\n    logging.info('helper %s', x)\n    sys.stderr.write(f'{x}\\n')\n"
    ),
    "src/shop/train.py": (
        "import logging\nimport os\nimport warnings\n\nimport torch\nimport wandb\n\n"
        "logger = logging.getLogger(__name__)\nlogger.addHandler(logging.NullHandler())\n"
        "BUCKET = os.getenv('SHOP_BUCKET')\n\n\n"
        "def fit(model, verbose=False):\n"
        "    logger.info('fitting')\n    logger.debug('model %s', model)\n"
        "    if verbose:\n        print('epoch done')\n"
        "    warnings.warn('slow')\n    logging.warning('root warning')\n"
        "    torch.save(model.state_dict(), 'model.pth')\n    wandb.init(project='shop')\n\n\n"
        "def load_checkpoint(path):\n    return torch.load(path)\n\n\n"
        "def summary(stats):\n    print(stats)\n\n\n"
        "if __name__ == '__main__':\n    print('done')\n"
    ),
    "src/shop/serve.py": (
        "import hashlib\nimport os\nimport pickle\nimport subprocess\n\nimport numpy as np\nimport requests\n"
        "import yaml\nfrom hubtools import torch_load, download\n\nfrom shop.train import load_checkpoint\n\n"
        "API_KEY = os.environ['SHOP_API_KEY']\n"
        "LOGGER_NAME = 'pytorch_lightning.loggers.WandbLogger'\n\n\n"
        "def predict(url, cmd, expr):\n"
        "    state = load_checkpoint(download(url))\n"
        "    weights = torch_load(download(url))\n"
        "    model = pickle.load(open('model.pth', 'rb'))\n"
        "    other = pickle.loads(requests.get(url, verify=False).content)\n"
        "    cfg = yaml.load(open('cfg.yaml'))\n"
        "    arr = np.load('x.npy', allow_pickle=True)\n"
        "    subprocess.run(f'ls {cmd}', shell=True)\n"
        "    digest = hashlib.sha256(b'x').hexdigest()\n"
        "    assert digest == os.environ.get('SHOP_DIGEST')\n"
        "    print('served', os.environ.get('SHOP_MODE'))\n"
        "    return eval(expr), state, weights, model, other, cfg, arr, digest\n"
    ),
    "src/shop/cli/__init__.py": "",
    "src/shop/cli/main.py": "import logging\n\n\ndef go():\n    print('cli output')\n    logging.info('cli')\n",
    "src/shop/report.py": (
        "import logging\nimport os\n\nHOST = os.environ.get('SHOP_HOST')\n\n\n"
        "def publish():\n    logging.basicConfig()\n    print(HOST)\n"
    ),
    "scripts/export.py": (
        "import argparse\n\nimport yaml\n\nfrom shop.train import load_checkpoint\n\n\n"
        "def main():\n    parser = argparse.ArgumentParser()\n    args = parser.parse_args()\n"
        "    print(yaml.safe_load(open(args.config)))\n    return load_checkpoint(args.path)\n"
    ),
}
LOGGING_RULES = ("LOG001", "LOG003", "LOG004", "LOG006")
SECURITY_RULES = ("SEC004", "SEC006", "SEC008", "SEC009", "SEC010", "SEC013", "SEC014", "SEC015", "SEC016", "SEC017")
CAPABILITY_PRACTICES = ("logging", "security")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return git_init(write_tree(tmp_path / "repo", PACKAGE))


def _parsed_project(root: Path) -> Project:
    return load_project(discover(root))


def _cached_project(root: Path) -> Project:
    """Return the project with every module summarised from the fact cache (none parsed yet)."""
    inventory = discover(root)
    options = AuditOptions(jobs=1)
    layer = filefacts.layer_for(options, list(inventory.files), root)
    assert layer is not None
    project = load_project(inventory, options, summarize=layer)
    modules = [pf for pf in project.python.values() if pf.path.endswith(".py")]
    assert modules and all(pf.summary is not None and not pf.parsed for pf in modules)
    return project


def _rule_outputs(project: Project, codes: tuple[str, ...]) -> dict[str, list[Output]]:
    rules = load_rules()
    return {code: list(rules[code]().check(project)) for code in codes}


def _assessments(project: Project) -> dict[str, Assessment]:
    capabilities = load_capabilities()
    return {cap.key: cap().assess(project) for key in CAPABILITY_PRACTICES for cap in capabilities[key]}


def test_rules_give_the_same_findings_from_cached_facts_without_parsing(repo: Path, layer_on: Path) -> None:
    codes = (*LOGGING_RULES, *SECURITY_RULES)
    expected = _rule_outputs(_parsed_project(repo), codes)
    assert all(expected[code] for code in codes)  # every rule fires on the tree
    run_audit(repo)  # fills the fact cache
    project = _cached_project(repo)
    assert _rule_outputs(project, codes) == expected
    # SEC009 follows calls of the project's own torch.load wrapper: only the modules that define or
    # call one (by the resolved call names of every module, a fact) are read again.
    parsed = sorted(pf.path for pf in project.python.values() if pf.parsed)
    assert parsed == ["scripts/export.py", "src/shop/serve.py", "src/shop/train.py"]


def test_the_wrapper_scan_reads_no_tree_where_no_module_wraps_torch_load(repo: Path, layer_on: Path) -> None:
    train = repo / "src/shop/train.py"
    train.write_text(train.read_text().replace("return torch.load(path)", "return torch.load(path, weights_only=True)"))
    expected = _rule_outputs(_parsed_project(repo), SECURITY_RULES)
    run_audit(repo)
    project = _cached_project(repo)
    assert _rule_outputs(project, SECURITY_RULES) == expected
    assert not any(pf.parsed for pf in project.python.values())


def test_capabilities_give_the_same_evidence_from_cached_facts_without_parsing(repo: Path, layer_on: Path) -> None:
    parsed = _parsed_project(repo)
    expected = _assessments(parsed)
    assert first_call(parsed, ("yaml.safe_load",)) == "scripts/export.py:11"
    wanted = (
        "logging_used",
        "module_loggers",
        "logging_configured",
        "experiment_tracker",
        "safe_loading",
        "verified_downloads",
    )
    assert all(expected[key].share > 0 for key in wanted), expected
    assert expected["secrets_from_env"].share == 1 and "SHOP_API_KEY" in expected["secrets_from_env"].evidence
    run_audit(repo)
    project = _cached_project(repo)
    assert _assessments(project) == expected
    assert first_call(project, ("yaml.safe_load",)) == "scripts/export.py:11"
    assert not any(pf.parsed for pf in project.python.values())


def test_cold_and_warm_fact_cache_give_the_report_of_parsed_modules(
    repo: Path, layer_on: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = json_report.dumps(run_audit(repo, jobs=1))
    shutil.rmtree(layer_on.parent / "reports")
    warm = json_report.dumps(run_audit(repo, jobs=1))
    monkeypatch.setattr(filefacts, "MIN_BYTES", 10**12)
    assert warm == cold == json_report.dumps(run_audit(repo, jobs=1, cache=False))


def test_a_module_with_a_secret_keeps_its_string_facts_out_of_the_cache(tmp_path: Path, layer_on: Path) -> None:
    token = fake("github")
    leaky = {**PACKAGE, "src/shop/report.py": PACKAGE["src/shop/report.py"] + f'\nTOKEN = "{token}"\n'}
    repo = git_init(write_tree(tmp_path / "repo", leaky))
    cold = json_report.dumps(run_audit(repo))
    project = _cached_project(repo)
    summaries = {path: pf.summary for path, pf in project.python.items() if pf.summary is not None}
    text_facts = (OUTPUTS_FACT, ENV_READS_FACT, SECRET_ENV_FACT, TRACKER_FACT, LOADING_FACT, LOADERS_FACT)
    assert all(summaries["src/shop/report.py"].fact(name) is MISSING for name in text_facts)
    assert summaries["src/shop/report.py"].fact(CALLS_FACT) is not MISSING  # call names: no string literal
    assert all(summaries["src/shop/serve.py"].fact(name) is not MISSING for name in text_facts)
    assert not any(token[4:20].encode() in entry.read_bytes() for entry in layer_on.glob("*.facts"))
    shutil.rmtree(layer_on.parent / "reports")
    assert json_report.dumps(run_audit(repo)) == cold


def test_a_tracker_named_in_a_string_comes_from_the_cached_fact(repo: Path, layer_on: Path) -> None:
    run_audit(repo)
    project = _cached_project(repo)
    serve = project.python["src/shop/serve.py"]
    assert _tracker_of(serve) == (None, (14, "pytorch_lightning.loggers.WandbLogger"))
    assert _tracker_of(project.python["src/shop/train.py"]) == ((6, "wandb"), None)
    assert not serve.parsed


def test_log002_reads_whether_modules_train_from_cached_facts(tmp_path: Path, layer_on: Path) -> None:
    helpers = "".join(f"def step_{n}(x):\n    y = x + {n}\n    return y * 2\n\n\n" for n in range(200))
    training = "import torch\n\n\ndef train(model, loss, opt):\n    loss.backward()\n    opt.step()\n"
    files = {"pkg/__init__.py": "", "pkg/ops.py": "import torch\n\n\n" + helpers, "pkg/train.py": training}
    repo = git_init(write_tree(tmp_path / "repo", files))
    expected = _rule_outputs(_parsed_project(repo), ("LOG002",))
    assert [h.message for h in expected["LOG002"]] == [  # type: ignore[union-attr]
        "No module uses logging in 605 lines of training/serving code"
    ]
    run_audit(repo)
    project = _cached_project(repo)
    assert _rule_outputs(project, ("LOG002",)) == expected
    assert not any(pf.parsed for pf in project.python.values())


def test_the_application_kind_comes_from_cached_facts_without_parsing(tmp_path: Path, layer_on: Path) -> None:
    cli = "import argparse\n\nfrom tool.core import run\n\nif __name__ == '__main__':\n    run(argparse.ArgumentParser().parse_args())\n"
    root = git_init(
        write_tree(
            tmp_path / "cli",
            {"tool/__init__.py": "", "tool/core.py": "def run(a):\n    return a\n", "tool/main.py": cli},
        )
    )
    expected = project_kind(_parsed_project(root))
    assert expected.kind == "application" and "tool/main.py:1" in expected.evidence[0]
    run_audit(root)
    project = _cached_project(root)
    assert project_kind(project) == expected
    assert not any(pf.parsed for pf in project.python.values())
