"""prodready: start every AI proof of concept production-oriented.

The package is both the toolkit behind the ``prodready`` command and the home of the
answer rules and escaping that the bundled template's hooks load by path. Keep this
module free of imports so that loading any submodule stays cheap.
"""

__version__ = "0.9.0"
