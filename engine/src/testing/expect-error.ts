import { CrmError, isCrmError, type ErrorCode } from '../errors';

/** Awaits a promise that must fail with the given catalogue error; returns the error for more checks. */
export async function expectCrmError(promise: Promise<unknown>, code: ErrorCode): Promise<CrmError> {
  try {
    await promise;
  } catch (error) {
    if (isCrmError(error) && error.code === code) return error;
    throw new Error(`expected ${code}, got ${isCrmError(error) ? `${error.code}: ${error.message} ${JSON.stringify(error.fields)}` : String((error as Error)?.stack ?? error)}`);
  }
  throw new Error(`expected ${code}, but it succeeded`);
}
