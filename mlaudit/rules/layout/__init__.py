"""Provides the rules of the `layout` practice: a repo shaped like software, not notebooks."""

from __future__ import annotations
