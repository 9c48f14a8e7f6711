/**
 * The error a promise rejects with, for tests that assert on a failure's message; fails the test
 * when the promise resolves instead.
 */
export async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a failure");
}
