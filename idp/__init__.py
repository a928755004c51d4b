"""idp: intelligent document processing and a human task queue for small-business lending."""

__version__ = "0.1.0"
