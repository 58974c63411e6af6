"""Benchmarks of mlaudit (run as scripts: `python -m benchmarks.<name>`)."""
