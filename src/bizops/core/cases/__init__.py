"""Rule cases as data: input → expected output, run the way the CLI runs them (`bizops check`).

A cases file pins a company's rules down without Python. TOML:

    company = "cable"
    [[case]]
    name = "spec example: 6 % no-VAT, 2 % special, 5 % fee"
    command = "quote"
    input = { guide_price = "100.00", qty = 10, vat_invoice = false }
    expect = { unit_price = "96.84", status = "ok" }

or JSON Lines, one case object a line (a line may carry `company`). A case has
a `name`, a `command`, its input (`input`, one request, or `inputs`, a stream),
optionally `now`, `policy` (values over the effective policy) and `options`
(the command's own), and what it expects: `expect` (a subset of the one
result), `expect_rows` (subsets of every result, in order), `expect_error` (a
piece of the error message, English or Chinese) and/or `expect_rules` (rule ids
that must appear in the trace).

Each case is run by `bizops.core.command.execute`, the function behind every
row command, with the case's policy, clock and options, no ledger history, and
a JSON writer into a buffer; the JSON it writes is what is compared. A file
that is not a cases file is exit 65; a case's policy the company refuses, 78.

The engine is three modules read in order: `loading` (a file to `Case`s,
checked against the company, each with its policy), `running` (a case
through `execute`, to an `Outcome`) and `judging` (an `Outcome` against the
case's expectations, and the rules that decided it). `bizops check` uses
them through the names below.
"""

from bizops.core.cases.judging import differences, judge, same, trace_of
from bizops.core.cases.loading import (
    CASE_KEYS,
    EXPECTATIONS,
    Case,
    CasesError,
    CasesFile,
    case_config,
    case_policy,
    check_inputs,
    load,
    parse,
    plain,
)
from bizops.core.cases.running import CaseSession, Outcome, outcome_of, run_rows

__all__ = [
    "CASE_KEYS",
    "EXPECTATIONS",
    "Case",
    "CaseSession",
    "CasesError",
    "CasesFile",
    "Outcome",
    "case_config",
    "case_policy",
    "check_inputs",
    "differences",
    "judge",
    "load",
    "outcome_of",
    "parse",
    "plain",
    "run_rows",
    "same",
    "trace_of",
]
