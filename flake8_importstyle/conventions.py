"""Data tables: the conventional aliases of popular modules."""

from __future__ import annotations

from types import MappingProxyType

#: ``module -> alias`` that IPS106 enforces unless ``importstyle-aliases`` says otherwise:
#: ruff's flake8-import-conventions defaults, and ``go`` and ``sm``, which plotly's and
#: statsmodels' own documentation use.
DEFAULT_ALIASES = MappingProxyType(
    {
        "altair": "alt",
        "holoviews": "hv",
        "matplotlib": "mpl",
        "matplotlib.pyplot": "plt",
        "networkx": "nx",
        "numpy": "np",
        "numpy.typing": "npt",
        "pandas": "pd",
        "panel": "pn",
        "plotly.express": "px",
        "plotly.graph_objects": "go",
        "polars": "pl",
        "pyarrow": "pa",
        "seaborn": "sns",
        "statsmodels.api": "sm",
        "tensorflow": "tf",
        "tkinter": "tk",
        "xml.etree.ElementTree": "ET",
    }
)
