"""Calibration: compare mlaudit's scores with expert grades of eight real ML repositories (not a test).

Runs the shared calibration script (`shared/calibration/calibrate.py`, beside the checkout or
named by MLAUDIT_CALIBRATION) with this checkout's `mlaudit`, and prints its per-repository
lines, the per-practice table (MAE, bias, Spearman) and the summary line. Extra arguments go
to calibrate.py unchanged:

    python benchmarks/calibration.py                  # mirrors: a `.mirror` folder above the checkout
    python benchmarks/calibration.py --mirrors DIR --verbose --only whisper,yolov5

Without the shared folder it prints one line saying so and exits 0.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path("calibration") / "calibrate.py"


def find_script() -> Path | None:
    """Return calibrate.py: MLAUDIT_CALIBRATION, else a `shared/` folder beside or above the checkout."""
    named = os.environ.get("MLAUDIT_CALIBRATION")
    if named:
        return Path(named) if Path(named).is_file() else None
    candidates = [parent / "shared" / SCRIPT for parent in ROOT.parents]
    return next((path for path in candidates if path.is_file()), None)


def find_mirrors() -> Path | None:
    """Return the fetched snapshots folder (`.mirror` beside or above the checkout), if any."""
    return next((p / ".mirror" for p in ROOT.parents if (p / ".mirror").is_dir()), None)


def mlaudit_executable() -> str:
    """Return the `mlaudit` next to this interpreter (the checkout's venv), else the one on PATH."""
    beside = Path(sys.executable).with_name("mlaudit")
    return str(beside) if beside.is_file() else shutil.which("mlaudit") or "mlaudit"


def command(script: Path, args: Sequence[str]) -> list[str]:
    """Return the calibrate.py command line, adding --mlaudit unless given."""
    extra = list(args)
    if "--mlaudit" not in extra:
        extra += ["--mlaudit", mlaudit_executable()]
    mirrors = find_mirrors()
    if "--mirrors" not in extra and mirrors is not None:
        extra += ["--mirrors", str(mirrors)]
    return [sys.executable, str(script), *extra]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparison and print its table; one line and exit 0 when the set is absent."""
    script = find_script()
    if script is None:
        print("calibration: shared/calibration/calibrate.py not found (set MLAUDIT_CALIBRATION); nothing to do")
        return 0
    return subprocess.run(command(script, sys.argv[1:] if argv is None else argv), check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())
