"""The project: settings, URLs, middleware, sign-in, backup, and the site-level pages that combine the apps."""
