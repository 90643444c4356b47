"""Readers: one module per source layout, each yielding the same records.

Every reader follows one protocol (:mod:`wsiskg.ingest.readers.base`): it takes a
registered source, its text lines (corrected by curation first) and the
reader options of its registry entry, and yields its records with their
source line spans and a role for every line. Curation is applied around the
readers, in one place (:mod:`wsiskg.ingest.readers.dispatch`).
"""
