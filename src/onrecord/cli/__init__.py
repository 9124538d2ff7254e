"""The command line: ``onrecord extract | ingest | search | speakers | export | serve | eval | story``."""
