"""Bank statements (银行流水 / 对账单): header, transactions with running balances, bank layouts as data."""

from extractors.statement.extractor import BankStatementExtractor

__all__ = ["BankStatementExtractor"]
