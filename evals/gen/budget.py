"""One disclosure's figures, drawn so every table and narrative sentence agrees (sums, shares, changes)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from evals.gen.names import Department

CENT = Decimal("0.01")

# 功能分类 类, in the order table 01 prints them
CATEGORIES = [
    "一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出", "文化旅游体育与传媒支出",
    "社会保障和就业支出", "社会保险基金支出", "卫生健康支出", "节能环保支出", "城乡社区支出", "农林水支出",
    "交通运输支出", "资源勘探工业信息等支出", "商业服务业等支出", "金融支出", "援助其他地区支出",
    "自然资源海洋气象等支出", "住房保障支出", "粮油物资储备支出", "国有资本经营预算支出", "灾害防治及应急管理支出",
    "其他支出", "预备费", "转移性支出", "债务还本支出", "债务付息支出", "债务发行费用支出", "抗疫特别国债安排的支出",
]


def money(x: Decimal | float) -> Decimal:
    return Decimal(str(x)).quantize(CENT, rounding=ROUND_HALF_UP)


def pct(part: Decimal, whole: Decimal) -> Decimal:
    return (part / whole * 100).quantize(CENT, rounding=ROUND_HALF_UP) if whole else Decimal("0.00")


@dataclass(frozen=True)
class Budget:
    """Figures in 万元 (counts and areas in their own units) for one department and year."""

    department: Department
    year: int
    total: Decimal
    categories: dict[str, Decimal]  # 类 → amount (only non-zero ones)
    basic: Decimal
    project: Decimal
    personnel: Decimal
    public: Decimal
    prior_total: Decimal
    prior_running: Decimal
    staff: int
    offices: int
    reception: Decimal
    car_running: Decimal
    procurement: Decimal
    goods: Decimal
    vehicles: int
    floor_area: Decimal
    projects: int
    date: tuple[int, int] = field(default=(4, 24))  # publication month, day

    @property
    def running(self) -> Decimal:
        """机关运行经费: the seed prints it equal to 公用经费."""
        return self.public

    @property
    def three_public(self) -> Decimal:
        return self.reception + self.car_running


def _split(total: Decimal, shares: dict[str, float]) -> dict[str, Decimal]:
    """Amounts for each key; the first key takes the rounding remainder so the parts sum to total."""
    keys = list(shares)
    parts = {k: money(total * Decimal(str(shares[k]))) for k in keys[1:]}
    parts[keys[0]] = total - sum(parts.values(), Decimal(0))
    return {k: parts[k] for k in keys}


def draw(dept: Department, year: int, rng: random.Random, prior: Budget | None = None) -> Budget:
    """A budget for dept/year; with ``prior`` (its previous year) the totals grow from it."""
    if prior is None:
        total = money(rng.uniform(300, 20000))
        prior_total = money(total * Decimal(str(rng.uniform(0.9, 1.1))))
    else:
        prior_total = prior.total
        total = money(prior.total * Decimal(str(rng.uniform(0.92, 1.12))))
    shares = {dept.main_category: 0.0, "社会保障和就业支出": rng.uniform(0.05, 0.12),
              "卫生健康支出": rng.uniform(0.02, 0.05), "住房保障支出": rng.uniform(0.03, 0.06)}
    if dept.main_category in ("社会保障和就业支出", "卫生健康支出"):
        shares.pop(dept.main_category)
        shares = {dept.main_category: 0.0, **shares}
    categories = _split(total, shares)
    categories = {c: categories[c] for c in CATEGORIES if c in categories}
    basic = money(total * Decimal(str(rng.uniform(0.4, 0.85))))
    personnel = money(basic * Decimal(str(rng.uniform(0.75, 0.92))))
    public = basic - personnel
    prior_running = prior.running if prior else money(public * Decimal(str(rng.uniform(0.9, 1.1))))
    staff = prior.staff if prior else rng.randint(8, 300)
    area = prior.floor_area if prior else money(rng.uniform(300, 9000))
    procurement = money(total * Decimal(str(rng.uniform(0.01, 0.1))))
    return Budget(
        department=dept, year=year, total=total, categories=categories, basic=basic, project=total - basic,
        personnel=personnel, public=public, prior_total=prior_total, prior_running=prior_running, staff=staff,
        offices=rng.randint(3, 15), reception=money(rng.uniform(0.5, 8)),
        car_running=money(rng.uniform(0, 12)),
        procurement=procurement, goods=money(procurement * Decimal(str(rng.uniform(0.2, 0.8)))),
        vehicles=rng.randint(0, 6), floor_area=area, projects=rng.randint(1, 8),
        date=(rng.randint(1, 4), rng.randint(1, 28)),
    )
