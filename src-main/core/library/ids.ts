import { monotonicFactory } from 'ulid';

export { isItemId, isUlid } from '../../../src-shared/ids';

/** ULIDs sort by creation time, so listing newest-first is a reverse sort of names. */
export const newId = monotonicFactory();
