# Drydock's bootstrap for the python3* runtimes: a Lambda Runtime API client using only the
# standard library, run by the machine's python3. It imports the handler module, then loops:
# take the next event, call the handler with a context object, post the result or the error.
import http.client
import importlib
import json
import logging
import os
import resource
import sys
import threading
import time
import traceback

HOST, PORT = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
BASE = "/2018-06-01/runtime"
conn = http.client.HTTPConnection(HOST, int(PORT))
request_id = None


def watch_stdin():
    # Drydock keeps stdin open: when it goes away, so does this environment.
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        os._exit(0)


threading.Thread(target=watch_stdin, daemon=True).start()


def call(method, path, body=None, headers=None):
    conn.request(method, BASE + path, body=body, headers=headers or {})
    res = conn.getresponse()
    return res.status, res.headers, res.read()


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


def memory_header():
    return {"x-drydock-max-memory-mb": str(max(1, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024))}


def init_error(error_type, e, message=None):
    body = error_body(e, error_type)
    if message is not None:
        body["errorMessage"] = message
    sys.stdout.write("[ERROR] %s: %s\n" % (error_type, body["errorMessage"]))
    sys.stdout.flush()
    try:
        call("POST", "/init/error", json.dumps(body), {"lambda-runtime-function-error-type": error_type})
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
    status, headers, body = call("GET", "/invocation/next")
    request_id = headers.get("lambda-runtime-aws-request-id")
    try:
        event = json.loads(body) if body else None
        result = fn(event, Context(headers))
        payload = json.dumps(result)
    except Exception as e:  # noqa: BLE001 - the function's error is the invocation's result
        err = error_body(e)
        sys.stdout.write("[ERROR] %s: %s\nTraceback (most recent call last):\n%s" % (err["errorType"], err["errorMessage"], "".join(err["stackTrace"])))
        sys.stdout.flush()
        call("POST", "/invocation/%s/error" % request_id, json.dumps(err), {"lambda-runtime-function-error-type": err["errorType"], **memory_header()})
        continue
    sys.stdout.flush()
    call("POST", "/invocation/%s/response" % request_id, payload, {"content-type": "application/json", **memory_header()})
