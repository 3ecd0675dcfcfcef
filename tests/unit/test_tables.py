"""Reading registry tables (policyrules.tables): values converted exactly, every fault located.

Each refused input names the table's file, the row (from 1, the header not counted), the
column, what is wrong and a hint.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

import policyrules
from policyrules.errors import LedgerError, TableError
from policyrules.tables import read_registry

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(ROOT / "policies" / "beijing_2025")


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _parquet(folder: Path, name: str, select: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    duckdb.sql(f"COPY ({select}) TO '{folder / name}' (FORMAT parquet)")


def _read(policy: policyrules.Policy, folder: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    read_registry(policy.checked, folder, con)
    return con


def _refused(policy: policyrules.Policy, folder: Path) -> str:
    with pytest.raises(TableError) as info:
        _read(policy, folder)
    return str(info.value)


FIRMS = "id,name\nfirm-a,甲\n0701,乙\n"


def test_csv_values_are_read_exactly(policy: policyrules.Policy, tmp_path: Path) -> None:
    reg = _write(
        tmp_path,
        {
            "firms.csv": FIRMS,
            "products.csv": (
                "id,firm_id,approved_on,launch_routes,launch_reward_decided,registration_cost,"
                "clinically_urgent\n"
                'A1,firm-a,2026-03-02,"[""national_priority_review""]",200万元,'
                '"12,345.67 元",true\n'
                "A2,firm-a,2026-05-20,[],1.5亿元,12.5,FALSE\n"
                "P1,0701,,,,,\n"
            ),
        },
    )
    con = _read(policy, reg)
    assert con.execute("SELECT id FROM firms ORDER BY id").fetchall() == [("0701",), ("firm-a",)]
    rows = con.execute(
        "SELECT id, firm_id, approved_on, launch_routes, launch_reward_decided, "
        "registration_cost, clinically_urgent FROM products ORDER BY id"
    ).fetchall()
    assert rows == [
        # 200万元 = 2,000,000 元 = 200,000,000 fen; 12,345.67 元 = 1,234,567 fen
        ("A1", "firm-a", dt.date(2026, 3, 2), ["national_priority_review"], 200_000_000,
         1_234_567, True),
        # 1.5亿元 = 150,000,000 元 = 15,000,000,000 fen; "12.5" (text) = 12.50 元 = 1,250 fen
        ("A2", "firm-a", dt.date(2026, 5, 20), [], 15_000_000_000, 1_250, False),
        ("P1", "0701", None, None, None, None, None),
    ]  # fmt: skip
    # A fact with no column, and an entity with no table, are there and empty.
    assert con.execute("SELECT count(*) FROM projects").fetchall() == [(0,)]
    assert con.execute(
        "SELECT count(*) FROM firms WHERE production_qualified IS NULL"
    ).fetchall() == [(2,)]


def test_parquet_decimal_money_rate_and_lists(policy: policyrules.Policy, tmp_path: Path) -> None:
    _parquet(
        tmp_path,
        "firms.parquet",
        "SELECT 'f1' AS id, CAST(2025 AS DECIMAL(4,0)) AS rd_investment_year",
    )
    _parquet(
        tmp_path,
        "projects.parquet",
        "SELECT 'J1' AS id, 'f1' AS firm_id, 'common_platform' AS kind, "
        "CAST(80000000 AS BIGINT) AS engineering_investment, "
        "CAST(1234.5 AS DECIMAL(10,2)) AS total_investment",
    )
    _parquet(
        tmp_path,
        "medicine_reports.parquet",
        "SELECT '12.5%' AS ethics_mutual_recognition_rate, CAST(3 AS INTEGER) AS pilot_ivd_filings",
    )
    con = _read(policy, tmp_path)
    # 80,000,000 元 (an integer column is whole 元) = 8,000,000,000 fen; 1,234.50 元 = 123,450 fen
    assert con.execute(
        "SELECT engineering_investment, total_investment FROM projects"
    ).fetchall() == [(8_000_000_000, 123_450)]
    # 12.5% is the fraction 0.125; a single entity's id is its name
    assert con.execute(
        "SELECT id, ethics_mutual_recognition_rate, pilot_ivd_filings FROM medicine_reports"
    ).fetchall() == [("medicine_reports", Decimal("0.125"), Decimal(3))]
    assert con.execute("SELECT rd_investment_year FROM firms").fetchall() == [(Decimal(2025),)]


def test_a_duckdb_database_is_a_registry(policy: policyrules.Policy, tmp_path: Path) -> None:
    db = tmp_path / "reg.duckdb"
    with duckdb.connect(str(db)) as c:
        c.execute("CREATE TABLE firms AS SELECT 'f1' AS id, true AS production_qualified")
    con = _read(policy, db)
    assert con.execute("SELECT id, production_qualified FROM firms").fetchall() == [("f1", True)]


def test_a_registry_without_a_table_is_refused(policy: policyrules.Policy, tmp_path: Path) -> None:
    """An empty directory (or one holding only hidden files), or a DuckDB file without a
    table, is no registry: it was run as one of no firm, exit 0, when a wrong folder was
    named."""
    msg = _refused(policy, _write(tmp_path / "empty", {}))
    assert "E620" in msg
    assert "empty: no table of the registry in it" in msg
    assert "NAME one of firms, products" in msg
    msg = _refused(policy, _write(tmp_path / "hidden", {".DS_Store": "x"}))
    assert "hidden: no table of the registry in it" in msg
    db = tmp_path / "none.duckdb"
    duckdb.connect(str(db)).close()
    assert "none.duckdb: no table of the registry in it" in _refused(policy, db)
    # one table is a registry: the entities without one have no rows
    con = _read(policy, _write(tmp_path / "one", {"firms.csv": FIRMS}))
    assert con.execute("SELECT count(*) FROM products").fetchone() == (0,)


def test_unknown_table_and_column(policy: policyrules.Policy, tmp_path: Path) -> None:
    msg = _refused(policy, _write(tmp_path / "a", {"firm.csv": FIRMS}))
    assert "E621" in msg
    assert "firm.csv: unknown table 'firm'" in msg
    assert "did you mean 'firms'?" in msg
    msg = _refused(policy, _write(tmp_path / "b", {"firms.csv": "id,nmae\nf1,x\n"}))
    assert "E622" in msg
    assert "firms.csv: column nmae: unknown column of firms" in msg
    assert "did you mean 'name'?" in msg
    msg = _refused(policy, _write(tmp_path / "c", {"firms.csv": FIRMS, "products.csv": "id\nA1\n"}))
    assert "E622" in msg
    assert "no column 'firm_id'" in msg


def test_an_integer_id_column_is_refused(policy: policyrules.Policy, tmp_path: Path) -> None:
    _parquet(tmp_path, "firms.parquet", "SELECT 701 AS id")
    msg = _refused(policy, tmp_path)
    assert "E623" in msg
    assert "column id: an id is text, but the column is INTEGER" in msg
    assert "leading zeros" in msg


def test_binary_float_money_is_refused(policy: policyrules.Policy, tmp_path: Path) -> None:
    _parquet(tmp_path, "firms.parquet", "SELECT 'f1' AS id, 1.5::DOUBLE AS import_reward_decided")
    msg = _refused(policy, tmp_path)
    assert "E623" in msg
    # It read "a money: money is exact, ..." (the type said as an article and a noun).
    assert "column import_reward_decided: declared money; money is exact, but the column" in msg
    assert "DOUBLE" in msg
    assert "DECIMAL(18,2)" in msg


def test_money_values_refused_with_row_and_column(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    reg = _write(
        tmp_path,
        {"firms.csv": "id,import_reward_decided\nf1,12.345\nf2,-5\nf3,lots\nf4,100万元\n"},
    )
    msg = _refused(policy, reg)
    assert "firms.csv: row 1, column import_reward_decided: not a whole number of fen" in msg
    assert "row 2, column import_reward_decided: money cannot be negative" in msg
    assert "row 3, column import_reward_decided: not an amount of money" in msg
    assert "row 4" not in msg
    _parquet(
        tmp_path / "p",
        "firms.parquet",
        "SELECT 'f1' AS id, 1.005::DECIMAL(10,3) AS import_reward_decided",
    )
    assert "row 1, column import_reward_decided: not a whole number of fen" in _refused(
        policy, tmp_path / "p"
    )


def test_rates_need_percent(policy: policyrules.Policy, tmp_path: Path) -> None:
    reg = _write(tmp_path, {"medicine_reports.csv": "ethics_mutual_recognition_rate\n30\n"})
    msg = _refused(policy, reg)
    assert "E628" in msg
    assert 'a rate is written with %: "30"' in msg
    assert "write 30%" in msg
    (reg / "medicine_reports.csv").write_text("ethics_mutual_recognition_rate\n130%\n")
    assert 'a rate above 100%: "130%"' in _refused(policy, reg)
    _parquet(
        tmp_path / "p",
        "medicine_reports.parquet",
        "SELECT 0.3::DECIMAL(3,2) AS ethics_mutual_recognition_rate",
    )
    msg = _refused(policy, tmp_path / "p")
    assert "E623" in msg
    assert "a rate is written with %" in msg


def test_dates_enums_bools_lists(policy: policyrules.Policy, tmp_path: Path) -> None:
    reg = _write(
        tmp_path,
        {
            "firms.csv": "id,production_qualified\nf1,yes\n",
            "products.csv": (
                "id,firm_id,approved_on,overseas_authority,launch_routes\n"
                'A1,f1,2026/05/01,FDX,"[""national_priorty_review""]"\n'
                "A2,f1,2026-02-30,FDA,[oops\n"
            ),
        },
    )
    msg = _refused(policy, reg)
    assert (
        'firms.csv: row 1, column production_qualified: true or false is expected, not "yes"' in msg
    )
    assert 'products.csv: row 1, column approved_on: not a date: "2026/05/01"' in msg
    assert "E629" in msg
    assert "YYYY-MM-DD" in msg
    assert 'row 2, column approved_on: not a day of the calendar: "2026-02-30"' in msg
    assert 'row 1, column overseas_authority: not a member of Authority: "FDX"' in msg
    assert "did you mean 'FDA'?" in msg
    assert 'not a member of LaunchRoute: "national_priorty_review"' in msg
    assert "did you mean 'national_priority_review'?" in msg
    assert 'row 2, column launch_routes: not a list: "[oops"' in msg


def test_ids_duplicate_blank_and_orphan(policy: policyrules.Policy, tmp_path: Path) -> None:
    reg = _write(tmp_path / "a", {"firms.csv": "id\nf1\nf1\n"})
    msg = _refused(policy, reg)
    assert "E625" in msg
    assert "the id f1 is used twice (rows 1, 2)" in msg
    # The same product id under two firms is two products; under one firm, twice.
    reg = _write(
        tmp_path / "b",
        {"firms.csv": "id\nf1\nf2\n", "products.csv": "id,firm_id\nA1,f1\nA1,f2\nA1,f2\n"},
    )
    assert "the id A1 is used twice under firm f2 (rows 2, 3)" in _refused(policy, reg)
    reg = _write(tmp_path / "c", {"firms.csv": 'id\nf1\n" "\n'})
    msg = _refused(policy, reg)
    assert "E624" in msg
    assert "row 2, column id: an id is empty or only white space" in msg
    reg = _write(tmp_path / "d", {"firms.csv": "id\nf1\n", "products.csv": "id,firm_id\nA1,f2\n"})
    msg = _refused(policy, reg)
    assert "E626" in msg
    assert "row 1, column firm_id: no firm f2 in firms" in msg


def test_jsonl_fraction_numbers_are_refused(policy: policyrules.Policy, tmp_path: Path) -> None:
    reg = _write(
        tmp_path,
        {
            "firms.jsonl": '{"id": "f1", "import_reward_decided": 100}\n'
            '{"id": "f2", "import_reward_decided": 12.5}\n'
        },
    )
    msg = _refused(policy, reg)
    assert "E623" in msg
    assert "row 2, column import_reward_decided" in msg
    assert "binary float" in msg
    (reg / "firms.jsonl").write_text(
        '{"id": "f1", "import_reward_decided": 100, "new_approval_years": [2025, 2024]}\n'
        '{"id": "f2", "import_reward_decided": "12.5 元"}\n'
    )
    msg = _refused(policy, reg)  # a number and a text in one column
    assert "values of several kinds" in msg
    (reg / "firms.jsonl").write_text(
        '{"id": "f1", "import_reward_decided": "100万元", "new_approval_years": [2025, 2024]}\n'
    )
    con = _read(policy, reg)
    # a set is sorted; 100万元 = 100,000,000 fen
    assert con.execute(
        "SELECT import_reward_decided, new_approval_years FROM firms"
    ).fetchall() == [(100_000_000, [Decimal(2024), Decimal(2025)])]


def test_single_entity_has_one_row(policy: policyrules.Policy, tmp_path: Path) -> None:
    reg = _write(tmp_path, {"reports.csv": "passive_inspection_days\n[3]\n[4]\n"})
    msg = _refused(policy, reg)
    assert "E630" in msg
    assert "2 rows; reports is one record" in msg


def test_not_a_registry(policy: policyrules.Policy, tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("hello")
    assert "E620" in _refused(policy, tmp_path / "x.txt")
    assert "E620" in _refused(policy, tmp_path / "missing")
    reg = _write(tmp_path / "m", {"firms.csv": "id,name\nf1,a,extra\nf2\n"})
    msg = _refused(policy, reg)
    assert "E620" in msg
    assert "m/firms.csv: cannot read the table" in msg
    assert "as many cells in each row" in msg
    reg = _write(tmp_path / "r", {"firms.csv": "id\nf1\n", "firms.jsonl": '{"id": "f1"}\n'})
    assert "the table 'firms' is also given by" in _refused(policy, reg)


# ---- the ledger table ----------------------------------------------------------------------

LAUNCH = "jjxf_2025_50/3/launch_reward"


def _ledger_refused(policy: policyrules.Policy, folder: Path, ledger: str) -> str:
    _write(folder, {"firms.csv": "id\nf1\n", "ledger.csv": ledger})
    with pytest.raises(LedgerError) as info:
        policy.evaluate_batch(folder)
    return str(info.value)


@pytest.mark.parametrize(
    ("rows", "code", "says"),
    [
        (f"{LAUNCH[:-1]},f1,A0,200万元,2026", "E321", "unknown provision"),
        (f"{LAUNCH},,A0,200万元,2026", "E322", "no `firm`"),
        (f"{LAUNCH},f1,A0,lots,2026", "E324", "row 1, column amount: not an amount of money"),
        (f"{LAUNCH},f1,A0,200万元,", "E325", "no year"),
        (f"{LAUNCH},f1,A0,200万元,twenty", "E325", "row 1, column year"),
        (f"{LAUNCH},f1,A0,200万元,2026\n{LAUNCH},f1,A0,200万元,2026", "E326", "listed twice"),
        (f"{LAUNCH},f1,A0,1万元,2025\n{LAUNCH},f1,A0,1万元,2026", "E328", "paid once per product"),
        (f"{LAUNCH},f1,A0,300万元,2026", "E329", "against 200 万元 (REG row 1)"),
        (
            "\n".join(f"{LAUNCH},f1,A{i},200万元,2026" for i in range(6)),
            "E329",
            "6 grant(s) total 1200 万元 against 1000 万元 (REG row 1, REG row 2, REG row 3, "
            "REG row 4, REG row 5 and 1 more)",
        ),
    ],
)
def test_ledger_table_checks(
    policy: policyrules.Policy, tmp_path: Path, rows: str, code: str, says: str
) -> None:
    msg = _ledger_refused(policy, tmp_path, f"provision,firm,product,amount,year\n{rows}\n")
    assert code in msg
    assert says.replace("REG", str(tmp_path / "ledger.csv")) in msg


def test_ledger_table_unknown_column(policy: policyrules.Policy, tmp_path: Path) -> None:
    msg = _ledger_refused(policy, tmp_path, f"provision,firm,prodcut,amount\n{LAUNCH},f1,A0,1\n")
    assert "E323" in msg
    assert "did you mean 'product'?" in msg


@pytest.mark.parametrize(
    ("firm_id", "message"),
    [
        ('" "', "an id is empty or only white space"),
        ('"f\x1b1"', "an id holds a control character"),
        ("", "no id"),
    ],
)
def test_an_owner_id_column_is_checked_row_by_row_where_a_value_is_faulty(
    policy: policyrules.Policy, tmp_path: Path, firm_id: str, message: str
) -> None:
    """An owner's id column is checked once per distinct value; a faulty value is still
    reported on each row that holds it (rows 2 and 3), with its column."""
    products = f"id,firm_id\nA1,f1\nA2,{firm_id}\nA3,{firm_id}\n"
    reg = _write(tmp_path, {"firms.csv": "id\nf1\n", "products.csv": products})
    msg = _refused(policy, reg)
    assert "E624" in msg
    assert f"row 2, column firm_id: {message}" in msg
    assert f"row 3, column firm_id: {message}" in msg


def test_a_one_time_award_paid_twice_names_each_grants_place(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    """A0 paid in 2025 by the registry's ledger table and in 2026 by a ledger file: the
    E328 names both places, as ``eval`` does (the row of the table, the file)."""
    reg = tmp_path / "r"
    _write(
        reg,
        {
            "firms.csv": "id\nf1\n",
            "ledger.csv": f"provision,firm,product,amount,year\n{LAUNCH},f1,A0,1万元,2025\n",
        },
    )
    given = [{"provision": LAUNCH, "firm": "f1", "product": "A0", "amount": "1万元", "year": 2026}]
    with pytest.raises(LedgerError) as info:
        policy.evaluate_batch(reg, ledger=given, ledger_file="L.yaml")
    msg = str(info.value)
    assert "E328" in msg
    assert "paid 2 times in the ledger (" in msg
    assert f"{reg / 'ledger.csv'} row 1, L.yaml row 1" in msg


@pytest.mark.parametrize(
    ("firms", "said"),
    [
        # DuckDB's detection took the longer row for the header: "column B: unknown column".
        (
            "id,name\nf1,甲\nf2,乙,x\n",
            "firms.csv: cannot read the table: a row has 3 cells, the header 2: 'f2,乙,x'",
        ),
        (
            "id,name\nf1\nf2,乙\n",
            "firms.csv: cannot read the table: a row has 1 cells, the header 2: 'f1'",
        ),
        # a newline inside quotes before it: the row said by its text, not a line number
        (
            'id,name\nf1,"甲\n乙"\nf2,乙,x\n',
            "firms.csv: cannot read the table: a row has 3 cells, the header 2: 'f2,乙,x'",
        ),
        # DuckDB stops counting at the first cell too many: "Found: 3"
        (
            "id,name\nf1,甲\nf2,乙,1,000\n",
            "firms.csv: cannot read the table: a row has 4 cells, the header 2: 'f2,乙,1,000'",
        ),
        (
            'id,name\nf1,甲\nf2,"乙,x",y,z\n',
            "firms.csv: cannot read the table: a row has 4 cells, the header 2: 'f2,\"乙,x\",y,z'",
        ),
        ("id,id\nf1,f2\n", "firms.csv: the header names 'id' twice"),
        ("id,name,Name\nf1,a,b\n", "firms.csv: the header names 'Name', 'name' twice"),
        ("id,name,\nf1,a,\n", "firms.csv: column 3 of the header has no name"),
        ("", "firms.csv: no header row"),
        ("\n\n", "firms.csv: no header row"),
    ],
)
def test_a_csv_row_of_another_length_is_named(
    policy: policyrules.Policy, tmp_path: Path, firms: str, said: str
) -> None:
    """A new user's trial: a row of four cells under a header of three was read as the
    header (every column then "unknown"), one of two as "Error when sniffing file"."""
    reg = _write(tmp_path / "reg", {"firms.csv": firms})
    text = _refused(policy, reg)
    assert "error[E620]" in text
    assert said in text


@pytest.mark.parametrize(
    "firms",
    [
        "\ufeffid,name\nf1,甲\n",  # a byte order mark
        "id, name \nf1,甲\n",  # spaces around a name, as DuckDB's detection read them
        "\nid,name\nf1,甲\n",  # a blank line before the header
        "id,name\r\nf1,甲\r\n",
    ],
)
def test_a_csv_header_is_read_as_duckdb_read_it(
    policy: policyrules.Policy, tmp_path: Path, firms: str
) -> None:
    """The header read before DuckDB reads the rows (a review of the change that did it:
    spaces and a blank first line were refused)."""
    reg = _write(tmp_path / "reg", {"firms.csv": firms})
    con = _read(policy, reg)
    assert con.execute("SELECT id, name FROM firms").fetchall() == [("f1", "甲")]


@pytest.mark.parametrize(
    ("ledger_firm", "product"),
    [("701", "A0"), ("701.0", "A0"), ("0701", "0007")],
)
def test_a_ledger_id_that_lost_its_zeros_is_refused(
    policy: policyrules.Policy, tmp_path: Path, ledger_firm: str, product: str
) -> None:
    """A ledger saved back from a spreadsheet: firm 0701's grant written for 701 (or 701.0,
    or its product 007 as 0007) matched no claim of 0701, so its one-time award and caps
    were paid again, silently."""
    reg = _write(
        tmp_path / "r",
        {
            "firms.csv": "id\n0701\n",
            "products.csv": "id,firm_id\n007,0701\n",
            "ledger.csv": (
                "provision,firm,product,amount,year\n"
                f"{LAUNCH},0701,A9,1万元,2026\n{LAUNCH},{ledger_firm},{product},1万元,2026\n"
            ),
        },
    )
    with pytest.raises(LedgerError) as info:
        policy.evaluate_batch(reg)
    msg = str(info.value)
    assert "E323" in msg
    assert f"{reg / 'ledger.csv'} row 2: " in msg
    assert "the same number written otherwise" in msg


def test_a_ledger_id_of_a_firm_not_in_the_registry_is_taken(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    """A grant to a firm the registry no longer holds is an earlier grant like another."""
    reg = _write(
        tmp_path / "r",
        {
            "firms.csv": "id\n0701\n",
            "ledger.csv": f"provision,firm,product,amount,year\n{LAUNCH},0702,A0,1万元,2026\n",
        },
    )
    policy.evaluate_batch(reg).close()


def test_a_ledger_file_id_that_lost_its_zeros_is_refused(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    reg = _write(tmp_path / "r", {"firms.csv": "id\n0701\n"})
    given = [{"provision": LAUNCH, "firm": "701", "product": "A0", "amount": "1万元", "year": 2026}]
    with pytest.raises(LedgerError) as info:
        policy.evaluate_batch(reg, ledger=given, ledger_file="L.yaml")
    assert "L.yaml row 1: firm '701' is in no row of firms, which has firm '0701'" in str(
        info.value
    )


def test_a_csv_line_in_gbk_after_the_header_is_named(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    """Excel's 'CSV (逗号分隔)' writes GBK: past the part read for the header, DuckDB's
    error was "CSV Error on Line: 2002" with the hint about cells, the encoding unsaid."""
    reg = tmp_path / "r"
    reg.mkdir()
    rows = ["id,name", *(f"f{i},firm number {i} of a long name" for i in range(2000))]
    (reg / "firms.csv").write_bytes(("\n".join([*rows, "f9,甲公司"]) + "\n").encode("gbk"))
    text = _refused(policy, reg)
    assert "firms.csv: cannot read the table: line 2002 is not UTF-8 text" in text
    assert "save the table as UTF-8" in text


def test_money_refusals_say_why(policy: policyrules.Policy, tmp_path: Path) -> None:
    """A cell the batch does not read as money names its fault where one is plain, as a
    facts file does (convert_why): a leading zero with the amount without it, a stray
    no-break space at the end by its code point, two spaces before the unit."""
    reg = _write(
        tmp_path,
        {"firms.csv": ("id,import_reward_decided\nf1,0180万元\nf2,180万元\u00a0\nf3,180  万元\n")},
    )
    msg = _refused(policy, reg)
    assert (
        'row 1, column import_reward_decided: not an amount of money: "0180万元" (a leading zero)'
        in msg
    )
    assert 'hint: write "180万元"' in msg
    assert "(U+00A0 NO-BREAK SPACE at its end)" in msg
    assert "row 3, column import_reward_decided: not an amount of money" in msg
    assert "write one plain space at most" in msg


def test_a_csv_separated_by_semicolons_is_named_so(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    """A CSV saved with semicolons (Excel in some locales) reads as one column `id;name`:
    the hint says the header's names are apart by semicolons, where it guessed a column
    (did you mean 'name'?); the registry's ledger alike."""
    msg = _refused(policy, _write(tmp_path / "a", {"firms.csv": "id;name\nf1;甲\n"}))
    assert "column id;name: unknown column of firms" in msg
    assert "the header is one column: its names are apart by semicolons" in msg
    assert "did you mean" not in msg
    ledger = "provision;firm;amount;year\njjxf_2025_50/3/launch_reward;f1;200万元;2026\n"
    assert "apart by semicolons" in _ledger_refused(policy, tmp_path / "b", ledger)


def test_a_spreadsheet_day_number_is_named(policy: policyrules.Policy, tmp_path: Path) -> None:
    """A date column holding 46086 (a cell formatted as a number) is refused, E629, and the
    hint names the day it is in Excel's 1900 system (1899-12-30 + 46086 days = 2026-03-05),
    to be written so; never read as that day."""
    products = "id,firm_id,approved_on\nP1,f1,46086\nP2,f1,123\n"
    msg = _refused(policy, _write(tmp_path, {"firms.csv": "id\nf1\n", "products.csv": products}))
    assert "row 1, column approved_on: not a date" in msg
    assert "in Excel, 2026-03-05" in msg
    assert "row 2, column approved_on: not a date" in msg
    assert msg.count("spreadsheet's day number") == 1  # 123 is no day of ours


def test_a_day_spelt_another_way_is_named(policy: policyrules.Policy, tmp_path: Path) -> None:
    """Date cells written as spreadsheets and Chinese forms write days are refused, E629,
    each hint giving the day as YYYY-MM-DD (or both readings of 3/5/2026); never read."""
    products = (
        "id,firm_id,approved_on\nP1,f1,2026年3月5日\nP2,f1,3/5/2026\nP3,f1,2026-03-05 00:00:00\n"
    )
    msg = _refused(policy, _write(tmp_path, {"firms.csv": "id\nf1\n", "products.csv": products}))
    assert "row 1, column approved_on: not a date" in msg
    assert "write it as 2026-03-05 (dates are YYYY-MM-DD)" in msg
    assert "it may be 2026-05-03 (day first) or 2026-03-05 (month first)" in msg
    assert "a date and a time: write the day alone, 2026-03-05" in msg


def test_a_member_by_its_title_or_case_is_named(policy: policyrules.Policy, tmp_path: Path) -> None:
    """A registry's enum cell written by the member's title (产业共性平台建设) or in another
    case (PARK) is refused, E627, naming the member meant."""
    projects = "id,firm_id,kind\nJ1,f1,产业共性平台建设\nJ2,f1,PARK\n"
    msg = _refused(policy, _write(tmp_path, {"firms.csv": "id\nf1\n", "projects.csv": projects}))
    assert "row 1, column kind: not a member of ProjectKind" in msg
    assert "did you mean 'common_platform'?" in msg
    assert "did you mean 'park'?" in msg
