"""An independent ("foreign") generator of contracts, bank statements and application bundles.

Written without reading the extractors or the project's own contract/statement generators, so that documents
from here measure how the extractors generalise to layouts they were not tuned on. Layout families are data
(``families/*.toml``); values vary per seed within a family.
"""
