"""A new user's trial document (/tmp/hBI-trial/mypol: 京经信发〔2026〕9号, made from
京经信发〔2025〕50号 第3条: 300 万元 per product, 800 万元 per firm per year, in force from
2026-03-01), as one rule file with the entities it reads: the base of the breaks W273 and
W274 catch (tests/unit/test_check_force.py, test_check_cap_words.py).  ``TRIAL`` is the
right encoding; ``variant`` makes one break, as the trial's mut_m, mut_i and mut_p did."""

from __future__ import annotations

import policyrules
from policyrules.errors import Diagnostic

__all__ = ["FACTS", "QUOTE", "TRIAL", "variant", "warnings"]

QUOTE = (
    "对进入国家创新医疗器械特别审查程序后获批上市的高端医疗器械产品给予一次性首发奖励,"
    "单个产品不超过 300 万元,单个企业年度奖励不超过 800 万元。"
)

TRIAL = f"""\
entity firm "企业"
  list firms
  fact name: text "企业名称"

entity product "医疗器械产品"
  list products of firm
  fact approved_on: date "境内获批上市（注册）日期"
  fact launch_routes: set of LaunchRoute "获批上市前承担的国家项目或进入的审评审批程序"
  fact launch_reward_decided: money "主管部门决定的上市奖励金额"

enum LaunchRoute "获批上市的路径" {{
  national_special_review "进入国家创新医疗器械特别审查程序",
  beijing_special_review "进入本市创新医疗器械特别审查程序",
}}

document jjxf_2026_9 "北京市关于支持高端医疗器械首发的若干措施"
  number "京经信发〔2026〕9号"
  agency "北京市经济和信息化局"
  issued 2026-03-01
  valid from 2026-03-01 to 2029-12-31
  measures 1

clause 1 "高端医疗器械首发奖励"
  quote "{QUOTE}"

  award premiere_reward "高端医疗器械首发奖励"
    for each product
    eligible when national_special_review in launch_routes
    eligible when approved_on in force
    amount decided launch_reward_decided
    once per product
    cap 300 万元 per product
    cap 800 万元 per firm per year of approved_on
    order by approved_on, id
"""

# The trial's f5.yaml: four products approved in 2026 and one (P0) in 2019, 300 万元 each.
FACTS = {
    "firms": [
        {
            "id": "f1",
            "products": [
                {
                    "id": pid,
                    "approved_on": on,
                    "launch_routes": ["national_special_review"],
                    "launch_reward_decided": "300万元",
                }
                for pid, on in [
                    ("P1", "2026-04-01"),
                    ("P2", "2026-05-01"),
                    ("P3", "2026-06-01"),
                    ("P4", "2026-07-01"),
                    ("P0", "2019-07-01"),
                ]
            ],
        }
    ]
}


def variant(old: str, new: str, text: str = TRIAL) -> str:
    """``text`` with the line ``old`` replaced by ``new`` (which must be there)."""
    assert old in text, old
    return text.replace(old, new)


def warnings(text: str, *codes: str) -> list[Diagnostic]:
    """The warnings of checking ``text`` (one file, t.rule) whose code is one of ``codes``."""
    checked = policyrules.check([policyrules.parse(text, "t.rule")], texts={"t.rule": text})
    return [w for w in checked.warnings if w.code in codes]
