"""GET /api/v1/docs: every route with its parameters and models, written from the OpenAPI schema.

Why not Swagger UI: it loads its scripts from a CDN, and this service fetches nothing from the internet.
The page is plain HTML made from ``/api/v1/openapi.json``, so it cannot drift from the routes.
"""

from __future__ import annotations

import html

SCHEMA_REF = "#/components/schemas/"


def _ref_name(schema: dict) -> str:
    """A schema as people read it: AnswerOut, list[DocumentSummary], string …"""
    if "$ref" in schema:
        return schema["$ref"].removeprefix(SCHEMA_REF)
    if schema.get("type") == "array":
        return f"list[{_ref_name(schema.get('items', {}))}]"
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " | ".join(_ref_name(s) for s in schema[key])
    return str(schema.get("type", "object"))


def _models_of(op: dict) -> tuple[str, list[tuple[str, str]]]:
    """The request model and (status, response model) pairs of one operation."""
    body = op.get("requestBody", {}).get("content", {})
    request = ", ".join(f"{_ref_name(c.get('schema', {}))} ({kind})" for kind, c in body.items())
    responses = []
    for status, r in op.get("responses", {}).items():
        content = r.get("content", {})
        kinds = [f"{_ref_name(c.get('schema', {})) if c.get('schema') else kind}"
                 + ("" if kind == "application/json" else f" ({kind})") for kind, c in content.items()]
        responses.append((status, ", ".join(kinds) or r.get("description", "")))
    return request, responses


def _route_html(path: str, method: str, op: dict) -> str:
    request, responses = _models_of(op)
    params = "".join(f"<li><code>{html.escape(p['name'])}</code> ({html.escape(p['in'])}"
                     f"{', required' if p.get('required') else ''}): "
                     f"{html.escape(_ref_name(p.get('schema', {})))}"
                     f"{' — ' + html.escape(p['description']) if p.get('description') else ''}</li>"
                     for p in op.get("parameters", []))
    rows = "".join(f"<li><b>{html.escape(s)}</b>: {html.escape(m)}</li>" for s, m in responses)
    return (f'<section class="route" id="{html.escape(op.get("operationId", ""))}"><h3><span class="m">'
            f"{method.upper()}</span> <code>{html.escape(path)}</code></h3>"
            f"<p>{html.escape(op.get('summary', ''))}</p>"
            + (f"<p>{html.escape(op.get('description', ''))}</p>" if op.get("description") else "")
            + (f"<p>Parameters:</p><ul>{params}</ul>" if params else "")
            + (f"<p>Request body: <code>{html.escape(request)}</code></p>" if request else "")
            + f"<p>Responses:</p><ul>{rows}</ul></section>")


def _model_html(name: str, schema: dict) -> str:
    required = set(schema.get("required", []))
    fields = "".join(f"<tr><td><code>{html.escape(f)}</code>{'' if f in required else ' (optional)'}</td>"
                     f"<td>{html.escape(_ref_name(s))}</td>"
                     f"<td>{html.escape(s.get('description', ''))}</td></tr>"
                     for f, s in schema.get("properties", {}).items())
    doc = f"<p>{html.escape(schema['description'])}</p>" if schema.get("description") else ""
    return (f'<section class="model" id="model-{html.escape(name)}"><h3>{html.escape(name)}</h3>{doc}'
            f"<table><tr><th>field</th><th>type</th><th>meaning</th></tr>{fields}</table></section>")


def docs_html(spec: dict, prefix: str = "") -> str:
    """The whole page: title, limits, every route (its path under ``prefix``), every model."""
    info = spec.get("info", {})
    routes = "".join(_route_html(prefix + path, method, op) for path, ops in spec.get("paths", {}).items()
                     for method, op in ops.items())
    schemas = spec.get("components", {}).get("schemas", {})
    models = "".join(_model_html(n, s) for n, s in sorted(schemas.items()))
    title = f"{info.get('title', '')} {info.get('version', '')}"
    return ('<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width"><title>{html.escape(title)}</title><style>'
            "body{font-family:system-ui,'WenQuanYi Micro Hei',sans-serif;max-width:60rem;margin:1rem auto;"
            "padding:0 1rem;color:#111}code{font-family:ui-monospace,monospace}.m{color:#1d4ed8}"
            "section{border-top:1px solid #ddd;padding:.3rem 0}table{border-collapse:collapse}"
            "td,th{border:1px solid #ddd;padding:.2rem .4rem;text-align:left;vertical-align:top}</style>"
            f"</head><body><h1>{html.escape(title)}</h1>"
            f"<p>{html.escape(info.get('description', ''))}</p>"
            '<p>Machine-readable: <a href="openapi.json">openapi.json</a>.</p>'
            f"<h2>Routes</h2>{routes}<h2>Models</h2>{models}</body></html>")
