"""Render the template the way users do: through each generator's own command line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from prodready.template.new import cookiecutter_context, destination_name

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
BIN = Path(sys.executable).parent
ANSWER_FILES = {".copier-answers.yml", ".cruft.json"}


def tool(name: str) -> str:
    """A console script installed beside the running Python (the test environment's)."""
    path = BIN / name
    if not path.exists():
        found = shutil.which(name)
        assert found, f"{name} is not installed in the test environment"
        return found
    return str(path)


def example(name: str) -> dict[str, str]:
    """An example answers file as answer strings."""
    data = yaml.safe_load((ROOT / "examples" / f"{name}.yaml").read_text(encoding="utf-8"))
    return {key: str(value) for key, value in data.items()}


@dataclass
class Result:
    returncode: int
    output: str
    destination: Path


def run(
    command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def render(generator: str, template: Path, answers: dict[str, str], out: Path) -> Result:
    """Render ``answers`` with one generator's CLI into ``out``/<slug>."""
    out.mkdir(parents=True, exist_ok=True)
    destination = out / destination_name(answers)
    if generator == "cookiecutter":
        pairs = [f"{k}={v}" for k, v in cookiecutter_context(answers).items()]
        proc = run([tool("cookiecutter"), "--no-input", "-o", str(out), str(template), *pairs])
    elif generator == "cruft":
        context = json.dumps(cookiecutter_context(answers))
        proc = run(
            [tool("cruft"), "create", "--no-input", "--extra-context", context, "--output-dir", str(out), str(template)]
        )
    elif generator == "copier":
        data = out / f".{destination.name}.answers.yml"
        data.write_text(yaml.safe_dump(answers, allow_unicode=True), encoding="utf-8")
        proc = run(
            [
                tool("copier"),
                "copy",
                "--trust",
                "--defaults",
                "--quiet",
                "--data-file",
                str(data),
                str(template),
                str(destination),
            ]
        )
        data.unlink()
    else:  # pragma: no cover
        raise ValueError(generator)
    return Result(proc.returncode, proc.stdout + proc.stderr, destination)


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (answers files aside) by relative path, with its bytes."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name not in ANSWER_FILES
    }


def checkout_files() -> list[str]:
    """The files of this checkout that git would commit (tracked or untracked, not ignored)."""
    proc = run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return [name for name in proc.stdout.split("\0") if name and (ROOT / name).is_file()]


GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "prodready tests",
    "GIT_AUTHOR_EMAIL": "tests@prodready.invalid",
    "GIT_COMMITTER_NAME": "prodready tests",
    "GIT_COMMITTER_EMAIL": "tests@prodready.invalid",
}


#: Settings that would point installers at a prodready other than the one a POC names,
#: or tell prodready which template to trust: a test that shows where prodready comes
#: from runs without them.
NOT_INHERITED = ("PIP_FIND_LINKS", "UV_FIND_LINKS", "UV_INDEX", "UV_EXTRA_INDEX", "PRODREADY_")
NOT_INHERITED_EXACTLY = ("VIRTUAL_ENV", "GITHUB_STEP_SUMMARY", "NOX_DEFAULT_VENV_BACKEND")


def neutral_environment(**extra: str) -> dict[str, str]:
    """This process's environment without ``NOT_INHERITED`` settings, without colour, plus ``extra``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(NOT_INHERITED) and key not in NOT_INHERITED_EXACTLY
    }
    return {**env, "NO_COLOR": "1", **extra}


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` as the test identity; fail the test if git fails."""
    proc = run(["git", *args], cwd=root, env={**os.environ, **GIT_IDENTITY})
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stdout}{proc.stderr}"
    return proc.stdout


def commit_all(root: Path, message: str) -> None:
    """Stage and commit everything in ``root`` (a git repository from then on)."""
    if not (root / ".git").exists():
        git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def make_template_repo(destination: Path, tag: str) -> Path:
    """A git repository holding this checkout's current files, tagged ``tag``.

    copier and cruft read templates from git; giving them a snapshot of the working tree
    means the tests exercise uncommitted changes too.
    """
    for name in checkout_files():
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    commit_all(destination, "template snapshot")
    git(destination, "tag", tag)
    return destination


def in_chromium(page: Path, work: Path, window: str) -> tuple[str, Path]:
    """The DOM headless Chromium builds from ``page``, and its screenshot at ``window`` ("1280,800").

    A missing browser skips, except in CI (``CI`` set), where .ci/run installs it: a failure.
    """
    import pytest
    from tools.review_screenshot import CHROMIUM_FLAGS

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: apt-get install chromium")
        pytest.skip("chromium is not installed")
    flags = [*CHROMIUM_FLAGS, f"--user-data-dir={work / 'profile'}"]
    dom = subprocess.run([browser, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    shot = work / f"{page.stem}.png"
    subprocess.run(
        [browser, *flags, f"--screenshot={shot}", f"--window-size={window}", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=False,
    )
    return dom.stdout, shot
