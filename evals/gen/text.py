"""Render a Budget as a text disclosure in the seed's form (cover, contents, tab tables, narrative)."""

from __future__ import annotations

from decimal import Decimal

from evals.gen.budget import CATEGORIES, Budget, pct

CN_NUM = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
TABLES = ["收支预算总表", "收入预算总表", "支出预算总表", "财政拨款收支预算总表", "一般公共预算拨款支出预算表",
          "一般公共预算基本支出预算表", "一般公共预算“三公”经费支出预算表", "政府性基金预算拨款支出预算表",
          "国有资本经营预算支出预算表", "项目支出预算表"]
PRINTED = {1, 4, 7, 8, 9}
INCOME = ["一、财政拨款收入", "一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入",
          "二、财政专户管理资金收入", "三、单位资金收入", "事业收入", "事业单位经营收入", "上级补助收入",
          "附属单位上缴收入", "其他收入"]
GLOSSARY = [
    "一般公共预算拨款收入：指本级财政通过当年一般公共预算拨付的资金。",
    "上年结转：指以前年度尚未完成、结转到本年仍按原规定用途继续使用的资金。",
    "基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。",
    "项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。",
    "“三公”经费：纳入财政预决算管理的“三公”经费，是指部门用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。",
    "机关运行经费：为保障行政单位（包括参照公务员法管理的事业单位）运行用于购买货物和服务的各项资金。",
]
USES = {"社会保障和就业支出": "支付机关事业单位基本养老保险缴费和职业年金缴费支出",
        "卫生健康支出": "支付职工基本医疗保险缴费支出", "住房保障支出": "支付职工住房公积金支出"}


def cn(n: int) -> str:
    if n <= 10:
        return CN_NUM[n]
    if n < 20:
        return "十" + CN_NUM[n - 10]
    return CN_NUM[n // 10] + "十" + (CN_NUM[n % 10] if n % 10 else "")


def cn_date(year: int, month: int, day: int) -> str:
    digits = "".join("零一二三四五六七八九"[int(c)] for c in str(year))
    return f"{digits}年{cn(month)}月{cn(day)}日"


def f2(x: Decimal) -> str:
    return f"{x:.2f}"


def change_words(now: Decimal, before: Decimal) -> str:
    diff = now - before
    return f"增加 {f2(diff)} 万元" if diff >= 0 else f"减少 {f2(-diff)} 万元"


def _cover(b: Budget) -> list[str]:
    y = b.year
    toc = [f"- {cn(i)}、{t}" for i, t in enumerate(TABLES, 1)]
    return ["", b.department.name, "", "(本级)", "", f"{y} 年部门预算", "", cn_date(y, *b.date),
            "", "目 录", "", "第一部分 部门概况", "", "- 一、主要职能", "- 二、机构设置", "", "第二部分 预算表格", "",
            *toc, "", "第三部分 情况说明", "", "第四部分 名词解释", ""]


def _overview(b: Budget) -> list[str]:
    d = b.department
    return ["第一部分 部门概况", "", "一、主要职能", "",
            f"贯彻执行国家和省关于{d.work}工作的方针政策和法律法规，拟订本地区{d.work}发展规划并组织实施。",
            "", f"负责本地区{d.work}领域的综合管理、监督检查和公共服务工作，完成本级党委、政府交办的其他任务。", "",
            "二、机构设置", "",
            f"根据上述职责{d.name}核定人员编制 {b.staff} 人，其中：{b.staff} 名行政编制、0 名事业编制，0 名工勤编制。",
            "", f"根据所承担的工作职责和编制总量，核定内部结构 {b.offices} 个。", "", "无下设预算单位。", ""]


def _side_by_side(b: Budget, title: str, num: int, income: list[str]) -> list[str]:
    t = f2(b.total)
    inc = {"一、财政拨款收入": t, "一般公共预算拨款收入": t, "一、本年收入": t, "一般公共预算拨款": t}
    rows = [f"{title} ({num:02d})" + "\t" * 7, f"预算单位：{b.department.name}" + "\t" * 7 + "单位：万元",
            "收 入\t\t\t\t支 出\t\t\t", "项 目\t本年预算\t编制预算\t上年结转\t项 目\t本年预算\t编制预算\t上年结转"]
    spend = [f"{cn(i)}、{c}" for i, c in enumerate(CATEGORIES, 1)]
    if num == 4:
        spend = ["一、本年支出", *spend]
    for i in range(max(len(income), len(spend))):
        left = ["", "", "", ""]
        if i < len(income):
            v = inc.get(income[i], "0.00")
            left = [income[i], v, v, "0.00"]
        right = ["", "", "", ""]
        if i < len(spend):
            label = spend[i]
            cat = label.split("、", 1)[1]
            v = t if cat == "本年支出" else f2(b.categories.get(cat, Decimal(0)))
            right = [label, v, v, "0.00"]
        rows.append("\t".join(left + right))
    if num == 1:
        rows.append(f"本年收入合计\t{t}\t{t}\t0.00\t本年支出合计\t{t}\t{t}\t0.00")
        rows.append("\t\t\t\t结转下年支出\t0.00\t0.00\t")
    rows.append(f"收入总计\t{t}\t{t}\t0.00\t支出总计\t{t}\t{t}\t0.00")
    return [*rows, ""]


def _three_public(b: Budget) -> list[str]:
    return ["一般公共预算“三公”经费支出预算表(07)", "", f"预算单位：{b.department.name}", "", "单位：万元", "",
            f"项 目\t{b.year} 年预算数", f"合 计\t{f2(b.three_public)}", "1、因公出国（境）费用\t0.00",
            f"2、公务接待费\t{f2(b.reception)}", f"3、公务用车费\t{f2(b.car_running)}",
            f"其中：（1）公务用车运行维护费\t{f2(b.car_running)}", "（2）公务用车购置\t0.00", ""]


def _empty_tables(b: Budget) -> list[str]:
    return ["政府性基金预算拨款支出预算表（08）", "", f"预算单位：{b.department.name}", "", "单位：万元", "",
            "功能分类 科目代码\t功能分类 科目名称\t合 计\t基本支出\t项目支出", "合 计\t\t\t\t", "",
            "国有资本经营预算支出预算表（09）", "", "单位：万元", "",
            "功能分类 科目代码\t功能分类 科目名称\t合 计\t基本支出\t项目支出", "合 计\t\t\t\t", ""]


def _narrative(b: Budget) -> list[str]:
    y, t = b.year, f2(b.total)
    cats = "、".join(b.categories)
    spend = "，".join(f"{c} {f2(v)} 万元" for c, v in b.categories.items())
    lines = ["第三部分 情况说明", "", f"一、{y} 年收支预算总体情况", "",
             f"按照综合预算的原则，所有收入和支出全部纳入部门预算管理。支出包括：{cats}。{y} 年收支总预算 {t} 万元，"
             f"其中：本年预算 {t} 万元；上年结转 0 万元。{y} 年本年预算比 {y - 1} 年当年预算"
             f"{change_words(b.total, b.prior_total)}。", "",
             f"二、{y} 年收入预算情况", "",
             f"{y} 年收入预算 {t} 万元，其中：本年收入 {t} 万元，占 100%；上年结转结余 0 万元。", "",
             f"三、{y} 年支出预算情况", "",
             f"{y} 年支出预算 {t} 万元，其中：基本支出 {f2(b.basic)} 万元，占 {pct(b.basic, b.total)}%；"
             f"项目支出 {f2(b.project)} 万元，占 {pct(b.project, b.total)}%。", "",
             f"四、{y} 年财政拨款收支预算情况", "",
             f"{y} 年财政拨款收支总预算 {t} 万元。支出包括：{spend}。", "",
             f"五、{y}年一般公共预算支出情况", "",
             f"{y}年一般公共预算拨款{t}万元，其中：基本支出{f2(b.basic)}万元；项目支出{f2(b.project)}万元。"
             f"基本支出中，人员经费{f2(b.personnel)}万元，占{pct(b.personnel, b.basic)}%；"
             f"公用经费{f2(b.public)}万元，占{pct(b.public, b.basic)}%。", ""]
    for c, v in b.categories.items():
        use = USES.get(c, f"保障{b.department.work}工作正常开展")
        lines += [f"{c.removesuffix('支出')}（类）支出{f2(v)}万元，占{pct(v, b.total)}%，主要用于{use}。", ""]
    running_change = b.running - b.prior_running
    rate = pct(abs(running_change), b.prior_running)
    lines += [f"六、{y}年一般公共预算“三公”经费预算情况", "",
              f"{y}年“三公”经费预算{f2(b.three_public)}万元，其中：公务接待费{f2(b.reception)}万元，"
              f"公务用车运行维护费{f2(b.car_running)}万元。", "",
              f"七、{y}年政府性基金预算支出情况", "", "本部门无政府性基金预算拨款", "",
              f"八、{y}年国有资本经营预算支出情况", "", "本部门无国有资本经营预算拨款", "",
              "九、其他重要事项的情况说明", "", "（一）机关运行经费", "",
              f"{y}年本部门的机关运行经费财政拨款预算{f2(b.running)}万元，比{y - 1}年预算"
              f"{'增加' if running_change >= 0 else '减少'}{f2(abs(running_change))}万元，"
              f"{'增长' if running_change >= 0 else '下降'}{rate}%。", "",
              "（二）政府采购情况", "",
              f"{y}年政府采购预算总额{f2(b.procurement)}万元，其中：政府采购货物预算{f2(b.goods)}万元、"
              f"政府采购服务预算{f2(b.procurement - b.goods)}万元。", "",
              "（三）国有资产占用使用情况", "",
              f"截至{y - 1}年10月底，本部门共有车辆{b.vehicles}辆，房屋{f2(b.floor_area)}平方米。", "",
              "（四）项目支出情况说明", "",
              f"{y}年部门项目支出{f2(b.project)}万元，其中：二级项目{b.projects}个。", ""]
    lines += ["第四部分 名词解释", ""]
    lines += [f"（{cn(i)}）{g}" for i, g in enumerate(GLOSSARY, 1)]
    return lines


def render_text(b: Budget) -> str:
    """The whole disclosure as the text reader expects it (UTF-8, tab-separated tables)."""
    lines = [*_cover(b), *_overview(b), "第二部分 预算表格", "",
             *_side_by_side(b, "收支预算总表", 1, INCOME),
             *_side_by_side(b, "财政拨款收支预算总表", 4, ["一、本年收入", "一般公共预算拨款", "政府性基金预算拨款",
                                                   "国有资本经营预算拨款"]),
             *_three_public(b), *_empty_tables(b), *_narrative(b)]
    return "\n".join(lines) + "\n"
