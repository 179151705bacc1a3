"""E-mail alerts (issue 18): anyone may follow a category or a disclosure item and get a daily or weekly digest of
what was published in it. Double opt-in (nothing is sent but the confirmation until its link is confirmed), a
one-click unsubscribe link and List-Unsubscribe headers in every mail, the address never shown on any page, and
deleted when unsubscribed or left unconfirmed. See models.py, services.py, views.py."""
