"""Provides every rule, one module per rule under `<practice>/`, named after its code."""
