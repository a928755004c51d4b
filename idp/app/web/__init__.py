"""The review UI: server-rendered pages where people work through the review queue (see :mod:`.routes`)."""
