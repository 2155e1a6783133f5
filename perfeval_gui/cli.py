"""Command line: ``perfeval check|export|import-docx|template|export-excel|import-excel|rules-doc``.

Every command calls the same core/io functions the window uses. Exit codes: 0 ok, 1 findings
with errors (check) or refused export, 2 a file could not be read or written.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_FILE = 0, 1, 2


EXIT_BROKEN_PIPE = 141       # 128 + SIGPIPE, what a shell reports for a reader that went away


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def _safe(text: object) -> str:
    """Text from a report or a file name, safe for a terminal: control characters (escape
    sequences), bidi overrides and undecodable bytes of a file name are shown escaped."""
    text = str(text)
    out = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:                       # a non-UTF-8 byte of a file name
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF \
                or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def _load(path: str):
    from .io.project_file import load_project
    return load_project(path)


def _refuse_output(output: str, *inputs: str | None, writes_project: bool = False) -> str:
    """Why writing ``output`` is refused ("" = go on): it is one of the inputs (same file, links
    followed), or a project file that a .docx/.xlsx would replace."""
    from .io.atomic import same_file
    for given in inputs:
        if given and same_file(given, output):
            return (f"输出文件“{_safe(output)}”就是输入文件“{_safe(given)}”，写入会覆盖原文件，已拒绝。"
                    "请用 -o 指定另一个文件名。")
    if not writes_project and _is_project_file(output):
        return (f"“{_safe(output)}”是一个报告项目文件（.pefx），写入 Word/Excel 文件会覆盖它，已拒绝。"
                "请用 -o 指定另一个文件名。")
    return ""


def _is_project_file(path: str) -> bool:
    import os
    import stat
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        with open(path, "rb") as fh:
            head = fh.read(256)
    except OSError:
        return False
    return path.lower().endswith(".pefx") or b'"perfeval-project"' in head


def cmd_check(args) -> int:
    """Check every file; one that cannot be read (or checked) is reported and the rest go on."""
    import logging

    from .core.engine import Checker
    from .io.project_file import ProjectFileError

    worst = EXIT_OK
    rows = []
    for name in args.files:
        shown = _safe(name)
        try:
            report = _load(name)
            checker = Checker(report)
            findings = checker.check_all()
            summary = checker.summary()
        except (ProjectFileError, Exception) as exc:  # noqa: BLE001 - a batch goes on past any file
            if not isinstance(exc, ProjectFileError):
                logging.getLogger("perfeval").exception("check of %r failed", name)
            message = str(exc) if isinstance(exc, ProjectFileError) else f"程序内部错误（{type(exc).__name__}）"
            worst = EXIT_BAD_FILE
            if args.json:
                rows.append({"file": shown, "error": message})
            else:
                _out(f"== {shown}\n  无法读取：{_safe(message)}")
            continue
        if checker.profile_error:
            worst = EXIT_BAD_FILE
        elif summary.errors and worst == EXIT_OK:
            worst = EXIT_FINDINGS
        if args.json:
            for f in findings:
                rows.append({"file": shown, **f.to_json()})
        else:
            _out(f"== {shown}：{summary.text}")
            for f in findings:
                _out(f"  [{'已核实' if f.note is not None else f.severity.label}] {f.rule_id} {_safe(f.message)}")
                if f.quote:
                    _out(f"      原文：{_safe(f.quote)}")
                if f.note is not None:
                    _out(f"      说明：{_safe(f.note)}")
    if args.json:
        _out(_json_text(rows))
    return worst


def _json_text(data) -> str:
    """JSON for a terminal or a pipe: control characters are escaped by json; bidi overrides and
    lone surrogates are escaped here too (\\uXXXX, still valid JSON)."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return "".join(f"\\u{ord(ch):04x}" if (0x202A <= ord(ch) <= 0x202E or 0x2066 <= ord(ch) <= 0x2069
                                              or 0xD800 <= ord(ch) <= 0xDFFF) else ch for ch in text)


def cmd_export(args) -> int:
    from .core.engine import Checker
    from .io.atomic import WriteError
    from .io.docx_export import export_docx
    from .io.project_file import ProjectFileError

    refused = _refuse_output(args.output, args.project)
    if refused:
        _err(refused)
        return EXIT_BAD_FILE
    try:
        report = _load(args.project)
    except ProjectFileError as exc:
        _err(f"无法读取：{_safe(exc)}")
        return EXIT_BAD_FILE
    checker = Checker(report)
    checker.check_all()
    if checker.profile_error:
        _err(f"{_safe(checker.profile_error)}未导出。")
        return EXIT_BAD_FILE
    errors = [f for f in checker.findings if f.severity.value == "error"]
    if errors:
        _err(f"报告有 {len(errors)} 个错误：")
        for f in errors:
            _err(f"  [{f.severity.label}] {f.rule_id} {_safe(f.message)}")
        if not args.force:
            _err("未导出。改正错误后再导出，或加 --force 强制导出。")
            return EXIT_FINDINGS
    try:
        export_docx(report, args.output)
    except WriteError as exc:
        _err(_safe(exc))
        return EXIT_BAD_FILE
    _out(f"已导出：{_safe(args.output)}")
    return EXIT_OK


def cmd_import_docx(args) -> int:
    from .io.docx_import import DocxReadError, import_docx
    from .io.atomic import WriteError
    from .io.project_file import save_project

    refused = _refuse_output(args.output, args.docx, writes_project=True)
    if refused:
        _err(refused)
        return EXIT_BAD_FILE
    try:
        report = import_docx(args.docx)
        save_project(report, args.output)
    except (DocxReadError, WriteError) as exc:
        _err(_safe(exc))
        return EXIT_BAD_FILE
    _out(f"已导入：{_safe(args.output)}")
    return EXIT_OK


def cmd_template(args) -> int:
    from .io.atomic import WriteError
    from .io.excel_template import write_template

    refused = _refuse_output(args.output)
    if refused:
        _err(refused)
        return EXIT_BAD_FILE
    try:
        write_template(args.output)
    except WriteError as exc:
        _err(_safe(exc))
        return EXIT_BAD_FILE
    _out(f"已生成模板：{_safe(args.output)}")
    return EXIT_OK


def cmd_export_excel(args) -> int:
    from .io.atomic import WriteError
    from .io.excel_template import export_excel
    from .io.project_file import ProjectFileError

    refused = _refuse_output(args.output, args.project)
    if refused:
        _err(refused)
        return EXIT_BAD_FILE
    try:
        report = _load(args.project)
        export_excel(report, args.output)
    except (ProjectFileError, WriteError) as exc:
        _err(_safe(exc))
        return EXIT_BAD_FILE
    _out(f"已导出：{_safe(args.output)}")
    return EXIT_OK


def cmd_import_excel(args) -> int:
    from .core.edits import apply_changes, import_limit_problem, large_import, with_old_values
    from .core.model import Report
    from .io.atomic import WriteError
    from .io.excel_import import ExcelImportError, plan_import, read_workbook
    from .io.project_file import ProjectFileError, save_project

    refused = _refuse_output(args.output, args.workbook, args.into, writes_project=True)
    if refused:
        _err(refused)
        return EXIT_BAD_FILE
    try:
        report = _load(args.into) if args.into else Report()
        result = read_workbook(args.workbook)
        changes = with_old_values(report, plan_import(result, as_prior=(args.as_ == "prior"),
                                                       as_final=(args.as_ == "final")))
        problem = import_limit_problem(report, changes)
        if problem:
            _err(problem)
            return EXIT_BAD_FILE
        question = large_import(report, changes)
        if question and not args.yes:
            _err(f"{question}未导入：确认无误后请加 --yes 再运行。")
            return EXIT_FINDINGS
        apply_changes(report, changes)
        save_project(report, args.output)
    except (ExcelImportError, ProjectFileError, WriteError) as exc:
        _err(_safe(exc))
        return EXIT_BAD_FILE
    if args.json:
        _out(json.dumps([{"path": c.path, "value": None if c.new is None else str(c.new),
                          "source": c.source, "label": c.label} for c in changes],
                        ensure_ascii=False, indent=1))
    else:
        _out(f"版式：{result.layout_name}；导入 {len(changes)} 个数值 → {args.output}")
    return EXIT_OK


def cmd_rules_doc(args) -> int:
    from .core.rules_catalogue import catalogue_markdown
    text = catalogue_markdown()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        _out(text)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    from . import __version__
    p = argparse.ArgumentParser(prog="perfeval", description="部门整体支出绩效自评报告：检查、导入、导出")
    p.add_argument("--version", action="version", version=f"perfeval {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("check", help="检查一个或多个项目文件（.pefx）")
    s.add_argument("files", nargs="+")
    s.add_argument("--json", action="store_true", help="输出机器可读的 JSON")
    s.set_defaults(func=cmd_check)

    s = sub.add_parser("export", help="导出 Word 报告（.docx）")
    s.add_argument("project")
    s.add_argument("-o", "--output", required=True)
    s.add_argument("--force", action="store_true", help="有错误也导出")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("import-docx", help="从本程序导出的 .docx 读回报告")
    s.add_argument("docx")
    s.add_argument("-o", "--output", required=True)
    s.set_defaults(func=cmd_import_docx)

    s = sub.add_parser("template", help="生成本程序的 Excel 数据模板")
    s.add_argument("-o", "--output", required=True)
    s.set_defaults(func=cmd_template)

    s = sub.add_parser("export-excel", help="把报告的数字导出到 Excel 模板")
    s.add_argument("project")
    s.add_argument("-o", "--output", required=True)
    s.set_defaults(func=cmd_export_excel)

    s = sub.add_parser("import-excel", help="从 Excel 导入数字（上年数或本年数）")
    s.add_argument("workbook")
    s.add_argument("--into", help="导入到这个项目文件（默认新建）")
    s.add_argument("-o", "--output", required=True)
    s.add_argument("--as", dest="as_", choices=("prior", "current", "final"), default="prior",
                   help="prior=上年数（默认）；current=本年数；final=本年部门决算数（用于核对 DEC-01）")
    s.add_argument("--json", action="store_true")
    s.add_argument("--yes", action="store_true", help="确认：导入将整体替换上千行（如全部项目）时也执行")
    s.set_defaults(func=cmd_import_excel)

    s = sub.add_parser("rules-doc", help="生成规则目录（Markdown）")
    s.add_argument("-o", "--output")
    s.set_defaults(func=cmd_rules_doc)
    return p


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
        except (AttributeError, ValueError):
            pass
    args = build_parser().parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader went away (`perfeval check *.pefx | head`): end quietly, like any Unix tool
        import os
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_BROKEN_PIPE
    return code


if __name__ == "__main__":
    sys.exit(main())
