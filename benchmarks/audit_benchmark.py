"""Benchmark `prodready audit` against repo-review (with sp-repo-review), and a portfolio audit.

    python benchmarks/audit_benchmark.py [--repos 1000] [--repeat 5]

It renders the support-assistant example once (cookiecutter), then:

* times `prodready audit REPO` and `repo-review REPO` (sp-repo-review's checks, plus
  prodready's own when both are installed) on that repository, round-robin after a
  warm-up, median wall time and peak RSS (wait4);
* copies the repository --repos times under benchmarks/data/portfolio (never committed)
  and times one `prodready audit benchmarks/data/portfolio --html ... --facts ...`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import yaml
from measure import measured, publish, wall_ratio

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"


def render_example() -> Path:
    from cookiecutter.main import cookiecutter

    from prodready.template.new import cookiecutter_context

    answers = {k: str(v) for k, v in yaml.safe_load((ROOT / "examples" / "support-assistant.yaml").read_text()).items()}
    out = Path(tempfile.mkdtemp(prefix="prodready-bench-"))
    return Path(
        cookiecutter(str(ROOT), no_input=True, extra_context=cookiecutter_context(answers), output_dir=str(out))
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repos", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    bindir = Path(sys.executable).parent
    repo = render_example()
    tools = {
        "prodready audit": [str(bindir / "prodready"), "audit", str(repo), "--format", "json"],
        "repo-review (sp-repo-review)": [str(bindir / "repo-review"), str(repo), "--format", "json"],
    }
    for command in tools.values():
        measured(command)
    runs: dict[str, list[tuple[float, int]]] = {name: [] for name in tools}
    for _ in range(args.repeat):
        for name, command in tools.items():
            runs[name].append(measured(command))
    single = {
        name: {"wall_seconds": round(statistics.median(r[0] for r in rs), 3), "peak_rss_mib": max(r[1] for r in rs)}
        for name, rs in runs.items()
    }
    portfolio = DATA / "portfolio"
    shutil.rmtree(portfolio, ignore_errors=True)
    portfolio.mkdir(parents=True)
    for index in range(args.repos):
        shutil.copytree(repo, portfolio / f"poc-{index:04d}", symlinks=True)
    command = [
        str(bindir / "prodready"),
        "audit",
        str(portfolio),
        "--format",
        "json",
        "--html",
        str(DATA / "portfolio.html"),
        "--facts",
        str(DATA / "facts"),
    ]
    measured(command)
    wall, rss, _ = measured(command)
    result = {
        "cpus": os.cpu_count(),
        "single_repository": single,
        "prodready_over_repo_review_wall": wall_ratio(single, "prodready audit", "repo-review (sp-repo-review)"),
        "portfolio": {"repositories": args.repos, "wall_seconds": round(wall, 2), "peak_rss_mib": rss},
    }
    publish(result, args.output)
    shutil.rmtree(repo.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
