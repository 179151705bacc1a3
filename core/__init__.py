"""Plumbing that knows no domain: client addresses and campus networks, the content version and caches,
uploads and their text, storage, exports, charts, progress bars, working days, abuse checks, tracking numbers."""
