"""The template as a product: generating POCs, knowing where they came from, updating them.

The generators are named here, apart from ``new``, so the command line can offer them
without importing the generation machinery at start-up.
"""

from typing import Literal

Generator = Literal["cookiecutter", "copier", "cruft"]
GENERATORS: tuple[Generator, ...] = ("cookiecutter", "copier", "cruft")
