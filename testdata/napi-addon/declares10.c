/*
 * A Node-API addon that declares Node-API 10 (built with NAPI_VERSION=10, as a binding.gyp
 * `defines` entry does) but calls only Node-API 1 functions. Node 16 never reads the declared
 * version and runs it; Node 20 (Node-API 9) reads it while loading and refuses it (measured: it
 * crashes with SIGSEGV in that check); Node 22 runs it. It exports `answer`, the number 42.
 * Built by build.sh with the headers of npm's node-api-headers package.
 */
#include <node_api.h>

NAPI_MODULE_INIT() {
  napi_value answer;
  if (napi_create_int32(env, 42, &answer) != napi_ok
      || napi_set_named_property(env, exports, "answer", answer) != napi_ok) {
    return NULL;
  }
  return exports;
}
