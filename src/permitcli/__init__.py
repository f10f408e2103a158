"""permitcli: screen export invoices against Kazakhstan's 2025 export-permit pilot."""

__version__ = "0.1.0"
