"""Copy as plain text and permalinks: what a journalist needs to quote an answer or send it on.

Why a page script: the chat's own copy button copies the answer's HTML; a quote needs the words, the figure,
the formula and where it came from. The script only reads the page and writes to the clipboard.
"""

from __future__ import annotations

from urllib.parse import quote

from app.pipeline.answer import Answer


def permalink(question: str) -> str:
    """The app-relative address that asks `question` again when opened."""
    return "?q=" + quote(question, safe="")


def plain_text(answer: Answer) -> str:
    """The answer as a quotable paragraph with its first citation (also what the copy button copies)."""
    lines = [answer.answer]
    if answer.formula:
        lines.append(("计算：" if answer.lang == "zh" else "Formula: ") + answer.formula)
    if answer.citations:
        lines.append(("来源：" if answer.lang == "zh" else "Source: ") + answer.citations[0].locator())
    return "\n".join(lines)


# copies the hidden .bq-plain lines beside the clicked .bq-copy link; delegated: works for later answers
COPY_JS = """() => {
document.addEventListener('click', (ev) => {
  const link = ev.target.closest && ev.target.closest('a.bq-copy');
  if (!link) return;
  ev.preventDefault();
  const box = link.closest('.bq-tools');
  const text = Array.from(box ? box.querySelectorAll('.bq-plain') : []).map((e) => e.textContent).join('\\n');
  const done = () => { link.textContent = link.getAttribute('title') || 'Copied'; };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, () => {});
  }
  else { const t = document.createElement('textarea'); t.value = text;
         document.body.appendChild(t); t.select();
         try { document.execCommand('copy'); done(); } catch (e) {} t.remove(); }
  window.bqCopied = text;
});
}"""
