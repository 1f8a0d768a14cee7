// Who changes things: a filter (the first status), a moderator's account, the system (start-up,
// maintenance) or an operator at the command line. Every log row and audit row names one.

export type ActorType = 'filter' | 'user' | 'system' | 'cli';

export interface Actor {
  type: ActorType;
  id: string;
}

/** Operators at the command line (or forwarded to the running server). */
export const CLI_ACTOR: Actor = { type: 'cli', id: 'cli' };
