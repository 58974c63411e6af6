"""Provides the app's screens: dashboard, findings of a practice, finding detail, help."""
