import { monotonicFactory } from 'ulid';

/** ULIDs sort by creation time, so listing newest-first is a reverse sort of names. */
export const newId = monotonicFactory();

const ulidPattern = /^[0-9A-HJKMNP-TV-Z]{26}$/;
export const isUlid = (value: string): boolean => ulidPattern.test(value);
