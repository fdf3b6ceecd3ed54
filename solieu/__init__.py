"""solieu: figures out of Vietnamese socio-economic reports."""

__version__ = "0.3.0"
