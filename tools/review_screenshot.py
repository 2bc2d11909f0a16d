"""Make docs/images/review-pack.png: the review pack of the support-assistant example, as Chromium shows it.

The example is generated from this checkout, given a quarter of weekly KPI actuals, a
kill threshold, an extension and the pilot decision (``prepare``, which the review
pack's test uses too), and its pack is rendered and screenshot in headless Chromium.
The actuals are invented for the picture and say so in their source column.

    python tools/review_screenshot.py [--output docs/images/review-pack.png]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Headless Chromium without a network, a profile of its own or a sandbox (CI runs as root).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
)
#: The prodready of this interpreter (its console script).
PRODREADY = str(Path(sys.executable).parent / "prodready")
#: Weekly median hours to first response, from the 6.5-hour baseline to below the 2-hour target.
VALUES = (6.3, 5.8, 5.1, 4.4, 3.7, 3.0, 2.4, 1.9)


def kpi_actuals(today: date) -> list[tuple[date, float, str]]:
    """The KPI actuals ``prepare`` records: one a week, the newest yesterday."""
    first = today - timedelta(days=1 + 7 * (len(VALUES) - 1))
    return [(first + timedelta(days=7 * n), value, "helpdesk export (illustration)") for n, value in enumerate(VALUES)]


def prepare(root: Path, today: date) -> None:
    """Give a freshly generated support-assistant POC a quarter of actuals, a kill threshold and two decisions."""
    from prodready.review.decide import decide

    actuals = root / "kpi" / "actuals.csv"
    rows = "".join(f"{when},{value},{source}\n" for when, value, source in kpi_actuals(today))
    actuals.write_text(actuals.read_text(encoding="utf-8") + rows, encoding="utf-8")
    ownership = root / "ownership.yaml"
    text = ownership.read_text(encoding="utf-8")
    target = next(line for line in text.splitlines() if line.strip().startswith("target:"))
    ownership.write_text(text.replace(target, f"{target}\n    kill_threshold: 4", 1), encoding="utf-8")
    first = kpi_actuals(today)[0][0]
    decide(
        root,
        "extend",
        "The ticket history arrived six weeks late; the pilot needs the full quarter.",
        until=today + timedelta(days=120),
        today=first + timedelta(days=10),
    )
    decide(root, "pilot", "Median time to first response fell from 6.5 to 2.4 hours.", today=today - timedelta(days=5))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "images" / "review-pack.png")
    options = parser.parse_args(argv)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("chromium is not installed: apt-get install chromium")
    today = date.today()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        subprocess.run(
            [
                PRODREADY,
                "new",
                "--example",
                "support-assistant",
                "--generator",
                "copier",
                "--template",
                str(ROOT),
                "-o",
                str(work),
            ],
            check=True,
            capture_output=True,
        )
        root = work / "support-reply-assistant"
        prepare(root, today)
        html = work / "pack.html"
        subprocess.run([PRODREADY, "review", str(root), "--html", str(html)], check=True)
        options.output.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={work / 'profile'}",
                f"--screenshot={options.output}",
                "--window-size=1100,4700",
                html.as_uri(),
            ],
            check=True,
            capture_output=True,
        )
    print(f"wrote {options.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
