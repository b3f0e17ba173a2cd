"""flake8-importstyle: one consistent, correct style for Python imports."""

__version__ = "0.1.0"

__all__ = ["__version__"]
