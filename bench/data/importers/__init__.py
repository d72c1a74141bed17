"""Importers: external annotated formats -> ``Article`` objects, each as a ``bench.data.load.Source``.

``conll.ConllSource`` reads CoNLL NER files (IOB1 token tags); ``bioscope.BioscopeSource`` reads BioScope XML
(speculation cues -> hedged claims). The corpora stay outside the repository and are named by a data config.
"""
