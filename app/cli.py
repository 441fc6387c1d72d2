"""The budgetqa command: ingest, list facts, ask, audit, serve, publish. (The eval is ``python -m
evals.runner``.)"""

from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import sys
from pathlib import Path

from app import config
from app.terminal import SafeStream, one_line, public_error
from ingest import template
from ingest.audit import audit
from ingest.ledger import Ledger, document_record
from ingest.maintenance import reindex, remove_document, resolve_one
from ingest.model import AllRefused, IngestError, csv_safe, fact_record
from ingest.pipeline import ingest
from ingest.settings import settings
from ingest.snapshot import dense_available, publish

EXIT_REFUSED = 2  # nothing was stored: every file refused, or a bad argument
EXIT_SOME_REFUSED = 3  # the good files were stored; each refused file has its own "error:" line


def _progress(msg: str) -> None:
    print(one_line(msg), file=sys.stderr, flush=True)


class _Bar:
    """A progress bar over "[i/n] reading …" messages on a terminal; plain lines otherwise (logs, CI)."""

    def __init__(self) -> None:
        self.bar = None

    def __call__(self, msg: str) -> None:
        import re

        m = re.match(r"\[(\d+)/(\d+)\] (.*)", msg)
        if not sys.stderr.isatty() or not m:
            if self.bar is not None:
                self.bar.close()
                self.bar = None
            _progress(msg)
            return
        from tqdm import tqdm

        if self.bar is None:
            self.bar = tqdm(total=int(m.group(2)), unit="file", file=sys.stderr)
        self.bar.set_description(one_line(m.group(3))[:40])
        self.bar.n = int(m.group(1))
        self.bar.refresh()


def cmd_ingest(args: argparse.Namespace) -> int:

    store = config.store_path(args.store)
    try:
        report = ingest([Path(p) for p in args.paths], store, progress=_Bar(), index=not args.no_index,
                        replace=args.replace)
    except AllRefused as e:  # each file on its own line, however many
        for _, reason in e.refused:
            print(f"error: {one_line(public_error(IngestError(reason), limit=1000))}", file=sys.stderr)
        print(f"nothing was changed in the store ({len(e.refused)} files refused)", file=sys.stderr)
        return EXIT_REFUSED
    except IngestError as e:
        print(f"error: {one_line(public_error(e, limit=1000))}", file=sys.stderr)  # no temp paths or reprs
        print("nothing was changed in the store", file=sys.stderr)
        return EXIT_REFUSED
    _print_report(report)
    return EXIT_SOME_REFUSED if report.refused or report.stopped else 0


def _print_report(report) -> None:  # type: ignore[no-untyped-def]
    """One line per stored document, warning and refused file (names escaped: one record, one line)."""
    for key, doc_id, action in report.documents:
        print(one_line(f"{action:9s} {doc_id}  {key}"))
    for w in report.warnings:
        print(one_line(f"warning: {w}"))
    for _, reason in report.refused:
        print(one_line(f"error: {reason}"), file=sys.stderr)
    if report.stopped:
        print(one_line(f"error: {report.stopped}"), file=sys.stderr)
    print(report.summary())


def cmd_reindex(args: argparse.Namespace) -> int:

    result = reindex(config.store_path(args.store), _progress)
    print(f"index rebuilt from the ledger: {result['added']} documents")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    """Remove one document (id, id prefix, file name or path) from the ledger, then from the index."""

    ledger = Ledger(config.store_path(args.store))
    try:
        removed = remove_document(ledger, args.document)
    except IngestError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    finally:
        ledger.close()
    d = removed.document
    print(one_line(f"removed   {d.id}  {d.source_key}  ({removed.facts} facts; {removed.index_note})"))
    return 0


def _open_engine(store: Path):  # type: ignore[no-untyped-def]
    """The engine; a read-only store uses a Chroma server's index (BUDGETQA_CHROMA_URL), else BM25 only."""
    from app.engine import Engine

    dense = dense_available(store)
    if not dense:
        print("note: the store is read-only; answering without the dense index", file=sys.stderr)
    # the model loads only if a question needs it; a lagging index never delays an answer
    return Engine.open(store, dense=dense, warm=False, catch_up="off")


def _stdin_questions():  # type: ignore[no-untyped-def]
    """One question per stdin line, whatever the bytes: invalid UTF-8 becomes U+FFFD, never a crash."""
    for raw in sys.stdin.buffer:
        yield raw.decode("utf-8", errors="replace").strip()


def _resolve_document(ledger, ref: str | None) -> str | None:
    """id, id prefix, file name or path; a name shared by two documents asks for the id."""

    if not ref:
        return None
    try:
        return resolve_one(ledger, ref).id
    except IngestError as e:
        raise SystemExit(f"error: {e}") from None


def cmd_facts(args: argparse.Namespace) -> int:

    ledger = Ledger(config.store_path(args.store))
    doc_id = _resolve_document(ledger, args.document)
    table = None if args.table is None else (f"{int(args.table):02d}" if args.table.isdigit() else args.table)
    facts = ledger.facts(document_id=doc_id, table_id=table)
    rows = [csv_safe(fact_record(f)) if args.csv else fact_record(f) for f in facts]
    if args.csv:
        w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["id"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    else:
        for r in rows:
            print(f"[{r['table']}] {r['side'] + ' ' if r['side'] else ''}{r['row']} | {r['column']} = "
                  f"{r['value'] or '(blank)'} {r['unit']}  (line {r['line'] or '-'}, "
                  f"page {r['page'] or '-'})")
        print(f"{len(rows)} facts", file=sys.stderr)
    return 0


def cmd_documents(args: argparse.Namespace) -> int:

    ledger = Ledger(config.store_path(args.store))
    if args.json:
        print(json.dumps([document_record(ledger, d) for d in ledger.documents()], ensure_ascii=False,
                         indent=1))
        return 0
    for d in ledger.documents():
        parent = f"  parent {d.parent}" if d.parent else ""
        print(one_line(f"{d.id}  {d.department}  {d.region}  {d.year}  {d.kind}  ({d.level}){parent}  "
                       f"{d.source_key}"))
        rep = ledger.report(d.id)
        if "tables_found" in rep:  # a text file's report counts only its comparisons
            cov = "-" if rep.get("coverage_pct") is None else f"{rep['coverage_pct']}%"
            print(f"    read: tables {rep['tables_found']} found / {rep['tables_listed']} listed; "
                  f"{rep['table_facts_with_value']} table figures of {rep['printed_figures']} "
                  f"printed ({cov})")
        if d.default_unit_note:
            print(f"    default unit {d.default_unit}: {d.default_unit_note}")
        for w in ledger.warnings(d.id):
            print(one_line(f"    warning: {w}"))
        tables = ledger.tables(d.id)
        typed, printed = template.coverage(tables)
        print(f"    template: {typed} of {printed} printed tables typed")
        for t in tables:
            kind = f" [{t.type or 'untyped'}{', ' + t.fund if t.fund else ''}]"
            print(one_line(f"    table {t.table_id} {t.title}{kind}: {t.status}, unit {t.unit or '-'} "
                           f"({t.unit_source or '-'}), {t.n_facts} facts{'; ' + t.note if t.note else ''}"))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:

    ledger = Ledger(config.store_path(args.store))
    doc_id = _resolve_document(ledger, args.document)
    total = 0
    for d in ledger.documents():
        if doc_id and d.id != doc_id:
            continue
        findings = audit(ledger.facts(document_id=d.id))
        total += len(findings)
        if args.json:
            for f in findings:
                print(json.dumps({"document": d.source_key, "kind": f.kind, "message": f.message,
                                  "cells": [fact_record(x) for x in f.facts]}, ensure_ascii=False))
            continue
        print(one_line(f"{d.title} ({d.source_key}): {len(findings)} finding(s)"))
        for f in findings:
            print(f"  [{f.kind}] {f.message}")
            for x in f.facts:
                where = f"page {x.page}" if x.page else f"line {x.line}"
                print(f"      {x.table_id or 'narrative'} · {x.row_label} / {x.column} = "
                      f"{x.value} {x.unit} ({where})")
    return 1 if total and args.strict else 0


def cmd_ask(args: argparse.Namespace) -> int:
    engine = _open_engine(config.store_path(args.store))
    scope = args.scope or None
    questions = [args.question] if args.question else _stdin_questions()
    earlier: list[str] = []
    for q in questions:
        if not q:
            continue
        answer = engine.ask(q, scope=scope, debug=args.debug, history=earlier if args.conversation else None)
        earlier.append(q)
        if args.json:
            print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
        else:
            print(answer.render_text(), flush=True)
            if args.debug:
                print(json.dumps(answer.debug, ensure_ascii=False, indent=1))
            print()
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    """Sync the index into the Chroma server, then write a read-only snapshot for serving replicas."""

    try:
        info = publish(config.store_path(args.store), Path(args.to), url=args.chroma_url, progress=_progress)
    except (FileExistsError, FileNotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_REFUSED
    url = args.chroma_url or settings().chroma_url
    where = (f"index on {url}" if "chroma_prefix" in info
             else "no Chroma server: replicas answer with BM25 only")
    print(f"published {info['documents']} documents to {args.to} (read-only); {where}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    if args.workers:  # the UI in its own process, N read workers for /api/v1 behind one port
        from app.api.server import serve as serve_with_workers

        serve_with_workers(config.store_path(args.store), args.host, args.port, args.workers, args.api_port)
        return 0
    from app.web.app import serve

    serve(config.store_path(args.store), host=args.host, port=args.port)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="budgetqa", description="Exact, cited answers from budget disclosures.")
    sub = p.add_subparsers(dest="command", required=True)

    def with_store(sp: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sp.add_argument("--store", help="store folder (default: $BUDGETQA_STORE or data/store)")
        return sp

    sp = with_store(sub.add_parser("ingest", help="read disclosures into the store"))
    sp.add_argument("paths", nargs="+")
    sp.add_argument("--no-index", action="store_true",
                    help="store only (answerable at once); `budgetqa serve` indexes in the background")
    sp.add_argument("--replace", action="store_true",
                    help="a re-issue of a stored disclosure (same department, year and kind) replaces it; "
                         "without this both are kept and answers name both")
    sp.set_defaults(func=cmd_ingest)
    sp = with_store(sub.add_parser("reindex", help="rebuild the Chroma index from the ledger"))
    sp.set_defaults(func=cmd_reindex)
    sp = with_store(sub.add_parser("remove", help="remove one document from the store"))
    sp.add_argument("document", help="document id, id prefix, file name or path")
    sp.set_defaults(func=cmd_remove)
    sp = with_store(sub.add_parser("facts", help="list facts"))
    sp.add_argument("--document", help="document id, id prefix or file name")
    sp.add_argument("--table", help="table number, e.g. 01")
    sp.add_argument("--csv", action="store_true")
    sp.set_defaults(func=cmd_facts)
    sp = with_store(sub.add_parser("documents", help="list documents and their tables"))
    sp.add_argument("--json", action="store_true", help="a JSON list, one object per document")
    sp.set_defaults(func=cmd_documents)
    sp = with_store(sub.add_parser("audit", help="find where a disclosure contradicts itself"))
    sp.add_argument("--document", help="document id, id prefix or file name")
    sp.add_argument("--json", action="store_true", help="one JSON object per finding")
    sp.add_argument("--strict", action="store_true", help="exit 1 when anything is found")
    sp.set_defaults(func=cmd_audit)
    sp = with_store(sub.add_parser("ask", help="answer a question (or one per stdin line)"))
    sp.add_argument("question", nargs="?")
    sp.add_argument("--json", action="store_true", help="one JSON object per line")
    sp.add_argument("--debug", action="store_true", help="show retrieval candidates and scores")
    sp.add_argument("--conversation", action="store_true",
                    help="read stdin lines as one conversation: follow-ups (那去年呢？) use the earlier questions")
    sp.add_argument("--scope", action="append", help="limit to a document (id or file name); repeatable")
    sp.set_defaults(func=cmd_ask)
    sp = with_store(sub.add_parser("publish", help="write a read-only snapshot of the store for replicas"))
    sp.add_argument("--to", required=True, help="a new folder for the snapshot")
    sp.add_argument("--chroma-url", help="the shared Chroma server (default: $BUDGETQA_CHROMA_URL)")
    sp.set_defaults(func=cmd_publish)
    sp = with_store(sub.add_parser("serve", help="serve the web chat"))
    sp.add_argument("--host", default="127.0.0.1")
    sp.add_argument("--port", type=int, default=7860)
    sp.add_argument("--workers", type=int, default=0,
                    help="also serve /api/v1 from N read-only worker processes on --api-port (one per core)")
    sp.add_argument("--api-port", type=int, help="the workers' port (default: --port + 1)")
    sp.set_defaults(func=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    out, err = sys.stdout, sys.stderr
    if not isinstance(out, SafeStream):  # names and cells from files never drive the terminal
        sys.stdout, sys.stderr = SafeStream(out), SafeStream(err, keep_cr=True)
    try:
        return _run(argv)
    finally:
        sys.stdout, sys.stderr = out, err


def _run(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except KeyboardInterrupt:
        print("interrupted; the store is as it was before this command", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except (OSError, sqlite3.Error) as e:  # full disk, read-only or damaged store: one line, no traceback
        print(f"error: {public_error(e)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
