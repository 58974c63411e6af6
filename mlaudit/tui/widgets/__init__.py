"""Provides the app's widgets: scan progress, the practice and findings tables, the code view."""
