// A serverless plugin for the local stack only: serverless-offline 14 (src/events/http/HttpServer.js,
// its onPreResponse hook) answers every non-preflight request that carries an Origin with
// `Access-Control-Allow-Origin: <that origin>`, whatever provider.httpApi.cors allows. API Gateway
// adds CORS headers only for an allowed origin; this makes serverless-offline do the same, by
// registering a hook of its own right after that one (hapi runs them in order) that takes the CORS
// headers off again for an origin the configuration does not list. Nothing else changes, and for
// any other command (package, print) the plugin does nothing.
'use strict';

const CORS_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-expose-headers',
  'access-control-max-age',
];

class OfflineCors {
  constructor(serverless) {
    if (serverless.processedInput?.commands?.[0] !== 'offline') return;
    const allowedOrigins = () => serverless.service.provider.httpApi?.cors?.allowedOrigins ?? [];
    const onlyAllowedOrigins = (request, h) => {
      const origin = request.headers.origin;
      const allowed = allowedOrigins();
      if (origin && !allowed.includes('*') && !allowed.includes(origin)) {
        const response = request.response.isBoom ? request.response.output : request.response;
        for (const name of CORS_HEADERS) delete response.headers[name];
      }
      return h.continue;
    };
    const hapi = require('@hapi/hapi');
    const serverPrototype = Object.getPrototypeOf(hapi.server({ autoListen: false }));
    const ext = serverPrototype.ext;
    serverPrototype.ext = function (event, method, options) {
      const result = ext.call(this, event, method, options);
      if (event === 'onPreResponse' && method !== onlyAllowedOrigins) ext.call(this, 'onPreResponse', onlyAllowedOrigins);
      return result;
    };
  }
}

module.exports = OfflineCors;
