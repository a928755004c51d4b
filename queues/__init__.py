"""Queued work on RQ: reading documents, deciding applications, delivering webhooks, recovering lost jobs."""
