"""HSDS 3.0 (Open Referral) in and out: the mapping, the export and the import."""
