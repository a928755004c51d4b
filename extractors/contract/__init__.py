"""Purchase-sale contracts (购销合同 / 采购合同 / 买卖合同): parties by role, terms, goods, totals, seals."""

from extractors.contract.extractor import PurchaseContractExtractor

__all__ = ["PurchaseContractExtractor"]
