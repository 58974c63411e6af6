"""Tests of rule REP013 (`mlaudit/rules/reproducibility/rep013_hardcoded_absolute_path.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.layout._helpers import notebook


def test_rep013_absolute_paths_named_docstrings_ignored(tmp_path: Path) -> None:
    code = '"""Reads /home/alice/data."""\n\nDATA = "/kaggle/input/churn/train.csv"\nOUT = "outputs/model.pt"\n'
    write_tree(tmp_path, {"train.py": code, "tests/test_x.py": "P = '/home/bob/x.csv'\n"})
    [hit] = findings(tmp_path, "REP013")
    assert "/kaggle/input/churn/train.csv" in hit.message and hit.path == "train.py"


def test_rep013_environment_detection_comparison_is_not_a_data_path(tmp_path: Path) -> None:
    code = (
        "import os\n\n\ndef on_kaggle():\n    return os.environ.get('PWD') == '/kaggle/working'\n\n\n"
        "DATA = '/kaggle/input/train.csv'\n"
    )
    write_tree(tmp_path, {"utils.py": code})
    assert [h.line for h in findings(tmp_path, "REP013")] == [8]


def test_rep013_absolute_paths_in_settings_modules_are_checked(tmp_path: Path) -> None:
    fixed = "data_root = '/mnt/nas/alice/cityscapes'\ntrain_loader = dict(batch_size=8, root=data_root)\n"
    relative = "data_root = 'data/cityscapes'\ntrain_loader = dict(batch_size=8, root=data_root)\n"
    write_tree(tmp_path, {"configs/city.py": fixed, "configs/city_rel.py": relative})
    [hit] = findings(tmp_path, "REP013")
    assert hit.path == "configs/city.py" and "/mnt/nas/alice/cityscapes" in hit.message


def test_rep013_paths_inside_a_volume_the_file_mounts_into_its_container_are_the_same_on_every_host(
    tmp_path: Path,
) -> None:
    code = (
        "from kubernetes import client\n\n\n"
        "def step_template(image):\n"
        "    outputs = [{'name': 'task-id', 'valueFrom': {'path': '/mnt/out/task_id'}}]\n"
        "    mounts = [client.V1VolumeMount(name='out', mount_path='/mnt/out')]\n"
        "    data = [{'name': 'data', 'mountPath': '/mnt/shared'}]\n"
        "    cache = '/mnt/shared/cache'\n"
        "    weights = '/mnt/models/resnet50.pt'\n"
        "    return client.V1Container(image=image, volume_mounts=mounts), outputs, data, cache, weights\n"
    )
    write_tree(tmp_path, {"flows/argo.py": code})
    assert [h.message for h in findings(tmp_path, "REP013")] == [
        "Absolute path '/mnt/models/resnet50.pt' in flows/argo.py"
    ]


def test_rep013_paths_under_the_drive_a_notebook_mounts_are_a_note_but_a_library_path_stays_a_warning(
    tmp_path: Path,
) -> None:
    mounting = notebook(
        "from google.colab import drive\ndrive.mount('/content/drive/')",
        "import pandas as pd\ndf = pd.read_csv('/content/drive/MyDrive/churn/train.csv')",
    )
    library = "import pandas as pd\n\n\ndef load():\n    return pd.read_csv('/content/drive/MyDrive/churn/train.csv')\n"
    not_mounting = notebook("import pandas as pd\ndf = pd.read_csv('/content/drive/MyDrive/churn/test.csv')")
    write_tree(
        tmp_path,
        {"notebooks/explore.ipynb": mounting, "churn/data.py": library, "notebooks/score.ipynb": not_mounting},
    )
    found = {(h.path, h.severity.value) for h in findings(tmp_path, "REP013")}
    assert found == {
        ("notebooks/explore.ipynb", "info"),
        ("churn/data.py", "warning"),
        ("notebooks/score.ipynb", "warning"),
    }


def test_rep013_paths_only_tested_for_existence_detect_the_platform_but_read_paths_are_flagged(
    tmp_path: Path,
) -> None:
    code = (
        "import os\nfrom pathlib import Path\n\n\n"
        "def on_kaggle():\n    return os.path.exists('/kaggle/input')\n\n\n"
        "def on_sagemaker_notebook():\n    marker = '/home/ec2-user/SageMaker'\n"
        "    return os.path.isdir(marker) and Path('/mnt/sagemaker-meta').exists()\n\n\n"
        "def load_marker():\n    marker = '/mnt/azmnt/.nbvm'\n"
        "    if os.path.isfile(marker):\n        return open(marker).read()\n    return None\n"
    )
    write_tree(tmp_path, {"envs.py": code})
    assert [h.message for h in findings(tmp_path, "REP013")] == ["Absolute path '/mnt/azmnt/.nbvm' in envs.py"]


def test_rep013_a_home_folder_named_at_run_time_is_not_the_authors_but_a_spelled_out_one_is(tmp_path: Path) -> None:
    code = (
        "import getpass\n\n\n"
        "def workspace_dir(user):\n    return f'/home/{user}/jobs'\n\n\n"
        "SCRATCH = f'/home/{getpass.getuser()}/scratch'\n"
        "CACHE = f'/home/alice/cache/{getpass.getuser()}'\n"
    )
    write_tree(tmp_path, {"paths.py": code})
    assert [h.line for h in findings(tmp_path, "REP013")] == [9]


def test_rep013_the_default_of_a_mount_path_parameter_is_a_container_path_but_a_data_default_is_not(
    tmp_path: Path,
) -> None:
    code = (
        "def mount_volume(claim: str, volume_mount_path: str = '/mnt/pipeline', *, data: str = '/mnt/nas/x.csv'):\n"
        "    return claim, volume_mount_path, data\n"
    )
    write_tree(tmp_path, {"k8s.py": code})
    assert [h.message for h in findings(tmp_path, "REP013")] == ["Absolute path '/mnt/nas/x.csv' in k8s.py"]


def test_rep013_a_prefix_another_path_is_matched_against_is_a_pattern_not_a_location(tmp_path: Path) -> None:
    """`name.startswith(("/Users/", "/Shared/"))` recognises a workspace path; a path opened is a location."""
    code = (
        "def workspace_path(name):\n"
        '    if name.startswith(("/Users/", "/Shared/")):\n'
        "        return name\n"
        '    if name.endswith("/mnt/"):\n'
        "        return None\n"
        '    return f"/Shared/{name}"\n\n\n'
        "def is_home(root):\n"
        '    return root in ["/home/", "/root/"]\n\n\n'
        "def load():\n"
        '    return open("/Users/alice/runs/metrics.json").read()\n'
    )
    write_tree(tmp_path, {"tracking/paths.py": code})
    assert [(f.line, f.message) for f in findings(tmp_path, "REP013")] == [
        (14, "Absolute path '/Users/alice/runs/metrics.json' in tracking/paths.py")
    ]


IMAGE_BUILDER = '''\
from string import Template

VENV_TEMPLATE = Template("""\\
WORKDIR /root
RUN python -m venv /root/.venv && /root/.venv/bin/pip install $PACKAGES
ENV PATH="/root/.venv/bin:$$PATH"
""")


def runtime_python(spec):
    if spec.venv:
        return "/root/.venv/bin/python"
    return spec.python


def cache_dir():
    return "/root/.cache/models"
'''


def test_rep013_a_path_the_files_own_dockerfile_text_names_lies_inside_the_image(tmp_path: Path) -> None:
    write_tree(tmp_path, {"builder/__init__.py": "", "builder/image.py": IMAGE_BUILDER})
    # the interpreter the template installs is the image's; a cache folder the template never names is the host's
    assert [(h.line, h.message) for h in findings(tmp_path, "REP013")] == [
        (17, "Absolute path '/root/.cache/models' in builder/image.py")
    ]


def test_rep013_the_rest_of_an_f_string_after_a_formatted_value_is_no_absolute_path(tmp_path: Path) -> None:
    code = (
        "def share_url(key):\n    return f'https://api.drive.example/v1/shares/u!{key}/root/content'\n\n\n"
        "def checkpoint(run):\n    return f'/home/alice/runs/{run}/ckpt.pt'\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/links.py": code})
    # the head of an f-string is where its path starts: the second one names the author's home folder
    assert [h.line for h in findings(tmp_path, "REP013")] == [6]
