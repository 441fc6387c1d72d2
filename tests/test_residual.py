"""What is left of a question once its department, year and filler are taken out decides whether a total
may answer."""

import pytest

from app.pipeline.residual import unlinked_words


@pytest.mark.parametrize(("text", "spans", "left"), [
    ("杭州气象局2026年总支出是多少？", [(0, 5)], ""),
    ("杭州气象局给职工看病的医疗保障经费一共安排了多少？", [(0, 5)], "职工看病"),
    ("What is the Antu County Social Insurance Administration's total 2026 budget?", [(12, 16), (24, 55)],
     ""),
    ("How has the Putuo justice bureau's IT spending changed in 2026?", [(12, 32)], "IT"),
    ("How much did it change?", [], ""),
    ("What does the Hangzhou weather bureau spend on pensions?", [(14, 37)], "pensions"),
    # words that name no item never become one (issue 24, item 6)
    ("北京卫健委为啥这么多？", [(0, 5)], ""),
    ("北京卫健委下面有多少？", [(0, 5)], ""),
    ("How much of that comes from the city?", [], ""),
    ("What does the Beijing petition office plan to spend?", [(14, 37)], ""),
])
def test_unlinked_words(text, spans, left):
    got = unlinked_words(text, spans)
    assert (left in got and got) if left else got == "", got
