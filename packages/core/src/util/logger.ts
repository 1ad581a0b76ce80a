/**
 * The one structured logger of Skiff. Every component asks for a child
 * logger named after itself; every unexpected state is logged with the
 * object it concerns (`log.warn({ pod: key, err }, "…")`).
 *
 * Level comes from the option resolved in `bin/` (SKIFF_LOG_LEVEL); this
 * module never reads the environment itself.
 */
import { pino, destination, stdTimeFunctions, type Logger as PinoLogger, type LevelWithSilent } from "pino";

export type Logger = PinoLogger;
export type LogLevel = LevelWithSilent;

let root: Logger = pino({ level: "info", base: undefined, timestamp: stdTimeFunctions.isoTime });

/** Replaces the root logger's level and destination. Called once by `bin/`. */
export function configureLogging(options: { level: LogLevel; destination?: number | string }): void {
  root = pino(
    { level: options.level, base: undefined, timestamp: stdTimeFunctions.isoTime },
    destination({ dest: options.destination ?? 2, sync: true }),
  );
}

/** A child logger whose lines carry `component: name`. */
export function logger(component: string): Logger {
  return root.child({ component });
}
