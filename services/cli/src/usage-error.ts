import { AppError } from '@intake/domain';

/** A problem the user can fix from the command line: reported as one line, no stack. */
export class UsageError extends AppError {
  constructor(message: string) {
    super('USAGE', { message, permanent: true });
    this.name = 'UsageError';
  }
}
