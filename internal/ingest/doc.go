// Package ingest decodes and validates a batch of conversations posted to
// POST /api/external/conversations. It knows nothing of HTTP or storage: it
// turns a body and its Content-Type into []report.Conversation (Decode), or
// into one conversation at a time (Decoder), or into one *apperr.Error
// (code Invalid) naming the record and the field at fault. Budget bounds
// the bodies that batches in flight hold across a process.
//
// # Format
//
//   - Content-Type application/json: a JSON array of conversations.
//     Errors name the record by its zero-based index: "record 3: ...".
//   - Content-Type application/x-ndjson or application/jsonl: one conversation
//     per line; blank lines are ignored. Errors name the one-based line:
//     "line 4: ...".
//   - No Content-Type, any other media type, or a charset other than utf-8,
//     is refused ("missing content type", "unsupported content type";
//     IsUnsupportedType, HTTP 415).
//   - A leading UTF-8 byte order mark is ignored. Data after the closing "]"
//     of the array, or after the object on an NDJSON line, is an error.
//
// # Limits
//
// See Limits and DefaultLimits; a zero or negative limit means its default.
//
//   - The body is read as it arrives, one record at a time out of a 64 KiB
//     buffer, never whole; at most MaxBytes+1 bytes of it (32 MiB by
//     default): a longer body is refused without being read further,
//     "batch is larger than 32 MiB" (IsTooLarge, HTTP 413). Limits.CheckLength
//     refuses a declared length over MaxBytes before anything is read.
//   - At most MaxRecords conversations per batch (10000; "batch has more than
//     10000 records"), MaxMessages messages per conversation (5000), and
//     MaxTextBytes bytes per message Text (64 KiB).
//   - An empty body, an empty array, or an NDJSON body of blank lines is refused:
//     "batch is empty".
//
// # Records
//
//   - Each record is a JSON object whose field names match the contract
//     exactly, case included. Unknown fields ("id" as well as "Foo") and
//     repeated fields are refused: `record 0: unknown field "id"`.
//   - A null value means the same as an absent field.
//   - Conversation: Id (string, required, 1–256 bytes); SessionId, Channel,
//     ProjectName, Status (strings, optional, "" when absent, ≤ 256 bytes);
//     Language (string, optional, ≤ 35 bytes); StartedAt (time, required);
//     EndedAt (time, optional, not before StartedAt); Messages (array,
//     required, may be empty).
//   - Message: Id (string, required, 1–256 bytes, unique within its
//     conversation); SentAt (time, required); Sender (required, one of user,
//     bot, agent, system); Text (string, required, may be empty, ≤
//     MaxTextBytes); Intent (string, optional, ≤ 256 bytes); Confidence
//     (number, optional, finite, 0 ≤ Confidence ≤ 1).
//   - Times are RFC 3339 strings with a zone offset, with or without fractional
//     seconds, exactly as RFC 3339 writes them: two-digit fields, "." before
//     the fraction, a zone of Z or ±hh:mm up to ±23:59 (time.Parse alone
//     accepts +24:00). They are converted to UTC and truncated to microseconds, the
//     precision PostgreSQL stores. StartedAt, EndedAt and SentAt must lie
//     between 2000-01-01T00:00:00Z and 24 hours after Limits.Now.
//   - Strings must be valid UTF-8 in the raw body (the record is refused:
//     "record N: invalid UTF-8"; nothing is silently replaced with U+FFFD),
//     must not contain escaped unpaired UTF-16 surrogates, and must not contain
//     NUL (\u0000), which PostgreSQL text cannot store.
//   - Errors name the field by its path: "record 3: Messages[2].SentAt: must be
//     an RFC 3339 time".
//
// # Batches
//
// A batch is all or nothing: the first invalid record fails it, and the error
// names it. Conversations and messages keep the order of the body. Records sharing an Id are all validated, then
// only the last of them is kept (later writes win, as for separate requests);
// the result holds each Id once, in the order of those last occurrences, so a
// store can upsert it in one statement.
package ingest
