"""PDF export benchmark: the 浏阳 sample and a ~100-page report by each route (LibreOffice
conversion of the .docx; Qt rendering of the same blocks), each as a ratio to the .docx export
timed alternately in the same run (docx, pdf, docx, pdf …).

    .venv/bin/python bench/pdf.py [--reps N]        (writes bench/pdf-results.json)

Target (issue 18): the 100-page PDF in under 3 s here. Never run in a loop: 2 shared cores.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import synth  # noqa: E402


def _pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def main() -> int:
    from perfeval_gui.gui.pdf_render import ensure_gui_app, export_pdf
    from perfeval_gui.io.docx_export import export_docx
    from perfeval_gui.io.layout import build_layout
    from perfeval_gui.io.pdf_export import find_office

    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    ensure_gui_app()
    routes = ["qt"] + (["office"] if find_office() else [])
    results: dict = {"routes": routes}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for label, report in (("sample", synth.sample()), ("long", synth.synthetic_report(40, 200, text_chars=1200))):
            layout = build_layout(report)
            row = {}
            for route in routes:
                docx_t, pdf_t = [], []
                for _ in range(args.reps):
                    t = time.perf_counter()
                    export_docx(report, tmp / "r.docx", layout=layout)
                    docx_t.append(time.perf_counter() - t)
                    t = time.perf_counter()
                    export_pdf(report, tmp / "r.pdf", route=route, layout=layout)
                    pdf_t.append(time.perf_counter() - t)
                row[route] = {"pdf_s": statistics.median(pdf_t), "docx_s": statistics.median(docx_t),
                              "ratio": statistics.median(p / d for p, d in zip(pdf_t, docx_t)),
                              "pages": _pages(tmp / "r.pdf")}
                print(f"{label:6s} {route:6s} pdf {row[route]['pdf_s']:.3f} s  docx {row[route]['docx_s']:.3f} s  "
                      f"ratio {row[route]['ratio']:.1f}  pages {row[route]['pages']}")
            results[label] = row
    (ROOT / "bench" / "pdf-results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
