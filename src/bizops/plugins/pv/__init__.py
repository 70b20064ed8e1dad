"""PV firm (浙江诚兴光伏公司, 光伏公司): travel requests and claims of the sales department.

Spec: `spec/pv.md`; seed `002_87f9229e6d9aab7e.txt` lines 831–895, 销售部上门开展业务管理制度.

- `bizops expense request`: the approval chain, the travel advance (at most
  500), warnings on flying and on planned trips longer than the limits.
- `bizops expense claim`: allowance, transport leg by leg, client meals, the
  paperwork flags and the balance against the advance. A claim is one JSON
  object with its `legs`, or CSV rows grouped by `trip_id` (one row per leg).

Status of a claim (the spec leaves it open): a claim is a decision, so it is
`ok`, with the parts not paid listed in `disallowed`, unless the whole trip is
the employee's own: a trip to a customer beyond the second
(`pv.claim.same_customer`) or a trip an invited colleague claims
(`pv.claim.invited`). Those are `refused` (exit 1) with a `reason`, one
`disallowed` item `trip` carrying everything claimed, and a balance asking the
advance back. A claim whose every line is disallowed for its own reasons
(no invoices, say) is still `ok` with a total of 0.00. Flags (absence, late or
missing reports) never change the money or the status.

Choices where the spec is silent:
- `reason` is written for claims too (null when ok), as the contract asks of every decision.
- Who reviews: the department head for Jinhua local transport and Jinhua taxis
  (the general manager when the claimant is a department head: nobody reviews
  their own claim); finance for the other lines under review (a sleeper without
  hours, a ticket above its class without `entitled_fare`, a taxi without
  from–to, a night ride without its time).
- A city bus outside Jinhua prefecture is paid as recorded (the seed restricts
  only taxis). A train or ship leg without a class is paid as ticketed (ship:
  as economy), with a warning.
- A coach or ship leg with `invoice` absent counts as no invoice (not paid).
- A paid mode without a `fare` is an invalid row, never a zero; company cars,
  own vehicles and host transport may leave it empty.
- `gm_flight_approval` on the trip pays every plane leg; on a leg, that leg
  only (another leg's consent is not this flight's, and its `false` stands).
  In a spreadsheet of leg rows the column is the trip's, whichever row holds
  it: a field the trip has is never read as a leg's.
- Every claim of a customer visit adds one trip to the ledger under `--record`
  (kind `trips`, key `employee|customer`), the unpaid third one and an invited
  colleague's visit included: they are visits all the same.
- `depart`/`return` accept dates or datetimes; a bare date reads as midnight and
  a return given as a bare date on the departure day is not "before" it.
"""

from __future__ import annotations

from bizops.api import hookimpl, map_rows

from .spec import COMPANY


@hookimpl
def bizops_company():
    return COMPANY


@hookimpl
def bizops_expense(kind, requests, policy, context):
    if kind == "request":
        from .request import Requests

        return map_rows(requests, Requests(policy, context).decide)
    from .claim import Claims

    return map_rows(requests, Claims(policy, context).decide)
