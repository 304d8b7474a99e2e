/** How a run's phases end early: the orchestrator turns these into the run's outcome. */

/** Thrown when the run must end as 'failed' at a known step. */
export class RunFailure extends Error {
  constructor(
    message: string,
    readonly step: number | null,
  ) {
    super(message);
  }
}

/** Thrown by a phase that saw the run cancelled. */
export class Cancelled extends Error {}
