"""Tests of rule SRV010 (`mlaudit/rules/production/srv010_no_deploy_recipe.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.production._helpers import APP_FACTORY, BAD_FASTAPI, ROUTES_LIBRARY, _bad


def test_srv010_service_without_deploy_recipe(tmp_path: Path) -> None:
    _bad(tmp_path)
    write_tree(tmp_path, {"bin/serve.sh": "uvicorn svc.api:app\n"})
    [hit] = findings(tmp_path, "SRV010")
    assert hit.path is None and "svc/api.py (FastAPI)" in hit.message


def test_srv010_silent_with_recipe_or_when_the_service_is_an_example(tmp_path: Path) -> None:
    _bad(tmp_path)
    write_tree(tmp_path, {"deploy/k8s.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc\n"})
    assert findings(tmp_path, "SRV010") == []
    other = tmp_path / "other"
    write_tree(other, {"examples/serve/app.py": BAD_FASTAPI, "lib/__init__.py": ""})
    assert findings(other, "SRV010") == []


def test_srv010_silent_when_python_code_defines_the_container_image(tmp_path: Path) -> None:
    _bad(tmp_path)
    modal_app = (
        "import modal\n\n"
        'image = modal.Image.debian_slim().pip_install("fastapi", "torch")\n'
        'app = modal.App("svc", image=image)\n'
    )
    write_tree(tmp_path, {"deploy_modal.py": modal_app})
    assert findings(tmp_path, "SRV010") == []


def test_srv010_still_fires_when_a_module_only_calls_a_modal_function(tmp_path: Path) -> None:
    _bad(tmp_path)
    client = 'import modal\n\nf = modal.Function.from_name("svc", "predict")\nprint(f.remote(1))\n'
    write_tree(tmp_path, {"client.py": client})
    assert len(findings(tmp_path, "SRV010")) == 1


def test_srv010_silent_when_the_project_writes_its_dockerfile_from_a_template(tmp_path: Path) -> None:
    # a serving library's `containerize` command writes the Dockerfile for its users from a template
    _bad(tmp_path)
    builder = (
        'TEMPLATE = """FROM python:{python}-slim\\nCOPY . /app\\nRUN pip install -r /app/requirements.txt\\n'
        'CMD ["python", "/app/{entry}"]\\n"""\n\n\n'
        "def write_dockerfile(python: str, entry: str) -> None:\n"
        "    with open('Dockerfile', 'w') as out:\n"
        "        out.write(TEMPLATE.format(python=python, entry=entry))\n"
    )
    write_tree(tmp_path, {"svc/containerize.py": builder})
    assert findings(tmp_path, "SRV010") == []
    jinja = tmp_path / "jinja"
    _bad(jinja)
    write_tree(jinja, {"svc/templates/image.j2": 'FROM {{ base_image }}\nCOPY . /app\nENTRYPOINT ["serve"]\n'})
    assert findings(jinja, "SRV010") == []


def test_srv010_still_fires_when_a_string_merely_has_a_from_line(tmp_path: Path) -> None:
    _bad(tmp_path)
    queries = 'QUERY = """SELECT id, label\nFROM predictions\nWHERE score > 0.5\n"""\n'
    write_tree(tmp_path, {"svc/queries.py": queries, "svc/templates/report.j2": "FROM the desk of {{ name }}\n"})
    assert len(findings(tmp_path, "SRV010")) == 1


def test_srv010_a_local_tool_opened_in_the_users_browser_is_deployed_by_installing_it(tmp_path: Path) -> None:
    cli = (
        "import webbrowser\n\nimport uvicorn\n\nfrom svc.api import app\n\n\n"
        "def start(port: int = 8080) -> None:\n    webbrowser.open({url})\n    uvicorn.run(app, port=port)\n"
    )
    _bad(tmp_path / "local")
    write_tree(tmp_path / "local", {"svc/cli.py": cli.format(url="f'http://127.0.0.1:{port}/'")})
    assert findings(tmp_path / "local", "SRV010") == []
    _bad(tmp_path / "remote")  # a link to a hosted dashboard is no local tool
    write_tree(tmp_path / "remote", {"svc/cli.py": cli.format(url="f'https://dash.example.com:{port}/'")})
    assert len(findings(tmp_path / "remote", "SRV010")) == 1


def test_srv010_silent_for_a_library_adding_routes_to_its_callers_app(tmp_path: Path) -> None:
    write_tree(tmp_path, {"chainserve/__init__.py": "", "chainserve/routes.py": ROUTES_LIBRARY})
    assert findings(tmp_path, "SRV010") == []


def test_srv010_fires_when_the_project_builds_the_app_it_adds_the_routes_to(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"svc/__init__.py": "", "svc/routes.py": ROUTES_LIBRARY, "svc/app.py": APP_FACTORY},
    )
    [hit] = findings(tmp_path, "SRV010")
    assert "svc/routes.py (FastAPI)" in hit.message
