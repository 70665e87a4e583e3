"""Bundled plugins: each folder is one plugin, shaped like any third-party one (see docs/plugins.md)."""
