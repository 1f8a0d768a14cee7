// Shared pieces of the spam model's unit tests: a keyed hash like the service's, and comments.
import { createHmac } from 'node:crypto';
import type { SpamInput } from '../../../src/spam/features.ts';

export const hashPersonal = (value: string) => createHmac('sha256', 'test-secret').update(value).digest('hex');
export const features = { hashPersonal };

export const comment = (body: string, extra: Partial<SpamInput> = {}): SpamInput => ({
  name: 'A reader',
  email: 'reader@example.org',
  body,
  ...extra,
});

export const SPAM = [
  'Cheap viagra and cialis pills, order now at http://pills.example.biz with free shipping',
  'Buy cheap replica watches, best price guaranteed, click here http://watches.example.biz',
  'Make money fast from home, casino bonus, click here now http://casino.example.biz',
  'Free viagra samples, lowest price pharmacy, order now http://pills.example.biz',
  'Earn cash fast with our casino, free bonus, click here http://casino.example.biz',
];
export const HAM = [
  'I think the minister is right about the trade agreement, but the article misses the history.',
  'Thanks for the clear reporting on the election; the map of results was very helpful.',
  'The council should publish the budget figures before the vote, as the article says.',
  'Interesting piece on the railway plans. Does anyone know when the consultation closes?',
  'My grandfather worked on that bridge; it is good to see the history remembered here.',
];
