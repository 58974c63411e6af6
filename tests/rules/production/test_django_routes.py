"""Tests of how Django and Django REST framework views are found as route handlers of a web service."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Status
from mlaudit.rules.production._shared import find_routes, is_health_route
from tests.helpers import project_of, run_audit, write_tree

VIEWS = """from django.http import JsonResponse
from rest_framework import viewsets
from rest_framework.decorators import action, api_view
from rest_framework.response import Response
from rest_framework.views import APIView

from .serializers import TextSerializer


class PredictView(APIView):
    def post(self, request):
        serializer = TextSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.data)

    def _clean(self, text):
        return text.strip()


class DocumentViewSet(viewsets.ModelViewSet):
    serializer_class = TextSerializer

    def list(self, request):
        return super().list(request)

    @action(detail=True, methods=["post"])
    def relabel(self, request, pk=None):
        return Response({"ok": True})


@api_view(["GET"])
def version(request):
    return Response({"version": "1"})


def health(request):
    return JsonResponse({"status": "ok"})


def client_ip(request):
    return request.META.get("REMOTE_ADDR")
"""
URLS = """from django.urls import path

from . import views

urlpatterns = [
    path("health/", views.health),
    path("predict/", views.PredictView.as_view(), name="predict"),
]
"""
COMMAND = """from django.core.management.base import BaseCommand


class Command(BaseCommand):
    def handle(self, *args, **options):
        self.stdout.write("done")

    def get(self, key):
        return key
"""


def _names(root: Path) -> dict[str, str | None]:
    return {f"{r.pf.path}:{r.func.name}": r.path for r in find_routes(project_of(root))}


def test_drf_views_viewset_actions_api_view_and_routed_functions_are_handlers(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app/__init__.py": "", "app/views.py": VIEWS, "app/urls.py": URLS})
    routes = _names(tmp_path)
    assert routes == {
        "app/views.py:health": "health/",
        "app/views.py:post": "predict/",
        "app/views.py:list": None,
        "app/views.py:relabel": None,
        "app/views.py:version": None,
    }
    health = [r for r in find_routes(project_of(tmp_path)) if r.func.name == "health"]
    assert is_health_route(health[0])


def test_a_health_view_class_is_named_by_its_class(tmp_path: Path) -> None:
    views = "from django.views import View\n\n\nclass HealthCheckView(View):\n    def get(self, request):\n        return None\n"
    write_tree(tmp_path, {"app/__init__.py": "", "app/views.py": views})
    assert [is_health_route(r) for r in find_routes(project_of(tmp_path))] == [True]


def test_management_command_and_unrouted_helpers_are_not_handlers(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app/__init__.py": "", "app/management/commands/train.py": COMMAND})
    assert _names(tmp_path) == {}
    practice = run_audit(tmp_path).practice("production")
    assert practice.status is Status.NOT_APPLICABLE


def test_views_module_of_a_project_without_django_is_no_service(tmp_path: Path) -> None:
    views = "class PlotView:\n    def get(self, request):\n        return request\n\n\ndef show(request):\n    return request\n"
    urls = "from . import views\n\nurlpatterns = [path('x', views.show)]\n\n\ndef path(route, view):\n    return route, view\n"
    write_tree(tmp_path, {"viz/__init__.py": "", "viz/views.py": views, "viz/urls.py": urls})
    assert _names(tmp_path) == {}


def test_url_patterns_with_keywords_give_the_path_and_a_task_status_view_is_no_probe(tmp_path: Path) -> None:
    views = (
        "from rest_framework.views import APIView\n\n\nclass TaskStatus(APIView):\n"
        "    def get(self, request, task_id):\n        return None\n"
    )
    urls = (
        "from django.urls import path\n\nfrom .views import TaskStatus\n\n"
        'urlpatterns = [path(route="tasks/<task_id>/status", view=TaskStatus.as_view())]\n'
    )
    write_tree(tmp_path, {"app/__init__.py": "", "app/views.py": views, "app/urls.py": urls})
    routes = find_routes(project_of(tmp_path))
    assert [(r.path, is_health_route(r)) for r in routes] == [("tasks/<task_id>/status", False)]
