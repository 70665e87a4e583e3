"""Versions. API_VERSION is what plugins check (`Manifest.requires_core`); it changes only when the plugin surface does."""

__version__ = "0.1.0"
API_VERSION = "1.2"  # 1.1: connections take `last` and `before` (list_page, paginate, paginate_each);
#                     1.2: ConsolePage(script=...), a console page a plugin draws with its own script
