"""moto's server for the sync tests: AWS Resource Groups on 127.0.0.1 over HTTPS, with the
small CORS layer browsers need.

Stock moto answers the unsigned CORS preflight (OPTIONS) with 403 and does not expose the
`X-Amzn-ErrorType` header, so a browser cannot call it. This wraps moto's WSGI app in the same
process: preflights get 204 echoing the requested method and headers; every answer exposes the
headers the client reads; an unexpected exception becomes a JSON 500 instead of HTML.

It also lets a test script the Tagging API's per-resource failures, which moto never gives:
POST /gc-test/tagging-failures {"arns": [...], "times": n} makes each of those ARNs fail its
next n TagResources / UntagResources calls (the ARN is taken out of the request moto sees and
put in FailedResourcesMap as AWS does, with InternalServiceException and status 500), and
GET /gc-test/tagging-calls lists the calls made since the last POST to it: [operation, ARNs].
GET /gc-test/in-flight gives the most Tagging API requests moto was answering at once since
the last POST to it (the benchmark's "pages in flight", seen from the server).

Resource Groups' newer fields (Criticality, Owner, DisplayName, ApplicationTag), which moto
5.2.5 lacks, are added to moto's own classes by moto_rg_fields.py. GET /gc-test/rg-calls lists
the Resource Groups calls made since the last POST to it: [method, path, the request's top-level
JSON keys, sorted] (keys only: never the values, so no description reaches a log).
POST /gc-test/application-tag {"group", "arn", "region"?} sets a group's ApplicationTag.

Usage: moto_server.py --port 4566 --cert cert.pem --key key.pem [--origin https://...]
Signature checking is off until a test POSTs a count to /moto-api/reset-auth (moto's own
switch): see tests/e2e/backend.mjs.
"""

import argparse
import io
import json
import sys
import threading
import traceback

from werkzeug.serving import WSGIRequestHandler, run_simple
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

import moto_rg_fields

moto_rg_fields.install()

EXPOSE = "x-amzn-errortype, x-amzn-requestid, x-amz-apigw-id, date"


TAGGING = "ResourceGroupsTaggingAPI_20170126."


class TaggingFailures:
    """Scripted per-resource failures of TagResources / UntagResources, and a log of calls."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.failing = {}  # ARN -> calls left to fail
        self.calls = []  # [operation, number of ARNs]
        self.rg_calls = []  # [method, path, sorted top-level request keys]
        self.in_flight = 0
        self.most_in_flight = 0

    def _json(self, start_response, value, status="200 OK"):
        body = json.dumps(value).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ["REQUEST_METHOD"]
        if path == "/gc-test/tagging-failures" and method == "POST":
            spec = json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)) or b"{}")
            with self.lock:
                self.failing = {arn: int(spec.get("times", 1)) for arn in spec.get("arns", [])}
            return self._json(start_response, {"failing": len(self.failing)})
        if path == "/gc-test/tagging-calls":
            with self.lock:
                calls = list(self.calls)
                if method == "POST":
                    self.calls.clear()
            return self._json(start_response, calls)
        if path == "/gc-test/in-flight":
            with self.lock:
                most = self.most_in_flight
                if method == "POST":
                    self.most_in_flight = 0
            return self._json(start_response, {"most": most})
        if path == "/gc-test/rg-calls":
            with self.lock:
                calls = list(self.rg_calls)
                if method == "POST":
                    self.rg_calls.clear()
            return self._json(start_response, calls)
        if path == "/gc-test/application-tag" and method == "POST":
            spec = json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)) or b"{}")
            moto_rg_fields.set_application_tag(
                "123456789012", spec.get("region", "us-east-1"), spec["group"], spec.get("arn")
            )
            return self._json(start_response, {"ok": True})
        if path == "/moto-api/reset":
            with self.lock:
                self.failing.clear()
                self.calls.clear()
                self.rg_calls.clear()
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        op = target[len(TAGGING):] if target.startswith(TAGGING) else ""
        if not target and method != "OPTIONS" and not path.startswith(("/moto-api", "/gc-test")):
            raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(raw)
            try:
                keys = sorted(json.loads(raw).keys()) if raw else []
            except (ValueError, AttributeError):
                keys = []
            with self.lock:
                self.rg_calls.append([method, path, keys])
        if not op or method != "POST":
            return self.app(environ, start_response)
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            # The whole answer is made here (moto's are lists of bytes), so "in flight" ends
            # when it is ready to send.
            return list(self._tagging(environ, start_response, op))
        finally:
            with self.lock:
                self.in_flight -= 1

    def _tagging(self, environ, start_response, op):
        if op not in ("TagResources", "UntagResources"):
            return self.app(environ, start_response)

        raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        request = json.loads(raw or b"{}")
        arns = request.get("ResourceARNList", [])
        failed = {}
        with self.lock:
            self.calls.append([op, len(arns)])
            for arn in arns:
                if self.failing.get(arn, 0) > 0:
                    self.failing[arn] -= 1
                    failed[arn] = {
                        "StatusCode": 500,
                        "ErrorCode": "InternalServiceException",
                        "ErrorMessage": "Injected by the test backend",
                    }
        if not failed:
            environ["wsgi.input"] = io.BytesIO(raw)
            return self.app(environ, start_response)
        rest = [a for a in arns if a not in failed]
        answer = {"FailedResourcesMap": {}}
        if rest:
            body = json.dumps({**request, "ResourceARNList": rest}).encode()
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            seen = {}

            def capture(status, headers, exc_info=None):
                seen["status"] = status
                return lambda _data: None

            chunks = b"".join(self.app(environ, capture))
            if not seen.get("status", "").startswith("200"):
                environ["wsgi.input"] = io.BytesIO(body)
                return self.app(environ, start_response)
            answer = json.loads(chunks or b"{}")
        answer.setdefault("FailedResourcesMap", {}).update(failed)
        return self._json(start_response, answer)


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
    app = Cors(TaggingFailures(DomainDispatcherApplication(create_backend_app)))
    ssl = (args.cert, args.key) if args.cert and args.key else None
    # HTTP/1.1 keep-alive, as a real endpoint: without it every request pays a new TCP and
    # TLS handshake (werkzeug's default is HTTP/1.0).
    WSGIRequestHandler.protocol_version = "HTTP/1.1"
    run_simple("127.0.0.1", args.port, app, threaded=True, ssl_context=ssl, use_reloader=False)


if __name__ == "__main__":
    main()
