def test_spec_example_quote(bizops_run):
    r = bizops_run(
        "--company",
        "cable",
        "quote",
        "--guide-price",
        "100.00",
        "--qty",
        "10",
        "--no-vat-invoice",
        "--discount-pct",
        "2",
        "--fee-pct",
        "5",
        "--format",
        "json",
    )
    assert r.exit_code == 0, r
    out = r.json()
    assert (out["unit_price"], out["total"], out["commission_cut_pct"]) == ("96.84", "968.40", "0.2")
