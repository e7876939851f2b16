// Starts the real inrapportd for an end-to-end test: ports chosen by the
// server (port 0), read back from its log.
'use strict';

const { spawn } = require('node:child_process');

// Spawns `binary` with `args` and resolves, once the server has logged the
// address of each of `services` ("grpc", "metrics", "http"), to
// { server, addresses: { service: "127.0.0.1:port" }, log() }.
function startServer(binary, args, services) {
  const server = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`inrapportd did not log ${services.join(', ')} in 20 s:\n${log}`)),
      20000);
    server.stderr.on('data', (chunk) => {
      log += chunk.toString();
      const addresses = {};
      for (const service of services) {
        const match = new RegExp(`event=listening service=${service} address=(\\S+)`).exec(log);
        if (!match) return;
        addresses[service] = match[1];
      }
      clearTimeout(timer);
      resolve({ server, addresses, log: () => log });
    });
    server.on('exit', (code) => reject(new Error(`inrapportd exited (${code}):\n${log}`)));
  });
}

module.exports = { startServer };
