// `npm run start:api`: only the HTTP API. Run as many as you like behind a load balancer.
import { runServer } from '../runtime/run-server.ts';

await runServer({ api: true, worker: false });
