"""What the engine's parts share: the per-question context, subjects and the wording constants."""


from __future__ import annotations

import re
from dataclasses import dataclass, field

from app import config  # noqa: F401 - sets the offline switches first
from app.understand import Query
from ingest.glossary import Term
from ingest.model import Document, Fact

COLUMN_TERMS = {"本年预算", "编制预算", "上年结转", "结转下年", "决算数", "预算数", "年初预算", "调整预算数", "基本支出",
                "项目支出", "人员经费", "公用经费", "财政拨款", "一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款"}
COLUMN_PREF = [("本年预算", 30), ("合计", 22), ("决算数", 20), ("本年支出", 18), ("预算数", 15), ("小计", 10)]
_STOP_AFTER = re.compile(
    r"^(的|是|有|占|比|和|与|及|为|多|少|几|花|平均|每|人均|计算|算|预算|支出|经费|合计|总额|金额|一共|呢|吗|在|中|里|方面|上|加|共|总|用|相|差|跟|"
    r"同|对|给|分别|各|这|那|今年|去年|了|安排|情况|资金|费用|数|是|，|、|？|\?|。|$|\s|\d|（|\()"
)
_TOTAL_WORDS = re.compile(r"(总共|一共|总预算|总支出|预算总额|全年|\btotal\b|\boverall\b|\bin total\b|\baltogether\b)", re.I)
_DIRECTIONAL = re.compile(r"(减少|下降|降低|少多少|少了|增加|增长|多多少|多了|高出|超出|\bfall|\bfell\b|\bdecline|\bdecrease|"
                          r"\bdrop|\blower\b|\bless\b|\bincrease|\bgrow|\brise|\brose\b|\bmore\b|\bexceed|\blarger\b|"
                          r"\bhigher\b|\bcut\b)", re.I)
_DEPT_WORDS = re.compile(r"(哪个部门|哪个单位|哪家|哪一个部门|哪个局|\bwhich (department|bureau|unit|office|agency)\b)", re.I)
_KIND_EN = {"部门预算": "department budget", "单位预算": "unit budget", "部门决算": "final accounts",
            "单位决算": "unit final accounts"}


@dataclass
class Subject:
    label: str
    surface: str
    term: Term | None = None
    via: str = "exact"  # exact | contains | pays_for | retrieval | none
    note: Fact | None = None  # the sentence that links an item to the subject paying for it
    start: int = 0
    column: str = ""  # a measure that is a column in this document ("基本支出" of the 合计 row)
    measure: bool = False  # a measure word (本年预算, 基本支出 …) rather than a classification subject


@dataclass
class Ctx:
    q: Query
    docs: list[Document]
    named: bool = False  # the question itself named the department
    debug: dict = field(default_factory=dict)



def _is_zh(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))
