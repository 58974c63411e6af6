"""Provides rule SEC023: Model downloaded without a checksum."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.supply_chain import model_downloads
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register

PLAIN_HTTP_FIX = "Download over https:// and pin the expected SHA-256 (verify it with hashlib or sha256sum -c)."


@register
class ModelDownloadWithoutChecksum(Rule):
    """Flags model files downloaded without verifying a checksum.

    ## What it does
    Finds `gdown.download`, `urlretrieve`, `wget.download`, `download_url_to_file`,
    `load_state_dict_from_url` calls, boto3 `download_file`, a response of `requests.get` or
    `urlopen` written to a file, and `wget`/`curl`/`gdown` commands in scripts that fetch
    model-like files (`.pt`, `.bin`, `.ckpt`, `weights`, Google Drive links) in a file that
    never checks a hash: it compares no digest it computes (`hashlib.sha256(blob).hexdigest() != expected`,
    directly, through a name or a helper returning one,
    also once the helper's result is bound to a name: `actual = file_md5(path)`, then `actual != expected`), hands no download an expected hash (`hash_prefix=`,
    `check_hash=True`, `md5=`), calls no check named for one (`check_integrity`) and runs no `sha256sum`.
    A hash that only names a cache file (`sha256(url.encode()).hexdigest()`) or sits in the URL verifies nothing.
    A download of any file (data or weights) over plain `http://` is reported too: anyone on
    the way can replace it.

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
            if download.plain_http:
                what = "a file" if count == 1 else f"{count} files"
                message = f"{download.tool} downloads {what} over plain http:// with no checksum check"
                yield Hit(download.path, download.line, message, fix=PLAIN_HTTP_FIX)
                continue
            what = "a model file" if count == 1 else f"{count} model files"
            yield Hit(download.path, download.line, f"{download.tool} downloads {what} with no checksum check")
