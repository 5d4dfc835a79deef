// What went wrong, and what to do, in words: every error code the service
// answers with, as a sentence a person can act on.

const sentences = {
  UNAUTHENTICATED: 'Your session has ended: the token expired or is no longer valid. Sign in again.',
  FORBIDDEN: 'You are not allowed to do this: the token lacks the scope, or the tenant\'s reports are disabled.',
  NOT_FOUND: 'There is no such tenant, client or webhook, or it is not yours to see.',
  GONE: 'That day is outside the tenant\'s retention window: its reports were deleted.',
  BAD_USER_INPUT: 'The service refused the input: ',
  TOO_MANY_REQUESTS: 'Too many reports are being built right now. Wait a moment and try again.',
  UNAVAILABLE: 'The service cannot reach its database or object storage right now. Try again in a moment.',
  INTERNAL: 'Something went wrong inside the service. Try again; if it keeps failing, tell its operators.',
  NETWORK: 'The service cannot be reached. Check your connection, then try again.',
  invalid_client: 'The client ID or secret is wrong, or the client was revoked.',
  invalid_scope: 'The client may not have these scopes.',
  invalid_request: 'The sign-in request was refused: ',
};

// explain returns the sentence for err.
export function explain(err) {
  const code = err && err.code;
  let text = sentences[code] || sentences.INTERNAL;
  if (text.endsWith(': ')) text += (err.message || 'it is not valid') + '.';
  if (err && err.retryAfter && (code === 'TOO_MANY_REQUESTS' || code === 'UNAVAILABLE' || code === 'invalid_client')) {
    text += ` Retry after ${err.retryAfter} seconds.`;
  }
  return text;
}
