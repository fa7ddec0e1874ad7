"""Comparison of releases: membership, principles, language and metadata."""
