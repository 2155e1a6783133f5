"""Render the first page of both samples' Word export to PNG for the README (docs/images/).

    .venv/bin/python scripts/render_samples.py [--pages N]

Exports resources/samples/*.pefx with the program's own export (forced: the 石峰 sample has
errors and shows the draft mark), converts each .docx with LibreOffice (the free substitute fonts
of resources/fonts/fonts.conf) and renders page 1..N with pdftoppm at 60 dpi.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    from perfeval_gui.io.docx_export import export_docx
    from perfeval_gui.io.pdf_export import convert_with_office, find_office
    from perfeval_gui.io.project_file import load_project

    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=1)
    parser.add_argument("--out", default=str(ROOT / "docs" / "images"))
    args = parser.parse_args()
    office = find_office()
    if office is None or not shutil.which("pdftoppm"):
        print("LibreOffice (soffice) and poppler-utils (pdftoppm) are needed.", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    env = {"FONTCONFIG_FILE": str(ROOT / "resources" / "fonts" / "fonts.conf")}
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("liuyang-2021", "shifeng-2023"):
            docx = Path(tmp) / f"{name}.docx"
            pdf = Path(tmp) / f"{name}.pdf"
            export_docx(load_project(ROOT / "resources" / "samples" / f"{name}.pefx"), docx)
            convert_with_office(docx, pdf, office, extra_env=env)
            prefix = Path(tmp) / name
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", str(args.pages), str(pdf), str(prefix)],
                           check=True)
            for png in sorted(Path(tmp).glob(f"{name}-*.png")):
                page = int(png.stem.rsplit("-", 1)[1])
                target = out / f"export-{name}-p{page}.png"
                shutil.copyfile(png, target)
                print(target.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
