"""Where a POC's template and its prodready come from: one source, one release.

A POC installs prodready (its readiness checks) from the same place it was generated
from: by default the template's git repository at the release tag it was rendered at,
which any hosted runner can install with no package index (``prodready @
git+https://...@v0.2.0``); or, where the platform publishes prodready to an index, from
that index at the same version. The generators, ``prodready new``, the audit and the
fleet update all read a template source through the rules here, so a source that one of
them accepts the others accept too.
"""

from __future__ import annotations

import os
import re
from urllib.parse import quote, unquote

#: copier's shortcuts for hosted repositories (cookiecutter's ``gh:`` means the same).
SHORTCUTS = {"gh:": "https://github.com/", "gl:": "https://gitlab.com/"}
#: The transports a template source may use: encrypted or local only.
TRANSPORTS = ("https", "ssh", "file")
#: The CI variable holding the package index's URL on the ``package-index`` route.
INDEX_VARIABLE = "PRODREADY_INDEX_URL"

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)(::|://)")
#: ``[user@]host:path``, git's scp-like syntax for ssh: a colon before any slash.
_SCP = re.compile(r"(?:[^@/:]+@)?([^/:]+):(.*)")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


def release_tag(version: str) -> str:
    """The git tag of a release: ``0.2.0`` -> ``v0.2.0`` (PEP 440 tags, as copier sorts them)."""
    return f"v{version}"


def git_url(source: str) -> str:
    """A source as git reads it: ``gh:org/repo`` expanded, anything else unchanged."""
    for shortcut, prefix in SHORTCUTS.items():
        if source.startswith(shortcut):
            return prefix + source[len(shortcut) :]
    return source


def source_problem(url: str) -> str | None:
    """Why a template source is not one prodready may read or record (None when it may).

    A source comes from an answers file, which is repository content: only https://,
    ssh:// (or scp-like ``git@host:path``), file:// and local paths are accepted; never
    a remote helper (``ext::sh -c ...``), ``git://`` or ``http://``, nor anything git
    would take for an option.
    """
    if not url.strip() or url.startswith("-") or _UNPRINTABLE.search(url):
        return "is not a git URL or path"
    scheme = _SCHEME.match(url)
    if scheme is not None:
        name, separator = scheme.group(1).lower(), scheme.group(2)
        if separator == "::":
            return f"names the git remote helper {name!r}, which prodready never runs"
        if name not in TRANSPORTS:
            return f"uses {name}://; template sources must be https://, ssh://, file:// or a local path"
        authority = url[scheme.end() :].lstrip("/").split("/", 1)[0]
        if any(part.lstrip("[").startswith("-") for part in authority.split("@")):
            return "is not a git URL or path"  # a host or user git would pass to ssh as an option
        return None
    if "::" in url.split("/", 1)[0]:
        return "names a git remote helper, which prodready never runs"
    scp = _SCP.match(url)
    if scp is not None and scp.group(1).startswith("-"):
        return "is not a git URL or path"
    return None


def is_local(source: str) -> bool:
    """A source that is a path on this machine (not a URL, not scp-like ssh)."""
    if _SCHEME.match(source):
        return source.lower().startswith("file://")
    return _SCP.match(source) is None or source.startswith(("/", "./", "../", "~"))


def recordable(source: str, cwd: str | None = None) -> str:
    """The source as an answers file records it: a local path (or file:// URL) as an absolute path.

    copier and cruft resolve a relative path from wherever they later run, so a
    relative path recorded at generation would point nowhere at update time; and copier
    reads no ``file://`` URL, only the path. Remote URLs are kept as given.
    """
    source = source.strip()
    if source.lower().startswith("file://"):
        source = unquote(source[len("file://") :])
    if is_local(source):
        return os.path.abspath(os.path.join(cwd or os.getcwd(), os.path.expanduser(source)))
    return git_url(source)


def requirement(source: str, ref: str) -> str:
    """The pip requirement installing prodready from the template's git source at ``ref``.

    pip and uv install ``git+`` URLs from any git host (or a local repository through
    ``git+file://``) with no package index; the ref is the release tag the POC was
    generated at, or a commit when it was generated between releases.
    """
    url = git_url(source.strip())
    if is_local(url):
        url = "file://" + quote(recordable(url), safe="/")
    else:
        scp = _SCP.match(url)
        if not _SCHEME.match(url) and scp is not None:  # git@host:org/repo -> ssh://git@host/org/repo
            user_host = url[: url.index(":")]
            url = f"ssh://{user_host}/{scp.group(2)}"
    return f"prodready @ git+{url}@{ref}"


def index_requirement(version: str) -> str:
    """The requirement on the ``package-index`` route: the same release, from the index."""
    return f"prodready=={version}"
