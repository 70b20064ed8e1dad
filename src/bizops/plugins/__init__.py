"""Built-in company plugins, one package per company (see `bizops.core.plugins.BUILTIN_PLUGINS`)."""
