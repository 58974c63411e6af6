"""Provides named, typed facts about a project, computed once and shared by rules and capabilities."""
