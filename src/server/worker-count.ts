/** What /health says of the API processes on this port. */
export interface WorkerCount {
  /** Worker processes serving now. */
  up: number;
  /** WEB_CONCURRENCY, as resolved. */
  configured: number;
}

/** Sent by the primary to every worker whenever one starts or stops. */
export interface WorkerCountMessage {
  type: 'wa:workers';
  count: WorkerCount;
}

export function isWorkerCountMessage(message: unknown): message is WorkerCountMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'wa:workers';
}

/**
 * The count this process knows: one of one when it runs alone; as the primary last said, in a
 * cluster worker (listening from the start, so no message is missed).
 */
export function trackWorkerCount(): () => WorkerCount {
  let count: WorkerCount = { up: 1, configured: 1 };
  if (process.send) {
    process.on('message', (message) => {
      if (isWorkerCountMessage(message)) count = message.count;
    });
  }
  return () => count;
}
