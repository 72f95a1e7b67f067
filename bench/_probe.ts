import { spawnServer, pollUntil, freePort, stopServer } from './lib.js';
for (const k of ['bare', 'drydock', 'bare', 'drydock'] as const) for (let i = 0; i < 4; i++) {
  const port = await freePort();
  const s = spawnServer(k, port);
  const t = await pollUntil(s, k === 'bare' ? '/' : '/_drydock/health');
  console.log(k, (t - s.t0).toFixed(1), 'banner', ((s.tBanner ?? NaN) - s.t0).toFixed(1));
  await stopServer(s);
}
