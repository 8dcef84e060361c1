"""The vocabulary every layer shares: records, errors, progress and cancel, where files live."""
