"""Provides the report views: JSON, text, markdown, fix-it, SARIF; each a pure function of a Report."""
