#!/usr/bin/env bash
# Installs mlaudit with its pinned dependencies into .venv and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
