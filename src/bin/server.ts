// `npm start`: the API (and, once background work exists, the workers) in one process.
import { runServer } from '../runtime/run-server.ts';

await runServer({ api: true, worker: true });
