// `npm run start:worker`: only the background workers (events, webhooks, maintenance). Scale by running more.
import { runServer } from '../runtime/run-server.ts';

await runServer({ api: false, worker: true });
