"""moto's server for the sync tests: AWS Resource Groups on 127.0.0.1 over HTTPS, with the
small CORS layer browsers need.

Stock moto answers the unsigned CORS preflight (OPTIONS) with 403 and does not expose the
`X-Amzn-ErrorType` header, so a browser cannot call it. This wraps moto's WSGI app in the same
process: preflights get 204 echoing the requested method and headers; every answer exposes the
headers the client reads; an unexpected exception becomes a JSON 500 instead of HTML.

Usage: moto_server.py --port 4566 --cert cert.pem --key key.pem [--origin https://...]
Signature checking is off until a test POSTs a count to /moto-api/reset-auth (moto's own
switch): see tests/e2e/backend.mjs.
"""

import argparse
import json
import sys
import traceback

from werkzeug.serving import WSGIRequestHandler, run_simple
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

EXPOSE = "x-amzn-errortype, x-amzn-requestid, x-amz-apigw-id, date"


class Cors:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        origin = environ.get("HTTP_ORIGIN", "*")
        cors = [
            ("Access-Control-Allow-Origin", origin),
            ("Access-Control-Expose-Headers", EXPOSE),
            ("Vary", "Origin"),
        ]
        if environ["REQUEST_METHOD"] == "OPTIONS":
            method = environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD", "POST")
            headers = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "")
            start_response(
                "204 No Content",
                cors
                + [
                    ("Access-Control-Allow-Methods", method + ", GET, POST, PUT, PATCH, DELETE"),
                    ("Access-Control-Allow-Headers", headers or "*"),
                    ("Access-Control-Max-Age", "600"),
                    ("Content-Length", "0"),
                ],
            )
            return [b""]

        def start(status, headers, exc_info=None):
            keep = [(k, v) for k, v in headers if not k.lower().startswith("access-control-")]
            return start_response(status, keep + cors, exc_info)

        try:
            return self.app(environ, start)
        except Exception as e:  # noqa: BLE001 — a JSON 500 the client can classify
            traceback.print_exc()
            body = json.dumps({"message": "internal error: " + type(e).__name__}).encode()
            start_response(
                "500 Internal Server Error",
                cors + [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
                sys.exc_info(),
            )
            return [body]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--cert")
    p.add_argument("--key")
    args = p.parse_args()
    app = Cors(DomainDispatcherApplication(create_backend_app))
    ssl = (args.cert, args.key) if args.cert and args.key else None
    # HTTP/1.1 keep-alive, as a real endpoint: without it every request pays a new TCP and
    # TLS handshake (werkzeug's default is HTTP/1.0).
    WSGIRequestHandler.protocol_version = "HTTP/1.1"
    run_simple("127.0.0.1", args.port, app, threaded=True, ssl_context=ssl, use_reloader=False)


if __name__ == "__main__":
    main()
