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
#: A source becomes a pip requirement (``git+URL@tag``): in a URL, a space, ';', '#' or
#: '?' would add a marker, a fragment or a query that changes what gets installed. (A
#: local path is percent-encoded into its file:// URL.)
_REQUIREMENT_SYNTAX = re.compile(r"[\s;#?]")
REQUIREMENT_SYNTAX_PROBLEM = "contains a space, ';', '#' or '?', which a template URL never needs"


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
        authority, _, path = url[scheme.end() :].lstrip("/").partition("/")
        if any(part.lstrip("[").startswith("-") for part in authority.split("@")):
            return "is not a git URL or path"  # a host or user git would pass to ssh as an option
        if name != "file" and _REQUIREMENT_SYNTAX.search(url):
            return REQUIREMENT_SYNTAX_PROBLEM
        if "@" in authority and (name != "ssh" or ":" in authority.split("@")[0]):
            # It is written into the POC's files: never a password or token.
            return "carries credentials; give the URL without them (git reads them from its credential helper)"
        if "@" in path:
            return "has '@' in its path, which would change the release a POC installs"
        return None
    if "::" in url.split("/", 1)[0]:
        return "names a git remote helper, which prodready never runs"
    scp = _SCP.match(url)
    if scp is not None and scp.group(1).startswith("-"):
        return "is not a git URL or path"
    if scp is not None and not is_local(url) and _REQUIREMENT_SYNTAX.search(url):
        return REQUIREMENT_SYNTAX_PROBLEM
    if scp is not None and not is_local(url) and "@" in scp.group(2):
        return "has '@' in its path, which would change the release a POC installs"
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
