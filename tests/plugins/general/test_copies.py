"""`Copies`: every repeated listing is a suspect, and few others are, in memory that does not grow."""

from __future__ import annotations

from bizops.plugins.general.copies import Copies, listing_of


def test_every_repeat_is_a_suspect_and_few_others_are():
    copies = Copies()
    listings = [listing_of(f"INV-{i}", f"客户{i % 500}", f"{i % 997}.00", 739_000 + i % 365) for i in range(200_000)]
    assert sum(copies.add(x) for x in listings[:100_000]) < 20  # seen before, by chance: compared exactly later
    repeated = listings[10:20]
    assert all(copies.add(x) for x in repeated)  # a repeat is never missed
    for x in listings[100_000:]:
        copies.add(x)
    suspects = copies.suspects()
    assert set(repeated) <= suspects
    assert len(suspects) < 200  # 100,000 new listings after the first 100,000: about 0.02 % look seen
    assert copies.bits is None  # the bit array is let go once the first pass is over


def test_a_customer_is_compared_as_the_ledger_keys_it():
    assert listing_of("A1", "广州甲公司（番禺）", "10.00", 1) == listing_of("A1", "广州甲公司(番禺)", "10.00", 1)
    assert listing_of("A1", "甲", "10.00", 1) != listing_of("A1", "甲", "10.00", 2)  # another instalment
