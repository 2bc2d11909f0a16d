"""Where prodready lives: its documentation and its repository, read from one place.

``pyproject.toml``'s ``[project.urls]`` is the only place these addresses are written:
the installed package's metadata carries them, check links and SARIF read them here,
and ``prodready new`` records the repository as a POC's template source by default.
A platform team that forks prodready changes them there once (see docs/publishing.md).
"""

from __future__ import annotations

from functools import cache
from importlib import metadata

DISTRIBUTION = "prodready"


@cache
def project_urls() -> dict[str, str]:
    """The ``Project-URL`` entries of the installed distribution, by label."""
    try:
        entries = metadata.metadata(DISTRIBUTION).get_all("Project-URL") or []
    except metadata.PackageNotFoundError:  # pragma: no cover - the package always ships metadata
        return {}
    urls: dict[str, str] = {}
    for entry in entries:
        label, _, url = entry.partition(",")
        urls[label.strip()] = url.strip()
    return urls


def documentation_url() -> str:
    """The documentation site's root, without a trailing slash."""
    return project_urls().get("Documentation", "").rstrip("/")


def repository_url() -> str:
    """The git repository prodready (package and template) is released from."""
    return project_urls().get("Repository", "")
