"""Data tables: the conventional aliases of popular modules."""

from __future__ import annotations

from types import MappingProxyType

#: ``module -> alias`` that IPS106 enforces unless ``importstyle-aliases`` says otherwise.
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
        "polars": "pl",
        "pyarrow": "pa",
        "seaborn": "sns",
        "tensorflow": "tf",
        "tkinter": "tk",
        "xml.etree.ElementTree": "ET",
    }
)
