/** Burst control for event-driven refetches. */

/**
 * Wraps a task so calls during a run are folded into one more run afterwards: a burst of
 * realtime events costs at most two requests, and the last one starts after the last event.
 */
export function coalesce(task: () => unknown): () => void {
  let running = false;
  let again = false;
  return async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await task();
      } while (again);
    } finally {
      running = false;
    }
  };
}
