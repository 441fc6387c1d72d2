"""BudgetQA's question side: a question flows down the floors, and no module imports one above it.

    cli.py, web/, api/      the faces (command line, Gradio chat, HTTP API)
    engine.py               composes the stages: conversation → understand → scope → plan → op → render
    ops/                    one module per operation, registered by name
    pipeline/               the typed stages and the read-only FactView
    lang/                   what the code knows of the language: vocabulary, departments, gazetteer
    config.py, terminal.py  ground floor

``app`` reads ``ingest`` (readers, ledger, index, settings); ``ingest`` never imports ``app``, and
nothing here imports ``evals``. Importing ``app`` sets the offline switches (``ingest.settings``)
before any ML or web library is loaded.
"""

from ingest import settings as _settings  # noqa: F401 - sets the offline switches first
