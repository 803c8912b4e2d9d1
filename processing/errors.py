"""newsloom's exception classes: import them from here (``from processing.errors import
TableMissing``). They are defined in :mod:`processing.core.errors` (the bottom layer, so any
layer may raise them, see its docstring); the modules that raise them re-export them too.
"""

from processing.core import errors as _defined
from processing.core.errors import *  # noqa: F403  (the names of its __all__)

__all__ = list(_defined.__all__)
