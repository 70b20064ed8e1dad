"""The customer's owner (schema 3): `ledger import-customers` with owner and filed_on; the earliest filer owns.

Seed 000 line 67: the first to file a new customer owns it. `receivables` and
`commission` credit a row that names no salesperson to that owner. SQLite and
PostgreSQL alike; the ledger is read back with its own client.
"""

from __future__ import annotations

import json
from pathlib import Path

from bizops.core.ledger import codec
from bizops.core.ledger.schema import MIGRATIONS, SCHEMA_VERSION

REPO = Path(__file__).resolve().parents[3]
CUSTOMERS = REPO / "examples/receivables/customers.csv"


def receivables(bizops_run, db, *rows: dict, company: str = "airline"):
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    return bizops_run(
        "--company", company, "receivables", "-", "--input-format", "jsonl", "--as-of", "2026-12-01",
        "--db", db.url, "--format", "json", input=lines,
    )  # fmt: skip


def test_the_earliest_filer_owns_the_customer_whatever_the_import_order(bizops_run, db, tmp_path):
    first = bizops_run(
        "--company", "airline", "ledger", "import-customers", str(CUSTOMERS), "--db", db.url, "--format", "json"
    )
    assert first.exit_code == 0, first
    # 7 rows, 中山宏远照明 twice: 6 customers, 7 filings.
    assert first.json()[0] | {"file": None} == {
        "company": "airline", "file": None, "rows": 7, "added": 6, "known": 1, "invalid": 0, "filed": 7,
    }  # fmt: skip
    # Filed by 李明 on 2025-06-10 and by 王芳 on 2025-03-02 (later in the file): 王芳 filed first.
    assert db.sql("SELECT owner, filed_on FROM bizops_owners WHERE customer = '中山宏远照明'") == [
        ("王芳", "2025-03-02")
    ]
    r = receivables(bizops_run, db, {"customer": "中山宏远照明", "amount": "100.00", "due_date": "2026-12-20"})
    assert r.json()[0]["salesperson"] == "王芳" and r.json()[0]["warnings"] == []
    # Importing the same list again files nothing; a list naming an even earlier filer makes them the owner.
    again = bizops_run(
        "--company", "airline", "ledger", "import-customers", str(CUSTOMERS), "--db", db.url, "--format", "json"
    )
    assert (again.json()[0]["added"], again.json()[0]["filed"]) == (0, 0)
    earlier = tmp_path / "earlier.csv"
    earlier.write_text("客户名称,业务员,建档日期\n　中山宏远照明 ,张伟,2024/12/31\n", encoding="utf-8")
    more = bizops_run(
        "--company", "airline", "ledger", "import-customers", str(earlier), "--db", db.url, "--format", "json"
    )
    assert (more.json()[0]["known"], more.json()[0]["filed"]) == (1, 1)  # the normalised key: the same customer
    r = receivables(bizops_run, db, {"customer": "中山宏远照明", "amount": "100.00", "due_date": "2026-12-20"})
    assert r.json()[0]["salesperson"] == "张伟"
    # A company's filings are its own: cable knows no owner of airline's customer.
    r = receivables(
        bizops_run, db, {"customer": "中山宏远照明", "amount": "100.00", "due_date": "2026-12-20"}, company="cable"
    )
    assert r.json()[0]["salesperson"] == "" and "no salesperson" in r.json()[0]["warnings"][0]
    filings = bizops_run("ledger", "export", "--table", "filings", "--db", db.url, "--format", "json").json()
    assert [(f["customer"], f["owner"], f["filed_on"]) for f in filings][-1] == ("中山宏远照明", "张伟", "2024-12-31")


def test_a_row_naming_its_salesperson_keeps_it_and_the_trace_names_the_owner(bizops_run, db):
    assert (
        bizops_run("--company", "airline", "ledger", "import-customers", str(CUSTOMERS), "--db", db.url).exit_code == 0
    )
    rows = [
        {"customer": "佛山明辉机电", "amount": "10.00", "due_date": "2026-12-20", "salesperson": "王芳"},
        {"customer": "佛山明辉机电", "amount": "10.00", "due_date": "2026-12-20"},
    ]
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    r = bizops_run(
        "--company", "airline", "--explain", "receivables", "-", "--input-format", "jsonl", "--as-of", "2026-12-01",
        "--db", db.url, "--format", "json", input=lines,
    )  # fmt: skip
    first, second = r.json()
    assert (first["salesperson"], second["salesperson"]) == ("王芳", "李明")
    owner = [t for t in second["trace"] if t["rule"] == "receivables.owner"]
    assert owner and "李明" in owner[0]["effect"] and owner[0]["clause"].startswith("000")
    assert not [t for t in first["trace"] if t["rule"] == "receivables.owner"]


def test_commission_credits_the_owner(bizops_run, db, tmp_path):
    assert bizops_run("--company", "cable", "ledger", "import-customers", str(CUSTOMERS), "--db", db.url).exit_code == 0
    config = tmp_path / "bizops.toml"
    config.write_text("[company.cable]\ncommission_pct = 3\n", encoding="utf-8")
    lines = '{"customer": "广州恒通电气", "amount": "1000.00", "collected_on": "2026-11-03"}\n'
    r = bizops_run(
        "--company", "cable", "--config", str(config), "commission", "-", "--input-format", "jsonl",
        "--db", db.url, "--format", "json", input=lines,
    )  # fmt: skip
    assert r.exit_code == 0, r
    assert [(x["salesperson"], x["commission"]) for x in r.json()] == [("王芳", "30.00")]


def test_a_filing_without_a_readable_day_or_owner_is_a_bad_row(bizops_run, db, tmp_path):
    sheet = tmp_path / "customers.csv"
    sheet.write_text("name,owner,filed_on\n甲,李,2025-13-01\n乙,,2025-01-01\n丙,王,45658\n", encoding="utf-8")
    r = bizops_run("--company", "airline", "ledger", "import-customers", str(sheet), "--db", db.url, "--format", "json")
    assert r.exit_code == 65, r
    assert "row 2: filed_on: must be a date" in r.stderr and "row 3: filed_on 2025-01-01 names no owner" in r.stderr
    assert (r.json()[0]["added"], r.json()[0]["invalid"], r.json()[0]["filed"]) == (1, 2, 1)
    # 45658 is how Excel writes 2025-01-01 in a cell saved as a number.
    assert db.sql("SELECT customer, owner, filed_on FROM bizops_filings") == [("丙", "王", "2025-01-01")]


def test_other_names_for_the_filer_and_the_day_and_a_filing_without_a_day_is_said(bizops_run, db, tmp_path):
    """Found attacking the ledger: a list headed 客户名称, 销售员, 备案日期 was imported as filed today,
    its 备案日期 kept as an unread field and nothing said: a later filer could take the customer."""
    listed = tmp_path / "客户.csv"
    listed.write_text("客户名称,销售员,备案日期\n恒通电器,李明,2024/5/6\n", encoding="utf-8")
    r = bizops_run("--company", "cable", "ledger", "import-customers", str(listed), "--db", db.url, "--format", "json")
    assert r.exit_code == 0 and r.json()[0]["filed"] == 1 and r.stderr == "", r
    assert db.sql("SELECT owner, filed_on FROM bizops_owners WHERE customer = '恒通电器'") == [("李明", "2024-05-06")]
    undated = tmp_path / "无日期.csv"
    undated.write_text("客户名称,业务员\n华强五金,王芳\n瑞丰电子,王芳\n", encoding="utf-8")
    r = bizops_run(
        "--company", "cable", "--lang", "zh", "ledger", "import-customers", str(undated), "--db", db.url,
        "--format", "json",
    )  # fmt: skip
    assert r.exit_code == 0 and r.json()[0]["filed"] == 2, r
    assert r.stderr.startswith("警告：2 条建档记录有业务员但没有建档日期"), r.stderr
    assert "备案日期" in r.stderr


def test_a_crm_export_gives_the_moment_each_customer_was_created(bizops_run, db, tmp_path):
    """Found attacking the ledger with a CRM's customer export: its day is 创建时间, written with the time
    (`2026-03-05 14:22:10`). Unread, all three filings were recorded as filed today, forever (filings are
    never changed), and 李明 got the customer 张伟 had filed two months before him."""
    export = tmp_path / "客户列表.csv"
    export.write_text(
        "客户名称,负责人,创建时间,联系电话,客户等级\n"
        "佛山明辉机电,李明,2026-03-05 14:22:10,13800138000,A\n"
        "东莞瑞丰电子,王芳,2025/11/20 9:05,13900139000,B\n"
        "佛山明辉机电,张伟,2026-01-02 08:00:00,13700137000,A\n",
        encoding="utf-8",
    )
    r = bizops_run("--company", "cable", "ledger", "import-customers", str(export), "--db", db.url, "--format", "json")
    assert r.exit_code == 0 and r.stderr == "", r
    assert r.json()[0]["filed"] == 3
    assert db.sql("SELECT customer, owner, filed_on FROM bizops_filings ORDER BY filed_on") == [
        ("东莞瑞丰电子", "王芳", "2025-11-20"),
        ("佛山明辉机电", "张伟", "2026-01-02"),
        ("佛山明辉机电", "李明", "2026-03-05"),
    ]
    aged = receivables(bizops_run, db, {"invoice": "A1", "customer": "佛山明辉机电", "amount": "100.00",
                                        "due_date": "2026-10-01"}, company="cable")  # fmt: skip
    assert [x["salesperson"] for x in aged.json()] == ["张伟"]


def test_filings_are_records_never_changed(bizops_run, db):
    assert (
        bizops_run("--company", "airline", "ledger", "import-customers", str(CUSTOMERS), "--db", db.url).exit_code == 0
    )
    try:
        db.sql("UPDATE bizops_filings SET owner = 'x'")
    except Exception as exc:  # sqlite3 or psycopg: the trigger refuses
        assert "never changed" in str(exc)
    else:
        raise AssertionError("a filing was changed")


def test_customers_imported_with_an_owner_before_schema_3_are_filed_by_the_migration(bizops_run, db):
    for statement in MIGRATIONS[1](db.kind):
        db.sql(statement)
    db.sql("CREATE TABLE IF NOT EXISTS bizops_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.sql("INSERT INTO bizops_meta (key, value) VALUES ('schema_version', '1')")
    for name, fields in (
        ("佛山明辉机电", {"owner": "李明", "filed_on": "2024-05-06", "city": "佛山"}),
        ("广州恒通电气", {"业务员": "王芳"}),  # no day: filed when imported
        ("深圳华强五金", {"city": "深圳"}),  # no owner
    ):
        db.sql(
            "INSERT INTO bizops_customers (company, name, fields, source, imported_at, user_name) VALUES (?, ?, ?, ?, ?, ?)",
            ("airline", name, codec.dumps(fields), "old.csv", "2025-09-01T10:00:00+08:00", "clerk"),
        )
    check = bizops_run("ledger", "check", "--db", db.url, "--format", "json")
    assert check.exit_code == 0, check
    assert db.sql("SELECT value FROM bizops_meta WHERE key = 'schema_version'") == [(str(SCHEMA_VERSION),)]
    assert sorted(db.sql("SELECT customer, owner, filed_on FROM bizops_owners")) == [
        ("佛山明辉机电", "李明", "2024-05-06"),
        ("广州恒通电气", "王芳", "2025-09-01"),
    ]


def test_a_crm_export_with_a_title_in_gb18030_and_a_totals_line(bizops_run, db, tmp_path):
    """Found attacking import-customers: a CRM export starts with its title (`客户档案导出,,,`) and is saved
    by Chinese Excel in GB18030; the import said 'no customer name column' (a CSV it could not otherwise
    read was refused as not UTF-8), and its last line `合计：3家` would have become a customer."""
    export = tmp_path / "客户档案.csv"
    export.write_bytes(
        "客户档案导出,,,\n客户名称,业务员,报备日期,联系电话\n广州甲公司（番禺）,张三,2026/1/5,020-1234\n"
        "佛山乙公司,李四,2026年2月3日,\n广州甲公司(番禺),王五,2026-03-01,\n合计：3家,,,\n".encode("gb18030")
    )
    r = bizops_run("--company", "cable", "ledger", "import-customers", str(export), "--db", db.url, "--format", "json")
    assert r.exit_code == 65, r
    assert r.json()[0] | {"file": None} == {
        "company": "cable", "file": None, "rows": 4, "added": 2, "known": 1, "invalid": 1, "filed": 3,
    }  # fmt: skip
    assert "row 6: a totals row (合计:3家), not a customer" in r.stderr and "GB18030" in r.stderr
    assert sorted(db.sql("SELECT customer, owner, filed_on FROM bizops_owners")) == [
        ("佛山乙公司", "李四", "2026-02-03"),
        ("广州甲公司(番禺)", "张三", "2026-01-05"),  # 王五 filed the same customer later
    ]


def test_a_json_customer_list_names_its_columns_as_a_table_does(bizops_run, db):
    """The import reads a table through the desk; JSON rows' keys are named the same way (`客户名称`, `customer`)."""
    lines = (
        '{"客户名称": "甲公司", "业务员": "张三", "报备日期": "2026-01-05"}\n'
        '{"customer": "乙公司"}\n{"name": "丙公司", "city": "广州"}\n'
    )
    r = bizops_run(
        "--company", "cable", "ledger", "import-customers", "-", "--db", db.url, "--format", "json", input=lines
    )  # fmt: skip
    assert r.exit_code == 0 and r.json()[0]["added"] == 3, r
    assert db.sql("SELECT customer, owner FROM bizops_owners") == [("甲公司", "张三")]
    assert sorted(db.sql("SELECT name, fields FROM bizops_customers")) == [
        ("丙公司", '{"city":"广州"}'),
        ("乙公司", "{}"),
        ("甲公司", "{}"),
    ]
