"""The Gradio web app, one module per job; read it from the top of the page down.

    app.py          the page: top row (scope, language), the tabs in order, launch and serve
    site.py         what every tab shares (engine, glossary, staff gate, examples, reports, words)
    chat.py         the Chat tab — messages.py (answers as HTML), reading.py (how a question was read,
                    permalinks), chips.py (next questions), examples.py (first visit), scope.py
    overview.py     the Overview tab — summary.py (one document's totals and categories), chart.py,
                    compare.py, units.py
    data.py         the Data tab — findings.py (the audit in the page's language)
    staff_desk.py   the Upload tab — staff.py (upload results in words), staff_auth.py, reports.py
    api_tab.py      the API tab
    source.py       the cited page or lines, on a page of its own
    http_guard.py   the upload guard, the staff session and the CSV download routes
    text.py, lang.py, format.py, templates.py, limits.py   words, the language switch, formatting,
                    jinja2 templates (templates/), limits; the CSS and page script are in static/

May import ``app.pipeline``, ``app.lang``, ``app.engine``, ``app.terminal`` and ``ingest``; nothing outside
``app.web`` imports it except ``app.cli`` (serve). format.py, text.py and templates.py import nothing of
``app.web``.
"""
