/** Median wall time of `count` sequential runs (after `warmup` unmeasured ones), in ms. */
export async function medianMs(
  run: () => Promise<unknown>,
  count = 200,
  warmup = 20,
): Promise<number> {
  for (let i = 0; i < warmup; i++) await run()
  const times: number[] = []
  for (let i = 0; i < count; i++) {
    const started = performance.now()
    await run()
    times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)] ?? 0
}
