"""No hooks: the plugin never gets as far as serving anything."""
