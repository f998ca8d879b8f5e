import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOBS, QUEUES, type QueueName } from './job-catalog.js';
import { JOB_BACKOFF_TYPE } from './retry-curves.js';

/**
 * Kept failed jobs outlive completed ones: staff look at failures days later.
 * Completed jobs are kept long enough that a re-enqueue of the same id is a no-op
 * (the register is idempotent beyond that anyway).
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  // resolved by the pipeline Worker's backoffStrategy (retry-curves.ts): the desk's one retry curve
  backoff: { type: JOB_BACKOFF_TYPE },
  removeOnComplete: { age: 7 * 24 * 3600, count: 50_000 },
  removeOnFail: { age: 90 * 24 * 3600 },
};

export interface PipelineQueues {
  process: Queue;
  validate: Queue;
  acknowledge: Queue;
  ocr: Queue;
  all: Queue[];
  close(): Promise<void>;
}

/**
 * @param onError connection errors while Redis is away; the callers' own
 * operations fail and are retried, so these are reported, not thrown
 */
export function createQueues(
  connection: Redis,
  prefix: string,
  onError: (err: Error) => void = () => undefined,
): PipelineQueues {
  const make = (name: QueueName) => {
    const q = new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
    q.on('error', onError);
    return q;
  };
  const process = make(QUEUES.process);
  const validate = make(QUEUES.validate);
  const acknowledge = make(QUEUES.acknowledge);
  const ocr = make(QUEUES.ocr);
  let closing: Promise<void> | null = null;
  return {
    process,
    validate,
    acknowledge,
    ocr,
    all: [process, validate, acknowledge, ocr],
    close() {
      closing ??= Promise.all([process.close(), validate.close(), acknowledge.close(), ocr.close()]).then(
        () => undefined,
      );
      return closing;
    },
  };
}

type JobKey = keyof typeof JOBS;

/** Validate the payload against its schema, then add with the deterministic id. */
export async function enqueue(
  queues: PipelineQueues,
  key: JobKey,
  payload: unknown,
  jobId: string,
  opts: JobsOptions = {},
): Promise<void> {
  const def = JOBS[key];
  const data = def.schema.parse(payload);
  await queues[def.queue].add(def.name, data, { ...opts, jobId });
}
