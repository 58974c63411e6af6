"""Tests of rule SRV009 (`mlaudit/rules/production/srv009_flask_debug_server.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree
from tests.rules.production._helpers import FLASK_BAD, FLASK_GOOD, FLASK_MIN


def test_srv009_flask_debug_server(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": FLASK_BAD})
    [debug_hit] = findings(tmp_path, "SRV009")
    assert debug_hit.line == 10


def test_srv009_silent_on_flask_served_by_gunicorn(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": FLASK_GOOD, "Procfile": "web: gunicorn app:app --workers 2\n"})
    assert findings(tmp_path, "SRV009") == []


def test_srv009_flask_development_server_is_a_warning(tmp_path: Path) -> None:
    app = (
        FLASK_MIN
        + "\n@app.route('/p')\ndef p():\n    return {}\n\nif __name__ == '__main__':\n    app.run(host='0.0.0.0', port=8000)\n"
    )
    runner = "class Loop:\n    def run(self):\n        pass\n\nloop = Loop()\nloop.run()\n"
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/app.py": app, "svc/loop.py": runner})
    [hit] = findings(tmp_path, "SRV009")
    run_line = app.splitlines().index("    app.run(host='0.0.0.0', port=8000)") + 1
    assert hit.line == run_line and hit.severity is Severity.WARNING and "gunicorn" in hit.fix
