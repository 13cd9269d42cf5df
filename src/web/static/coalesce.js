/**
 * Wraps an async `load` so that calls made while it runs collapse into one more run after it:
 * a burst of events costs at most two fetches, and the last one sees the newest state.
 */
export function coalesce(load) {
  let running = false;
  let again = false;
  return async () => {
    if (running) return void (again = true);
    running = true;
    try {
      do {
        again = false;
        await load();
      } while (again);
    } finally {
      running = false;
    }
  };
}

/** For a live refetch that failed (the server stopped, say): the view keeps what it shows. */
export const warn = (error) => console.warn('drover dashboard: a live update failed:', error);
