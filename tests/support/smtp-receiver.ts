// A real SMTP server for mail tests (the smtp-server package), on a random local port. Every accepted
// message is parsed with mailparser. It can be stopped and started again on the same port (an SMTP
// outage), and told to refuse the next messages with a transient (451) or permanent (550) reply.
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  parsed: ParsedMail;
  /** The message exactly as it came over the wire. */
  raw: string;
  /** Raw header lines by lower-case name, in order: proves a header appears once (or not at all). */
  headerLines(name: string): string[];
  at: number;
}

export interface Refusal {
  code: number;
  message?: string;
  /** When to answer: at RCPT TO (a refused recipient) or after DATA (a refused message). Default rcpt. */
  at?: 'rcpt' | 'data';
}

export interface SmtpReceiver {
  host: string;
  port: number;
  /** smtp://[user:pass@]127.0.0.1:port, ready for SMTP_URL. */
  url: string;
  messages: ReceivedMail[];
  /** Resolves once at least `count` messages arrived; rejects at the deadline, saying what did arrive. */
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** The next `count` messages get `refusal` instead of being accepted. */
  refuseNext(count: number, refusal: Refusal): void;
  /** Messages refused so far (they are not in `messages`). */
  refused: number;
  /** Stops listening and drops open connections; `start()` listens again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  running: boolean;
}

function smtpError(refusal: Refusal): Error {
  const err = new Error(refusal.message ?? (refusal.code >= 500 ? 'Mailbox unavailable' : 'Try again later'));
  (err as Error & { responseCode: number }).responseCode = refusal.code;
  return err;
}

export async function startSmtpReceiver(o: { auth?: { user: string; pass: string } } = {}): Promise<SmtpReceiver> {
  const messages: ReceivedMail[] = [];
  const arrivals = new EventEmitter();
  const plan: Refusal[] = [];
  let server: SMTPServer | null = null;
  let port = 0;

  const takeRefusal = (at: 'rcpt' | 'data'): Refusal | null => {
    if (plan.length && (plan[0]!.at ?? 'rcpt') === at) return plan.shift()!;
    return null;
  };

  const build = () =>
    new SMTPServer({
      logger: false,
      // No TLS here: nodemailer would otherwise upgrade to a self-signed certificate and refuse it.
      disabledCommands: o.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      authOptional: !o.auth,
      allowInsecureAuth: true,
      size: 10 * 1024 * 1024,
      // stop() is an outage, not a graceful shutdown: connections go at once.
      closeTimeout: 1,
      onAuth(auth, _session, cb) {
        if (o.auth && auth.username === o.auth.user && auth.password === o.auth.pass) return cb(null, { user: 1 });
        const err = new Error('Invalid credentials') as Error & { responseCode: number };
        err.responseCode = 535;
        cb(err);
      },
      onRcptTo(_address, _session, cb) {
        const refusal = takeRefusal('rcpt');
        if (refusal) receiver.refused++;
        cb(refusal ? smtpError(refusal) : null);
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const refusal = takeRefusal('data');
          if (refusal) {
            receiver.refused++;
            return cb(smtpError(refusal));
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw).then(
            (parsed) => {
              const rawHeaders = raw.slice(0, raw.search(/\r?\n\r?\n/));
              messages.push({
                envelope: {
                  from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                  to: session.envelope.rcptTo.map((r) => r.address),
                },
                parsed,
                raw,
                headerLines: (name) =>
                  rawHeaders
                    .replace(/\r?\n[ \t]+/g, ' ') // unfold
                    .split(/\r?\n/)
                    .filter((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`)),
                at: Date.now(),
              });
              arrivals.emit('message');
              cb(null); // acknowledged only once recorded: a resolved send() means it is in `messages`
            },
            (err: Error) => cb(err),
          );
        });
      },
    });

  const receiver: SmtpReceiver = {
    host: '127.0.0.1',
    port: 0,
    url: '',
    messages,
    refused: 0,
    running: false,
    async start() {
      if (server) return;
      const s = build();
      s.on('error', () => {}); // a client dropping mid-session must not crash the test process
      await new Promise<void>((resolve, reject) => {
        s.server.once('error', reject);
        s.listen(port, '127.0.0.1', () => resolve());
      });
      server = s;
      port = (s.server.address() as AddressInfo).port;
      receiver.port = port;
      const auth = o.auth ? `${encodeURIComponent(o.auth.user)}:${encodeURIComponent(o.auth.pass)}@` : '';
      receiver.url = `smtp://${auth}127.0.0.1:${port}`;
      receiver.running = true;
    },
    async stop() {
      const s = server;
      if (!s) return;
      server = null;
      receiver.running = false;
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    refuseNext(count, refusal) {
      for (let i = 0; i < count; i++) plan.push(refusal);
    },
    waitForMessages(count, timeoutMs = 10_000) {
      if (messages.length >= count) return Promise.resolve(messages);
      return new Promise((resolve, reject) => {
        const onMessage = () => {
          if (messages.length < count) return;
          clearTimeout(timer);
          arrivals.off('message', onMessage);
          resolve(messages);
        };
        const timer = setTimeout(() => {
          arrivals.off('message', onMessage);
          const got = messages.map((m) => m.parsed.subject).join(' | ');
          reject(
            new Error(`smtp receiver: wanted ${count} messages within ${timeoutMs} ms, got ${messages.length}: ${got}`),
          );
        }, timeoutMs);
        arrivals.on('message', onMessage);
      });
    },
  };
  await receiver.start();
  return receiver;
}
