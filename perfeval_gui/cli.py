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
    try:
        chosen = load_profile_option(args.profile) if getattr(args, "profile", None) else None
    except ValueError as exc:           # ProfileError: the profile cannot be used at all (names key and line)
        _err(str(exc))
        return EXIT_BAD_FILE
    summary_rows = [] if getattr(args, "summary", None) else None
    if summary_rows is not None:
        refused = _refuse_output(args.summary, *args.files)
        if refused:
            _err(refused)
            return EXIT_BAD_FILE
    for name in args.files:
        shown = _safe(name)
        try:
            report = _load(name)
            if chosen is not None:
                switch_report_to(report, chosen)
            checker = Checker(report, chosen)
            findings = checker.check_all()
            summary = checker.summary()
        except (ProjectFileError, Exception) as exc:  # noqa: BLE001 - a batch goes on past any file
            if not isinstance(exc, ProjectFileError):
                logging.getLogger("perfeval").exception("check of %r failed", name)
            message = str(exc) if isinstance(exc, ProjectFileError) else f"程序内部错误（{type(exc).__name__}）"
            worst = EXIT_BAD_FILE
            if summary_rows is not None:
                summary_rows.append(_summary_unreadable(name, str(exc)))
            if args.json:
                rows.append({"file": shown, "error": message})
            else:
                _out(f"== {shown}\n  无法读取：{_safe(message)}")
            continue
        if summary_rows is not None:
            summary_rows.append(_summary_row(name, report, checker))
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
    if summary_rows is not None and not _write_summary(summary_rows, args.summary):
        return EXIT_BAD_FILE
    return worst


def _json_text(data) -> str:
    """JSON for a terminal or a pipe: control characters are escaped by json; bidi overrides and
    lone surrogates are escaped here too (\\uXXXX, still valid JSON)."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return "".join(f"\\u{ord(ch):04x}" if (0x202A <= ord(ch) <= 0x202E or 0x2066 <= ord(ch) <= 0x2069
                                              or 0xD800 <= ord(ch) <= 0xDFFF) else ch for ch in text)


def _summary_row(name, report, checker):
    from .io.summary import report_row
    return report_row(name, report, checker)


def _summary_unreadable(name, message):
    from .io.summary import unreadable_row
    return unreadable_row(name, message)


def _write_summary(rows, path) -> bool:
    """check --summary: the reviewer workbook (io/summary.py, the same as 文件 → 批量检查…)."""
    from .io.atomic import WriteError
    from .io.summary import write_summary
    try:
        write_summary(rows, path)
    except WriteError as exc:
        _err(_safe(exc))
        return False
    _err(f"已写出汇总表：{_safe(path)}（{len(rows)} 份报告）")
    return True


def cmd_export(args) -> int:
    """.docx or .pdf by the output's suffix; the same export functions the window calls."""
    from .core.engine import Checker
    from .io.atomic import WriteError
    from .io.project_file import ProjectFileError

    refused = _refuse_output(args.output, args.project)
    if refused:
        _err(refused)
        return EXIT_BAD_FILE
    suffix = Path(args.output).suffix.lower()
    if suffix not in (".docx", ".pdf"):
        _err(f"不支持的导出格式“{suffix or '（无扩展名）'}”：输出文件名应以 .docx（Word）或 .pdf 结尾。")
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
        if suffix == ".pdf":
            from .gui.pdf_render import export_pdf
            from .io.pdf_export import PdfExportError
            try:
                result = export_pdf(report, args.output, route=args.pdf_route, draft_errors=len(errors),
                                    layout=_forms_layout(args, report, len(errors)))
            except PdfExportError as exc:
                _err(f"PDF 导出失败：{exc}")
                return EXIT_BAD_FILE
        else:
            from .io.docx_export import export_docx
            result = export_docx(report, args.output, draft_errors=len(errors),
                                 layout=_forms_layout(args, report, len(errors)))
    except WriteError as exc:
        _err(_safe(exc))
        return EXIT_BAD_FILE
    for warning in result.warnings:
        _err(f"提示：{_safe(warning)}")
    if result.draft_errors:
        _err(f"注意：报告尚有 {result.draft_errors} 个错误，已强制导出；每页页眉印有"
             f"“草稿：本报告尚有 {result.draft_errors} 个错误，不得报送”。")
    how = {"office": "（PDF 由 LibreOffice 转换）", "qt": "（PDF 由内置排版生成）"}.get(result.route, "")
    _out(f"已导出：{_safe(args.output)}{how}")
    return EXIT_OK


def cmd_import_docx(args) -> int:
    from .io.docx_import import DocxReadError, read_docx
    from .io.atomic import WriteError
    from .io.project_file import save_project

    refused = _refuse_output(args.output, args.docx, writes_project=True)
    if refused:
        _err(refused)
        return EXIT_BAD_FILE
    try:
        result = read_docx(args.docx)
        save_project(result.report, args.output)
    except (DocxReadError, WriteError) as exc:
        _err(_safe(exc))
        return EXIT_BAD_FILE
    as_json = getattr(args, "json", False)
    _print_docx_reading(result, as_json)
    (_err if as_json else _out)(f"已导入：{_safe(args.output)}")
    return EXIT_OK


def _print_docx_reading(result, as_json: bool) -> None:
    """import-docx: what was read and from which sentence (hand-written), or where the body edited
    in Word differs from the embedded model (exported file) — never applied silently."""
    if as_json:
        _out(json.dumps({"embedded": result.embedded,
                         "items": [i.to_json() for i in result.items],
                         "differences": [d.to_json() for d in result.differences]},
                        ensure_ascii=False, indent=1))
        return
    if result.embedded:
        if result.differences:
            _out(f"正文在 Word 中改过，以下 {len(result.differences)} 处以正文为准（嵌入数据中的原值 → 正文）：")
            for d in result.differences:
                _out(f"  {d.label}（{d.path}）：{_short(d.embedded)} → {_short(d.body)}")
        return
    _out(f"从正文读出 {len(result.items)} 个数值：")
    for item in result.items:
        value = format(item.value, "f") if hasattr(item.value, "as_tuple") else item.value
        _out(f"  {item.label}：{value}")
        _out(f"      原文：{_short(item.sentence, 80)}")


def _short(value, limit: int = 40) -> str:
    text = "（空）" if value in (None, "") else str(value).replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "…"


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
    from .core.edits import apply_changes, import_limit_problem, large_import
    from .core.imports import MODE_LABELS, change_to_data, plan_import
    from .core.model import Report
    from .io.atomic import WriteError
    from .io.excel_import import ExcelImportError, read_workbook
    from .io.project_file import ProjectFileError, save_project

    refused = _refuse_output(args.output, args.workbook, args.into, writes_project=True)
    if refused:
        _err(refused)
        return EXIT_BAD_FILE
    try:
        report = _load(args.into) if args.into else Report()
        result = read_workbook(args.workbook)
    except (ExcelImportError, ProjectFileError) as exc:
        _err(_safe(exc))
        return EXIT_BAD_FILE
    changes = plan_import(report, result.values, args.as_)
    for w in result.warnings:
        _err(f"提示：{_safe(w)}")
    if not changes:
        lists = [v.label for v in result.values if isinstance(v.value, (list, str))]
        why = ""
        if args.as_ != "current" and lists:
            why = (f"作为{MODE_LABELS[args.as_]}只导入数字，文件中的{'、'.join(lists[:4])}"
                   "需用 --as current 作为本年数导入。")
        elif not result.values:
            why = "文件中没有读到可导入的数值。"
        else:
            why = "读到的数值与报告中的相同。"
        if args.json:
            _out(json.dumps({"layout": result.layout_name, "changes": [], "message": "没有可导入的修改：" + why},
                            ensure_ascii=False, indent=1))
        else:
            _err(f"没有可导入的修改：{why}未写出文件。")
        return EXIT_FINDINGS
    problem = import_limit_problem(report, changes)
    if problem:
        _err(problem)
        return EXIT_BAD_FILE
    question = large_import(report, changes)
    if question and not args.yes:
        _err(f"{question}未导入：确认无误后请加 --yes 再运行。")
        return EXIT_FINDINGS
    try:
        apply_changes(report, changes)
        save_project(report, args.output)
    except WriteError as exc:
        _err(_safe(exc))
        return EXIT_BAD_FILE
    if args.json:
        _out(json.dumps({"layout": result.layout_name, "output": str(args.output),
                         "changes": [change_to_data(c) for c in changes]}, ensure_ascii=False, indent=1))
    else:
        _out(f"版式：{result.layout_name}；导入 {len(changes)} 项修改（{MODE_LABELS[args.as_]}）→ {args.output}")
        for c in changes[:200]:
            _out(f"  {c.label}：{_show(c.old)} → {_show(c.new)}　（{c.source}）")
        if len(changes) > 200:
            _out(f"  …另 {len(changes) - 200} 项")
    return EXIT_OK


def cmd_next_year(args) -> int:
    """next year's report from this one (the same function as 文件 → 新建下一年度报告)."""
    from .core.next_year import CLEAR, KEEP, narrative_parts, start_next_year
    from .io.atomic import WriteError
    from .io.project_file import ProjectFileError, save_project

    refused = _refuse_output(args.output, args.project, writes_project=True)
    if refused:
        _err(refused)
        return EXIT_BAD_FILE
    try:
        report = _load(args.project)
    except ProjectFileError as exc:
        _err(f"无法读取：{_safe(exc)}")
        return EXIT_BAD_FILE
    parts = {sid: heading for sid, heading, _ in narrative_parts(report)}
    unknown = [s for s in args.clear if s not in parts and s != "all"]
    if unknown:
        _err(f"没有这些有文字的部分：{'、'.join(unknown)}。可选：{'、'.join(parts)} 或 all。")
        return EXIT_BAD_FILE
    clear_all = "all" in args.clear
    choices = {sid: CLEAR if clear_all or sid in args.clear else KEEP for sid in parts}
    new = start_next_year(report, choices)
    try:
        save_project(new, args.output)
    except WriteError as exc:
        _err(_safe(exc))
        return EXIT_BAD_FILE
    kept = [parts[s] for s, c in choices.items() if c == KEEP]
    _out(f"已新建 {new.meta.fiscal_year or ''} 年度报告：{args.output}")
    _out(f"本年数已作为上年数（{len(new.prior_year)} 项）；沿用为草稿（待更新）的部分：{len(kept)} 个，清空：{len(parts) - len(kept)} 个。")
    return EXIT_OK


def _show(value) -> str:
    """A value of an import change for the terminal."""
    from decimal import Decimal
    if value is None or value == "":
        return "（空）"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return f"{len(value)} 行"
    name = getattr(value, "name", None)
    if isinstance(name, str):
        return f"“{name}”"
    return str(value)


def load_profile_option(spec: str):
    """``check --profile NAME|FILE``: a FILE (a path or a name ending in .toml) is read and validated; a
    NAME is looked up among the shipped and the user's profiles. Raises ProfileError (Chinese, naming
    the key and line)."""
    from pathlib import Path

    from .core.profiles import load_profile_file, resolve
    if spec.lower().endswith(".toml") or "/" in spec or "\\" in spec or Path(spec).is_file():
        return load_profile_file(spec)
    return resolve(spec)


def switch_report_to(report, profile) -> None:
    """The report as it would be under ``profile``: the same switch the window makes
    (core.profiles.plan_switch: outline, profile, text moved), in memory only."""
    from .core.edits import apply_changes
    from .core.profiles import plan_switch
    apply_changes(report, plan_switch(report, profile.name).changes)


def cmd_profiles(args) -> int:
    """``perfeval profiles``: the shipped and the user's profiles with their Chinese names."""
    from .core.profiles import list_profiles, resolve
    rows = []
    for info in list_profiles():
        row = {"name": info.name, "title": info.title, "province": info.province, "outline": info.outline_id,
               "outline_name": info.outline_name}
        if info.error:
            row["error"] = info.error
        else:
            data = resolve(info.name).data
            row["forms"] = list((data.get("forms") or {}).get("include") or [])
            row["documents"] = list((data.get("package") or {}).get("documents") or [])
        rows.append(row)
    if args.json:
        _out(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for row in rows:
            if "error" in row:
                _out(f"{row['name']}  （无法使用）{row['error']}")
                continue
            _out(f"{row['name']}  {row['title']}  [{row['province']}]  提纲：{row['outline_name']}（{row['outline']}）")
            if row["documents"]:
                _out(f"    报送材料：{'；'.join(row['documents'])}")
    return EXIT_BAD_FILE if any("error" in r for r in rows) else EXIT_OK


def cmd_rules_doc(args) -> int:
    from .core.rules_catalogue import catalogue_markdown
    text = catalogue_markdown()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        _out(text)
    return EXIT_OK


def cmd_export_forms(args) -> int:
    """perfeval export-forms FILE.pefx -o 自评表.xlsx: the submission forms as one workbook (issue 17)."""
    from .core.forms import FORM_IDS
    from .io.atomic import WriteError
    from .io.forms_xlsx import export_forms
    from .io.project_file import ProjectFileError

    include = None
    if args.only:
        wanted = [w.strip() for part in args.only for w in part.split(",") if w.strip()]
        unknown = [w for w in wanted if w not in FORM_IDS]
        if unknown:
            _err(f"未知的附表：{'、'.join(unknown)}（可选：{'、'.join(FORM_IDS)}）")
            return EXIT_BAD_FILE
        include = tuple(f for f in FORM_IDS if f in wanted)
    try:
        report = _load(args.project)
        export_forms(report, args.output, include)
    except (ProjectFileError, WriteError) as exc:
        _err(str(exc))
        return EXIT_BAD_FILE
    _out(f"已导出附表：{args.output}")
    return EXIT_OK


def _forms_layout(args, report, errors: int):
    """``export --forms``: the report's layout with the forms appended as 附件1, 附件2 … (None: the report alone)."""
    if not getattr(args, "forms", False):
        return None
    from .io.forms_layout import layout_with_forms
    return layout_with_forms(report, errors)


def _add_forms_commands(sub) -> None:
    from .core import fields
    export = sub.choices.get("export")
    if export is not None:
        export.add_argument("--forms", action="store_true",
                            help="在报告之后附上部门整体支出绩效自评表、基础数据表和项目支出绩效自评表（附件1、附件2…）")
    s = sub.add_parser("export-forms", help="导出部门整体支出绩效自评表、基础数据表和项目支出绩效自评表（.xlsx）")
    s.add_argument("project")
    s.add_argument("-o", "--output", required=True)
    s.add_argument("--only", action="append", metavar="FORM",
                   help="只导出这些附表（可多次或用逗号分隔）：" +
                        "，".join(f"{c}={fields.FORMS.label(c)}" for c in fields.FORMS.codes()))
    s.set_defaults(func=cmd_export_forms)


def build_parser() -> argparse.ArgumentParser:
    from . import __version__
    p = argparse.ArgumentParser(prog="perfeval", description="部门整体支出绩效自评报告：检查、导入、导出")
    p.add_argument("--version", action="version", version=f"perfeval {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("check", help="检查一个或多个项目文件（.pefx）")
    s.add_argument("files", nargs="+")
    s.add_argument("--json", action="store_true", help="输出机器可读的 JSON")
    s.add_argument("--summary", metavar="汇总.xlsx", help="另写一份汇总工作簿（每份报告一行，另附全部问题）")
    s.add_argument("--profile", help="按这个配置检查：配置名（见 perfeval profiles）或 .toml 文件")
    s.set_defaults(func=cmd_check)

    s = sub.add_parser("export", help="导出报告：Word（.docx）或 PDF（.pdf），按输出文件的扩展名")
    s.add_argument("project")
    s.add_argument("-o", "--output", required=True)
    s.add_argument("--force", action="store_true", help="有错误也导出（每页标注“草稿”）")
    s.add_argument("--pdf-route", choices=("auto", "office", "qt"), default="auto",
                   help="PDF 的生成方式：auto=有 LibreOffice 时用它转换，否则内置排版（默认）")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("import-docx", help="从 .docx 读回报告（本程序导出的，或手写的）")
    s.add_argument("docx")
    s.add_argument("-o", "--output", required=True)
    s.add_argument("--json", action="store_true", help="以 JSON 列出读出的数值及原句（或正文与嵌入数据的差异）")
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

    _add_next_year_parser(sub)

    s = sub.add_parser("rules-doc", help="生成规则目录（Markdown）")
    s.add_argument("-o", "--output")
    s.set_defaults(func=cmd_rules_doc)
    _add_profiles_parser(sub)
    _add_forms_commands(sub)
    return p


def _add_profiles_parser(sub) -> None:
    s = sub.add_parser("profiles", help="列出可用的报告配置（省份/模板），含用户自己的配置")
    s.add_argument("--json", action="store_true", help="输出机器可读的 JSON")
    s.set_defaults(func=cmd_profiles)


def _add_next_year_parser(sub) -> None:
    s = sub.add_parser("next-year", help="从本年度报告新建下一年度报告（本年数成为上年数）")
    s.add_argument("project")
    s.add_argument("-o", "--output", required=True)
    s.add_argument("--clear", nargs="*", default=[], metavar="部分",
                   help="清空这些部分的文字（部分编号如 一.一 六，或 all）；其余沿用为草稿（待更新）")
    s.set_defaults(func=cmd_next_year)


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
