"""Reviewing changes: two versions of a fiche -> change records, reports and tracked changes."""
