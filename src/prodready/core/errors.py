"""The root of every error prodready raises on purpose.

It lives in ``core`` (standard library only) so that the rules the template hooks load
by path, such as the cost model's ``CostModelError``, can derive from it too;
``prodready.errors`` re-exports it beside the rest of the hierarchy.
"""

from __future__ import annotations


class ProdreadyError(Exception):
    """Something prodready was asked to do cannot be done, for a reason the user can fix.

    The CLI prints ``str(error)`` on one line and exits 2; anything that is not a
    ``ProdreadyError`` is a bug in prodready.
    """
