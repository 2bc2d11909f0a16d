"""The ``prodready`` command line: the group, and the one place errors become exit codes.

Exit codes, the same for every command: 0 all good, 1 checks ran and found problems
(or the answers were refused), 2 usage or input error (unreadable, malformed or
mistyped input, reported on one line naming the file, the place and the fix).

Each command group lives in a module of its own (``new``, ``contracts``, ``cost``,
``audit``, ``update``, ``drift``, ``monitoring``, ``decide``, ``review``); this module only
assembles them.
Every error prodready raises on purpose is a ``ProdreadyError``: ``ProdreadyGroup``
turns it into its one line and exit code here, so no command catches errors itself.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from .. import __version__
from ..errors import ProdreadyError
from ..results import printable
from .audit import audit
from .contracts import contracts
from .cost import cost
from .decide import decide
from .drift import drift
from .monitoring import monitoring
from .new import new
from .options import EXIT_INTERRUPTED
from .review import review
from .update import update


class ProdreadyGroup(click.Group):
    """A click group that reports every ``ProdreadyError`` on one line with its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ProdreadyError as error:
            # Messages quote user input (paths, values): never let it drive the terminal.
            click.secho(printable(f"{error.prefix}{error}", lines=True), fg="red", err=True)
            sys.exit(error.exit_code)
        except KeyboardInterrupt:
            click.secho("interrupted: nothing more was written", fg="red", err=True)
            sys.exit(EXIT_INTERRUPTED)


@click.group(cls=ProdreadyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="prodready")
def main() -> None:
    """Make every AI proof of concept answer the production questions from day one."""


for command in (new, contracts, cost, audit, update, drift, monitoring, decide, review):
    main.add_command(command)
