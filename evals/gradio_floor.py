"""The floor of the served path: a Gradio app whose /ask returns a constant, launched as app.web.app launches
ours.

`make bench-load` drives it with the same clients as the real app, so the table shows how much of a
question's latency is Gradio's queue, SSE and gradio_client rather than BudgetQA
(run: `python -m evals.gradio_floor PORT`).
"""

from __future__ import annotations

import sys

import gradio as gr

from app.web.app import CONCURRENCY, QUEUE_SIZE

ANSWER = {"status": "answered", "answer": "floor", "figures": [], "citations": []}


def ask(question: str, scope: str) -> dict:
    """No engine: the cheapest answer Gradio can serve."""
    return ANSWER


def main(port: int) -> None:
    with gr.Blocks() as demo:
        q, s, out = gr.Textbox(), gr.Textbox(), gr.JSON()
        gr.Button().click(ask, [q, s], out, api_name="ask", concurrency_id="answer",
                          concurrency_limit=CONCURRENCY)
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    demo.launch(server_name="127.0.0.1", server_port=port, share=False, show_error=False, ssr_mode=False,
                pwa=False, mcp_server=False, quiet=True, inbrowser=False)


if __name__ == "__main__":
    main(int(sys.argv[1]))
