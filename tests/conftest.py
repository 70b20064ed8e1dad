"""Shared fixtures: `bizops_run` and `bizops_plugin` come from `bizops.testing` (a pytest11 plugin)."""
