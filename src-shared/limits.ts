/** Size limits shared by the contract, web mode's server and the renderer's upload code. */

const mebibyte = 1024 * 1024;

/** The largest init image the studio takes (PNG, JPEG or WebP bytes). */
export const maxInitImageBytes = 20 * mebibyte;

/**
 * Web mode's limit on a request body: an init image travels as the raw body, so the limit is that
 * size plus headroom for the JSON requests (all far smaller) and a little slack.
 */
export const maxRequestBodyBytes = maxInitImageBytes + mebibyte;

/** A byte count as whole megabytes, the way limits are told to users ("20 MB"). */
export const megabytes = (bytes: number): string => `${Math.round(bytes / mebibyte)} MB`;
