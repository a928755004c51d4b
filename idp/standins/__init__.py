"""Local stand-ins for the outside services (发票查验, 工商登记) honouring the providers' HTTP contracts.

They serve an authority.json (bundles.md) so the demo and the tests run offline against the real adapters.
"""
