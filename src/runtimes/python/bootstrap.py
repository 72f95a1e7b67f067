# Drydock's bootstrap for the python3* runtimes: a Lambda Runtime API client using only the
# standard library, run by the machine's python3. It imports the handler module, then loops:
# take the next event, call the handler with a context object, post the result or the error.
# Drydock gives it the Runtime API as a framed pipe on a file descriptor
# (src/services/lambda/channel.ts: fewer writes and no HTTP per invocation); without one it
# speaks HTTP like any client.
import http.client
import importlib
import json
import logging
import os
import resource
import socket
import struct
import sys
import threading
import time
import traceback

request_id = None


def watch_stdin():
    # Drydock keeps stdin open: when it goes away, so does this environment.
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        os._exit(0)


threading.Thread(target=watch_stdin, daemon=True).start()



class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = request_id
        return True


class LambdaFormatter(logging.Formatter):
    def formatTime(self, record, datefmt=None):
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + ".%03dZ" % record.msecs


handler = logging.StreamHandler(sys.stdout)
handler.setFormatter(LambdaFormatter("[%(levelname)s]\t%(asctime)s\t%(aws_request_id)s\t%(message)s\n"))
handler.addFilter(RequestIdFilter())
logging.getLogger().addHandler(handler)
logging.getLogger().setLevel(logging.WARNING)


def error_body(e, error_type=None):
    return {
        "errorMessage": str(e),
        "errorType": error_type or type(e).__name__,
        "requestId": request_id or "",
        "stackTrace": traceback.format_list(traceback.extract_tb(e.__traceback__)),
    }


def memory_mb():
    return max(1, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)


class HttpChannel:
    """The Runtime API over HTTP, on one keep-alive connection."""

    def __init__(self):
        host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
        self.conn = http.client.HTTPConnection(host, int(port))

    def call(self, method, path, body=None, headers=None):
        self.conn.request(method, "/2018-06-01/runtime" + path, body=body, headers=headers or {})
        res = self.conn.getresponse()
        return res.headers, res.read()

    def next(self):
        return self.call("GET", "/invocation/next")

    def respond(self, rid, payload):
        self.call("POST", "/invocation/%s/response" % rid, payload, {"content-type": "application/json", "x-drydock-max-memory-mb": str(memory_mb())})

    def fail(self, rid, body, error_type):
        self.call("POST", "/invocation/%s/error" % rid, body, {"lambda-runtime-function-error-type": error_type, "x-drydock-max-memory-mb": str(memory_mb())})

    def init_error(self, body, error_type):
        self.call("POST", "/init/error", body, {"lambda-runtime-function-error-type": error_type})


class PipeChannel:
    """The Runtime API as frames on Drydock's pipe; a result leaves in the same write as the next poll."""

    def __init__(self, fd):
        self.sock = socket.socket(fileno=fd)
        self.rf = self.sock.makefile("rb")
        self.outbox = b""

    @staticmethod
    def frame(header, body=b""):
        h = json.dumps(header).encode()
        b = body.encode() if isinstance(body, str) else body
        return struct.pack(">II", len(h), len(b)) + h + b

    def read(self, n):
        data = self.rf.read(n)
        if len(data) < n:
            os._exit(0)  # Drydock went away
        return data

    def next(self):
        self.sock.sendall(self.outbox + self.frame({"t": "next"}))
        self.outbox = b""
        hl, bl = struct.unpack(">II", self.read(8))
        headers = json.loads(self.read(hl))
        return headers, self.read(bl) if bl else b""

    def respond(self, rid, payload):
        self.outbox = self.frame({"t": "response", "id": rid, "mem": memory_mb()}, payload)

    def fail(self, rid, body, error_type):
        self.outbox = self.frame({"t": "error", "id": rid, "type": error_type, "mem": memory_mb()}, body)

    def init_error(self, body, error_type):
        self.sock.sendall(self.frame({"t": "init-error", "type": error_type}, body))


_channel_fd = os.environ.pop("_DRYDOCK_RUNTIME_CHANNEL", None)
runtime = PipeChannel(int(_channel_fd)) if _channel_fd else HttpChannel()


def init_error(error_type, e, message=None):
    body = error_body(e, error_type)
    if message is not None:
        body["errorMessage"] = message
    sys.stdout.write("[ERROR] %s: %s\n" % (error_type, body["errorMessage"]))
    sys.stdout.flush()
    try:
        runtime.init_error(json.dumps(body), error_type)
    finally:
        os._exit(1)


def load_handler():
    spec = os.environ.get("_HANDLER", "")
    module_path, _, name = spec.rpartition(".")
    if not module_path:
        init_error("Runtime.MalformedHandlerName", ValueError(spec), "Bad handler '%s': not enough values to unpack (expected 2, got 1)" % spec)
    module_name = module_path.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except SyntaxError as e:
        init_error("Runtime.UserCodeSyntaxError", e, "Syntax error in module '%s': %s" % (module_name, e))
    except ImportError as e:
        init_error("Runtime.ImportModuleError", e, "Unable to import module '%s': %s" % (module_name, e))
    except Exception as e:  # noqa: BLE001 - anything the module raises while loading is an init error
        init_error(type(e).__name__, e)
    fn = getattr(module, name, None)
    if not callable(fn):
        init_error("Runtime.HandlerNotFound", AttributeError(name), "Handler '%s' missing on module '%s'" % (name, module_name))
    return fn


class Context:
    def __init__(self, headers):
        env = os.environ
        self.function_name = env.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = env.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = headers.get("lambda-runtime-invoked-function-arn")
        self.memory_limit_in_mb = env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.aws_request_id = headers.get("lambda-runtime-aws-request-id")
        self.log_group_name = env.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = env.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self._deadline = int(headers.get("lambda-runtime-deadline-ms", "0"))
        cc = headers.get("lambda-runtime-client-context")
        self.client_context = json.loads(cc) if cc else None
        ci = headers.get("lambda-runtime-cognito-identity")
        self.identity = json.loads(ci) if ci else None

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline - int(time.time() * 1000))


fn = load_handler()
while True:
    headers, body = runtime.next()
    request_id = headers.get("lambda-runtime-aws-request-id")
    try:
        event = json.loads(body) if body else None
        result = fn(event, Context(headers))
        payload = json.dumps(result)
    except Exception as e:  # noqa: BLE001 - the function's error is the invocation's result
        err = error_body(e)
        sys.stdout.write("[ERROR] %s: %s\nTraceback (most recent call last):\n%s" % (err["errorType"], err["errorMessage"], "".join(err["stackTrace"])))
        sys.stdout.flush()
        runtime.fail(request_id, json.dumps(err), err["errorType"])
        continue
    sys.stdout.flush()
    runtime.respond(request_id, payload)
