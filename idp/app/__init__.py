"""The app layer: HTTP API, review web UI and CLI, composing queues, storage and the core."""
