"""The public feedback channels: consultations and the message board, complaints, leaders' mailboxes, surveys."""
