"""Department names: many places × many department types, each name unique and deterministic."""

from __future__ import annotations

import random
from dataclasses import dataclass

# (province, prefecture or "", county-level place) — real place names, invented budgets
PLACES = [
    ("吉林省", "延边朝鲜族自治州", "安图县"), ("吉林省", "延边朝鲜族自治州", "延吉市"), ("吉林省", "延边朝鲜族自治州", "汪清县"),
    ("吉林省", "长春市", "朝阳区"), ("吉林省", "吉林市", "船营区"), ("吉林省", "四平市", "梨树县"),
    ("上海市", "", "普陀区"), ("上海市", "", "徐汇区"), ("上海市", "", "静安区"), ("上海市", "", "崇明区"),
    ("江苏省", "南京市", "玄武区"), ("江苏省", "苏州市", "吴江区"), ("江苏省", "无锡市", "江阴市"),
    ("江苏省", "徐州市", "沛县"), ("江苏省", "盐城市", "射阳县"),
    ("浙江省", "杭州市", "西湖区"), ("浙江省", "宁波市", "象山县"), ("浙江省", "温州市", "瑞安市"),
    ("浙江省", "金华市", "义乌市"), ("浙江省", "丽水市", "景宁畲族自治县"),
    ("广东省", "广州市", "天河区"), ("广东省", "深圳市", "南山区"), ("广东省", "佛山市", "顺德区"),
    ("广东省", "梅州市", "兴宁市"), ("广东省", "湛江市", "徐闻县"),
    ("四川省", "成都市", "武侯区"), ("四川省", "绵阳市", "三台县"), ("四川省", "凉山彝族自治州", "西昌市"),
    ("四川省", "宜宾市", "南溪区"), ("湖南省", "长沙市", "岳麓区"), ("湖南省", "湘西土家族苗族自治州", "凤凰县"),
    ("湖南省", "衡阳市", "衡东县"), ("湖北省", "武汉市", "江汉区"), ("湖北省", "宜昌市", "秭归县"),
    ("河南省", "郑州市", "金水区"), ("河南省", "洛阳市", "栾川县"), ("河南省", "信阳市", "固始县"),
    ("山东省", "青岛市", "崂山区"), ("山东省", "烟台市", "蓬莱区"), ("山东省", "临沂市", "沂水县"),
    ("河北省", "石家庄市", "正定县"), ("河北省", "保定市", "涞水县"), ("山西省", "大同市", "浑源县"),
    ("陕西省", "西安市", "雁塔区"), ("陕西省", "延安市", "宝塔区"), ("甘肃省", "天水市", "秦州区"),
    ("云南省", "大理白族自治州", "大理市"), ("云南省", "红河哈尼族彝族自治州", "建水县"),
    ("贵州省", "黔东南苗族侗族自治州", "凯里市"), ("广西壮族自治区", "桂林市", "阳朔县"),
    ("福建省", "厦门市", "思明区"), ("福建省", "泉州市", "晋江市"), ("江西省", "赣州市", "瑞金市"),
    ("安徽省", "合肥市", "蜀山区"), ("安徽省", "黄山市", "歙县"), ("黑龙江省", "哈尔滨市", "道里区"),
    ("辽宁省", "大连市", "金州区"), ("内蒙古自治区", "呼伦贝尔市", "海拉尔区"), ("海南省", "", "琼海市"),
    ("重庆市", "", "渝中区"), ("天津市", "", "和平区"), ("北京市", "", "海淀区"),
]

# (department type, main function category it spends on, kind of work for the narrative)
TYPES = [
    ("教育局", "教育支出", "教育"), ("卫生健康委员会", "卫生健康支出", "卫生健康"),
    ("财政局", "一般公共服务支出", "财政"), ("司法局", "公共安全支出", "司法行政"),
    ("民政局", "社会保障和就业支出", "民政"), ("人力资源和社会保障局", "社会保障和就业支出", "人力资源和社会保障"),
    ("自然资源局", "自然资源海洋气象等支出", "自然资源"), ("住房和城乡建设局", "城乡社区支出", "住房和城乡建设"),
    ("交通运输局", "交通运输支出", "交通运输"), ("农业农村局", "农林水支出", "农业农村"),
    ("水利局", "农林水支出", "水利"), ("文化广播电视和旅游局", "文化旅游体育与传媒支出", "文化旅游"),
    ("市场监督管理局", "一般公共服务支出", "市场监管"), ("统计局", "一般公共服务支出", "统计"),
    ("审计局", "一般公共服务支出", "审计"), ("应急管理局", "灾害防治及应急管理支出", "应急管理"),
    ("科学技术局", "科学技术支出", "科技"), ("医疗保障局", "卫生健康支出", "医疗保障"),
    ("社会保险事业管理局", "社会保障和就业支出", "社会保险经办"), ("生态环境分局", "节能环保支出", "生态环境"),
    ("街道办事处", "城乡社区支出", "街道"), ("宣传部", "一般公共服务支出", "宣传"),
    ("组织部", "一般公共服务支出", "组织"),
]
STREETS = ["长风新村", "真如镇", "曹杨新村", "石泉路", "宜川路", "甘泉路", "万里", "长征", "桃浦", "东新路",
           "新华", "人民路", "解放", "城关", "南湖", "北山", "滨江", "金山", "文昌", "和平"]


@dataclass(frozen=True)
class Department:
    """A publishing department: its full name, place, and what it mostly spends on."""

    name: str
    province: str
    prefecture: str
    place: str
    type_name: str
    main_category: str
    work: str


def _name(place: str, type_name: str, rng: random.Random) -> str:
    if type_name == "街道办事处":
        return f"{place}人民政府{rng.choice(STREETS)}街道办事处"
    if type_name in ("宣传部", "组织部"):
        return f"中共{place}委{type_name}"
    return f"{place}{type_name}"


def departments(n: int, rng: random.Random) -> list[Department]:
    """n distinct departments spread over places and types (names never repeat)."""
    combos = [(p, t) for p in PLACES for t in TYPES]
    rng.shuffle(combos)
    out: list[Department] = []
    seen: set[str] = set()
    for (province, prefecture, place), (type_name, category, work) in combos:
        name = _name(place, type_name, rng)
        if name in seen:
            continue
        seen.add(name)
        out.append(Department(name, province, prefecture, place, type_name, category, work))
        if len(out) == n:
            return out
    raise ValueError(f"at most {len(out)} distinct departments can be generated")
