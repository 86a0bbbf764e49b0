"""Render the README's picture of the 通报 document: last month's bulletin of a seeded demo database,
converted by LibreOffice and its first page turned into a PNG by pdftoppm (Debian: libreoffice-writer,
poppler-utils). The office's own machines have 方正小标宋简体, 仿宋_GB2312, 黑体 and 楷体_GB2312; here
free fonts stand in for them (fonts-noto-cjk, fonts-arphic-ukai when installed, else the Noto Sans CJK SC
of the mplfonts wheel). Run: .venv/bin/python docs/document_screenshot.py [--print-text]"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.demo_data import demo_database  # noqa: E402
from reports.bulletin import compose_bulletin  # noqa: E402
from reports.bulletin_document import build_bulletin_document  # noqa: E402
from reports.periods import month  # noqa: E402
from storage.org import unit_by_name  # noqa: E402
from tests.browser import cjk_fontconfig  # noqa: E402

# what stands in for each 公文 font where it is missing (fontconfig tries them in order)
STAND_INS = {
    "方正小标宋简体": ["Noto Serif CJK SC", "Noto Sans CJK SC"],
    "仿宋_GB2312": ["Noto Serif CJK SC", "Noto Sans CJK SC"],
    "楷体_GB2312": ["AR PL UKai CN", "Noto Serif CJK SC", "Noto Sans CJK SC"],
    "黑体": ["Noto Sans CJK SC"],
    "宋体": ["Noto Serif CJK SC", "Noto Sans CJK SC"],
}
NOW = datetime(2026, 11, 2, 9, 0)  # the Monday after 1 November 2026 (a Sunday): the monthly push


def fontconfig(folder: Path) -> Path:
    base = cjk_fontconfig(folder).read_text()
    rules = "".join(
        f'<alias binding="same"><family>{name}</family><prefer>'
        + "".join(f"<family>{f}</family>" for f in fonts)
        + "</prefer></alias>"
        for name, fonts in STAND_INS.items()
    )
    conf = folder / "stand-ins.conf"
    conf.write_text(base.replace("</fontconfig>", rules + "</fontconfig>"))
    return conf


def document(folder: Path) -> tuple[bytes, str]:
    from zoneinfo import ZoneInfo

    now = NOW.replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    db = demo_database(f"sqlite:///{folder}/demo.db", now.date())
    with db.readers() as session:
        street = unit_by_name(session, "新城街道")
        october = month(2026, 10)
        return build_bulletin_document(session, street, october, now), compose_bulletin(
            session, street, october, now
        )


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        content, text = document(folder)
        (folder / "bulletin.docx").write_bytes(content)
        env = {"FONTCONFIG_FILE": str(fontconfig(folder)), "HOME": str(folder), "PATH": "/usr/bin:/bin"}
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{folder}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                str(folder / "bulletin.docx"),
            ],
            env=env,
            check=True,
            capture_output=True,
            timeout=180,
        )
        out = ROOT / "docs" / "bulletin-document"
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(folder / "bulletin.pdf"),
                str(out),
            ],
            check=True,
        )
        print(f"wrote {out}.png")
        if "--print-text" in sys.argv:
            print(text)


if __name__ == "__main__":
    main()
