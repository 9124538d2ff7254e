"""Accuracy harness: scoring onrecord against gold data (``onrecord eval``).

    brat.py      PolNeAR brat standoff -> gold relations (discontinuous spans kept as fragments)
    spans.py     character spans as fragment lists: trimming, exact keys, Jaccard overlap
    scoring.py   one-to-one matching, P/R/F1, breakdowns by kind and speaker form
    labels.py    gold kind from quote marks, speaker form of a mention
    polnear.py   ``onrecord eval polnear``: run a system over PolNeAR and score it
    peers.py     other systems scored by the same code (textacy's direct quotations)
    diagnose.py  error categories for the engine's builders
    cofenet.py   ``onrecord eval cofenet``: the CofeNet token-level exact-span metric
    zyte.py      ``onrecord eval zyte``: the Zyte article-extraction benchmark metric
    gate.py      ``onrecord eval gate``: floors in eval/baseline.json, fail on a drop
"""
