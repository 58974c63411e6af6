"""Provides rule SEC023: Model downloaded without a checksum."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.supply_chain import model_downloads
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register


@register
class ModelDownloadWithoutChecksum(Rule):
    """Flags model files downloaded without verifying a checksum.

    ## What it does
    Finds `gdown.download`, `urlretrieve`, `wget.download`, `download_url_to_file`,
    `load_state_dict_from_url` calls and `wget`/`curl`/`gdown` commands in scripts that fetch
    model-like files (`.pt`, `.bin`, `.ckpt`, `weights`, Google Drive links) in a file that
    never checks a hash (hashlib, sha256sum, `hash_prefix`, `check_hash=True`, `md5=`).

    ## Why is this bad?
    The file at a URL can change or be replaced; a model file is usually a pickle, so an
    unverified download is code you run without having seen it, and a silently different
    model breaks reproducibility.

    ## Example
    ```python
    gdown.download("https://drive.google.com/uc?id=...", "assets/model.bin")
    ```

    ## Use instead
    ```python
    gdown.cached_download(URL, "assets/model.bin", hash="sha256:9f2c...")
    ```
    """

    code = "SEC023"
    title = "Model downloaded without a checksum"
    practice = "security"
    severity = Severity.WARNING
    fix = "Pin the expected SHA-256 and verify it after download (hashlib, sha256sum -c, hash_prefix=/hash=)."

    def check(self, project: Project) -> Iterator[Output]:
        for download, count in model_downloads(project):
            what = "a model file" if count == 1 else f"{count} model files"
            yield Hit(download.path, download.line, f"{download.tool} downloads {what} with no checksum check")
