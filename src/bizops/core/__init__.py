"""The core every company plugin plugs into: hooks, plugins, policy, values, I/O, ledger."""
