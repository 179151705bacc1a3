"""gunicorn settings for `make run` (and any gunicorn started in this directory, which reads this file).

gunicorn announces itself in a `Server: gunicorn` header on every response; nothing needs to know what serves
the site, so the header is left out. (Behind nginx, also set `server_tokens off;` there.)
"""


def _without_server_header(default_headers):
    def headers(self):
        return [line for line in default_headers(self) if not line.lower().startswith("server:")]

    headers.__wrapped__ = default_headers
    return headers


def post_worker_init(worker):
    from gunicorn.http import wsgi

    if not hasattr(wsgi.Response.default_headers, "__wrapped__"):
        wsgi.Response.default_headers = _without_server_header(wsgi.Response.default_headers)
