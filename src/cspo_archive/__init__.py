"""cspo-archive: a tamper-evident archive of CSpO statements (bootstrap; filled in below)."""
