// The decision table of classifySmtpError, on the error shapes nodemailer produces (the same cases
// against a real SMTP server are in tests/api/mail-transport.test.ts).
import { describe, expect, it } from 'vitest';
import { classifySmtpError } from '../../../src/mail/smtp.transport.ts';

const shape = (o: Record<string, unknown>) => Object.assign(new Error('x'), o);

describe('classifySmtpError', () => {
  it.each([
    ['connection refused', shape({ code: 'ESOCKET', originalCode: 'ECONNREFUSED' }), 'transient', null],
    ['connection closed', shape({ code: 'ECONNECTION' }), 'transient', null],
    ['greeting timeout', shape({ code: 'ETIMEDOUT' }), 'transient', null],
    ['DNS', shape({ code: 'EDNS' }), 'transient', null],
    ['TLS', shape({ code: 'ETLS' }), 'transient', null],
    [
      '451 at RCPT',
      shape({ code: 'EENVELOPE', responseCode: 451, permanent: false, command: 'RCPT TO' }),
      'transient',
      451,
    ],
    ['503 bad sequence', shape({ code: 'EPROTOCOL', responseCode: 503 }), 'transient', 503],
    ['535 login refused', shape({ code: 'EAUTH', responseCode: 535, permanent: true }), 'transient', 535],
    [
      '550 at RCPT',
      shape({ code: 'EENVELOPE', responseCode: 550, permanent: true, command: 'RCPT TO' }),
      'permanent',
      550,
    ],
    ['552 at DATA', shape({ code: 'EMESSAGE', responseCode: 552, command: 'DATA' }), 'permanent', 552],
    ['an envelope nodemailer refused', shape({ code: 'EENVELOPE' }), 'permanent', null],
    ['anything else', new Error('surprise'), 'transient', null],
    ['not even an Error', 'a string', 'transient', null],
  ])('%s → %s', (_label, err, failure, responseCode) => {
    const classified = classifySmtpError(err);
    expect(classified.failure).toBe(failure);
    expect(classified.details.responseCode).toBe(responseCode);
    expect(classified.cause).toBe(err);
  });

  it('marks only a refusal at RCPT TO as a refused recipient', () => {
    expect(classifySmtpError(shape({ responseCode: 550, command: 'RCPT TO' })).details.recipientRefused).toBe(true);
    expect(classifySmtpError(shape({ responseCode: 554, command: 'DATA' })).details.recipientRefused).toBe(false);
    expect(classifySmtpError(shape({ responseCode: 450, command: 'RCPT TO' })).details.recipientRefused).toBe(false);
  });
});
