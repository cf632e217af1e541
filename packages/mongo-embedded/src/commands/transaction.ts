import { MongoCommandError } from '../errors.ts';
import { noSuchTransaction } from '../transactions.ts';
import type { CommandContext, CommandHandler } from './context.ts';

function sessionOf(context: CommandContext): string {
  if (!context.sessionKey) {
    throw new MongoCommandError(
      'InvalidOptions',
      'transaction commands require a logical session id (lsid)',
    );
  }
  return context.sessionKey;
}

export const transactionCommands: Record<string, CommandHandler> = {
  commitTransaction: (context) => {
    const { engine, body } = context;
    const transaction = engine.sessions.finishingTransaction(sessionOf(context), body);
    // A retried commit of a committed transaction must succeed again.
    if (transaction.state === 'aborted') throw noSuchTransaction(transaction.txnNumber);
    if (transaction.state === 'open') transaction.commit(engine.catalog, engine.locks);
    return { ok: 1 };
  },
  abortTransaction: (context) => {
    const { engine, body } = context;
    const transaction = engine.sessions.finishingTransaction(sessionOf(context), body);
    if (transaction.state === 'committed') {
      throw new MongoCommandError('TransactionCommitted', 'Cannot abort after commit');
    }
    if (transaction.state === 'aborted') throw noSuchTransaction(transaction.txnNumber);
    transaction.abort(engine.locks);
    return { ok: 1 };
  },
};
