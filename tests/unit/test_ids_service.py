"""The service refuses each kind of id the reader refuses, 400 E303 at the id's path.

One table for the kinds whose own files (test_ids_full_width.py, test_ids_invisible.py,
test_ids_line_breaks.py, test_ids_number_forms.py, test_ids_other_digits.py) test every
other route: a facts document posted to ``/v1/evaluate`` (JSON, the id written as is or in
JSON's own escape) is answered with the one diagnostic, naming the character and where it
stands, and the hint the command line gives.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

import policyrules
from policyrules.serve import create_app
from support import BEIJING, launch_firm


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(policyrules.load(BEIJING))) as c:
        yield c


FIRM = "firms[0].id"
PRODUCT = "firms[0].products[0].id"


@pytest.mark.parametrize(
    ("facts", "path", "named", "hint", "whole"),
    [
        pytest.param(
            launch_firm("P1", "０７０１"),
            FIRM,
            "an id holds a full-width letter or digit, U+FF10 FULLWIDTH DIGIT ZERO, at character 1",
            "write '0701' (letters and digits in half-width ASCII, as an input method writes "
            "them in half-width mode): ids compare exactly, so '０７０１' would be another item "
            "than '0701' (another firm, another product), its awards paid again",
            True,
            id="full-width",
        ),
        pytest.param(
            launch_firm("0701\u200b"),
            PRODUCT,
            "an id holds an invisible character, U+200B ZERO WIDTH SPACE, at character 5",
            "remove it: it does not show (it came in with the id, copied from a web page or a word",
            False,
            id="invisible",
        ),
        pytest.param(
            launch_firm("07\u202801"),
            PRODUCT,
            "an id holds a line break, U+2028 LINE SEPARATOR, at character 3",
            "remove it: an id is printed on one line (messages, logs, CSV)",
            False,
            id="line-break",
        ),
        pytest.param(
            launch_firm("P1", "0701А"),
            FIRM,
            "U+0410 CYRILLIC CAPITAL LETTER A, at character 5",
            "write '0701A' ",
            False,
            id="cyrillic",
        ),
        pytest.param(
            launch_firm("P1", "٠٧٠١"),
            FIRM,
            "an id holds a digit of another script, U+0660 ARABIC-INDIC DIGIT ZERO, at character 1",
            "write '0701' (digits in ASCII 0-9, as every Chinese registry writes its ids): ids "
            "compare exactly, so '٠٧٠١' would be another item than '0701' (another firm, "
            "another product), its awards paid again",
            True,
            id="other-digits",
        ),
    ],
)
@pytest.mark.parametrize("ensure_ascii", [False, True], ids=["as-is", "escaped"])
def test_the_service_answers_a_refused_id_with_e303(
    client: TestClient,
    facts: dict[str, Any],
    path: str,
    named: str,
    hint: str,
    whole: bool,
    ensure_ascii: bool,
) -> None:
    """``whole``: the hint is all of ``hint``; else it begins so (the rest is its own
    file's)."""
    body = json.dumps(facts, ensure_ascii=ensure_ascii).encode()
    answer = client.post("/v1/evaluate", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 400
    (err,) = answer.json()["errors"]
    assert (err["code"], err["path"]) == ("E303", path)
    assert named in err["message"]
    assert err["hint"] == hint if whole else err["hint"].startswith(hint)
