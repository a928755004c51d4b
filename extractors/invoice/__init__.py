"""VAT invoices (增值税专用/普通发票, 电子发票, 数电票): header, parties, totals, items and second sources."""

from extractors.invoice.extractor import VatInvoiceExtractor

__all__ = ["VatInvoiceExtractor"]
