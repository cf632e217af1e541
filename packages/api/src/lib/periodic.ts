const running = new Map<string, NodeJS.Timeout>();

/**
 * Runs `job` now and then every `intervalMs` in this process (once per name), logging what it
 * did and its failures; the timer never keeps the process alive by itself.
 */
export function runPeriodically(
  name: string,
  intervalMs: number,
  job: () => Promise<number>,
): void {
  if (running.has(name)) return;
  const run = () =>
    job()
      .then((handled) => {
        if (handled > 0) console.info(`${name}: ${handled} handled.`);
      })
      .catch((error) => console.error(`${name} failed:`, error));
  void run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  running.set(name, timer);
}
