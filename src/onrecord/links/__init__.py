"""Across articles: one identity per speaker, denials linked to what they deny, near-duplicates and stories."""
