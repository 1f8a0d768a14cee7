// Sends a writer's chunks to a destination with backpressure: the next chunk (and so the next
// database row behind it) is pulled only when the destination has drained.
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export async function writeChunks(chunks: AsyncIterable<string>, destination: Writable): Promise<void> {
  await pipeline(Readable.from(chunks, { objectMode: false, highWaterMark: 64 * 1024 }), destination);
}
