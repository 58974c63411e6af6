"""Tests of rule SEC003 (`mlaudit/rules/security/sec003_credential_file_tracked.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, git_init, write_tree


def test_sec003_tracked_env_and_keys(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".env": "DEBUG=1\n",
            "deploy/id_rsa": "x\n",
            "gcp/service-account-prod.json": "{}\n",
            "kaggle.json": '{"username": "a"}\n',
            ".env.example": "API_KEY=\n",
        },
    )
    git_init(tmp_path)
    paths = sorted(f.path or "" for f in findings(tmp_path, "SEC003"))
    assert paths == [".env", "deploy/id_rsa", "gcp/service-account-prod.json", "kaggle.json"]


def test_sec003_silent_for_untracked_env_and_examples(tmp_path: Path) -> None:
    write_tree(tmp_path, {".gitignore": ".env\n", ".env.example": "API_KEY=\n", ".npmrc": "registry=https://x\n"})
    git_init(tmp_path)
    (tmp_path / ".env").write_text("API_KEY=secret\n", encoding="utf-8")
    assert findings(tmp_path, "SEC003") == []


PUBLIC_PEM = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAq83Tb1vRk0cJ2m4hX6yLp9sWfE3aUu7oQ1nZtGd5Kc8=\n-----END PUBLIC KEY-----\n"
CERT_PEM = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2x7cGVhcnRvbjEwMA0GCSqGSIb3DQEBCwUAMBQx\n-----END CERTIFICATE-----\n"
PRIVATE_PEM = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIH3k9bQm2LrT8sWvXy1cZ0aP4nGdEe6fJh7iKl5oMq2r\n-----END PRIVATE KEY-----\n"


def test_sec003_silent_for_public_keys_and_certificates(tmp_path: Path) -> None:
    # the key that verifies signed model files, and a CA bundle, are meant to ship
    write_tree(tmp_path, {"zoo/trusted/release-ed25519.pem": PUBLIC_PEM, "certs/ca-bundle.pem": CERT_PEM + CERT_PEM})
    git_init(tmp_path)
    assert findings(tmp_path, "SEC003") == []


def test_sec003_fires_for_a_certificate_shipped_with_its_private_key(tmp_path: Path) -> None:
    write_tree(tmp_path, {"deploy/server.pem": CERT_PEM + PRIVATE_PEM, "deploy/tls.key": "binary-ish\n"})
    git_init(tmp_path)
    assert sorted(f.path or "" for f in findings(tmp_path, "SEC003")) == ["deploy/server.pem", "deploy/tls.key"]
