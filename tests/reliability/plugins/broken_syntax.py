"""A plugin with a syntax error: it must be reported by name, and nothing else break."""

from bizops.api import hookimpl

@hookimpl
def bizops_company()
    return None
