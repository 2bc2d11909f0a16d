"""The root of every error prodready raises on purpose.

It lives in ``core`` (standard library only) so that the rules the template hooks load
by path, such as the cost model's ``CostModelError``, can derive from it too;
``prodready.errors`` re-exports it beside the rest of the hierarchy.
"""

from __future__ import annotations


class ProdreadyError(Exception):
    """Something prodready was asked to do cannot be done, for a reason the user can fix.

    The CLI prints ``str(error)`` on one line and exits with ``exit_code`` (2, a usage
    or input error, unless a subclass says otherwise); anything that is not a
    ``ProdreadyError`` is a bug in prodready.
    """

    exit_code: int = 2
    #: What the CLI prints before the message.
    prefix: str = "error: "
