"""Every BUDGETQA_* setting is in the README's settings table with its description."""

from __future__ import annotations

from pathlib import Path

from ingest.settings import Settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_setting_is_in_the_readme_table():
    text = README.read_text(encoding="utf-8")
    table = text[text.index("## Settings"):text.index("## Layout")]
    for name, field in Settings.model_fields.items():
        head = f"| `BUDGETQA_{name.upper()}` |"
        row = next((line for line in table.splitlines() if line.startswith(head)), "")
        assert row, f"BUDGETQA_{name.upper()} is not in the README's settings table"
        assert field.description and field.description in row, f"BUDGETQA_{name.upper()}: description differs"
