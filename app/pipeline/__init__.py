"""The question stages, in the order a question passes them (app/engine.py runs them):

    conversation.py  a follow-up read against the earlier turns (or alone)
    understand.py    language, years, kind, operation, unit asked for, glossary terms
    scope.py         which documents: department, year, kind, level (the words it used are consumed here)
    plan.py          one operation over named subjects; link.py names the items, parts.py and
                     purpose.py the parts and purposes asked of them; retrieve.py finds candidates
    app/ops/         the operation runs over factview.py (the store as the stages read it), with
                     calculate.py's Decimal arithmetic; result.py is what it computed, with no prose
    render.py        the Result in the answer's language, from answers.toml; answer.py is what front
                     ends show; refusals.py the shared refusals and ask-backs
"""
