/*
 * A Node-API addon that needs Node-API 10: while loading it calls
 * node_api_create_buffer_from_arraybuffer, which Node-API 10 added (Node 22.14+). Node 16
 * (Node-API 8) does not export it, and node binds an addon's functions lazily, so under Node 16
 * require() kills the process with "symbol lookup error: ... undefined symbol". Under Node 22 it
 * exports `buffer`, a Buffer holding "graft".
 * Built by build.sh with the headers of npm's node-api-headers package.
 */
#include <node_api.h>

NAPI_MODULE_INIT() {
  void *data;
  napi_value arraybuffer, buffer;
  if (napi_create_arraybuffer(env, 5, &data, &arraybuffer) != napi_ok) {
    return NULL;
  }
  char *bytes = data;
  bytes[0] = 'g'; bytes[1] = 'r'; bytes[2] = 'a'; bytes[3] = 'f'; bytes[4] = 't';
  if (node_api_create_buffer_from_arraybuffer(env, arraybuffer, 0, 5, &buffer) != napi_ok
      || napi_set_named_property(env, exports, "buffer", buffer) != napi_ok) {
    return NULL;
  }
  return exports;
}
