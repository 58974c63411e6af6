"""Tests of rule SEC024 (`mlaudit/rules/security/sec024_tar_extract_without_filter.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree

UNSAFE = """\
import os
import tarfile
import urllib.request


def prepare_imagenet(url, data_dir):
    archive = os.path.join(data_dir, "train.tar")
    urllib.request.urlretrieve(url, archive)
    with tarfile.open(archive, "r:") as tar:
        tar.extractall(path=data_dir)


def unpack_weights(path, out):
    bundle = tarfile.open(path)
    bundle.extractall(out)
    bundle.close()
    tarfile.open(path + ".extra").extractall(out)


def unpack_twice(path, out):
    with tarfile.open(path) as tar:
        tar.extractall(out + "/a", filter="data")
    with tarfile.open(path + ".2") as other:
        other.extractall(out + "/b")
"""

SAFE = """\
import os
import tarfile
import zipfile


def prepare_imagenet(archive, data_dir):
    with tarfile.open(archive, "r:") as tar:
        tar.extractall(path=data_dir, filter="data")


def unpack_checked(path, out):
    with tarfile.open(path) as tar:
        for member in tar.getmembers():
            target = os.path.realpath(os.path.join(out, member.name))
            if not target.startswith(os.path.realpath(out) + os.sep):
                raise ValueError(member.name)
        tar.extractall(out)


def unpack_members(path, out, keep):
    with tarfile.open(path) as tar:
        tar.extractall(out, members=keep(tar))


def unpack_any_python(path, out):
    with tarfile.open(path) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(out, filter="data")
        else:  # Python without extraction filters
            tar.extractall(out)


def unpack_zip(path, out):
    with zipfile.ZipFile(path) as archive:
        archive.extractall(out)
"""


def test_unfiltered_tar_extractall_fires(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/data.py": UNSAFE, "pkg/safe.py": SAFE})
    hits = findings(tmp_path, "SEC024")
    assert [(f.path, f.line) for f in hits] == [
        ("pkg/data.py", 10),
        ("pkg/data.py", 15),
        ("pkg/data.py", 17),
        ("pkg/data.py", 24),
    ]
    assert "in prepare_imagenet()" in hits[0].message


def test_filtered_vetted_or_zip_extraction_stays_silent(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/safe.py": SAFE})
    assert findings(tmp_path, "SEC024") == []


def test_names_listed_only_for_after_the_extraction_vet_nothing_but_a_checking_loop_does(tmp_path: Path) -> None:
    code = (
        "import os\nimport tarfile\n\n\n"
        "def convert(raw_path):\n"
        "    tar = tarfile.open(raw_path, 'r:gz')\n    names = tar.getnames()\n    tar.extractall()\n"
        "    tar.close()\n    for name in names:\n        os.remove(name)\n\n\n"
        "def convert_checked(raw_path):\n"
        "    tar = tarfile.open(raw_path, 'r:gz')\n    names = tar.getnames()\n"
        "    if any(name.startswith(('/', '..')) for name in names):\n        raise ValueError(raw_path)\n"
        "    tar.extractall()\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/convert.py": code})
    assert [(f.path, f.line) for f in findings(tmp_path, "SEC024")] == [("pkg/convert.py", 8)]
