"""General rules (seed 003, 工厂业务员规范制度): what every company gets from bizops itself.

Not a company: these rules belong to no single one. The core registers them as
its default answers (`bizops.core.defaults`), asked for every company after
the company's own plugins, so a company's plugin may answer instead (its own
collection steps) or change only the thresholds (a `Setting` of the same name
in its `Company`, or an `Extension`'s defaults, or its config table).

- `spec.py`: the settings every company gets, the `receivables` command's
  fields, options and columns, the rules and the labels of its values.
- `receivables.py`: ageing and the next collection step (`bizops receivables`).
- `cases.toml`: the rule cases, boundaries included; they name no company and
  hold for each (`bizops --company pile check …/general/cases.toml`).

Like a company plugin, this package imports only `bizops.api`.
"""
